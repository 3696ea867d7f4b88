// ckks/client.cpp — the secret-key side of the protocol.
#include "ckks/client.hpp"

#include <stdexcept>

#include "ckks/galois.hpp"

namespace tower::ckks {
namespace {

const std::shared_ptr<const Context>& non_null(const std::shared_ptr<const Context>& c) {
  if (!c) throw std::invalid_argument("ckks::Client: null context");
  return c;
}

}  // namespace

Client::Client(std::shared_ptr<const Context> context)
    : context_(non_null(context)),
      keygen_(context_),
      encoder_(context_),
      encryptor_(context_, keygen_.secret_key()),
      decryptor_(context_, keygen_.secret_key()) {}

Client::Client(std::shared_ptr<const Context> context, const SecretKey& secret_key)
    : context_(non_null(context)),
      keygen_(context_, secret_key),
      encoder_(context_),
      encryptor_(context_, keygen_.secret_key()),
      decryptor_(context_, keygen_.secret_key()) {}

EvaluationKeys Client::evaluation_keys(bool relinearization, const std::vector<std::int64_t>& rotation_steps,
                                       bool conjugation, std::size_t level) const {
  EvaluationKeys keys{std::nullopt, create_galois_keys(keygen_, rotation_steps, conjugation, level)};
  if (relinearization) keys.relin = keygen_.create_relin_key();
  return keys;
}

Ciphertext Client::encrypt(const std::vector<double>& values, std::size_t level) const {
  return encrypt_seeded(values, level).expand();
}

SeededCiphertext Client::encrypt_seeded(const std::vector<double>& values, std::size_t level) const {
  if (level == static_cast<std::size_t>(-1)) level = context_->max_level();
  return encryptor_.encrypt_symmetric_seeded(encoder_.encode(values, level, context_->params().scale()));
}

std::vector<double> Client::decrypt(const Ciphertext& ct) const {
  return encoder_.decode_real(decryptor_.decrypt(ct));
}

std::vector<double> Client::decrypt(const Ciphertext& ct, const NoiseFlooding& flooding) const {
  return encoder_.decode_real(decryptor_.decrypt(ct, flooding));
}

}  // namespace tower::ckks
