// poly/base_conv_avx512.cpp — AVX-512 base conversion with IFMA52 (8 coefficients
// per vector); on AVX-512 CPUs without IFMA it runs the AVX2 kernel.
//
// The moduli go up to 2^61 while vpmadd52{l,h}uq multiply 52-bit values, so the
// kernel works with "pieces" below 2^52 (tables in BaseConvPlan::Ifma): y_i
// itself when q_i <= 2^52, else y_i mod 2^52 and y_i >> 52 (< 2^9) with the
// constants M_ij and 2^52 * M_ij mod p_j; the exact variant appends the piece
// v <= k with the constant -Q mod p_j. Then out_j = sum_r y_r * C_r mod p_j.
//
// Shoup sums. For a piece y < 2^52 and a constant C < p with
// C' = floor(C * 2^52 / p) < 2^52, the Shoup quotient h = floor(y * C' / 2^52)
// (one vpmadd52huq) satisfies y*C/p - 1 - y/2^52 < h <= y*C/p (Harvey 2014,
// section 2, with 52-bit words), so t = y*C - h*p is in [0, p*(1 + y/2^52)).
// Nothing needs t itself:
//     T = sum_r t_r = sum_r y_r*C_r - p * H,   H = sum_r h_r,
// and both sums accumulate in the adders of the multiply(-add) instructions.
// The small pieces (y_i >> 52 and v) may also go in "raw", without a quotient
// (t = y*C), where the bound below still holds. T is recovered from the sums
// modulo a power of two that exceeds it (the plan bounds T per target), and
// reduced once:
//  * one column (T < 2^52): T = (sum_r lo52(y_r*C_r) - lo52(H*p)) mod 2^52 —
//    2 multiply-adds per piece (1 if raw); Barrett with floor(2^52/p) finishes
//    (see finish_one). The common case: 40-bit targets.
//  * one word (T < 2^64): sum_r y_r*C_r mod 2^64 with vpmullq, which runs
//    beside the IFMA units on AMD Zen 4 — one multiply-add and one multiply per
//    piece; a double-precision quotient estimate finishes (see finish_word).
//    The common case: 60-bit targets of 40-bit sources.
//  * two columns (otherwise): T < 2^104, and
//    sum_r y_r*C_r = c0 + 2^52*c1 (mod 2^104) with c0 = sum lo52(y*Cl),
//    c1 = sum (hi52(y*Cl) + lo52(y*Ch)), C = Cl + 2^52*Ch — 3 multiply-adds per
//    piece when p < 2^52 (Ch = 0), 4 otherwise (see finish_two).
// All accumulators stay below 2^63 (pieces < 2^9, checked at plan time).
//
// The exact variant's v is summed as in the scalar kernel: u64 -> double
// conversion (vcvtuqq2pd, correctly rounded like the scalar conversion), a
// product rounded on its own (an empty asm keeps the compiler from fusing it
// into the addition), the addition, in source order; llround for v >= 0 is
// trunc(v) + (v - trunc(v) >= 0.5), both exact.
//
// Blocks: the pieces of B coefficients (about 32 KiB) are computed once and
// stay in cache while every target limb consumes them, 32 coefficients (4
// vectors) at a time, two alike one-column or one-word targets together so
// that they share the loads of the pieces.
//
// The instruction sets are enabled (poly/simd_target.hpp) around the kernel code
// only, after every #include (see poly/CMakeLists.txt).

#include <algorithm>
#include <cstddef>
#include <vector>

#include "poly/base_conv_kernels.hpp"
#include "poly/cpu.hpp"
#include "poly/modulus.hpp"
#include "poly/simd_target.hpp"

namespace tower::poly::detail {
namespace {

// Coefficients per block: about 4096 words (32 KiB) of pieces, a multiple of 32.
std::size_t block_size(std::size_t pieces) {
  const std::size_t b = (std::size_t{4096} / pieces) & ~std::size_t{31};
  return std::clamp<std::size_t>(b, 32, 512);
}

}  // namespace
}  // namespace tower::poly::detail

