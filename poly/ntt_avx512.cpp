// poly/ntt_avx512.cpp — AVX-512 negacyclic NTT kernels (8 residues per vector).
//
// Same transform as ntt_scalar.cpp — Cooley–Tukey forward, Gentleman–Sande
// inverse, twiddles in bit-reversed order, Harvey's lazy butterflies with
// Shoup-precomputed twiddles (Harvey 2014, "Faster arithmetic for
// number-theoretic transforms", Algorithm 4 forward, Algorithm 3 inverse) — and
// the same output, fully reduced to [0, q), hence bit-identical to it. Only the
// lazy ranges between stages differ; every helper states its own.
//
// Three multiplication engines, chosen per call:
//  * Ifma52 (AVX512-IFMA present and q < 2^50, so 4q < 2^52): the Shoup product
//    uses the 52-bit companion w' = floor(w * 2^52 / q):
//        Q = hi52(w' * y),  T = (lo52(w * y) - lo52(Q * q)) mod 2^52,
//    and T = w*y - Q*q lies in [0, 2q) for every y < 2^52 (Harvey's bound with
//    beta = 2^52). The multipliers read only the low 52 bits of each operand.
//  * Avx512x64 (F/DQ/VL/BW only, any q < 2^61): the 64-bit Shoup product with
//    w' = floor(w * 2^64 / q). The quotient hi64(w' * y) is estimated from three
//    vpmuludq partial products (at most 2 short) and vpmullq gives the low
//    words; the lazy product lies in [0, 3.5q). For q < 2^60 ("wide") the lazy
//    bound B of the butterflies is 4q and the product is used as it is; for
//    61-bit q, B = 2q and one conditional subtraction brings it to [0, 2q).
//    For 2^40 < q < 2^56 the forward transform ("growing") reduces nothing
//    until its last stage: values grow by less than 4q per stage and stay
//    below 2^63 (see Avx512x64, kGrow).
//  * Ifma64 (AVX512-IFMA present, 2^50 < q < 2^60, where the wide Avx512x64 ran):
//    Avx512x64's 64-bit words, lazy ranges and passes, with the quotient
//    estimated by one vpmullq and two IFMA high products instead of three
//    vpmuludq, their shifts and adds (see Ifma64): 10 vector operations per
//    growing butterfly instead of 14. The 55-bit primes of SEAL's N = 2^15 set
//    are its main customers.
//
// Structure (n = 2^k, 16 <= n <= 2^17; the array is 64-byte aligned). The data
// (128 KB at n = 2^14) lives in L2, so stages are fused into passes that keep
// 2^R vectors in registers ("groups", R stages per sweep over the data):
//  * Forward: passes of up to kMaxR stages with broadcast twiddles, then one
//    tail pass over blocks of 8 * 2^kTailR consecutive elements: kTailR stages
//    down to stride 8 in registers, then strides 4, 2, 1 on each 16-element
//    block (two vectors). Before each of those three stages one "perfect
//    shuffle" (two vpermt2q) lines up the butterfly partners so that the stage's
//    twiddles are consecutive in memory (broadcast 2 or 4 of them, or load 8);
//    a fourth restores natural order. The reduction to [0, q) is folded into
//    the last stage.
//  * Inverse: the mirror image — a head pass (strides 1, 2, 4 with the shuffles,
//    then kTailR stages in registers), then passes of up to kMaxR stages; the
//    last stage folds in n^-1 as the scalar kernel does.
//  A group's vectors are s words apart; with s >= 512 (4 KB) they all map to
//  one set of the 8-way L1, so such passes take at most 3 stages.
//
// Lazy ranges. Harvey's forward butterfly takes X, Y in [0, 4q) and first brings
// X to [0, 2q); below, 2q is the lazy bound B, which the wide 64-bit engine
// doubles (X in [0, 4q), Y in [0, 8q)). In Cooley–Tukey both outputs of a
// butterfly become X inputs of the next stage or both become Y inputs, and
// inside a group (and for whole columns of a pass) it is known which:
//  * outputs that become X inputs are reduced to [0, B) right away
//    (fwd_bfly_to_x), so the next stage needs no reduction of X;
//  * outputs that become Y inputs are only ever multiplied (fwd_bfly_to_y): with
//    IFMA they may be left unreduced modulo 2^52 — a wrong multiple of 2^52 in
//    the bits the 52-bit multipliers ignore — which saves the masking of T.
//  Where a vector mixes both roles (the stride-8, 4 and 2 stages) the butterfly
//  keeps Harvey's exact outputs in [0, 2B) (fwd_bfly_lazy).
// In the inverse, the outputs W*(X - Y + 2q) of a Gentleman–Sande butterfly are
// likewise left modulo 2^52 ("raw"); the next stage masks X + Y once instead
// (one AND per butterfly instead of two), and X - Y + 2q is only multiplied.
// The 64-bit engine has no such slack and keeps every value exact.
//
// The instruction sets are enabled (poly/simd_target.hpp) around the kernel code
// only, after every #include (see poly/CMakeLists.txt).

#include <cstddef>
#include <utility>

#include "poly/cpu.hpp"
#include "poly/modulus.hpp"
#include "poly/ntt_kernels.hpp"
#include "poly/simd_target.hpp"

TOWER_TARGET_BEGIN("avx512f,avx512dq,avx512vl,avx512bw,avx512ifma")

