// poly/dot.hpp — lazy dot products of residue arrays: the inner product of key
// switching.
//
// Key switching multiplies the dnum digits e_j of a ciphertext component by the
// two halves (b_j, a_j) of a key and sums over j, tower by tower (Han, Ki 2020,
// section 3, "inner product"). Done one eltwise_mul_add per digit, every product
// is reduced mod q and the accumulator makes a round trip through memory per
// digit. These kernels instead sum the full double-word products of all digits of
// a coefficient and reduce once per output ("lazy reduction", as in the
// Montgomery/Barrett-free accumulation of Harvey 2014 section 4 and the dot
// products of SEAL/HEXL key switching), while reading every input once:
//     out[i] = ([out[i]] + sum_{j<k} x_j[i] * y_j[i]) mod q.
// dot2 computes two such sums sharing the left operands x_j, the shape of the
// key-switching inner product (one decomposition, two key halves).
//
// Inputs in [0, q) (left operands below 2^63 where dot_takes_lazy_left says
// so); outputs in [0, q). k may be anything (kernels split long
// sums into chunks whose double-word sum cannot overflow). `out` must not alias
// an input. Each function dispatches on poly::simd_path() to dot_scalar.cpp (the
// reference), dot_avx2.cpp or dot_avx512.cpp (IFMA52 when q < 2^50); results are
// canonical residues, hence bit-identical across paths.
#pragma once

#include <cstddef>
#include <cstdint>

#include "poly/cpu.hpp"
#include "poly/modulus.hpp"

namespace tower::poly {

/// out[i] = (accumulate ? out[i] : 0) + sum_{j<k} x[j][i] * y[j][i] mod q, i < n.
void dot_product(u64* out, const u64* const* x, const u64* const* y, std::size_t k, std::size_t n, const Modulus& q,
                 bool accumulate = false);

/// Two dot products with the same left operands:
///   out0[i] = ([out0[i]] +) sum_j x[j][i] * y0[j][i] mod q,
///   out1[i] = ([out1[i]] +) sum_j x[j][i] * y1[j][i] mod q.
void dot_product2(u64* out0, u64* out1, const u64* const* x, const u64* const* y0, const u64* const* y1,
                  std::size_t k, std::size_t n, const Modulus& q, bool accumulate = false);

/// dot_product2 with packed right operands (poly/packed.hpp): y0[j] and y1[j]
/// hold n residues of `width` bytes each, little-endian (width 8 is the plain
/// layout). The key-switching inner product, reading a packed key: fewer bytes
/// from memory for the same sums. No byte past n * width is read.
/// @throws std::invalid_argument if width is not in 1..8.
void dot_product2_packed(u64* out0, u64* out1, const u64* const* x, const std::uint8_t* const* y0,
                         const std::uint8_t* const* y1, unsigned width, std::size_t k, std::size_t n, const Modulus& q,
                         bool accumulate = false);

/// dot_product with packed right operands: y[j] holds n residues of `width`
/// bytes each (poly/packed.hpp). @throws std::invalid_argument if width is not in 1..8.
void dot_product_packed(u64* out, const u64* const* x, const std::uint8_t* const* y, unsigned width, std::size_t k,
                        std::size_t n, const Modulus& q, bool accumulate = false);
/// dot_product2_packed with right operands laid out in groups of 8 residues:
/// residues 8g..8g+7 of operand j are the 8 * width bytes at y0[j] + g * stride
/// (and y1[j] + g * stride). stride = 8 * width is the plain packed layout; a
/// larger stride interleaves several operands group by group, as
/// poly::InterleavedPolys does for a key-switching key, so that a key's tower
/// is read as one sequential stream (see dot_avx512.cpp, "Memory"). No byte
/// outside the groups of residues [0, n) is read.
/// @throws std::invalid_argument if width is not in 1..8 or stride < 8 * width.
void dot_product2_grouped(u64* out0, u64* out1, const u64* const* x, const std::uint8_t* const* y0,
                          const std::uint8_t* const* y1, unsigned width, std::size_t stride, std::size_t k,
                          std::size_t n, const Modulus& q, bool accumulate = false);

/// Whether the dot kernels of simd_path() take left operands x that are not
/// reduced, any value below 2^63, for modulus q (the AVX-512 Split engine: an
/// IFMA CPU and 2^52 < q < 2^56). Key switching then feeds them the unreduced
/// output of poly::ntt_forward_lazy. Otherwise every x must be below q.
bool dot_takes_lazy_left(const Modulus& q) noexcept;

/// Byte offset of residue c in a right operand of `width` bytes per residue in
/// groups of 8 residues `stride` bytes apart (see dot_product2_grouped).
constexpr std::size_t grouped_offset(std::size_t c, unsigned width, std::size_t stride) noexcept {
  return (c / 8) * stride + (c % 8) * width;
}

/// The kernel of one path, for tests and benchmarks: the sums of
/// dot_product2_grouped when out1 and y1 are non-null, of one dot product (into
/// out0 with y0) when both are null. `width` must be in 1..8 and stride at
/// least 8 * width (unchecked).
struct DotKernels {
  void (*dot)(u64* out0, u64* out1, const u64* const* x, const std::uint8_t* const* y0,
              const std::uint8_t* const* y1, unsigned width, std::size_t stride, std::size_t k, std::size_t n,
              const Modulus& q, bool accumulate) noexcept;
};

/// The kernels of `path`. @throws std::runtime_error if the CPU cannot run it.
const DotKernels& dot_kernels(SimdPath path);

}  // namespace tower::poly
