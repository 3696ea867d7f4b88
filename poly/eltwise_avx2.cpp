// poly/eltwise_avx2.cpp — AVX2 element-wise kernels (4 residues per vector).
//
// AVX2 has no 64-bit multiply, no unsigned 64-bit compare and no 64-bit min, so:
//  * Products come from vpmuludq (32x32 -> 64) pieces: an exact 64x64 -> 128
//    product, then Barrett with mu = floor(2^(L+62) / q), L = bits of q, valid
//    for every q < 2^61 (derived at BarrettGeneric below).
//  * For q < 2^50 (and a CPU with FMA3, which every AVX2 CPU in practice has;
//    checked at run time) mul, mul_add and mul_scalar instead use exact
//    double-precision arithmetic with FMA (derived at FmaMul below): cheaper
//    than the ten or eleven vpmuludq of the integer kernels.
//  * Otherwise multiplication by a constant is Shoup's, with the 64-bit companion.
//  * Comparisons use the sign bit: every intermediate lies in (-2^62, 2^62), so
//    "x < y" is "x - y has its sign bit set", read by vblendvpd.
//
// Whole vectors first, then the tail (n mod 4 elements) with one masked load
// (vpmaskmovq; masked-out lanes read as 0, a valid residue, and never fault) and
// one masked store, so n is arbitrary and nothing past the end is touched. Loads
// and stores are unaligned; all loads of an element precede its store, so `out`
// may alias any input. Results are canonical residues in [0, q), hence
// bit-identical to eltwise_scalar.cpp.
//
// The instruction sets are enabled (poly/simd_target.hpp) around the kernel code
// only, after every #include (see poly/CMakeLists.txt).
#include <cpuid.h>

#include <cstddef>

#include "poly/eltwise_kernels.hpp"
#include "poly/modulus.hpp"
#include "poly/simd_target.hpp"

namespace tower::poly::detail {
namespace {

// ---- Scalar helpers (baseline x86-64 code). ----

// floor(2^128 / q) >> k = floor(2^(128-k) / q) for 0 < k < 128.
u64 barrett_shifted(const Modulus& m, int k) noexcept {
  const u128 ratio = (static_cast<u128>(m.barrett_hi()) << 64) | m.barrett_lo();
  return static_cast<u64>(ratio >> k);
}

// FMA3 (CPUID.1:ECX bit 12). The AVX2 path is only selected where the OS has
// enabled the YMM state, which is all FMA needs besides this bit.
bool cpu_has_fma() noexcept {
  static const bool has = [] {
    unsigned a = 0, b = 0, c = 0, d = 0;
    return __get_cpuid(1, &a, &b, &c, &d) && ((c >> 12) & 1) != 0;
  }();
  return has;
}

// The exact double-precision product needs q < 2^50 (see FmaMul).
bool use_fma(const Modulus& m) noexcept { return m.bits() <= 50 && cpu_has_fma(); }

}  // namespace
}  // namespace tower::poly::detail

TOWER_TARGET_BEGIN("avx2,fma")
#include "poly/simd_avx2.hpp"  // inside the target region (see the header)

namespace tower::poly::detail {
namespace {

using V = __m256i;
using simd_avx2::mul_hi;
using simd_avx2::mul_lo;
using D = __m256d;

inline V load(const u64* p) { return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)); }
inline void store(u64* p, V v) { _mm256_storeu_si256(reinterpret_cast<__m256i*>(p), v); }
// All-ones in the lanes i < rem (rem in 1..3).
inline V tail_mask(std::size_t rem) {
  return _mm256_cmpgt_epi64(_mm256_set1_epi64x(static_cast<long long>(rem)), _mm256_set_epi64x(3, 2, 1, 0));
}
inline V load_tail(V k, const u64* p) { return _mm256_maskload_epi64(reinterpret_cast<const long long*>(p), k); }
inline void store_tail(V k, u64* p, V v) { _mm256_maskstore_epi64(reinterpret_cast<long long*>(p), k, v); }
inline V set1(u64 x) { return _mm256_set1_epi64x(static_cast<long long>(x)); }

