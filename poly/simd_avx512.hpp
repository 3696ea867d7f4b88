// poly/simd_avx512.hpp — internal: 64-bit product helpers shared by the AVX-512
// kernel files (eltwise_avx512.cpp, base_conv_avx512.cpp).
//
// Include it only inside a TOWER_TARGET_BEGIN("avx512f,...") region, after
// <immintrin.h>: the functions have internal linkage, so every kernel file
// compiles its own copy for its own instruction set and none can leak into
// baseline code.
#pragma once

namespace tower::poly::detail::simd_avx512 {
namespace {

// High 64 bits of the 128-bit product x*y, exact for all 64-bit x, y: the four
// 32x32 partial products, with the carries of the middle column propagated.
inline __m512i mul_hi(__m512i x, __m512i y) {
  const __m512i lo32 = _mm512_set1_epi64(0xffffffff);
  const __m512i x1 = _mm512_srli_epi64(x, 32);
  const __m512i y1 = _mm512_srli_epi64(y, 32);
  const __m512i p00 = _mm512_mul_epu32(x, y);
  const __m512i p01 = _mm512_mul_epu32(x, y1);
  const __m512i p10 = _mm512_mul_epu32(x1, y);
  const __m512i p11 = _mm512_mul_epu32(x1, y1);
  const __m512i mid = _mm512_add_epi64(p10, _mm512_srli_epi64(p00, 32));
  const __m512i mid2 = _mm512_add_epi64(p01, _mm512_and_si512(mid, lo32));
  return _mm512_add_epi64(_mm512_add_epi64(p11, _mm512_srli_epi64(mid, 32)), _mm512_srli_epi64(mid2, 32));
}

}  // namespace
}  // namespace tower::poly::detail::simd_avx512
