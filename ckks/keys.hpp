// ckks/keys.hpp — secret, public and key-switching keys, and their generator.
//
// Roles: the secret key never leaves the client. PublicKey and KeySwitchKey
// (relinearization now, Galois keys next) are evaluation material a server may
// hold; none of them can reach the secret key.
//
// Seeds: the uniform half `a` of every public or key-switching key is expanded
// from a 32-byte seed (ChaCha20, poly/sampling.hpp), and the key keeps the seed,
// so storing it costs half the space (serialization writes the seed, not `a`).
#pragma once

#include <array>
#include <memory>
#include <vector>

#include "ckks/context.hpp"
#include "poly/interleaved.hpp"
#include "poly/rns_poly.hpp"
#include "poly/sampling.hpp"

namespace tower::ckks {

class SecretKey;
class PublicKey;
class KeySwitchKey;
class RelinKey;

namespace detail {

/// Internal: building keys from their stored parts, for the loaders of
/// ckks/serialization.cpp. The callers have validated every part (bases, forms,
/// ranges); these functions re-expand the uniform halves from the seeds exactly
/// as KeyGenerator does.
struct KeyAccess {
  static SecretKey secret_key(std::shared_ptr<const Context> context, poly::RnsPoly s);
  /// b over Q_L; a re-expanded from the seed.
  static PublicKey public_key(std::shared_ptr<const Context> context, poly::RnsPoly b, const poly::Seed& seed);
  /// b_j over Q_level * P; a_j re-expanded from the seed, and permuted by
  /// sigma^-1 for a Galois key (galois_element != 0).
  static KeySwitchKey switch_key(std::shared_ptr<const Context> context, std::vector<poly::RnsPoly> b,
                                 const poly::Seed& seed, std::size_t level, u64 galois_element);
  static RelinKey relin_key(KeySwitchKey key);
};

}  // namespace detail

/// The secret s, over Q_L * P in evaluation form. Every copy's memory is wiped
/// when that copy is destroyed (Encryptor and Decryptor keep copies, so a key
/// passed to them may be a temporary).
class SecretKey {
 public:
  SecretKey(const SecretKey&) = default;
  SecretKey(SecretKey&&) noexcept = default;
  SecretKey& operator=(const SecretKey& other);
  SecretKey& operator=(SecretKey&& other) noexcept;
  ~SecretKey();

  const std::shared_ptr<const Context>& context() const noexcept { return context_; }
  /// s mod q_0..q_L, p_0..p_{k-1}, evaluation form.
  const poly::RnsPoly& poly() const noexcept { return s_; }

 private:
  friend class KeyGenerator;
  friend struct detail::KeyAccess;
  SecretKey(std::shared_ptr<const Context> context, poly::RnsPoly s) : context_(std::move(context)), s_(std::move(s)) {}
  std::shared_ptr<const Context> context_;
  poly::RnsPoly s_;
};

/// (b, a) = (-a s + e, a) over Q_L, evaluation form; a expanded from seed().
class PublicKey {
 public:
  const std::shared_ptr<const Context>& context() const noexcept { return context_; }
  const poly::RnsPoly& b() const noexcept { return b_; }
  const poly::RnsPoly& a() const noexcept { return a_; }
  const poly::Seed& seed() const noexcept { return seed_; }

