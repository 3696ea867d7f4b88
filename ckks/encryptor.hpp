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

/// Noise flooding of decryption results (the IND-CPA-D mitigation of Li and
/// Micciancio 2021, "On the security of homomorphic encryption on approximate
/// numbers", section 5). A CKKS decryption Delta*m + e reveals the error e, and
/// from e together with the ciphertext an attacker can solve for the secret key:
/// whenever a decrypted result leaves the client (returned to a server, shared
/// with a third party), flood it. Every coefficient of c_0 + c_1 s gets an
/// independent uniform integer in [-2^bits, 2^bits] from the CSPRNG; by the
/// smudging lemma the result is within statistical distance n |e|_inf / 2^bits
/// of one that does not depend on e. The cost is precision: the slots carry an
/// extra error of about sqrt(n / 3) 2^bits / Delta (docs/security.md).
struct NoiseFlooding {
  /// log2 of the flooding bound B; in [1, 62] and below log2(Q_l) - 2.
  int bits = 0;

  /// The bits for a statistical distance of 2^-statistical_security over all n
  /// coefficients, given a bound 2^error_bits on the decryption error |e|_inf
  /// (measure it on representative data: log2 max |c_0 + c_1 s - Delta m|).
  static NoiseFlooding for_error(double error_bits, std::size_t n, int statistical_security = 30);
};

class Decryptor {
 public:
  /// @throws std::invalid_argument for a null context or a key of another context.
  Decryptor(std::shared_ptr<const Context> context, const SecretKey& secret_key);

  /// c_0 + c_1 s (+ c_2 s^2), at the ciphertext's level and scale.
  /// @throws std::invalid_argument if the ciphertext belongs to another context.
  Plaintext decrypt(const Ciphertext& ct) const;
  /// Decryption with noise flooding (see NoiseFlooding): randomized.
  /// @throws std::invalid_argument as decrypt, or if flooding.bits is outside
  ///         [1, 62] or not below log2(Q_l) - 2 at the ciphertext's level (the
  ///         noise would wrap around the modulus).
  Plaintext decrypt(const Ciphertext& ct, const NoiseFlooding& flooding) const;

 private:
  std::shared_ptr<const Context> context_;
  SecretKey secret_key_;  // a copy, wiped on destruction
};

}  // namespace tower::ckks
