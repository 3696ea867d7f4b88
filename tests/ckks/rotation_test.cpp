// Rotations, conjugation, hoisting, composition and per-level keys, each checked
// against the same permutation applied to the plaintext vector. Precision floors
// as in evaluator_test.cpp: a key switch adds noise of about (digit / P) N sigma,
// small next to the encryption noise, so one rotation keeps ~20 bits at
// N = 2^14, Delta = 2^40; a composed rotation of k switches loses < 1 bit more.
#include <gtest/gtest.h>

#include <algorithm>
#include <stdexcept>

#include "ckks/encoder.hpp"
#include "ckks/encryptor.hpp"
#include "ckks/evaluator.hpp"
#include "ckks/galois.hpp"
#include "ckks/keyswitch.hpp"
#include "poly/sampling.hpp"
#include "ckks_test_util.hpp"

namespace tower::ckks {
namespace {

using cvec = std::vector<std::complex<double>>;

cvec rotated(const cvec& v, std::int64_t step) {
  const std::int64_t n = static_cast<std::int64_t>(v.size());
  cvec out(v.size());
  for (std::int64_t j = 0; j < n; ++j) out[j] = v[static_cast<std::size_t>((((j + step) % n) + n) % n)];
  return out;
}

class CkksRotation : public test::KeyedCkksSuite {
 protected:
  std::int64_t slots() const { return static_cast<std::int64_t>(ctx_->slots()); }
};

TEST_F(CkksRotation, EveryStepAndConjugationMatchPlaintext) {
  std::vector<std::int64_t> steps = {1, -1, slots() / 2, -slots() / 2};
  for (auto x : test::insecure_uniform(4, static_cast<std::uint64_t>(slots()))) steps.push_back(static_cast<std::int64_t>(x));
  const GaloisKeys gk = create_galois_keys(*keygen_, steps, /*conjugation=*/true);
  const Evaluator ev(ctx_);
  const cvec v = test::insecure_complex(ctx_->slots());
  const Ciphertext ct = enc(v, ctx_->max_level());
  for (std::int64_t s : steps) {
    std::size_t switches = 0;
    const Ciphertext r = ev.rotate(ct, s, gk, true, &switches);
    EXPECT_EQ(switches, 1u);
    EXPECT_GE(test::precision_bits(dec(r), rotated(v, s)), 19.0) << "step " << s;
  }
  cvec conj(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) conj[i] = std::conj(v[i]);
  EXPECT_GE(test::precision_bits(dec(ev.conjugate(ct, gk)), conj), 19.0);
  // Rotation by 0 (and by a multiple of the slot count) is the identity, no key needed.
  EXPECT_GE(test::precision_bits(dec(ev.rotate(ct, 0, gk)), v), 19.0);
  EXPECT_GE(test::precision_bits(dec(ev.rotate(ct, slots(), gk)), v), 19.0);
}

TEST_F(CkksRotation, HoistedEqualsOneByOneAndPlaintextAtSeveralLevels) {
  const std::vector<std::int64_t> steps = {0, 1, 2, 3, 5, 8, 13, -7, 100};
  const GaloisKeys gk = create_galois_keys(*keygen_, steps);
  const Evaluator ev(ctx_);
  const cvec v = test::insecure_complex(ctx_->slots());
  for (std::size_t level : {ctx_->max_level(), std::size_t{2}, std::size_t{0}}) {
    const Ciphertext ct = enc(v, level);
    const auto hoisted = ev.rotate_hoisted(ct, steps, gk);
    ASSERT_EQ(hoisted.size(), steps.size());
    for (std::size_t i = 0; i < steps.size(); ++i) {
      const cvec want = rotated(v, steps[i]);
      const cvec h = dec(hoisted[i]);
      const cvec one = dec(ev.rotate(ct, steps[i], gk, false));
      EXPECT_GE(test::precision_bits(h, want), 19.0) << "level " << level << " step " << steps[i];
      EXPECT_GE(test::precision_bits(h, one), 19.0) << "level " << level << " step " << steps[i];
      EXPECT_EQ(hoisted[i].level(), level);
    }
  }
}

// The context's memory pool recycles the blocks of one call in the next: the
// second call must be served from the cache (hits), must not write into the
// results of the first (still alive), and must give bit-identical results (key
// switching is deterministic); with caching off the results are the same again.
TEST_F(CkksRotation, PooledCallsReuseMemoryWithoutTouchingLiveResults) {
  const std::vector<std::int64_t> steps = {1, 2, 3, -5, 9};
  const GaloisKeys gk = create_galois_keys(*keygen_, steps);
  const Evaluator ev(ctx_);
  const cvec v = test::insecure_complex(ctx_->slots());
  const Ciphertext ct = enc(v, ctx_->max_level());
  const auto& pool = ctx_->memory_pool();
  const std::vector<Ciphertext> first = ev.rotate_hoisted(ct, steps, gk);
  const std::vector<Ciphertext> snapshot = first;  // deep copies
  const auto hits = pool->hits();
  const std::vector<Ciphertext> second = ev.rotate_hoisted(ct, steps, gk);
  EXPECT_GT(pool->hits(), hits) << "the second call allocated nothing from the cache";
  const Ciphertext single = ev.rotate(ct, steps[0], gk, false);
  ASSERT_EQ(second.size(), steps.size());
  for (std::size_t i = 0; i < steps.size(); ++i) {
    for (std::size_t c = 0; c < 2; ++c) {
      EXPECT_EQ(first[i][c], snapshot[i][c]) << "a later call wrote into result " << i;
      EXPECT_EQ(second[i][c], first[i][c]) << "step " << steps[i];
    }
    EXPECT_GE(test::precision_bits(dec(second[i]), rotated(v, steps[i])), 19.0) << "step " << steps[i];
  }
  EXPECT_EQ(single[0], first[0][0]);
  EXPECT_EQ(single[1], first[0][1]);

  const std::size_t limit = pool->limit();
  pool->set_limit(0);
  EXPECT_EQ(pool->cached_bytes(), 0u);
  const std::vector<Ciphertext> uncached = ev.rotate_hoisted(ct, steps, gk);
  EXPECT_EQ(pool->cached_bytes(), 0u);
  pool->set_limit(limit);
  for (std::size_t i = 0; i < steps.size(); ++i) {
    EXPECT_EQ(uncached[i][0], first[i][0]);
    EXPECT_EQ(uncached[i][1], first[i][1]);
  }
}

TEST_F(CkksRotation, CompositionFromPowerOfTwoKeysMatchesADirectKey) {
  std::vector<std::int64_t> pow2;
  for (std::int64_t s = 1; s < slots(); s <<= 1) {
    pow2.push_back(s);
    pow2.push_back(-s);
  }
  const GaloisKeys gk = create_galois_keys(*keygen_, pow2);
  const GaloisKeys direct = create_galois_keys(*keygen_, {7, 23, 1000});
  const Evaluator ev(ctx_);
  const cvec v = test::insecure_complex(ctx_->slots());
  const Ciphertext ct = enc(v, ctx_->max_level());
  for (std::int64_t s : {7, 23, 1000}) {
    std::size_t switches = 0;
    const cvec composed = dec(ev.rotate(ct, s, gk, true, &switches));
    EXPECT_GE(switches, 2u);
    EXPECT_LE(switches, 4u);  // 7 = 8 - 1, 23 = 16 + 8 - 1, 1000 = 1024 - 16 - 8: NAF weights 2, 3, 3
    EXPECT_GE(test::precision_bits(composed, rotated(v, s)), 18.0) << s;
    EXPECT_GE(test::precision_bits(composed, dec(ev.rotate(ct, s, direct))), 18.0) << s;
  }
}

TEST_F(CkksRotation, LowerLevelKeysWorkThereAndAreRefusedAbove) {
  const GaloisKeys low = create_galois_keys(*keygen_, {1, 2}, false, /*level=*/1);
  const GaloisKeys full = create_galois_keys(*keygen_, {1, 2});
  EXPECT_LT(low.byte_size(), full.byte_size());  // fewer towers
  const Evaluator ev(ctx_);
  const cvec v = test::insecure_complex(ctx_->slots());
  for (std::size_t level : {std::size_t{0}, std::size_t{1}}) {
    EXPECT_GE(test::precision_bits(dec(ev.rotate(enc(v, level), 1, low)), rotated(v, 1)), 19.0) << level;
  }
  EXPECT_THROW(ev.rotate(enc(v, 2), 1, low), std::invalid_argument);
  EXPECT_THROW(ev.rotate_hoisted(enc(v, ctx_->max_level()), {1, 2}, low), std::invalid_argument);
}

// Keys hold their residues packed to ceil(bits(q_i)/8) bytes: byte_size is
// 2 * digits * n * that sum over the key's towers (computed here from the
// primes' bit lengths), for keys at the top level and at level 1.
TEST_F(CkksRotation, KeyBytesArePackedResidues) {
  for (const std::size_t level : {ctx_->max_level(), std::size_t{1}}) {
    const KeySwitchKey key = keygen_->create_galois_key(galois_element_for_rotation(3, ctx_->n()), level);
    const auto& qp = ctx_->qp_base(level);
    std::size_t per_residue = 0;
    for (std::size_t t = 0; t < qp->size(); ++t) {
      int bits = 0;
      for (u64 q = qp->modulus(t).value(); q; q >>= 1) ++bits;
      per_residue += static_cast<std::size_t>((bits + 7) / 8);
    }
    EXPECT_EQ(key.byte_size(), 2 * key.digits() * ctx_->n() * per_residue) << "level " << level;
    EXPECT_LT(key.byte_size(), 2 * key.digits() * ctx_->n() * qp->size() * 8);
  }
}

TEST_F(CkksRotation, MissingKeyIsAClearErrorNamingTheStep) {
  const GaloisKeys gk = create_galois_keys(*keygen_, {1});
  const Evaluator ev(ctx_);
  const Ciphertext ct = enc(test::insecure_complex(ctx_->slots()), ctx_->max_level());
  try {
    ev.rotate(ct, 37, gk, /*allow_composition=*/false);
    FAIL() << "rotated without a key";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("rotation by 37"), std::string::npos) << e.what();
  }
  EXPECT_THROW(ev.rotate(ct, 37, gk, true), std::invalid_argument);  // 37 = 32 + 4 + 1: keys 32, 4 missing
  EXPECT_THROW(ev.conjugate(ct, gk), std::invalid_argument);
  EXPECT_THROW(ev.rotate_hoisted(ct, {1, 5}, gk), std::invalid_argument);
  // Released keys are gone.
  GaloisKeys some = create_galois_keys(*keygen_, {1, 2});
  const std::size_t before = some.byte_size();
  EXPECT_TRUE(some.release(galois_element_for_rotation(2, ctx_->n())));
  EXPECT_LT(some.byte_size(), before);
  EXPECT_THROW(ev.rotate(ct, 2, some, false), std::invalid_argument);
  // A 3-component ciphertext must be relinearized first.
  EXPECT_THROW(ev.rotate(ev.multiply(ct, ct), 1, gk), std::invalid_argument);
}

TEST_F(CkksRotation, RotateAndSumAndReplicateMatchPlaintext) {
  const std::size_t block = 16;
  std::vector<std::int64_t> steps;
  for (std::int64_t s = 1; s < static_cast<std::int64_t>(block); s <<= 1) steps.push_back(s);
  for (std::int64_t s = block; s < slots(); s <<= 1) steps.push_back(-s);
  const GaloisKeys gk = create_galois_keys(*keygen_, steps);
  const Evaluator ev(ctx_);
  const cvec v = test::insecure_complex(ctx_->slots());
  cvec sums(v.size());
  for (std::size_t j = 0; j < v.size(); ++j) {
    for (std::size_t i = 0; i < block; ++i) sums[j] += v[(j + i) % v.size()];
  }
  const Ciphertext ct = enc(v, ctx_->max_level());
  EXPECT_GE(test::precision_bits(dec(ev.rotate_and_sum(ct, block, gk)), sums), 16.0);
  // Replicate a block held in slots [0, block).
  cvec head(v.size(), 0.0), tiled(v.size());
  for (std::size_t j = 0; j < block; ++j) head[j] = v[j];
  for (std::size_t j = 0; j < v.size(); ++j) tiled[j] = v[j % block];
  EXPECT_GE(test::precision_bits(dec(ev.replicate(enc(head, ctx_->max_level()), block, gk)), tiled), 16.0);
  EXPECT_THROW(ev.rotate_and_sum(ct, 12, gk), std::invalid_argument);
}

}  // namespace
}  // namespace tower::ckks

