// CKKS end to end: encode -> encrypt -> evaluate -> decrypt -> decode, each
// result compared with the same computation on plaintext doubles, with a
// precision floor in bits asserted per operation.
//
// Where the floors come from (N = 2^14, scale Delta = 2^40, values in [-1, 1]):
// a fresh public-key encryption carries noise e0 + e1 s + e u whose slots are of
// size about N * sigma (~2^15.6 for sigma = 3.2, a few times that at the max
// over 8192 slots), so the first decryption is good to about
// log2(Delta) - log2(N * sigma) - 3 = 40 - 15.6 - 3 ~ 21 bits: the floor is 20.
// A product with relinearization and rescale adds the two operands' relative
// errors, the key-switching noise (digit product / P times N sigma, small since
// P exceeds every digit) and the rescale rounding (~sqrt(N) / Delta): it loses
// about a bit, so the floor is 19. A chain of d products loses about one more
// bit per level: floor 20 - d.
#include "ckks/evaluator.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "ckks/encoder.hpp"
#include "ckks/encryptor.hpp"
#include "ckks/galois.hpp"
#include "ckks/keys.hpp"
#include "ckks_test_util.hpp"

namespace tower::ckks {
namespace {

using cvec = std::vector<std::complex<double>>;

class CkksEvaluator : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ctx_ = Context::create(test::test_params_n14(6, 4));  // digits of <= 2 primes, P = 2 x 60 bits: log QP ~ 420
    keygen_ = new KeyGenerator(ctx_);
    pk_ = new PublicKey(keygen_->create_public_key());
    rk_ = new RelinKey(keygen_->create_relin_key());
  }
  static void TearDownTestSuite() {
    delete rk_;
    delete pk_;
    delete keygen_;
    ctx_.reset();
  }

  Ciphertext enc(const cvec& v, std::size_t level) const {
    const Encoder ecd(ctx_);
    return Encryptor(ctx_, *pk_).encrypt(ecd.encode(v, level, ctx_->params().scale()));
  }
  cvec dec(const Ciphertext& ct) const {
    const Encoder ecd(ctx_);
    return ecd.decode(Decryptor(ctx_, keygen_->secret_key()).decrypt(ct));
  }
  std::size_t slots() const { return ctx_->slots(); }
  std::size_t top() const { return ctx_->max_level(); }

  static std::shared_ptr<const Context> ctx_;
  static KeyGenerator* keygen_;
  static PublicKey* pk_;
  static RelinKey* rk_;
};

std::shared_ptr<const Context> CkksEvaluator::ctx_;
KeyGenerator* CkksEvaluator::keygen_ = nullptr;
PublicKey* CkksEvaluator::pk_ = nullptr;
RelinKey* CkksEvaluator::rk_ = nullptr;

TEST_F(CkksEvaluator, EncryptDecryptRoundTripPublicAndSecretKey) {
  const cvec v = test::insecure_complex(slots());
  EXPECT_GE(test::precision_bits(dec(enc(v, top())), v), 20.0);
  EXPECT_GE(test::precision_bits(dec(enc(v, 0)), v), 20.0);
  const Encoder ecd(ctx_);
  const Encryptor sym(ctx_, keygen_->secret_key());
  const Plaintext pt = ecd.encode(v, top(), ctx_->params().scale());
  EXPECT_GE(test::precision_bits(dec(sym.encrypt_symmetric(pt)), v), 20.0);
  // The seeded form expands to a ciphertext that decrypts the same.
  const SeededCiphertext seeded = sym.encrypt_symmetric_seeded(pt);
  EXPECT_GE(test::precision_bits(dec(seeded.expand()), v), 20.0);
  // Real vectors.
  const auto r = test::insecure_real(slots());
  const Ciphertext cr = Encryptor(ctx_, *pk_).encrypt(ecd.encode(r, top(), ctx_->params().scale()));
  const auto back = ecd.decode_real(Decryptor(ctx_, keygen_->secret_key()).decrypt(cr));
  EXPECT_GE(test::precision_bits(back, r), 20.0);
}

