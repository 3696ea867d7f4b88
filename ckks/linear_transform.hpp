// ckks/linear_transform.hpp — plaintext matrix times encrypted vector, by diagonals,
// with baby-step giant-step and double hoisting.
//
// A matrix M over the n = N/2 slots is given by its non-zero diagonals
//     d_k[j] = M[j][(j + k) mod n],   so that   M v = sum_k d_k * rot(v, k)
// (Halevi, Shoup 2014/2018). Example, n = 4, M with diagonals 0 and 1:
//     [a0 b0 0  0 ]            d_0 = (a0, a1, a2, a3)
//     [0  a1 b1 0 ]   v  =     d_1 = (b0, b1, b2, b3)
//     [0  0  a2 b2]            M v = d_0 * v + d_1 * rot(v, 1)
//     [b3 0  0  a3]
// That costs one rotation per diagonal. Baby-step giant-step writes k = g n1 + b:
//     M v = sum_g rot( sum_b rot(d_{g n1 + b}, -g n1) * rot(v, b), g n1 )
// so only the baby rotations rot(v, b) (b < n1) and the giant rotations by g n1
// are key switches: about n1 + #diagonals / n1 instead of #diagonals.
//
// Double hoisting (Bossuat, Mouchet, Troncoso-Pastoriza, Hubaux, Eurocrypt 2021,
// section 3.3): the baby rotations share one decomposition of v and stay in the
// extended basis Q_l * P (no ModDown); the pre-rotated diagonals are encoded over
// Q_l * P and the inner sums accumulated there; each giant step needs one ModDown
// (of its inner sum) before its rotation, whose output is again accumulated in
// Q_l * P; one final ModDown ends the transform.
//
// The output has the input's level and scale * diagonal_scale: rescale after.
#pragma once

#include <complex>
#include <cstdint>
#include <map>
#include <memory>
#include <vector>

#include "ckks/ciphertext.hpp"
#include "ckks/encoder.hpp"
#include "ckks/galois.hpp"
#include "poly/packed.hpp"

namespace tower::ckks {

class LinearTransform {
 public:
  using Diagonals = std::map<std::int64_t, std::vector<std::complex<double>>>;

  /// Encode the diagonals for a ciphertext at `level`, at `scale`. Diagonal
  /// indices are taken mod N/2; each vector has at most N/2 entries (missing
  /// entries are 0). baby_steps = 0 chooses the split n1 (a power of two) that
  /// minimises the number of key switches; otherwise n1 = baby_steps.
  /// @throws std::invalid_argument for no diagonals, too long a diagonal, a
  ///         repeated index (mod N/2), or baby_steps not a power of two <= N/2.
  LinearTransform(const Encoder& encoder, const Diagonals& diagonals, std::size_t level, double scale,
                  std::size_t baby_steps = 0);

  /// The rotation steps whose Galois keys apply() needs (baby steps b > 0 and
  /// giant steps g * n1 > 0 that occur), for key generation.
  std::vector<std::int64_t> rotation_steps() const;
  /// The same as Galois elements.
  std::vector<u64> galois_elements() const;

  std::size_t baby_steps() const noexcept { return n1_; }
  std::size_t diagonal_count() const noexcept { return count_; }
  std::size_t level() const noexcept { return level_; }
  double scale() const noexcept { return scale_; }

  /// Bytes held by the encoded diagonals: over Q_l * P, ceil(bits(q_i)/8) bytes
  /// per residue (poly/packed.hpp), so n * sum_i ceil(bits(q_i)/8) per diagonal.
  std::size_t byte_size() const noexcept;

  /// M * ct. The ciphertext must be at this transform's level (drop it first if
  /// higher). @throws std::invalid_argument on a level or context mismatch, a
  /// 3-component ciphertext, a missing Galois key (naming the step), or a result
  /// scale that would reach the modulus.
  Ciphertext apply(const Ciphertext& ct, const GaloisKeys& keys) const;

  /// The n1 that minimises baby + giant rotations for these diagonal indices.
  static std::size_t best_baby_steps(const std::vector<std::int64_t>& indices, std::size_t slots);

 private:
  std::shared_ptr<const Context> context_;
  std::size_t level_;
  double scale_;
  std::size_t n1_;
  std::size_t count_;
  // giant index g -> baby index b -> rot(d_{g n1 + b}, -g n1) over Q_l * P,
  // packed (ceil(bits(q_i)/8) bytes per residue, as keys are).
  std::map<std::int64_t, std::map<std::int64_t, poly::PackedRnsPoly>> plain_;
};

}  // namespace tower::ckks
