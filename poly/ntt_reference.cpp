// poly/ntt_reference.cpp — the negacyclic NTT written for clarity, not speed.
//
// Read this first. Forward, Cooley–Tukey, stage by stage: with t = half the
// current block length and m the number of blocks, block i pairs a[j] with a[j+t]
// and twiddle w = psi^brv(m+i):
//     (a[j], a[j+t]) <- (a[j] + w*a[j+t], a[j] - w*a[j+t])       (mod q)
// The inverse undoes each stage in reverse order with w^-1 (Gentleman–Sande),
//     (a[j], a[j+t]) <- (a[j] + a[j+t], (a[j] - a[j+t]) * w^-1)
// which multiplies by 2 per stage, so it ends with a multiplication by n^-1.
// Every value is fully reduced after every operation.
#include "poly/ntt.hpp"

namespace tower::poly {

void ntt_forward_reference(u64* a, const NttTables& tables) {
  const Modulus& q = tables.modulus();
  const std::size_t n = tables.n();
  const u64* w = tables.fwd_root();
  std::size_t t = n;
  for (std::size_t m = 1; m < n; m <<= 1) {
    t >>= 1;
    for (std::size_t i = 0; i < m; ++i) {
      const std::size_t j1 = 2 * i * t;
      for (std::size_t j = j1; j < j1 + t; ++j) {
        const u64 u = a[j];
        const u64 v = q.mul(a[j + t], w[m + i]);
        a[j] = q.add(u, v);
        a[j + t] = q.sub(u, v);
      }
    }
  }
}

void ntt_inverse_reference(u64* a, const NttTables& tables) {
  const Modulus& q = tables.modulus();
  const std::size_t n = tables.n();
  const u64* w = tables.inv_root();
  std::size_t t = 1;
  for (std::size_t m = n >> 1; m >= 1; m >>= 1) {
    for (std::size_t i = 0; i < m; ++i) {
      const std::size_t j1 = 2 * i * t;
      for (std::size_t j = j1; j < j1 + t; ++j) {
        const u64 u = a[j];
        const u64 v = a[j + t];
        a[j] = q.add(u, v);
        a[j + t] = q.mul(q.sub(u, v), w[m + i]);
      }
    }
    t <<= 1;
  }
  for (std::size_t j = 0; j < n; ++j) a[j] = q.mul(a[j], tables.n_inv());
}

}  // namespace tower::poly