TEST_F(CkksEvaluator, WrongKeyDecryptsToGarbage) {
  const cvec v = test::insecure_complex(slots());
  const Ciphertext ct = enc(v, top());
  const KeyGenerator other(ctx_);
  const Encoder ecd(ctx_);
  const cvec wrong = ecd.decode(Decryptor(ctx_, other.secret_key()).decrypt(ct));
  EXPECT_LT(test::precision_bits(wrong, v), 0.0);  // errors far above 1
}

TEST_F(CkksEvaluator, AdditiveOperationsMatchPlaintext) {
  const cvec a = test::insecure_complex(slots()), b = test::insecure_complex(slots());
  const Evaluator ev(ctx_);
  const Ciphertext ca = enc(a, top()), cb = enc(b, top());
  cvec sum(slots()), diff(slots()), neg(slots()), plus_c(slots());
  for (std::size_t i = 0; i < slots(); ++i) {
    sum[i] = a[i] + b[i];
    diff[i] = a[i] - b[i];
    neg[i] = -a[i];
    plus_c[i] = a[i] + 0.75;
  }
  EXPECT_GE(test::precision_bits(dec(ev.add(ca, cb)), sum), 19.0);
  EXPECT_GE(test::precision_bits(dec(ev.sub(ca, cb)), diff), 19.0);
  EXPECT_GE(test::precision_bits(dec(ev.negate(ca)), neg), 20.0);
  EXPECT_GE(test::precision_bits(dec(ev.add_const(ca, 0.75)), plus_c), 20.0);
  const Encoder ecd(ctx_);
  const Plaintext pb = ecd.encode(b, top(), ca.scale());
  EXPECT_GE(test::precision_bits(dec(ev.add_plain(ca, pb)), sum), 19.0);
  EXPECT_GE(test::precision_bits(dec(ev.sub_plain(ca, pb)), diff), 19.0);
}

TEST_F(CkksEvaluator, MultiplyRelinearizeRescaleMatchesPlaintext) {
  const cvec a = test::insecure_complex(slots()), b = test::insecure_complex(slots());
  const Evaluator ev(ctx_);
  const Ciphertext ca = enc(a, top()), cb = enc(b, top());
  cvec prod(slots()), sq(slots());
  for (std::size_t i = 0; i < slots(); ++i) {
    prod[i] = a[i] * b[i];
    sq[i] = a[i] * a[i];
  }
  Ciphertext c = ev.multiply(ca, cb);
  ASSERT_EQ(c.size(), 3u);
  EXPECT_GE(test::precision_bits(dec(c), prod), 19.0);  // 3 components decrypt directly
  ev.relinearize_inplace(c, *rk_);
  ASSERT_EQ(c.size(), 2u);
  ev.rescale_inplace(c);
  EXPECT_EQ(c.level(), top() - 1);
  EXPECT_NEAR(c.scale(), ca.scale() * cb.scale() / static_cast<double>(ctx_->params().q()[top()]), 1e-6 * c.scale());
  EXPECT_GE(test::precision_bits(dec(c), prod), 19.0);
  Ciphertext s = ev.rescale(ev.relinearize(ev.square(ca), *rk_));
  EXPECT_GE(test::precision_bits(dec(s), sq), 19.0);
}

