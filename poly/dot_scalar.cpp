// poly/dot_scalar.cpp — portable dot-product kernel, the reference the SIMD
// kernels must match bit for bit: 128-bit sums, one Barrett reduction
// (Modulus::reduce128) per chunk of terms; packed right operands read a byte at
// a time (poly/packed.hpp, packed_load), residue c of an operand at byte
// grouped_offset(c, w, stride) (poly/dot.hpp).
#include <cstddef>

#include "poly/dot_kernels.hpp"
#include "poly/packed.hpp"

namespace tower::poly::detail {
namespace {

// Terms per chunk: the sum of up to `c` products (each <= (q-1)^2) plus a
// residue below q must stay below 2^127, the bound of Modulus::reduce128.
std::size_t chunk_terms(const Modulus& m) noexcept {
  const u128 q1 = m.value() - 1;
  const u128 limit = (u128{1} << 127) - m.value();
  if (q1 == 0) return 1024;
  const u128 c = limit / (q1 * q1);
  return c > 1024 ? 1024 : static_cast<std::size_t>(c);
}

// One output: ([acc] + sum_j x_j[i] * y_j[i]) mod q, y_j packed with w bytes
// per residue in groups of 8 residues `stride` bytes apart.
inline u64 dot_one(u64 init, const u64* const* x, const std::uint8_t* const* y, unsigned w, std::size_t stride,
                   std::size_t k, std::size_t i, std::size_t chunk, const Modulus& m) noexcept {
  const std::size_t at = grouped_offset(i, w, stride);
  u128 s = init;
  std::size_t in_chunk = 0;
  for (std::size_t j = 0; j < k; ++j) {
    if (in_chunk == chunk) {
      s = m.reduce128(s);
      in_chunk = 0;
    }
    s += static_cast<u128>(x[j][i]) * packed_load(y[j] + at, 0, w);
    ++in_chunk;
  }
  return m.reduce128(s);
}

void dot(u64* out0, u64* out1, const u64* const* x, const std::uint8_t* const* y0, const std::uint8_t* const* y1,
         unsigned w, std::size_t stride, std::size_t k, std::size_t n, const Modulus& m, bool accumulate) noexcept {
  const std::size_t chunk = chunk_terms(m);
  for (std::size_t i = 0; i < n; ++i) {
    out0[i] = dot_one(accumulate ? out0[i] : 0, x, y0, w, stride, k, i, chunk, m);
    if (out1) out1[i] = dot_one(accumulate ? out1[i] : 0, x, y1, w, stride, k, i, chunk, m);
  }
}

}  // namespace

constinit const DotKernels kDotScalar{dot};

}  // namespace tower::poly::detail
