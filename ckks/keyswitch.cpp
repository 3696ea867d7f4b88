// ckks/keyswitch.cpp — ModUp, inner product, ModDown.
#include "ckks/keyswitch.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <string>

#include "poly/automorphism.hpp"
#include "poly/dot.hpp"
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

// `words` uninitialized words from the context's memory pool: the temporaries
// of key switching are as large as the polynomials and as regular in size, so
// recycling them saves as many page faults (see poly/memory_pool.hpp).
poly::AlignedVector pooled(const Context& ctx, std::size_t words) {
  return poly::AlignedVector(words, poly::AlignedAllocator<u64>(ctx.memory_pool()));
}

// Index of tower t of Q_l * P inside a level-L key's Q_L * P.
std::size_t key_limb(std::size_t t, std::size_t level, std::size_t max_level) {
  return t <= level ? t : t + (max_level - level);
}

// The ModUp of a one-prime digit into tower p, in evaluation form: x mod p for
// every coefficient x < q of the digit (the fast base conversion of a single
// prime, whose CRT factor is 1, see poly::BaseConverter::convert), then the NTT
// mod p. When q <= 4p — primes of one size, the usual case — the coefficients
// already lie in the forward NTT's input range [0, 4p), so the transform reads
// them as they are, out of place: no reduction and no copy.
//
// lazy: the output only feeds the dot kernels, which take it unreduced
// (poly::dot_takes_lazy_left), so the transform may skip its last reduction
// (poly::ntt_forward_lazy).
void mod_up_single_prime(u64* out, const u64* in, std::size_t n, const poly::Modulus& q, const poly::NttTables& p,
                         poly::SimdPath path, bool lazy = false) {
  const u64 pv = p.modulus().value();
  if (q.value() <= 4 * pv) {
    if (lazy) {
      poly::ntt_forward_lazy(out, in, p, path);
    } else {
      poly::ntt_forward(out, in, p, path);
    }
    return;
  }
  for (std::size_t i = 0; i < n; ++i) out[i] = p.modulus().reduce(in[i]);
  if (lazy) {
    poly::ntt_forward_lazy(out, out, p, path);
  } else {
    poly::ntt_forward(out, p, path);
  }
}

