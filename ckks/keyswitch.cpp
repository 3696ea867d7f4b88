// ckks/keyswitch.cpp — ModUp, inner product, ModDown.
#include "ckks/keyswitch.hpp"

#include <cstring>
#include <stdexcept>
#include <string>

#include "poly/eltwise.hpp"
#include "poly/ntt.hpp"

namespace tower::ckks {
namespace {

std::size_t level_of(const Context& ctx, const poly::RnsPoly& c, const char* who) {
  const std::size_t l = c.size() - 1;
  if (l > ctx.max_level() || !(*c.base() == *ctx.q_base(l))) {
    throw std::invalid_argument(std::string("ckks::") + who + ": polynomial is not over a level base of this context");
  }
  if (!c.is_evaluation()) throw std::invalid_argument(std::string("ckks::") + who + ": polynomial must be in evaluation form");
  return l;
}

// Index of tower t of Q_l * P inside a level-L key's Q_L * P.
std::size_t key_limb(std::size_t t, std::size_t level, std::size_t max_level) {
  return t <= level ? t : t + (max_level - level);
}

}  // namespace

namespace {

// ModUp of one digit into `ext` (over Q_l * P, evaluation form): the digit's own
// towers are c itself; the others are converted from cc (c in coefficient form)
// through `conv` (scratch of at least complement.size() * n words) and NTT'd.
void mod_up_digit(const Context& ctx, const KeySwitchDigit& d, const poly::RnsPoly& c, const poly::RnsPoly& cc,
                  poly::RnsPoly& ext, u64* conv) {
  const std::size_t n = ctx.n();
  const auto& qp = *ext.base();
  std::memcpy(ext.limb(d.begin), c.limb(d.begin), (d.end - d.begin) * n * sizeof(u64));
  d.mod_up->convert_approx(cc.limb(d.begin), conv);
  const poly::SimdPath path = poly::simd_path();
#pragma omp parallel for if (d.complement.size() > 1 && n >= 4096)
  for (std::size_t t = 0; t < d.complement.size(); ++t) {
    const std::size_t dst = d.complement[t];
    u64* limb = ext.limb(dst);
    std::memcpy(limb, conv + t * n, n * sizeof(u64));
    poly::ntt_forward(limb, qp.ntt(dst), path);
  }
}

std::size_t max_complement(const KeySwitchLevel& ks) {
  std::size_t m = 0;
  for (const auto& d : ks.digits) m = std::max(m, d.complement.size());
  return m;
}

}  // namespace

Decomposed decompose(const Context& ctx, const poly::RnsPoly& c) {
  const std::size_t l = level_of(ctx, c, "decompose");
  const KeySwitchLevel& ks = ctx.keyswitch(l);
  const auto& qp = ctx.qp_base(l);
  poly::RnsPoly cc = c;  // coefficient form, for the base conversions
  cc.to_coefficient();
  poly::AlignedVector conv(max_complement(ks) * ctx.n());
  Decomposed out;
  out.level = l;
  for (const KeySwitchDigit& d : ks.digits) {
    poly::RnsPoly ext = poly::RnsPoly::uninitialized(qp, poly::PolyForm::evaluation);  // every tower written
    mod_up_digit(ctx, d, c, cc, ext, conv.data());
    out.digits.push_back(std::move(ext));
  }
  return out;
}

namespace {

// acc (+)= sum_j d_j * key_j, per tower; `fresh` makes the first digit a plain
// product, so the accumulators need no zero-fill.
void accumulate(const Context& ctx, const Decomposed& d, const KeySwitchKey& key, poly::RnsPoly& acc0,
                poly::RnsPoly& acc1, bool fresh) {
  if (key.context()->params_hash() != ctx.params_hash()) {
    throw std::invalid_argument("ckks::inner_product: key belongs to another context");
  }
  const KeySwitchLevel& ks = ctx.keyswitch(d.level);
  if (d.digits.size() != ks.digits.size()) throw std::invalid_argument("ckks::inner_product: decomposition does not match its level");
  if (key.level() < d.level) {
    throw std::invalid_argument("ckks::inner_product: the key was generated for levels <= " +
                                std::to_string(key.level()) + " and cannot switch a ciphertext at level " +
                                std::to_string(d.level));
  }
  const auto& qp = ctx.qp_base(d.level);
  if (!(*acc0.base() == *qp) || !(*acc1.base() == *qp)) {
    throw std::invalid_argument("ckks::inner_product: accumulators must be over Q_l * P");
  }
  const std::size_t n = ctx.n(), L = key.level();
  const poly::EltwiseKernels& k = poly::eltwise_kernels(poly::simd_path());
  // Digit j at level l is the digit whose first prime is d.begin; keys index digits
  // by the partition at their own level, which the digits at level l follow in order.
#pragma omp parallel for if (qp->size() > 1 && n >= 4096)
  for (std::size_t t = 0; t < qp->size(); ++t) {
    const poly::Modulus& m = qp->modulus(t);
    const std::size_t kl = key_limb(t, d.level, L);
    for (std::size_t j = 0; j < d.digits.size(); ++j) {
      const u64* e = d.digits[j].limb(t);
      if (fresh && j == 0) {
        k.mul(acc0.limb(t), e, key.b(0).limb(kl), n, m);
        k.mul(acc1.limb(t), e, key.a(0).limb(kl), n, m);
      } else {
        k.mul_add(acc0.limb(t), e, key.b(j).limb(kl), n, m);
        k.mul_add(acc1.limb(t), e, key.a(j).limb(kl), n, m);
      }
    }
  }
}

}  // namespace

void inner_product_lazy(const Context& ctx, const Decomposed& d, const KeySwitchKey& key, poly::RnsPoly& acc0,
                        poly::RnsPoly& acc1) {
  accumulate(ctx, d, key, acc0, acc1, false);
}

std::pair<poly::RnsPoly, poly::RnsPoly> inner_product(const Context& ctx, const Decomposed& d, const KeySwitchKey& key) {
  const auto& qp = ctx.qp_base(d.level);
  auto acc0 = poly::RnsPoly::uninitialized(qp, poly::PolyForm::evaluation);
  auto acc1 = poly::RnsPoly::uninitialized(qp, poly::PolyForm::evaluation);
  if (d.digits.empty()) throw std::invalid_argument("ckks::inner_product: empty decomposition");
  accumulate(ctx, d, key, acc0, acc1, true);
  return {std::move(acc0), std::move(acc1)};
}

poly::RnsPoly mod_down(const Context& ctx, const poly::RnsPoly& x, std::size_t l) {
  const std::size_t n = ctx.n();
  const auto& qp = ctx.qp_base(l);
  if (!(*x.base() == *qp) || !x.is_evaluation()) {
    throw std::invalid_argument("ckks::mod_down: input must be over Q_l * P in evaluation form");
  }
  const KeySwitchLevel& ks = ctx.keyswitch(l);
  const std::size_t kq = l + 1, kp = ctx.p_base()->size();
  const poly::SimdPath path = poly::simd_path();
  // P part to coefficient form, then to Q_l.
  poly::AlignedVector xp(kp * n), conv(kq * n);
  std::memcpy(xp.data(), x.limb(kq), kp * n * sizeof(u64));
#pragma omp parallel for if (kp > 1 && n >= 4096)
  for (std::size_t t = 0; t < kp; ++t) poly::ntt_inverse(xp.data() + t * n, qp->ntt(kq + t), path);
  // Exact (centred) conversion, so the division by P rounds to nearest. The
  // approximate one would give floor(x/P) - u: an error of mean about 1/2 + u
  // that, multiplied by s in decryption, has a non-zero average whose canonical
  // embedding is amplified by |sum_k zeta^k| ~ 2N/pi in the low slots (measured:
  // ~3 bits lost at N = 2^14).
  ks.mod_down->convert_exact(xp.data(), conv.data());
  poly::RnsPoly out = poly::RnsPoly::uninitialized(ctx.q_base(l), poly::PolyForm::evaluation);  // written below
#pragma omp parallel for if (kq > 1 && n >= 4096)
  for (std::size_t i = 0; i < kq; ++i) {
    const poly::Modulus& m = qp->modulus(i);
    u64* ci = conv.data() + i * n;
    poly::ntt_forward(ci, qp->ntt(i), path);
    u64* o = out.limb(i);
    poly::eltwise_sub(o, x.limb(i), ci, n, m);
    poly::eltwise_mul_scalar(o, o, ks.p_inv_mod_q[i], n, m);
  }
  return out;
}

std::pair<poly::RnsPoly, poly::RnsPoly> key_switch(const Context& ctx, const poly::RnsPoly& c, const KeySwitchKey& key) {
  // Streamed: each digit is extended into one reused buffer and folded into the
  // accumulators at once, so only one extension is alive (dnum times less
  // memory than decompose + inner_product_lazy, which hoisting needs).
  const std::size_t l = level_of(ctx, c, "key_switch");
  if (key.context()->params_hash() != ctx.params_hash()) {
    throw std::invalid_argument("ckks::key_switch: key belongs to another context");
  }
  if (key.level() < l) {
    throw std::invalid_argument("ckks::key_switch: the key was generated for levels <= " + std::to_string(key.level()) +
                                " and cannot switch a ciphertext at level " + std::to_string(l));
  }
  const KeySwitchLevel& ks = ctx.keyswitch(l);
  const auto& qp = ctx.qp_base(l);
  const std::size_t n = ctx.n(), L = key.level();
  poly::RnsPoly cc = c;
  cc.to_coefficient();
  poly::AlignedVector conv(max_complement(ks) * n);
  poly::RnsPoly ext = poly::RnsPoly::uninitialized(qp, poly::PolyForm::evaluation);
  poly::RnsPoly acc0 = poly::RnsPoly::uninitialized(qp, poly::PolyForm::evaluation);
  poly::RnsPoly acc1 = poly::RnsPoly::uninitialized(qp, poly::PolyForm::evaluation);
  const poly::EltwiseKernels& k = poly::eltwise_kernels(poly::simd_path());
  for (std::size_t j = 0; j < ks.digits.size(); ++j) {
    mod_up_digit(ctx, ks.digits[j], c, cc, ext, conv.data());
#pragma omp parallel for if (qp->size() > 1 && n >= 4096)
    for (std::size_t t = 0; t < qp->size(); ++t) {
      const poly::Modulus& m = qp->modulus(t);
      const std::size_t kl = key_limb(t, l, L);
      if (j == 0) {  // the first digit initializes the accumulators
        k.mul(acc0.limb(t), ext.limb(t), key.b(0).limb(kl), n, m);
        k.mul(acc1.limb(t), ext.limb(t), key.a(0).limb(kl), n, m);
      } else {
        k.mul_add(acc0.limb(t), ext.limb(t), key.b(j).limb(kl), n, m);
        k.mul_add(acc1.limb(t), ext.limb(t), key.a(j).limb(kl), n, m);
      }
    }
  }
  return {mod_down(ctx, acc0, l), mod_down(ctx, acc1, l)};
}

}  // namespace tower::ckks
