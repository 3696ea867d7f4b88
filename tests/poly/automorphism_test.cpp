// Tests for poly/automorphism.hpp: the coefficient-form map against NTL's
// a(X^k) mod X^N + 1, and the evaluation-form permutation against the
// coefficient-form map followed by the NTT.
#include "poly/automorphism.hpp"

#include <NTL/ZZ_pX.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

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

// Each path's kernel against the gather written out here, on the automorphism
// permutations (the SIMD kernels' block path), on arbitrary permutations and
// index maps (their word-by-word path), and on lengths that are not multiples
// of the vector width (their tails, and the guard that keeps a block load
// inside the input).
std::vector<u64> gather(const std::vector<u64>& in, const std::vector<std::uint32_t>& perm) {
  std::vector<u64> out(perm.size());
  for (std::size_t i = 0; i < perm.size(); ++i) out[i] = in[perm[i]];
  return out;
}

void expect_kernel_gathers(const AutomorphismKernels& k, const std::vector<u64>& in,
                           const std::vector<std::uint32_t>& perm, const std::string& what) {
  std::vector<u64> out(perm.size() + 1, 0xdeadbeef);  // one guard word past the end
  k.eval(in.data(), out.data(), perm.size(), perm.data());
  EXPECT_EQ(out.back(), 0xdeadbeefu) << what << ": wrote past n";
  out.pop_back();
  EXPECT_EQ(out, gather(in, perm)) << what;
}

TEST(PolyAutomorphismKernels, EveryPathGathersLikeTheIndexLoop) {
  for (const SimdPath p : test::supported_paths()) {
    const AutomorphismKernels& k = automorphism_kernels(p);
    for (std::size_t n : {std::size_t{8}, std::size_t{64}, std::size_t{4096}, std::size_t{1} << 15}) {
      const auto in = test::insecure_uniform(n, ~u64{0});
      for (u64 g : {u64{5}, u64{25}, u64{3}, u64{2 * n - 1}, (u64{5} * 5 * 5 * 5 * 5) % (2 * n)}) {
        expect_kernel_gathers(k, in, automorphism_eval_permutation(n, g),
                              "path " + std::to_string(static_cast<int>(p)) + " n=" + std::to_string(n) +
                                  " k=" + std::to_string(g));
      }
      // An arbitrary permutation: almost no group has one source group.
      std::vector<std::uint32_t> shuffled(n);
      std::iota(shuffled.begin(), shuffled.end(), 0u);
      std::shuffle(shuffled.begin(), shuffled.end(), test::insecure_rng());
      expect_kernel_gathers(k, in, shuffled, "shuffled n=" + std::to_string(n));
      // Mixed: the automorphism's permutation with every third group broken up.
      auto mixed = automorphism_eval_permutation(n, 5);
      for (std::size_t i = 0; i + 8 <= n; i += 24) std::swap(mixed[i + 1], mixed[(i + n / 2 + 3) % n]);
      expect_kernel_gathers(k, in, mixed, "mixed n=" + std::to_string(n));
    }
    // Lengths that are not multiples of 4 or 8, with maps that are not
    // permutations (repeated indices) and indices near the end of the input.
    for (std::size_t n : {std::size_t{1}, std::size_t{3}, std::size_t{7}, std::size_t{12}, std::size_t{13},
                          std::size_t{21}, std::size_t{100}}) {
      const auto in = test::insecure_uniform(n, ~u64{0});
      std::vector<std::uint32_t> rev(n), last(n, static_cast<std::uint32_t>(n - 1)), blocks(n);
      for (std::size_t i = 0; i < n; ++i) {
        rev[i] = static_cast<std::uint32_t>(n - 1 - i);
        // Groups of 8 that point at the aligned group holding i, in reverse
        // order: the block path where it fits, the guard where it would not.
        blocks[i] = static_cast<std::uint32_t>(std::min(n - 1, (i & ~std::size_t{7}) + 7 - (i & 7)));
      }
      expect_kernel_gathers(k, in, rev, "reversed n=" + std::to_string(n));
      expect_kernel_gathers(k, in, last, "constant n=" + std::to_string(n));
      expect_kernel_gathers(k, in, blocks, "blocks n=" + std::to_string(n));
      // A full first group whose sources all lie in the last, partial aligned
      // group: one block load would read past the input (ASan's builds see it).
      if (n > 8 && n % 8 != 0) {
        std::vector<std::uint32_t> tail_src(n);
        std::iota(tail_src.begin(), tail_src.end(), 0u);
        for (std::size_t i = 0; i < 8; ++i) tail_src[i] = static_cast<std::uint32_t>((n & ~std::size_t{7}) + i % (n % 8));
        expect_kernel_gathers(k, in, tail_src, "tail sources n=" + std::to_string(n));
      }
    }
  }
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
