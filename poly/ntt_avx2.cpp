// poly/ntt_avx2.cpp — AVX2 negacyclic NTT kernels (four 64-bit lanes).
//
// Same transform as ntt_scalar.cpp: Cooley–Tukey forward and Gentleman–Sande
// inverse, twiddles in bit-reversed order (the stage with m blocks uses entries
// [m, 2m) of fwd_root() / inv_root()), n^-1 folded into the last inverse stage.
// Outputs are the unique representatives in [0, q), so they equal the scalar
// kernel's bit for bit; only the representation in between differs.
//
// AVX2 has no 64x64 -> 128-bit multiply, so each call picks one of two
// arithmetics:
//
// (a) q < 2^50 (Modulus::bits() <= 50): FLOATING POINT (FpArith). While the
//     transform runs, the array holds doubles (same 8 bytes per word) whose
//     values are SIGNED integers, exact because they stay far below 2^53.
//     x*w mod q is an exact FMA-based Shoup/Barrett product (see
//     FpArith::mulmod_parts for the proof):
//         h = fl(x*w),  l = fma(x, w, -h)              x*w = h + l exactly
//         k = fma(x, w/q, 1.5*2^52) - 1.5*2^52         nearest integer to x*w/q
//         T = fma(-k, q, h) + l = x*w - k*q            exact, |T| < q/2 + |x|/4
//     Forward values stay in [-2q, 2q] and inverse values in [-q, q], the
//     signed analogues of Harvey's [0, 4q) and [0, 2q). The kernels run under
//     the default MXCSR (round to nearest), restoring the caller's after.
//     No multiply feeds an add in plain arithmetic, so -ffp-contract cannot
//     change any rounding: every fused operation is an explicit intrinsic.
// (b) 51..61-bit q: INTEGER (IntArith). Harvey's lazy butterflies exactly as in
//     the scalar kernel (D. Harvey, "Faster arithmetic for number-theoretic
//     transforms", J. Symb. Comput. 60, 2014: Algorithm 4 forward with values
//     in [0, 4q), Algorithm 3 inverse with values in [0, 2q)), and Shoup's
//     product with a 63-bit companion assembled from 32x32 -> 64-bit
//     _mm256_mul_epu32 pieces (ten per four lanes). Values stay below
//     4q < 2^63, so x >= m is the sign of x - m.
//
// Both arithmetics run the same passes, each over the whole array:
//  * forward: the stages with t >= 8 two at a time (radix 4; one alone first if
//    their number is odd), the first pass converting the input; then one pass
//    for t = 4, 2, 1 on groups of 16 words, which also reduces to [0, q);
//  * inverse: the mirror image (t = 1, 2, 4 first, with the input conversion;
//    then pairs of stages; the last stage with n^-1 folded in).
// Every butterfly fills four lanes: for t >= 8 one twiddle is broadcast over
// four consecutive butterflies; for t = 4, 2, 1 the group of 16 words is loaded
// in 128-bit halves and unpacked so the partners of each butterfly sit in the
// same lane of two registers, with the twiddles gathered to match. Loops are
// software-pipelined (the first half of the next item is issued next to the
// second half of the current one) to give the out-of-order core independent
// work.
//
// The instruction sets are enabled only around the kernel code, with
// TOWER_TARGET_BEGIN; the exported functions at the end are baseline x86-64 and read
// NttTables there, so no inline function of a header is compiled for AVX2.

#include <cstddef>
#include <cstdint>

#include "poly/ntt_kernels.hpp"
#include "poly/simd_target.hpp"

namespace tower::poly::detail {
namespace {

// What a kernel needs from NttTables, read outside the AVX2 region.
struct Plan {
  u64* a;
  std::size_t n;
  int log_n;
  u64 q;
  const u64* w;   // fwd_root() or inv_root()
  const u64* wp;  // their 64-bit Shoup companions
  u64 n_inv, n_inv_shoup;
  u64 last, last_shoup;  // last_inv_root_scaled() and its companion
};

}  // namespace
}  // namespace tower::poly::detail

TOWER_TARGET_BEGIN("avx2,bmi2,fma")

namespace tower::poly::detail {
namespace {

#define TOWER_AI inline __attribute__((always_inline))

// ---------------------------------------------------------------------------
// Memory and lane helpers (u64 words; the FP path reinterprets them).

TOWER_AI __m256i loadu(const u64* p) { return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)); }
TOWER_AI void storeu(u64* p, __m256i v) { _mm256_storeu_si256(reinterpret_cast<__m256i*>(p), v); }
// (p[0], p[1], r[0], r[1]).
TOWER_AI __m256i loadu2(const u64* p, const u64* r) {
  return _mm256_loadu2_m128i(reinterpret_cast<const __m128i*>(r), reinterpret_cast<const __m128i*>(p));
}
// p[0..1] = v[0..1], r[0..1] = v[2..3].
TOWER_AI void storeu2(u64* p, u64* r, __m256i v) {
  _mm256_storeu2_m128i(reinterpret_cast<__m128i*>(r), reinterpret_cast<__m128i*>(p), v);
}
// (p[0], p[0], p[1], p[1]).
TOWER_AI __m256i load_pairs(const u64* p) {
  const __m256i ab = _mm256_broadcastsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
  return _mm256_castpd_si256(_mm256_permute_pd(_mm256_castsi256_pd(ab), 0b1100));
}

