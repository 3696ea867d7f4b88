// ckks/encryptor.cpp — public- and secret-key encryption, decryption.
#include "ckks/encryptor.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>
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
  poly::RnsPoly e = small(base, prng, false);
  ct[0].add_inplace(e);
  ct[0].add_inplace(plain.poly());
  ct[1] = towers(public_key_->a(), base);
  ct[1].mul_inplace(u);
  poly::secure_wipe(e);
  e = small(base, prng, false);
  ct[1].add_inplace(e);
  poly::secure_wipe(e);
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
  poly::secure_wipe(a);  // a*s and c_0 together give Delta*m + e
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

NoiseFlooding NoiseFlooding::for_error(double error_bits, std::size_t n, int statistical_security) {
  if (!(error_bits >= 0) || !std::isfinite(error_bits) || n == 0 || statistical_security < 0) {
    throw std::invalid_argument("ckks::NoiseFlooding::for_error: error_bits must be finite and >= 0, n > 0");
  }
  // n |e| / 2^bits <= 2^-lambda  <=>  bits >= lambda + log2 n + log2 |e|.
  const double bits = statistical_security + std::log2(static_cast<double>(n)) + error_bits;
  return NoiseFlooding{static_cast<int>(std::ceil(bits))};
}

Plaintext Decryptor::decrypt(const Ciphertext& ct, const NoiseFlooding& flooding) const {
  check_context(context_, ct.context(), "Decryptor::decrypt", "ciphertext");
  const auto& base = context_->q_base(ct.level());
  double log_q = 0;
  for (std::size_t i = 0; i < base->size(); ++i) log_q += std::log2(static_cast<double>(base->modulus(i).value()));
  if (flooding.bits < 1 || flooding.bits > 62 || flooding.bits >= log_q - 2) {
    throw std::invalid_argument("ckks::Decryptor::decrypt: noise flooding of " + std::to_string(flooding.bits) +
                                " bits is outside [1, 62] or not below log2(Q_l) - 2 = " +
                                std::to_string(log_q - 2) + " at level " + std::to_string(ct.level()));
  }
  Plaintext out = decrypt(ct);
  // f uniform in [-B, B], B = 2^bits: draw bits+1 random bits, reject values >= 2B+1.
  const std::size_t n = context_->n();
  const u64 span = (u64{1} << flooding.bits) * 2 + 1;
  const u64 mask = (u64{1} << (flooding.bits + 1)) - 1;
  std::vector<std::int64_t> f(n);
  poly::SystemPrng prng;
  for (std::size_t i = 0; i < n; ++i) {
    u64 x;
    do x = prng.next_u64() & mask;
    while (x >= span);  // mask < 2 * span: at most half the draws are rejected
    f[i] = static_cast<std::int64_t>(x) - static_cast<std::int64_t>(u64{1} << flooding.bits);
  }
  poly::RnsPoly noise(base, poly::PolyForm::coefficient);
  for (std::size_t t = 0; t < base->size(); ++t) {
    const u64 q = base->modulus(t).value();
    u64* limb = noise.limb(t);
    for (std::size_t i = 0; i < n; ++i) {
      const u64 mag = static_cast<u64>(f[i] < 0 ? -f[i] : f[i]) % q;
      limb[i] = f[i] < 0 && mag != 0 ? q - mag : mag;
    }
  }
  poly::secure_wipe(f.data(), f.size() * sizeof(std::int64_t));
  noise.to_evaluation();
  out.poly().add_inplace(noise);
  poly::secure_wipe(noise);
  return out;
}

}  // namespace tower::ckks