// ModUp of one digit into `ext` (over Q_l * P, evaluation form): the digit's own
// towers are c itself; the others are converted from cc (c in coefficient form)
// through `conv` (scratch of at least complement.size() * n words; a digit of
// one prime is converted straight into ext) and NTT'd.
void mod_up_digit(const Context& ctx, const KeySwitchDigit& d, const poly::RnsPoly& c, const poly::RnsPoly& cc,
                  poly::RnsPoly& ext, u64* conv) {
  const std::size_t n = ctx.n();
  const auto& qp = *ext.base();
  std::memcpy(ext.limb(d.begin), c.limb(d.begin), (d.end - d.begin) * n * sizeof(u64));
  const bool single = d.end - d.begin == 1;  // converted straight into ext
  if (!single) d.mod_up->convert_approx(cc.limb(d.begin), conv);
  const poly::SimdPath path = poly::simd_path();
#pragma omp parallel for if (d.complement.size() > 1 && n >= 4096)
  for (std::size_t t = 0; t < d.complement.size(); ++t) {
    const std::size_t dst = d.complement[t];
    u64* limb = ext.limb(dst);
    if (single) {
      mod_up_single_prime(limb, cc.limb(d.begin), n, qp.modulus(d.begin), qp.ntt(dst), path);
    } else {
      poly::ntt_forward(limb, conv + t * n, qp.ntt(dst), path);
    }
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
  const poly::RnsPoly cc = c.coefficient_copy();  // for the base conversions
  poly::AlignedVector conv = pooled(ctx, max_complement(ks) * ctx.n());
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

// Coefficients per chunk of a tower when one decomposition meets several keys:
// the chunk's dnum digit limbs take about 256 KB, so they stay in L2 while
// every key reads them.
// Tower kl of a key as the dot kernels read it: digit j's halves b_j and a_j
// are operands 2j and 2j + 1 of the key's interleaved parts.
struct KeyTower {
  const poly::InterleavedPolys& parts;
  std::size_t tower;
  unsigned width;
  std::size_t stride;
  KeyTower(const KeySwitchKey& key, std::size_t kl)
      : parts(key.parts()), tower(kl), width(parts.width(kl)), stride(parts.stride(kl)) {}
  // y0[j], y1[j] for digits j < dnum, from coefficient c (a multiple of 8) on.
  void operands(std::size_t dnum, std::vector<const std::uint8_t*>& y0, std::vector<const std::uint8_t*>& y1,
                std::size_t c = 0) const {
    const std::size_t at = c / 8 * stride;
    for (std::size_t j = 0; j < dnum; ++j) {
      y0[j] = parts.operand(tower, 2 * j) + at;
      y1[j] = parts.operand(tower, 2 * j + 1) + at;
    }
  }
};

std::size_t hoist_chunk(std::size_t n, std::size_t dnum) {
  constexpr std::size_t kChunkBytes = 256 * 1024;
  return std::min(n, std::max<std::size_t>(256, kChunkBytes / (8 * dnum) / 256 * 256));
}

void check_key(const Context& ctx, const Decomposed& d, const KeySwitchKey& key) {
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
}

// Tower t of the inner products of d with every key: chunk by chunk (see
// hoist_chunk), every key's dot products over the chunk while it is in cache.
// dst(i) gives the two output limbs of key i's tower; x, y0, y1 are the calling
// thread's pointer arrays of dnum entries.
template <class Dst>
void tower_dots(const Context& ctx, const Decomposed& d, std::span<const KeySwitchKey* const> keys, std::size_t t,
                const poly::DotKernels& kern, std::vector<const u64*>& x, std::vector<const std::uint8_t*>& y0,
                std::vector<const std::uint8_t*>& y1, const Dst& dst) {
  const std::size_t n = ctx.n(), dnum = d.digits.size();
  const std::size_t chunk = hoist_chunk(n, dnum);
  const poly::Modulus& m = ctx.qp_base(d.level)->modulus(t);
  for (std::size_t c = 0; c < n; c += chunk) {
    const std::size_t len = std::min(chunk, n - c);
    for (std::size_t j = 0; j < dnum; ++j) x[j] = d.digits[j].limb(t) + c;
    for (std::size_t i = 0; i < keys.size(); ++i) {
      const KeySwitchKey& key = *keys[i];
      const std::size_t kl = key_limb(t, d.level, key.level());
      const KeyTower kt(key, kl);
      kt.operands(dnum, y0, y1, c);
      const auto [o0, o1] = dst(i);
      kern.dot(o0 + c, o1 + c, x.data(), y0.data(), y1.data(), kt.width, kt.stride, dnum, len, m, false);
    }
  }
}

// acc0 (+)= sum_j d_j * b_j, acc1 (+)= sum_j d_j * a_j, with one lazy dot
// product per tower (poly/dot.hpp: one reduction per output instead of one per
// digit, and each accumulator written once instead of read and written per
// digit); `fresh` overwrites the accumulators, so they need no zero-fill.
void accumulate(const Context& ctx, const Decomposed& d, const KeySwitchKey& key, poly::RnsPoly& acc0,
                poly::RnsPoly& acc1, bool fresh) {
  check_key(ctx, d, key);
  const auto& qp = ctx.qp_base(d.level);
  if (!(*acc0.base() == *qp) || !(*acc1.base() == *qp)) {
    throw std::invalid_argument("ckks::inner_product: accumulators must be over Q_l * P");
  }
  const std::size_t n = ctx.n(), L = key.level(), dnum = d.digits.size();
  const poly::DotKernels& k = poly::dot_kernels(poly::simd_path());
  // Digit j at level l is the digit whose first prime is d.begin; keys index digits
  // by the partition at their own level, which the digits at level l follow in order.
#pragma omp parallel for if (qp->size() > 1 && n >= 4096)
  for (std::size_t t = 0; t < qp->size(); ++t) {
    const KeyTower kt(key, key_limb(t, d.level, L));
    std::vector<const u64*> x(dnum);
    std::vector<const std::uint8_t*> y0(dnum), y1(dnum);
    for (std::size_t j = 0; j < dnum; ++j) x[j] = d.digits[j].limb(t);
    kt.operands(dnum, y0, y1);
    k.dot(acc0.limb(t), acc1.limb(t), x.data(), y0.data(), y1.data(), kt.width, kt.stride, dnum, n, qp->modulus(t),
          !fresh);
  }
}

}  // namespace

void inner_product_lazy(const Context& ctx, const Decomposed& d, const KeySwitchKey& key, poly::RnsPoly& acc0,
                        poly::RnsPoly& acc1) {
  accumulate(ctx, d, key, acc0, acc1, false);
}

std::pair<poly::RnsPoly, poly::RnsPoly> inner_product(const Context& ctx, const Decomposed& d, const KeySwitchKey& key) {
  const auto& qp = ctx.qp_base(d.level);
  auto acc0 = poly::RnsPoly::uninitialized(qp, poly::PolyForm::evaluation);  // every tower written
  auto acc1 = poly::RnsPoly::uninitialized(qp, poly::PolyForm::evaluation);
  if (d.digits.empty()) throw std::invalid_argument("ckks::inner_product: empty decomposition");
  accumulate(ctx, d, key, acc0, acc1, true);
  return {std::move(acc0), std::move(acc1)};
}

std::vector<std::pair<poly::RnsPoly, poly::RnsPoly>> inner_products(const Context& ctx, const Decomposed& d,
                                                                    std::span<const KeySwitchKey* const> keys) {
  // Key by key, every key read streams the decomposition (dnum * (l+1+k) limbs,
  // half as many words as a key) from memory again. Here each tower is cut into
  // chunks whose dnum digit limbs fit in L2 together (dnum * chunk * 8 bytes
  // <= 256 KB), and every key takes its dot products over a chunk while the
  // chunk is in cache: the decomposition is read from memory once per call.
  if (d.digits.empty()) throw std::invalid_argument("ckks::inner_products: empty decomposition");
  for (const KeySwitchKey* key : keys) {
    if (key == nullptr) throw std::invalid_argument("ckks::inner_products: null key");
    check_key(ctx, d, *key);
  }
  const auto& qp = ctx.qp_base(d.level);
  const std::size_t n = ctx.n(), dnum = d.digits.size(), nk = keys.size();
  std::vector<std::pair<poly::RnsPoly, poly::RnsPoly>> out;
  out.reserve(nk);
  for (std::size_t i = 0; i < nk; ++i) {
    out.emplace_back(poly::RnsPoly::uninitialized(qp, poly::PolyForm::evaluation),  // every tower written
                     poly::RnsPoly::uninitialized(qp, poly::PolyForm::evaluation));
  }
  const poly::DotKernels& k = poly::dot_kernels(poly::simd_path());
#pragma omp parallel if (qp->size() > 1 && n >= 4096)
  {
    std::vector<const u64*> x(dnum);
    std::vector<const std::uint8_t*> y0(dnum), y1(dnum);
#pragma omp for
    for (std::size_t t = 0; t < qp->size(); ++t) {
      tower_dots(ctx, d, keys, t, k, x, y0, y1,
                 [&](std::size_t i) { return std::pair{out[i].first.limb(t), out[i].second.limb(t)}; });
    }
  }
  return out;
}

poly::RnsPoly mod_down(const Context& ctx, const poly::RnsPoly& x, std::size_t l) {
  return mod_down(ctx, x, l, nullptr, nullptr);
}

namespace {

// The P part of x (kp limbs at xp, evaluation form; overwritten) to coefficient
// form and exactly converted to Q_l into conv (kq limbs, coefficient form, each
// in [0, 4q): the forward NTT's input range). With one special prime the
// conversion is a lift done tower by tower in mod_down_finish instead, where
// the limb is NTT'd right after (poly::BaseConverter::convert_exact_lazy_target).
void mod_down_convert(const Context& ctx, std::size_t l, u64* xp, u64* conv, poly::SimdPath path) {
  const std::size_t n = ctx.n(), kq = l + 1, kp = ctx.p_base()->size();
  const auto& qp = ctx.qp_base(l);
#pragma omp parallel for if (kp > 1 && n >= 4096)
  for (std::size_t t = 0; t < kp; ++t) poly::ntt_inverse(xp + t * n, qp->ntt(kq + t), path);
  // Exact (centred) conversion, so the division by P rounds to nearest. The
  // approximate one would give floor(x/P) - u: an error of mean about 1/2 + u
  // that, multiplied by s in decryption, has a non-zero average whose canonical
  // embedding is amplified by |sum_k zeta^k| ~ 2N/pi in the low slots (measured:
  // ~3 bits lost at N = 2^14).
  const poly::BaseConverter& conv_p = *ctx.keyswitch(l).mod_down;
  if (!conv_p.exact_lazy_is_lift()) conv_p.convert_exact_lazy(xp, conv);
}

// Tower i < kq of ModDown, in place: on entry out_i holds conv_i, the exact
// conversion of the P part (coefficient form) — or, with one special prime, xp
// is that part and the conversion (a lift) is made here; on exit
//   out_i = sigma((x_i - NTT(conv_i)) * P^-1 + addend_i),
// addend and sigma optional. A permutation cannot run in place, so its input is
// finished in `scratch` (n words, in L2 like the limb just NTT'd) and gathered
// from there into out_i.
void mod_down_finish(const Context& ctx, std::size_t l, std::size_t i, const u64* x_i, const u64* xp,
                     const u64* addend_i, const std::uint32_t* perm, u64* out_i, u64* scratch, poly::SimdPath path) {
  const std::size_t n = ctx.n();
  const auto& qp = ctx.qp_base(l);
  const poly::Modulus& m = qp->modulus(i);
  const poly::BaseConverter& conv_p = *ctx.keyswitch(l).mod_down;
  if (conv_p.exact_lazy_is_lift()) conv_p.convert_exact_lazy_target(xp, out_i, i);
  poly::ntt_forward(out_i, qp->ntt(i), path);
  u64* o = perm ? scratch : out_i;
  poly::eltwise_sub_mul_scalar_add(o, x_i, out_i, ctx.keyswitch(l).p_inv_mod_q[i], addend_i, n, m);
  if (perm) poly::automorphism_eval(scratch, out_i, n, perm);
}

}  // namespace

poly::RnsPoly mod_down(const Context& ctx, const poly::RnsPoly& x, std::size_t l, const poly::RnsPoly* addend,
                       const std::vector<std::uint32_t>* perm) {
  const std::size_t n = ctx.n();
  const auto& qp = ctx.qp_base(l);
  if (!(*x.base() == *qp) || !x.is_evaluation()) {
    throw std::invalid_argument("ckks::mod_down: input must be over Q_l * P in evaluation form");
  }
  if (addend && (!(*addend->base() == *ctx.q_base(l)) || !addend->is_evaluation())) {
    throw std::invalid_argument("ckks::mod_down: the addend must be over Q_l in evaluation form");
  }
  if (perm && perm->size() != n) throw std::invalid_argument("ckks::mod_down: permutation has the wrong size");
  const std::size_t kq = l + 1, kp = ctx.p_base()->size();
  const poly::SimdPath path = poly::simd_path();
  poly::AlignedVector xp = pooled(ctx, kp * n);
  std::memcpy(xp.data(), x.limb(kq), kp * n * sizeof(u64));
  // The conversion goes straight into the result's limbs, which mod_down_finish
  // then finishes in place: no separate Q_l-sized buffer.
  poly::RnsPoly out = poly::RnsPoly::uninitialized(ctx.q_base(l), poly::PolyForm::evaluation);  // written below
  mod_down_convert(ctx, l, xp.data(), out.data(), path);
#pragma omp parallel if (kq > 1 && n >= 4096)
  {
    poly::AlignedVector scratch = pooled(ctx, perm ? n : 0);
#pragma omp for
    for (std::size_t i = 0; i < kq; ++i) {
      mod_down_finish(ctx, l, i, x.limb(i), xp.data(), addend ? addend->limb(i) : nullptr,
                      perm ? perm->data() : nullptr, out.limb(i), scratch.data(), path);
    }
  }
  return out;
}

std::vector<std::pair<poly::RnsPoly, poly::RnsPoly>> key_switch_hoisted(
    const Context& ctx, const Decomposed& d, std::span<const KeySwitchKey* const> keys,
    std::span<const std::vector<std::uint32_t>* const> perms, const poly::RnsPoly* addend) {
  // inner_products followed by one mod_down per result writes 2 * keys.size()
  // polynomials over Q_l * P to memory and reads them back. Here the P towers
  // come first (their ModDown conversion needs all of them), then each tower of
  // Q_l is formed and finished while it is in cache: its dot products (over
  // chunks of the decomposition shared by a batch of keys, as in
  // inner_products) go to per-thread tower buffers, and ModDown's last step
  // (mod_down_finish) reads them from there. Bit-identical to
  // mod_down(inner_product(d, key_i), ...).
  if (d.digits.empty()) throw std::invalid_argument("ckks::key_switch_hoisted: empty decomposition");
  if (perms.size() != keys.size()) {
    throw std::invalid_argument("ckks::key_switch_hoisted: one permutation (or null) per key is needed");
  }
  const std::size_t l = d.level, n = ctx.n();
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (keys[i] == nullptr) throw std::invalid_argument("ckks::key_switch_hoisted: null key");
    check_key(ctx, d, *keys[i]);
    if (perms[i] && perms[i]->size() != n) {
      throw std::invalid_argument("ckks::key_switch_hoisted: permutation has the wrong size");
    }
  }
  if (addend && (!(*addend->base() == *ctx.q_base(l)) || !addend->is_evaluation())) {
    throw std::invalid_argument("ckks::key_switch_hoisted: the addend must be over Q_l in evaluation form");
  }
  const std::size_t dnum = d.digits.size(), nk = keys.size(), kq = l + 1, kp = ctx.p_base()->size();
  const poly::SimdPath path = poly::simd_path();
  const poly::DotKernels& kern = poly::dot_kernels(path);

  // The results, allocated first: each receives its ModDown conversion (step 1)
  // and is finished in place tower by tower (step 2), so the pending
  // conversions need no memory of their own.
  std::vector<std::pair<poly::RnsPoly, poly::RnsPoly>> out;
  out.reserve(nk);
  for (std::size_t i = 0; i < nk; ++i) {
    out.emplace_back(poly::RnsPoly::uninitialized(ctx.q_base(l), poly::PolyForm::evaluation),  // written below
                     poly::RnsPoly::uninitialized(ctx.q_base(l), poly::PolyForm::evaluation));
  }
  const auto result = [&](std::size_t r) -> poly::RnsPoly& { return r % 2 == 0 ? out[r / 2].first : out[r / 2].second; };

  // 1. The P towers of every inner product, then their conversions to Q_l.
  std::vector<poly::AlignedVector> xp;
  for (std::size_t r = 0; r < 2 * nk; ++r) xp.push_back(pooled(ctx, kp * n));
#pragma omp parallel if (kp > 1 && n >= 4096)
  {
    std::vector<const u64*> x(dnum);
    std::vector<const std::uint8_t*> y0(dnum), y1(dnum);
#pragma omp for
    for (std::size_t t = kq; t < kq + kp; ++t) {
      tower_dots(ctx, d, keys, t, kern, x, y0, y1, [&](std::size_t i) {
        return std::pair{xp[2 * i].data() + (t - kq) * n, xp[2 * i + 1].data() + (t - kq) * n};
      });
    }
  }
  for (std::size_t r = 0; r < 2 * nk; ++r) mod_down_convert(ctx, l, xp[r].data(), result(r).data(), path);

  // 2. Tower by tower of Q_l: the inner products, then ModDown's last step,
  // a batch of keys at a time. The batch's inner-product towers (2 limbs per
  // key) are kept to about 1 MB, so mod_down_finish can read them from L2
  // and each thread's buffer stays small (rotate_hoisted's groups of four keys
  // took 4 MB per thread at N = 2^16, a direct call with 16 keys 16 MB); each
  // batch reads the decomposition's tower again, from cache.
  // Speed: within this host's noise in paired runs (docs/benchmarks.md).
  const std::size_t batch = std::clamp<std::size_t>((std::size_t{1} << 20) / (2 * n * sizeof(u64)), 1, nk);
#pragma omp parallel if (kq > 1 && n >= 4096)
  {
    std::vector<const u64*> x(dnum);
    std::vector<const std::uint8_t*> y0(dnum), y1(dnum);
    poly::AlignedVector ip = pooled(ctx, 2 * batch * n);  // this thread's tower of a batch of inner products
    poly::AlignedVector scratch = pooled(ctx, n);         // mod_down_finish's permutation input
#pragma omp for
    for (std::size_t t = 0; t < kq; ++t) {
      for (std::size_t i0 = 0; i0 < nk; i0 += batch) {
        const std::size_t cnt = std::min(batch, nk - i0);
        tower_dots(ctx, d, keys.subspan(i0, cnt), t, kern, x, y0, y1,
                   [&](std::size_t b) { return std::pair{ip.data() + 2 * b * n, ip.data() + (2 * b + 1) * n}; });
        for (std::size_t b = 0; b < cnt; ++b) {
          const std::size_t i = i0 + b;
          const std::uint32_t* perm = perms[i] ? perms[i]->data() : nullptr;
          mod_down_finish(ctx, l, t, ip.data() + 2 * b * n, xp[2 * i].data(), addend ? addend->limb(t) : nullptr,
                          perm, out[i].first.limb(t), scratch.data(), path);
          mod_down_finish(ctx, l, t, ip.data() + (2 * b + 1) * n, xp[2 * i + 1].data(), nullptr, perm,
                          out[i].second.limb(t), scratch.data(), path);
        }
      }
    }
  }
  return out;
}

