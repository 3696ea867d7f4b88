// poly/automorphism.hpp — the Galois automorphisms X -> X^k of Z_q[X]/(X^N + 1).
//
// For odd k, sigma_k(a)(X) = a(X^k) permutes the ring; CKKS slot rotations and
// complex conjugation are such maps (k = 5^r and k = 2N - 1).
//  * Coefficient form: coefficient j moves to j*k mod 2N, negated when that lands
//    in [N, 2N) because X^N = -1.
//  * Evaluation form: slot i holds a(psi^e_i) with e_i = 2*brv(i) + 1, and
//    sigma_k(a)(psi^e_i) = a(psi^(e_i * k)), so the output slot i reads the input
//    slot whose exponent is e_i * k mod 2N: a pure permutation, no arithmetic
//    (Halevi, Shoup 2018, section 2; SEAL's apply_galois_ntt).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "poly/cpu.hpp"
#include "poly/modulus.hpp"
#include "poly/rns_poly.hpp"

namespace tower::poly {

/// The slot permutation of sigma_k in evaluation form: out[i] = in[perm[i]].
/// @throws std::invalid_argument if n is not a power of two >= 8 or k is even.
std::vector<std::uint32_t> automorphism_eval_permutation(std::size_t n, std::uint64_t k);

/// sigma_k on one limb in coefficient form; out must not alias in.
void automorphism_coeff(const u64* in, u64* out, std::size_t n, std::uint64_t k, const Modulus& q);

/// sigma_k on one limb in evaluation form with a precomputed permutation:
/// out[i] = in[perm[i]]; out must not alias in, and every perm[i] must be < n
/// (unchecked). Runs the kernel of poly::simd_path() (automorphism_kernels).
void automorphism_eval(const u64* in, u64* out, std::size_t n, const std::uint32_t* perm);

/// The kernels of one path, for tests and benchmarks. Each computes
/// out[i] = in[perm[i]] for any n and any map with perm[i] < n; the SIMD ones
/// move an aligned group of 8 (AVX-512) or 4 (AVX2) words with one load and one
/// lane permutation when the group's sources are one aligned group, as the
/// automorphism permutations' are (see poly/automorphism_avx512.cpp).
struct AutomorphismKernels {
  void (*eval)(const u64* in, u64* out, std::size_t n, const std::uint32_t* perm) noexcept;
};

/// The kernels of `path`. @throws std::runtime_error if the CPU cannot run it.
const AutomorphismKernels& automorphism_kernels(SimdPath path);

/// sigma_k on every limb of x, in x's form.
/// @throws std::invalid_argument if k is even.
RnsPoly automorphism(const RnsPoly& x, std::uint64_t k);

/// The same with the evaluation-form permutation of sigma_k precomputed
/// (automorphism_eval_permutation(n, k)), used when x is in evaluation form.
/// @throws std::invalid_argument if k is even or perm has the wrong size.
RnsPoly automorphism(const RnsPoly& x, std::uint64_t k, const std::vector<std::uint32_t>& perm);

}  // namespace tower::poly
