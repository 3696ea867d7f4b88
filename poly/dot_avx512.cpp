// poly/dot_avx512.cpp — AVX-512 dot-product kernels (8 residues per vector).
//
// Sums of full products, one reduction per output (see poly/dot.hpp). Three
// product engines, chosen per call like poly/eltwise_avx512.cpp:
//  * IFMA52 (AVX512-IFMA present and q < 2^50, poly::uses_ifma): vpmadd52luq /
//    vpmadd52huq add the low and high 52-bit halves of x*y straight into two
//    accumulators, lo and hi (two instructions per product), so the sum is
//    hi * 2^52 + lo exactly.
//  * Split (IFMA present and 2^52 < q < 2^56, SEAL's 53-56-bit primes): y in
//    28-bit halves, x in 32-bit ones, four accumulators that need neither masks
//    nor carries, and left operands that may be lazy (below 2^63; see the
//    engine below).
//  * Generic (any q < 2^61): with x = x1*2^32 + x0 and y = y1*2^32 + y0, the four
//    vpmuludq partial products are added into three accumulators without carries:
//        L += x0*y0 mod 2^32,  M += (x0*y0 >> 32) + x0*y1 + x1*y0,  H += x1*y1,
//    so the sum is H*2^64 + M*2^32 + L exactly.
// A chunk of terms is as long as the accumulators provably cannot overflow (at
// least 3 terms; 255 at 55 bits, 7 at 60 bits; derived at chunk_terms below);
// longer sums are reduced to a residue between chunks.
//
// Reduction of a double word hi*W + lo (W = 2^64 or 2^52) with hi, lo < W: Shoup
// multiplications by the constants R = W mod q and 1 (companions
// floor(R*W/q), floor(W/q)) give hi*R and lo modulo q in [0, 2q) each (Harvey
// 2014, section 2: valid for any multiplicand below W); each is reduced once and
// their sum once more.
//
// Memory: coefficients are processed in blocks of kBlock; within a block the
// terms are taken kGroup at a time, with the accumulators of the block parked in
// a stack buffer (96 KB for the generic engine: L2) between groups. So at most
// 3*kGroup input streams are read at a time: the limbs of a key are 2^k words
// apart and map to the same cache sets, and reading all 3k streams of a dot2 at
// once (45 at the SEAL set) would defeat the hardware prefetcher. The block is
// long (2048 coefficients, a 16 KB run per stream) because the prefetcher needs
// long runs: on this project's Zen 4 VM a read of 30 streams switching stream
// every 2 KB ran at ~9 GB/s, every 16-32 KB at 15-21 GB/s; the dot2 of one
// SEAL-set key (2^15, 16 towers, dnum 15) took 11.9 ms with 256-coefficient
// blocks and 9.4 ms with 2048.
//
// Interleaved operands (stride > 8w, poly::InterleavedPolys: a key-switching
// key holds each tower's 2 * dnum operands group by group) are one sequential
// stream whatever their number, so the driver takes every term of a vector at
// once with the accumulators in registers (run_streamed: no parked
// accumulators, no passes per group of terms) and prefetches each operand 2 KB
// ahead. The SEAL-set dot2 of one key (15 digits x 16 towers, 7-byte residues,
// x from L3, synthetic arrays; best of 20): blocked over separate limbs with the
// generic engine 8.6-9.5 ms from memory, 6.9 ms with everything in L1/L2;
// interleaved with the Split engine and the prefetch 7.0-7.3 ms from memory, 4.2 ms in
// L1/L2.
//
// Packed right operands (w < 8 bytes per residue, poly/packed.hpp): a vector's
// eight residues are the bytes [0, 8w), read with one masked byte load (nothing
// past them is touched), then spread into zero-extended words: with AVX512-VBMI
// by one vpermb that also zeroes the bytes above w ("Vbmi" loader); without it
// (Skylake-X, Cascade Lake) word l is assembled from the two words that hold
// bytes [l*w, l*w + w): two vpermq, two variable shifts, an OR and a mask
// ("Shift" loader). Either way the kernel reads 8w instead of 64 bytes per
// vector. The SEAL-set dot2 of one key from memory (7 bytes instead of 8):
// 10.5 -> 9.2 ms on synthetic arrays, 9.1-9.3 -> 8.8 ms on a real key; inside
// a whole rotation, where the x operands come from L3, within the noise (see
// docs/benchmarks.md, "Packed keys"). The gain that holds is the key's memory.
//
// The instruction sets are enabled (poly/simd_target.hpp) around the kernel code
// only, after every #include (see poly/CMakeLists.txt).

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "poly/cpu.hpp"
#include "poly/dot_kernels.hpp"
#include "poly/modulus.hpp"
#include "poly/simd_target.hpp"