TOWER_AI __m256i unpacklo(__m256i a, __m256i b) { return _mm256_unpacklo_epi64(a, b); }
TOWER_AI __m256i unpackhi(__m256i a, __m256i b) { return _mm256_unpackhi_epi64(a, b); }
TOWER_AI __m256d unpacklo(__m256d a, __m256d b) { return _mm256_unpacklo_pd(a, b); }
TOWER_AI __m256d unpackhi(__m256d a, __m256d b) { return _mm256_unpackhi_pd(a, b); }

// ---------------------------------------------------------------------------
// (a) Floating-point arithmetic, q < 2^50.
//
// Notation: u = 2^-53 (unit roundoff); fl() rounds to nearest. Every value is
// an integer held exactly. qinv = fl(1/q) = (1/q)(1 + e0), |e0| <= u.
// No value is ever -0: sums and differences of nonzero operands that cancel
// give +0, and each step below is checked for the remaining cases; so the sign
// bit of a value is its sign (fold() and to_u64() rely on this).

constexpr u64 kTwo52Bits = 0x4330000000000000ULL;  // the bits of 2^52
constexpr double kTwo52 = 4503599627370496.0;      // 2^52
constexpr double kRound = 6755399441055744.0;      // 1.5 * 2^52

class FpArith {
 public:
  using V = __m256d;
  struct Tw {
    __m256d w;   // the twiddle, exact (w < q < 2^50)
    __m256d wq;  // fl(w * qinv) = (w / q)(1 + e), |e| <= 2u + u^2
  };

  // `offset` centres the input: forward inputs in [0, 4q) become [-2q, 2q),
  // inverse inputs in [0, 2q) become [-q, q).
  FpArith(const Plan& p, u64 offset) {
    const double qd = to_double(p.q);
    qinv_s_ = 1.0 / qd;
    q_ = _mm256_set1_pd(qd);
    neg_q_ = _mm256_set1_pd(-qd);
    round_ = _mm256_set1_pd(kRound);
    two52_ = _mm256_set1_pd(kTwo52);
    two52_q_ = _mm256_set1_pd(kTwo52 + qd);
    in_offset_ = _mm256_set1_pd(kTwo52 + to_double(offset));
    two52_bits_ = _mm256_set1_epi64x(static_cast<long long>(kTwo52Bits));
    qinv_ = _mm256_set1_pd(qinv_s_);
    n_inv_ = bcast(&p.n_inv, nullptr, 0);
    last_ = bcast(&p.last, nullptr, 0);
  }

  // Twiddles: w[k] broadcast, or four given as u64 lanes (wp is not used).
  TOWER_AI Tw bcast(const u64* w, const u64*, std::size_t k) const {
    const double wd = to_double(w[k]);
    return {_mm256_set1_pd(wd), _mm256_set1_pd(wd * qinv_s_)};
  }
  TOWER_AI Tw lanes(__m256i w, __m256i) const {
    const V wd = to_double(w);
    return {wd, _mm256_mul_pd(wd, qinv_)};
  }

  // Loads: load_in converts u64 words in [0, 2^52) to doubles (the bits of
  // 2^52 OR x are the double 2^52 + x) and centres them; the subtraction is
  // exact and a zero result is +0.
  TOWER_AI V load_in(const u64* p) const { return centre(loadu(p)); }
  TOWER_AI V load2_in(const u64* p, const u64* r) const { return centre(loadu2(p, r)); }
  TOWER_AI V load(const u64* p) const { return _mm256_loadu_pd(reinterpret_cast<const double*>(p)); }
  TOWER_AI V load2(const u64* p, const u64* r) const {
    return _mm256_loadu2_m128d(reinterpret_cast<const double*>(r), reinterpret_cast<const double*>(p));
  }
  TOWER_AI void store(u64* p, V v) const { _mm256_storeu_pd(reinterpret_cast<double*>(p), v); }
  TOWER_AI void store2(u64* p, u64* r, V v) const {
    _mm256_storeu2_m128d(reinterpret_cast<double*>(r), reinterpret_cast<double*>(p), v);
  }

