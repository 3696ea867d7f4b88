// poly/simd_avx2.hpp — internal: 64-bit product helpers shared by the AVX2
// kernel files (eltwise_avx2.cpp, base_conv_avx2.cpp).
//
// Include it only inside a TOWER_TARGET_BEGIN("avx2...") region, after
// <immintrin.h>: the functions have internal linkage, so every kernel file
// compiles its own copy for its own instruction set and none can leak into
// baseline code.
#pragma once

namespace tower::poly::detail::simd_avx2 {
namespace {

// High 64 bits of the 128-bit product x*y, exact for all 64-bit x, y: the four
// 32x32 partial products, with the carries of the middle column propagated.
inline __m256i mul_hi(__m256i x, __m256i y) {
  const __m256i lo32 = _mm256_set1_epi64x(0xffffffff);
  const __m256i x1 = _mm256_srli_epi64(x, 32);
  const __m256i y1 = _mm256_srli_epi64(y, 32);
  const __m256i p00 = _mm256_mul_epu32(x, y);
  const __m256i p01 = _mm256_mul_epu32(x, y1);
  const __m256i p10 = _mm256_mul_epu32(x1, y);
  const __m256i p11 = _mm256_mul_epu32(x1, y1);
  const __m256i mid = _mm256_add_epi64(p10, _mm256_srli_epi64(p00, 32));
  const __m256i mid2 = _mm256_add_epi64(p01, _mm256_and_si256(mid, lo32));
  return _mm256_add_epi64(_mm256_add_epi64(p11, _mm256_srli_epi64(mid, 32)), _mm256_srli_epi64(mid2, 32));
}

// x*y mod 2^64 = x0*y0 + ((x0*y1 + x1*y0) << 32) mod 2^64, with y1 = y >> 32 given.
inline __m256i mul_lo(__m256i x, __m256i y, __m256i y1) {
  const __m256i cross = _mm256_add_epi64(_mm256_mul_epu32(x, y1), _mm256_mul_epu32(_mm256_srli_epi64(x, 32), y));
  return _mm256_add_epi64(_mm256_mul_epu32(x, y), _mm256_slli_epi64(cross, 32));
}

}  // namespace
}  // namespace tower::poly::detail::simd_avx2