namespace {

// Steps 1 and 2 streamed tower by tower, for a single switch: for tower t, the
// dnum extensions' limbs of that tower are formed in coefficient form, NTT'd
// (one limb at a time, in L2) and at once reduced against the key by one lazy
// dot product. The decomposition is never materialized in evaluation form and
// the digits' own towers are read straight from c (no copy). Digits of one prime
// (dnum = L + 1, e.g. SEAL's parameters) are converted inside tower(), into the
// calling thread's scratch; wider digits are converted up front for all their
// targets (the base conversion shares the CRT pieces y_i among targets).
class StreamedModUp {
 public:
  StreamedModUp(const Context& ctx, const poly::RnsPoly& c, const KeySwitchKey& key)
      : ctx_(ctx), c_(c), key_(key), l_(level_of(ctx, c, "key_switch")), cc_(c.coefficient_copy()) {
    if (key.context()->params_hash() != ctx.params_hash()) {
      throw std::invalid_argument("ckks::key_switch: key belongs to another context");
    }
    if (key.level() < l_) {
      throw std::invalid_argument("ckks::key_switch: the key was generated for levels <= " +
                                  std::to_string(key.level()) + " and cannot switch a ciphertext at level " +
                                  std::to_string(l_));
    }
    const KeySwitchLevel& ks = ctx.keyswitch(l_);
    const std::size_t n = ctx.n(), dnum = ks.digits.size();
    // One buffer per wide digit (each below glibc's largest mmap threshold, so
    // they are recycled from the heap rather than faulted in afresh every call).
    conv_.resize(dnum);
    for (std::size_t j = 0; j < dnum; ++j) {
      const KeySwitchDigit& d = ks.digits[j];
      if (d.end - d.begin == 1) continue;
      conv_[j] = pooled(ctx, d.complement.size() * n);
      d.mod_up->convert_approx(cc_.limb(d.begin), conv_[j].data());
    }
  }