  // x*w mod q: g and l with g + l = x*w - k*q for an integer k, exactly.
  // Preconditions: x an integer, |x| <= 2^51; 0 <= w < q < 2^50. Then
  // |g + l| < q/2 + |x|/4, |g| < 2^51, |l| <= 2^48, and l is never -0.
  //  * h = fl(x*w) and l = fma(x, w, -h) = x*w - h exactly (the error of a
  //    product is representable). h is an integer (x*w itself below 2^53,
  //    a double >= 2^53 otherwise), hence so is l, and |l| <= ulp(h)/2 <= 2^48
  //    as |h| < 2^101. If x*w - h = 0 the fma returns +0.
  //  * fma(x, wq, 1.5*2^52) rounds once: |x*wq| < |x|(w/q)(1 + u)^2 < |x| <=
  //    2^51, so the sum lies in [2^52, 2^53], where the doubles are exactly the
  //    integers; k is the integer nearest to x*wq = (x*w/q)(1 + e), hence
  //    |k - x*w/q| <= 1/2 + |x|(2u + u^2) and, as q(2u + u^2) < 1/4 for
  //    q < 2^50, |x*w - k*q| < q/2 + |x|/4 <= q/2 + 2^49.
  //  * h - k*q = (x*w - k*q) - l is an integer of magnitude below 2^51, so
  //    g = fma(-k, q, h) is exact.
  TOWER_AI void mulmod_parts(V x, const Tw& w, V& g, V& l) const {
    const V h = _mm256_mul_pd(x, w.w);
    l = _mm256_fmsub_pd(x, w.w, h);
    const V k = _mm256_sub_pd(_mm256_fmadd_pd(x, w.wq, round_), round_);
    g = _mm256_fnmadd_pd(k, q_, h);
  }
  // T = g + l: exact (|T| < 2^53), never -0 (l is not), |T| < q/2 + |x|/4.
  TOWER_AI V mulmod(V x, const Tw& w) const {
    V g, l;
    mulmod_parts(x, w, g, l);
    return _mm256_add_pd(g, l);
  }

  // x - copysign(q, x): [-2q, 2q] -> [-q, q], exact; never -0 (x - (+-q)).
  TOWER_AI V fold(V x) const { return _mm256_sub_pd(x, _mm256_blendv_pd(q_, neg_q_, x)); }

  // Forward (Cooley–Tukey) butterfly, the signed analogue of Harvey's
  // Algorithm 4: x, y in [-2q, 2q] -> x' = f + T, y' = f - T with f = fold(x)
  // in [-q, q] and T = w*y mod q, |T| < q/2 + 2q/4 = q; so x', y' in (-2q, 2q).
  // Computed as (f + l) + g and (f - l) - g: every partial sum is an integer
  // below 2^53, so this is exact, and it shortens the dependency chain. The
  // results are never -0 (f and f +- l are not).
  TOWER_AI void fwd(V& x, V& y, const Tw& w) const {
    const V f = fold(x);
    V g, l;
    mulmod_parts(y, w, g, l);
    x = _mm256_add_pd(_mm256_add_pd(f, l), g);
    y = _mm256_sub_pd(_mm256_sub_pd(f, l), g);
  }

  // Inverse (Gentleman–Sande) butterfly, the analogue of Harvey's Algorithm 3:
  // x, y in [-q, q] -> fold(x + y) in [-q, q] and w*(x - y) mod q in (-q, q)
  // (|x - y| <= 2q, so |T| < q/2 + 2q/4).
  TOWER_AI void inv(V& x, V& y, const Tw& w) const {
    const V s = _mm256_add_pd(x, y);
    const V d = _mm256_sub_pd(x, y);
    x = fold(s);
    y = mulmod(d, w);
  }

  // Last inverse stage: (x + y)*n^-1 and (x - y)*psi^-brv(1)*n^-1, each in
  // (-q, q), then to [0, q) as u64.
  TOWER_AI void inv_last(V x, V y, __m256i& ox, __m256i& oy) const {
    ox = to_u64(mulmod(_mm256_add_pd(x, y), n_inv_));
    oy = to_u64(mulmod(_mm256_sub_pd(x, y), last_));
  }

  // Forward output: v in (-2q, 2q) -> fold(v) in [-q, q) -> [0, q) as u64
  // (fold(v) = q only for v = 2q).
  TOWER_AI __m256i out(V v) const { return to_u64(fold(v)); }

 private:
  static double to_double(u64 x) { return static_cast<double>(static_cast<long long>(x)); }
  // u64 in [0, 2^52) -> double.
  TOWER_AI V to_double(__m256i x) const {
    return _mm256_sub_pd(_mm256_castsi256_pd(_mm256_or_si256(x, two52_bits_)), two52_);
  }
  TOWER_AI V centre(__m256i x) const {
    return _mm256_sub_pd(_mm256_castsi256_pd(_mm256_or_si256(x, two52_bits_)), in_offset_);
  }
  // r in [-q, q) -> r mod q as u64: add 2^52, or 2^52 + q when r < 0 (the
  // sign bit; r is not -0), giving a double in [2^52, 2^52 + q) whose low 52
  // bits are the result; clear the exponent bits of 2^52.
  TOWER_AI __m256i to_u64(V r) const {
    const V s = _mm256_add_pd(r, _mm256_blendv_pd(two52_, two52_q_, r));
    return _mm256_xor_si256(_mm256_castpd_si256(s), two52_bits_);
  }

  double qinv_s_;
  __m256d q_, neg_q_, round_, two52_, two52_q_, in_offset_, qinv_;
  __m256i two52_bits_;
  Tw n_inv_, last_;
};

// ---------------------------------------------------------------------------
// (b) Integer arithmetic (Shoup), any q < 2^61; used for 51..61-bit primes.

// x >= m ? x - m : x, for x, m < 2^63 (the sign bit of x - m decides).
TOWER_AI __m256i reduce_once(__m256i x, __m256i m) {
  const __m256i d = _mm256_sub_epi64(x, m);
  return _mm256_castpd_si256(
      _mm256_blendv_pd(_mm256_castsi256_pd(d), _mm256_castsi256_pd(x), _mm256_castsi256_pd(d)));
}

