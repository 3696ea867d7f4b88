// poly/eltwise_avx512.cpp — AVX-512 element-wise kernels (8 residues per vector).
//
// Two multiplication engines:
//  * IFMA52 (vpmadd52luq / vpmadd52huq) when the CPU has AVX512-IFMA and q < 2^50
//    (poly::uses_ifma): the 104-bit product a*b comes from two instructions, and
//    Barrett reduction uses a 52-bit-scaled constant (derived at mul_ifma below).
//  * Otherwise a 64x64 -> 128-bit product built from vpmuludq (32x32 -> 64)
//    pieces, and Barrett reduction with mu = floor(2^(L+62) / q), L = bits of q,
//    valid for every q < 2^61 (derived at BarrettGeneric below).
// Multiplication by a constant uses Shoup's precomputed quotient (64-bit
// companion, or the 52-bit one under IFMA). Additive kernels are branch-free with
// unsigned 64-bit min (vpminuq): for x in [0, 2q), min(x, x - q) is x mod q
// because x - q wraps to a huge value exactly when x < q.
//
// Every kernel processes whole vectors, then the tail (n mod 8 elements) with
// one masked load/store, so n is arbitrary and nothing past the end is touched.
// Loads and stores are unaligned; all loads of an element happen before its
// store, so `out` may alias any input. Results are canonical residues in [0, q),
// hence bit-identical to eltwise_scalar.cpp.
//
// The instruction sets are enabled (poly/simd_target.hpp) around the kernel code
// only, after every #include (see poly/CMakeLists.txt).

#include <cstddef>

#include "poly/cpu.hpp"
#include "poly/eltwise_kernels.hpp"
#include "poly/modulus.hpp"
#include "poly/simd_target.hpp"

namespace tower::poly::detail {
namespace {

// ---- Scalar precomputations (baseline x86-64 code). ----

// floor(2^128 / q) >> k = floor(2^(128-k) / q) for 0 < k < 128.
u64 barrett_shifted(const Modulus& m, int k) noexcept {
  const u128 ratio = (static_cast<u128>(m.barrett_hi()) << 64) | m.barrett_lo();
  return static_cast<u64>(ratio >> k);
}

}  // namespace
}  // namespace tower::poly::detail

TOWER_TARGET_BEGIN("avx512f,avx512dq,avx512vl,avx512bw")
#include "poly/simd_avx512.hpp"  // inside the target region (see the header)

