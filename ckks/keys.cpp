// ckks/keys.cpp — key generation.
#include "ckks/keys.hpp"

#include <stdexcept>

#include "poly/automorphism.hpp"
#include "poly/wipe.hpp"

namespace tower::ckks {
namespace {


poly::RnsPoly sample_secret(const std::shared_ptr<const Context>& ctx) {
  poly::RnsPoly s(ctx->qp_base(ctx->max_level()));
  poly::SystemPrng prng;
  const auto& dist = ctx->params().secret();
  if (dist.kind == SecretDistribution::Kind::sparse_ternary) {
    poly::sample_ternary_hamming(prng, s, dist.hamming_weight);
  } else {
    poly::sample_ternary(prng, s);
  }
  s.to_evaluation();
  return s;
}

// The uniform half of a public key: Q_L, domain 0 of the seed.
poly::RnsPoly expand_public_a(const Context& ctx, const poly::Seed& seed) {
  poly::RnsPoly a = poly::RnsPoly::uninitialized(ctx.q_base(ctx.max_level()), poly::PolyForm::evaluation);
  poly::SeededPrng expand(seed);
  poly::sample_uniform(expand, a);  // uniform in either form: sampled directly as evaluations
  return a;
}

// The uniform halves of a level-`level` key-switching key: digit j is domain j
// of the seed over Q_level * P.
std::vector<poly::RnsPoly> expand_switch_a(const Context& ctx, const poly::Seed& seed, std::size_t level) {
  const auto& qp = ctx.qp_base(level);
  std::vector<poly::RnsPoly> as;
  for (std::size_t j = 0; j < ctx.keyswitch(level).digits.size(); ++j) {
    poly::RnsPoly a = poly::RnsPoly::uninitialized(qp, poly::PolyForm::evaluation);
    poly::SeededPrng expand(seed, j);
    poly::sample_uniform(expand, a);
    as.push_back(std::move(a));
  }
  return as;
}

// sigma_k^-1 of every polynomial (the stored form of Galois keys).
void permute_inverse(const Context& ctx, std::vector<poly::RnsPoly>& polys, u64 galois_element) {
  const u64 m = 2 * static_cast<u64>(ctx.n());
  const poly::Modulus two_n(m);
  const u64 inverse = two_n.inv(galois_element % m);
  const auto perm = poly::automorphism_eval_permutation(ctx.n(), inverse);
  for (auto& x : polys) x = poly::automorphism(x, inverse, perm);
}

poly::RnsPoly gaussian(const std::shared_ptr<const poly::RnsBase>& base, poly::Prng& prng) {
  poly::RnsPoly e(base);
  poly::sample_gaussian(prng, e);
  e.to_evaluation();
  return e;
}

}  // namespace

SecretKey::~SecretKey() { poly::secure_wipe(s_); }

SecretKey& SecretKey::operator=(const SecretKey& other) {
  if (this != &other) {
    poly::secure_wipe(s_);
    context_ = other.context_;
    s_ = other.s_;
  }
  return *this;
}

SecretKey& SecretKey::operator=(SecretKey&& other) noexcept {
  if (this != &other) {
    poly::secure_wipe(s_);
    context_ = std::move(other.context_);
    s_ = std::move(other.s_);
  }
  return *this;
}

namespace {

// b_0, a_0, b_1, a_1, ...: the order of KeySwitchKey::parts().
poly::InterleavedPolys interleave_halves(const std::vector<poly::RnsPoly>& b, const std::vector<poly::RnsPoly>& a) {
  if (b.empty() || a.size() != b.size()) throw std::logic_error("ckks::KeySwitchKey: one a_j per b_j is needed");
  std::vector<const poly::RnsPoly*> parts;
  for (std::size_t j = 0; j < b.size(); ++j) {
    parts.push_back(&b[j]);
    parts.push_back(&a[j]);
  }
  return poly::InterleavedPolys(parts);
}

}  // namespace

KeySwitchKey::KeySwitchKey(std::shared_ptr<const Context> c, const std::vector<poly::RnsPoly>& b,
                           const std::vector<poly::RnsPoly>& a, const poly::Seed& seed)
    : context_(std::move(c)), parts_(interleave_halves(b, a)), seed_(seed) {}

KeyGenerator::KeyGenerator(std::shared_ptr<const Context> context)
    : context_(context ? std::move(context) : throw std::invalid_argument("ckks::KeyGenerator: null context")),
      sk_(context_, sample_secret(context_)) {}

KeyGenerator::KeyGenerator(std::shared_ptr<const Context> context, const SecretKey& secret_key)
    : context_(context ? std::move(context) : throw std::invalid_argument("ckks::KeyGenerator: null context")),
      sk_(secret_key) {
  if (!sk_.context() || sk_.context()->params_hash() != context_->params_hash()) {
    throw std::invalid_argument("ckks::KeyGenerator: the secret key belongs to another context");
  }
}

PublicKey KeyGenerator::create_public_key() const {
  const auto& base = context_->q_base(context_->max_level());
  const poly::Seed seed = poly::random_seed();
  poly::RnsPoly a = expand_public_a(*context_, seed);
  poly::SystemPrng prng;
  poly::RnsPoly b = gaussian(base, prng);
  // b = e - a*s on the towers of Q_L (s's first L+1 limbs).
  poly::RnsPoly s(base, poly::PolyForm::evaluation);
  std::copy(sk_.poly().data(), sk_.poly().data() + s.n() * s.size(), s.data());
  poly::RnsPoly as = a * s;
  poly::secure_wipe(s);
  b.sub_inplace(as);
  poly::secure_wipe(as);
  return PublicKey(context_, std::move(b), std::move(a), seed);
}

namespace {

// The towers of a Q_L * P polynomial that a level-k key uses: q_0..q_k, then P.
poly::RnsPoly restrict_to(const poly::RnsPoly& x, const std::shared_ptr<const poly::RnsBase>& base, std::size_t level) {
  poly::RnsPoly out(base, x.form());
  const std::size_t n = x.n(), kq = level + 1, kp = base->size() - kq;
  std::copy(x.data(), x.data() + kq * n, out.data());
  std::copy(x.data() + (x.size() - kp) * n, x.data() + x.size() * n, out.data() + kq * n);
  return out;
}

}  // namespace

KeySwitchKey KeyGenerator::create_switch_key(const poly::RnsPoly& s_from) const {
  return create_switch_key(s_from, context_->max_level());
}

KeySwitchKey KeyGenerator::create_switch_key(const poly::RnsPoly& s_from, std::size_t level) const {
  return make_switch_key(s_from, level, 0);
}

KeySwitchKey KeyGenerator::make_switch_key(const poly::RnsPoly& s_from, std::size_t level, u64 galois_element) const {
  const std::size_t L = context_->max_level();
  if (!(*s_from.base() == *context_->qp_base(L)) || !s_from.is_evaluation()) {
    throw std::invalid_argument("ckks::KeyGenerator::create_switch_key: source secret must be over Q_L*P in evaluation form");
  }
  const auto& qp = context_->qp_base(level);  // throws std::out_of_range above L
  const KeySwitchLevel& ks = context_->keyswitch(level);
  poly::RnsPoly s = restrict_to(sk_.poly(), qp, level);
  const poly::Seed seed = poly::random_seed();
  poly::SystemPrng prng;
  std::vector<poly::RnsPoly> bs, as = expand_switch_a(*context_, seed, level);
  for (std::size_t j = 0; j < ks.digits.size(); ++j) {
    const poly::RnsPoly& a = as[j];
    poly::RnsPoly b = gaussian(qp, prng);
    poly::RnsPoly as_ = a * s;
    b.sub_inplace(as_);
    poly::secure_wipe(as_);
    // + (P mod q_i) * s' on the primes of digit j present at this level.
    for (std::size_t i = ks.digits[j].begin; i < ks.digits[j].end; ++i) {
      const poly::Modulus& qi = qp->modulus(i);
      const u64 pm = ks.p_mod_q[i];
      u64* bi = b.limb(i);
      const u64* si = s_from.limb(i);
      for (std::size_t c = 0; c < b.n(); ++c) bi[c] = qi.add(bi[c], qi.mul(pm, si[c]));
    }
    bs.push_back(std::move(b));
  }
  poly::secure_wipe(s);
  if (galois_element != 0) {
    // Permute by sigma_k^-1 (k^-1 mod 2n) so rotations can permute after the inner product.
    permute_inverse(*context_, bs, galois_element);
    permute_inverse(*context_, as, galois_element);
  }
  return KeySwitchKey(context_, bs, as, seed);
}

KeySwitchKey KeyGenerator::create_galois_key(u64 galois_element, std::size_t level) const {
  if ((galois_element & 1) == 0) {
    throw std::invalid_argument("ckks::KeyGenerator::create_galois_key: Galois element must be odd");
  }
  poly::RnsPoly s_k = poly::automorphism(sk_.poly(), galois_element);
  KeySwitchKey key = make_switch_key(s_k, level, galois_element);
  poly::secure_wipe(s_k);
  return key;
}

RelinKey KeyGenerator::create_relin_key() const {
  poly::RnsPoly s2 = sk_.poly() * sk_.poly();
  RelinKey key(create_switch_key(s2));
  poly::secure_wipe(s2);
  return key;
}

namespace detail {

SecretKey KeyAccess::secret_key(std::shared_ptr<const Context> context, poly::RnsPoly s) {
  return SecretKey(std::move(context), std::move(s));
}

PublicKey KeyAccess::public_key(std::shared_ptr<const Context> context, poly::RnsPoly b, const poly::Seed& seed) {
  poly::RnsPoly a = expand_public_a(*context, seed);
  return PublicKey(std::move(context), std::move(b), std::move(a), seed);
}

KeySwitchKey KeyAccess::switch_key(std::shared_ptr<const Context> context, std::vector<poly::RnsPoly> b,
                                   const poly::Seed& seed, std::size_t level, u64 galois_element) {
  std::vector<poly::RnsPoly> a = expand_switch_a(*context, seed, level);
  if (galois_element != 0) permute_inverse(*context, a, galois_element);
  return KeySwitchKey(std::move(context), b, a, seed);
}

RelinKey KeyAccess::relin_key(KeySwitchKey key) { return RelinKey(std::move(key)); }

}  // namespace detail

}  // namespace tower::ckks
