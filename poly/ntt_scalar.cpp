// poly/ntt_scalar.cpp — portable NTT kernels with Harvey's lazy butterflies.
//
// Forward (Harvey 2014, Algorithm 4): inputs X, Y in [0, 4q),
//     X <- X mod 2q                         (one conditional subtraction)
//     T <- W*Y mod q, lazily in [0, 2q)     (Shoup: two multiplications)
//     (X, Y) <- (X + T, X - T + 2q)         both in [0, 4q)
// Inverse (Harvey 2014, Algorithm 3, Gentleman–Sande form): inputs in [0, 2q),
//     (X, Y) <- ((X + Y) mod 2q, W*(X - Y + 2q) lazily in [0, 2q))
// The last inverse stage folds in the factor n^-1. q < 2^61 keeps 4q in a word.
#include "poly/ntt_kernels.hpp"

namespace tower::poly::detail {

void ntt_forward_scalar(u64* a, const NttTables& tables) noexcept {
  const std::size_t n = tables.n();
  const u64 q = tables.modulus().value();
  const u64 two_q = 2 * q;
  const u64* w = tables.fwd_root();
  const u64* wp = tables.fwd_root_shoup();
  std::size_t t = n;
  for (std::size_t m = 1; m < n; m <<= 1) {
    t >>= 1;
    for (std::size_t i = 0; i < m; ++i) {
      const u64 wi = w[m + i];
      const u64 wpi = wp[m + i];
      u64* x = a + 2 * i * t;
      u64* y = x + t;
      for (std::size_t j = 0; j < t; ++j) {
        const u64 xj = reduce_once(x[j], two_q);
        const u64 tj = mul_shoup_lazy(y[j], wi, wpi, q);
        x[j] = xj + tj;
        y[j] = xj - tj + two_q;
      }
    }
  }
  for (std::size_t j = 0; j < n; ++j) a[j] = reduce_once(reduce_once(a[j], two_q), q);
}

void ntt_inverse_scalar(u64* a, const NttTables& tables) noexcept {
  const std::size_t n = tables.n();
  const u64 q = tables.modulus().value();
  const u64 two_q = 2 * q;
  const u64* w = tables.inv_root();
  const u64* wp = tables.inv_root_shoup();
  std::size_t t = 1;
  for (std::size_t m = n >> 1; m > 1; m >>= 1) {
    for (std::size_t i = 0; i < m; ++i) {
      const u64 wi = w[m + i];
      const u64 wpi = wp[m + i];
      u64* x = a + 2 * i * t;
      u64* y = x + t;
      for (std::size_t j = 0; j < t; ++j) {
        const u64 xj = x[j];
        const u64 yj = y[j];
        x[j] = reduce_once(xj + yj, two_q);
        y[j] = mul_shoup_lazy(xj - yj + two_q, wi, wpi, q);
      }
    }
    t <<= 1;
  }
  // Last stage (one block, t = n/2) with n^-1 folded in.
  const u64 ni = tables.n_inv(), nip = tables.n_inv_shoup();
  const u64 ws = tables.last_inv_root_scaled(), wsp = tables.last_inv_root_scaled_shoup();
  u64* x = a;
  u64* y = a + n / 2;
  for (std::size_t j = 0; j < n / 2; ++j) {
    const u64 xj = x[j];
    const u64 yj = y[j];
    x[j] = mul_shoup(xj + yj, ni, nip, q);
    y[j] = mul_shoup(xj - yj + two_q, ws, wsp, q);
  }
}

}  // namespace tower::poly::detail