  std::size_t level() const noexcept { return l_; }

  // Per-thread buffers of tower().
  struct Thread {
    poly::AlignedVector scratch;  // single-prime digits' limbs of the current tower
    std::vector<const u64*> x;
    std::vector<const std::uint8_t*> y0, y1;
  };
  Thread thread() const {
    const std::size_t dnum = ctx_.keyswitch(l_).digits.size();
    return {pooled(ctx_, dnum * ctx_.n()), std::vector<const u64*>(dnum),
            std::vector<const std::uint8_t*>(dnum), std::vector<const std::uint8_t*>(dnum)};
  }

  // Tower t of Q_l * P of the two inner products, into out0 and out1 (n words each).
  void tower(std::size_t t, Thread& th, u64* out0, u64* out1, poly::SimdPath path,
             const poly::DotKernels& kern) const {
    const KeySwitchLevel& ks = ctx_.keyswitch(l_);
    const auto& qp = ctx_.qp_base(l_);
    const std::size_t n = ctx_.n(), dnum = ks.digits.size();
    const std::size_t kl = key_limb(t, l_, key_.level());
    // The digits' limbs of this tower go only to the dot product below.
    const bool lazy = poly::dot_takes_lazy_left(qp->modulus(t));
    for (std::size_t j = 0; j < dnum; ++j) {
      const KeySwitchDigit& d = ks.digits[j];
      if (t >= d.begin && t < d.end) {
        th.x[j] = c_.limb(t);  // the digit's own tower: c itself
      } else {
        u64* limb;
        if (conv_[j].empty()) {
          limb = th.scratch.data() + j * n;
          mod_up_single_prime(limb, cc_.limb(d.begin), n, qp->modulus(d.begin), qp->ntt(t), path, lazy);
        } else {
          // Position of tower t in the complement [0, begin) + [end, size). Each
          // tower is visited once, so the conversion is NTT'd in place.
          limb = conv_[j].data() + (t < d.begin ? t : t - (d.end - d.begin)) * n;
          if (lazy) {
            poly::ntt_forward_lazy(limb, limb, qp->ntt(t), path);
          } else {
            poly::ntt_forward(limb, qp->ntt(t), path);
          }
        }
        th.x[j] = limb;
      }
    }
    const KeyTower kt(key_, kl);
    kt.operands(dnum, th.y0, th.y1);
    kern.dot(out0, out1, th.x.data(), th.y0.data(), th.y1.data(), kt.width, kt.stride, dnum, n, qp->modulus(t),
             false);
  }

