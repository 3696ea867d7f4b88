// poly/eltwise_scalar.cpp — portable element-wise kernels (the reference the
// SIMD kernels must match bit for bit). Loops are branch-free so the compiler
// can vectorize the additive ones.
#include "poly/eltwise_kernels.hpp"

namespace tower::poly::detail {
namespace {

void add(u64* out, const u64* a, const u64* b, std::size_t n, const Modulus& m) noexcept {
  const u64 q = m.value();
  for (std::size_t i = 0; i < n; ++i) {
    const u64 s = a[i] + b[i];
    out[i] = s >= q ? s - q : s;
  }
}

void sub(u64* out, const u64* a, const u64* b, std::size_t n, const Modulus& m) noexcept {
  const u64 q = m.value();
  for (std::size_t i = 0; i < n; ++i) {
    const u64 d = a[i] - b[i];
    out[i] = a[i] >= b[i] ? d : d + q;
  }
}

void negate(u64* out, const u64* a, std::size_t n, const Modulus& m) noexcept {
  const u64 q = m.value();
  for (std::size_t i = 0; i < n; ++i) out[i] = a[i] == 0 ? 0 : q - a[i];
}

void mul(u64* out, const u64* a, const u64* b, std::size_t n, const Modulus& m) noexcept {
  for (std::size_t i = 0; i < n; ++i) out[i] = m.mul(a[i], b[i]);
}

void mul_scalar(u64* out, const u64* a, u64 c, std::size_t n, const Modulus& m) noexcept {
  const u64 q = m.value();
  const u64 cp = shoup_precompute(c, q);
  for (std::size_t i = 0; i < n; ++i) out[i] = mul_shoup(a[i], c, cp, q);
}

void mul_add(u64* acc, const u64* a, const u64* b, std::size_t n, const Modulus& m) noexcept {
  for (std::size_t i = 0; i < n; ++i) acc[i] = m.add(acc[i], m.mul(a[i], b[i]));
}

void sub_mul_scalar_add(u64* out, const u64* a, const u64* b, u64 c, const u64* d, std::size_t n,
                        const Modulus& m) noexcept {
  const u64 q = m.value();
  const u64 cp = shoup_precompute(c, q);
  for (std::size_t i = 0; i < n; ++i) {
    const u64 r = mul_shoup(m.sub(a[i], b[i]), c, cp, q);
    out[i] = d ? m.add(r, d[i]) : r;
  }
}

}  // namespace

const EltwiseKernels kEltwiseScalar{add, sub, negate, mul, mul_scalar, mul_add, sub_mul_scalar_add};

}  // namespace tower::poly::detail