// floor(x * p / 2^63), exact, for x, p < 2^63 (schoolbook on 32-bit halves;
// xh = x >> 32 and ph = p >> 32 are below 2^31, _mm256_mul_epu32 reads the low
// halves). With x*p = hh 2^64 + (hl + lh) 2^32 + ll, the middle sum
// S = hl + lh + (ll >> 32) <= 2 (2^31 - 1)(2^32 - 1) + 2^32 - 1 < 2^64 does not
// overflow, and floor(x*p / 2^63) = 2 hh + floor(S / 2^31) because the dropped
// low half of ll is below 2^32.
TOWER_AI __m256i mul_hi63(__m256i x, __m256i xh, __m256i p, __m256i ph) {
  const __m256i ll = _mm256_mul_epu32(x, p);
  const __m256i lh = _mm256_mul_epu32(x, ph);
  const __m256i hl = _mm256_mul_epu32(xh, p);
  const __m256i hh = _mm256_mul_epu32(xh, ph);
  const __m256i sum = _mm256_add_epi64(_mm256_add_epi64(hl, lh), _mm256_srli_epi64(ll, 32));
  return _mm256_add_epi64(_mm256_add_epi64(hh, hh), _mm256_srli_epi64(sum, 31));
}

class IntArith {
 public:
  using V = __m256i;
  // Shoup's companion at 63 bits, p = floor(w 2^63 / q) = floor(w' / 2), with
  // w' = floor(w 2^64 / q) from the tables, so that x, p < 2^63 (mul_hi63).
  struct Tw {
    __m256i w, wh, p, ph;  // w, w >> 32, p, p >> 32
  };

  explicit IntArith(const Plan& p) {
    q_ = _mm256_set1_epi64x(static_cast<long long>(p.q));
    qh_ = _mm256_set1_epi64x(static_cast<long long>(p.q >> 32));
    two_q_ = _mm256_set1_epi64x(static_cast<long long>(2 * p.q));
    n_inv_ = make(p.n_inv, p.n_inv_shoup);
    last_ = make(p.last, p.last_shoup);
  }

  TOWER_AI Tw bcast(const u64* w, const u64* wp, std::size_t k) const { return make(w[k], wp[k]); }
  TOWER_AI Tw lanes(__m256i w, __m256i wp) const {
    return {w, _mm256_srli_epi64(w, 32), _mm256_srli_epi64(wp, 1), _mm256_srli_epi64(wp, 33)};
  }

  TOWER_AI V load_in(const u64* p) const { return loadu(p); }
  TOWER_AI V load2_in(const u64* p, const u64* r) const { return loadu2(p, r); }
  TOWER_AI V load(const u64* p) const { return loadu(p); }
  TOWER_AI V load2(const u64* p, const u64* r) const { return loadu2(p, r); }
  TOWER_AI void store(u64* p, V v) const { storeu(p, v); }
  TOWER_AI void store2(u64* p, u64* r, V v) const { storeu2(p, r, v); }

  // Shoup: x*w mod q lazily in [0, 2q), for x < 2^63 (here x < 4q):
  // qhat = floor(x p / 2^63) and r = x*w - qhat*q. As in Shoup's bound,
  // 0 <= x*w/q - qhat < 1 + x/2^63 < 2, so r is in [0, 2q); it is computed
  // mod 2^64 as (xl*wl - ql'*ql) + ((xl*wh + xh*wl - ql'*qh - qh'*ql) << 32),
  // with l/h the 32-bit halves and q' = qhat.
  TOWER_AI V mul_lazy(V x, const Tw& w) const {
    const V xh = _mm256_srli_epi64(x, 32);
    const V qhat = mul_hi63(x, xh, w.p, w.ph);
    const V qhat_h = _mm256_srli_epi64(qhat, 32);
    const V lo = _mm256_sub_epi64(_mm256_mul_epu32(x, w.w), _mm256_mul_epu32(qhat, q_));
    const V cross = _mm256_sub_epi64(_mm256_add_epi64(_mm256_mul_epu32(x, w.wh), _mm256_mul_epu32(xh, w.w)),
                                     _mm256_add_epi64(_mm256_mul_epu32(qhat, qh_), _mm256_mul_epu32(qhat_h, q_)));
    return _mm256_add_epi64(lo, _mm256_slli_epi64(cross, 32));
  }

  // Harvey 2014, Algorithm 4: x, y in [0, 4q) -> x + wy, x - wy + 2q in [0, 4q).
  TOWER_AI void fwd(V& x, V& y, const Tw& w) const {
    const V xr = reduce_once(x, two_q_);
    const V t = mul_lazy(y, w);
    x = _mm256_add_epi64(xr, t);
    y = _mm256_sub_epi64(_mm256_add_epi64(xr, two_q_), t);
  }