namespace tower::poly::detail {
namespace {

using V = __m512i;
using simd_avx512::mul_hi;

inline V load(const u64* p) { return _mm512_loadu_si512(p); }
inline void store(u64* p, V v) { _mm512_storeu_si512(p, v); }
inline V load_tail(__mmask8 k, const u64* p) { return _mm512_maskz_loadu_epi64(k, p); }
inline void store_tail(__mmask8 k, u64* p, V v) { _mm512_mask_storeu_epi64(p, k, v); }
inline __mmask8 tail_mask(std::size_t rem) { return static_cast<__mmask8>((1u << rem) - 1u); }

// x mod q for x in [0, 2q): if x < q, x - q wraps past 2^63 and min keeps x.
inline V reduce_once(V x, V q) { return _mm512_min_epu64(x, _mm512_sub_epi64(x, q)); }

// High 64 bits of the 128-bit product x*y, exact for all 64-bit x, y.
// With x = x1*2^32 + x0 and y = y1*2^32 + y0 (all halves < 2^32):
//   mid  = x1*y0 + (x0*y0 >> 32)          <= (2^32-1)^2 + 2^32-1 < 2^64
//   mid2 = x0*y1 + (mid mod 2^32)         <= (2^32-1)^2 + 2^32-1 < 2^64
//   hi   = x1*y1 + (mid >> 32) + (mid2 >> 32), lo = (mid2 << 32) | (x0*y0 mod 2^32).
// Nothing overflows, so both words are exact.
inline void mul_wide(V x, V y, V& hi, V& lo) {
  const V lo32 = _mm512_set1_epi64(0xffffffff);
  const V x1 = _mm512_srli_epi64(x, 32);
  const V y1 = _mm512_srli_epi64(y, 32);
  const V p00 = _mm512_mul_epu32(x, y);
  const V p01 = _mm512_mul_epu32(x, y1);
  const V p10 = _mm512_mul_epu32(x1, y);
  const V p11 = _mm512_mul_epu32(x1, y1);
  const V mid = _mm512_add_epi64(p10, _mm512_srli_epi64(p00, 32));
  const V mid2 = _mm512_add_epi64(p01, _mm512_and_si512(mid, lo32));
  hi = _mm512_add_epi64(_mm512_add_epi64(p11, _mm512_srli_epi64(mid, 32)), _mm512_srli_epi64(mid2, 32));
  lo = _mm512_or_si512(_mm512_slli_epi64(mid2, 32), _mm512_and_si512(p00, lo32));
}

// ---- Additive kernels. ----

// a, b in [0, q): a + b in [0, 2q) (no wrap, q < 2^61), one conditional subtraction.
void add(u64* out, const u64* a, const u64* b, std::size_t n, const Modulus& m) noexcept {
  const V q = _mm512_set1_epi64(static_cast<long long>(m.value()));
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) store(out + i, reduce_once(_mm512_add_epi64(load(a + i), load(b + i)), q));
  if (i < n) {
    const __mmask8 k = tail_mask(n - i);
    store_tail(k, out + i, reduce_once(_mm512_add_epi64(load_tail(k, a + i), load_tail(k, b + i)), q));
  }
}

// d = a - b mod 2^64: if a >= b, d in [0, q) and d + q in [q, 2q) is larger;
// if a < b, d = 2^64 - (b - a) is huge and d + q wraps to q - (b - a) in (0, q).
// Either way min(d, d + q) is a - b mod q.
inline V sub_mod(V a, V b, V q) {
  const V d = _mm512_sub_epi64(a, b);
  return _mm512_min_epu64(d, _mm512_add_epi64(d, q));
}

void sub(u64* out, const u64* a, const u64* b, std::size_t n, const Modulus& m) noexcept {
  const V q = _mm512_set1_epi64(static_cast<long long>(m.value()));
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) store(out + i, sub_mod(load(a + i), load(b + i), q));
  if (i < n) {
    const __mmask8 k = tail_mask(n - i);
    store_tail(k, out + i, sub_mod(load_tail(k, a + i), load_tail(k, b + i), q));
  }
}

// a in [0, q): q - a in (0, q] and -a mod 2^64; for a = 0 these are q and 0, for
// a > 0 the second is huge. min(q - a, -a) is -a mod q.
inline V neg_mod(V a, V q) {
  return _mm512_min_epu64(_mm512_sub_epi64(q, a), _mm512_sub_epi64(_mm512_setzero_si512(), a));
}

void negate(u64* out, const u64* a, std::size_t n, const Modulus& m) noexcept {
  const V q = _mm512_set1_epi64(static_cast<long long>(m.value()));
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) store(out + i, neg_mod(load(a + i), q));
  if (i < n) {
    const __mmask8 k = tail_mask(n - i);
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
  V q, mu;
  V s, s_comp;  // shift counts s and 64 - s (s = 0 gives a shift by 64, i.e. 0)
  explicit BarrettGeneric(const Modulus& m)
      : q(_mm512_set1_epi64(static_cast<long long>(m.value()))),
        mu(_mm512_set1_epi64(static_cast<long long>(barrett_shifted(m, 66 - m.bits())))),
        s(_mm512_set1_epi64(m.bits() - 2)),
        s_comp(_mm512_set1_epi64(66 - m.bits())) {}

  // a*b mod q for a, b in [0, q).
  V mul(V a, V b) const {
    V hi, lo;
    mul_wide(a, b, hi, lo);
    const V t = _mm512_or_si512(_mm512_sllv_epi64(hi, s_comp), _mm512_srlv_epi64(lo, s));
    const V qhat = mul_hi(t, mu);
    const V r = _mm512_sub_epi64(lo, _mm512_mullo_epi64(qhat, q));  // [0, 2q)
    return reduce_once(r, q);
  }
};