namespace tower::poly::detail {
namespace {

// ---- Scalar precomputations (baseline x86-64 code). ----

constexpr std::size_t kMaxChunk = 1024;

// Generic engine. Per term, M grows by less than 2^32 + 2^(b+1) (b = bits of q:
// x0*y0 >> 32 < 2^32, x0*y1 and x1*y0 < 2^32 * 2^(b-32) each), L by less than
// 2^32 on top of a starting residue below 2^61, and H by x1*y1 < 2^(2b-64).
// M is the binding one: c terms fit while c * (2^32 + 2^(b+1)) < 2^64. The total,
// below c * 2^(2b) + 2^61 <= 2^(63+b) + 2^61, keeps H*2^64 + M*2^32 + L < 2^128.
std::size_t chunk_generic(const Modulus& m) noexcept {
  const u128 per = (u128{1} << 32) + (u128{1} << (m.bits() + 1));
  const u128 c = (~u64{0}) / per;
  return static_cast<std::size_t>(std::min<u128>(c, kMaxChunk));
}

// IFMA engine: lo starts below q < 2^50 and grows by less than 2^52 per term, so
// up to 4095 terms fit in 64 bits. hi grows by at most h = floor((q-1)^2 / 2^52)
// per term; the reduction first moves lo >> 52 (at most c) into hi and needs the
// result below 2^52 (a 52-bit multiplier): c * (h + 1) < 2^52.
std::size_t chunk_ifma(const Modulus& m) noexcept {
  const u128 q1 = m.value() - 1;
  const u64 h = static_cast<u64>((q1 * q1) >> 52);
  const u64 c = ((u64{1} << 52) - 1) / (h + 1);
  return static_cast<std::size_t>(std::min<u64>({c, 4095, kMaxChunk}));
}

}  // namespace
}  // namespace tower::poly::detail

TOWER_TARGET_BEGIN("avx512f,avx512dq,avx512vl,avx512bw")
#include "poly/simd_avx512.hpp"  // inside the target region (see the header)

namespace tower::poly::detail {
namespace {

using V = __m512i;
using simd_avx512::mul_hi;

inline V set1(u64 v) { return _mm512_set1_epi64(static_cast<long long>(v)); }
inline V load(const u64* p, __mmask8 k) { return _mm512_maskz_loadu_epi64(k, p); }
inline void store(u64* p, V v, __mmask8 k) { _mm512_mask_storeu_epi64(p, k, v); }

// x mod q for x in [0, 2q): if x < q, x - q wraps past 2^63 and min keeps x.
inline V reduce_once(V x, V q) { return _mm512_min_epu64(x, _mm512_sub_epi64(x, q)); }

// Byte mask of the first `lanes` residues of width w (lanes*w <= 64 bytes).
inline __mmask64 byte_mask(__mmask8 lanes_mask, unsigned w) {
  const unsigned bytes = static_cast<unsigned>(__builtin_popcount(lanes_mask)) * w;
  return bytes >= 64 ? ~__mmask64{0} : (__mmask64{1} << bytes) - 1;
}

// Right-operand loaders: residues [off, off + 8) (off a multiple of 8, lanes
// in mk) as words, from the group of 8 residues at y + (off / 8) * stride.
// 8-byte residues.
struct Plain {
  unsigned w = 8;
  std::size_t stride;
  V operator()(const std::uint8_t* y, std::size_t off, __mmask8 mk) const {
    return _mm512_maskz_loadu_epi64(mk, y + off / 8 * stride);
  }
};

// w < 8 without VBMI: word l takes bytes [l*w, l*w + w) from the word a = l*w/8
// (shifted right by s = 8*(l*w mod 8) bits) and its successor (shifted left by
// 64 - s; a shift by 64 gives 0), masked to 8w bits. When l*w/8 + 1 = 8 the
// residue ends inside word 7 and the successor (clamped to 7) is masked away.
struct Shift {
  unsigned w;
  std::size_t stride;
  V ia, ib, sa, sb, keep;
  Shift(unsigned width, std::size_t group_stride) : w(width), stride(group_stride) {
    alignas(64) u64 a[8], b[8], ls[8], rs[8];
    for (unsigned l = 0; l < 8; ++l) {
      a[l] = l * w / 8;
      b[l] = std::min<u64>(a[l] + 1, 7);
      ls[l] = 8 * (l * w % 8);
      rs[l] = 64 - ls[l];
    }
    ia = _mm512_load_si512(a);
    ib = _mm512_load_si512(b);
    sa = _mm512_load_si512(ls);
    sb = _mm512_load_si512(rs);
    keep = set1((u64{1} << (8 * w)) - 1);
  }
  V operator()(const std::uint8_t* y, std::size_t off, __mmask8 mk) const {
    const V raw = _mm512_maskz_loadu_epi8(byte_mask(mk, w), y + off / 8 * stride);
    const V lo = _mm512_srlv_epi64(_mm512_permutexvar_epi64(ia, raw), sa);
    const V hi = _mm512_sllv_epi64(_mm512_permutexvar_epi64(ib, raw), sb);
    return _mm512_and_si512(_mm512_or_si512(lo, hi), keep);
  }
};

// The blocked driver, compiled once per engine inside that engine's target
// region (a function compiled without IFMA cannot inline the IFMA engine).
namespace generic_driver {
#include "poly/dot_avx512_driver.inc"
}  // namespace generic_driver

// ---- Generic engine, any q < 2^61 (vpmuludq pieces). ----
struct Generic {
  struct Acc {
    V l, m, h;
  };
  struct X {
    V x, x1;
  };
  V q, r, rp, one_p, lo32;  // r = 2^64 mod q, rp = floor(r 2^64 / q), one_p = floor(2^64 / q)
  std::size_t chunk;
  explicit Generic(const Modulus& mod)
      : q(set1(mod.value())),
        r(set1(static_cast<u64>((u128{1} << 64) % mod.value()))),
        rp(set1(shoup_precompute(static_cast<u64>((u128{1} << 64) % mod.value()), mod.value()))),
        one_p(set1(shoup_precompute(1, mod.value()))),
        lo32(set1(0xffffffff)),
        chunk(chunk_generic(mod)) {}