  // Harvey 2014, Algorithm 3: x, y in [0, 2q) -> (x + y) mod 2q, w(x - y + 2q)
  // lazily, both in [0, 2q).
  TOWER_AI void inv(V& x, V& y, const Tw& w) const {
    const V s = _mm256_add_epi64(x, y);
    const V d = _mm256_sub_epi64(_mm256_add_epi64(x, two_q_), y);
    x = reduce_once(s, two_q_);
    y = mul_lazy(d, w);
  }

  TOWER_AI void inv_last(V x, V y, __m256i& ox, __m256i& oy) const {
    const V s = _mm256_add_epi64(x, y);
    const V d = _mm256_sub_epi64(_mm256_add_epi64(x, two_q_), y);
    ox = reduce_once(mul_lazy(s, n_inv_), q_);
    oy = reduce_once(mul_lazy(d, last_), q_);
  }

  // [0, 4q) -> [0, q).
  TOWER_AI __m256i out(V v) const { return reduce_once(reduce_once(v, two_q_), q_); }

 private:
  static TOWER_AI Tw make(u64 w, u64 wp) {
    return {_mm256_set1_epi64x(static_cast<long long>(w)), _mm256_set1_epi64x(static_cast<long long>(w >> 32)),
            _mm256_set1_epi64x(static_cast<long long>(wp >> 1)), _mm256_set1_epi64x(static_cast<long long>(wp >> 33))};
  }

  __m256i q_, qh_, two_q_;
  Tw n_inv_, last_;
};

// ---------------------------------------------------------------------------
// Passes, generic in the arithmetic A. Stage "m" has m blocks of 2t words,
// t = n / (2m); block i pairs x[j] with x[j + t] under twiddle w[m + i].
//
// Each pass is a function of its own (noinline) that starts by copying the
// arithmetic's constants and the plan into locals: the compiler then knows
// that the stores into the array cannot change them, and it allocates
// registers for one loop nest at a time (about 10% faster than one big
// inlined function).

template <class A>
struct Quad {
  typename A::V a0, a1, a2, a3;
};

// Runs f.back(k, f.front(k)) for k = 0 .. count-1, software-pipelined: the
// front half of item k + 1 is issued beside the back half of item k, which
// gives the out-of-order core independent work (unrolled twice so no
// registers are copied).
template <class F>
TOWER_AI void pipelined(const F& f, std::size_t count) {
  auto c = f.front(0);
  std::size_t k = 1;
  for (; k + 1 < count; k += 2) {
    const auto d = f.front(k);
    f.back(k - 1, c);
    c = f.front(k + 1);
    f.back(k, d);
  }
  if (k < count) {
    const auto d = f.front(k);
    f.back(k - 1, c);
    f.back(k, d);
  } else {
    f.back(k - 1, c);
  }
}

// Forward stage m alone (t >= 4). kIn: the first pass, converts the input.
template <class A, bool kIn>
__attribute__((noinline)) void fwd_radix2(const A& ar_in, const Plan& p_in, std::size_t m) {
  const A ar = ar_in;  // local copies, see above
  const Plan p = p_in;
  const std::size_t t = p.n / (2 * m);
  for (std::size_t i = 0; i < m; ++i) {
    const typename A::Tw w = ar.bcast(p.w, p.wp, m + i);
    u64* x = p.a + 2 * i * t;
    for (std::size_t j = 0; j < t; j += 4) {
      typename A::V a0 = kIn ? ar.load_in(x + j) : ar.load(x + j);
      typename A::V a1 = kIn ? ar.load_in(x + j + t) : ar.load(x + j + t);
      ar.fwd(a0, a1, w);
      ar.store(x + j, a0);
      ar.store(x + j + t, a1);
    }
  }
}

// Forward stages m and 2m in one pass (t = n / (2m) >= 8): the four words
// x[j], x[j + t/2], x[j + t], x[j + 3t/2] of block i go through both, under
// w1 = w[m + i] and then w2 = w[2m + 2i], w3 = w[2m + 2i + 1].
template <class A, bool kIn>
struct FwdRadix4 {
  const A& ar;
  u64* x0;  // the block
  std::size_t t, h;
  typename A::Tw w1, w2, w3;

  TOWER_AI Quad<A> front(std::size_t k) const {
    const u64* x = x0 + 4 * k;
    Quad<A> c;
    if constexpr (kIn) {
      c = {ar.load_in(x), ar.load_in(x + h), ar.load_in(x + t), ar.load_in(x + t + h)};
    } else {
      c = {ar.load(x), ar.load(x + h), ar.load(x + t), ar.load(x + t + h)};
    }
    ar.fwd(c.a0, c.a2, w1);
    ar.fwd(c.a1, c.a3, w1);
    return c;
  }
  TOWER_AI void back(std::size_t k, Quad<A> c) const {
    u64* x = x0 + 4 * k;
    ar.fwd(c.a0, c.a1, w2);
    ar.fwd(c.a2, c.a3, w3);
    ar.store(x, c.a0);
    ar.store(x + h, c.a1);
    ar.store(x + t, c.a2);
    ar.store(x + t + h, c.a3);
  }
};

