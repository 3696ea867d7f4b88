// PLACEHOLDER — replaced by the real kernels; uses the scalar table.
#include "poly/eltwise_kernels.hpp"
namespace tower::poly::detail {
const EltwiseKernels kEltwiseAvx512 = kEltwiseScalar;
}
