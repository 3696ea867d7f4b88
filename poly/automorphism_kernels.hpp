// poly/automorphism_kernels.hpp — internal: the kernels behind
// poly::automorphism_eval (out[i] = in[perm[i]]), one per instruction set.
//
// Every kernel accepts any index map with perm[i] < n and any n, and writes
// exactly what the scalar loop writes. The SIMD kernels are compiled with
// target attributes for their instruction set; call them only when
// simd_path_supported() says so.
#pragma once

#include "poly/automorphism.hpp"

namespace tower::poly::detail {

extern const AutomorphismKernels kAutomorphismScalar;
extern const AutomorphismKernels kAutomorphismAvx2;
extern const AutomorphismKernels kAutomorphismAvx512;

}  // namespace tower::poly::detail
