// poly/automorphism_scalar.cpp — the evaluation-form automorphism as a plain
// gather: the reference the SIMD kernels must match word for word.
#include "poly/automorphism_kernels.hpp"

namespace tower::poly::detail {
namespace {

void eval(const u64* in, u64* out, std::size_t n, const std::uint32_t* perm) noexcept {
  for (std::size_t i = 0; i < n; ++i) out[i] = in[perm[i]];
}

}  // namespace

constinit const AutomorphismKernels kAutomorphismScalar{eval};

}  // namespace tower::poly::detail
