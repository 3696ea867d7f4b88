// poly/eltwise.cpp — dispatch of the element-wise kernels.
#include "poly/eltwise.hpp"

#include "poly/eltwise_kernels.hpp"

namespace tower::poly {

const EltwiseKernels& eltwise_kernels(SimdPath path) {
  if (!simd_path_supported(path)) set_simd_path(path);  // throws the CPU's refusal
  switch (path) {
    case SimdPath::avx512:
      return detail::kEltwiseAvx512;
    case SimdPath::avx2:
      return detail::kEltwiseAvx2;
    case SimdPath::scalar:
      break;
  }
  return detail::kEltwiseScalar;
}

void eltwise_add(u64* out, const u64* a, const u64* b, std::size_t n, const Modulus& q) {
  eltwise_kernels(simd_path()).add(out, a, b, n, q);
}
void eltwise_sub(u64* out, const u64* a, const u64* b, std::size_t n, const Modulus& q) {
  eltwise_kernels(simd_path()).sub(out, a, b, n, q);
}
void eltwise_negate(u64* out, const u64* a, std::size_t n, const Modulus& q) {
  eltwise_kernels(simd_path()).negate(out, a, n, q);
}
void eltwise_mul(u64* out, const u64* a, const u64* b, std::size_t n, const Modulus& q) {
  eltwise_kernels(simd_path()).mul(out, a, b, n, q);
}
void eltwise_mul_scalar(u64* out, const u64* a, u64 c, std::size_t n, const Modulus& q) {
  eltwise_kernels(simd_path()).mul_scalar(out, a, c, n, q);
}
void eltwise_mul_add(u64* acc, const u64* a, const u64* b, std::size_t n, const Modulus& q) {
  eltwise_kernels(simd_path()).mul_add(acc, a, b, n, q);
}
void eltwise_sub_mul_scalar_add(u64* out, const u64* a, const u64* b, u64 c, const u64* d, std::size_t n,
                                const Modulus& q) {
  eltwise_kernels(simd_path()).sub_mul_scalar_add(out, a, b, c, d, n, q);
}

}  // namespace tower::poly