 private:
  const Context& ctx_;
  const poly::RnsPoly& c_;
  const KeySwitchKey& key_;
  std::size_t l_;
  poly::RnsPoly cc_;  // c in coefficient form, for the base conversions
  mutable std::vector<poly::AlignedVector> conv_;
};

}  // namespace

std::pair<poly::RnsPoly, poly::RnsPoly> mod_up_inner_product(const Context& ctx, const poly::RnsPoly& c,
                                                             const KeySwitchKey& key) {
  const StreamedModUp up(ctx, c, key);
  const auto& qp = ctx.qp_base(up.level());
  poly::RnsPoly acc0 = poly::RnsPoly::uninitialized(qp, poly::PolyForm::evaluation);  // every tower written
  poly::RnsPoly acc1 = poly::RnsPoly::uninitialized(qp, poly::PolyForm::evaluation);
  const poly::SimdPath path = poly::simd_path();
  const poly::DotKernels& kern = poly::dot_kernels(path);
#pragma omp parallel if (qp->size() > 1 && ctx.n() >= 4096)
  {
    StreamedModUp::Thread th = up.thread();
#pragma omp for
    for (std::size_t t = 0; t < qp->size(); ++t) up.tower(t, th, acc0.limb(t), acc1.limb(t), path, kern);
  }
  return {std::move(acc0), std::move(acc1)};
}