// sel < 0 (sign bit set) ? if_neg : if_nonneg.
inline V select_neg(V sel, V if_neg, V if_nonneg) {
  return _mm256_castpd_si256(
      _mm256_blendv_pd(_mm256_castsi256_pd(if_nonneg), _mm256_castsi256_pd(if_neg), _mm256_castsi256_pd(sel)));
}

// x mod q for x in [0, 2q): d = x - q is in [-q, q), negative exactly when x < q.
inline V reduce_once(V x, V q) {
  const V d = _mm256_sub_epi64(x, q);
  return select_neg(d, x, d);
}

// High and low 64 bits of the 128-bit product x*y, exact for all 64-bit x, y.
// With x = x1*2^32 + x0 and y = y1*2^32 + y0 (all halves < 2^32):
//   mid  = x1*y0 + (x0*y0 >> 32)          <= (2^32-1)^2 + 2^32-1 < 2^64
//   mid2 = x0*y1 + (mid mod 2^32)         <= (2^32-1)^2 + 2^32-1 < 2^64
//   hi   = x1*y1 + (mid >> 32) + (mid2 >> 32), lo = (mid2 << 32) | (x0*y0 mod 2^32).
inline void mul_wide(V x, V y, V& hi, V& lo) {
  const V lo32 = set1(0xffffffff);
  const V x1 = _mm256_srli_epi64(x, 32);
  const V y1 = _mm256_srli_epi64(y, 32);
  const V p00 = _mm256_mul_epu32(x, y);
  const V p01 = _mm256_mul_epu32(x, y1);
  const V p10 = _mm256_mul_epu32(x1, y);
  const V p11 = _mm256_mul_epu32(x1, y1);
  const V mid = _mm256_add_epi64(p10, _mm256_srli_epi64(p00, 32));
  const V mid2 = _mm256_add_epi64(p01, _mm256_and_si256(mid, lo32));
  hi = _mm256_add_epi64(_mm256_add_epi64(p11, _mm256_srli_epi64(mid, 32)), _mm256_srli_epi64(mid2, 32));
  lo = _mm256_or_si256(_mm256_slli_epi64(mid2, 32), _mm256_and_si256(p00, lo32));
}

// ---- Additive kernels. ----

// a, b in [0, q): a + b in [0, 2q) (no wrap, q < 2^61), one conditional subtraction.
void add(u64* out, const u64* a, const u64* b, std::size_t n, const Modulus& m) noexcept {
  const V q = set1(m.value());
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) store(out + i, reduce_once(_mm256_add_epi64(load(a + i), load(b + i)), q));
  if (i < n) {
    const V k = tail_mask(n - i);
    store_tail(k, out + i, reduce_once(_mm256_add_epi64(load_tail(k, a + i), load_tail(k, b + i)), q));
  }
}

// a, b in [0, q): d = a - b in (-q, q) as a signed word; add q where negative.
inline V sub_mod(V a, V b, V q) {
  const V d = _mm256_sub_epi64(a, b);
  return select_neg(d, _mm256_add_epi64(d, q), d);
}

void sub(u64* out, const u64* a, const u64* b, std::size_t n, const Modulus& m) noexcept {
  const V q = set1(m.value());
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) store(out + i, sub_mod(load(a + i), load(b + i), q));
  if (i < n) {
    const V k = tail_mask(n - i);
    store_tail(k, out + i, sub_mod(load_tail(k, a + i), load_tail(k, b + i), q));
  }
}

// a in [0, q): q - a in (0, q] is the answer except at a = 0, which is masked to 0.
inline V neg_mod(V a, V q) {
  return _mm256_andnot_si256(_mm256_cmpeq_epi64(a, _mm256_setzero_si256()), _mm256_sub_epi64(q, a));
}

void negate(u64* out, const u64* a, std::size_t n, const Modulus& m) noexcept {
  const V q = set1(m.value());
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) store(out + i, neg_mod(load(a + i), q));
  if (i < n) {
    const V k = tail_mask(n - i);
    store_tail(k, out + i, neg_mod(load_tail(k, a + i), q));
  }
}

