// ckks/server.cpp — the evaluation side of the protocol.
#include "ckks/server.hpp"

#include <stdexcept>

namespace tower::ckks {

Server::Server(std::shared_ptr<const Context> context, EvaluationKeys keys, EvaluatorOptions options)
    : context_(context ? std::move(context) : throw std::invalid_argument("ckks::Server: null context")),
      keys_(std::move(keys)),
      evaluator_(context_, options) {
  if (keys_.relin && keys_.relin->context()->params_hash() != context_->params_hash()) {
    throw std::invalid_argument("ckks::Server: the relinearization key belongs to another context");
  }
  if (keys_.galois.context() && keys_.galois.context()->params_hash() != context_->params_hash()) {
    throw std::invalid_argument("ckks::Server: the Galois keys belong to another context");
  }
}

const RelinKey& Server::relin_key() const {
  if (!keys_.relin) throw std::logic_error("ckks::Server: the client sent no relinearization key");
  return *keys_.relin;
}

Ciphertext Server::multiply(const Ciphertext& a, const Ciphertext& b) const {
  return evaluator_.rescale(evaluator_.multiply_relin(a, b, relin_key()));
}

Ciphertext Server::rotate(const Ciphertext& a, std::int64_t step) const {
  return evaluator_.rotate(a, step, keys_.galois);
}

}  // namespace tower::ckks
