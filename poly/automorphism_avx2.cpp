// poly/automorphism_avx2.cpp — the evaluation-form automorphism, 4 words per
// vector: the AVX-512 kernel's method (see poly/automorphism_avx512.cpp) on
// aligned groups of four, whose sources are one aligned group of four. AVX2
// permutes 32-bit lanes only, so word index j becomes the lane pair
// (2j, 2j + 1). Groups without that structure are copied word by word.
//
// The instruction sets are enabled (poly/simd_target.hpp) around the kernel code
// only, after every #include (see poly/CMakeLists.txt).
#include <cstddef>
#include <cstdint>

#include "poly/automorphism_kernels.hpp"
#include "poly/simd_target.hpp"

TOWER_TARGET_BEGIN("avx2")

namespace tower::poly::detail {
namespace {

void eval(const u64* in, u64* out, std::size_t n, const std::uint32_t* perm) noexcept {
  const __m128i low = _mm_set1_epi32(3);
  const __m128i high = _mm_set1_epi32(~3);
  const __m256i odd = _mm256_set_epi32(1, 0, 1, 0, 1, 0, 1, 0);
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    const __m128i p = _mm_loadu_si128(reinterpret_cast<const __m128i*>(perm + i));
    const std::uint32_t base = perm[i] & ~std::uint32_t{3};
    const __m128i same = _mm_cmpeq_epi32(_mm_and_si128(p, high), _mm_set1_epi32(static_cast<int>(base)));
    if (_mm_movemask_epi8(same) == 0xffff && base + 4 <= n) {
      const __m256i j = _mm256_cvtepu32_epi64(_mm_slli_epi32(_mm_and_si128(p, low), 1));  // 2j in each word
      const __m256i idx = _mm256_add_epi32(_mm256_or_si256(j, _mm256_slli_epi64(j, 32)), odd);
      const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(in + base));
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + i), _mm256_permutevar8x32_epi32(v, idx));
    } else {
      for (std::size_t t = 0; t < 4; ++t) out[i + t] = in[perm[i + t]];
    }
  }
  for (; i < n; ++i) out[i] = in[perm[i]];
}

}  // namespace
}  // namespace tower::poly::detail

TOWER_TARGET_END

namespace tower::poly::detail {

constinit const AutomorphismKernels kAutomorphismAvx2{eval};

}  // namespace tower::poly::detail
