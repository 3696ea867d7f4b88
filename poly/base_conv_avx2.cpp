// poly/base_conv_avx2.cpp — AVX2 base conversion (4 coefficients per vector).
//
// AVX2 multiplies 32 x 32 -> 64 bits (vpmuludq) and has FMA on doubles. The
// main kernel splits the work between the two:
//  * The integer side computes S = sum_r y_r * C_r modulo 2^64 over "pieces"
//    y_r (tables in BaseConvPlan::Fpq): a single piece (< 2^32) costs two
//    products, y*C0 into A0 and y*C1 into A1 (C = C0 + 2^32*C1); a double one
//    (< 2^b, b <= 48) a third, (y >> 32)*C0 into A1; then S = A0 + 2^32*A1 mod
//    2^64, with no carries to track.
//  * The floating-point side estimates E = S/p = sum_r y_r * (C_r/p) with one
//    FMA per piece: G = sum fl(y_r * fl(C_r/p)). Its error is below
//    (pieces + 2) * 2^-53 * sum_r max y_r, which the plan keeps below 1/4 by the
//    choice of b (wider primes are split into y mod 2^32 and y >> 32, the latter
//    with the constant 2^32 * C mod p), and G < 2^51.
//  * With Q = round(G), |E - Q| < 3/4, so T = S - Q*p = p*(E - Q) lies in
//    (-p, p); computed modulo 2^64 it is exact as a signed word, and adding p
//    where it is negative gives S mod p in [0, p).
// Where the bound cannot hold (hundreds of sources) or the CPU lacks FMA, the
// scalar kernel runs.
//
// The exact variant's v is summed as in the scalar kernel (see make_pieces).
// Blocks: the pieces of B coefficients (about 16 KiB) are computed once and stay
// in L1 while every target limb consumes them.
//
// The instruction sets are enabled (poly/simd_target.hpp) around the kernel code
// only, after every #include (see poly/CMakeLists.txt).
#include <cpuid.h>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <vector>

#include "poly/base_conv_kernels.hpp"
#include "poly/modulus.hpp"
#include "poly/simd_target.hpp"

