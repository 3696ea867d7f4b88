// ckks/galois.hpp — Galois elements and Galois (rotation) keys.
//
// Slot j of a CKKS plaintext is its value at zeta^(5^j) (ckks/encoder.hpp), so the
// automorphism sigma_k: X -> X^k with k = 5^r mod 2N moves slot j+r to slot j: a
// left rotation by r. k = 2N - 1 maps every root to its conjugate: complex
// conjugation of every slot. Applying sigma_k to a ciphertext gives an encryption
// under sigma_k(s); a Galois key for k switches it back to s
// (ckks/keyswitch.hpp).
//
// GaloisKeys is evaluation material (a server may hold it): a set of keys by
// Galois element, each optionally generated only for levels <= some level
// (fewer towers, smaller). Keys can be released to bound memory and inspected
// for their size.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <vector>

#include "ckks/keys.hpp"

namespace tower::ckks {

/// 5^step mod 2n for a left rotation by `step` slots (negative: right). The step
/// is taken modulo n/2, the number of slots.
u64 galois_element_for_rotation(std::int64_t step, std::size_t n);

/// 2n - 1: complex conjugation of every slot.
inline u64 galois_element_for_conjugation(std::size_t n) noexcept { return 2 * static_cast<u64>(n) - 1; }

/// The rotation step (in [0, n/2)) of a Galois element 5^r, or -1 if it is not a
/// power of 5 (e.g. the conjugation element).
std::int64_t rotation_step_of(u64 galois_element, std::size_t n);

class GaloisKeys {
 public:
  explicit GaloisKeys(std::shared_ptr<const Context> context) : context_(std::move(context)) {}

  const std::shared_ptr<const Context>& context() const noexcept { return context_; }

  /// Add (or replace) the key of one Galois element.
  /// @throws std::invalid_argument if the key belongs to another context.
  void insert(u64 galois_element, KeySwitchKey key);
  bool contains(u64 galois_element) const noexcept { return keys_.count(galois_element) != 0; }
  /// @throws std::invalid_argument naming the rotation step (or conjugation) if absent.
  const KeySwitchKey& at(u64 galois_element) const;
  /// The evaluation-form slot permutation of a held element (computed once, at insert).
  /// @throws std::invalid_argument as at().
  const std::vector<std::uint32_t>& permutation(u64 galois_element) const;
  /// Free one key's memory (e.g. after the stage that needed it); returns whether it was held.
  bool release(u64 galois_element) noexcept {
    perms_.erase(galois_element);
    return keys_.erase(galois_element) != 0;
  }
  void clear() noexcept {
    keys_.clear();
    perms_.clear();
  }

  /// The Galois elements held, in increasing order.
  std::vector<u64> elements() const;
  std::size_t size() const noexcept { return keys_.size(); }
  /// Bytes held by all keys (expanded form).
  std::size_t byte_size() const noexcept;
  /// Bytes held by the key of one element (0 if absent).
  std::size_t byte_size(u64 galois_element) const noexcept;

 private:
  std::shared_ptr<const Context> context_;
  std::map<u64, KeySwitchKey> keys_;
  std::map<u64, std::vector<std::uint32_t>> perms_;
};

/// Galois keys for left rotations by every step in `steps` (negative = right),
/// plus conjugation if asked, for levels <= `level` (default: all levels).
/// @throws std::out_of_range if level > max level.
GaloisKeys create_galois_keys(const KeyGenerator& keygen, const std::vector<std::int64_t>& steps,
                              bool conjugation = false, std::size_t level = static_cast<std::size_t>(-1));

/// The key of one Galois element (for callers that manage keys themselves), in
/// the permuted form of KeyGenerator::create_galois_key.
KeySwitchKey create_galois_key(const KeyGenerator& keygen, u64 galois_element,
                               std::size_t level = static_cast<std::size_t>(-1));

}  // namespace tower::ckks