std::pair<poly::RnsPoly, poly::RnsPoly> key_switch(const Context& ctx, const poly::RnsPoly& c, const KeySwitchKey& key,
                                                   const poly::RnsPoly* addend0, const poly::RnsPoly* addend1,
                                                   const std::vector<std::uint32_t>* perm) {
  // mod_up_inner_product followed by two mod_downs writes both inner products
  // over Q_l * P to memory (evicted by the key streaming through the cache) and
  // reads them back. Here, as in key_switch_hoisted, the P towers come first
  // (their ModDown conversion needs all of them) and each tower of Q_l is
  // finished right after its inner products, while they are in cache.
  const StreamedModUp up(ctx, c, key);
  const std::size_t l = up.level(), n = ctx.n(), kq = l + 1, kp = ctx.p_base()->size();
  for (const poly::RnsPoly* a : {addend0, addend1}) {
    if (a && (!(*a->base() == *ctx.q_base(l)) || !a->is_evaluation())) {
      throw std::invalid_argument("ckks::key_switch: an addend must be over Q_l in evaluation form");
    }
  }
  if (perm && perm->size() != n) throw std::invalid_argument("ckks::key_switch: permutation has the wrong size");
  const poly::SimdPath path = poly::simd_path();
  const poly::DotKernels& kern = poly::dot_kernels(path);
  poly::RnsPoly out0 = poly::RnsPoly::uninitialized(ctx.q_base(l), poly::PolyForm::evaluation);  // written below
  poly::RnsPoly out1 = poly::RnsPoly::uninitialized(ctx.q_base(l), poly::PolyForm::evaluation);
  poly::AlignedVector xp0 = pooled(ctx, kp * n), xp1 = pooled(ctx, kp * n);
  {
#pragma omp parallel if (kp > 1 && n >= 4096)
    {
      StreamedModUp::Thread th = up.thread();
#pragma omp for
      for (std::size_t t = 0; t < kp; ++t) up.tower(kq + t, th, xp0.data() + t * n, xp1.data() + t * n, path, kern);
    }
    mod_down_convert(ctx, l, xp0.data(), out0.data(), path);
    mod_down_convert(ctx, l, xp1.data(), out1.data(), path);
  }
  const std::uint32_t* pm = perm ? perm->data() : nullptr;
#pragma omp parallel if (kq > 1 && n >= 4096)
  {
    StreamedModUp::Thread th = up.thread();
    poly::AlignedVector ip = pooled(ctx, 2 * n);  // this thread's tower of both inner products
    poly::AlignedVector scratch = pooled(ctx, pm ? n : 0);
#pragma omp for
    for (std::size_t t = 0; t < kq; ++t) {
      up.tower(t, th, ip.data(), ip.data() + n, path, kern);
      mod_down_finish(ctx, l, t, ip.data(), xp0.data(), addend0 ? addend0->limb(t) : nullptr, pm, out0.limb(t),
                      scratch.data(), path);
      mod_down_finish(ctx, l, t, ip.data() + n, xp1.data(), addend1 ? addend1->limb(t) : nullptr, pm, out1.limb(t),
                      scratch.data(), path);
    }
  }
  return {std::move(out0), std::move(out1)};
}

}  // namespace tower::ckks
