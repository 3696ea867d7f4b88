// poly/dot.cpp — dispatch of the dot-product kernels.
#include "poly/dot.hpp"

#include "poly/dot_kernels.hpp"

namespace tower::poly {

const DotKernels& dot_kernels(SimdPath path) {
  if (!simd_path_supported(path)) set_simd_path(path);  // throws the CPU's refusal
  switch (path) {
    case SimdPath::avx512:
      return detail::kDotAvx512;
    case SimdPath::avx2:
      return detail::kDotAvx2;
    case SimdPath::scalar:
      break;
  }
  return detail::kDotScalar;
}

void dot_product(u64* out, const u64* const* x, const u64* const* y, std::size_t k, std::size_t n, const Modulus& q,
                 bool accumulate) {
  dot_kernels(simd_path()).dot(out, nullptr, x, y, nullptr, k, n, q, accumulate);
}

void dot_product2(u64* out0, u64* out1, const u64* const* x, const u64* const* y0, const u64* const* y1,
                  std::size_t k, std::size_t n, const Modulus& q, bool accumulate) {
  dot_kernels(simd_path()).dot(out0, out1, x, y0, y1, k, n, q, accumulate);
}

}  // namespace tower::poly
