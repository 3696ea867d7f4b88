// ckks/server.hpp — the party that computes on ciphertexts without the secret key.
//
// A Server is built from a context and evaluation keys (typically loaded from
// what a Client saved); it has no constructor, member or method that takes or
// returns a secret key, a KeyGenerator, an Encryptor holding one or a
// Decryptor (see ckks/client.hpp). It can encrypt under a public key if given
// one — that needs no secret.
#pragma once

#include <memory>

#include "ckks/evaluation_keys.hpp"
#include "ckks/evaluator.hpp"

namespace tower::ckks {

class Server {
 public:
  /// @throws std::invalid_argument for a null context or keys of another context.
  Server(std::shared_ptr<const Context> context, EvaluationKeys keys, EvaluatorOptions options = {});

  const std::shared_ptr<const Context>& context() const noexcept { return context_; }
  const Evaluator& evaluator() const noexcept { return evaluator_; }
  /// @throws std::logic_error if the client sent no relinearization key.
  const RelinKey& relin_key() const;
  const GaloisKeys& galois_keys() const noexcept { return keys_.galois; }
  /// The Galois keys, to release those of a finished stage or insert reloaded ones.
  GaloisKeys& galois_keys() noexcept { return keys_.galois; }

  /// a * b, relinearized and rescaled (the usual product step).
  /// @throws as Evaluator::multiply, relinearize and rescale; std::logic_error without a relinearization key.
  Ciphertext multiply(const Ciphertext& a, const Ciphertext& b) const;
  /// A left rotation by `step` slots (composed from held keys if needed).
  /// @throws as Evaluator::rotate.
  Ciphertext rotate(const Ciphertext& a, std::int64_t step) const;

 private:
  std::shared_ptr<const Context> context_;
  EvaluationKeys keys_;
  Evaluator evaluator_;
};

}  // namespace tower::ckks