template <class A, bool kIn>
__attribute__((noinline)) void fwd_radix4(const A& ar_in, const Plan& p_in, std::size_t m) {
  const A ar = ar_in;  // local copies, see above
  const Plan p = p_in;
  const std::size_t t = p.n / (2 * m), h = t / 2;
  for (std::size_t i = 0; i < m; ++i) {
    const FwdRadix4<A, kIn> f{ar, p.a + 2 * i * t, t, h, ar.bcast(p.w, p.wp, m + i),
                              ar.bcast(p.w, p.wp, 2 * m + 2 * i), ar.bcast(p.w, p.wp, 2 * m + 2 * i + 1)};
    pipelined(f, h / 4);
  }
}

// The last three forward stages (t = 4, 2, 1) on groups of 16 words e0..e15,
// and the reduction to [0, q). The group is loaded in 128-bit halves as
//   z0 = (e0 e1 e8 e9), z1 = (e4 e5 e12 e13), z2 = (e2 e3 e10 e11), z3 = (e6 e7 e14 e15):
//   t = 4: z0 against z1 and z2 against z3, twiddles (A A B B);
//   t = 2: z0 against z2, twiddles (W0 W0 W2 W2); z1 against z3, (W1 W1 W3 W3);
//   t = 1: s0 = (e0 e2 e8 e10)  against s1 = (e1 e3 e9 e11),  twiddles (c0 c1 c4 c5),
//          s2 = (e4 e6 e12 e14) against s3 = (e5 e7 e13 e15), twiddles (c2 c3 c6 c7),
// where A B, W0..W3 and c0..c7 are the group's consecutive twiddles of the
// three stages (s0..s3 are unpacks of z0..z3, and unpacking them again gives
// back the z layout for the store).
template <class A>
struct FwdLast3 {
  using V = typename A::V;
  const A& ar;
  const Plan& p;

  // Stages t = 4 and t = 2 of group g.
  TOWER_AI Quad<A> front(std::size_t g) const {
    const u64* x = p.a + 16 * g;
    const std::size_t k4 = p.n / 8 + 2 * g, k2 = p.n / 4 + 4 * g;
    Quad<A> z{ar.load2(x, x + 8), ar.load2(x + 4, x + 12), ar.load2(x + 2, x + 10), ar.load2(x + 6, x + 14)};
    const typename A::Tw w4 = ar.lanes(load_pairs(p.w + k4), load_pairs(p.wp + k4));
    ar.fwd(z.a0, z.a1, w4);
    ar.fwd(z.a2, z.a3, w4);
    const __m256i w2 = loadu(p.w + k2), wp2 = loadu(p.wp + k2);
    ar.fwd(z.a0, z.a2, ar.lanes(unpacklo(w2, w2), unpacklo(wp2, wp2)));
    ar.fwd(z.a1, z.a3, ar.lanes(unpackhi(w2, w2), unpackhi(wp2, wp2)));
    return z;
  }

  // Stage t = 1 of group g, the reduction to [0, q) and the store.
  TOWER_AI void back(std::size_t g, const Quad<A>& z) const {
    u64* x = p.a + 16 * g;
    const std::size_t k1 = p.n / 2 + 8 * g;
    V s0 = unpacklo(z.a0, z.a2), s1 = unpackhi(z.a0, z.a2), s2 = unpacklo(z.a1, z.a3), s3 = unpackhi(z.a1, z.a3);
    ar.fwd(s0, s1, ar.lanes(loadu2(p.w + k1, p.w + k1 + 4), loadu2(p.wp + k1, p.wp + k1 + 4)));
    ar.fwd(s2, s3, ar.lanes(loadu2(p.w + k1 + 2, p.w + k1 + 6), loadu2(p.wp + k1 + 2, p.wp + k1 + 6)));
    const __m256i o0 = ar.out(s0), o1 = ar.out(s1), o2 = ar.out(s2), o3 = ar.out(s3);
    storeu2(x, x + 8, unpacklo(o0, o1));       // (e0 e1 e8 e9)
    storeu2(x + 2, x + 10, unpackhi(o0, o1));  // (e2 e3 e10 e11)
    storeu2(x + 4, x + 12, unpacklo(o2, o3));  // (e4 e5 e12 e13)
    storeu2(x + 6, x + 14, unpackhi(o2, o3));  // (e6 e7 e14 e15)
  }
};

template <class A>
__attribute__((noinline)) void fwd_last3(const A& ar_in, const Plan& p_in) {
  const A ar = ar_in;  // local copies, see above
  const Plan p = p_in;
  pipelined(FwdLast3<A>{ar, p}, p.n / 16);
}

// The first three inverse stages (t = 1, 2, 4) with the input conversion:
// fwd_last3 backwards, same layouts.
template <class A>
struct InvFirst3 {
  using V = typename A::V;
  const A& ar;
  const Plan& p;

