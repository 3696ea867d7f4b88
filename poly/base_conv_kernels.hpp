// poly/base_conv_kernels.hpp — internal: the precomputed plan and the kernel
// tables behind poly::BaseConverter (poly/base_conv.hpp).
//
// Every path computes, per coefficient c and target prime p_j,
//     out_j[c] = (sum_i y_i[c] * M_ij  [- v[c] * Q]) mod p_j,
//     y_i = x_i * (Q/q_i)^-1 mod q_i,   M_ij = (Q/q_i) mod p_j,
// where the exact variant's v = llround(sum_i fl(fl(double(y_i)) * fl(1/q_i)))
// is summed in the order i = 0, 1, ..., k-1 with every product rounded before
// its addition (no fused multiply-add) on every path. The result is a canonical
// residue, so paths that reduce differently are still bit-identical:
//  * base_conv_scalar.cpp: 128-bit sums, Barrett every 8 terms (the reference);
//  * base_conv_avx512.cpp: IFMA52 "Shoup sums" (see the file comment there);
//    without IFMA it runs the AVX2 kernel;
//  * base_conv_avx2.cpp: sums modulo 2^64 with vpmuludq and a double-precision
//    quotient estimate (see the file comment there); the scalar kernel where
//    its error bound fails (hundreds of sources).
// The tables of every path are built by BaseConverter's constructor (baseline
// code, whatever the CPU), so a plan serves every path.
#pragma once

#include <cstddef>
#include <vector>

#include "poly/cpu.hpp"
#include "poly/modulus.hpp"

namespace tower::poly::detail {

struct BaseConvPlan {
  std::size_t n = 0, k = 0, l = 0;
  std::vector<Modulus> q, p;                    // source primes q_i, target primes p_j
  std::vector<u64> q_hat_inv, q_hat_inv_shoup;  // [i] (Q/q_i)^-1 mod q_i and its Shoup companion
  std::vector<u64> q_hat_mod_p;                 // [i * l + j] = M_ij = (Q/q_i) mod p_j
  std::vector<u64> q_mod_p;                     // [j] = Q mod p_j
  std::vector<u64> neg_q_mod_p;                 // [j] = -Q mod p_j
  std::vector<double> q_inv;                    // [i] = 1.0 / q_i (rounded)

  /// AVX-512 IFMA52 tables. A "piece" is a value below 2^52 with a constant per
  /// target: pieces 0..k-1 are y_i when q_i <= 2^52, else y_i mod 2^52
  /// (constant M_ij); then for every q_i > 2^52 the piece y_i >> 52 < 2^9
  /// (constant 2^52 * M_ij mod p_j); the exact variant appends the piece v <= k
  /// (constant -Q mod p_j). Pieces k.. are small: "raw" targets add their
  /// products without a Shoup quotient.
  struct Ifma {
    static constexpr int kOneColumn = 0;  // the sum T of the terms is below 2^52 (so p_j < 2^52)
    static constexpr int kTwoNarrow = 1;  // p_j < 2^52
    static constexpr int kTwoWide = 2;    // p_j >= 2^52
    static constexpr int kOneWord = 3;    // T < 2^64
    static constexpr std::size_t kStride = 4;
    bool usable = false;                  // false: too many pieces for the 64-bit column bounds
    std::size_t pieces = 0;               // pieces of the approximate variant
    std::vector<unsigned char> wide;      // [i] q_i > 2^52 (y_i makes two pieces)
    std::vector<std::size_t> hi_index;    // [i] the piece y_i >> 52 when wide[i]
    std::vector<int> mode;                // [j]
    std::vector<unsigned char> raw_tail;  // [j] pieces k.. are raw (kOneColumn and kOneWord only)
    /// [(j * (pieces + 1) + r) * kStride + {0, 1, 2, 3}] = {C mod 2^52, C >> 52,
    /// floor(C * 2^52 / p_j), C} for the constant C of piece r at target j.
    std::vector<u64> consts;
    std::vector<u64> mu52;                // [j] floor(2^52 / p_j)
    std::vector<double> p_inv;            // [j] 1.0 / p_j (rounded)
  } ifma;

  /// AVX2 tables. Pieces below 2^32 ("single") or 2^b ("double", two 32-bit
  /// digits; b <= 48 is chosen so that the quotient estimate stays accurate,
  /// see poly/base_conv_avx2.cpp): pieces 0..doubles-1 are the y_i with
  /// 2^32 < q_i <= 2^b; then, in source order, y_i for q_i <= 2^32, and
  /// y_i mod 2^32 and y_i >> 32 (constant 2^32 * M_ij mod p_j) for q_i > 2^b;
  /// the exact variant appends v (constant -Q mod p_j).
  struct Fpq {
    static constexpr std::size_t kStride = 4;
    bool usable = false;                // false: the estimate's error bound fails (scalar kernel)
    std::size_t pieces = 0;             // pieces of the approximate variant
    std::size_t doubles = 0;
    std::vector<std::size_t> lo_index;  // [i] the piece y_i or y_i mod 2^32
    std::vector<std::size_t> hi_index;  // [i] the piece y_i >> 32 when split, else 0
    std::vector<unsigned char> split;   // [i]
    /// [(j * (pieces + 1) + r) * kStride + {0, 1, 2}] = {C mod 2^32, C >> 32,
    /// the bits of fl(C / p_j)} for the constant C of piece r at target j.
    std::vector<u64> consts;
  } fpq;

};

/// Kernels of one path.
struct BaseConvKernels {
  /// Converts coefficients [begin, end) (multiples of 8) of `in` (k limbs of n)
  /// to `out` (l limbs of n); exact selects the centred variant.
  void (*convert)(const BaseConvPlan& plan, const u64* in, u64* out, std::size_t begin, std::size_t end,
                  bool exact);
  /// out[c] = in[c] mod p for any 64-bit in[c] (the one-source conversion).
  void (*reduce)(u64* out, const u64* in, std::size_t n, const Modulus& p) noexcept;
  /// out[c] = in[c] + (in[c] > half ? add : 0) modulo 2^64, in[c] < 2^63 (the
  /// one-source exact conversion into a lazy range, BaseConverter::convert_exact_lazy).
  void (*lift_centred)(u64* out, const u64* in, std::size_t n, u64 half, u64 add) noexcept;
};

extern const BaseConvKernels kBaseConvScalar;
extern const BaseConvKernels kBaseConvAvx2;
extern const BaseConvKernels kBaseConvAvx512;  // IFMA52 where present, else the AVX2 kernels

/// The kernels of `path`. @throws std::runtime_error if the CPU cannot run it.
const BaseConvKernels& base_conv_kernels(SimdPath path);

}  // namespace tower::poly::detail