  static Acc init(V residue) { return {residue, _mm512_setzero_si512(), _mm512_setzero_si512()}; }
  static X prep(V x) { return {x, _mm512_srli_epi64(x, 32)}; }
  void term(Acc& a, const X& x, V y) const {
    const V y1 = _mm512_srli_epi64(y, 32);
    const V p00 = _mm512_mul_epu32(x.x, y);
    const V p01 = _mm512_mul_epu32(x.x, y1);
    const V p10 = _mm512_mul_epu32(x.x1, y);
    const V p11 = _mm512_mul_epu32(x.x1, y1);
    a.l = _mm512_add_epi64(a.l, _mm512_and_si512(p00, lo32));
    a.m = _mm512_add_epi64(a.m, _mm512_add_epi64(_mm512_srli_epi64(p00, 32), _mm512_add_epi64(p01, p10)));
    a.h = _mm512_add_epi64(a.h, p11);
  }
  // Shoup: w*v - floor(v*wp / 2^64)*q in [0, 2q) for any 64-bit v, then to [0, q).
  V shoup(V v, V w, V wp) const {
    const V qhat = mul_hi(v, wp);
    return reduce_once(_mm512_sub_epi64(_mm512_mullo_epi64(v, w), _mm512_mullo_epi64(qhat, q)), q);
  }
  V reduce(const Acc& a) const {
    // Carry-propagate to hi*2^64 + lo.
    const V lo = _mm512_add_epi64(a.l, _mm512_slli_epi64(a.m, 32));
    const __mmask8 carry = _mm512_cmplt_epu64_mask(lo, a.l);
    V hi = _mm512_add_epi64(a.h, _mm512_srli_epi64(a.m, 32));
    hi = _mm512_mask_add_epi64(hi, carry, hi, _mm512_set1_epi64(1));
    const V r_hi = shoup(hi, r, rp);
    const V r_lo = reduce_once(_mm512_sub_epi64(lo, _mm512_mullo_epi64(mul_hi(lo, one_p), q)), q);
    return reduce_once(_mm512_add_epi64(r_hi, r_lo), q);
  }
};

// Any width without VBMI: Plain for 8 bytes, else Shift.
void dot_generic(u64* out0, u64* out1, const u64* const* x, const std::uint8_t* const* y0,
                 const std::uint8_t* const* y1, unsigned w, std::size_t stride, std::size_t k, std::size_t n,
                 const Modulus& m, bool accumulate) noexcept {
  const Generic e(m);
  if (w == 8) {
    generic_driver::run(e, Plain{8, stride}, out0, out1, x, y0, y1, k, n, accumulate);
  } else {
    generic_driver::run(e, Shift(w, stride), out0, out1, x, y0, y1, k, n, accumulate);
  }
}

}  // namespace
}  // namespace tower::poly::detail