TEST_F(CkksEvaluator, PlaintextAndConstantProducts) {
  const cvec a = test::insecure_complex(slots()), b = test::insecure_complex(slots());
  const Evaluator ev(ctx_);
  const Encoder ecd(ctx_);
  const Ciphertext ca = enc(a, top());
  cvec prod(slots()), by_c(slots()), by_k(slots());
  for (std::size_t i = 0; i < slots(); ++i) {
    prod[i] = a[i] * b[i];
    by_c[i] = a[i] * -1.375;
    by_k[i] = a[i] * 3.0;
  }
  const Plaintext pb = ecd.encode(b, top(), ctx_->params().scale());
  EXPECT_GE(test::precision_bits(dec(ev.rescale(ev.multiply_plain(ca, pb))), prod), 19.0);
  // Constant at the default scale (the last prime): rescale restores the scale exactly.
  const Ciphertext cc = ev.rescale(ev.multiply_const(ca, -1.375));
  EXPECT_DOUBLE_EQ(cc.scale(), ca.scale());
  EXPECT_GE(test::precision_bits(dec(cc), by_c), 19.0);
  // Integer constant: no level, no scale change.
  const Ciphertext ck = ev.multiply_integer(ca, 3);
  EXPECT_EQ(ck.level(), ca.level());
  EXPECT_EQ(ck.scale(), ca.scale());
  EXPECT_GE(test::precision_bits(dec(ck), by_k), 18.0);
  // Tower reuse: a plaintext encoded at the top level serves a lower level.
  const Ciphertext low = enc(a, top() - 2);
  EXPECT_GE(test::precision_bits(dec(ev.rescale(ev.multiply_plain(low, pb))), prod), 19.0);
}

TEST_F(CkksEvaluator, DepthChainMatchesPlaintext) {
  // x -> x * y_k for k = 1..L, each with relinearization and rescale: uses every level.
  const Evaluator ev(ctx_);
  cvec x = test::insecure_complex(slots());
  Ciphertext c = enc(x, top());
  for (std::size_t d = 1; d <= top(); ++d) {
    const cvec y = test::insecure_complex(slots());
    // Encode y at c's current scale so the product's scale is c.scale()^2.
    const Encoder ecd(ctx_);
    const Ciphertext cy = Encryptor(ctx_, *pk_).encrypt(ecd.encode(y, c.level(), c.scale()));
    c = ev.rescale(ev.multiply_relin(c, cy, *rk_));
    for (std::size_t i = 0; i < slots(); ++i) x[i] *= y[i];
    const double floor = 20.0 - static_cast<double>(d);
    ASSERT_GE(test::precision_bits(dec(c), x), floor) << "depth " << d;
  }
  EXPECT_EQ(c.level(), 0u);
}

TEST_F(CkksEvaluator, ErrorsAreClear) {
  const cvec v = test::insecure_complex(slots());
  const Evaluator ev(ctx_);
  const Ciphertext a = enc(v, top()), b = enc(v, top() - 1);
  EXPECT_THROW(ev.add(a, b), std::invalid_argument);  // level mismatch
  Ciphertext scaled = a;
  scaled.set_scale(a.scale() * 2);
  EXPECT_THROW(ev.add(a, scaled), std::invalid_argument);  // scale mismatch
  const Ciphertext three = ev.multiply(a, a);
  EXPECT_THROW(ev.multiply(three, a), std::invalid_argument);  // 3-component operand
  EXPECT_THROW(ev.relinearize(a, *rk_), std::invalid_argument);  // nothing to relinearize
  Ciphertext bottom = ev.drop_to_level(a, 0);
  EXPECT_THROW(ev.rescale(bottom), std::invalid_argument);  // level 0
  EXPECT_THROW(ev.drop_to_level(b, top()), std::invalid_argument);
  // Scale that would exceed the modulus.
  EXPECT_THROW(ev.multiply(bottom, bottom), std::invalid_argument);
  // Plaintext or ciphertext of another context.
  const auto other = Context::create(test::test_params_n14(5, 3));
  const Encoder other_ecd(other);
  const Plaintext foreign = other_ecd.encode(v, 5, other->params().scale());
  EXPECT_THROW(ev.add_plain(a, foreign), std::invalid_argument);
  const Ciphertext foreign_ct(other, 5, other->params().scale());
  EXPECT_THROW(ev.add(a, foreign_ct), std::invalid_argument);
  // Automatic alignment, when asked for, drops the higher operand instead.
  const Evaluator aligning(ctx_, {.auto_align_levels = true});
  cvec twice(slots());
  for (std::size_t i = 0; i < slots(); ++i) twice[i] = v[i] + v[i];
  const Ciphertext sum = aligning.add(a, b);
  EXPECT_EQ(sum.level(), top() - 1);
  EXPECT_GE(test::precision_bits(dec(sum), twice), 19.0);
}

