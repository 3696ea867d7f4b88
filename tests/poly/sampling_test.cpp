// Tests for poly/sampling.hpp: statistics against the intended distributions,
// with bounds loose enough for random variation (about 5-6 standard deviations)
// and tight enough to catch a wrong distribution (modulo bias, a wrong sigma,
// an unbalanced ternary draw).
#include "poly/sampling.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <stdexcept>
#include <vector>

#include "poly/primes.hpp"
#include "test_util.hpp"

namespace tower::poly {
namespace {

constexpr std::size_t kN = std::size_t{1} << 16;

std::shared_ptr<const RnsBase> base3() {
  // Primes just above a power of two, where a modulo-reduced draw would be
  // visibly biased, plus a 30-bit one.
  static const auto b = [] {
    std::vector<u64> ps;
    for (int bits : {50, 40}) {
      const u64 lo = u64{1} << (bits - 1);
      u64 c = lo + 1;
      while (!is_prime(c)) c += 2 * kN;  // c = 1 mod 2N
      ps.push_back(c);
    }
    ps.push_back(ntt_primes(30, kN, 1)[0]);
    return std::make_shared<const RnsBase>(kN, ps);
  }();
  return b;
}

// Signed value of coefficient j on limb 0, checking every limb agrees.
std::int64_t signed_coeff(const RnsPoly& p, std::size_t j) {
  const u64 q0 = p.base()->modulus(0).value();
  const u64 v = p.limb(0)[j];
  const std::int64_t s = v > q0 / 2 ? -static_cast<std::int64_t>(q0 - v) : static_cast<std::int64_t>(v);
  for (std::size_t i = 1; i < p.size(); ++i) {
    const u64 qi = p.base()->modulus(i).value();
    const u64 expect = s < 0 ? qi - static_cast<u64>(-s) : static_cast<u64>(s);
    EXPECT_EQ(p.limb(i)[j], expect);
  }
  return s;
}

TEST(PolySampling, UniformIsBelowQAndUnbiased) {
  SystemPrng prng;
  RnsPoly p(base3());
  sample_uniform(prng, p);
  for (std::size_t i = 0; i < p.size(); ++i) {
    const u64 q = p.base()->modulus(i).value();
    // 16 equal-width bins of [0, q): chi-square with 15 degrees of freedom.
    // A draw reduced "mod q" from bits(q) bits would fill the low bins twice as
    // often (q is just above 2^(bits-1)) and score in the thousands.
    std::vector<double> bins(16, 0.0);
    for (std::size_t j = 0; j < kN; ++j) {
      const u64 v = p.limb(i)[j];
      ASSERT_LT(v, q);
      bins[static_cast<std::size_t>(static_cast<long double>(v) / q * 16)] += 1;
    }
    double chi2 = 0;
    for (double b : bins) chi2 += (b - kN / 16.0) * (b - kN / 16.0) / (kN / 16.0);
    EXPECT_LT(chi2, 60.0) << "limb " << i;  // P(chi2_15 > 60) ~ 1e-7
  }
}

TEST(PolySampling, SeedExpansionIsDeterministicAndSeparated) {
  const Seed s1 = random_seed(), s2 = random_seed();
  ASSERT_NE(s1, s2);
  RnsPoly a(base3()), b(base3()), c(base3()), d(base3());
  {
    SeededPrng g(s1);
    sample_uniform(g, a);
  }
  {
    SeededPrng g(s1);
    sample_uniform(g, b);
  }
  {
    SeededPrng g(s2);
    sample_uniform(g, c);
  }
  {
    SeededPrng g(s1, /*domain=*/1);
    sample_uniform(g, d);
  }
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  EXPECT_NE(a, d);
}

TEST(PolySampling, TernaryIsUniformOnMinusOneZeroOne) {
  SystemPrng prng;
  RnsPoly p(base3());
  sample_ternary(prng, p);
  std::map<std::int64_t, double> count;
  for (std::size_t j = 0; j < kN; ++j) count[signed_coeff(p, j)] += 1;
  ASSERT_EQ(count.size(), 3u);
  const double sd = std::sqrt(kN * (1.0 / 3) * (2.0 / 3));
  for (std::int64_t v : {-1, 0, 1}) EXPECT_NEAR(count[v], kN / 3.0, 6 * sd) << v;
}

TEST(PolySampling, HammingWeightIsExact) {
  SystemPrng prng;
  RnsPoly p(base3());
  for (std::size_t h : {std::size_t{0}, std::size_t{64}, std::size_t{192}, kN}) {
    sample_ternary_hamming(prng, p, h);
    std::size_t nonzero = 0, plus = 0;
    for (std::size_t j = 0; j < kN; ++j) {
      const auto v = signed_coeff(p, j);
      ASSERT_LE(std::abs(v), 1);
      nonzero += v != 0;
      plus += v == 1;
    }
    EXPECT_EQ(nonzero, h);
    if (h >= 192) EXPECT_NEAR(static_cast<double>(plus), h / 2.0, 6 * std::sqrt(h / 4.0));
  }
  EXPECT_THROW(sample_ternary_hamming(prng, p, kN + 1), std::invalid_argument);
}

// The non-zero positions are uniform: over many draws every sixteenth of the
// index range, by high bits and by low bits, gets its share (a sampler that
// left the non-zeros at the front, or on one parity, fails at once).
TEST(PolySampling, HammingPositionsAreUniform) {
  SystemPrng prng;
  const std::size_t n = 4096, h = 16, draws = 2000;
  const auto base = std::make_shared<const RnsBase>(n, ntt_primes(50, n, 1));
  RnsPoly p(base);
  std::vector<double> by_high(16, 0), by_low(16, 0);
  for (std::size_t d = 0; d < draws; ++d) {
    sample_ternary_hamming(prng, p, h);
    std::size_t nonzero = 0;
    for (std::size_t j = 0; j < n; ++j) {
      if (signed_coeff(p, j) != 0) {
        by_high[j / (n / 16)] += 1;
        by_low[j % 16] += 1;
        ++nonzero;
      }
    }
    ASSERT_EQ(nonzero, h);
  }
  const double expect = static_cast<double>(h * draws) / 16, sd = std::sqrt(expect * 15.0 / 16.0);
  for (std::size_t b = 0; b < 16; ++b) {
    EXPECT_NEAR(by_high[b], expect, 6 * sd) << "sixteenth " << b;
    EXPECT_NEAR(by_low[b], expect, 6 * sd) << "residue " << b << " mod 16";
  }
}

TEST(PolySampling, GaussianHasTheRightMomentsAndShape) {
  SystemPrng prng;
  RnsPoly p(base3());
  const double sigma = kGaussianSigma;
  const int bound = static_cast<int>(std::floor(6 * sigma));
  std::map<std::int64_t, double> count;
  double sum = 0, sum2 = 0;
  for (int rep = 0; rep < 4; ++rep) {
    sample_gaussian(prng, p, sigma);
    for (std::size_t j = 0; j < kN; ++j) {
      const auto v = signed_coeff(p, j);
      ASSERT_LE(std::abs(v), bound);
      count[v] += 1;
      sum += v;
      sum2 += static_cast<double>(v) * v;
    }
  }
  const double total = 4.0 * kN;
  EXPECT_NEAR(sum / total, 0.0, 6 * sigma / std::sqrt(total));
  EXPECT_NEAR(sum2 / total, sigma * sigma, 6 * sigma * sigma * std::sqrt(2.0 / total));
  // Chi-square against the discrete Gaussian pmf over |x| <= 8 (expected counts > 5).
  double norm = 0;
  for (int k = -bound; k <= bound; ++k) norm += std::exp(-k * k / (2 * sigma * sigma));
  double chi2 = 0;
  for (int k = -8; k <= 8; ++k) {
    const double e = total * std::exp(-k * k / (2 * sigma * sigma)) / norm;
    chi2 += (count[k] - e) * (count[k] - e) / e;
  }
  EXPECT_LT(chi2, 60.0);  // 16 degrees of freedom
  EXPECT_THROW(sample_gaussian(prng, p, 0.0), std::invalid_argument);
}

}  // namespace
}  // namespace tower::poly