void mul_generic(u64* out, const u64* a, const u64* b, std::size_t n, const Modulus& m) noexcept {
  const BarrettGeneric br(m);
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) store(out + i, br.mul(load(a + i), load(b + i)));
  if (i < n) {
    const __mmask8 k = tail_mask(n - i);
    store_tail(k, out + i, br.mul(load_tail(k, a + i), load_tail(k, b + i)));
  }
}

// acc + (a*b mod q): both in [0, q), the sum in [0, 2q), one conditional subtraction.
void mul_add_generic(u64* acc, const u64* a, const u64* b, std::size_t n, const Modulus& m) noexcept {
  const BarrettGeneric br(m);
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    store(acc + i, reduce_once(_mm512_add_epi64(load(acc + i), br.mul(load(a + i), load(b + i))), br.q));
  }
  if (i < n) {
    const __mmask8 k = tail_mask(n - i);
    const V p = br.mul(load_tail(k, a + i), load_tail(k, b + i));
    store_tail(k, acc + i, reduce_once(_mm512_add_epi64(load_tail(k, acc + i), p), br.q));
  }
}

// Shoup with the 64-bit companion cp = floor(c*2^64/q) (< 2^64 as c < q):
// qhat = floor(a*cp/2^64) and r = a*c - qhat*q is in [0, 2q) for any 64-bit a
// (Harvey 2014, section 2); computed modulo 2^64 from low words (exact, 2q < 2^62),
// then one conditional subtraction.
inline V shoup(V a, V c, V cp, V q) {
  const V qhat = mul_hi(a, cp);
  const V r = _mm512_sub_epi64(_mm512_mullo_epi64(a, c), _mm512_mullo_epi64(qhat, q));
  return reduce_once(r, q);
}

void mul_scalar_generic(u64* out, const u64* a, u64 c, std::size_t n, const Modulus& m) noexcept {
  const V q = _mm512_set1_epi64(static_cast<long long>(m.value()));
  const V cv = _mm512_set1_epi64(static_cast<long long>(c));
  const V cp = _mm512_set1_epi64(static_cast<long long>(shoup_precompute(c, m.value())));
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) store(out + i, shoup(load(a + i), cv, cp, q));
  if (i < n) {
    const __mmask8 k = tail_mask(n - i);
    store_tail(k, out + i, shoup(load_tail(k, a + i), cv, cp, q));
  }
}

// (a - b) * c [+ d] mod q in one pass; mul(x) is a*c mod q for x in [0, q).
template <class Mul>
inline void sub_mul_add_loop(u64* out, const u64* a, const u64* b, const u64* d, std::size_t n, V q, const Mul& mul) {
  std::size_t i = 0;
  if (d) {
    for (; i + 8 <= n; i += 8) {
      store(out + i, reduce_once(_mm512_add_epi64(mul(sub_mod(load(a + i), load(b + i), q)), load(d + i)), q));
    }
  } else {
    for (; i + 8 <= n; i += 8) store(out + i, mul(sub_mod(load(a + i), load(b + i), q)));
  }
  if (i < n) {
    const __mmask8 k = tail_mask(n - i);
    V r = mul(sub_mod(load_tail(k, a + i), load_tail(k, b + i), q));
    if (d) r = reduce_once(_mm512_add_epi64(r, load_tail(k, d + i)), q);
    store_tail(k, out + i, r);
  }
}

void sub_mul_scalar_add_generic(u64* out, const u64* a, const u64* b, u64 c, const u64* d, std::size_t n,
                                const Modulus& m) noexcept {
  const V q = _mm512_set1_epi64(static_cast<long long>(m.value()));
  const V cv = _mm512_set1_epi64(static_cast<long long>(c));
  const V cp = _mm512_set1_epi64(static_cast<long long>(shoup_precompute(c, m.value())));
  sub_mul_add_loop(out, a, b, d, n, q, [&](V x) { return shoup(x, cv, cp, q); });
}

}  // namespace
}  // namespace tower::poly::detail

TOWER_TARGET_END

// ---- IFMA52 multiplication, q < 2^50. ----
TOWER_TARGET_BEGIN("avx512f,avx512dq,avx512vl,avx512bw,avx512ifma")

