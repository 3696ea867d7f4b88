// ckks/encryptor.hpp — RLWE encryption of CKKS plaintexts.
//
// Public key (b, a) = (-a s + e, a): Enc(m) = (b u + e_0 + m, a u + e_1) with u
// ternary and e_0, e_1 Gaussian (Cheon, Kim, Kim, Song 2017, section 3.4). Secret
// key: Enc(m) = (-a s + e + m, a) with a uniform; `a` can come from a seed, which
// halves what a client sends (SeededCiphertext). Encryption at level l uses the
// towers q_0..q_l of the key.
#pragma once

#include <memory>
#include <optional>

#include "ckks/ciphertext.hpp"
#include "ckks/keys.hpp"
#include "ckks/plaintext.hpp"
#include "poly/sampling.hpp"

namespace tower::ckks {

/// A secret-key ciphertext whose c_1 is stored as its seed. It cannot be computed
/// on; expand() turns it into a Ciphertext.
struct SeededCiphertext {
  std::shared_ptr<const Context> context;
  poly::RnsPoly c0;
  poly::Seed seed;
  double scale;
  /// The full ciphertext (c_0, a) with a re-expanded from the seed.
  Ciphertext expand() const;
};

class Encryptor {
 public:
  /// Public-key encryption. @throws std::invalid_argument for a null context or a key of another context.
  Encryptor(std::shared_ptr<const Context> context, const PublicKey& public_key);
  /// Secret-key encryption (client side; the Encryptor keeps its own copy of the
  /// key, wiped when the Encryptor is destroyed).
  Encryptor(std::shared_ptr<const Context> context, const SecretKey& secret_key);

  /// Encrypt at the plaintext's level and scale.
  /// @throws std::invalid_argument if the plaintext belongs to another context;
  ///         std::logic_error if this Encryptor has no public key.
  Ciphertext encrypt(const Plaintext& plain) const;
  /// Secret-key encryption. @throws std::logic_error if this Encryptor has no secret key.
  Ciphertext encrypt_symmetric(const Plaintext& plain) const;
  /// Secret-key encryption with c_1 left as a seed (half the size to store or send).
  SeededCiphertext encrypt_symmetric_seeded(const Plaintext& plain) const;

 private:
  void check(const Plaintext& plain, const char* who) const;
  std::shared_ptr<const Context> context_;
  std::optional<PublicKey> public_key_;
  std::optional<SecretKey> secret_key_;
};

class Decryptor {
 public:
  /// @throws std::invalid_argument for a null context or a key of another context.
  Decryptor(std::shared_ptr<const Context> context, const SecretKey& secret_key);

  /// c_0 + c_1 s (+ c_2 s^2), at the ciphertext's level and scale.
  /// @throws std::invalid_argument if the ciphertext belongs to another context.
  Plaintext decrypt(const Ciphertext& ct) const;

 private:
  std::shared_ptr<const Context> context_;
  SecretKey secret_key_;  // a copy, wiped on destruction
};

}  // namespace tower::ckks
