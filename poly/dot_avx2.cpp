// poly/dot_avx2.cpp — AVX2 dot-product kernel (4 residues per vector).
//
// The generic engine of dot_avx512.cpp on 256-bit vectors: with x = x1*2^32 + x0
// and y = y1*2^32 + y0, the vpmuludq partial products go into three carry-free
// accumulators
//     L += x0*y0 mod 2^32,  M += (x0*y0 >> 32) + x0*y1 + x1*y0,  H += x1*y1,
// for chunks of terms short enough that M cannot overflow (chunk_terms below),
// and the sum H*2^64 + M*2^32 + L is reduced once per chunk. AVX2 has neither
// unsigned 64-bit compares nor a 64-bit low product, so the reduction itself is
// done per lane with Modulus::reduce128 (once per output, against k products).
// Coefficients are processed in blocks, kGroup terms per pass, as in
// dot_avx512.cpp (few concurrent input streams); the last coefficients (n mod 4,
// and with packed right operands those whose vector load would read past the
// array) are computed in scalar code.
//
// Packed right operands (w < 8 bytes per residue, poly/packed.hpp), in groups
// of 8 residues `stride` bytes apart (poly/dot.hpp, dot_product2_grouped): the
// four residues of a vector are 4w consecutive bytes of one group; two 16-byte
// loads at 0 and 2w put
// residues 0-1 and 2-3 at the start of each 128-bit lane, and one vpshufb
// spreads each lane's 2w bytes into two zero-extended words.
//
// The instruction sets are enabled (poly/simd_target.hpp) around the kernel code
// only, after every #include (see poly/CMakeLists.txt).

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "poly/dot_kernels.hpp"
#include "poly/modulus.hpp"
#include "poly/packed.hpp"
#include "poly/simd_target.hpp"

namespace tower::poly::detail {
namespace {

constexpr std::size_t kMaxChunk = 1024;

// Per term M grows by less than 2^32 + 2^(b+1), L by less than 2^32 above a
// starting residue below 2^61; the total stays below 2^(63+b) + 2^61 < 2^127
// (the bound of Modulus::reduce128).
std::size_t chunk_terms(const Modulus& m) noexcept {
  const u128 per = (u128{1} << 32) + (u128{1} << (m.bits() + 1));
  return static_cast<std::size_t>(std::min<u128>((~u64{0}) / per, kMaxChunk));
}

// (init + sum_j x_j[i] * y_j[i]) mod q in 128-bit scalar arithmetic (the tail).
u64 dot_one(u64 init, const u64* const* x, const std::uint8_t* const* y, unsigned w, std::size_t stride, std::size_t k,
            std::size_t i, std::size_t chunk, const Modulus& m) noexcept {
  u128 s = init;
  const std::size_t at = grouped_offset(i, w, stride);
  for (std::size_t j = 0; j < k; ++j) {
    if (j > 0 && j % chunk == 0) s = m.reduce128(s);
    s += static_cast<u128>(x[j][i]) * packed_load(y[j] + at, 0, w);
  }
  return m.reduce128(s);
}

// H*2^64 + M*2^32 + L mod q for one lane.
inline u64 reduce_lane(u64 l, u64 mid, u64 h, const Modulus& m) noexcept {
  return m.reduce128((static_cast<u128>(h) << 64) + (static_cast<u128>(mid) << 32) + l);
}

}  // namespace
}  // namespace tower::poly::detail

TOWER_TARGET_BEGIN("avx2")

namespace tower::poly::detail {
namespace {

using V = __m256i;

inline V load(const u64* p) { return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)); }

// Four residues of a right operand starting at residue `off` (a multiple of 4,
// so the four lie in one group of 8: bytes grouped_offset(off) onward): 8-byte
// residues as they are; narrower ones with two 16-byte loads and a byte shuffle
// (`spread` holds, per lane, byte b of word l at l*w + b for b < w and zero
// elsewhere).
struct YLoader {
  unsigned w;
  std::size_t stride;
  V spread;
  YLoader(unsigned width, std::size_t group_stride) : w(width), stride(group_stride), spread() {
    alignas(32) std::uint8_t idx[32];
    for (int lane = 0; lane < 2; ++lane) {
      for (unsigned l = 0; l < 2; ++l) {
        for (unsigned b = 0; b < 8; ++b) idx[16 * lane + 8 * l + b] = b < w ? static_cast<std::uint8_t>(l * w + b) : 0x80;
      }
    }
    spread = _mm256_load_si256(reinterpret_cast<const __m256i*>(idx));
  }
  V operator()(const std::uint8_t* y, std::size_t off) const {
    const std::uint8_t* p = y + grouped_offset(off, w, stride);
    if (w == 8) return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
    const __m128i lo = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i hi = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 2 * w));
    return _mm256_shuffle_epi8(_mm256_inserti128_si256(_mm256_castsi128_si256(lo), hi, 1), spread);
  }
  // Coefficients [0, result) can be loaded by whole vectors without reading
  // past the operand: the vector at off reads max(4w, 2w + 16) bytes from
  // grouped_offset(off), which may run past its group of 8 residues. In the
  // plain layout (stride = 8w) the next group follows, so only the array's end
  // at n*w bounds the reads; otherwise what follows a group is another
  // operand's group or the next one of this operand, so every group but the
  // last is read by vectors and the last is left to the scalar tail.
  std::size_t vector_end(std::size_t n) const {
    std::size_t end = n - n % 4;
    if (stride != 8 * std::size_t{w}) return n == 0 ? 0 : std::min(end, (n - 1) / 8 * 8);
    const std::size_t reach = std::max<std::size_t>(4 * w, 2 * w + 16);
    while (end > 0 && (end - 4) * w + reach > n * w) end -= 4;
    return end;
  }
};
inline void store(u64* p, V v) { _mm256_storeu_si256(reinterpret_cast<__m256i*>(p), v); }

