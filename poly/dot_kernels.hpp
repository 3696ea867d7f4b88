// poly/dot_kernels.hpp — internal: the kernel tables behind poly/dot.hpp.
#pragma once

#include "poly/dot.hpp"

namespace tower::poly::detail {

extern const DotKernels kDotScalar;
extern const DotKernels kDotAvx2;
extern const DotKernels kDotAvx512;  // IFMA52 inside when q < 2^50 and the CPU has it

}  // namespace tower::poly::detail
