// poly/ntt.cpp — twiddle tables and the kernel dispatcher.
#include "poly/ntt.hpp"

#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>

#include "poly/ntt_kernels.hpp"
#include "poly/primes.hpp"

namespace tower::poly {

NttTables::NttTables(std::size_t n, const Modulus& q) : n_(n), log_n_(0), q_(q), psi_(0) {
  if (!is_power_of_two(n) || n < kMinNttSize || n > kMaxNttSize) {
    throw std::invalid_argument("poly::NttTables: n must be a power of two in [2^3, 2^17], got " + std::to_string(n));
  }
  log_n_ = log2_exact(n);
  psi_ = primitive_root_2n(q.value(), n);  // throws for a non-prime or non-NTT-friendly q
  const u64 qv = q.value();
  const u64 psi_inv = q.inv(psi_);
  const bool small = q.bits() <= 50;  // q < 2^50: 4q fits the 52-bit IFMA multiplier

  fwd_.resize(n);
  inv_.resize(n);
  // Powers psi^k, k = 0..n-1, then scatter to bit-reversed positions.
  u64 p = 1, pi = 1;
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t r = bit_reverse(k, log_n_);
    fwd_[r] = p;
    inv_[r] = pi;
    p = q.mul(p, psi_);
    pi = q.mul(pi, psi_inv);
  }
  fwd_shoup_.resize(n);
  inv_shoup_.resize(n);
  if (small) {
    fwd_shoup52_.resize(n);
    inv_shoup52_.resize(n);
  }
  for (std::size_t k = 0; k < n; ++k) {
    fwd_shoup_[k] = shoup_precompute(fwd_[k], qv);
    inv_shoup_[k] = shoup_precompute(inv_[k], qv);
    if (small) {
      fwd_shoup52_[k] = shoup_precompute52(fwd_[k], qv);
      inv_shoup52_[k] = shoup_precompute52(inv_[k], qv);
    }
  }
  n_inv_ = q.inv(n % qv);
  n_inv_shoup_ = shoup_precompute(n_inv_, qv);
  last_inv_scaled_ = q.mul(inv_[1], n_inv_);
  last_inv_scaled_shoup_ = shoup_precompute(last_inv_scaled_, qv);
  if (small) {
    n_inv_shoup52_ = shoup_precompute52(n_inv_, qv);
    last_inv_scaled_shoup52_ = shoup_precompute52(last_inv_scaled_, qv);
  }
}

namespace {

// Partly overlapping arrays would be read after being written: refuse them
// rather than return a wrong transform. (Addresses compared as integers:
// relational operators on pointers into different arrays are unspecified.)
void check_out_of_place(const u64* out, const u64* in, std::size_t n, const char* who) {
  const auto o = reinterpret_cast<std::uintptr_t>(out), i = reinterpret_cast<std::uintptr_t>(in);
  const std::uintptr_t bytes = n * sizeof(u64);
  if (o != i && o < i + bytes && i < o + bytes) {
    throw std::invalid_argument(std::string("poly::") + who + ": input and output overlap without being the same array");
  }
}

}  // namespace

void ntt_forward(u64* out, const u64* in, const NttTables& tables, SimdPath path) {
  if (!simd_path_supported(path)) set_simd_path(path);  // throws the CPU's refusal
  check_out_of_place(out, in, tables.n(), "ntt_forward");
  if (tables.n() >= 16 && path == SimdPath::avx512) {
    detail::ntt_forward_avx512(out, in, tables);
    return;
  }
  // The other kernels work in place.
  if (out != in) std::memcpy(out, in, tables.n() * sizeof(u64));
  ntt_forward(out, tables, path);
}

void ntt_forward_lazy(u64* out, const u64* in, const NttTables& tables, SimdPath path) {
  if (!simd_path_supported(path)) set_simd_path(path);  // throws the CPU's refusal
  check_out_of_place(out, in, tables.n(), "ntt_forward_lazy");
  if (tables.n() >= 16 && path == SimdPath::avx512) {
    detail::ntt_forward_avx512_lazy(out, in, tables);
    return;
  }
  ntt_forward(out, in, tables, path);
}

void ntt_forward(u64* a, const NttTables& tables, SimdPath path) {
  if (!simd_path_supported(path)) set_simd_path(path);  // throws the CPU's refusal
  if (tables.n() >= 16) {
    switch (path) {
      case SimdPath::avx512:
        detail::ntt_forward_avx512(a, a, tables);
        return;
      case SimdPath::avx2:
        detail::ntt_forward_avx2(a, tables);
        return;
      case SimdPath::scalar:
        break;
    }
  }
  detail::ntt_forward_scalar(a, tables);
}

void ntt_inverse(u64* out, const u64* in, const NttTables& tables, SimdPath path) {
  if (!simd_path_supported(path)) set_simd_path(path);  // throws the CPU's refusal
  check_out_of_place(out, in, tables.n(), "ntt_inverse");
  if (tables.n() >= 16 && path == SimdPath::avx512) {
    detail::ntt_inverse_avx512(out, in, tables);
    return;
  }
  // The other kernels work in place.
  if (out != in) std::memcpy(out, in, tables.n() * sizeof(u64));
  ntt_inverse(out, tables, path);
}

void ntt_inverse(u64* a, const NttTables& tables, SimdPath path) {
  if (!simd_path_supported(path)) set_simd_path(path);
  if (tables.n() >= 16) {
    switch (path) {
      case SimdPath::avx512:
        detail::ntt_inverse_avx512(a, a, tables);
        return;
      case SimdPath::avx2:
        detail::ntt_inverse_avx2(a, tables);
        return;
      case SimdPath::scalar:
        break;
    }
  }
  detail::ntt_inverse_scalar(a, tables);
}

void ntt_forward(u64* a, const NttTables& tables) { ntt_forward(a, tables, simd_path()); }
void ntt_forward(u64* out, const u64* in, const NttTables& tables) { ntt_forward(out, in, tables, simd_path()); }
void ntt_inverse(u64* a, const NttTables& tables) { ntt_inverse(a, tables, simd_path()); }
void ntt_inverse(u64* out, const u64* in, const NttTables& tables) { ntt_inverse(out, in, tables, simd_path()); }

}  // namespace tower::poly
