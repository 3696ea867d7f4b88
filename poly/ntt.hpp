// poly/ntt.hpp — the negacyclic number-theoretic transform over Z_q[X]/(X^N + 1).
//
// With psi a primitive 2N-th root of unity mod q, the forward transform maps the
// coefficients a_0..a_{N-1} to the evaluations a(psi^(2*brv(i)+1)), i = 0..N-1,
// stored in bit-reversed order (brv = bit reversal of log2 N bits). In that form
// a product in Z_q[X]/(X^N+1) is an element-wise product.
//
// Algorithm: Cooley–Tukey (decimation in time) forward, Gentleman–Sande inverse,
// both in place, with the powers of psi stored in bit-reversed order so every
// stage walks its twiddles contiguously (Longa & Naehrig 2016, Algorithms 1–2).
// Butterflies are Harvey's lazy ones with Shoup-precomputed twiddles: values stay
// in [0, 4q) during the forward transform and [0, 2q) during the inverse, and are
// reduced to [0, q) once at the end (Harvey 2014, Algorithms 4 and 3).
//
// Kernels: ntt_reference.cpp (textbook, full reductions; what tests and readers
// start from, never dispatched), ntt_scalar.cpp, ntt_avx2.cpp, ntt_avx512.cpp.
// The public functions below dispatch on poly::simd_path(); every kernel gives
// bit-identical output.
#pragma once

#include <cstddef>
#include <cstdint>

#include "poly/aligned.hpp"
#include "poly/cpu.hpp"
#include "poly/modulus.hpp"

namespace tower::poly {

/// Smallest and largest transform sizes (N = 2^3 .. 2^17).
inline constexpr std::size_t kMinNttSize = 8;
inline constexpr std::size_t kMaxNttSize = std::size_t{1} << 17;

/// Precomputed twiddle factors of the length-n negacyclic NTT modulo one prime.
/// Immutable after construction; share one per (n, q).
class NttTables {
 public:
  /// @throws std::invalid_argument if n is not a power of two in [2^3, 2^17], q is
  ///         not prime, or q != 1 (mod 2n).
  NttTables(std::size_t n, const Modulus& q);

  std::size_t n() const noexcept { return n_; }
  int log_n() const noexcept { return log_n_; }
  const Modulus& modulus() const noexcept { return q_; }
  /// The primitive 2n-th root psi used (the smallest one, see primitive_root_2n).
  u64 root() const noexcept { return psi_; }

  /// fwd_root()[k] = psi^brv(k) for k in [1, n): stage with m blocks uses
  /// entries [m, 2m). Entry 0 is 1 and unused.
  const u64* fwd_root() const noexcept { return fwd_.data(); }
  const u64* fwd_root_shoup() const noexcept { return fwd_shoup_.data(); }
  /// 52-bit Shoup companions floor(w * 2^52 / q); present iff q < 2^50.
  const u64* fwd_root_shoup52() const noexcept { return fwd_shoup52_.empty() ? nullptr : fwd_shoup52_.data(); }

  /// inv_root()[k] = psi^-brv(k): the Gentleman–Sande butterfly of block k
  /// undoes the Cooley–Tukey butterfly that used fwd_root()[k].
  const u64* inv_root() const noexcept { return inv_.data(); }
  const u64* inv_root_shoup() const noexcept { return inv_shoup_.data(); }
  const u64* inv_root_shoup52() const noexcept { return inv_shoup52_.empty() ? nullptr : inv_shoup52_.data(); }

  /// n^-1 mod q and its Shoup companions (64- and 52-bit).
  u64 n_inv() const noexcept { return n_inv_; }
  u64 n_inv_shoup() const noexcept { return n_inv_shoup_; }
  u64 n_inv_shoup52() const noexcept { return n_inv_shoup52_; }
  /// psi^-brv(1) * n^-1: the last inverse stage folds the scaling by n^-1 into
  /// its twiddle (saves one pass over the data).
  u64 last_inv_root_scaled() const noexcept { return last_inv_scaled_; }
  u64 last_inv_root_scaled_shoup() const noexcept { return last_inv_scaled_shoup_; }
  u64 last_inv_root_scaled_shoup52() const noexcept { return last_inv_scaled_shoup52_; }