 private:
  friend class KeyGenerator;
  friend struct detail::KeyAccess;
  PublicKey(std::shared_ptr<const Context> c, poly::RnsPoly b, poly::RnsPoly a, const poly::Seed& seed)
      : context_(std::move(c)), b_(std::move(b)), a_(std::move(a)), seed_(seed) {}
  std::shared_ptr<const Context> context_;
  poly::RnsPoly b_, a_;
  poly::Seed seed_;
};

/// A hybrid key-switching key from s' to s (Han, Ki 2020): for each digit j,
///   b_j = -a_j s + e_j + P * [Q/Q_j]^(-1)_{Q_j} * (Q/Q_j) * s'   (mod Q_k P),
/// which on the primes of digit j is -a_j s + e_j + (P mod q_i) s' and elsewhere
/// -a_j s + e_j. Every a_j comes from seed() (domain j). The key is generated
/// for a level k (level()): it is over Q_k * P, evaluation form, holds the
/// digits that are non-empty at level k, and serves every level l <= k by
/// taking towers q_0..q_l and P. A key for a low level is smaller. (Galois keys
/// are stored permuted by sigma_k^-1: their a_j is sigma_k^-1 of the seed's
/// expansion; see KeyGenerator::create_galois_key.) Both halves are held
/// packed, ceil(bits(q_i)/8) bytes per residue: a key of 55-bit primes takes
/// 7/8, one of 40-bit primes 5/8 of the plain size, and key switching reads that
/// much less; and interleaved tower by tower (poly/interleaved.hpp), so that it
/// reads each tower as one stream.
class KeySwitchKey {
 public:
  const std::shared_ptr<const Context>& context() const noexcept { return context_; }
  /// The highest ciphertext level this key can switch.
  std::size_t level() const noexcept { return parts_.size() - context_->p_base()->size() - 1; }
  std::size_t digits() const noexcept { return parts_.count() / 2; }
  /// The halves as key switching reads them: b_0, a_0, b_1, a_1, ... packed and
  /// interleaved tower by tower (poly/interleaved.hpp), so that each tower of
  /// the key is one sequential stream; b_j is parts().operand(i, 2j) in tower i,
  /// a_j is parts().operand(i, 2j + 1).
  const poly::InterleavedPolys& parts() const noexcept { return parts_; }
  /// Copies of digit j's halves with 8-byte limbs (for inspection and tests:
  /// each call unpacks a polynomial over Q_level * P).
  poly::RnsPoly b(std::size_t j) const { return parts_.unpack(2 * j); }
  poly::RnsPoly a(std::size_t j) const { return parts_.unpack(2 * j + 1); }
  const poly::Seed& seed() const noexcept { return seed_; }
  /// Bytes held by the expanded key (both halves, packed).
  std::size_t byte_size() const noexcept { return parts_.byte_size(); }

 private:
  friend class KeyGenerator;
  friend struct detail::KeyAccess;
  // Packs and interleaves b and a.
  KeySwitchKey(std::shared_ptr<const Context> c, const std::vector<poly::RnsPoly>& b,
               const std::vector<poly::RnsPoly>& a, const poly::Seed& seed);
  std::shared_ptr<const Context> context_;
  poly::InterleavedPolys parts_;
  poly::Seed seed_;
};

/// Switches s^2 back to s after a ciphertext product.
class RelinKey {
 public:
  const KeySwitchKey& key() const noexcept { return key_; }
  const std::shared_ptr<const Context>& context() const noexcept { return key_.context(); }

 private:
  friend class KeyGenerator;
  friend struct detail::KeyAccess;
  explicit RelinKey(KeySwitchKey key) : key_(std::move(key)) {}
  KeySwitchKey key_;
};

/// Creates a secret key (from the CSPRNG) and the keys derived from it.
class KeyGenerator {
 public:
  /// Sample a fresh secret key with the context's secret distribution.
  /// @throws std::invalid_argument for a null context.
  explicit KeyGenerator(std::shared_ptr<const Context> context);
  /// A generator for an existing secret key (e.g. one loaded from a file), to
  /// derive more keys from it. The generator keeps its own (wiped) copy.
  /// @throws std::invalid_argument for a null context or a key of another context.
  KeyGenerator(std::shared_ptr<const Context> context, const SecretKey& secret_key);

  const SecretKey& secret_key() const noexcept { return sk_; }

  PublicKey create_public_key() const;
  RelinKey create_relin_key() const;
  /// A key switching from `s_from` (over Q_L * P, evaluation form) to this
  /// generator's secret, usable at levels <= `level` (default: the top level).
  /// Galois keys use it with s_from = sigma_k(s).
  /// @throws std::invalid_argument if s_from is not over Q_L * P in evaluation
  ///         form; std::out_of_range if level > max level.
  KeySwitchKey create_switch_key(const poly::RnsPoly& s_from) const;
  KeySwitchKey create_switch_key(const poly::RnsPoly& s_from, std::size_t level) const;

  /// The Galois key of sigma_k (k odd), in the form rotations use: the key
  /// switching sigma_k(s) to s, with every polynomial permuted by sigma_k^-1.
  /// Then sum_j sigma_k(d_j) key_j = sigma_k(sum_j d_j sigma_k^-1(key_j)), so a
  /// rotation applies the automorphism to the two inner-product results instead
  /// of to every decomposed digit (a large saving when rotations are hoisted).
  /// @throws std::invalid_argument if k is even; std::out_of_range for a bad level.
  KeySwitchKey create_galois_key(u64 galois_element, std::size_t level) const;

 private:
  // create_switch_key, the halves permuted by sigma_k^-1 before packing when
  // galois_element != 0.
  KeySwitchKey make_switch_key(const poly::RnsPoly& s_from, std::size_t level, u64 galois_element) const;
  std::shared_ptr<const Context> context_;
  SecretKey sk_;
};

}  // namespace tower::ckks
