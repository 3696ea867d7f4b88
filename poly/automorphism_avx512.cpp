// poly/automorphism_avx512.cpp — the evaluation-form automorphism, 8 words per
// vector.
//
// Why a gather needs no gather instruction here: with slot i holding the
// evaluation at psi^e, e = 2*brv(i) + 1 (poly/automorphism.hpp), the eight
// slots of an aligned group i = 8b + t (t < 8) differ only in the top three
// bits of brv(i), i.e. e = e_0 + t'*(2N/8) with t' = brv_3(t). Multiplying by
// the odd Galois element k maps them to e_0*k + (t'*k mod 8)*(2N/8) mod 2N:
// the same low bits, the top three bits permuted. After the bit reversal back
// to a slot index, the group's eight sources are therefore one aligned group
// of the input, in some order. So each output vector is one aligned 64-byte
// load and one vpermq with the indices perm[i] mod 8: one cache line per eight
// words instead of eight scattered loads.
//
// The kernel does not rely on that structure: a group whose indices do not
// share their high bits (an arbitrary permutation) is copied word by word, so
// the result is out[i] = in[perm[i]] for any map with perm[i] < n.
//
// The instruction sets are enabled (poly/simd_target.hpp) around the kernel code
// only, after every #include (see poly/CMakeLists.txt).
#include <cstddef>
#include <cstdint>

#include "poly/automorphism_kernels.hpp"
#include "poly/simd_target.hpp"

TOWER_TARGET_BEGIN("avx512f,avx512vl,avx2")

namespace tower::poly::detail {
namespace {

void eval(const u64* in, u64* out, std::size_t n, const std::uint32_t* perm) noexcept {
  const __m256i low = _mm256_set1_epi32(7);
  const __m256i high = _mm256_set1_epi32(~7);
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const __m256i p = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(perm + i));
    const std::uint32_t base = perm[i] & ~std::uint32_t{7};
    const __m256i same = _mm256_cmpeq_epi32(_mm256_and_si256(p, high), _mm256_set1_epi32(static_cast<int>(base)));
    if (_mm256_movemask_epi8(same) == -1 && base + 8 <= n) {
      const __m512i idx = _mm512_cvtepu32_epi64(_mm256_and_si256(p, low));
      _mm512_storeu_si512(out + i, _mm512_permutexvar_epi64(idx, _mm512_loadu_si512(in + base)));
    } else {
      for (std::size_t t = 0; t < 8; ++t) out[i + t] = in[perm[i + t]];
    }
  }
  for (; i < n; ++i) out[i] = in[perm[i]];
}

}  // namespace
}  // namespace tower::poly::detail

TOWER_TARGET_END

namespace tower::poly::detail {

constinit const AutomorphismKernels kAutomorphismAvx512{eval};

}  // namespace tower::poly::detail
