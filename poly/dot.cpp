// poly/dot.cpp — dispatch of the dot-product kernels.
#include "poly/dot.hpp"

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "poly/dot_kernels.hpp"

namespace tower::poly {
namespace {

// The byte view of word arrays: the kernels read operands of any width through
// byte pointers, and 8-byte residues are the plain layout.
std::vector<const std::uint8_t*> as_bytes(const u64* const* y, std::size_t k) {
  std::vector<const std::uint8_t*> b(k);
  for (std::size_t j = 0; j < k; ++j) b[j] = reinterpret_cast<const std::uint8_t*>(y[j]);
  return b;
}

}  // namespace

bool dot_takes_lazy_left(const Modulus& q) noexcept {
  return simd_path() == SimdPath::avx512 && detail::split_applies(q);
}

const DotKernels& dot_kernels(SimdPath path) {
  if (!simd_path_supported(path)) set_simd_path(path);  // throws the CPU's refusal
  switch (path) {
    case SimdPath::avx512:
      return cpu_features().avx512vbmi ? detail::kDotAvx512 : detail::kDotAvx512NoVbmi;
    case SimdPath::avx2:
      return detail::kDotAvx2;
    case SimdPath::scalar:
      break;
  }
  return detail::kDotScalar;
}

void dot_product(u64* out, const u64* const* x, const u64* const* y, std::size_t k, std::size_t n, const Modulus& q,
                 bool accumulate) {
  const auto yb = as_bytes(y, k);
  dot_kernels(simd_path()).dot(out, nullptr, x, yb.data(), nullptr, 8, 64, k, n, q, accumulate);
}

void dot_product2(u64* out0, u64* out1, const u64* const* x, const u64* const* y0, const u64* const* y1,
                  std::size_t k, std::size_t n, const Modulus& q, bool accumulate) {
  const auto b0 = as_bytes(y0, k), b1 = as_bytes(y1, k);
  dot_kernels(simd_path()).dot(out0, out1, x, b0.data(), b1.data(), 8, 64, k, n, q, accumulate);
}

void dot_product2_packed(u64* out0, u64* out1, const u64* const* x, const std::uint8_t* const* y0,
                         const std::uint8_t* const* y1, unsigned width, std::size_t k, std::size_t n, const Modulus& q,
                         bool accumulate) {
  if (width < 1 || width > 8) throw std::invalid_argument("poly::dot_product2_packed: width must be in 1..8");
  dot_kernels(simd_path()).dot(out0, out1, x, y0, y1, width, 8 * width, k, n, q, accumulate);
}

void dot_product2_grouped(u64* out0, u64* out1, const u64* const* x, const std::uint8_t* const* y0,
                          const std::uint8_t* const* y1, unsigned width, std::size_t stride, std::size_t k,
                          std::size_t n, const Modulus& q, bool accumulate) {
  if (width < 1 || width > 8) throw std::invalid_argument("poly::dot_product2_grouped: width must be in 1..8");
  if (stride < 8 * width) {
    throw std::invalid_argument("poly::dot_product2_grouped: stride " + std::to_string(stride) +
                                " is below a group's 8 * width = " + std::to_string(8 * width) + " bytes");
  }
  dot_kernels(simd_path()).dot(out0, out1, x, y0, y1, width, stride, k, n, q, accumulate);
}

void dot_product_packed(u64* out, const u64* const* x, const std::uint8_t* const* y, unsigned width, std::size_t k,
                        std::size_t n, const Modulus& q, bool accumulate) {
  if (width < 1 || width > 8) throw std::invalid_argument("poly::dot_product_packed: width must be in 1..8");
  dot_kernels(simd_path()).dot(out, nullptr, x, y, nullptr, width, 8 * width, k, n, q, accumulate);
}

}  // namespace tower::poly