TOWER_TARGET_END

// ---- Generic engine with VBMI byte permutes for packed operands. ----
TOWER_TARGET_BEGIN("avx512f,avx512dq,avx512vl,avx512bw,avx512vbmi")

namespace tower::poly::detail {
namespace {

// w < 8 with VBMI: byte b < w of word l is byte l*w + b; vpermb's zero mask
// clears bytes w..7 of every word.
struct Vbmi {
  unsigned w;
  std::size_t stride;
  V idx;
  __mmask64 keep;
  Vbmi(unsigned width, std::size_t group_stride) : w(width), stride(group_stride), keep(0) {
    alignas(64) std::uint8_t t[64];
    for (unsigned l = 0; l < 8; ++l) {
      for (unsigned b = 0; b < 8; ++b) {
        t[8 * l + b] = static_cast<std::uint8_t>(b < w ? l * w + b : 0);
        if (b < w) keep |= __mmask64{1} << (8 * l + b);
      }
    }
    idx = _mm512_load_si512(t);
  }
  V operator()(const std::uint8_t* y, std::size_t off, __mmask8 mk) const {
    const V raw = _mm512_maskz_loadu_epi8(byte_mask(mk, w), y + off / 8 * stride);
    return _mm512_maskz_permutexvar_epi8(keep, idx, raw);
  }
};

namespace vbmi_driver {
#include "poly/dot_avx512_driver.inc"
}  // namespace vbmi_driver

// w < 8 with VBMI.
void dot_generic_vbmi(u64* out0, u64* out1, const u64* const* x, const std::uint8_t* const* y0,
                      const std::uint8_t* const* y1, unsigned w, std::size_t stride, std::size_t k, std::size_t n,
                      const Modulus& m, bool accumulate) noexcept {
  vbmi_driver::run(Generic(m), Vbmi(w, stride), out0, out1, x, y0, y1, k, n, accumulate);
}

}  // namespace
}  // namespace tower::poly::detail

TOWER_TARGET_END

// ---- IFMA52 engine, q < 2^50 (with VBMI, which every IFMA CPU has). ----
TOWER_TARGET_BEGIN("avx512f,avx512dq,avx512vl,avx512bw,avx512vbmi,avx512ifma")

namespace tower::poly::detail {
namespace {

struct Ifma {
  struct Acc {
    V lo, hi;
  };
  using X = V;
  V q, r, rp, one_p, mask52;  // r = 2^52 mod q, rp = floor(r 2^52 / q), one_p = floor(2^52 / q)
  std::size_t chunk;
  explicit Ifma(const Modulus& mod)
      : q(set1(mod.value())),
        r(set1((u64{1} << 52) % mod.value())),
        rp(set1(shoup_precompute52((u64{1} << 52) % mod.value(), mod.value()))),
        one_p(set1(shoup_precompute52(1, mod.value()))),
        mask52(set1((u64{1} << 52) - 1)),
        chunk(chunk_ifma(mod)) {}