namespace tower::poly::detail {
namespace {

using V = __m512i;

// Every helper below is forced inline: a pass is one loop nest whose vectors
// must stay in registers (GCC's inliner gives up on the unrolled groups).
#define TOWER_INLINE __attribute__((always_inline)) inline

// ---- Memory and lane helpers. ----

static TOWER_INLINE V load(const u64* p) { return _mm512_load_si512(p); }
static TOWER_INLINE void store(u64* p, V v) { _mm512_store_si512(p, v); }
static TOWER_INLINE V bcast1(u64 x) { return _mm512_set1_epi64(static_cast<long long>(x)); }
// Lanes p[0], p[1], p[0], p[1], ... (p 16-byte aligned).
static TOWER_INLINE V bcast2(const u64* p) {
  return _mm512_broadcast_i64x2(_mm_load_si128(reinterpret_cast<const __m128i*>(p)));
}
// Lanes p[0..3], p[0..3] (p 32-byte aligned).
static TOWER_INLINE V bcast4(const u64* p) {
  return _mm512_broadcast_i64x4(_mm256_load_si256(reinterpret_cast<const __m256i*>(p)));
}

// The "perfect shuffle" of 16 elements held in (x, y): with element index
// e = 8*s + l (s = vector, l = lane), e -> rotate the 4 index bits left, i.e.
//   x' = [x0 y0 x1 y1 x2 y2 x3 y3], y' = [x4 y4 x5 y5 x6 y6 x7 y7],
// and its inverse (even lanes of x:y, odd lanes of x:y).
static TOWER_INLINE void interleave(V& x, V& y) {
  const V lo = _mm512_set_epi64(11, 3, 10, 2, 9, 1, 8, 0);
  const V hi = _mm512_set_epi64(15, 7, 14, 6, 13, 5, 12, 4);
  const V a = _mm512_permutex2var_epi64(x, lo, y);
  y = _mm512_permutex2var_epi64(x, hi, y);
  x = a;
}
static TOWER_INLINE void deinterleave(V& x, V& y) {
  const V ev = _mm512_set_epi64(14, 12, 10, 8, 6, 4, 2, 0);
  const V od = _mm512_set_epi64(15, 13, 11, 9, 7, 5, 3, 1);
  const V a = _mm512_permutex2var_epi64(x, ev, y);
  y = _mm512_permutex2var_epi64(x, od, y);
  x = a;
}

// x mod m for x in [0, 2m): if x < m, x - m wraps past 2^63 and min keeps x.
static TOWER_INLINE V reduce_once(V x, V m) { return _mm512_min_epu64(x, _mm512_sub_epi64(x, m)); }
// d mod m for d in [-m, m) (two's complement): if d < 0 it is huge unsigned and
// min picks d + m.
static TOWER_INLINE V add_if_neg(V d, V m) { return _mm512_min_epu64(d, _mm512_add_epi64(d, m)); }

// ---- Multiplication engines. ----
//
// Each engine gives, for a twiddle (w, w') and a multiplicand y:
//   mul_raw(y, tw):      a value congruent to T = w*y - Q*q modulo the engine's
//                        word (2^52 for IFMA, 2^64 otherwise), T in [0, 2q);
//   mul_acc(a, y, tw):   a + mul_raw(y, tw);
//   canon(r):            T itself, for r from mul_raw (or a + T for r from
//                        mul_acc when a + T < 2^52).
// kFusedAcc says whether mul_acc is free (IFMA adds in its accumulator).

// IFMA52: y is read modulo 2^52 (its true value must be < 2^52; 4q < 2^52).
// mul_raw returns lo52(w*y) + lo52(Q*(2^52 - q)) = T or T + 2^52; canon masks.
struct Ifma52 {
  static constexpr int kMaxR = 3;   // stages per pass (2^R vectors in registers)
  static constexpr int kTailR = 4;  // stages in registers in the tail / head pass
  static constexpr bool kFusedAcc = true;
  static constexpr bool kWide = false;  // the lazy bound B is 2q
  static constexpr bool kGrow = false;
  struct Tw {
    V w, wp;
  };
  V q, two_q, bound, neg_q, mask52;

  explicit Ifma52(u64 qv)
      : q(bcast1(qv)),
        two_q(bcast1(2 * qv)),
        bound(two_q),
        neg_q(bcast1((u64{1} << 52) - qv)),
        mask52(bcast1((u64{1} << 52) - 1)) {}

  static const u64* fwd_shoup(const NttTables& t) noexcept { return t.fwd_root_shoup52(); }
  static const u64* inv_shoup(const NttTables& t) noexcept { return t.inv_root_shoup52(); }
  static u64 n_inv_shoup(const NttTables& t) noexcept { return t.n_inv_shoup52(); }
  static u64 last_inv_shoup(const NttTables& t) noexcept { return t.last_inv_root_scaled_shoup52(); }

  TOWER_INLINE static Tw tw(u64 w, u64 wp) { return {bcast1(w), bcast1(wp)}; }
  TOWER_INLINE static Tw tw2(const u64* w, const u64* wp) { return {bcast2(w), bcast2(wp)}; }
  TOWER_INLINE static Tw tw4(const u64* w, const u64* wp) { return {bcast4(w), bcast4(wp)}; }
  TOWER_INLINE static Tw tw8(const u64* w, const u64* wp) { return {load(w), load(wp)}; }

  TOWER_INLINE V mul_raw(V y, const Tw& t) const { return mul_acc(_mm512_setzero_si512(), y, t); }
  TOWER_INLINE V mul_acc(V acc, V y, const Tw& t) const {
    const V qhat = _mm512_madd52hi_epu64(_mm512_setzero_si512(), t.wp, y);  // floor(w' y / 2^52)
    const V awy = _mm512_madd52lo_epu64(acc, t.w, y);                       // acc + (w y mod 2^52)
    return _mm512_madd52lo_epu64(awy, qhat, neg_q);                         // + (-qhat q mod 2^52)
  }
  TOWER_INLINE V canon(V r) const { return _mm512_and_si512(r, mask52); }
};

// 64-bit: y < 2^63, every value exact. kWide (q < 2^60): the lazy bound is
// B = 4q and mul_raw returns T in [0, 3.5q) unreduced; otherwise (q < 2^61)
// B = 2q and mul_raw brings T to [0, 2q). With 55- to 60-bit primes a 64-bit
// word has room for 8q, and the conditional subtraction saved in every
// multiplication is two of the butterfly's 14-17 vector operations, which on
// Zen 4 is what bounds it (issue: a register-only butterfly loop runs at ~1.7
// AVX-512 operations per cycle).
//
// kGrow (2^40 < q < 2^56, with kWide): no forward butterfly reduces at all.
// Every one is X' = X + T, Y' = X - T + 4q with T in [0, 3.5q), so a stage adds
// less than 4q to the largest value: after s stages of inputs in [0, 4q) every
// value is below 4q(s + 1) <= 72q < 2^63 for n <= 2^17 (so every multiplicand
// is below 2^63, as mul_raw needs), and only the last stage reduces, with one
// quotient estimate (reduce_grown). This saves the two conditional subtractions
// of fwd_bfly_to_x (half the butterflies of the register passes) and Harvey's
// reduction of X in the last three stages, for a few more operations in the
// last stage.
template <bool kWideRange, bool kGrowRange = false>
struct Avx512x64 {
  static constexpr int kMaxR = 4;
  static constexpr int kTailR = 4;
  static constexpr bool kFusedAcc = false;
  static constexpr bool kWide = kWideRange;
  static constexpr bool kGrow = kGrowRange;
  static_assert(kWide || !kGrow, "the growing ranges start from the wide engine's");
  struct Tw {
    V w, wp, wp_hi;  // wp_hi = w' >> 32
  };
  V q, two_q, bound;
  V mu;          // kGrow: floor(2^(31 + b) / q), b = bits of q (below 2^32 as q > 2^(b-1))
  __m128i mu_s;  // kGrow: the shift b