// ---- Generic multiplication, any q < 2^61 (vpmuludq pieces). ----
//
// Barrett with a one-word constant. Let L = bits(q), so 2^(L-1) <= q < 2^L, and
// x = a*b <= (q-1)^2 < 2^(2L). With s = L - 2:
//   t    = floor(x / 2^s)                  < 2^(L+2) <= 2^63
//   mu   = floor(2^(s+64) / q)             <= 2^63   (= floor(2^128/q) >> (66-L))
//   qhat = floor(t * mu / 2^64)
// Writing t = x/2^s - e1 and mu = 2^(s+64)/q - e2 with e1, e2 in [0, 1):
//   x/q - t*mu/2^64 = e1*2^s/q + e2*t/2^64 - e1*e2/2^64 < 1/2 + 2^(L+2)/2^64 <= 1
// (2^s/q <= 2^(L-2)/2^(L-1) = 1/2, and L <= 61). With the floor, x/q - qhat < 2,
// and qhat <= x/q since t and mu are rounded down, so r = x - qhat*q is in
// [0, 2q): computed modulo 2^64 from the low words (exact, 2q < 2^62), then one
// conditional subtraction.
struct BarrettGeneric {
  V q, q_hi, mu;
  V s, s_comp;  // shift counts s and 64 - s (s = 0 gives a shift by 64, i.e. 0)
  explicit BarrettGeneric(const Modulus& m)
      : q(set1(m.value())),
        q_hi(set1(m.value() >> 32)),
        mu(set1(barrett_shifted(m, 66 - m.bits()))),
        s(set1(static_cast<u64>(m.bits() - 2))),
        s_comp(set1(static_cast<u64>(66 - m.bits()))) {}

  // a*b mod q for a, b in [0, q).
  V mul(V a, V b) const {
    V hi, lo;
    mul_wide(a, b, hi, lo);
    const V t = _mm256_or_si256(_mm256_sllv_epi64(hi, s_comp), _mm256_srlv_epi64(lo, s));
    const V qhat = mul_hi(t, mu);
    const V r = _mm256_sub_epi64(lo, mul_lo(qhat, q, q_hi));  // [0, 2q)
    return reduce_once(r, q);
  }
};

void mul_generic(u64* out, const u64* a, const u64* b, std::size_t n, const Modulus& m) noexcept {
  const BarrettGeneric br(m);
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) store(out + i, br.mul(load(a + i), load(b + i)));
  if (i < n) {
    const V k = tail_mask(n - i);
    store_tail(k, out + i, br.mul(load_tail(k, a + i), load_tail(k, b + i)));
  }
}

// acc + (a*b mod q): both in [0, q), the sum in [0, 2q), one conditional subtraction.
void mul_add_generic(u64* acc, const u64* a, const u64* b, std::size_t n, const Modulus& m) noexcept {
  const BarrettGeneric br(m);
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    store(acc + i, reduce_once(_mm256_add_epi64(load(acc + i), br.mul(load(a + i), load(b + i))), br.q));
  }
  if (i < n) {
    const V k = tail_mask(n - i);
    const V p = br.mul(load_tail(k, a + i), load_tail(k, b + i));
    store_tail(k, acc + i, reduce_once(_mm256_add_epi64(load_tail(k, acc + i), p), br.q));
  }
}

// ---- Exact double-precision multiplication, q < 2^50 (FMA). ----
//
// a, b in [0, q) are integers below 2^50, exact as doubles (converted through
// the 2^52 bias: the bits 0x4330... | x are the double 2^52 + x for x < 2^52).
// Let u = 2^-53 (unit roundoff of the default round-to-nearest mode, which
// tower never changes) and Q = a*b/q < q < 2^50.
//  1. h = fl(a*b) and l = fma(a, b, -h) = a*b - h exactly (the FMA two-product;
//     no underflow, everything is an integer). h is an integer (a double >= 2^53
//     is one; below 2^53, a*b is exact so h = a*b), hence so is l, and
//     |l| <= u*h < 2^47.
//  2. y = fl(h * qinv) with qinv = fl(1/q): y = Q(1+d0)(1+d1)(1+d2), |di| <= u,
//     so |y - Q| < 3.01u*Q < 3.01 * 2^-3 < 0.38. c = round-to-nearest(y) >= 0
//     then has |Q - c| <= |Q - y| + |y - c| < 0.38 + 0.5 < 1.
//  3. r = a*b - c*q = q*(Q - c) is an integer in (-q, q). The FMA computes
//     fma(-c, q, h) = h - c*q = r - l exactly, since it is an integer of
//     magnitude < 2^50 + 2^47 < 2^53 (one rounding of a representable value);
//     adding l gives r exactly (integers, result < 2^53).
//  4. Add q where r < 0 (an ordered compare: a -0.0 would count as 0, which is
//     right), giving a*b mod q in [0, q); convert back through the 2^52 bias.
struct FmaMul {
  D qd, qinv;
  explicit FmaMul(const Modulus& m)
      : qd(_mm256_set1_pd(static_cast<double>(m.value()))),
        qinv(_mm256_set1_pd(1.0 / static_cast<double>(m.value()))) {}

