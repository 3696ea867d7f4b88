// poly/dot_kernels.hpp — internal: the kernel tables behind poly/dot.hpp.
#pragma once

#include "poly/dot.hpp"

namespace tower::poly::detail {

extern const DotKernels kDotScalar;
extern const DotKernels kDotAvx2;
// IFMA52 inside when q < 2^50 and the CPU has IFMA (and VBMI, which every CPU
// with IFMA has); packed operands unpacked with vpermb (AVX512-VBMI).
extern const DotKernels kDotAvx512;
// The same without VBMI (Skylake-X, Cascade Lake): packed operands unpacked
// with qword permutes and shifts, no IFMA. dot_kernels(avx512) returns it on
// such CPUs; tests run it everywhere AVX-512 is.
extern const DotKernels kDotAvx512NoVbmi;

// Whether kDotAvx512 uses its Split engine for q (an IFMA and VBMI CPU and
// 2^52 < q < 2^56), whose left operands may be any value below 2^63.
bool split_applies(const Modulus& q) noexcept;

}  // namespace tower::poly::detail
