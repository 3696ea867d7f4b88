// poly/eltwise.hpp — element-wise modular arithmetic on arrays of residues.
//
// The building blocks of RNS polynomial arithmetic, one limb (one prime) at a
// time. Inputs are in [0, q) unless a function says otherwise; outputs are in
// [0, q). `out` may alias any input. Each function dispatches on
// poly::simd_path() to eltwise_scalar.cpp, eltwise_avx2.cpp or
// eltwise_avx512.cpp (IFMA52 for multiplications when q < 2^50); all paths give
// bit-identical results. Like Intel HEXL, ranges are not checked here: the
// callers (RnsPoly, ckks/) guarantee them.
#pragma once

#include <cstddef>

#include "poly/cpu.hpp"
#include "poly/modulus.hpp"

namespace tower::poly {

/// out[i] = a[i] + b[i] mod q.
void eltwise_add(u64* out, const u64* a, const u64* b, std::size_t n, const Modulus& q);
/// out[i] = a[i] - b[i] mod q.
void eltwise_sub(u64* out, const u64* a, const u64* b, std::size_t n, const Modulus& q);
/// out[i] = -a[i] mod q.
void eltwise_negate(u64* out, const u64* a, std::size_t n, const Modulus& q);
/// out[i] = a[i] * b[i] mod q (Barrett).
void eltwise_mul(u64* out, const u64* a, const u64* b, std::size_t n, const Modulus& q);
/// out[i] = a[i] * c mod q for a constant c in [0, q) (Shoup).
void eltwise_mul_scalar(u64* out, const u64* a, u64 c, std::size_t n, const Modulus& q);
/// acc[i] = acc[i] + a[i] * b[i] mod q (multiply-accumulate, the inner product of
/// key switching).
void eltwise_mul_add(u64* acc, const u64* a, const u64* b, std::size_t n, const Modulus& q);

/// out[i] = (a[i] - b[i]) * c + d[i] mod q for a constant c in [0, q); with d
/// null nothing is added. One pass for the last step of ModDown,
/// (x_Q - NTT(conv)) * P^-1 + addend, instead of three (sub, mul_scalar, add).
void eltwise_sub_mul_scalar_add(u64* out, const u64* a, const u64* b, u64 c, const u64* d, std::size_t n,
                                const Modulus& q);

/// Kernels of one path, for tests and benchmarks.
struct EltwiseKernels {
  void (*add)(u64*, const u64*, const u64*, std::size_t, const Modulus&) noexcept;
  void (*sub)(u64*, const u64*, const u64*, std::size_t, const Modulus&) noexcept;
  void (*negate)(u64*, const u64*, std::size_t, const Modulus&) noexcept;
  void (*mul)(u64*, const u64*, const u64*, std::size_t, const Modulus&) noexcept;
  void (*mul_scalar)(u64*, const u64*, u64, std::size_t, const Modulus&) noexcept;
  void (*mul_add)(u64*, const u64*, const u64*, std::size_t, const Modulus&) noexcept;
  void (*sub_mul_scalar_add)(u64*, const u64*, const u64*, u64, const u64*, std::size_t, const Modulus&) noexcept;
};

/// The kernels of `path`. @throws std::runtime_error if the CPU cannot run it.
const EltwiseKernels& eltwise_kernels(SimdPath path);

}  // namespace tower::poly