TOWER_TARGET_BEGIN("avx512f,avx512dq,avx512vl,avx512bw,avx512ifma")
#include "poly/simd_avx512.hpp"  // inside the target region (see the header)

namespace tower::poly::detail {
namespace {

using V = __m512i;
using simd_avx512::mul_hi;
using D = __m512d;

inline V load(const u64* p) { return _mm512_loadu_si512(p); }
inline void store(u64* p, V v) { _mm512_storeu_si512(p, v); }
inline V set1(u64 x) { return _mm512_set1_epi64(static_cast<long long>(x)); }
inline V zero() { return _mm512_setzero_si512(); }
inline V mask52() { return set1((u64{1} << 52) - 1); }

// x mod q for x in [0, 2q): if x < q, x - q wraps past 2^63 and min keeps x.
inline V reduce_once(V x, V q) { return _mm512_min_epu64(x, _mm512_sub_epi64(x, q)); }

// x*w mod q for any 64-bit x, w < q < 2^61, wp = floor(w * 2^64 / q) (Shoup):
// x*w - floor(x*wp/2^64)*q is in [0, 2q), computed modulo 2^64.
inline V shoup64(V x, V w, V wp, V q) {
  const V h = mul_hi(x, wp);
  return reduce_once(_mm512_sub_epi64(_mm512_mullo_epi64(x, w), _mm512_mullo_epi64(h, q)), q);
}

// The same with 52-bit words for x < 2^52, w < q < 2^51 and
// wp = floor(w * 2^52 / q): x*w - h*q is in [0, 2q) (the constant errs by less
// than 1, times x/2^52 < 1, plus the floor), below 2^52, so the difference of
// the two low 52-bit halves is exact modulo 2^52.
inline V shoup52(V x, V w, V wp, V q) {
  const V h = _mm512_madd52hi_epu64(zero(), x, wp);
  const V r = _mm512_sub_epi64(_mm512_madd52lo_epu64(zero(), x, w), _mm512_madd52lo_epu64(zero(), h, q));
  return reduce_once(_mm512_and_si512(r, mask52()), q);
}

inline D opaque(D x) {
  asm("" : "+v"(x));
  return x;
}

// y_i = x_i * (Q/q_i)^-1 mod q_i for coefficients [0, len) of xi into its
// piece rows (lo, and hi when Wide), adding fl(double(y_i) * (1/q_i)) to vsum
// when Exact.
template <bool Small, bool Wide, bool Exact>
void source_pieces(const u64* xi, std::size_t len, const Modulus& m, u64 w, u64 wp, double qinv, u64* lo, u64* hi,
                   double* vsum) {
  const V q = set1(m.value());
  const V wv = set1(w);
  const V wpv = set1(wp);
  const D qi = _mm512_set1_pd(qinv);
  for (std::size_t c = 0; c < len; c += 8) {
    const V y = Small ? shoup52(load(xi + c), wv, wpv, q) : shoup64(load(xi + c), wv, wpv, q);
    if constexpr (Wide) {
      store(lo + c, _mm512_and_si512(y, mask52()));
      store(hi + c, _mm512_srli_epi64(y, 52));
    } else {
      store(lo + c, y);
    }
    if constexpr (Exact) {
      const D prod = opaque(_mm512_mul_pd(_mm512_cvtepu64_pd(y), qi));
      _mm512_storeu_pd(vsum + c, _mm512_add_pd(_mm512_loadu_pd(vsum + c), prod));
    }
  }
}

// The pieces (and the exact variant's v piece) of coefficients [c0, c0 + len)
// into buf[r * B + c]; len is a multiple of 8.
template <bool Exact>
void make_pieces(const BaseConvPlan& pl, const u64* in, std::size_t c0, std::size_t len, u64* buf, std::size_t B,
                 double* vsum) {
  if constexpr (Exact) std::fill(vsum, vsum + len, 0.0);
  for (std::size_t i = 0; i < pl.k; ++i) {
    const Modulus& m = pl.q[i];
    const u64* xi = in + i * pl.n + c0;
    const u64 w = pl.q_hat_inv[i];
    u64* lo = buf + i * B;
    if (m.value() < (u64{1} << 50)) {
      // 52-bit Shoup: exact for x < 2^52, so even lazy inputs below 4q agree
      // with the scalar kernel's 64-bit Shoup product.
      const u64 wp = static_cast<u64>((static_cast<u128>(w) << 52) / m.value());
      source_pieces<true, false, Exact>(xi, len, m, w, wp, pl.q_inv[i], lo, nullptr, vsum);
    } else if (!pl.ifma.wide[i]) {
      source_pieces<false, false, Exact>(xi, len, m, w, pl.q_hat_inv_shoup[i], pl.q_inv[i], lo, nullptr, vsum);
    } else {
      u64* hi = buf + pl.ifma.hi_index[i] * B;
      source_pieces<false, true, Exact>(xi, len, m, w, pl.q_hat_inv_shoup[i], pl.q_inv[i], lo, hi, vsum);
    }
  }
  if constexpr (Exact) {
    // llround(v) for 0 <= v <= k.
    u64* vp = buf + pl.ifma.pieces * B;
    for (std::size_t c = 0; c < len; c += 8) {
      const D v = _mm512_loadu_pd(vsum + c);
      const D tr = _mm512_roundscale_pd(v, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
      const __mmask8 up = _mm512_cmp_pd_mask(_mm512_sub_pd(v, tr), _mm512_set1_pd(0.5), _CMP_GE_OQ);
      const V t = _mm512_cvttpd_epu64(tr);
      store(vp + c, _mm512_mask_add_epi64(t, up, t, set1(1)));
    }
  }
}

// Per-target constants of the finishing step.
struct Target {
  V p, pl, ph, mu;
  D pinv;
};

// One column: a = sum lo52(y*C), h = sum hi52(y*C'). T = (a - lo52(h*p)) mod 2^52
// is in [0, 2^52). Barrett: g = hi52(T * floor(2^52/p)) > T/p - 2 (the constant
// errs by less than 1, times T/2^52 < 1, plus the floor), g <= T/p, so
// T - g*p (< 2^52, exact) is in [0, 2p); one conditional subtraction.
inline V finish_one(V a, V h, const Target& tg) {
  const V t = _mm512_and_si512(_mm512_sub_epi64(a, _mm512_madd52lo_epu64(zero(), h, tg.p)), mask52());
  const V g = _mm512_madd52hi_epu64(zero(), t, tg.mu);
  return reduce_once(_mm512_sub_epi64(t, _mm512_madd52lo_epu64(zero(), g, tg.p)), tg.p);
}

// Two columns: T = c0 + 2^52*c1 - p*H (mod 2^104), the true T in [0, 2*pieces*p),
// below 2^71.
// With H = H0 + 2^52*H1 and p = pl + 2^52*ph, p*H mod 2^104 is
// lo52(H0*pl) + 2^52*(hi52(H0*pl) + lo52(H0*ph) + lo52(H1*pl)) (the other parts
// are multiples of 2^104). After one signed carry, T = d0 + 2^52*(d1 mod 2^52)
// with d0 < 2^52. The quotient estimate g = trunc(fl(fl(d1*2^52 + d0) * fl(1/p)))
// has relative error below 3.01 * 2^-53 on T/p < 2*pieces < 2^10, so it is off
// from T/p by less than 2^-41 and g is floor(T/p) or one either side:
// r = T - g*p, computed modulo 2^64, is in [-p, 2p), and two min-subtractions
// bring it to [0, p).
template <bool Wide>
inline V finish_two(V c0, V c1, V h, const Target& tg) {
  const V m52 = mask52();
  const V h0 = _mm512_and_si512(h, m52);
  const V h1 = _mm512_srli_epi64(h, 52);
  V x = _mm512_madd52hi_epu64(_mm512_madd52lo_epu64(zero(), h1, tg.pl), h0, tg.pl);
  if constexpr (Wide) x = _mm512_madd52lo_epu64(x, h0, tg.ph);
  V d0 = _mm512_sub_epi64(c0, _mm512_madd52lo_epu64(zero(), h0, tg.pl));
  const V d1 = _mm512_add_epi64(_mm512_sub_epi64(c1, x), _mm512_srai_epi64(d0, 52));
  d0 = _mm512_and_si512(d0, m52);
  const V d1m = _mm512_and_si512(d1, m52);
  const D td = _mm512_add_pd(_mm512_mul_pd(_mm512_cvtepu64_pd(d1m), _mm512_set1_pd(0x1p52)), _mm512_cvtepu64_pd(d0));
  const V g = _mm512_cvttpd_epu64(_mm512_mul_pd(td, tg.pinv));
  const V t64 = _mm512_add_epi64(d0, _mm512_slli_epi64(d1, 52));
  V r = _mm512_sub_epi64(t64, _mm512_mullo_epi64(g, tg.p));
  r = _mm512_min_epu64(r, _mm512_add_epi64(r, tg.p));  // [-p, 0) -> [0, p)
  return reduce_once(r, tg.p);
}

// One word: T = sum y*C - p*H (mod 2^64), the true T below 2^64 (checked at plan
// time) and below 2^20 * p (pieces < 2^9, raw pieces below 2^9 too). The
// estimate g = trunc(fl(fl(T) * fl(1/p))) has relative error below 3.01 * 2^-53,
// so it is off from T/p by less than 2^-31 and r = T - g*p, computed modulo
// 2^64, is in [-p, 2p); two min-subtractions bring it to [0, p).
inline V finish_word(V a, V h, const Target& tg) {
  const V t = _mm512_sub_epi64(a, _mm512_mullo_epi64(h, tg.p));
  const V g = _mm512_cvttpd_epu64(_mm512_mul_pd(_mm512_cvtepu64_pd(t), tg.pinv));
  V r = _mm512_sub_epi64(t, _mm512_mullo_epi64(g, tg.p));
  r = _mm512_min_epu64(r, _mm512_add_epi64(r, tg.p));  // [-p, 0) -> [0, p)
  return reduce_once(r, tg.p);
}

using Ifma = BaseConvPlan::Ifma;

// Piece y with the constants e of one target into its accumulators; Raw adds
// y*C without a Shoup quotient (kOneColumn and kOneWord only).
template <int Mode, bool Raw, int U>
inline void accumulate(const V* y, const u64* e, V* a, V* b, V* h) {
  if constexpr (Mode == Ifma::kOneWord) {
    const V cf = set1(e[3]);
    for (int u = 0; u < U; ++u) a[u] = _mm512_add_epi64(a[u], _mm512_mullo_epi64(y[u], cf));
  } else {
    const V cl = set1(e[0]);
    for (int u = 0; u < U; ++u) a[u] = _mm512_madd52lo_epu64(a[u], y[u], cl);
    if constexpr (Mode == Ifma::kTwoNarrow || Mode == Ifma::kTwoWide) {
      for (int u = 0; u < U; ++u) b[u] = _mm512_madd52hi_epu64(b[u], y[u], cl);
    }
    if constexpr (Mode == Ifma::kTwoWide) {
      const V ch = set1(e[1]);
      for (int u = 0; u < U; ++u) b[u] = _mm512_madd52lo_epu64(b[u], y[u], ch);
    }
  }
  if constexpr (!Raw) {
    const V cs = set1(e[2]);
    for (int u = 0; u < U; ++u) h[u] = _mm512_madd52hi_epu64(h[u], y[u], cs);
  }
}

// Target limbs j .. j+J-1 (constants cst + j' * cstride, outputs out + j' * n)
// for U vectors of coefficients at buf (piece r at buf + r*B); pieces from
// `raw_from` on are raw.
template <int Mode, int J, int U>
inline void target_vectors(const u64* buf, std::size_t B, std::size_t np, std::size_t raw_from, const u64* cst,
                           std::size_t cstride, const Target* tg, u64* out, std::size_t n) {
  constexpr std::size_t S = Ifma::kStride;
  V a[J][U], b[J][U], h[J][U];
  for (int j = 0; j < J; ++j) {
    for (int u = 0; u < U; ++u) a[j][u] = b[j][u] = h[j][u] = zero();
  }
  std::size_t r = 0;
  for (; r < raw_from; ++r) {
    V y[U];
    for (int u = 0; u < U; ++u) y[u] = load(buf + r * B + 8 * u);
    for (int j = 0; j < J; ++j) accumulate<Mode, false, U>(y, cst + j * cstride + r * S, a[j], b[j], h[j]);
  }
  if constexpr (Mode == Ifma::kOneColumn || Mode == Ifma::kOneWord) {
    for (; r < np; ++r) {
      V y[U];
      for (int u = 0; u < U; ++u) y[u] = load(buf + r * B + 8 * u);
      for (int j = 0; j < J; ++j) accumulate<Mode, true, U>(y, cst + j * cstride + r * S, a[j], b[j], h[j]);
    }
  }
  for (int j = 0; j < J; ++j) {
    for (int u = 0; u < U; ++u) {
      V res;
      if constexpr (Mode == Ifma::kOneWord) {
        res = finish_word(a[j][u], h[j][u], tg[j]);
      } else if constexpr (Mode == Ifma::kOneColumn) {
        res = finish_one(a[j][u], h[j][u], tg[j]);
      } else {
        res = finish_two<Mode == Ifma::kTwoWide>(a[j][u], b[j][u], h[j][u], tg[j]);
      }
      store(out + j * n + 8 * u, res);
    }
  }
}

template <int Mode, int J>
void target_block(const u64* buf, std::size_t B, std::size_t len, std::size_t np, std::size_t raw_from,
                  const u64* cst, std::size_t cstride, const Target* tg, u64* out, std::size_t n) {
  constexpr int U = 4;
  std::size_t c = 0;
  for (; c + 8 * U <= len; c += 8 * U) {
    target_vectors<Mode, J, U>(buf + c, B, np, raw_from, cst, cstride, tg, out + c, n);
  }
  for (; c < len; c += 8) target_vectors<Mode, J, 1>(buf + c, B, np, raw_from, cst, cstride, tg, out + c, n);
}

Target make_target(const BaseConvPlan& pl, std::size_t j) {
  const u64 pv = pl.p[j].value();
  return Target{set1(pv), set1(pv & ((u64{1} << 52) - 1)), set1(pv >> 52), set1(pl.ifma.mu52[j]),
                _mm512_set1_pd(pl.ifma.p_inv[j])};
}

template <int Mode>
std::size_t targets(const BaseConvPlan& pl, std::size_t j, const u64* buf, std::size_t B, std::size_t len,
                    std::size_t np, u64* out) {
  const auto& t = pl.ifma;
  const std::size_t cstride = (t.pieces + 1) * Ifma::kStride;
  const u64* cst = t.consts.data() + j * cstride;
  const std::size_t raw_from = t.raw_tail[j] ? pl.k : np;
  // Two alike targets share every load of a piece (two-column targets have too
  // many accumulators for it).
  if constexpr (Mode == Ifma::kOneColumn || Mode == Ifma::kOneWord) {
    if (j + 1 < pl.l && t.mode[j + 1] == Mode && t.raw_tail[j + 1] == t.raw_tail[j]) {
      const Target tg[2] = {make_target(pl, j), make_target(pl, j + 1)};
      target_block<Mode, 2>(buf, B, len, np, raw_from, cst, cstride, tg, out, pl.n);
      return 2;
    }
  }
  const Target tg[1] = {make_target(pl, j)};
  target_block<Mode, 1>(buf, B, len, np, raw_from, cst, cstride, tg, out, pl.n);
  return 1;
}

void convert_ifma(const BaseConvPlan& pl, const u64* in, u64* out, std::size_t begin, std::size_t end, bool exact) {
  const auto& t = pl.ifma;
  const std::size_t np = t.pieces + (exact ? 1 : 0);
  const std::size_t B = block_size(t.pieces + 1);
  std::vector<u64> buf((t.pieces + 1) * B);
  std::vector<double> vsum(B);
  for (std::size_t c0 = begin; c0 < end; c0 += B) {
    const std::size_t len = std::min(B, end - c0);
    if (exact) {
      make_pieces<true>(pl, in, c0, len, buf.data(), B, vsum.data());
    } else {
      make_pieces<false>(pl, in, c0, len, buf.data(), B, vsum.data());
    }
    for (std::size_t j = 0; j < pl.l;) {
      u64* oj = out + j * pl.n + c0;
      switch (t.mode[j]) {
        case Ifma::kOneWord:
          j += targets<Ifma::kOneWord>(pl, j, buf.data(), B, len, np, oj);
          break;
        case Ifma::kOneColumn:
          j += targets<Ifma::kOneColumn>(pl, j, buf.data(), B, len, np, oj);
          break;
        case Ifma::kTwoNarrow:
          j += targets<Ifma::kTwoNarrow>(pl, j, buf.data(), B, len, np, oj);
          break;
        default:
          j += targets<Ifma::kTwoWide>(pl, j, buf.data(), B, len, np, oj);
          break;
      }
    }
  }
}

// x mod p for any 64-bit x: g = floor(x * floor(2^64/p) / 2^64) > x/p - 2, so
// x - g*p (computed modulo 2^64) is in [0, 2p); one conditional subtraction.
void reduce_avx512(u64* out, const u64* in, std::size_t n, const Modulus& m) noexcept {
  const V p = set1(m.value());
  const V mu = set1(m.barrett_hi());  // floor(2^128/p) >> 64 = floor(2^64/p)
  std::size_t c = 0;
  for (; c + 8 <= n; c += 8) {
    const V x = load(in + c);
    store(out + c, reduce_once(_mm512_sub_epi64(x, _mm512_mullo_epi64(mul_hi(x, mu), p)), p));
  }
  for (; c < n; ++c) out[c] = m.reduce(in[c]);
}

void lift_centred_avx512(u64* out, const u64* in, std::size_t n, u64 half, u64 add) noexcept {
  const V h = set1(half), a = set1(add);
  std::size_t c = 0;
  for (; c + 8 <= n; c += 8) {
    const V x = load(in + c);
    store(out + c, _mm512_mask_add_epi64(x, _mm512_cmpgt_epu64_mask(x, h), x, a));
  }
  for (; c < n; ++c) out[c] = in[c] + (in[c] > half ? add : 0);
}

}  // namespace
}  // namespace tower::poly::detail

TOWER_TARGET_END

namespace tower::poly::detail {
namespace {

// IFMA where the CPU has it (and the plan's bounds hold), else the AVX2 kernel.
// (Baseline code: it only calls kernels whose CPU support the caller,
// base_conv_kernels(SimdPath::avx512), has checked.)
void convert(const BaseConvPlan& pl, const u64* in, u64* out, std::size_t begin, std::size_t end, bool exact) {
  if (cpu_features().avx512ifma && pl.ifma.usable) {
    convert_ifma(pl, in, out, begin, end, exact);
  } else {
    kBaseConvAvx2.convert(pl, in, out, begin, end, exact);
  }
}

}  // namespace

constinit const BaseConvKernels kBaseConvAvx512{convert, reduce_avx512, lift_centred_avx512};

}  // namespace tower::poly::detail