 private:
  std::size_t n_;
  int log_n_;
  Modulus q_;
  u64 psi_;
  AlignedVector fwd_, fwd_shoup_, fwd_shoup52_;
  AlignedVector inv_, inv_shoup_, inv_shoup52_;
  u64 n_inv_, n_inv_shoup_, n_inv_shoup52_ = 0;
  u64 last_inv_scaled_, last_inv_scaled_shoup_, last_inv_scaled_shoup52_ = 0;
};

/// In-place forward NTT of the n coefficients at `a`; output in [0, q),
/// bit-reversed evaluation order. Inputs may be lazy, anywhere in [0, 4q): the
/// result is the transform of the inputs reduced mod q. Uses simd_path().
void ntt_forward(u64* a, const NttTables& tables);

/// Out-of-place forward NTT: the transform of the n values at `in` (each in
/// [0, 4q)) is written to `out`; `in` is left unchanged. `in` and `out` must not
/// overlap unless they are equal. With AVX-512 the first pass reads `in`
/// directly (no copy). Uses simd_path().
/// @throws std::invalid_argument if `in` and `out` overlap without being equal.
void ntt_forward(u64* out, const u64* in, const NttTables& tables);

/// In-place inverse NTT: evaluations in bit-reversed order, each in [0, 2q) ->
/// coefficients in [0, q).
void ntt_inverse(u64* a, const NttTables& tables);

/// Out-of-place inverse NTT: the inverse transform of the n values at `in` (each
/// in [0, 2q)) is written to `out`; `in` is left unchanged. `in` and `out` must
/// not overlap unless they are equal. With AVX-512 the first pass reads `in`
/// directly (no copy). Uses simd_path().
/// @throws std::invalid_argument if `in` and `out` overlap without being equal.
void ntt_inverse(u64* out, const u64* in, const NttTables& tables);

/// The same, with an explicit kernel path (tests and benchmarks).
/// @throws std::runtime_error if the CPU cannot run `path`.
void ntt_forward(u64* a, const NttTables& tables, SimdPath path);
void ntt_forward(u64* out, const u64* in, const NttTables& tables, SimdPath path);
void ntt_inverse(u64* a, const NttTables& tables, SimdPath path);
void ntt_inverse(u64* out, const u64* in, const NttTables& tables, SimdPath path);

/// Out-of-place forward NTT whose output may be left unreduced, for values that
/// are only multiplied next (key switching's ModUp feeds them to the dot
/// kernels; see poly::dot_takes_lazy_left): each output is congruent mod q to
/// ntt_forward's and below 2^63. On the AVX-512 path, for 51- to 56-bit primes
/// and n >= 2^8, the last stage skips its reduction (two quotient estimates and
/// conditional subtractions per butterfly, ~5% of the transform); elsewhere the
/// output is ntt_forward's, reduced. Input in [0, 4q) as for ntt_forward.
/// @throws std::invalid_argument if `in` and `out` overlap without being equal.
void ntt_forward_lazy(u64* out, const u64* in, const NttTables& tables, SimdPath path);

/// The textbook transform (full reduction after every operation, no lazy ranges,
/// no Shoup): a readable reference the fast kernels are tested against.
void ntt_forward_reference(u64* a, const NttTables& tables);
void ntt_inverse_reference(u64* a, const NttTables& tables);

/// Bit reversal of the low `bits` bits of x.
constexpr std::size_t bit_reverse(std::size_t x, int bits) noexcept {
  std::size_t r = 0;
  for (int i = 0; i < bits; ++i) {
    r = (r << 1) | (x & 1);
    x >>= 1;
  }
  return r;
}

}  // namespace tower::poly