  explicit Avx512x64(u64 qv)
      : q(bcast1(qv)), two_q(bcast1(2 * qv)), bound(bcast1((kWide ? 4 : 2) * qv)), mu(), mu_s() {
    if constexpr (kGrow) {
      const int b = 64 - __builtin_clzll(qv);
      mu = bcast1(static_cast<u64>((static_cast<u128>(1) << (31 + b)) / qv));
      mu_s = _mm_cvtsi64_si128(b);
    }
  }

  static const u64* fwd_shoup(const NttTables& t) noexcept { return t.fwd_root_shoup(); }
  static const u64* inv_shoup(const NttTables& t) noexcept { return t.inv_root_shoup(); }
  static u64 n_inv_shoup(const NttTables& t) noexcept { return t.n_inv_shoup(); }
  static u64 last_inv_shoup(const NttTables& t) noexcept { return t.last_inv_root_scaled_shoup(); }

  TOWER_INLINE static Tw tw(u64 w, u64 wp) { return {bcast1(w), bcast1(wp), bcast1(wp >> 32)}; }
  TOWER_INLINE static Tw with_hi(V w, V wp) { return {w, wp, _mm512_srli_epi64(wp, 32)}; }
  TOWER_INLINE static Tw tw2(const u64* w, const u64* wp) { return with_hi(bcast2(w), bcast2(wp)); }
  TOWER_INLINE static Tw tw4(const u64* w, const u64* wp) { return with_hi(bcast4(w), bcast4(wp)); }
  TOWER_INLINE static Tw tw8(const u64* w, const u64* wp) { return with_hi(load(w), load(wp)); }

  // With y = yh*2^32 + yl and w' = ph*2^32 + pl, the estimate
  //   qhat = yh*ph + floor(yh*pl / 2^32) + floor(yl*ph / 2^32)
  // drops the two fractional parts and yl*pl/2^64, each < 1, so
  // hi64(w'*y) - qhat is 0, 1 or 2 (never negative). Then w*y - qhat*q is
  // T + {0, 1, 2}*q with T = w*y - hi64(w'*y)*q in [0, q + q*y/2^64) ⊂ [0, 1.5q)
  // for y < 2^63, so it lies in [0, 3.5q) ⊂ [0, 4q) = [0, B) in the wide
  // engine; otherwise one conditional subtraction of 2q lands in [0, 2q). (The
  // value may differ from the exact Shoup T by a multiple of q; only its class
  // mod q and the range matter.)
  TOWER_INLINE V mul_raw(V y, const Tw& t) const {
    const V yh = _mm512_srli_epi64(y, 32);
    const V hh = _mm512_mul_epu32(yh, t.wp_hi);
    const V hl = _mm512_srli_epi64(_mm512_mul_epu32(yh, t.wp), 32);
    const V lh = _mm512_srli_epi64(_mm512_mul_epu32(y, t.wp_hi), 32);
    const V qhat = _mm512_add_epi64(hh, _mm512_add_epi64(hl, lh));
    const V r = _mm512_sub_epi64(_mm512_mullo_epi64(y, t.w), _mm512_mullo_epi64(qhat, q));
    if constexpr (kWide) {
      return r;
    } else {
      return reduce_once(r, two_q);
    }
  }
  TOWER_INLINE V mul_acc(V acc, V y, const Tw& t) const { return _mm512_add_epi64(acc, mul_raw(y, t)); }
  TOWER_INLINE V canon(V r) const { return r; }

  // kGrow: z mod q for any z < 2^63. With zh = floor(z / 2^31) < 2^32, the
  // estimate g = floor(zh * mu / 2^b) of z/q errs by less than
  // 1 + 2^31/q + zh/2^b < 1 + 2^-8 (q > 2^40, so b >= 41) and never exceeds it:
  // z - g*q is in [0, 2q), one conditional subtraction from [0, q).
  TOWER_INLINE V reduce_grown(V z) const {
    const V g = _mm512_srl_epi64(_mm512_mul_epu32(_mm512_srli_epi64(z, 31), mu), mu_s);
    return reduce_once(_mm512_sub_epi64(z, _mm512_mullo_epi64(g, q)), q);
  }
};

// Avx512x64 with an IFMA quotient (needs AVX512-IFMA; any q < 2^61). Write
// y = yt 2^52 + yb (yb = y mod 2^52, yt < 2^11 as y < 2^63) and the 64-bit
// companion w' = sa 2^12 + sb (sa = w' >> 12 < 2^52, sb < 2^12). Then
//   w' y / 2^64 = sa yt + sb yt / 2^12 + sa yb / 2^52 + sb yb / 2^64,
// the last term below 1, and
//   qhat = sa yt + floor(sb yt / 2^12) + floor(sa yb / 2^52)
// is one vpmullq (sa yt < 2^63, exact) and two IFMA high products: the
// multipliers read only the low 52 bits of each operand, so y itself stands
// for yb, and sc = w' << 40 (low 52 bits: sb 2^40) gives
// hi52(sc * yt) = floor(sb yt / 2^12). qhat is at most w' y / 2^64 <= w y / q
// and falls short of it by less than 3, and w' y / 2^64 of w y / q by less
// than y / 2^64 < 1/2, so T = w y - qhat q lies in [0, 4q) = [0, B): the range
// the wide engine's butterflies (and the growing ones' 4q per stage) assume.
// Per butterfly 5 multiplications, 1 shift and 1 subtraction, where the
// vpmuludq estimate takes 5 multiplications, 3 shifts and 3 additions.
template <bool kGrowRange>
struct Ifma64 : Avx512x64<true, kGrowRange> {
  using Base = Avx512x64<true, kGrowRange>;
  struct Tw {
    V w, sa, sc;
  };

  explicit Ifma64(u64 qv) : Base(qv) {}

  TOWER_INLINE static Tw tw(u64 w, u64 wp) { return {bcast1(w), bcast1(wp >> 12), bcast1(wp << 40)}; }
  TOWER_INLINE static Tw with_split(V w, V wp) { return {w, _mm512_srli_epi64(wp, 12), _mm512_slli_epi64(wp, 40)}; }
  TOWER_INLINE static Tw tw2(const u64* w, const u64* wp) { return with_split(bcast2(w), bcast2(wp)); }
  TOWER_INLINE static Tw tw4(const u64* w, const u64* wp) { return with_split(bcast4(w), bcast4(wp)); }
  TOWER_INLINE static Tw tw8(const u64* w, const u64* wp) { return with_split(load(w), load(wp)); }

