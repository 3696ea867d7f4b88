// Tests for poly/automorphism.hpp: the coefficient-form map against NTL's
// a(X^k) mod X^N + 1, and the evaluation-form permutation against the
// coefficient-form map followed by the NTT.
#include "poly/automorphism.hpp"

#include <NTL/ZZ_pX.h>
#include <gtest/gtest.h>

#include <stdexcept>

#include "poly/primes.hpp"
#include "test_util.hpp"

namespace tower::poly {
namespace {

TEST(PolyAutomorphism, CoefficientFormMatchesNtlComposition) {
  const std::size_t n = 256;
  const u64 q = ntt_primes(45, n, 1)[0];
  const Modulus m(q);
  const auto a = test::insecure_uniform(n, q);
  NTL::ZZ_pPush push;
  NTL::ZZ_p::init(NTL::conv<NTL::ZZ>(static_cast<unsigned long>(q)));
  NTL::ZZ_pX f;
  NTL::SetCoeff(f, n, 1);
  NTL::SetCoeff(f, 0, 1);
  for (u64 k : {u64{3}, u64{5}, u64{25}, u64{2 * n - 1}, u64{2 * n + 5}}) {
    std::vector<u64> out(n);
    automorphism_coeff(a.data(), out.data(), n, k, m);
    NTL::ZZ_pX expect;
    for (std::size_t j = 0; j < n; ++j) {
      NTL::ZZ_pX term;
      NTL::SetCoeff(term, static_cast<long>(j * k), NTL::conv<NTL::ZZ_p>(static_cast<unsigned long>(a[j])));
      expect += term;
    }
    expect %= f;
    for (std::size_t j = 0; j < n; ++j) {
      ASSERT_EQ(out[j], NTL::conv<unsigned long>(NTL::rep(NTL::coeff(expect, j)))) << "k=" << k << " j=" << j;
    }
  }
}

TEST(PolyAutomorphism, EvaluationPermutationEqualsCoefficientMapThenNtt) {
  for (std::size_t n : {std::size_t{16}, std::size_t{1024}, std::size_t{1} << 14}) {
    const auto base = std::make_shared<const RnsBase>(n, ntt_primes(50, n, 2));
    RnsPoly a(base);
    for (std::size_t i = 0; i < a.size(); ++i) {
      const auto v = test::insecure_uniform(n, base->modulus(i).value());
      std::copy(v.begin(), v.end(), a.limb(i));
    }
    RnsPoly a_eval = a;
    a_eval.to_evaluation();
    // Rotation generators 5^r, conjugation 2n-1, and an arbitrary odd element.
    for (u64 k : {u64{5}, u64{25}, u64{2 * n - 1}, u64{3}, (u64{5} * 5 * 5) % (2 * n)}) {
      RnsPoly via_coeff = automorphism(a, k);
      via_coeff.to_evaluation();
      const RnsPoly via_eval = automorphism(a_eval, k);
      ASSERT_EQ(via_eval, via_coeff) << "n=" << n << " k=" << k;
    }
  }
}

TEST(PolyAutomorphism, CompositionIsMultiplicative) {
  const std::size_t n = 512;
  const auto base = std::make_shared<const RnsBase>(n, ntt_primes(40, n, 1));
  RnsPoly a(base);
  const auto v = test::insecure_uniform(n, base->modulus(0).value());
  std::copy(v.begin(), v.end(), a.limb(0));
  const RnsPoly twice = automorphism(automorphism(a, 5), 7);
  const RnsPoly once = automorphism(a, 35);
  EXPECT_EQ(twice, once);
  EXPECT_EQ(automorphism(a, 1), a);
}

TEST(PolyAutomorphismErrors, EvenElementThrows) {
  const auto base = std::make_shared<const RnsBase>(64, ntt_primes(40, 64, 1));
  RnsPoly a(base);
  EXPECT_THROW(automorphism(a, 4), std::invalid_argument);
  EXPECT_THROW(automorphism_eval_permutation(64, 2), std::invalid_argument);
  EXPECT_THROW(automorphism_eval_permutation(60, 3), std::invalid_argument);
}

}  // namespace
}  // namespace tower::poly