  static D bias() { return _mm256_set1_pd(0x1p52); }
  // x < 2^52 to the double x.
  static D to_double(V x) {
    return _mm256_sub_pd(_mm256_castsi256_pd(_mm256_or_si256(x, _mm256_castpd_si256(bias()))), bias());
  }
  // An integer-valued double in [0, 2^52) to the integer.
  static V to_int(D x) {
    return _mm256_xor_si256(_mm256_castpd_si256(_mm256_add_pd(x, bias())), _mm256_castpd_si256(bias()));
  }

  // a*b - c*q in (-q, q) for the quotient estimate c (steps 1-3).
  D mul_centered(V a, V b) const {
    const D ad = to_double(a);
    const D bd = to_double(b);
    const D h = _mm256_mul_pd(ad, bd);
    const D l = _mm256_fmsub_pd(ad, bd, h);
    const D c = _mm256_round_pd(_mm256_mul_pd(h, qinv), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    return _mm256_add_pd(_mm256_fnmadd_pd(c, qd, h), l);
  }
  // x in (-q, q) to x mod q in [0, q).
  D lift(D x) const {
    return _mm256_add_pd(x, _mm256_and_pd(_mm256_cmp_pd(x, _mm256_setzero_pd(), _CMP_LT_OQ), qd));
  }

  V mul(V a, V b) const { return to_int(lift(mul_centered(a, b))); }
};

void mul_fma(u64* out, const u64* a, const u64* b, std::size_t n, const Modulus& m) noexcept {
  const FmaMul fm(m);
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) store(out + i, fm.mul(load(a + i), load(b + i)));
  if (i < n) {
    const V k = tail_mask(n - i);
    store_tail(k, out + i, fm.mul(load_tail(k, a + i), load_tail(k, b + i)));
  }
}

// acc + (a*b mod q): both in [0, q), the sum in [0, 2q), one conditional subtraction.
void mul_add_fma(u64* acc, const u64* a, const u64* b, std::size_t n, const Modulus& m) noexcept {
  const FmaMul fm(m);
  const V q = set1(m.value());
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    store(acc + i, reduce_once(_mm256_add_epi64(load(acc + i), fm.mul(load(a + i), load(b + i))), q));
  }
  if (i < n) {
    const V k = tail_mask(n - i);
    const V p = fm.mul(load_tail(k, a + i), load_tail(k, b + i));
    store_tail(k, acc + i, reduce_once(_mm256_add_epi64(load_tail(k, acc + i), p), q));
  }
}

// a*c mod q for a constant c, q < 2^50: the FMA product above with b = c
// (cheaper here than Shoup's ten vpmuludq; the result is the same residue).
void mul_scalar_fma(u64* out, const u64* a, u64 c, std::size_t n, const Modulus& m) noexcept {
  const FmaMul fm(m);
  const V cv = set1(c);
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) store(out + i, fm.mul(load(a + i), cv));
  if (i < n) {
    const V k = tail_mask(n - i);
    store_tail(k, out + i, fm.mul(load_tail(k, a + i), cv));
  }
}

