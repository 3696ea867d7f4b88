// poly/sampling.hpp — random polynomials from a cryptographic generator.
//
// Every random bit in tower comes from libsodium: the OS-seeded CSPRNG
// (randombytes_buf) for secrets and fresh seeds, or ChaCha20 keyed by a 32-byte
// seed to expand a uniform polynomial deterministically (a public key's or a
// seeded ciphertext's "a" part is then stored as its seed: half the size).
//
// Samplers write the same small integer into every limb of an RnsPoly, in
// coefficient form. Distributions:
//  * uniform mod q_i on each limb (uniform mod Q by the CRT), by rejection of
//    masked 64-bit words: no modulo bias;
//  * uniform ternary {-1, 0, 1}, each with probability 1/3 (byte rejection);
//  * ternary with a fixed Hamming weight h (h positions uniformly, random signs);
//  * centred discrete Gaussian, sigma = 3.2 by default, bounded by 6 sigma,
//    by inversion of a 63-bit cumulative table scanned in full for every sample
//    (no early exit, so time does not depend on the value drawn).
// Generator buffers are wiped (sodium_memzero) before each refill and when freed.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "poly/rns_poly.hpp"

namespace tower::poly {

/// A 32-byte seed for deterministic expansion.
using Seed = std::array<std::uint8_t, 32>;

/// A source of random bytes, buffered. Not thread-safe: one per thread.
class Prng {
 public:
  virtual ~Prng();
  Prng(const Prng&) = delete;
  Prng& operator=(const Prng&) = delete;

  /// Fill `out` with random bytes.
  void fill(std::span<std::uint8_t> out);
  /// The next 64 random bits.
  std::uint64_t next_u64();
  /// The next random byte.
  std::uint8_t next_byte();

 protected:
  Prng() = default;
  /// Produce exactly out.size() fresh bytes.
  virtual void generate(std::span<std::uint8_t> out) = 0;

 private:
  void refill();
  static constexpr std::size_t kBuffer = 4096;
  std::array<std::uint8_t, kBuffer> buf_{};
  std::size_t pos_ = kBuffer;
};

/// libsodium's CSPRNG (randombytes_buf: getrandom / the OS generator).
class SystemPrng final : public Prng {
 public:
  /// @throws std::runtime_error if libsodium cannot initialize.
  SystemPrng();

 protected:
  void generate(std::span<std::uint8_t> out) override;
};

/// ChaCha20 (IETF) keystream keyed by a seed: the same seed gives the same bytes.
class SeededPrng final : public Prng {
 public:
  /// `domain` separates independent streams from one seed (it is the nonce).
  explicit SeededPrng(const Seed& seed, std::uint64_t domain = 0);
  ~SeededPrng() override;

 protected:
  void generate(std::span<std::uint8_t> out) override;

 private:
  Seed key_;
  std::array<std::uint8_t, 12> nonce_{};
  std::uint32_t block_ = 0;
};

/// A fresh seed from the system CSPRNG.
Seed random_seed();

/// Every limb uniform in [0, q_i). Writes values only; the form flag is kept
/// (a uniform polynomial is uniform in either form).
void sample_uniform(Prng& prng, RnsPoly& out);

/// Uniform ternary coefficients in {-1, 0, 1}; sets coefficient form.
void sample_ternary(Prng& prng, RnsPoly& out);

/// Ternary with exactly h non-zero coefficients (random signs) at uniformly
/// random positions, placed by a data-oblivious sort (no secret-dependent
/// memory access); sets coefficient form. @throws std::invalid_argument if h > n.
void sample_ternary_hamming(Prng& prng, RnsPoly& out, std::size_t hamming_weight);

/// Default error distribution of the HE standard.
inline constexpr double kGaussianSigma = 3.2;

/// Centred discrete Gaussian with parameter sigma (standard deviation of the
/// continuous Gaussian it discretizes), tails cut at |x| <= floor(6 sigma); sets
/// coefficient form.
/// @throws std::invalid_argument if sigma is not in (0, 64].
void sample_gaussian(Prng& prng, RnsPoly& out, double sigma = kGaussianSigma);

}  // namespace tower::poly