namespace tower::poly::detail {
namespace {

// Coefficients per block: about 2048 words of piece rows, a multiple of 8.
std::size_t block_size(std::size_t rows) {
  const std::size_t b = (std::size_t{2048} / rows) & ~std::size_t{7};
  return std::clamp<std::size_t>(b, 8, 512);
}

// FMA3 (CPUID.1:ECX bit 12); the AVX2 path is only selected where the OS has
// enabled the YMM state, which is all FMA needs besides this bit.
bool cpu_has_fma() noexcept {
  static const bool has = [] {
    unsigned a = 0, b = 0, c = 0, d = 0;
    return __get_cpuid(1, &a, &b, &c, &d) && ((c >> 12) & 1) != 0;
  }();
  return has;
}

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
inline V set1(u64 x) { return _mm256_set1_epi64x(static_cast<long long>(x)); }

// sel < 0 (sign bit set) ? if_neg : if_nonneg.
inline V select_neg(V sel, V if_neg, V if_nonneg) {
  return _mm256_castpd_si256(
      _mm256_blendv_pd(_mm256_castsi256_pd(if_nonneg), _mm256_castsi256_pd(if_neg), _mm256_castsi256_pd(sel)));
}

// x mod q for x in [0, 2q), q < 2^62: d = x - q is negative exactly when x < q.
inline V reduce_once(V x, V q) {
  const V d = _mm256_sub_epi64(x, q);
  return select_neg(d, x, d);
}

// x*w mod q for any 64-bit x, w < q < 2^61, wp = floor(w * 2^64 / q) (Shoup):
// x*w - floor(x*wp/2^64)*q is in [0, 2q), computed modulo 2^64.
struct Shoup {
  V q, q_hi, w, w_hi, wp;
  Shoup(u64 wv, u64 wpv, u64 qv)
      : q(set1(qv)), q_hi(set1(qv >> 32)), w(set1(wv)), w_hi(set1(wv >> 32)), wp(set1(wpv)) {}
  V mul(V x) const {
    const V h = mul_hi(x, wp);
    return reduce_once(_mm256_sub_epi64(mul_lo(x, w, w_hi), mul_lo(h, q, q_hi)), q);
  }
};

inline D opaque(D x) {
  asm("" : "+x"(x));
  return x;
}

// x < 2^64 to the nearest double, like the scalar conversion: hi*2^32 - 2^52 is
// exact (bits 0x4530... | hi are 2^84 + hi*2^32), and adding 2^52 + lo (bits
// 0x4330... | lo) rounds the exact sum x once.
inline D to_double(V x) {
  const V lo = _mm256_blend_epi32(x, _mm256_castpd_si256(_mm256_set1_pd(0x1p52)), 0xaa);
  const V hi = _mm256_or_si256(_mm256_srli_epi64(x, 32), _mm256_castpd_si256(_mm256_set1_pd(0x1p84)));
  const D hd = _mm256_sub_pd(_mm256_castsi256_pd(hi), _mm256_set1_pd(0x1p84 + 0x1p52));
  return _mm256_add_pd(hd, _mm256_castsi256_pd(lo));
}

// x < 2^52 to the double x (exact), through the 2^52 bias.
inline D small_to_double(V x) {
  const D bias = _mm256_set1_pd(0x1p52);
  return _mm256_sub_pd(_mm256_castsi256_pd(_mm256_or_si256(x, _mm256_castpd_si256(bias))), bias);
}

// v += fl(double(y) * (1/q)) with the product rounded on its own.
inline void add_v(double* vsum, V y, D qinv) {
  const D prod = opaque(_mm256_mul_pd(to_double(y), qinv));
  _mm256_storeu_pd(vsum, _mm256_add_pd(_mm256_loadu_pd(vsum), prod));
}

// llround(v) for 0 <= v < 2^51: trunc(v) + (v - trunc(v) >= 0.5), both exact.
inline V llround_small(D v) {
  const D bias = _mm256_set1_pd(0x1p52);
  const D t = _mm256_round_pd(v, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
  const D up = _mm256_and_pd(_mm256_cmp_pd(_mm256_sub_pd(v, t), _mm256_set1_pd(0.5), _CMP_GE_OQ), _mm256_set1_pd(1.0));
  return _mm256_xor_si256(_mm256_castpd_si256(_mm256_add_pd(_mm256_add_pd(t, up), bias)), _mm256_castpd_si256(bias));
}

// ---- Main kernel: sums modulo 2^64 and a floating-point quotient. ----

// Piece rows: y at ybuf + 2rB, y >> 32 at ybuf + (2r+1)B (double pieces), and
// double(y) at dbuf + rB.
inline void put_piece(u64* ybuf, double* dbuf, std::size_t B, std::size_t r, std::size_t c, V y, bool dbl) {
  store(ybuf + 2 * r * B + c, y);
  if (dbl) store(ybuf + (2 * r + 1) * B + c, _mm256_srli_epi64(y, 32));
  _mm256_storeu_pd(dbuf + r * B + c, small_to_double(y));
}

template <bool Exact>
void make_pieces(const BaseConvPlan& pl, const u64* in, std::size_t c0, std::size_t len, u64* ybuf, double* dbuf,
                 std::size_t B, double* vsum) {
  const auto& t = pl.fpq;
  const V m32 = set1(0xffffffff);
  if constexpr (Exact) std::fill(vsum, vsum + len, 0.0);
  for (std::size_t i = 0; i < pl.k; ++i) {
    const Shoup sh(pl.q_hat_inv[i], pl.q_hat_inv_shoup[i], pl.q[i].value());
    const D qinv = _mm256_set1_pd(pl.q_inv[i]);
    const u64* xi = in + i * pl.n + c0;
    const std::size_t lo = t.lo_index[i];
    if (t.split[i]) {
      const std::size_t hi = t.hi_index[i];
      for (std::size_t c = 0; c < len; c += 4) {
        const V y = sh.mul(load(xi + c));
        put_piece(ybuf, dbuf, B, lo, c, _mm256_and_si256(y, m32), false);
        put_piece(ybuf, dbuf, B, hi, c, _mm256_srli_epi64(y, 32), false);
        if constexpr (Exact) add_v(vsum + c, y, qinv);
      }
    } else {
      const bool dbl = lo < t.doubles;
      for (std::size_t c = 0; c < len; c += 4) {
        const V y = sh.mul(load(xi + c));
        put_piece(ybuf, dbuf, B, lo, c, y, dbl);
        if constexpr (Exact) add_v(vsum + c, y, qinv);
      }
    }
  }
  if constexpr (Exact) {
    for (std::size_t c = 0; c < len; c += 4) {
      put_piece(ybuf, dbuf, B, t.pieces, c, llround_small(_mm256_loadu_pd(vsum + c)), false);
    }
  }
}

// One piece into the sums of U vectors.
template <bool Double, int U>
inline void fpq_piece(const u64* y, const double* yd, std::size_t B, const u64* e, V* a0, V* a1, D* g) {
  const V c0 = set1(e[0]);
  const V c1 = set1(e[1]);
  double cp;
  std::memcpy(&cp, e + 2, sizeof cp);
  const D cpv = _mm256_set1_pd(cp);
  for (int u = 0; u < U; ++u) {
    const V yv = load(y + 4 * u);
    a0[u] = _mm256_add_epi64(a0[u], _mm256_mul_epu32(yv, c0));
    a1[u] = _mm256_add_epi64(a1[u], _mm256_mul_epu32(yv, c1));
    if constexpr (Double) a1[u] = _mm256_add_epi64(a1[u], _mm256_mul_epu32(load(y + B + 4 * u), c0));
    g[u] = _mm256_fmadd_pd(_mm256_loadu_pd(yd + 4 * u), cpv, g[u]);
  }
}

// Target limb for U vectors of coefficients at ybuf/dbuf + c.
template <int U>
inline void fpq_vectors(const u64* ybuf, const double* dbuf, std::size_t B, std::size_t nd, std::size_t np,
                        const u64* cst, V p, V p_hi, u64* out) {
  constexpr std::size_t S = BaseConvPlan::Fpq::kStride;
  V a0[U], a1[U];
  D g[U];
  for (int u = 0; u < U; ++u) {
    a0[u] = a1[u] = _mm256_setzero_si256();
    g[u] = _mm256_setzero_pd();
  }
  std::size_t r = 0;
  for (; r < nd; ++r) fpq_piece<true, U>(ybuf + 2 * r * B, dbuf + r * B, B, cst + r * S, a0, a1, g);
  for (; r < np; ++r) fpq_piece<false, U>(ybuf + 2 * r * B, dbuf + r * B, B, cst + r * S, a0, a1, g);
  const D bias = _mm256_set1_pd(0x1p52);
  for (int u = 0; u < U; ++u) {
    // Q = round(G) (0 <= G < 2^51) through the 2^52 bias; T = S - Q*p in (-p, p).
    const V q = _mm256_xor_si256(_mm256_castpd_si256(_mm256_add_pd(g[u], bias)), _mm256_castpd_si256(bias));
    const V t = _mm256_sub_epi64(_mm256_add_epi64(a0[u], _mm256_slli_epi64(a1[u], 32)), mul_lo(q, p, p_hi));
    store(out + 4 * u, select_neg(t, _mm256_add_epi64(t, p), t));
  }
}

void convert_fpq(const BaseConvPlan& pl, const u64* in, u64* out, std::size_t begin, std::size_t end, bool exact) {
  const auto& t = pl.fpq;
  const std::size_t np = t.pieces + (exact ? 1 : 0);
  const std::size_t cstride = (t.pieces + 1) * BaseConvPlan::Fpq::kStride;
  const std::size_t B = block_size(3 * (t.pieces + 1));
  std::vector<u64> ybuf(2 * (t.pieces + 1) * B);
  std::vector<double> dbuf((t.pieces + 1) * B), vsum(B);
  for (std::size_t c0 = begin; c0 < end; c0 += B) {
    const std::size_t len = std::min(B, end - c0);
    if (exact) {
      make_pieces<true>(pl, in, c0, len, ybuf.data(), dbuf.data(), B, vsum.data());
    } else {
      make_pieces<false>(pl, in, c0, len, ybuf.data(), dbuf.data(), B, vsum.data());
    }
    for (std::size_t j = 0; j < pl.l; ++j) {
      const u64 pv = pl.p[j].value();
      const V p = set1(pv), p_hi = set1(pv >> 32);
      const u64* cst = t.consts.data() + j * cstride;
      u64* oj = out + j * pl.n + c0;
      const u64* yb = ybuf.data();
      const double* db = dbuf.data();
      std::size_t c = 0;
      for (; c + 8 <= len; c += 8) fpq_vectors<2>(yb + c, db + c, B, t.doubles, np, cst, p, p_hi, oj + c);
      for (; c < len; c += 4) fpq_vectors<1>(yb + c, db + c, B, t.doubles, np, cst, p, p_hi, oj + c);
    }
  }
}

// x mod p for any 64-bit x: g = floor(x * floor(2^64/p) / 2^64) > x/p - 2, so
// x - g*p (computed modulo 2^64) is in [0, 2p); one conditional subtraction.
void reduce(u64* out, const u64* in, std::size_t n, const Modulus& m) noexcept {
  const V p = set1(m.value());
  const V p_hi = set1(m.value() >> 32);
  const V mu = set1(m.barrett_hi());  // floor(2^128/p) >> 64 = floor(2^64/p)
  std::size_t c = 0;
  for (; c + 4 <= n; c += 4) {
    const V x = load(in + c);
    store(out + c, reduce_once(_mm256_sub_epi64(x, mul_lo(mul_hi(x, mu), p, p_hi)), p));
  }
  for (; c < n; ++c) out[c] = m.reduce(in[c]);
}

// Inputs below 2^63, so the signed compare is the unsigned one.
void lift_centred(u64* out, const u64* in, std::size_t n, u64 half, u64 add) noexcept {
  const V h = set1(half), a = set1(add);
  std::size_t c = 0;
  for (; c + 4 <= n; c += 4) {
    const V x = load(in + c);
    store(out + c, _mm256_add_epi64(x, _mm256_and_si256(_mm256_cmpgt_epi64(x, h), a)));
  }
  for (; c < n; ++c) out[c] = in[c] + (in[c] > half ? add : 0);
}

}  // namespace
}  // namespace tower::poly::detail

TOWER_TARGET_END

namespace tower::poly::detail {
namespace {

// The kernel where its bound holds and the CPU has FMA, else the scalar one
// (hundreds of sources, or an AVX2 CPU without FMA: none is known). Baseline
// code: it only calls kernels whose CPU support base_conv_kernels() has checked.
void convert(const BaseConvPlan& pl, const u64* in, u64* out, std::size_t begin, std::size_t end, bool exact) {
  if (pl.fpq.usable && cpu_has_fma()) {
    convert_fpq(pl, in, out, begin, end, exact);
  } else {
    kBaseConvScalar.convert(pl, in, out, begin, end, exact);
  }
}

}  // namespace

constinit const BaseConvKernels kBaseConvAvx2{convert, reduce, lift_centred};

}  // namespace tower::poly::detail
