// PLACEHOLDER — replaced by the real kernel; forwards to scalar.
#include "poly/ntt_kernels.hpp"
namespace tower::poly::detail {
void ntt_forward_avx512(u64* a, const NttTables& t) noexcept { ntt_forward_scalar(a, t); }
void ntt_inverse_avx512(u64* a, const NttTables& t) noexcept { ntt_inverse_scalar(a, t); }
}
