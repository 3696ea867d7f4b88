// Tests for poly/primes.hpp: primality against NTL, NTT-friendliness, roots of unity.
#include "poly/primes.hpp"

#include <NTL/ZZ.h>
#include <NTL/ZZ_pXFactoring.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <stdexcept>

#include "poly/modulus.hpp"
#include "test_util.hpp"

namespace tower::poly {
namespace {

NTL::ZZ to_zz(std::uint64_t x) {
  NTL::ZZ z;
  NTL::conv(z, static_cast<unsigned long>(x));
  return z;
}

TEST(PolyPrimes, IsPrimeAgreesWithNtl) {
  // Random odd numbers of every size, plus strong pseudoprimes to several bases
  // and Carmichael numbers, which a weak test would accept.
  std::vector<std::uint64_t> xs = {0, 1, 2, 3, 4, 561, 1105, 1729, 2047, 3215031751ULL, 341550071728321ULL,
                                   3825123056546413051ULL};
  for (int bits = 2; bits <= 64; ++bits) {
    for (auto x : test::insecure_uniform(40, bits == 64 ? ~0ULL : (1ULL << bits))) xs.push_back(x | 1);
  }
  for (auto x : xs) ASSERT_EQ(is_prime(x), NTL::ProbPrime(to_zz(x), 40) != 0) << x;
}

TEST(PolyPrimes, NttPrimesHaveTheRequestedShape) {
  for (std::size_t n : {std::size_t{1} << 10, std::size_t{1} << 16, std::size_t{1} << 17}) {
    for (int bits : {30, 40, 50, 60, 61}) {
      const auto ps = ntt_primes(bits, n, 5);
      ASSERT_EQ(ps.size(), 5u);
      ASSERT_EQ(std::set<std::uint64_t>(ps.begin(), ps.end()).size(), 5u);
      for (auto q : ps) {
        EXPECT_TRUE(NTL::ProbPrime(to_zz(q), 40));
        EXPECT_EQ(q % (2 * n), 1u);
        EXPECT_EQ(64 - __builtin_clzll(q), bits);
      }
      EXPECT_TRUE(std::is_sorted(ps.rbegin(), ps.rend()));
    }
  }
}

TEST(PolyPrimes, NearPrimesAreTheClosestOnes) {
  const std::size_t n = 1 << 12;
  const std::uint64_t target = std::uint64_t{1} << 40;
  const auto ps = ntt_primes_near(target, n, 6);
  ASSERT_EQ(ps.size(), 6u);
  std::uint64_t farthest = 0;
  for (auto q : ps) {
    EXPECT_TRUE(is_prime(q));
    EXPECT_EQ(q % (2 * n), 1u);
    farthest = std::max(farthest, q > target ? q - target : target - q);
  }
  // No NTT-friendly prime strictly closer than the farthest one was skipped.
  for (std::uint64_t c = (target - farthest) / (2 * n) * (2 * n) + 1; c <= target + farthest; c += 2 * n) {
    const std::uint64_t d = c > target ? c - target : target - c;
    if (d < farthest && is_prime(c)) EXPECT_NE(std::find(ps.begin(), ps.end(), c), ps.end()) << c;
  }
  // Excluded primes are skipped.
  const auto more = ntt_primes_near(target, n, 3, ps);
  for (auto q : more) EXPECT_EQ(std::find(ps.begin(), ps.end(), q), ps.end());
}

TEST(PolyPrimes, PrimitiveRootIsPrimitiveAndSmallest) {
  for (std::size_t n : {std::size_t{8}, std::size_t{1} << 10, std::size_t{1} << 14}) {
    const std::uint64_t q = ntt_primes(50, n, 1)[0];
    const Modulus m(q);
    const std::uint64_t psi = primitive_root_2n(q, n);
    EXPECT_EQ(m.pow(psi, n), q - 1);      // psi^n = -1, so its order is exactly 2n
    EXPECT_EQ(m.pow(psi, 2 * n), 1u);
    if (n <= 1024) {  // psi is the smallest root of X^n + 1, whose roots NTL finds
      NTL::ZZ_pPush push;
      NTL::ZZ_p::init(to_zz(q));
      NTL::ZZ_pX f;
      NTL::SetCoeff(f, static_cast<long>(n), 1);
      NTL::SetCoeff(f, 0, 1);
      NTL::vec_ZZ_p roots;
      NTL::FindRoots(roots, f);
      ASSERT_EQ(roots.length(), static_cast<long>(n));
      std::uint64_t smallest = q;
      for (long i = 0; i < roots.length(); ++i)
        smallest = std::min<std::uint64_t>(smallest, NTL::conv<unsigned long>(NTL::rep(roots[i])));
      EXPECT_EQ(psi, smallest);
    }
  }
}

TEST(PolyPrimesErrors, BadArgumentsThrow) {
  EXPECT_THROW(ntt_primes(50, 1000, 1), std::invalid_argument);  // n not a power of two
  EXPECT_THROW(ntt_primes(62, 1024, 1), std::invalid_argument);  // too wide
  EXPECT_THROW(ntt_primes(10, 1024, 1), std::invalid_argument);  // too narrow for 2n
  EXPECT_THROW(ntt_primes(14, 1024, 100), std::invalid_argument);  // not enough primes
  EXPECT_THROW(primitive_root_2n(1000001, 8), std::invalid_argument);  // composite
  EXPECT_THROW(primitive_root_2n(1073479681, std::size_t{1} << 20), std::invalid_argument);  // not 1 mod 2n
  EXPECT_THROW(ntt_primes_near(10, 1024, 1), std::invalid_argument);
}

}  // namespace
}  // namespace tower::poly
