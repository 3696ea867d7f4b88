// ckks/encryptor.cpp — public- and secret-key encryption, decryption.
#include "ckks/encryptor.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "poly/wipe.hpp"

namespace tower::ckks {
namespace {

// The first level+1 towers of a key polynomial (over Q_L or Q_L * P), as a
// polynomial over Q_level.
poly::RnsPoly towers(const poly::RnsPoly& key_poly, const std::shared_ptr<const poly::RnsBase>& base) {
  poly::RnsPoly out(base, key_poly.form());
  std::memcpy(out.data(), key_poly.data(), out.n() * out.size() * sizeof(u64));
  return out;
}

poly::RnsPoly small(const std::shared_ptr<const poly::RnsBase>& base, poly::Prng& prng, bool ternary) {
  poly::RnsPoly e(base);
  if (ternary) {
    poly::sample_ternary(prng, e);
  } else {
    poly::sample_gaussian(prng, e);
  }
  e.to_evaluation();
  return e;
}

void check_context(const std::shared_ptr<const Context>& mine, const std::shared_ptr<const Context>& theirs,
                   const char* who, const char* what) {
  if (!theirs || theirs->params_hash() != mine->params_hash()) {
    throw std::invalid_argument(std::string("ckks::") + who + ": " + what + " belongs to another context");
  }
}

}  // namespace

Ciphertext SeededCiphertext::expand() const {
  const std::size_t level = c0.size() - 1;
  Ciphertext ct(context, level, scale);
  ct[0] = c0;
  poly::SeededPrng g(seed);
  poly::sample_uniform(g, ct[1]);
  return ct;
}

Encryptor::Encryptor(std::shared_ptr<const Context> context, const PublicKey& pk)
    : context_(std::move(context)), public_key_(pk) {
  if (!context_) throw std::invalid_argument("ckks::Encryptor: null context");
  check_context(context_, pk.context(), "Encryptor", "public key");
}

Encryptor::Encryptor(std::shared_ptr<const Context> context, const SecretKey& sk)
    : context_(std::move(context)), secret_key_(sk) {
  if (!context_) throw std::invalid_argument("ckks::Encryptor: null context");
  check_context(context_, sk.context(), "Encryptor", "secret key");
}

void Encryptor::check(const Plaintext& plain, const char* who) const {
  check_context(context_, plain.context(), who, "plaintext");
}

Ciphertext Encryptor::encrypt(const Plaintext& plain) const {
  check(plain, "Encryptor::encrypt");
  if (!public_key_) throw std::logic_error("ckks::Encryptor::encrypt: this Encryptor holds no public key");
  const std::size_t level = plain.level();
  const auto& base = context_->q_base(level);
  poly::SystemPrng prng;
  poly::RnsPoly u = small(base, prng, /*ternary=*/true);
  Ciphertext ct(context_, level, plain.scale());
  ct[0] = towers(public_key_->b(), base);
  ct[0].mul_inplace(u);
  ct[0].add_inplace(small(base, prng, false));
  ct[0].add_inplace(plain.poly());
  ct[1] = towers(public_key_->a(), base);
  ct[1].mul_inplace(u);
  ct[1].add_inplace(small(base, prng, false));
  poly::secure_wipe(u);  // u would reveal m from c_0
  return ct;
}

SeededCiphertext Encryptor::encrypt_symmetric_seeded(const Plaintext& plain) const {
  check(plain, "Encryptor::encrypt_symmetric");
  if (!secret_key_) throw std::logic_error("ckks::Encryptor::encrypt_symmetric: this Encryptor holds no secret key");
  const std::size_t level = plain.level();
  const auto& base = context_->q_base(level);
  SeededCiphertext out{context_, poly::RnsPoly(base, poly::PolyForm::evaluation), poly::random_seed(), plain.scale()};
  poly::RnsPoly a(base, poly::PolyForm::evaluation);
  {
    poly::SeededPrng g(out.seed);
    poly::sample_uniform(g, a);
  }
  poly::SystemPrng prng;
  poly::RnsPoly s = towers(secret_key_->poly(), base);
  out.c0 = small(base, prng, false);
  out.c0.add_inplace(plain.poly());
  a.mul_inplace(s);  // a*s
  poly::secure_wipe(s);
  out.c0.sub_inplace(a);
  return out;
}

Ciphertext Encryptor::encrypt_symmetric(const Plaintext& plain) const { return encrypt_symmetric_seeded(plain).expand(); }

Decryptor::Decryptor(std::shared_ptr<const Context> context, const SecretKey& sk)
    : context_(std::move(context)), secret_key_(sk) {
  if (!context_) throw std::invalid_argument("ckks::Decryptor: null context");
  check_context(context_, sk.context(), "Decryptor", "secret key");
}

Plaintext Decryptor::decrypt(const Ciphertext& ct) const {
  check_context(context_, ct.context(), "Decryptor::decrypt", "ciphertext");
  const std::size_t level = ct.level();
  const auto& base = context_->q_base(level);
  poly::RnsPoly s = towers(secret_key_.poly(), base);
  Plaintext out(context_, level, ct.scale());
  // Horner: ((c_{k-1} s + c_{k-2}) s + ...) s + c_0.
  poly::RnsPoly acc = ct[ct.size() - 1];
  for (std::size_t i = ct.size() - 1; i-- > 0;) {
    acc.mul_inplace(s);
    acc.add_inplace(ct[i]);
  }
  poly::secure_wipe(s);
  out.poly() = std::move(acc);
  return out;
}

}  // namespace tower::ckks
