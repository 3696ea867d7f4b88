// poly/packed.hpp — RNS polynomials stored with ceil(bits(q_i) / 8) bytes per
// residue instead of 8.
//
// Why: key-switching keys are the largest objects of CKKS (one rotation key of
// SEAL's N = 2^15 set is 126 MB at 8 bytes per residue) and the inner product
// of key switching reads a whole key per call, at the speed of memory. Residues
// modulo a 55-bit prime fit in 7 bytes, modulo a 40-bit one in 5, so storing
// them packed takes 12.5% (SEAL's 55-bit primes) to 37.5% (40-bit primes) off
// both the memory a key holds and the bytes every key switch has to read. The
// dot-product kernels (poly/dot.hpp) read packed operands directly.
//
// Layout: limb i holds n residues of width(i) bytes each, little-endian, one
// after the other (residue c at limb(i) + c * width(i)); every limb starts on a
// 64-byte boundary. Nothing is read past a limb's n * width(i) bytes by the
// kernels, so no padding is promised.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "poly/aligned.hpp"
#include "poly/modulus.hpp"
#include "poly/rns_poly.hpp"

namespace tower::poly {

/// Bytes per packed residue modulo q: ceil(bits(q) / 8), in 1..8.
unsigned packed_width(const Modulus& q) noexcept;

/// Residue c of a packed array of width w (1..8): bytes [c*w, c*w + w), little-endian.
inline u64 packed_load(const std::uint8_t* p, std::size_t c, unsigned w) noexcept {
  u64 v = 0;
  const std::uint8_t* b = p + c * w;
  for (unsigned i = 0; i < w; ++i) v |= static_cast<u64>(b[i]) << (8 * i);
  return v;
}

/// An RnsPoly with packed limbs (see the file comment). A value type; immutable
/// once built.
class PackedRnsPoly {
 public:
  PackedRnsPoly() = default;
  /// Packs p. @throws std::invalid_argument if a residue of limb i is not below q_i
  /// (it would not fit, or would not be canonical).
  explicit PackedRnsPoly(const RnsPoly& p);

  /// The polynomial with 8-byte limbs again.
  RnsPoly unpack() const;

  const std::shared_ptr<const RnsBase>& base() const noexcept { return base_; }
  std::size_t n() const noexcept { return n_; }
  std::size_t size() const noexcept { return width_.size(); }
  PolyForm form() const noexcept { return form_; }
  /// Bytes per residue of limb i.
  unsigned width(std::size_t i) const noexcept { return width_[i]; }
  /// The packed residues of limb i (n() * width(i) bytes, 64-byte aligned).
  const std::uint8_t* limb(std::size_t i) const noexcept { return bytes() + offset_[i]; }
  /// Bytes of residues held: n() times the sum of the widths (alignment gaps
  /// between limbs, under 64 bytes each, not counted).
  std::size_t byte_size() const noexcept;

  /// Same base, form and residues.
  bool operator==(const PackedRnsPoly& other) const noexcept;

 private:
  const std::uint8_t* bytes() const noexcept { return reinterpret_cast<const std::uint8_t*>(data_.data()); }
  std::shared_ptr<const RnsBase> base_;
  std::size_t n_ = 0;
  PolyForm form_ = PolyForm::coefficient;
  std::vector<unsigned> width_;
  std::vector<std::size_t> offset_;  // byte offset of each limb
  AlignedVector data_;
};

}  // namespace tower::poly