  // Stages t = 1 and t = 2 of group g.
  TOWER_AI Quad<A> front(std::size_t g) const {
    const u64* x = p.a + 16 * g;
    const std::size_t k1 = p.n / 2 + 8 * g, k2 = p.n / 4 + 4 * g;
    const V z0 = ar.load2_in(x, x + 8), z1 = ar.load2_in(x + 4, x + 12), z2 = ar.load2_in(x + 2, x + 10),
            z3 = ar.load2_in(x + 6, x + 14);
    V s0 = unpacklo(z0, z2), s1 = unpackhi(z0, z2), s2 = unpacklo(z1, z3), s3 = unpackhi(z1, z3);
    ar.inv(s0, s1, ar.lanes(loadu2(p.w + k1, p.w + k1 + 4), loadu2(p.wp + k1, p.wp + k1 + 4)));
    ar.inv(s2, s3, ar.lanes(loadu2(p.w + k1 + 2, p.w + k1 + 6), loadu2(p.wp + k1 + 2, p.wp + k1 + 6)));
    Quad<A> z{unpacklo(s0, s1), unpacklo(s2, s3), unpackhi(s0, s1), unpackhi(s2, s3)};
    const __m256i w2 = loadu(p.w + k2), wp2 = loadu(p.wp + k2);
    ar.inv(z.a0, z.a2, ar.lanes(unpacklo(w2, w2), unpacklo(wp2, wp2)));
    ar.inv(z.a1, z.a3, ar.lanes(unpackhi(w2, w2), unpackhi(wp2, wp2)));
    return z;
  }

  // Stage t = 4 of group g and the store.
  TOWER_AI void back(std::size_t g, Quad<A> z) const {
    u64* x = p.a + 16 * g;
    const std::size_t k4 = p.n / 8 + 2 * g;
    const typename A::Tw w4 = ar.lanes(load_pairs(p.w + k4), load_pairs(p.wp + k4));
    ar.inv(z.a0, z.a1, w4);
    ar.inv(z.a2, z.a3, w4);
    ar.store2(x, x + 8, z.a0);
    ar.store2(x + 4, x + 12, z.a1);
    ar.store2(x + 2, x + 10, z.a2);
    ar.store2(x + 6, x + 14, z.a3);
  }
};

template <class A>
__attribute__((noinline)) void inv_first3(const A& ar_in, const Plan& p_in) {
  const A ar = ar_in;  // local copies, see above
  const Plan p = p_in;
  pipelined(InvFirst3<A>{ar, p}, p.n / 16);
}

// Inverse stage m alone (t = n / (2m) >= 8, m >= 2).
template <class A>
__attribute__((noinline)) void inv_radix2(const A& ar_in, const Plan& p_in, std::size_t m) {
  const A ar = ar_in;  // local copies, see above
  const Plan p = p_in;
  const std::size_t t = p.n / (2 * m);
  for (std::size_t i = 0; i < m; ++i) {
    const typename A::Tw w = ar.bcast(p.w, p.wp, m + i);
    u64* x = p.a + 2 * i * t;
    for (std::size_t j = 0; j < t; j += 4) {
      typename A::V a0 = ar.load(x + j), a1 = ar.load(x + j + t);
      ar.inv(a0, a1, w);
      ar.store(x + j, a0);
      ar.store(x + j + t, a1);
    }
  }
}

// Inverse stages m and m/2 in one pass (t = n / (2m) >= 8, m >= 4): block i
// of stage m/2 holds blocks 2i and 2i+1 of stage m; the words x[j], x[j + t],
// x[j + 2t], x[j + 3t] go through both.
template <class A>
struct InvRadix4 {
  const A& ar;
  u64* x0;  // the block of stage m/2
  std::size_t t;
  typename A::Tw w1, w2, w3;

  TOWER_AI Quad<A> front(std::size_t k) const {
    const u64* x = x0 + 4 * k;
    Quad<A> c{ar.load(x), ar.load(x + t), ar.load(x + 2 * t), ar.load(x + 3 * t)};
    ar.inv(c.a0, c.a1, w1);
    ar.inv(c.a2, c.a3, w2);
    return c;
  }
  TOWER_AI void back(std::size_t k, Quad<A> c) const {
    u64* x = x0 + 4 * k;
    ar.inv(c.a0, c.a2, w3);
    ar.inv(c.a1, c.a3, w3);
    ar.store(x, c.a0);
    ar.store(x + t, c.a1);
    ar.store(x + 2 * t, c.a2);
    ar.store(x + 3 * t, c.a3);
  }
};

template <class A>
__attribute__((noinline)) void inv_radix4(const A& ar_in, const Plan& p_in, std::size_t m) {
  const A ar = ar_in;  // local copies, see above
  const Plan p = p_in;
  const std::size_t t = p.n / (2 * m);
  for (std::size_t i = 0; i < m / 2; ++i) {
    const InvRadix4<A> f{ar, p.a + 4 * i * t, t, ar.bcast(p.w, p.wp, m + 2 * i), ar.bcast(p.w, p.wp, m + 2 * i + 1),
                         ar.bcast(p.w, p.wp, m / 2 + i)};
    pipelined(f, t / 4);
  }
}

// The last inverse stage (m = 1) alone, n^-1 folded in; output in [0, q).
template <class A>
__attribute__((noinline)) void inv_last1(const A& ar_in, const Plan& p_in) {
  const A ar = ar_in;  // local copies, see above
  const Plan p = p_in;
  const std::size_t t = p.n / 2;
  for (std::size_t j = 0; j < t; j += 4) {
    __m256i o0, o1;
    ar.inv_last(ar.load(p.a + j), ar.load(p.a + j + t), o0, o1);
    storeu(p.a + j, o0);
    storeu(p.a + j + t, o1);
  }
}