  static Acc init(V residue) { return {residue, _mm512_setzero_si512()}; }
  static X prep(V x) { return x; }
  static void term(Acc& a, X x, V y) {
    a.lo = _mm512_madd52lo_epu64(a.lo, x, y);
    a.hi = _mm512_madd52hi_epu64(a.hi, x, y);
  }
  // Shoup with a 52-bit companion (as eltwise_avx512.cpp's shoup52): v < 2^52,
  // w < q < 2^50; w*v - floor(v*wp / 2^52)*q is in [0, 1.25q), computed mod 2^52.
  V shoup52(V v, V w, V wp) const {
    const V zero = _mm512_setzero_si512();
    const V qhat = _mm512_madd52hi_epu64(zero, v, wp);
    const V vw = _mm512_madd52lo_epu64(zero, v, w);
    const V qq = _mm512_madd52lo_epu64(zero, qhat, q);
    return reduce_once(_mm512_and_si512(_mm512_sub_epi64(vw, qq), mask52), q);
  }
  V reduce(const Acc& a) const {
    const V hi = _mm512_add_epi64(a.hi, _mm512_srli_epi64(a.lo, 52));  // < 2^52 (chunk_ifma)
    const V lo = _mm512_and_si512(a.lo, mask52);
    const V one = _mm512_set1_epi64(1);
    return reduce_once(_mm512_add_epi64(shoup52(hi, r, rp), shoup52(lo, one, one_p)), q);
  }
};

// ---- Split engine, 2^52 < q < 2^56 (IFMA for the reduction). ----
//
// With x = x1*2^32 + x0 and y = y1*2^28 + y0 (y < q < 2^56, so y1, y0 < 2^28;
// any x < 2^63, so x1 < 2^31), the four vpmuludq products (which read the low
// 32 bits of each word, so x0 needs no mask) are below 2^60 and go into four
// accumulators with no masking or carries, one per power of two:
//     A += x0*y0,  B += x0*y1 (2^28),  C += x1*y0 (2^32),  D += x1*y1 (2^60),
// seven operations a term beside the generic engine's ten (whose 32-bit halves
// make x0*y0 a full word to split), plus the shift of x shared by both sums.
// Left operands may be lazy, any value below 2^63 (dot_takes_lazy_left): the
// unreduced output of ntt_forward_lazy goes straight in. Fifteen terms fit per
// chunk (A < 15*2^60 + q < 2^64). The reduction regroups the sum in radix 2^52,
// sum = h2*2^104 + h1*2^52 + lo with h2 < 2^20 and h1, lo < 2^52, so Shoup
// products with 52-bit companions (one vpmadd52huq for the quotient, two
// vpmullq for the remainder, exact modulo 2^64 because it is below 2q) reduce
// h2 * (2^104 mod q) and h1 * (2^52 mod q); lo < 2^52 < q is a residue already.
constexpr std::size_t kSplitChunk = 15;

struct Split {
  struct Acc {
    V a, b, c, d;
  };
  struct X {
    V x0, x1;
  };
  V q, m28, m24, m20, m44, m52, r52, r52p, r104, r104p;  // r52 = 2^52 mod q, r104 = 2^104 mod q; companions floor(r 2^52 / q)
  std::size_t chunk = kSplitChunk;
  explicit Split(const Modulus& mod)
      : q(set1(mod.value())),
        m28(set1((u64{1} << 28) - 1)),
        m24(set1((u64{1} << 24) - 1)),
        m20(set1((u64{1} << 20) - 1)),
        m44(set1((u64{1} << 44) - 1)),
        m52(set1((u64{1} << 52) - 1)),
        r52(set1(static_cast<u64>((u128{1} << 52) % mod.value()))),
        r52p(set1(shoup_precompute52(static_cast<u64>((u128{1} << 52) % mod.value()), mod.value()))),
        r104(set1(static_cast<u64>(((u128{1} << 104) % mod.value())))),
        r104p(set1(shoup_precompute52(static_cast<u64>((u128{1} << 104) % mod.value()), mod.value()))) {}

