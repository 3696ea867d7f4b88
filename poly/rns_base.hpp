// poly/rns_base.hpp — a residue number system: N and a list of NTT-friendly primes.
//
// A polynomial modulo Q = q_0 * ... * q_{k-1} is stored as k residue polynomials
// ("limbs" or "towers"), one per prime (Chinese remainder theorem). An RnsBase
// owns, per prime, its Modulus and NTT tables, and the CRT constants
// Q/q_i mod q_i and (Q/q_i)^-1 mod q_i that reconstruction and base conversion
// need. Sub-bases (a prefix of the primes, as CKKS levels use) share the NTT
// tables of the base they come from, and its memory pool: polynomials over a
// base with a pool (poly/memory_pool.hpp) take their storage from it.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include "poly/memory_pool.hpp"
#include "poly/modulus.hpp"
#include "poly/ntt.hpp"

namespace tower::poly {

class RnsBase {
 public:
  /// @throws std::invalid_argument if the list is empty, a modulus repeats, or
  ///         any modulus is not a prime = 1 (mod 2n) below 2^61, or n is not a
  ///         power of two in [2^3, 2^17].
  RnsBase(std::size_t n, const std::vector<u64>& primes);

  /// The first `count` primes of this base, sharing its NTT tables.
  /// @throws std::invalid_argument if count is 0 or larger than size().
  RnsBase prefix(std::size_t count) const;

  /// The primes at `indices` (in that order), sharing this base's NTT tables.
  /// @throws std::invalid_argument if indices is empty, repeats, or is out of range.
  RnsBase select(const std::vector<std::size_t>& indices) const;

  /// This base followed by the primes of `other` (same n; primes must stay distinct).
  /// @throws std::invalid_argument on a different n or a repeated prime.
  RnsBase extend(const RnsBase& other) const;

  std::size_t n() const noexcept { return n_; }
  std::size_t size() const noexcept { return moduli_.size(); }
  const Modulus& modulus(std::size_t i) const noexcept { return moduli_[i]; }
  const std::vector<Modulus>& moduli() const noexcept { return moduli_; }
  const NttTables& ntt(std::size_t i) const noexcept { return *ntt_[i]; }

  /// (Q/q_i)^-1 mod q_i and its Shoup companion.
  u64 q_hat_inv(std::size_t i) const noexcept { return q_hat_inv_[i]; }
  u64 q_hat_inv_shoup(std::size_t i) const noexcept { return q_hat_inv_shoup_[i]; }
  /// Q/q_i mod q_j.
  u64 q_hat_mod(std::size_t i, std::size_t j) const noexcept { return q_hat_mod_[i * size() + j]; }

  /// Q = prod q_i as little-endian 64-bit words.
  const std::vector<u64>& product() const noexcept { return product_; }

  /// CRT reconstruction of one coefficient: residues[i] (in [0, q_i)) -> the
  /// integer in [0, Q) as little-endian words (size() words suffice).
  std::vector<u64> compose(const u64* residues) const;

  /// This base with polynomials over it (and over its prefixes, selections and
  /// extensions) allocated from `pool`; null: from the heap. The pool does not
  /// take part in equality.
  RnsBase with_pool(std::shared_ptr<MemoryPool> pool) const;
  /// The pool polynomials over this base allocate from (may be null).
  const std::shared_ptr<MemoryPool>& pool() const noexcept { return pool_; }

  /// Same primes and n.
  bool operator==(const RnsBase& other) const noexcept;

 private:
  RnsBase() = default;
  void init_crt();

  std::size_t n_ = 0;
  std::vector<Modulus> moduli_;
  std::vector<std::shared_ptr<const NttTables>> ntt_;
  std::vector<u64> q_hat_inv_, q_hat_inv_shoup_, q_hat_mod_;
  std::vector<u64> product_;
  std::shared_ptr<MemoryPool> pool_;
};

}  // namespace tower::poly
