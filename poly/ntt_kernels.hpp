// poly/ntt_kernels.hpp — internal: the NTT kernels behind poly/ntt.hpp.
//
// Each kernel transforms n words in place, output in [0, q); forward input in
// [0, 4q), inverse input in [0, 2q) (the lazy ranges of Harvey's butterflies),
// and gives bit-identical results to the others. The SIMD kernels are compiled
// with target attributes for their instruction set; call them only when
// simd_path_supported() says so. They require n >= 16 (the dispatcher falls back
// to the scalar kernel below that).
#pragma once

#include "poly/ntt.hpp"

namespace tower::poly::detail {

void ntt_forward_scalar(u64* a, const NttTables& t) noexcept;
void ntt_inverse_scalar(u64* a, const NttTables& t) noexcept;

void ntt_forward_avx2(u64* a, const NttTables& t) noexcept;
void ntt_inverse_avx2(u64* a, const NttTables& t) noexcept;

// With IFMA (when the CPU has it): Ifma52 for q < 2^50, the 64-bit engine
// with an IFMA quotient up to 2^60; plain AVX-512 otherwise. All
// kernels read their input from src (== a for in place, or a disjoint array) in
// their first pass, so an out-of-place transform costs no extra copy.
void ntt_forward_avx512(u64* a, const u64* src, const NttTables& t) noexcept;
void ntt_inverse_avx512(u64* a, const u64* src, const NttTables& t) noexcept;
// ntt_forward_avx512 without the last stage's reduction where the growing
// 64-bit engine runs (50 < bits(q) <= 56, n >= 2^8): outputs below 2^63.
void ntt_forward_avx512_lazy(u64* a, const u64* src, const NttTables& t) noexcept;
// The same kernels as a CPU without IFMA runs them (Skylake-X, Cascade Lake):
// for tests on CPUs that have it.
void ntt_forward_avx512_without_ifma(u64* a, const u64* src, const NttTables& t) noexcept;
void ntt_forward_avx512_lazy_without_ifma(u64* a, const u64* src, const NttTables& t) noexcept;
void ntt_inverse_avx512_without_ifma(u64* a, const u64* src, const NttTables& t) noexcept;

}  // namespace tower::poly::detail