  static Acc init(V residue) {
    const V z = _mm512_setzero_si512();
    return {residue, z, z, z};
  }
  static X prep(V x) { return {x, _mm512_srli_epi64(x, 32)}; }
  void term(Acc& a, const X& x, V y) const {
    const V y0 = _mm512_and_si512(y, m28);
    const V y1 = _mm512_srli_epi64(y, 28);
    a.a = _mm512_add_epi64(a.a, _mm512_mul_epu32(x.x0, y0));
    a.b = _mm512_add_epi64(a.b, _mm512_mul_epu32(x.x0, y1));
    a.c = _mm512_add_epi64(a.c, _mm512_mul_epu32(x.x1, y0));
    a.d = _mm512_add_epi64(a.d, _mm512_mul_epu32(x.x1, y1));
  }
  // w*v - floor(v*wp / 2^52)*q for v < 2^52 and w < q: in [0, 2q) (Harvey's
  // bound with beta = 2^52), computed modulo 2^64, which holds it.
  V shoup52(V v, V w, V wp) const {
    const V qhat = _mm512_madd52hi_epu64(_mm512_setzero_si512(), v, wp);
    return _mm512_sub_epi64(_mm512_mullo_epi64(v, w), _mm512_mullo_epi64(qhat, q));
  }
  V reduce(const Acc& s) const {
    // B*2^28 = (B >> 24)*2^52 + (B mod 2^24)*2^28, C*2^32 = (C >> 20)*2^52 +
    // (C mod 2^20)*2^32, D*2^60 = (D >> 44)*2^104 + (D mod 2^44)*2^8*2^52.
    // t < 15*2^60 + 2^56 + 2^53 < 2^64; h < 2^52 + 2^44 + 2^40 + 2^12.
    const V t = _mm512_add_epi64(_mm512_add_epi64(s.a, _mm512_slli_epi64(_mm512_and_si512(s.b, m24), 28)),
                                 _mm512_slli_epi64(_mm512_and_si512(s.c, m20), 32));
    const V h = _mm512_add_epi64(
        _mm512_add_epi64(_mm512_srli_epi64(t, 52), _mm512_srli_epi64(s.b, 24)),
        _mm512_add_epi64(_mm512_srli_epi64(s.c, 20), _mm512_slli_epi64(_mm512_and_si512(s.d, m44), 8)));
    const V h1 = _mm512_and_si512(h, m52);
    const V h2 = _mm512_add_epi64(_mm512_srli_epi64(s.d, 44), _mm512_srli_epi64(h, 52));
    V r = _mm512_add_epi64(shoup52(h1, r52, r52p), shoup52(h2, r104, r104p));
    r = reduce_once(r, _mm512_add_epi64(q, q));  // [0, 4q) -> [0, 2q)
    r = reduce_once(r, q);
    return reduce_once(_mm512_add_epi64(r, _mm512_and_si512(t, m52)), q);
  }
};

namespace ifma_driver {
#include "poly/dot_avx512_driver.inc"
}  // namespace ifma_driver

void dot_ifma(u64* out0, u64* out1, const u64* const* x, const std::uint8_t* const* y0,
              const std::uint8_t* const* y1, unsigned w, std::size_t stride, std::size_t k, std::size_t n,
              const Modulus& m, bool accumulate) noexcept {
  const Ifma e(m);
  if (w == 8) {
    ifma_driver::run(e, Plain{8, stride}, out0, out1, x, y0, y1, k, n, accumulate);
  } else {
    ifma_driver::run(e, Vbmi(w, stride), out0, out1, x, y0, y1, k, n, accumulate);
  }
}

void dot_split(u64* out0, u64* out1, const u64* const* x, const std::uint8_t* const* y0,
               const std::uint8_t* const* y1, unsigned w, std::size_t stride, std::size_t k, std::size_t n,
               const Modulus& m, bool accumulate) noexcept {
  const Split e(m);
  if (w == 8) {
    ifma_driver::run(e, Plain{8, stride}, out0, out1, x, y0, y1, k, n, accumulate);
  } else {
    ifma_driver::run(e, Vbmi(w, stride), out0, out1, x, y0, y1, k, n, accumulate);
  }
}

}  // namespace
}  // namespace tower::poly::detail

TOWER_TARGET_END

namespace tower::poly::detail {
namespace {

}  // namespace

bool split_applies(const Modulus& m) noexcept {
  const CpuFeatures& f = cpu_features();
  return f.avx512vbmi && f.avx512ifma && m.bits() > 52 && m.bits() <= 56;
}

namespace {

// Dispatch inside the path: the IFMA engine where the CPU has it (and VBMI)
// and q < 2^50, Split (IFMA reduction) for 2^52 < q < 2^56 (split_applies);
// VBMI byte permutes for packed operands where the CPU has them.
void dot(u64* out0, u64* out1, const u64* const* x, const std::uint8_t* const* y0, const std::uint8_t* const* y1,
         unsigned w, std::size_t stride, std::size_t k, std::size_t n, const Modulus& m, bool accumulate) noexcept {
  const bool vbmi = cpu_features().avx512vbmi;
  if (vbmi && uses_ifma(m.bits())) {
    dot_ifma(out0, out1, x, y0, y1, w, stride, k, n, m, accumulate);
  } else if (split_applies(m)) {
    dot_split(out0, out1, x, y0, y1, w, stride, k, n, m, accumulate);
  } else if (vbmi && w < 8) {
    dot_generic_vbmi(out0, out1, x, y0, y1, w, stride, k, n, m, accumulate);
  } else {
    dot_generic(out0, out1, x, y0, y1, w, stride, k, n, m, accumulate);
  }
}

}  // namespace

constinit const DotKernels kDotAvx512{dot};
constinit const DotKernels kDotAvx512NoVbmi{dot_generic};

}  // namespace tower::poly::detail
