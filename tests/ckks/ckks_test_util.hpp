// tests/ckks/ckks_test_util.hpp — shared fixtures for the CKKS suites.
#pragma once

#include <cmath>
#include <complex>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include <memory>

#include "ckks/context.hpp"
#include "ckks/encoder.hpp"
#include "ckks/encryptor.hpp"
#include "ckks/keys.hpp"
#include "ckks/params.hpp"
#include "poly/primes.hpp"
#include "test_util.hpp"

namespace tower::test {

/// -log2 of the largest absolute error between two vectors (the precision in bits).
template <class A, class B>
double precision_bits(const std::vector<A>& got, const std::vector<B>& want) {
  double worst = 0;
  for (std::size_t i = 0; i < want.size(); ++i) worst = std::max(worst, std::abs(got[i] - want[i]));
  return worst == 0 ? 100.0 : -std::log2(worst);
}

/// n random complex values with real and imaginary parts uniform in [-bound, bound].
inline std::vector<std::complex<double>> insecure_complex(std::size_t n, double bound = 1.0) {
  std::uniform_real_distribution<double> d(-bound, bound);
  std::vector<std::complex<double>> v(n);
  for (auto& x : v) x = {d(insecure_rng()), d(insecure_rng())};
  return v;
}

inline std::vector<double> insecure_real(std::size_t n, double bound = 1.0) {
  std::uniform_real_distribution<double> d(-bound, bound);
  std::vector<double> v(n);
  for (auto& x : v) x = d(insecure_rng());
  return v;
}

/// A 128-bit secure test set at N = 2^14: q_0 of log_q0 bits, `depth` primes
/// near 2^40, scale 2^40, special primes from the chooser. The caller keeps
/// log QP <= 438 (the chooser refuses otherwise).
inline ckks::Params test_params_n14(int depth, std::size_t dnum, int log_q0 = 60) {
  return ckks::Params::choose(16384, depth, 40, log_q0, dnum);
}

/// insecure_: a small N = 2^11 set for fast structural tests (the security check
/// is waived explicitly; never use such parameters for data).
inline ckks::Params insecure_params_n11(int depth = 3, std::size_t dnum = 2) {
  ckks::ParamsLiteral lit;
  lit.n = 2048;
  lit.q = {poly::ntt_primes(55, 2048, 1)[0]};
  const auto r = poly::ntt_primes_near(std::uint64_t{1} << 40, 2048, depth, lit.q);
  lit.q.insert(lit.q.end(), r.begin(), r.end());
  lit.p = poly::ntt_primes(58, 2048, 2);
  lit.dnum = dnum;
  lit.scale = std::exp2(40);
  lit.allow_insecure = true;
  return ckks::Params::create(lit);
}

/// A suite-wide context (N = 2^14, depth 4, dnum 3), key generator and public
/// key, built once per suite, with encrypt/decrypt helpers for complex vectors.
class KeyedCkksSuite : public ::testing::Test {
 protected:
  using cvec = std::vector<std::complex<double>>;

  static void SetUpTestSuite() {
    ctx_ = ckks::Context::create(test_params_n14(4, 3));
    keygen_ = std::make_unique<ckks::KeyGenerator>(ctx_);
    pk_ = std::make_unique<ckks::PublicKey>(keygen_->create_public_key());
  }
  static void TearDownTestSuite() {
    pk_.reset();
    keygen_.reset();
    ctx_.reset();
  }
  ckks::Ciphertext enc(const cvec& v, std::size_t level) const {
    return ckks::Encryptor(ctx_, *pk_).encrypt(ckks::Encoder(ctx_).encode(v, level, ctx_->params().scale()));
  }
  cvec dec(const ckks::Ciphertext& ct) const {
    return ckks::Encoder(ctx_).decode(ckks::Decryptor(ctx_, keygen_->secret_key()).decrypt(ct));
  }

  static inline std::shared_ptr<const ckks::Context> ctx_;
  static inline std::unique_ptr<ckks::KeyGenerator> keygen_;
  static inline std::unique_ptr<ckks::PublicKey> pk_;
};

}  // namespace tower::test