namespace tower::ckks {
namespace {

// Key switching must add only a small, unbiased error. After ModDown rounds to
// nearest, the error of d0 + d1 s is about (rounding in [-1/2, 1/2]) * s plus
// (digit / P) * N sigma: coefficients of a few tens (max ~2^7), slot error
// ~2^13.5 at N = 2^14. A floor-instead-of-round ModDown has a mean of ~1/2 * s
// whose low slots are amplified by ~2N/pi (~2^19 in a slot): these tests catch it.
TEST(CkksKeySwitchNoise, ErrorIsSmallInCoefficientForm) {
  const auto ctx = Context::create(test::test_params_n14(3, 2, 55));
  const KeyGenerator kg(ctx);
  const RelinKey rk = kg.create_relin_key();
  const std::size_t L = ctx->max_level();
  const auto base = ctx->q_base(L);
  poly::RnsPoly c(base, poly::PolyForm::evaluation);
  poly::SystemPrng prng;
  poly::sample_uniform(prng, c);
  poly::RnsPoly s(base, poly::PolyForm::evaluation);
  std::copy(kg.secret_key().poly().data(), kg.secret_key().poly().data() + s.n() * s.size(), s.data());
  auto [d0, d1] = key_switch(*ctx, c, rk.key());
  poly::RnsPoly err = d0;
  err.add_inplace(d1 * s);
  err.sub_inplace(c * s * s);
  err.to_coefficient();
  const double q0 = static_cast<double>(base->modulus(0).value());
  double worst = 0;
  for (std::size_t j = 0; j < err.n(); ++j) {
    double v = static_cast<double>(err.limb(0)[j]);
    if (v > q0 / 2) v -= q0;
    worst = std::max(worst, std::abs(v));
  }
  EXPECT_LT(worst, 1024.0);  // 2^10
}

TEST(CkksKeySwitchNoise, RotationKeepsSecretKeyPrecision) {
  // A secret-key ciphertext starts at ~29.6 bits (noise e only); a rotation
  // adds ~2^13.5 per slot: ~26 bits remain. Floor 24.
  const auto ctx = Context::create(test::test_params_n14(4, 3));
  const KeyGenerator kg(ctx);
  const Encoder ecd(ctx);
  const GaloisKeys gk = create_galois_keys(kg, {1, 1000});
  const Evaluator ev(ctx);
  const auto v = test::insecure_complex(ctx->slots());
  const Ciphertext ct = Encryptor(ctx, kg.secret_key()).encrypt_symmetric(ecd.encode(v, ctx->max_level(), ctx->params().scale()));
  for (std::int64_t step : {1, 1000}) {
    const auto got = ecd.decode(Decryptor(ctx, kg.secret_key()).decrypt(ev.rotate(ct, step, gk, false)));
    std::vector<std::complex<double>> want(v.size());
    for (std::size_t j = 0; j < v.size(); ++j) want[j] = v[(j + static_cast<std::size_t>(step)) % v.size()];
    EXPECT_GE(test::precision_bits(got, want), 24.0) << "step " << step;
  }
}

// The streamed single switch (key_switch and mod_up_inner_product: tower-major,
// single-prime digits converted in the tower loop) and the hoisted path (decompose, then
// inner_product) are two implementations of the same arithmetic; both reduce
// every output to its canonical residue, so they must agree bit for bit.
// dnum = depth + 1 gives one prime per digit, dnum = 2 wide digits; at a lower
// level the digits are partial.
TEST(CkksKeySwitchPaths, StreamedHoistedAndStepwiseAreBitIdentical) {
  for (const std::size_t dnum : {std::size_t{2}, std::size_t{4}}) {
    const auto ctx = Context::create(test::insecure_params_n11(3, dnum));
    const KeyGenerator kg(ctx);
    const RelinKey rk = kg.create_relin_key();
    // Six keys: rotate_hoisted switches them in groups of four (one full group,
    // one partial), and the step 0 among them needs no key.
    std::vector<std::int64_t> steps;
    for (std::int64_t s = 1; s <= 6; ++s) steps.push_back(s);
    const GaloisKeys gk = create_galois_keys(kg, steps);
    steps.insert(steps.begin() + 2, 0);
    const Evaluator ev(ctx);
    poly::SystemPrng prng;
    for (const std::size_t level : {ctx->max_level(), std::size_t{1}}) {
      SCOPED_TRACE("dnum " + std::to_string(dnum) + " level " + std::to_string(level));
      const auto base = ctx->q_base(level);
      poly::RnsPoly c(base, poly::PolyForm::evaluation);
      poly::sample_uniform(prng, c);
      const auto [d0, d1] = key_switch(*ctx, c, rk.key());
      const auto [ip0, ip1] = inner_product(*ctx, decompose(*ctx, c), rk.key());
      EXPECT_TRUE(d0 == mod_down(*ctx, ip0, level));
      EXPECT_TRUE(d1 == mod_down(*ctx, ip1, level));

      // Several keys over one decomposition: inner_products and the fused
      // key_switch_hoisted against inner_product and mod_down key by key.
      const Decomposed dec = decompose(*ctx, c);
      std::vector<const KeySwitchKey*> keys{&rk.key()};
      std::vector<const std::vector<std::uint32_t>*> perms{nullptr};
      for (std::int64_t s = 1; s <= 3; ++s) {
        const u64 g = galois_element_for_rotation(s, ctx->n());
        keys.push_back(&gk.at(g));
        perms.push_back(&gk.permutation(g));
      }
      poly::RnsPoly addend(base, poly::PolyForm::evaluation);
      poly::sample_uniform(prng, addend);
      const auto ips = inner_products(*ctx, dec, keys);
      const auto fused = key_switch_hoisted(*ctx, dec, keys, perms, &addend);
      const auto fused_plain = key_switch_hoisted(*ctx, dec, keys, std::vector<const std::vector<std::uint32_t>*>(keys.size()), nullptr);
      ASSERT_EQ(ips.size(), keys.size());
      ASSERT_EQ(fused.size(), keys.size());
      for (std::size_t i = 0; i < keys.size(); ++i) {
        const auto [e0, e1] = inner_product(*ctx, dec, *keys[i]);
        EXPECT_TRUE(ips[i].first == e0 && ips[i].second == e1) << "key " << i;
        EXPECT_TRUE(fused[i].first == mod_down(*ctx, e0, level, &addend, perms[i])) << "key " << i;
        EXPECT_TRUE(fused[i].second == mod_down(*ctx, e1, level, nullptr, perms[i])) << "key " << i;
        EXPECT_TRUE(fused_plain[i].first == mod_down(*ctx, e0, level)) << "key " << i;
        EXPECT_TRUE(fused_plain[i].second == mod_down(*ctx, e1, level)) << "key " << i;
      }
      EXPECT_THROW(key_switch_hoisted(*ctx, dec, keys, std::vector<const std::vector<std::uint32_t>*>(1), nullptr),
                   std::invalid_argument);

      // The fused single switch (ModUp, inner products and ModDown streamed tower
      // by tower, with both addends and the permutation) against the stepwise one.
      poly::RnsPoly addend1(base, poly::PolyForm::evaluation);
      poly::sample_uniform(prng, addend1);
      for (std::size_t i = 0; i < keys.size(); ++i) {
        const auto [s0, s1] = mod_up_inner_product(*ctx, c, *keys[i]);
        const auto [e0, e1] = inner_product(*ctx, dec, *keys[i]);
        EXPECT_TRUE(s0 == e0 && s1 == e1) << "key " << i;
        const auto [f0, f1] = key_switch(*ctx, c, *keys[i], &addend, &addend1, perms[i]);
        EXPECT_TRUE(f0 == mod_down(*ctx, e0, level, &addend, perms[i])) << "key " << i;
        EXPECT_TRUE(f1 == mod_down(*ctx, e1, level, &addend1, perms[i])) << "key " << i;
      }
      const poly::RnsPoly other_level(ctx->q_base(level - 1), poly::PolyForm::evaluation);
      EXPECT_THROW(key_switch(*ctx, c, rk.key(), &other_level), std::invalid_argument);
      EXPECT_THROW(key_switch(*ctx, c, rk.key(), nullptr, &other_level), std::invalid_argument);
      const std::vector<std::uint32_t> short_perm(ctx->n() / 2);
      EXPECT_THROW(key_switch(*ctx, c, rk.key(), nullptr, nullptr, &short_perm), std::invalid_argument);
      keys.push_back(nullptr);
      EXPECT_THROW(inner_products(*ctx, dec, keys), std::invalid_argument);

      std::vector<poly::RnsPoly> parts;
      for (int i = 0; i < 2; ++i) {
        parts.emplace_back(base, poly::PolyForm::evaluation);
        poly::sample_uniform(prng, parts.back());
      }
      const Ciphertext ct(ctx, std::move(parts), ctx->params().scale());
      const auto hoisted = ev.rotate_hoisted(ct, steps, gk);
      for (std::size_t i = 0; i < steps.size(); ++i) {
        const Ciphertext one = ev.rotate(ct, steps[i], gk, false);
        EXPECT_TRUE(one[0] == hoisted[i][0] && one[1] == hoisted[i][1]) << "step " << steps[i];
      }
    }
  }
}

// key_switch_hoisted takes the keys in batches whose inner-product towers fit
// in about 1 MB: two keys at N = 2^15, one at 2^16, every key at the small N
// of the test above. Five keys at N = 2^15 make batches of 2, 2 and 1; each
// result must still equal its key's stepwise switch bit for bit.
TEST(CkksKeySwitchPaths, HoistedKeyBatchesAtLargeNAreBitIdentical) {
  const auto ctx = Context::create(Params::choose(32768, 2, 40, 50, 2));
  const KeyGenerator kg(ctx);
  std::vector<std::int64_t> steps{1, 2, 3, 4, 5};
  const GaloisKeys gk = create_galois_keys(kg, steps);
  poly::SystemPrng prng;
  const std::size_t level = ctx->max_level();
  poly::RnsPoly c(ctx->q_base(level), poly::PolyForm::evaluation);
  poly::sample_uniform(prng, c);
  poly::RnsPoly addend(ctx->q_base(level), poly::PolyForm::evaluation);
  poly::sample_uniform(prng, addend);
  const Decomposed dec = decompose(*ctx, c);
  std::vector<const KeySwitchKey*> keys;
  std::vector<const std::vector<std::uint32_t>*> perms;
  for (const std::int64_t s : steps) {
    const u64 g = galois_element_for_rotation(s, ctx->n());
    keys.push_back(&gk.at(g));
    perms.push_back(&gk.permutation(g));
  }
  const auto fused = key_switch_hoisted(*ctx, dec, keys, perms, &addend);
  ASSERT_EQ(fused.size(), keys.size());
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const auto [e0, e1] = inner_product(*ctx, dec, *keys[i]);
    EXPECT_TRUE(fused[i].first == mod_down(*ctx, e0, level, &addend, perms[i])) << "key " << i;
    EXPECT_TRUE(fused[i].second == mod_down(*ctx, e1, level, nullptr, perms[i])) << "key " << i;
  }
}

}  // namespace
}  // namespace tower::ckks