// Key switching with every dnum from 1 to L+1 gives the same decryption within the floor.
TEST(CkksKeySwitch, EveryDnumRelinearizesCorrectly) {
  // q_0 of 55 bits and 3 primes of 40: log Q = 175, so even dnum = 1 (P > Q,
  // 3 special primes) stays below the 438-bit bound.
  const int depth = 3;
  for (std::size_t dnum = 1; dnum <= depth + 1; ++dnum) {
    const auto ctx = Context::create(test::test_params_n14(depth, dnum, 55));
    const KeyGenerator kg(ctx);
    const Encoder ecd(ctx);
    const Encryptor enc(ctx, kg.create_public_key());
    const RelinKey rk = kg.create_relin_key();
    EXPECT_EQ(rk.key().digits(), dnum);
    const Evaluator ev(ctx);
    const cvec a = test::insecure_complex(ctx->slots()), b = test::insecure_complex(ctx->slots());
    cvec prod(a.size());
    for (std::size_t i = 0; i < a.size(); ++i) prod[i] = a[i] * b[i];
    for (std::size_t level : {static_cast<std::size_t>(depth), std::size_t{1}}) {
      const Ciphertext ca = enc.encrypt(ecd.encode(a, level, ctx->params().scale()));
      const Ciphertext cb = enc.encrypt(ecd.encode(b, level, ctx->params().scale()));
      const Ciphertext c = ev.rescale(ev.multiply_relin(ca, cb, rk));
      const cvec got = ecd.decode(Decryptor(ctx, kg.secret_key()).decrypt(c));
      EXPECT_GE(test::precision_bits(got, prod), 19.0) << "dnum " << dnum << " level " << level;
    }
  }
}

}  // namespace
}  // namespace tower::ckks

#include <omp.h>

namespace tower::ckks {
namespace {

// OpenMP splits every operation over towers (and key-switching digits' towers);
// each tower is computed identically whatever the thread count, so a product,
// relinearization, rescale and rotation give bit-identical ciphertexts with one
// and with two threads.
TEST(CkksThreads, OneAndTwoThreadsGiveIdenticalCiphertexts) {
  const auto ctx = Context::create(test::test_params_n14(3, 2, 55));
  const KeyGenerator kg(ctx);
  const RelinKey rk = kg.create_relin_key();
  const GaloisKeys gk = create_galois_keys(kg, {3});
  const Encoder ecd(ctx);
  const Encryptor enc(ctx, kg.create_public_key());
  const Ciphertext a = enc.encrypt(ecd.encode(test::insecure_complex(ctx->slots()), 3, ctx->params().scale()));
  const Ciphertext b = enc.encrypt(ecd.encode(test::insecure_complex(ctx->slots()), 3, ctx->params().scale()));
  const Evaluator ev(ctx);
  auto run = [&](int threads) {
    omp_set_num_threads(threads);
    const Ciphertext p = ev.rescale(ev.multiply_relin(a, b, rk));
    return std::make_pair(p, ev.rotate_hoisted(p, {3}, gk)[0]);
  };
  const auto one = run(1);
  const auto two = run(2);
  omp_set_num_threads(omp_get_num_procs());
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(one.first[i], two.first[i]);
    EXPECT_EQ(one.second[i], two.second[i]);
  }
}

}  // namespace
}  // namespace tower::ckks
