// poly/eltwise_kernels.hpp — internal: the kernel tables behind poly/eltwise.hpp.
#pragma once

#include "poly/eltwise.hpp"

namespace tower::poly::detail {

extern const EltwiseKernels kEltwiseScalar;
extern const EltwiseKernels kEltwiseAvx2;
extern const EltwiseKernels kEltwiseAvx512;  // uses IFMA52 inside when q < 2^50 and the CPU has it

}  // namespace tower::poly::detail
