// poly/interleaved.cpp — packing and interleaving RNS polynomials (see
// poly/interleaved.hpp).
#include "poly/interleaved.hpp"

#include <cstring>
#include <stdexcept>
#include <string>

#include "poly/dot.hpp"
#include "poly/packed.hpp"

namespace tower::poly {

InterleavedPolys::InterleavedPolys(std::span<const RnsPoly* const> polys) {
  if (polys.empty()) throw std::invalid_argument("poly::InterleavedPolys: no polynomials");
  for (const RnsPoly* p : polys) {
    if (p == nullptr) throw std::invalid_argument("poly::InterleavedPolys: null polynomial");
  }
  const RnsPoly& first = *polys[0];
  base_ = first.base();
  n_ = first.n();
  form_ = first.form();
  count_ = polys.size();
  if (n_ % 8 != 0) {
    throw std::invalid_argument("poly::InterleavedPolys: n = " + std::to_string(n_) + " is not a multiple of 8");
  }
  for (std::size_t p = 1; p < count_; ++p) {
    const RnsPoly& q = *polys[p];
    if (q.n() != n_ || q.form() != form_ || !(*q.base() == *base_)) {
      throw std::invalid_argument("poly::InterleavedPolys: polynomial " + std::to_string(p) +
                                  " differs from polynomial 0 in base, degree or form");
    }
  }
  const std::size_t towers = first.size();
  width_.resize(towers);
  offset_.resize(towers);
  std::size_t total = 0;
  for (std::size_t i = 0; i < towers; ++i) {
    width_[i] = packed_width(base_->modulus(i));
    offset_[i] = total;
    total += (count_ * n_ * width_[i] + kAlignment - 1) / kAlignment * kAlignment;
  }
  // One spare word: residues are written (and read back by unpack) as whole
  // little-endian words, the next residue overwriting the excess bytes, and the
  // last residue's word may reach past `total`. Left uninitialized: every byte
  // that is ever read is written below, and a key is ~100 MB.
  data_ = AlignedVector(total / sizeof(u64) + 1);
  auto* out = reinterpret_cast<std::uint8_t*>(data_.data());
  // Written in increasing address order, each residue as a whole word: its
  // excess bytes are zero (in[c] < q <= 2^(8w)) and the next residue overwrites
  // them; the last one's land in the alignment gap or the spare word.
  for (std::size_t i = 0; i < towers; ++i) {
    const u64 q = base_->modulus(i).value();
    const unsigned w = width_[i];
    std::uint8_t* o = out + offset_[i];
    for (std::size_t g = 0; g < n_ / 8; ++g) {
      for (std::size_t p = 0; p < count_; ++p) {
        const u64* in = polys[p]->limb(i) + 8 * g;
        for (std::size_t l = 0; l < 8; ++l, o += w) {
          if (in[l] >= q) {
            throw std::invalid_argument("poly::InterleavedPolys: residue " + std::to_string(8 * g + l) + " of limb " +
                                        std::to_string(i) + " of polynomial " + std::to_string(p) +
                                        " is not below its modulus");
          }
          std::memcpy(o, &in[l], sizeof(u64));
        }
      }
    }
  }
}

RnsPoly InterleavedPolys::unpack(std::size_t p) const {
  if (p >= count_) {
    throw std::out_of_range("poly::InterleavedPolys::unpack: polynomial " + std::to_string(p) + " of " +
                            std::to_string(count_));
  }
  RnsPoly r = RnsPoly::uninitialized(base_, form_);
  for (std::size_t i = 0; i < size(); ++i) {
    u64* out = r.limb(i);
    const std::uint8_t* in = operand(i, p);
    const unsigned w = width_[i];
    const std::size_t s = stride(i);
    const u64 mask = w == 8 ? ~u64{0} : (u64{1} << (8 * w)) - 1;
    for (std::size_t c = 0; c < n_; ++c) {
      u64 v;
      std::memcpy(&v, in + grouped_offset(c, w, s), sizeof(u64));  // the spare word covers the last residue
      out[c] = v & mask;
    }
  }
  return r;
}

std::size_t InterleavedPolys::byte_size() const noexcept {
  std::size_t bytes = 0;
  for (unsigned w : width_) bytes += count_ * n_ * w;
  return bytes;
}

bool InterleavedPolys::operator==(const InterleavedPolys& other) const noexcept {
  if (n_ != other.n_ || count_ != other.count_ || form_ != other.form_ || width_ != other.width_) return false;
  if (base_ != other.base_ && (!base_ || !other.base_ || !(*base_ == *other.base_))) return false;
  for (std::size_t i = 0; i < size(); ++i) {
    if (std::memcmp(bytes() + offset_[i], other.bytes() + other.offset_[i], count_ * n_ * width_[i]) != 0) return false;
  }
  return true;
}

}  // namespace tower::poly