// ---- Multiplication by a constant (Shoup). ----
//
// With the 64-bit companion cp = floor(c*2^64/q) (< 2^64 as c < q):
// qhat = floor(a*cp/2^64) and r = a*c - qhat*q is in [0, 2q) for any 64-bit a
// (Harvey 2014, section 2); computed modulo 2^64 from low words (exact,
// 2q < 2^62), then one conditional subtraction.
struct Shoup {
  V q, q_hi, c, c_hi, cp;
  Shoup(u64 w, const Modulus& m)
      : q(set1(m.value())),
        q_hi(set1(m.value() >> 32)),
        c(set1(w)),
        c_hi(set1(w >> 32)),
        cp(set1(shoup_precompute(w, m.value()))) {}
  V mul(V x) const {
    const V qhat = mul_hi(x, cp);
    return reduce_once(_mm256_sub_epi64(mul_lo(x, c, c_hi), mul_lo(qhat, q, q_hi)), q);
  }
};

void mul_scalar_shoup(u64* out, const u64* a, u64 c, std::size_t n, const Modulus& m) noexcept {
  const Shoup sh(c, m);
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) store(out + i, sh.mul(load(a + i)));
  if (i < n) {
    const V k = tail_mask(n - i);
    store_tail(k, out + i, sh.mul(load_tail(k, a + i)));
  }
}

// (a - b) * c [+ d] mod q in one pass; mul(x) is a*c mod q for x in [0, q).
template <class Mul>
inline void sub_mul_add_loop(u64* out, const u64* a, const u64* b, const u64* d, std::size_t n, V q, const Mul& mul) {
  std::size_t i = 0;
  if (d) {
    for (; i + 4 <= n; i += 4) {
      store(out + i, reduce_once(_mm256_add_epi64(mul(sub_mod(load(a + i), load(b + i), q)), load(d + i)), q));
    }
  } else {
    for (; i + 4 <= n; i += 4) store(out + i, mul(sub_mod(load(a + i), load(b + i), q)));
  }
  if (i < n) {
    const V k = tail_mask(n - i);
    V r = mul(sub_mod(load_tail(k, a + i), load_tail(k, b + i), q));
    if (d) r = reduce_once(_mm256_add_epi64(r, load_tail(k, d + i)), q);
    store_tail(k, out + i, r);
  }
}

void sub_mul_scalar_add_fma(u64* out, const u64* a, const u64* b, u64 c, const u64* d, std::size_t n,
                            const Modulus& m) noexcept {
  const FmaMul fm(m);
  const V cv = set1(c);
  sub_mul_add_loop(out, a, b, d, n, set1(m.value()), [&](V x) { return fm.mul(x, cv); });
}

void sub_mul_scalar_add_shoup(u64* out, const u64* a, const u64* b, u64 c, const u64* d, std::size_t n,
                              const Modulus& m) noexcept {
  const Shoup sh(c, m);
  sub_mul_add_loop(out, a, b, d, n, set1(m.value()), [&](V x) { return sh.mul(x); });
}

}  // namespace
}  // namespace tower::poly::detail

TOWER_TARGET_END

namespace tower::poly::detail {
namespace {

// Dispatch inside the path (baseline code: it only calls the kernels, whose CPU
// support the caller, eltwise_kernels(SimdPath::avx2), has checked).
void mul(u64* out, const u64* a, const u64* b, std::size_t n, const Modulus& m) noexcept {
  if (use_fma(m)) {
    mul_fma(out, a, b, n, m);
  } else {
    mul_generic(out, a, b, n, m);
  }
}

void mul_scalar(u64* out, const u64* a, u64 c, std::size_t n, const Modulus& m) noexcept {
  if (use_fma(m)) {
    mul_scalar_fma(out, a, c, n, m);
  } else {
    mul_scalar_shoup(out, a, c, n, m);
  }
}

void mul_add(u64* acc, const u64* a, const u64* b, std::size_t n, const Modulus& m) noexcept {
  if (use_fma(m)) {
    mul_add_fma(acc, a, b, n, m);
  } else {
    mul_add_generic(acc, a, b, n, m);
  }
}

void sub_mul_scalar_add(u64* out, const u64* a, const u64* b, u64 c, const u64* d, std::size_t n,
                        const Modulus& m) noexcept {
  if (use_fma(m)) {
    sub_mul_scalar_add_fma(out, a, b, c, d, n, m);
  } else {
    sub_mul_scalar_add_shoup(out, a, b, c, d, n, m);
  }
}

}  // namespace

constinit const EltwiseKernels kEltwiseAvx2{add, sub, negate, mul, mul_scalar, mul_add, sub_mul_scalar_add};

}  // namespace tower::poly::detail