// The last two inverse stages (m = 2, 1) in one pass (n >= 32).
template <class A>
__attribute__((noinline)) void inv_last2(const A& ar_in, const Plan& p_in) {
  const A ar = ar_in;  // local copies, see above
  const Plan p = p_in;
  const std::size_t t = p.n / 4;
  const typename A::Tw w1 = ar.bcast(p.w, p.wp, 2);
  const typename A::Tw w2 = ar.bcast(p.w, p.wp, 3);
  u64* x = p.a;
  for (std::size_t j = 0; j < t; j += 4) {
    typename A::V a0 = ar.load(x + j), a1 = ar.load(x + j + t);
    typename A::V a2 = ar.load(x + j + 2 * t), a3 = ar.load(x + j + 3 * t);
    ar.inv(a0, a1, w1);
    ar.inv(a2, a3, w2);
    __m256i o0, o1, o2, o3;
    ar.inv_last(a0, a2, o0, o2);
    ar.inv_last(a1, a3, o1, o3);
    storeu(x + j, o0);
    storeu(x + j + t, o1);
    storeu(x + j + 2 * t, o2);
    storeu(x + j + 3 * t, o3);
  }
}

// Forward: stages m = 1 .. n/16 two at a time (one alone first if their number
// is odd; the first pass converts the input), then the last three.
template <class A>
void forward(const A& ar, const Plan& p) {
  int stages = p.log_n - 3;  // >= 1 for n >= 16
  std::size_t m = 1;
  if (stages % 2 == 1) {
    fwd_radix2<A, true>(ar, p, 1);
    m = 2;
    stages -= 1;
  } else {
    fwd_radix4<A, true>(ar, p, 1);
    m = 4;
    stages -= 2;
  }
  for (; stages > 0; stages -= 2, m <<= 2) fwd_radix4<A, false>(ar, p, m);
  fwd_last3(ar, p);
}

// Inverse: the first three stages (with the input conversion), stages
// m = n/16 .. 4 two at a time (one alone first if their number is odd), then
// m = 2 and m = 1 together (m = 1 alone when n = 16).
template <class A>
void inverse(const A& ar, const Plan& p) {
  inv_first3(ar, p);
  if (p.n == 16) {
    inv_last1(ar, p);
    return;
  }
  int stages = p.log_n - 5;  // m = n/16 .. 4
  std::size_t m = p.n / 16;
  if (stages % 2 == 1) {
    inv_radix2(ar, p, m);
    m >>= 1;
    stages -= 1;
  }
  for (; stages > 0; stages -= 2, m >>= 2) inv_radix4(ar, p, m);
  inv_last2(ar, p);
}

// The exactness arguments of FpArith assume round-to-nearest, and its
// products are inexact by design: run under the default MXCSR (round to
// nearest, all exceptions masked) and give the caller's back afterwards,
// status flags included.
class DefaultMxcsr {
 public:
  DefaultMxcsr() : saved_(_mm_getcsr()) { _mm_setcsr(0x1F80); }
  ~DefaultMxcsr() { _mm_setcsr(saved_); }
  DefaultMxcsr(const DefaultMxcsr&) = delete;
  DefaultMxcsr& operator=(const DefaultMxcsr&) = delete;

 private:
  unsigned saved_;
};

void forward_fp(const Plan& p) {
  const DefaultMxcsr mxcsr;
  forward(FpArith(p, 2 * p.q), p);
}
void inverse_fp(const Plan& p) {
  const DefaultMxcsr mxcsr;
  inverse(FpArith(p, p.q), p);
}
void forward_int(const Plan& p) { forward(IntArith(p), p); }
void inverse_int(const Plan& p) { inverse(IntArith(p), p); }

#undef TOWER_AI

}  // namespace
}  // namespace tower::poly::detail

TOWER_TARGET_END

namespace tower::poly::detail {
namespace {

Plan make_plan(u64* a, const NttTables& t, bool forward) {
  return Plan{a,
              t.n(),
              t.log_n(),
              t.modulus().value(),
              forward ? t.fwd_root() : t.inv_root(),
              forward ? t.fwd_root_shoup() : t.inv_root_shoup(),
              t.n_inv(),
              t.n_inv_shoup(),
              t.last_inv_root_scaled(),
              t.last_inv_root_scaled_shoup()};
}

// The floating-point arithmetic needs q < 2^50 (see FpArith::mulmod_parts).
bool use_fp(const NttTables& t) { return t.modulus().bits() <= 50; }

}  // namespace

void ntt_forward_avx2(u64* a, const NttTables& t) noexcept {
  const Plan p = make_plan(a, t, true);
  if (use_fp(t)) {
    forward_fp(p);
  } else {
    forward_int(p);
  }
}

void ntt_inverse_avx2(u64* a, const NttTables& t) noexcept {
  const Plan p = make_plan(a, t, false);
  if (use_fp(t)) {
    inverse_fp(p);
  } else {
    inverse_int(p);
  }
}

}  // namespace tower::poly::detail
