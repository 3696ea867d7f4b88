// ckks/params.hpp — CKKS parameters: a plain literal, checked into an immutable set.
//
// The ciphertext modulus is a chain Q = q_0 * q_1 * ... * q_L. A fresh ciphertext
// lives at level L (all L+1 primes); each rescale divides by the last prime and
// drops it, so q_1..q_L should be close to the scale Delta (the scale then stays
// nearly constant, Cheon–Han–Kim–Kim–Song 2018, section 3) and q_0 large enough
// for the final result's precision (log q_0 - log Delta bits of integer part).
//
// Key switching is hybrid (Han, Ki 2020): the L+1 primes are split into dnum
// digits of about (L+1)/dnum primes each, and keys live modulo Q*P where the
// special primes P should exceed every digit's product, so that the noise of the
// switch is divided away by P. Larger dnum: smaller P (more room for Q under the
// security bound) but more key material and more NTTs per switch.
//
// Security: log2(QP) is checked against the HE standard table (ckks/security.hpp)
// for uniform ternary secrets. Parameters over the bound are refused unless the
// literal sets allow_insecure, which is printed to stderr and recorded
// (Params::security_waived).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "ckks/security.hpp"

namespace tower::ckks {

using u64 = std::uint64_t;

/// Distribution of the secret key's coefficients.
struct SecretDistribution {
  enum class Kind {
    uniform_ternary,  ///< each coefficient uniform in {-1, 0, 1} (what the HE standard table assumes)
    sparse_ternary,   ///< exactly hamming_weight non-zero coefficients in {-1, 1}
  };
  Kind kind = Kind::uniform_ternary;
  std::size_t hamming_weight = 0;
};

/// Everything a parameter set says, unchecked. Fill it, then Params::create().
struct ParamsLiteral {
  std::size_t n = 0;            ///< ring dimension N, a power of two in [2^10, 2^17]
  std::vector<u64> q;           ///< ciphertext primes q_0 .. q_L
  std::vector<u64> p;           ///< special primes of key switching (at least one)
  std::size_t dnum = 0;         ///< key-switching digits, 1 .. L+1; 0 = the smallest with every digit below P
  double scale = 0;             ///< default scale Delta; 0 = 2^round(log2 q_L), halved until below q_0/2
  SecretDistribution secret{};  ///< secret key distribution
  SecurityLevel security = SecurityLevel::tc128;
  bool allow_insecure = false;  ///< explicit opt-out of the security check (printed, recorded)
};

/// A checked, immutable CKKS parameter set.
class Params {
 public:
  /// Check a literal.
  /// @throws std::invalid_argument naming the problem if: n is not a power of two
  ///   in [2^10, 2^17]; q or p is empty; a prime is not prime, not 1 mod 2n,
  ///   61 bits or more, or repeated; dnum is not in [1, L+1]; the scale is not
  ///   in [2, q_0); a sparse secret's Hamming weight is 0 or above n; or log2(QP)
  ///   exceeds the security bound (the message gives the bound and the actual
  ///   value) and allow_insecure is not set. A sparse secret is outside the
  ///   table's assumptions, so it also needs allow_insecure.
  static Params create(const ParamsLiteral& literal);

  /// Build a chain and check it: q_0 of log_q0 bits, `depth` rescaling primes
  /// nearest 2^log_scale, scale 2^log_scale, and enough 60-bit special primes to
  /// exceed the largest of `dnum` digits.
  /// @throws std::invalid_argument as create(), or for out-of-range arguments.
  static Params choose(std::size_t n, int depth, int log_scale, int log_q0, std::size_t dnum,
                       SecurityLevel security = SecurityLevel::tc128);

  /// SEAL's benchmark sets, prime for prime in size; the last prime is the
  /// single special prime, so dnum = number of ciphertext primes (each digit
  /// one prime, as SEAL's key switching does).
  static Params seal_8192();   ///< primes of 43, 43, 44, 44 | 44 bits (log QP 218), scale 2^40
  static Params seal_16384();  ///< 48 x3, 49 x5 | 49 bits (log QP 438), scale 2^45
  static Params seal_32768();  ///< 55 x15 | 56 bits (log QP 881), scale 2^50
  /// The working point of encrypted ResNet inference: N = 2^16, a 60-bit q_0 and
  /// 30 primes of 40 bits (log Q 1260), 8 special primes of 60 bits (log P 480),
  /// dnum = 3 — OpenFHE's choice for depth 30 at 128 bits.
  static Params resnet_65536();
  /// N = 2^17 from the chooser: depth 50, scale 2^50, 60-bit q_0, dnum 3.
  static Params n131072();

  std::size_t n() const noexcept { return lit_.n; }
  std::size_t slots() const noexcept { return lit_.n / 2; }
  /// L: the highest level (number of rescaling primes).
  std::size_t max_level() const noexcept { return lit_.q.size() - 1; }
  const std::vector<u64>& q() const noexcept { return lit_.q; }
  const std::vector<u64>& p() const noexcept { return lit_.p; }
  std::size_t dnum() const noexcept { return lit_.dnum; }
  /// First prime index of digit j, for j = 0..dnum (digit j is [start(j), start(j+1))).
  std::size_t digit_start(std::size_t j) const noexcept { return digit_start_[j]; }
  double scale() const noexcept { return lit_.scale; }
  const SecretDistribution& secret() const noexcept { return lit_.secret; }
  SecurityLevel security() const noexcept { return lit_.security; }
  double log_q() const noexcept { return log_q_; }
  double log_p() const noexcept { return log_p_; }
  double log_qp() const noexcept { return log_q_ + log_p_; }
  /// True when the caller opted out and the set is over the bound (or sparse).
  bool security_waived() const noexcept { return waived_; }
  /// A one-line account of the security check.
  const std::string& security_note() const noexcept { return note_; }
  /// The literal this set was built from (with defaults filled in).
  const ParamsLiteral& literal() const noexcept { return lit_; }

  /// A 64-bit digest (FNV-1a) of everything that changes the mathematics: N,
  /// the primes, dnum, the scale and the secret distribution (not the security
  /// policy). Contexts, keys and serialized objects carry it to tell parameter
  /// sets apart; it is not a cryptographic commitment.
  u64 hash() const noexcept;

  /// A short multi-line description (N, primes, log Q, log P, dnum, scale, security).
  std::string describe() const;

 private:
  Params() = default;
  ParamsLiteral lit_;
  std::vector<std::size_t> digit_start_;
  double log_q_ = 0, log_p_ = 0;
  bool waived_ = false;
  std::string note_;
};

}  // namespace tower::ckks
