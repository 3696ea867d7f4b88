// poly/packed.cpp — packing and unpacking RNS limbs (see poly/packed.hpp).
#include "poly/packed.hpp"

#include <cstring>
#include <stdexcept>
#include <string>

namespace tower::poly {

unsigned packed_width(const Modulus& q) noexcept { return static_cast<unsigned>((q.bits() + 7) / 8); }

PackedRnsPoly::PackedRnsPoly(const RnsPoly& p) : base_(p.base()), n_(p.n()), form_(p.form()) {
  const std::size_t limbs = p.size();
  width_.resize(limbs);
  offset_.resize(limbs);
  std::size_t total = 0;
  for (std::size_t i = 0; i < limbs; ++i) {
    width_[i] = packed_width(base_->modulus(i));
    offset_[i] = total;
    total += (n_ * width_[i] + kAlignment - 1) / kAlignment * kAlignment;
  }
  // One spare word: residues are written (and read back by unpack) as whole
  // little-endian words at byte offset c * w, the next residue overwriting the
  // excess bytes, and the last limb's last word may reach past `total`. Left
  // uninitialized (AlignedVector): every byte that is ever read is written
  // below, and a key is ~100 MB.
  data_ = AlignedVector(total / sizeof(u64) + 1);
  auto* out = reinterpret_cast<std::uint8_t*>(data_.data());
  for (std::size_t i = 0; i < limbs; ++i) {
    const u64 q = base_->modulus(i).value();
    const unsigned w = width_[i];
    const u64* in = p.limb(i);
    std::uint8_t* o = out + offset_[i];
    for (std::size_t c = 0; c < n_; ++c) {
      if (in[c] >= q) {
        throw std::invalid_argument("poly::PackedRnsPoly: residue " + std::to_string(c) + " of limb " +
                                    std::to_string(i) + " is not below its modulus");
      }
      // Little-endian (x86-64); bytes w..7 are zero (in[c] < q <= 2^(8w)), so
      // whatever lies past the limb's residues stays zero.
      std::memcpy(o + c * w, &in[c], sizeof(u64));
    }
  }
}

RnsPoly PackedRnsPoly::unpack() const {
  if (!base_) throw std::logic_error("poly::PackedRnsPoly::unpack: empty polynomial");
  RnsPoly p = RnsPoly::uninitialized(base_, form_);
  for (std::size_t i = 0; i < size(); ++i) {
    u64* out = p.limb(i);
    const std::uint8_t* in = limb(i);
    const unsigned w = width_[i];
    const u64 mask = w == 8 ? ~u64{0} : (u64{1} << (8 * w)) - 1;
    for (std::size_t c = 0; c < n_; ++c) {
      u64 v;
      std::memcpy(&v, in + c * w, sizeof(u64));  // the spare word covers the last limb
      out[c] = v & mask;
    }
  }
  return p;
}

std::size_t PackedRnsPoly::byte_size() const noexcept {
  std::size_t bytes = 0;
  for (unsigned w : width_) bytes += n_ * w;
  return bytes;
}

bool PackedRnsPoly::operator==(const PackedRnsPoly& other) const noexcept {
  if (n_ != other.n_ || form_ != other.form_ || width_ != other.width_) return false;
  if (base_ != other.base_ && (!base_ || !other.base_ || !(*base_ == *other.base_))) return false;
  for (std::size_t i = 0; i < size(); ++i) {
    if (std::memcmp(limb(i), other.limb(i), n_ * width_[i]) != 0) return false;
  }
  return true;
}

}  // namespace tower::poly
