// bench/ckks_setup.cpp — building the shared benchmark setups.
#include "ckks_setup.hpp"

#include <cmath>
#include <map>

namespace tower::bench {

Params params_for(const std::string& name) {
  if (name == "8192/seal") return Params::seal_8192();
  if (name == "16384/seal") return Params::seal_16384();
  if (name == "32768/seal") return Params::seal_32768();
  return Params::resnet_65536();
}

Setup& setup(const std::string& name) {
  static std::map<std::string, std::unique_ptr<Setup>> cache;  // benchmark-local cache
  auto& slot = cache[name];
  if (!slot) {
    auto s = std::make_unique<Setup>();
    s->ctx = Context::create(params_for(name));
    s->keygen = std::make_unique<KeyGenerator>(s->ctx);
    s->pk = std::make_unique<PublicKey>(s->keygen->create_public_key());
    s->rk = std::make_unique<RelinKey>(s->keygen->create_relin_key());
    s->encoder = std::make_unique<Encoder>(s->ctx);
    s->encryptor = std::make_unique<Encryptor>(s->ctx, *s->pk);
    s->sym_encryptor = std::make_unique<Encryptor>(s->ctx, s->keygen->secret_key());
    s->decryptor = std::make_unique<Decryptor>(s->ctx, s->keygen->secret_key());
    s->evaluator = std::make_unique<Evaluator>(s->ctx);
    s->values.resize(s->ctx->slots());
    for (std::size_t i = 0; i < s->values.size(); ++i) s->values[i] = {std::cos(0.1 * i), std::sin(0.3 * i)};
    const std::size_t top = s->ctx->max_level();
    s->plain = std::make_unique<Plaintext>(s->encoder->encode(s->values, top, s->ctx->params().scale()));
    s->ct = std::make_unique<Ciphertext>(s->encryptor->encrypt(*s->plain));
    s->ct2 = std::make_unique<Ciphertext>(s->encryptor->encrypt(*s->plain));
    s->ct3 = std::make_unique<Ciphertext>(s->evaluator->multiply(*s->ct, *s->ct2));
    slot = std::move(s);
  }
  return *slot;
}


}  // namespace tower::bench