namespace tower::poly::detail {
namespace {

inline V mask52() { return _mm512_set1_epi64((1LL << 52) - 1); }

// Barrett with a 52-bit-scaled constant. Let L = bits(q) <= 50 and s = L - 2.
// For inputs a, b, acc in [0, q) let x = a*b + acc <= (q-1)^2 + q-1 < q^2 < 2^(2L).
//   lo = acc + (a*b mod 2^52)  (vpmadd52luq, < 2^53)
//   hi = floor(a*b / 2^52)     (vpmadd52huq, < 2^48),  so x = hi*2^52 + lo.
//   t  = floor(x / 2^s) = hi*2^(52-s) + floor(lo / 2^s)   < 2^(L+2) <= 2^52,
// a valid 52-bit multiplier. The constant mu = floor(2^(s+53) / q) =
// floor(2^(L+51)/q) <= 2^52, with equality only for q = 2^(L-1); it is clamped
// to 2^52 - 1 to be a 52-bit multiplier. Then
//   qhat = floor(t*mu / 2^53) = floor(vpmadd52huq(t, mu) / 2),
// and with t = x/2^s - e1, mu = 2^(s+53)/q - e2, e1 in [0, 1):
//   x/q - t*mu/2^53 = e1*2^s/q + e2*t/2^53 - e1*e2/2^53.
// Unclamped (e2 < 1): < 1/2 + 2^(L+2)/2^53 <= 1 as L <= 50 (< 51).
// Clamped (q = 2^(L-1), e2 = 1): x < 2^(2L-2), t < 2^L, so < 1/2 + 2^-3 < 1.
// With the floor, x/q - qhat < 2 and qhat <= x/q, so r = x - qhat*q is in
// [0, 2q). It is computed modulo 2^52 (exact, 2q < 2^51) as
// (lo - (qhat*q mod 2^52)) mod 2^52, then one conditional subtraction.
struct BarrettIfma {
  V q, mu, s, s_comp;  // s_comp = 52 - s
  explicit BarrettIfma(const Modulus& m)
      : q(_mm512_set1_epi64(static_cast<long long>(m.value()))),
        mu(_mm512_set1_epi64(static_cast<long long>(clamp52(barrett_shifted(m, 77 - m.bits()))))),
        s(_mm512_set1_epi64(m.bits() - 2)),
        s_comp(_mm512_set1_epi64(54 - m.bits())) {}
  static u64 clamp52(u64 v) { return v < (u64{1} << 52) ? v : (u64{1} << 52) - 1; }

  // (acc + a*b) mod q for a, b, acc in [0, q).
  V mul_add(V acc, V a, V b) const {
    const V lo = _mm512_madd52lo_epu64(acc, a, b);
    const V hi = _mm512_madd52hi_epu64(_mm512_setzero_si512(), a, b);
    const V t = _mm512_add_epi64(_mm512_sllv_epi64(hi, s_comp), _mm512_srlv_epi64(lo, s));
    const V qhat = _mm512_srli_epi64(_mm512_madd52hi_epu64(_mm512_setzero_si512(), t, mu), 1);
    const V qq = _mm512_madd52lo_epu64(_mm512_setzero_si512(), qhat, q);  // qhat < q < 2^50
    const V r = _mm512_and_si512(_mm512_sub_epi64(lo, qq), mask52());    // [0, 2q)
    return reduce_once(r, q);
  }
};

void mul_ifma(u64* out, const u64* a, const u64* b, std::size_t n, const Modulus& m) noexcept {
  const BarrettIfma br(m);
  const V zero = _mm512_setzero_si512();
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) store(out + i, br.mul_add(zero, load(a + i), load(b + i)));
  if (i < n) {
    const __mmask8 k = tail_mask(n - i);
    store_tail(k, out + i, br.mul_add(zero, load_tail(k, a + i), load_tail(k, b + i)));
  }
}

void mul_add_ifma(u64* acc, const u64* a, const u64* b, std::size_t n, const Modulus& m) noexcept {
  const BarrettIfma br(m);
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) store(acc + i, br.mul_add(load(acc + i), load(a + i), load(b + i)));
  if (i < n) {
    const __mmask8 k = tail_mask(n - i);
    store_tail(k, acc + i, br.mul_add(load_tail(k, acc + i), load_tail(k, a + i), load_tail(k, b + i)));
  }
}

