// ckks/client.hpp — the party that holds the secret key.
//
// tower's objects split by role. A Client owns the secret key and everything that
// needs it: key generation, encryption, decryption. A Server (ckks/server.hpp)
// holds a context and evaluation keys only; nothing it owns or can be given
// refers to a secret key, so server code cannot leak one by construction (the
// types say so, and tests/ckks/roles_test.cpp checks it at compile time).
//
// Typical protocol: the client saves its parameters, evaluation keys and
// ciphertexts (ckks/serialization.hpp); the server loads them, computes, and
// saves the result; the client loads and decrypts it — with noise flooding
// (NoiseFlooding) if the decrypted values go back to anyone else.
#pragma once

#include <complex>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "ckks/encoder.hpp"
#include "ckks/encryptor.hpp"
#include "ckks/evaluation_keys.hpp"
#include "ckks/keys.hpp"

namespace tower::ckks {

class Client {
 public:
  /// A fresh secret key from the CSPRNG. @throws std::invalid_argument for a null context.
  explicit Client(std::shared_ptr<const Context> context);
  /// An existing secret key (e.g. loaded with load<SecretKey>).
  /// @throws std::invalid_argument for a null context or a key of another context.
  Client(std::shared_ptr<const Context> context, const SecretKey& secret_key);

  const std::shared_ptr<const Context>& context() const noexcept { return context_; }
  const Encoder& encoder() const noexcept { return encoder_; }
  /// The secret key (to save it with save_secret_key; it never needs to leave the client).
  const SecretKey& secret_key() const noexcept { return keygen_.secret_key(); }

  PublicKey public_key() const { return keygen_.create_public_key(); }
  /// The keys a server needs: a relinearization key if asked, and Galois keys for
  /// the rotation steps (and conjugation) at levels <= `level`.
  /// @throws std::out_of_range if level > max level.
  EvaluationKeys evaluation_keys(bool relinearization, const std::vector<std::int64_t>& rotation_steps,
                                 bool conjugation = false, std::size_t level = static_cast<std::size_t>(-1)) const;

  /// Encode real values at `level` (default: top) and the context's scale, and
  /// encrypt with the secret key. @throws as Encoder::encode.
  Ciphertext encrypt(const std::vector<double>& values, std::size_t level = static_cast<std::size_t>(-1)) const;
  /// As encrypt, with c_1 left as its seed: half the bytes to send.
  SeededCiphertext encrypt_seeded(const std::vector<double>& values,
                                  std::size_t level = static_cast<std::size_t>(-1)) const;
  /// Decrypt and decode to real values (the imaginary parts are dropped).
  std::vector<double> decrypt(const Ciphertext& ct) const;
  /// Decrypt with noise flooding, for results that leave the client.
  std::vector<double> decrypt(const Ciphertext& ct, const NoiseFlooding& flooding) const;

 private:
  std::shared_ptr<const Context> context_;
  KeyGenerator keygen_;
  Encoder encoder_;
  Encryptor encryptor_;
  Decryptor decryptor_;
};

}  // namespace tower::ckks
