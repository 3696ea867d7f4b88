// Tests for poly/rns_base.hpp, poly/rns_poly.hpp and poly/base_conv.hpp against
// GMP big-integer arithmetic and NTL polynomial arithmetic.
#include <NTL/ZZ_pX.h>
#include <gmp.h>
#include <gtest/gtest.h>
#include <omp.h>

#include <memory>
#include <stdexcept>

#include "poly/base_conv.hpp"
#include "poly/primes.hpp"
#include "poly/rns_base.hpp"
#include "poly/rns_poly.hpp"
#include "poly/sampling.hpp"
#include "test_util.hpp"

namespace tower::poly {
namespace {

// RAII wrapper for an mpz_t.
struct Mpz {
  mpz_t v;
  Mpz() { mpz_init(v); }
  ~Mpz() { mpz_clear(v); }
  Mpz(const Mpz&) = delete;
  Mpz& operator=(const Mpz&) = delete;
  void set_words(const std::vector<u64>& w) { mpz_import(v, w.size(), -1, sizeof(u64), 0, 0, w.data()); }
  u64 mod(u64 q) const { return mpz_fdiv_ui(v, q); }
};

std::shared_ptr<const RnsBase> make_base(std::size_t n, int bits, std::size_t k) {
  return std::make_shared<const RnsBase>(n, ntt_primes(bits, n, k));
}

void fill_random(RnsPoly& p) {
  for (std::size_t i = 0; i < p.size(); ++i) {
    const auto v = test::insecure_uniform(p.n(), p.base()->modulus(i).value());
    std::copy(v.begin(), v.end(), p.limb(i));
  }
}

void product_of(const RnsBase& b, Mpz& out) { out.set_words(b.product()); }

TEST(PolyRnsBase, ComposeMatchesGmpCrt) {
  const auto base = make_base(16, 60, 5);
  Mpz Q;
  product_of(*base, Q);
  for (int trial = 0; trial < 200; ++trial) {
    // Random x < Q from GMP, residues from GMP, then reconstruct.
    std::vector<u64> words = test::insecure_uniform(5, ~u64{0});
    Mpz x;
    x.set_words(words);
    mpz_mod(x.v, x.v, Q.v);
    std::vector<u64> res(base->size());
    for (std::size_t i = 0; i < base->size(); ++i) res[i] = x.mod(base->modulus(i).value());
    Mpz back;
    back.set_words(base->compose(res.data()));
    ASSERT_EQ(mpz_cmp(back.v, x.v), 0);
  }
}

TEST(PolyRnsBase, PrefixAndExtendKeepConstantsConsistent) {
  const auto base = make_base(64, 50, 4);
  const RnsBase pre = base->prefix(2);
  EXPECT_EQ(pre.size(), 2u);
  EXPECT_EQ(pre.modulus(1), base->modulus(1));
  const auto other = std::make_shared<const RnsBase>(64, ntt_primes(40, 64, 2));
  const RnsBase ext = pre.extend(*other);
  EXPECT_EQ(ext.size(), 4u);
  // CRT constants of the extended base: sum_i [(Q/q_i)^-1]_{q_i} * (Q/q_i) = 1 mod Q.
  std::vector<u64> ones(ext.size(), 1);
  auto w = ext.compose(ones.data());
  EXPECT_EQ(w[0], 1u);
  for (std::size_t i = 1; i < w.size(); ++i) EXPECT_EQ(w[i], 0u);
}

TEST(PolyRnsBaseErrors, BadBasesThrow) {
  const auto ps = ntt_primes(40, 64, 2);
  EXPECT_THROW(RnsBase(64, {}), std::invalid_argument);
  EXPECT_THROW(RnsBase(64, {ps[0], ps[0]}), std::invalid_argument);
  EXPECT_THROW(RnsBase(64, {ps[0], 1000003}), std::invalid_argument);  // not NTT-friendly
  EXPECT_THROW(RnsBase(100, {ps[0]}), std::invalid_argument);
  const RnsBase b(64, ps);
  EXPECT_THROW(b.prefix(0), std::invalid_argument);
  EXPECT_THROW(b.prefix(3), std::invalid_argument);
  EXPECT_THROW(b.extend(b), std::invalid_argument);
}

class PolyRnsPoly : public ::testing::TestWithParam<SimdPath> {
 protected:
  void SetUp() override { TOWER_SKIP_IF_UNSUPPORTED(GetParam()); }
};

TEST_P(PolyRnsPoly, ProductMatchesNtlOnEveryLimb) {
  test::ScopedSimdPath scoped(GetParam());
  const std::size_t n = 1024;
  const auto base = make_base(n, 50, 3);
  RnsPoly a(base), b(base), c(base);
  fill_random(a);
  fill_random(b);
  fill_random(c);
  const RnsPoly a0 = a, b0 = b, c0 = c;
  a.to_evaluation();
  b.to_evaluation();
  c.to_evaluation();
  RnsPoly prod = a * b;
  prod.mul_add_inplace(a, c);  // a*b + a*c
  const RnsPoly copied = prod.coefficient_copy();  // out of place; prod unchanged
  ASSERT_TRUE(prod.is_evaluation());
  prod.to_coefficient();
  ASSERT_TRUE(copied == prod) << "coefficient_copy differs from to_coefficient";
  for (std::size_t i = 0; i < base->size(); ++i) {
    NTL::ZZ_pPush push;
    NTL::ZZ_p::init(NTL::conv<NTL::ZZ>(static_cast<unsigned long>(base->modulus(i).value())));
    NTL::ZZ_pX pa, pb, pc, f;
    for (std::size_t j = 0; j < n; ++j) {
      NTL::SetCoeff(pa, j, NTL::conv<NTL::ZZ_p>(static_cast<unsigned long>(a0.limb(i)[j])));
      NTL::SetCoeff(pb, j, NTL::conv<NTL::ZZ_p>(static_cast<unsigned long>(b0.limb(i)[j])));
      NTL::SetCoeff(pc, j, NTL::conv<NTL::ZZ_p>(static_cast<unsigned long>(c0.limb(i)[j])));
    }
    NTL::SetCoeff(f, n, 1);
    NTL::SetCoeff(f, 0, 1);
    const NTL::ZZ_pX expect = (pa * (pb + pc)) % f;
    for (std::size_t j = 0; j < n; ++j) {
      ASSERT_EQ(prod.limb(i)[j], NTL::conv<unsigned long>(NTL::rep(NTL::coeff(expect, j)))) << i << "," << j;
    }
  }
}

TEST_P(PolyRnsPoly, AdditiveOpsAndScalarsMatchPerCoefficientArithmetic) {
  test::ScopedSimdPath scoped(GetParam());
  const auto base = make_base(256, 61, 3);
  RnsPoly a(base), b(base);
  fill_random(a);
  fill_random(b);
  const RnsPoly sum = a + b, diff = a - b;
  RnsPoly neg = a;
  neg.negate_inplace();
  RnsPoly scaled = a;
  const u64 c = 0xfedcba9876543210ULL;  // larger than every prime: reduced per limb
  scaled.mul_scalar_inplace(c);
  for (std::size_t i = 0; i < base->size(); ++i) {
    const u64 q = base->modulus(i).value();
    for (std::size_t j = 0; j < a.n(); ++j) {
      const u128 x = a.limb(i)[j], y = b.limb(i)[j];
      ASSERT_EQ(sum.limb(i)[j], static_cast<u64>((x + y) % q));
      ASSERT_EQ(diff.limb(i)[j], static_cast<u64>((x + q - y) % q));
      ASSERT_EQ(neg.limb(i)[j], static_cast<u64>((q - x) % q));
      ASSERT_EQ(scaled.limb(i)[j], static_cast<u64>(x * (c % q) % q));
    }
  }
}

INSTANTIATE_TEST_SUITE_P(PolyRnsPaths, PolyRnsPoly, ::testing::ValuesIn(test::all_paths()),
                         [](const auto& info) { return std::string(to_string(info.param)); });

TEST(PolyRnsPolyErrors, MismatchedBasesAndFormsThrow) {
  const auto b1 = make_base(64, 40, 2);
  const auto b2 = make_base(64, 41, 2);
  const auto b3 = make_base(128, 40, 2);
  RnsPoly x(b1), y(b2), z(b3), e(b1, PolyForm::evaluation);
  EXPECT_THROW(x.add_inplace(y), std::invalid_argument);
  EXPECT_THROW(x.sub_inplace(z), std::invalid_argument);
  EXPECT_THROW(x.add_inplace(e), std::invalid_argument);
  EXPECT_THROW(x.mul_inplace(x), std::invalid_argument);  // coefficient form
  EXPECT_THROW(e.to_evaluation(), std::invalid_argument);
  EXPECT_THROW(x.to_coefficient(), std::invalid_argument);
  EXPECT_THROW(x.coefficient_copy(), std::invalid_argument);
  EXPECT_THROW(RnsPoly(nullptr), std::invalid_argument);
  EXPECT_THROW(x.drop_to(b2), std::invalid_argument);
  // Equal bases built separately are compatible.
  RnsPoly w(std::make_shared<const RnsBase>(*b1));
  EXPECT_NO_THROW(x.add_inplace(w));
}

// Base conversion against GMP: approximate gives x + u*Q with 0 <= u < k; exact
// gives the centred representative (for x/Q not within ~2^-40 of 1/2).
TEST(PolyBaseConv, ApproxAndExactMatchGmp) {
  const std::size_t n = 64;
  const auto from = make_base(n, 50, 5);
  const auto to = std::make_shared<const RnsBase>(n, ntt_primes(60, n, 3));
  const BaseConverter conv(from, to);
  RnsPoly x(from);
  fill_random(x);
  // Edge coefficients: 0, 1, Q-1 and values around Q/2.
  Mpz Q;
  product_of(*from, Q);
  auto set_coeff = [&](std::size_t j, const mpz_t val) {
    for (std::size_t i = 0; i < from->size(); ++i) x.limb(i)[j] = mpz_fdiv_ui(val, from->modulus(i).value());
  };
  Mpz e;
  mpz_set_ui(e.v, 0);
  set_coeff(0, e.v);
  mpz_set_ui(e.v, 1);
  set_coeff(1, e.v);
  mpz_sub_ui(e.v, Q.v, 1);
  set_coeff(2, e.v);
  // Just either side of Q/2, outside the documented window of width ~k*2^-52*Q
  // where the floating-point estimate of the exact variant cannot decide.
  Mpz delta;
  mpz_fdiv_q_2exp(delta.v, Q.v, 20);
  mpz_fdiv_q_2exp(e.v, Q.v, 1);
  mpz_sub(e.v, e.v, delta.v);
  set_coeff(3, e.v);
  mpz_add(e.v, e.v, delta.v);
  mpz_add(e.v, e.v, delta.v);
  set_coeff(4, e.v);

  const RnsPoly approx = conv.convert_approx(x);
  const RnsPoly exact = conv.convert_exact(x);
  for (std::size_t j = 0; j < n; ++j) {
    std::vector<u64> res(from->size());
    for (std::size_t i = 0; i < from->size(); ++i) res[i] = x.limb(i)[j];
    Mpz val, centred;
    val.set_words(from->compose(res.data()));
    mpz_set(centred.v, val.v);
    Mpz half;
    mpz_fdiv_q_2exp(half.v, Q.v, 1);
    if (mpz_cmp(val.v, half.v) >= 0) mpz_sub(centred.v, val.v, Q.v);
    for (std::size_t t = 0; t < to->size(); ++t) {
      const u64 p = to->modulus(t).value();
      ASSERT_EQ(exact.limb(t)[j], mpz_fdiv_ui(centred.v, p)) << "coefficient " << j;
      // approx = val + u*Q mod p for some u in [0, k).
      bool found = false;
      for (unsigned u = 0; u < from->size() && !found; ++u) {
        Mpz cand;
        mpz_mul_ui(cand.v, Q.v, u);
        mpz_add(cand.v, cand.v, val.v);
        found = approx.limb(t)[j] == mpz_fdiv_ui(cand.v, p);
      }
      ASSERT_TRUE(found) << "coefficient " << j;
    }
  }
}

TEST(PolyBaseConv, RescaleRoundsExactlyInBothForms) {
  const std::size_t n = 128;
  const auto base = make_base(n, 55, 4);
  const auto lower = std::make_shared<const RnsBase>(base->prefix(3));
  RnsPoly x(base);
  fill_random(x);
  for (bool eval : {false, true}) {
    RnsPoly y = x;
    if (eval) y.to_evaluation();
    divide_round_by_last_inplace(y, lower);
    ASSERT_EQ(y.size(), 3u);
    if (eval) y.to_coefficient();
    const u64 ql = base->modulus(3).value();
    for (std::size_t j = 0; j < n; ++j) {
      std::vector<u64> res(4);
      for (std::size_t i = 0; i < 4; ++i) res[i] = x.limb(i)[j];
      Mpz val;
      val.set_words(base->compose(res.data()));
      // round(val / ql) = floor((val + floor(ql/2)) / ql)
      mpz_add_ui(val.v, val.v, ql / 2);
      mpz_fdiv_q_ui(val.v, val.v, ql);
      for (std::size_t i = 0; i < 3; ++i) ASSERT_EQ(y.limb(i)[j], val.mod(base->modulus(i).value())) << j;
    }
  }
}

TEST(PolyBaseConvErrors, BadInputsThrow) {
  const auto a = make_base(64, 40, 2);
  const auto b = make_base(128, 40, 2);
  EXPECT_THROW(BaseConverter(a, b), std::invalid_argument);
  EXPECT_THROW(BaseConverter(nullptr, a), std::invalid_argument);
  const auto c = make_base(64, 50, 2);
  const BaseConverter conv(a, c);
  RnsPoly wrong(c);
  EXPECT_THROW(conv.convert_exact(wrong), std::invalid_argument);
  RnsPoly eval(a, PolyForm::evaluation);
  EXPECT_THROW(conv.convert_approx(eval), std::invalid_argument);
  RnsPoly one(std::make_shared<const RnsBase>(a->prefix(1)));
  EXPECT_THROW(divide_round_by_last_inplace(one, nullptr), std::invalid_argument);
  RnsPoly two(a);
  EXPECT_THROW(divide_round_by_last_inplace(two, c), std::invalid_argument);
}

}  // namespace
}  // namespace tower::poly