// Shoup with the 52-bit companion cp = floor(c*2^52/q) < 2^52 (c < q < 2^50):
// qhat = floor(a*cp/2^52). With cp = c*2^52/q - e, e in [0, 1):
//   a*c/q - qhat < a*e/2^52 + 1 < 2^-2 + 1,
// and qhat <= a*c/q, so r = a*c - qhat*q is in [0, 1.25q) subset of [0, 2q):
// computed modulo 2^52 (exact), one conditional subtraction.
inline V shoup52(V a, V c, V cp, V q) {
  const V zero = _mm512_setzero_si512();
  const V qhat = _mm512_madd52hi_epu64(zero, a, cp);
  const V ac = _mm512_madd52lo_epu64(zero, a, c);
  const V qq = _mm512_madd52lo_epu64(zero, qhat, q);
  return reduce_once(_mm512_and_si512(_mm512_sub_epi64(ac, qq), mask52()), q);
}

void mul_scalar_ifma(u64* out, const u64* a, u64 c, std::size_t n, const Modulus& m) noexcept {
  const V q = _mm512_set1_epi64(static_cast<long long>(m.value()));
  const V cv = _mm512_set1_epi64(static_cast<long long>(c));
  const V cp = _mm512_set1_epi64(static_cast<long long>(shoup_precompute52(c, m.value())));
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) store(out + i, shoup52(load(a + i), cv, cp, q));
  if (i < n) {
    const __mmask8 k = tail_mask(n - i);
    store_tail(k, out + i, shoup52(load_tail(k, a + i), cv, cp, q));
  }
}

void sub_mul_scalar_add_ifma(u64* out, const u64* a, const u64* b, u64 c, const u64* d, std::size_t n,
                             const Modulus& m) noexcept {
  const V q = _mm512_set1_epi64(static_cast<long long>(m.value()));
  const V cv = _mm512_set1_epi64(static_cast<long long>(c));
  const V cp = _mm512_set1_epi64(static_cast<long long>(shoup_precompute52(c, m.value())));
  sub_mul_add_loop(out, a, b, d, n, q, [&](V x) { return shoup52(x, cv, cp, q); });
}

}  // namespace
}  // namespace tower::poly::detail

TOWER_TARGET_END

namespace tower::poly::detail {
namespace {

// Dispatch inside the path: IFMA only where the CPU has it and q < 2^50.
// (Baseline code: it only calls the kernels, whose CPU support the caller,
// eltwise_kernels(SimdPath::avx512), has checked.)
void mul(u64* out, const u64* a, const u64* b, std::size_t n, const Modulus& m) noexcept {
  if (uses_ifma(m.bits())) {
    mul_ifma(out, a, b, n, m);
  } else {
    mul_generic(out, a, b, n, m);
  }
}

void mul_scalar(u64* out, const u64* a, u64 c, std::size_t n, const Modulus& m) noexcept {
  if (uses_ifma(m.bits())) {
    mul_scalar_ifma(out, a, c, n, m);
  } else {
    mul_scalar_generic(out, a, c, n, m);
  }
}

void mul_add(u64* acc, const u64* a, const u64* b, std::size_t n, const Modulus& m) noexcept {
  if (uses_ifma(m.bits())) {
    mul_add_ifma(acc, a, b, n, m);
  } else {
    mul_add_generic(acc, a, b, n, m);
  }
}

void sub_mul_scalar_add(u64* out, const u64* a, const u64* b, u64 c, const u64* d, std::size_t n,
                        const Modulus& m) noexcept {
  if (uses_ifma(m.bits())) {
    sub_mul_scalar_add_ifma(out, a, b, c, d, n, m);
  } else {
    sub_mul_scalar_add_generic(out, a, b, c, d, n, m);
  }
}

}  // namespace

constinit const EltwiseKernels kEltwiseAvx512{add, sub, negate, mul, mul_scalar, mul_add, sub_mul_scalar_add};

}  // namespace tower::poly::detail