  TOWER_INLINE V mul_raw(V y, const Tw& t) const {
    const V yt = _mm512_srli_epi64(y, 52);
    V qhat = _mm512_mullo_epi64(t.sa, yt);
    qhat = _mm512_madd52hi_epu64(qhat, t.sc, yt);
    qhat = _mm512_madd52hi_epu64(qhat, t.sa, y);
    return _mm512_sub_epi64(_mm512_mullo_epi64(y, t.w), _mm512_mullo_epi64(qhat, this->q));
  }
  TOWER_INLINE V mul_acc(V acc, V y, const Tw& t) const { return _mm512_add_epi64(acc, mul_raw(y, t)); }
};

// x in [0, B) -> x mod q.
template <class A>
static TOWER_INLINE V reduce_to_q(V x, const A& e) {
  if constexpr (A::kWide) x = reduce_once(x, e.two_q);
  return reduce_once(x, e.q);
}

// ---- Forward butterflies (Cooley–Tukey, Harvey 2014 Algorithm 4). ----
//
// B is the engine's lazy bound (2q, or 4q for the wide 64-bit engine); Harvey's
// ranges are the case B = 2q. All take X in [0, B) (already reduced: Harvey's
// first step is done by the producer or by fwd_reduce_x) and a multiplicand Y
// (see the engine); T = mul_raw(Y) is in [0, B).

// Outputs both reduced: X' = (X + T) mod B, Y' = (X - T) mod B, in [0, B).
// With IFMA, X + T comes out of the multiplier's accumulator (X + T < 4q <
// 2^52, so masking it gives the exact sum) and X - T = 2X - (X + T).
template <class A>
static TOWER_INLINE void fwd_bfly_to_x(V& x, V& y, const typename A::Tw& w, const A& e) {
  if constexpr (A::kGrow) {  // nothing is reduced before the last stage
    const V t = e.mul_raw(y, w);
    y = _mm512_sub_epi64(_mm512_add_epi64(x, e.bound), t);
    x = _mm512_add_epi64(x, t);
    return;
  }
  V s, d;
  if constexpr (A::kFusedAcc) {
    s = e.canon(e.mul_acc(x, y, w));
    d = _mm512_sub_epi64(_mm512_add_epi64(x, x), s);
  } else {
    const V t = e.canon(e.mul_raw(y, w));
    s = _mm512_add_epi64(x, t);
    d = _mm512_sub_epi64(x, t);
  }
  x = reduce_once(s, e.bound);
  y = add_if_neg(d, e.bound);
}

// Outputs X' = X + T, Y' = X - T + B in [0, 2B), valid only as multiplicands
// of the next stage (with IFMA they are exact modulo 2^52 only: X' = X + T + c
// 2^52 and Y' = 2X + 2q - X').
template <class A>
static TOWER_INLINE void fwd_bfly_to_y(V& x, V& y, const typename A::Tw& w, const A& e) {
  if constexpr (A::kFusedAcc) {
    const V s = e.mul_acc(x, y, w);
    y = _mm512_sub_epi64(_mm512_add_epi64(_mm512_add_epi64(x, x), e.bound), s);
    x = s;
  } else {
    const V t = e.mul_raw(y, w);
    y = _mm512_sub_epi64(_mm512_add_epi64(x, e.bound), t);
    x = _mm512_add_epi64(x, t);
  }
}

// Harvey's outputs, exact: X' = X + T, Y' = X - T + B in [0, 2B). (T from a
// zero accumulator: X is then off the multiplier's dependency chain, which
// matters in the latency-bound shuffle stages.)
template <class A>
static TOWER_INLINE void fwd_bfly_lazy(V& x, V& y, const typename A::Tw& w, const A& e) {
  const V t = e.canon(e.mul_raw(y, w));
  y = _mm512_sub_epi64(_mm512_add_epi64(x, e.bound), t);
  x = _mm512_add_epi64(x, t);
}

// Last stage: outputs fully reduced to [0, q).
//   X + T in [0, 2B) -> one conditional subtraction of B -> reduce_to_q;
//   X - T in (-B, B) -> + B if negative -> [0, B) -> reduce_to_q.
template <class A>
static TOWER_INLINE void fwd_bfly_final(V& x, V& y, const typename A::Tw& w, const A& e) {
  const V t = e.canon(e.mul_raw(y, w));
  if constexpr (A::kGrow) {  // X + T and X - T + 4q, both below 2^63
    y = e.reduce_grown(_mm512_sub_epi64(_mm512_add_epi64(x, e.bound), t));
    x = e.reduce_grown(_mm512_add_epi64(x, t));
    return;
  }
  const V s = _mm512_add_epi64(x, t);
  const V d = _mm512_sub_epi64(x, t);
  x = reduce_to_q(reduce_once(s, e.bound), e);
  y = reduce_to_q(add_if_neg(d, e.bound), e);
}

// Harvey's first step: X in [0, 2B) -> [0, B).
template <class A>
static TOWER_INLINE V fwd_reduce_x(V x, const A& e) {
  if constexpr (A::kGrow) return x;  // see Avx512x64, kGrow
  return reduce_once(x, e.bound);
}

// ---- Inverse butterflies (Gentleman–Sande, Harvey 2014 Algorithm 3). ----
//
// X, Y hold values in [0, B); with kRaw they may carry a multiple of 2^52 (the
// raw output of the previous stage), so X + Y is masked before its reduction.
// X' = (X + Y) mod B in [0, B), Y' = W*(X - Y + B) raw (X - Y + B in (0, 2B)).
template <class A, bool kRaw>
static TOWER_INLINE void inv_bfly(V& x, V& y, const typename A::Tw& w, const A& e) {
  V s = _mm512_add_epi64(x, y);
  if constexpr (kRaw) s = e.canon(s);
  const V d = _mm512_sub_epi64(_mm512_add_epi64(x, e.bound), y);
  x = reduce_once(s, e.bound);
  y = e.mul_raw(d, w);
}

// Last stage with n^-1 folded in (as ntt_inverse_scalar): X' = n^-1 (X + Y),
// Y' = (psi^-brv(1) n^-1) (X - Y + B), both fully reduced to [0, q). X + Y and
// X - Y + B are < 2B and only multiplied, so raw inputs need no mask.
template <class A>
static TOWER_INLINE void inv_bfly_last(V& x, V& y, const typename A::Tw& ni, const typename A::Tw& ws, const A& e) {
  const V s = _mm512_add_epi64(x, y);
  const V d = _mm512_sub_epi64(_mm512_add_epi64(x, e.bound), y);
  x = reduce_to_q(e.canon(e.mul_raw(s, ni)), e);
  y = reduce_to_q(e.canon(e.mul_raw(d, ws)), e);
}

// ---- Groups of stages in registers. ----
//
// A group is 2^R vectors v[0..2^R) of one column: v[k] holds the 8 elements at
// offset k*s (+ the column) of a block of 2^R * s elements, s >= 8. The R
// forward stages of the group have strides 2^(R-1) s, ..., 2s, s; stage r pairs
// (v[k], v[k + 2^(R-1-r)]). Twiddles are passed heap-ordered: tw[2^r + c] is
// the twiddle of the c-th sub-block of stage r.

// What the last stage of a forward group produces.
enum class Out {
  kToX,   // both outputs reduced to [0, 2q): they are X inputs of the next stage
  kToY,   // raw outputs, only multiplied by the next stage
  kLazy,  // Harvey's exact [0, 4q) (the next stage mixes roles within a vector)
};

// Forward stage r of a group: butterfly b of 2^(R-1). Inside the group the role
// of an output in stage r + 1 is known (pairs differ in bit R-2-r of k).
template <class A, int R, int r, int b, Out kOut>
static TOWER_INLINE void fwd_group_bfly(V* v, const typename A::Tw* tw, const A& e) {
  constexpr int half = 1 << (R - 1 - r);
  constexpr int k = (b / half) * 2 * half + b % half;
  const typename A::Tw& w = tw[(1 << r) + (k >> (R - r))];
  constexpr Out out = r + 1 < R ? (((k >> (R - 2 - r)) & 1) == 0 ? Out::kToX : Out::kToY) : kOut;
  if constexpr (out == Out::kToX) {
    fwd_bfly_to_x(v[k], v[k + half], w, e);
  } else if constexpr (out == Out::kToY) {
    fwd_bfly_to_y(v[k], v[k + half], w, e);
  } else {
    fwd_bfly_lazy(v[k], v[k + half], w, e);
  }
}

template <class A, int R, int r, Out kOut, int... B>
static TOWER_INLINE void fwd_group_stage(V* v, const typename A::Tw* tw, const A& e, std::integer_sequence<int, B...>) {
  (fwd_group_bfly<A, R, r, B, kOut>(v, tw, e), ...);
}

template <class A, int R, Out kOut, int... Rs>
static TOWER_INLINE void fwd_group_stages(V* v, const typename A::Tw* tw, const A& e,
                                          std::integer_sequence<int, Rs...>) {
  (fwd_group_stage<A, R, Rs, kOut>(v, tw, e, std::make_integer_sequence<int, (1 << (R - 1))>{}), ...);
}

// All R stages. kReduceIn: X inputs of the first stage are in [0, 4q), the
// caller's range, and B = 2q (Harvey's first step is applied); otherwise they
// are in [0, B).
template <class A, int R, bool kReduceIn, Out kOut>
static TOWER_INLINE void fwd_group(V* v, const typename A::Tw* tw, const A& e) {
  if constexpr (kReduceIn && !A::kWide) {
#pragma GCC unroll 16
    for (int k = 0; k < (1 << (R - 1)); ++k) v[k] = fwd_reduce_x(v[k], e);
  }
  fwd_group_stages<A, R, kOut>(v, tw, e, std::make_integer_sequence<int, R>{});
}

// The 2^R - 1 forward twiddles of block i of the group's first stage (m blocks).
template <class A, int R>
static TOWER_INLINE void fwd_group_twiddles(typename A::Tw* tw, std::size_t m, std::size_t i, const u64* w,
                                            const u64* wp) {
#pragma GCC unroll 16
  for (int r = 0; r < R; ++r) {
#pragma GCC unroll 16
    for (int c = 0; c < (1 << r); ++c) {
      const std::size_t k = (m << r) + (i << r) + c;
      tw[(1 << r) + c] = A::tw(w[k], wp[k]);
    }
  }
}

template <int R>
static TOWER_INLINE void load_group(V* v, const u64* p, std::size_t s) {
#pragma GCC unroll 16
  for (int k = 0; k < (1 << R); ++k) v[k] = load(p + k * s);
}
template <int R>
static TOWER_INLINE void store_group(u64* p, std::size_t s, const V* v) {
#pragma GCC unroll 16
  for (int k = 0; k < (1 << R); ++k) store(p + k * s, v[k]);
}

// ---- Forward passes. ----
//
// Notation: the stage with m blocks has stride h = n / (2m); block i covers
// [2ih, 2ih + 2h), pairs (j, j + h), twiddle w[m + i].

// R stages starting with the stage of m blocks, whose last stride s = n/(m 2^R)
// is >= 64. The outputs at columns with bit s/2 clear are X inputs of the next
// stage. kFirst: the inputs are the caller's, in [0, 4q), read from `src`
// (which may be `a`); otherwise src is a.
template <class A, int R, bool kFirst>
static void fwd_pass(u64* a, const u64* src, std::size_t n, std::size_t m, const u64* w, const u64* wp,
                     const A& e_in) {
  const A e = e_in;  // a local copy: its constants stay in registers
  const std::size_t s = n / (m << R);
  typename A::Tw tw[1 << R];
  V v[1 << R];
  for (std::size_t i = 0; i < m; ++i) {
    fwd_group_twiddles<A, R>(tw, m, i, w, wp);
    u64* p = a + i * (s << R);
    const u64* ps = src + i * (s << R);
    for (std::size_t j = 0; j < s / 2; j += 8) {
      load_group<R>(v, ps + j, s);
      fwd_group<A, R, kFirst, Out::kToX>(v, tw, e);
      store_group<R>(p + j, s, v);
    }
    for (std::size_t j = s / 2; j < s; j += 8) {
      load_group<R>(v, ps + j, s);
      fwd_group<A, R, kFirst, Out::kToY>(v, tw, e);
      store_group<R>(p + j, s, v);
    }
  }
}

// The stages with strides 4, 2, 1 on K consecutive 16-element blocks, block b
// in (v[2b], v[2b+1]) = its elements 0..7, 8..15, coming from the stride-8 stage
// in [0, 4q); the reduction to [0, q) is folded into the last stage. The K
// blocks go stage by stage so their dependency chains overlap. Element
// e = (b3 b2 b1 b0) of a block; before the stage with stride 2^k the pairs
// differ in bit b_k, x holds the b_k = 0 partners, y the others, and the lanes
// are the remaining bits ordered so the stage's twiddles (indexed by the bits
// above b_k) are 2 or 4 consecutive ones broadcast, or 8 loaded:
//   stride 4: lanes (b1 b0 b3)     (twiddle by b3: bcast2)
//   stride 2: lanes (b0 b3 b2)     (twiddle by b3 b2: bcast4)
//   stride 1: lanes (b3 b2 b1)     (twiddle by b3 b2 b1: load 8)
// Each step is the same interleave; a fourth one restores natural order. The
// first block's index is blk; block B's twiddles are w[n/8 + 2B], w[n/4 + 4B],
// w[n/2 + 8B].
template <class A, int K, bool kLazy>
static TOWER_INLINE void fwd_last3(V* v, std::size_t n, std::size_t blk, const u64* w, const u64* wp, const A& e) {
#pragma GCC unroll 8
  for (int b = 0; b < K; ++b) {
    interleave(v[2 * b], v[2 * b + 1]);
    v[2 * b] = fwd_reduce_x(v[2 * b], e);
    const std::size_t b2 = n / 8 + 2 * (blk + b);
    fwd_bfly_lazy(v[2 * b], v[2 * b + 1], A::tw2(w + b2, wp + b2), e);
  }
#pragma GCC unroll 8
  for (int b = 0; b < K; ++b) {
    interleave(v[2 * b], v[2 * b + 1]);
    v[2 * b] = fwd_reduce_x(v[2 * b], e);
    const std::size_t b4 = n / 4 + 4 * (blk + b);
    fwd_bfly_lazy(v[2 * b], v[2 * b + 1], A::tw4(w + b4, wp + b4), e);
  }
#pragma GCC unroll 8
  for (int b = 0; b < K; ++b) {
    interleave(v[2 * b], v[2 * b + 1]);
    v[2 * b] = fwd_reduce_x(v[2 * b], e);
    const std::size_t b8 = n / 2 + 8 * (blk + b);
    if constexpr (kLazy && A::kGrow) {
      fwd_bfly_to_y(v[2 * b], v[2 * b + 1], A::tw8(w + b8, wp + b8), e);  // unreduced, below 2^63
    } else {
      fwd_bfly_final(v[2 * b], v[2 * b + 1], A::tw8(w + b8, wp + b8), e);  // [0, q)
    }
    interleave(v[2 * b], v[2 * b + 1]);
  }
}

// The last R + 3 stages: strides 2^(R+2), ..., 8 as a group of 2^R vectors
// (8 * 2^R consecutive elements), then strides 4, 2, 1 on each 16-element block.
// kFirst: these are all the stages (n = 2^(R+4)), inputs in [0, 4q) read from
// `src`; otherwise src is a.
template <class A, int R, bool kFirst, bool kLazy = false>
static void fwd_pass_tail(u64* a, const u64* src, std::size_t n, const u64* w, const u64* wp, const A& e_in) {
  const A e = e_in;                    // a local copy: its constants stay in registers
  const std::size_t m = n >> (R + 3);  // blocks of the first stage here
  typename A::Tw tw[1 << R];
  V v[1 << R];
  for (std::size_t i = 0; i < m; ++i) {
    fwd_group_twiddles<A, R>(tw, m, i, w, wp);
    u64* p = a + (i << (R + 3));
    load_group<R>(v, src + (i << (R + 3)), 8);
    fwd_group<A, R, kFirst, Out::kLazy>(v, tw, e);
    fwd_last3<A, (1 << (R - 1)), kLazy>(v, n, i << (R - 1), w, wp, e);
    store_group<R>(p, 8, v);
  }
}

// Stage count of the next pass before the tail (or after the head): `outer`
// stages in passes of at most kMaxR, as even as possible. A group's 2^R vectors
// are s words apart; with s >= 512 (4 KB) they all fall in one L1 set, which has
// 8 ways, so such passes take at most 3 stages.
template <int kMaxR>
static TOWER_INLINE int next_pass_stages(int outer, std::size_t s_if_max) {
  const int passes = (outer + kMaxR - 1) / kMaxR;
  const int r = (outer + passes - 1) / passes;
  return (r > 3 && s_if_max >= 512) ? 3 : r;
}

template <class A, bool kFirst>
static void fwd_pass_dispatch(int r, u64* a, const u64* src, std::size_t n, std::size_t m, const u64* w, const u64* wp,
                              const A& e) {
  switch (r) {
    case 1:
      fwd_pass<A, 1, kFirst>(a, src, n, m, w, wp, e);
      break;
    case 2:
      fwd_pass<A, 2, kFirst>(a, src, n, m, w, wp, e);
      break;
    case 3:
      fwd_pass<A, 3, kFirst>(a, src, n, m, w, wp, e);
      break;
    default:
      if constexpr (A::kMaxR >= 4) fwd_pass<A, 4, kFirst>(a, src, n, m, w, wp, e);
      break;
  }
}

// The transform of src (which may be a) into a: the first pass reads src.
// kLazy: with the growing engine (A::kGrow) the last stage reduces nothing, and
// the output is left as it grew, below 72q < 2^63 (see Avx512x64, kGrow): the
// transform of ntt_forward_lazy. Other engines reduce as usual.
template <class A, bool kLazy = false>
static void forward(u64* a, const u64* src, const NttTables& t) {
  const A e(t.modulus().value());
  const std::size_t n = t.n();
  const u64* w = t.fwd_root();
  const u64* wp = A::fwd_shoup(t);
  constexpr int kT = A::kTailR;
  if (t.log_n() <= kT + 3) {  // the tail pass alone
    switch (t.log_n()) {
      case 4:
        fwd_pass_tail<A, 1, true>(a, src, n, w, wp, e);
        break;
      case 5:
        fwd_pass_tail<A, 2, true>(a, src, n, w, wp, e);
        break;
      case 6:
        fwd_pass_tail<A, 3, true>(a, src, n, w, wp, e);
        break;
      default:
        if constexpr (kT >= 4) fwd_pass_tail<A, 4, true>(a, src, n, w, wp, e);
        break;
    }
    return;
  }
  int outer = t.log_n() - (kT + 3);  // stages before the tail
  std::size_t m = 1;
  bool first = true;
  while (outer > 0) {
    const int r = next_pass_stages<A::kMaxR>(outer, n / (m << A::kMaxR));
    if (first) {
      fwd_pass_dispatch<A, true>(r, a, src, n, m, w, wp, e);
    } else {
      fwd_pass_dispatch<A, false>(r, a, a, n, m, w, wp, e);
    }
    first = false;
    m <<= r;
    outer -= r;
  }
  fwd_pass_tail<A, kT, false, kLazy>(a, a, n, w, wp, e);
}

// ---- Inverse. ----
//
// Gentleman–Sande: the stage with m blocks has stride h = n / (2m), pairs
// (j, j + h) in block i, twiddle wi[m + i]; strides grow 1, 2, ..., n/2. The Y
// outputs (positions with bit h set) are raw; a pair of the next stage (stride
// 2h) is raw in both or in neither of its elements. A group's stage r has
// stride 2^r s and pairs (v[k], v[k + 2^r]); its twiddles are heap-ordered from
// the top: tw[2^(R-1-r) + c] for sub-block c.

template <class A, int R, int r, int b, bool kRaw0, bool kLast>
static TOWER_INLINE void inv_group_bfly(V* v, const typename A::Tw* tw, const A& e, const typename A::Tw& ni,
                                        const typename A::Tw& ws) {
  constexpr int half = 1 << r;
  constexpr int k = (b / half) * 2 * half + b % half;
  if constexpr (kLast && r == R - 1) {
    inv_bfly_last(v[k], v[k + half], ni, ws, e);
  } else {
    constexpr bool raw = r == 0 ? kRaw0 : ((k >> (r - 1)) & 1) != 0;
    inv_bfly<A, raw>(v[k], v[k + half], tw[(1 << (R - 1 - r)) + (k >> (r + 1))], e);
  }
}

template <class A, int R, int r, bool kRaw0, bool kLast, int... B>
static TOWER_INLINE void inv_group_stage(V* v, const typename A::Tw* tw, const A& e, const typename A::Tw& ni,
                                         const typename A::Tw& ws, std::integer_sequence<int, B...>) {
  (inv_group_bfly<A, R, r, B, kRaw0, kLast>(v, tw, e, ni, ws), ...);
}

template <class A, int R, bool kRaw0, bool kLast, int... Rs>
static TOWER_INLINE void inv_group_stages(V* v, const typename A::Tw* tw, const A& e, const typename A::Tw& ni,
                                          const typename A::Tw& ws, std::integer_sequence<int, Rs...>) {
  (inv_group_stage<A, R, Rs, kRaw0, kLast>(v, tw, e, ni, ws, std::make_integer_sequence<int, (1 << (R - 1))>{}), ...);
}

// All R stages; kRaw0: the first stage's inputs are raw; kLast: the last stage
// is the n^-1 stage.
template <class A, int R, bool kRaw0, bool kLast>
static TOWER_INLINE void inv_group(V* v, const typename A::Tw* tw, const A& e, const typename A::Tw& ni,
                                   const typename A::Tw& ws) {
  inv_group_stages<A, R, kRaw0, kLast>(v, tw, e, ni, ws, std::make_integer_sequence<int, R>{});
}

// Twiddles of top block i of a group whose last stage has m_top blocks.
template <class A, int R>
static TOWER_INLINE void inv_group_twiddles(typename A::Tw* tw, std::size_t m_top, std::size_t i, const u64* w,
                                            const u64* wp) {
#pragma GCC unroll 16
  for (int t = 0; t < R; ++t) {  // t = R - 1 - r: 2^t sub-blocks
#pragma GCC unroll 16
    for (int c = 0; c < (1 << t); ++c) {
      const std::size_t k = (m_top << t) + (i << t) + c;
      tw[(1 << t) + c] = A::tw(w[k], wp[k]);
    }
  }
}

// The stages with strides 1, 2, 4 on K consecutive 16-element blocks (block b
// in v[2b], v[2b+1], natural order), inputs in [0, 2q): the mirror image of
// fwd_last3 (deinterleave before each stage, and once more after the last, so
// the blocks end in natural order, their elements 0..7 in [0, 2q) and 8..15 raw).
template <class A, int K>
static TOWER_INLINE void inv_first3(V* v, std::size_t n, std::size_t blk, const u64* w, const u64* wp, const A& e) {
#pragma GCC unroll 8
  for (int b = 0; b < K; ++b) {
    const std::size_t b8 = n / 2 + 8 * (blk + b);
    deinterleave(v[2 * b], v[2 * b + 1]);
    inv_bfly<A, false>(v[2 * b], v[2 * b + 1], A::tw8(w + b8, wp + b8), e);
  }
#pragma GCC unroll 8
  for (int b = 0; b < K; ++b) {
    const std::size_t b4 = n / 4 + 4 * (blk + b);
    deinterleave(v[2 * b], v[2 * b + 1]);
    inv_bfly<A, true>(v[2 * b], v[2 * b + 1], A::tw4(w + b4, wp + b4), e);
  }
#pragma GCC unroll 8
  for (int b = 0; b < K; ++b) {
    const std::size_t b2 = n / 8 + 2 * (blk + b);
    deinterleave(v[2 * b], v[2 * b + 1]);
    inv_bfly<A, true>(v[2 * b], v[2 * b + 1], A::tw2(w + b2, wp + b2), e);
    deinterleave(v[2 * b], v[2 * b + 1]);
  }
}

// The first R + 3 stages: strides 1, 2, 4 on each 16-element block, then
// strides 8, ..., 2^(R+2) as a group of 2^R vectors. kLast: these are all the
// stages (n = 2^(R+4)).
template <class A, int R, bool kLast>
static void inv_pass_head(u64* a, const u64* src, std::size_t n, const u64* w, const u64* wp, const A& e_in,
                          const typename A::Tw& ni_in, const typename A::Tw& ws_in) {
  const A e = e_in;  // local copies: their constants stay in registers
  const typename A::Tw ni = ni_in, ws = ws_in;
  const std::size_t m = n >> (R + 3);  // blocks of the group's last stage
  typename A::Tw tw[1 << R];
  V v[1 << R];
  for (std::size_t i = 0; i < m; ++i) {
    inv_group_twiddles<A, R>(tw, m, i, w, wp);
    u64* p = a + (i << (R + 3));
    load_group<R>(v, src + (i << (R + 3)), 8);
    inv_first3<A, (1 << (R - 1))>(v, n, i << (R - 1), w, wp, e);
    inv_group<A, R, true, kLast>(v, tw, e, ni, ws);
    store_group<R>(p, 8, v);
  }
}

// R stages whose first stride is s = n / (2 m_bottom) >= 64 and whose last stage
// has m blocks. Inputs at columns with bit s/2 set are raw. kLast: m = 1, the
// n^-1 stage.
template <class A, int R, bool kLast>
static void inv_pass(u64* a, std::size_t n, std::size_t m, const u64* w, const u64* wp, const A& e_in,
                     const typename A::Tw& ni_in, const typename A::Tw& ws_in) {
  const A e = e_in;  // local copies: their constants stay in registers
  const typename A::Tw ni = ni_in, ws = ws_in;
  const std::size_t s = n / (m << R);
  typename A::Tw tw[1 << R];
  V v[1 << R];
  for (std::size_t i = 0; i < m; ++i) {
    inv_group_twiddles<A, R>(tw, m, i, w, wp);
    u64* p = a + i * (s << R);
    for (std::size_t j = 0; j < s / 2; j += 8) {
      load_group<R>(v, p + j, s);
      inv_group<A, R, false, kLast>(v, tw, e, ni, ws);
      store_group<R>(p + j, s, v);
    }
    for (std::size_t j = s / 2; j < s; j += 8) {
      load_group<R>(v, p + j, s);
      inv_group<A, R, true, kLast>(v, tw, e, ni, ws);
      store_group<R>(p + j, s, v);
    }
  }
}

template <class A, bool kLast>
static void inv_pass_dispatch(int r, u64* a, std::size_t n, std::size_t m, const u64* w, const u64* wp, const A& e,
                              const typename A::Tw& ni, const typename A::Tw& ws) {
  switch (r) {
    case 1:
      inv_pass<A, 1, kLast>(a, n, m, w, wp, e, ni, ws);
      break;
    case 2:
      inv_pass<A, 2, kLast>(a, n, m, w, wp, e, ni, ws);
      break;
    case 3:
      inv_pass<A, 3, kLast>(a, n, m, w, wp, e, ni, ws);
      break;
    default:
      if constexpr (A::kMaxR >= 4) inv_pass<A, 4, kLast>(a, n, m, w, wp, e, ni, ws);
      break;
  }
}

// The transform of src (which may be a) into a: the head pass reads src.
template <class A>
static void inverse(u64* a, const u64* src, const NttTables& t) {
  const A e(t.modulus().value());
  const std::size_t n = t.n();
  const u64* w = t.inv_root();
  const u64* wp = A::inv_shoup(t);
  const auto ni = A::tw(t.n_inv(), A::n_inv_shoup(t));
  const auto ws = A::tw(t.last_inv_root_scaled(), A::last_inv_shoup(t));
  constexpr int kH = A::kTailR;
  if (t.log_n() <= kH + 3) {  // the head pass alone
    switch (t.log_n()) {
      case 4:
        inv_pass_head<A, 1, true>(a, src, n, w, wp, e, ni, ws);
        break;
      case 5:
        inv_pass_head<A, 2, true>(a, src, n, w, wp, e, ni, ws);
        break;
      case 6:
        inv_pass_head<A, 3, true>(a, src, n, w, wp, e, ni, ws);
        break;
      default:
        if constexpr (kH >= 4) inv_pass_head<A, 4, true>(a, src, n, w, wp, e, ni, ws);
        break;
    }
    return;
  }
  inv_pass_head<A, kH, false>(a, src, n, w, wp, e, ni, ws);
  int outer = t.log_n() - (kH + 3);  // stages after the head
  std::size_t m = n >> (kH + 4);     // blocks of the first stage after the head
  while (outer > 0) {
    const int r = next_pass_stages<A::kMaxR>(outer, n / (2 * m));
    m >>= r - 1;  // blocks of this pass's last stage
    if (r == outer) {
      inv_pass_dispatch<A, true>(r, a, n, m, w, wp, e, ni, ws);
    } else {
      inv_pass_dispatch<A, false>(r, a, n, m, w, wp, e, ni, ws);
    }
    m >>= 1;
    outer -= r;
  }
}

}  // namespace

namespace {

// The engines by prime size (see the file comment); `ifma`: the CPU has IFMA.
void forward_dispatch(u64* a, const u64* src, const NttTables& t, bool ifma, bool lazy) noexcept {
  const int bits = t.modulus().bits();
  // The lazy transform differs only with the growing engines, and only where
  // the tail pass is not the whole transform.
  const bool grow_lazy = lazy && bits > 50 && bits <= 56 && t.log_n() > Avx512x64<true, true>::kTailR + 3;
  if (ifma && bits <= 50) {
    forward<Ifma52>(a, src, t);
  } else if (bits > 40 && bits <= 56) {
    if (ifma) {
      grow_lazy ? forward<Ifma64<true>, true>(a, src, t) : forward<Ifma64<true>>(a, src, t);
    } else {
      grow_lazy ? forward<Avx512x64<true, true>, true>(a, src, t) : forward<Avx512x64<true, true>>(a, src, t);
    }
  } else if (bits <= 60) {
    ifma ? forward<Ifma64<false>>(a, src, t) : forward<Avx512x64<true>>(a, src, t);
  } else {
    forward<Avx512x64<false>>(a, src, t);
  }
}

void inverse_dispatch(u64* a, const u64* src, const NttTables& t, bool ifma) noexcept {
  const int bits = t.modulus().bits();
  if (ifma && bits <= 50) {
    inverse<Ifma52>(a, src, t);
  } else if (bits <= 60) {
    ifma ? inverse<Ifma64<false>>(a, src, t) : inverse<Avx512x64<true>>(a, src, t);
  } else {
    inverse<Avx512x64<false>>(a, src, t);
  }
}

}  // namespace

void ntt_forward_avx512(u64* a, const u64* src, const NttTables& t) noexcept {
  forward_dispatch(a, src, t, cpu_features().avx512ifma, false);
}

void ntt_forward_avx512_lazy(u64* a, const u64* src, const NttTables& t) noexcept {
  forward_dispatch(a, src, t, cpu_features().avx512ifma, true);
}

void ntt_inverse_avx512(u64* a, const u64* src, const NttTables& t) noexcept {
  inverse_dispatch(a, src, t, cpu_features().avx512ifma);
}

void ntt_forward_avx512_without_ifma(u64* a, const u64* src, const NttTables& t) noexcept {
  forward_dispatch(a, src, t, false, false);
}

void ntt_forward_avx512_lazy_without_ifma(u64* a, const u64* src, const NttTables& t) noexcept {
  forward_dispatch(a, src, t, false, true);
}

void ntt_inverse_avx512_without_ifma(u64* a, const u64* src, const NttTables& t) noexcept {
  inverse_dispatch(a, src, t, false);
}

}  // namespace tower::poly::detail

#undef TOWER_INLINE

TOWER_TARGET_END
