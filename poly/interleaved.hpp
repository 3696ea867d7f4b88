// poly/interleaved.hpp — several packed RNS polynomials over one base, held
// tower by tower with their residues interleaved in groups of 8: the memory
// layout of a key-switching key.
//
// Why: the inner product of key switching reads, for tower i, limb i of both
// halves of every digit's key at once — 2 * dnum arrays (30 at SEAL's N = 2^15
// set) — and the whole key comes from memory on every call (one rotation key
// of that set is 110 MB packed). Thirty concurrent streams defeat the hardware
// prefetcher, so a kernel reading them must take a few at a time and park its
// accumulators between passes (poly/dot_avx512.cpp, "Memory"). Interleaved,
// tower i is one sequential stream: the dot kernel reads every operand of a
// coefficient group in one sweep, keeps its sums in registers and prefetches
// a fixed distance ahead.
//
// Layout: tower i is one 64-byte aligned run of ceil(n/8) groups; group g holds
// residues 8g..8g+7 of polynomial 0, then of polynomial 1, ..., of polynomial
// count()-1, each as 8 * width(i) bytes (ceil(bits(q_i)/8) bytes per residue,
// little-endian, as poly/packed.hpp). So polynomial p's residue c lies at
//     operand(i, p) + grouped_offset(c, width(i), stride(i))
// (poly/dot.hpp), stride(i) = count() * 8 * width(i): exactly what the dot
// kernels' grouped operands (poly::dot_product2_grouped) expect.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "poly/aligned.hpp"
#include "poly/modulus.hpp"
#include "poly/rns_poly.hpp"

namespace tower::poly {

/// Packed polynomials interleaved tower by tower (see the file comment). A value
/// type; immutable once built.
class InterleavedPolys {
 public:
  InterleavedPolys() = default;
  /// Packs and interleaves the polynomials, in the order given.
  /// @throws std::invalid_argument if the list is empty or holds a null pointer,
  /// if the polynomials differ in base, degree or form, if n is not a multiple of
  /// 8, or if a residue of limb i is not below q_i.
  explicit InterleavedPolys(std::span<const RnsPoly* const> polys);

  /// Polynomials held.
  std::size_t count() const noexcept { return count_; }
  /// Towers (RNS limbs) of each polynomial.
  std::size_t size() const noexcept { return width_.size(); }
  std::size_t n() const noexcept { return n_; }
  const std::shared_ptr<const RnsBase>& base() const noexcept { return base_; }
  PolyForm form() const noexcept { return form_; }
  /// Bytes per residue in tower i.
  unsigned width(std::size_t i) const noexcept { return width_[i]; }
  /// Bytes from one group of 8 residues of a polynomial to its next, in tower i.
  std::size_t stride(std::size_t i) const noexcept { return count_ * 8 * std::size_t{width_[i]}; }
  /// Group 0 of polynomial p in tower i (see the file comment for residue c).
  const std::uint8_t* operand(std::size_t i, std::size_t p) const noexcept {
    return bytes() + offset_[i] + p * 8 * std::size_t{width_[i]};
  }
  /// Polynomial p with 8-byte limbs again. @throws std::out_of_range if p >= count().
  RnsPoly unpack(std::size_t p) const;
  /// Bytes of residues held: count() * n() times the sum of the widths (the
  /// alignment gaps between towers, under 64 bytes each, not counted).
  std::size_t byte_size() const noexcept;

  /// Same base, degree, form, count and residues.
  bool operator==(const InterleavedPolys& other) const noexcept;

 private:
  const std::uint8_t* bytes() const noexcept { return reinterpret_cast<const std::uint8_t*>(data_.data()); }
  std::shared_ptr<const RnsBase> base_;
  std::size_t n_ = 0;
  std::size_t count_ = 0;
  PolyForm form_ = PolyForm::coefficient;
  std::vector<unsigned> width_;
  std::vector<std::size_t> offset_;  // byte offset of each tower
  AlignedVector data_;
};

}  // namespace tower::poly