namespace tower::poly {
namespace {

// OpenMP splits work over limbs; every limb is computed the same way whatever
// the thread count, so one and two threads must agree bit for bit.
TEST(PolyRnsThreads, OneAndTwoThreadsGiveIdenticalResults) {
  const std::size_t n = std::size_t{1} << 12;
  const auto from = make_base(n, 50, 8);
  const auto to = std::make_shared<const RnsBase>(n, ntt_primes(55, n, 4));
  const auto lower = std::make_shared<const RnsBase>(from->prefix(7));
  auto run = [&](int threads) {
    omp_set_num_threads(threads);
    RnsPoly a(from), b(from);
    SeededPrng g(Seed{1});
    sample_uniform(g, a);
    sample_uniform(g, b);
    const RnsPoly conv = BaseConverter(from, to).convert_exact(a);
    a.to_evaluation();
    b.to_evaluation();
    RnsPoly c = a * b;
    c.mul_add_inplace(a, b);
    c.add_inplace(a);
    divide_round_by_last_inplace(c, lower);
    c.to_coefficient();
    return std::make_pair(c, conv);
  };
  const auto one = run(1);
  const auto two = run(2);
  omp_set_num_threads(omp_get_num_procs());
  EXPECT_EQ(one.first, two.first);
  EXPECT_EQ(one.second, two.second);
}

}  // namespace
}  // namespace tower::poly