struct Acc {
  V l, m, h;
};

inline void term(Acc& a, V x, V x1, V y, V lo32) {
  const V y1 = _mm256_srli_epi64(y, 32);
  const V p00 = _mm256_mul_epu32(x, y);
  const V p01 = _mm256_mul_epu32(x, y1);
  const V p10 = _mm256_mul_epu32(x1, y);
  const V p11 = _mm256_mul_epu32(x1, y1);
  a.l = _mm256_add_epi64(a.l, _mm256_and_si256(p00, lo32));
  a.m = _mm256_add_epi64(a.m, _mm256_add_epi64(_mm256_srli_epi64(p00, 32), _mm256_add_epi64(p01, p10)));
  a.h = _mm256_add_epi64(a.h, p11);
}

// The residues of the four lanes of a.
inline V reduce(const Acc& a, const Modulus& m) {
  alignas(32) u64 l[4], mid[4], h[4], r[4];
  store(l, a.l);
  store(mid, a.m);
  store(h, a.h);
  for (int i = 0; i < 4; ++i) r[i] = reduce_lane(l[i], mid[i], h[i], m);
  return load(r);
}

inline Acc init(V residue) { return {residue, _mm256_setzero_si256(), _mm256_setzero_si256()}; }

constexpr std::size_t kBlock = 256;
constexpr std::size_t kGroup = 4;

template <bool kTwo>
void run(u64* out0, u64* out1, const u64* const* x, const std::uint8_t* const* y0, const std::uint8_t* const* y1,
         unsigned w, std::size_t stride, std::size_t k, std::size_t n, const Modulus& m, bool accumulate) noexcept {
  constexpr std::size_t kVecs = kBlock / 4;
  Acc buf0[kVecs], buf1[kVecs];
  const V lo32 = _mm256_set1_epi64x(0xffffffff);
  const std::size_t chunk = chunk_terms(m);
  const std::size_t group = std::min(kGroup, chunk);
  const YLoader ld(w, stride);
  const std::size_t nvec = ld.vector_end(n);
  for (std::size_t base = 0; base < nvec; base += kBlock) {
    const std::size_t nv = std::min(kBlock, nvec - base) / 4;
    std::size_t since = 0;
    std::size_t j0 = 0;
    do {
      const std::size_t g = std::min(group, k - j0);
      const bool first = j0 == 0, last = j0 + g == k;
      const bool fold = !first && since + g > chunk;
      for (std::size_t v = 0; v < nv; ++v) {
        const std::size_t off = base + 4 * v;
        Acc a0, a1;
        if (first) {
          a0 = init(accumulate ? load(out0 + off) : _mm256_setzero_si256());
          if constexpr (kTwo) a1 = init(accumulate ? load(out1 + off) : _mm256_setzero_si256());
        } else {
          a0 = buf0[v];
          if constexpr (kTwo) a1 = buf1[v];
          if (fold) {
            a0 = init(reduce(a0, m));
            if constexpr (kTwo) a1 = init(reduce(a1, m));
          }
        }
        for (std::size_t j = j0; j < j0 + g; ++j) {
          const V xv = load(x[j] + off);
          const V x1 = _mm256_srli_epi64(xv, 32);
          term(a0, xv, x1, ld(y0[j], off), lo32);
          if constexpr (kTwo) term(a1, xv, x1, ld(y1[j], off), lo32);
        }
        if (last) {
          store(out0 + off, reduce(a0, m));
          if constexpr (kTwo) store(out1 + off, reduce(a1, m));
        } else {
          buf0[v] = a0;
          if constexpr (kTwo) buf1[v] = a1;
        }
      }
      since = (first || fold) ? g : since + g;
      j0 += g;
    } while (j0 < k);
  }
  for (std::size_t i = nvec; i < n; ++i) {
    out0[i] = dot_one(accumulate ? out0[i] : 0, x, y0, w, stride, k, i, chunk, m);
    if constexpr (kTwo) out1[i] = dot_one(accumulate ? out1[i] : 0, x, y1, w, stride, k, i, chunk, m);
  }
}

void dot(u64* out0, u64* out1, const u64* const* x, const std::uint8_t* const* y0, const std::uint8_t* const* y1,
         unsigned w, std::size_t stride, std::size_t k, std::size_t n, const Modulus& m, bool accumulate) noexcept {
  if (out1) {
    run<true>(out0, out1, x, y0, y1, w, stride, k, n, m, accumulate);
  } else {
    run<false>(out0, nullptr, x, y0, nullptr, w, stride, k, n, m, accumulate);
  }
}

}  // namespace
}  // namespace tower::poly::detail

TOWER_TARGET_END

namespace tower::poly::detail {

constinit const DotKernels kDotAvx2{dot};

}  // namespace tower::poly::detail
