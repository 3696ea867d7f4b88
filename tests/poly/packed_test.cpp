// Tests for poly/packed.hpp.
//  * packed_width is ceil(bits/8), checked against q's bit length computed here.
//  * Packing then unpacking gives back every residue, over a base with primes of
//    25 to 61 bits (widths 4 to 8), including 0 and q - 1; the packed bytes are
//    the residues' little-endian bytes (read back here byte by byte); limbs are
//    64-byte aligned; byte_size is n times the sum of the widths.
//  * A residue that is not below its modulus is refused.
//  * Equality: same residues and base; one changed residue breaks it.
#include "poly/packed.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <vector>

#include "poly/primes.hpp"
#include "test_util.hpp"

namespace tower::poly {
namespace {

std::shared_ptr<const RnsBase> mixed_base(std::size_t n) {
  std::vector<u64> primes;
  for (int bits : {25, 33, 40, 41, 48, 49, 55, 56, 57, 61}) primes.push_back(ntt_primes(bits, n, 1)[0]);
  return std::make_shared<const RnsBase>(n, primes);
}

RnsPoly random_poly(const std::shared_ptr<const RnsBase>& base) {
  RnsPoly p(base, PolyForm::evaluation);
  for (std::size_t i = 0; i < p.size(); ++i) {
    const u64 q = base->modulus(i).value();
    const auto v = test::insecure_uniform(p.n(), q);
    std::copy(v.begin(), v.end(), p.limb(i));
    p.limb(i)[0] = q - 1;
    p.limb(i)[1] = 0;
  }
  return p;
}

TEST(PolyPacked, WidthIsBytesOfTheModulus) {
  for (int bits = 2; bits <= 61; ++bits) {
    const u64 q = (u64{1} << (bits - 1)) + 1;
    int len = 0;
    for (u64 v = q; v; v >>= 1) ++len;
    EXPECT_EQ(packed_width(Modulus(q)), static_cast<unsigned>((len + 7) / 8)) << "bits " << bits;
  }
}

TEST(PolyPacked, RoundTripAndLayout) {
  const std::size_t n = 1024;
  const auto base = mixed_base(n);
  const RnsPoly p = random_poly(base);
  const PackedRnsPoly packed(p);
  ASSERT_EQ(packed.size(), p.size());
  ASSERT_EQ(packed.n(), n);
  EXPECT_EQ(packed.form(), PolyForm::evaluation);
  std::size_t expected_bytes = 0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    const unsigned w = packed.width(i);
    expected_bytes += n * w;
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(packed.limb(i)) % 64, 0u) << "limb " << i;
    for (std::size_t c = 0; c < n; ++c) {
      u64 v = 0;
      for (unsigned b = 0; b < w; ++b) v |= static_cast<u64>(packed.limb(i)[c * w + b]) << (8 * b);
      ASSERT_EQ(v, p.limb(i)[c]) << "limb " << i << " residue " << c;
    }
  }
  EXPECT_EQ(packed.byte_size(), expected_bytes);
  EXPECT_LT(packed.byte_size(), n * p.size() * 8);
  EXPECT_TRUE(packed.unpack() == p);
}

TEST(PolyPacked, RefusesNonCanonicalResidues) {
  const auto base = mixed_base(64);
  RnsPoly p = random_poly(base);
  p.limb(3)[17] = base->modulus(3).value();
  EXPECT_THROW(PackedRnsPoly{p}, std::invalid_argument);
  EXPECT_THROW(PackedRnsPoly{}.unpack(), std::logic_error);
}

TEST(PolyPacked, Equality) {
  const auto base = mixed_base(64);
  RnsPoly p = random_poly(base);
  const PackedRnsPoly a(p), b(p);
  EXPECT_TRUE(a == b);
  const u64 q = base->modulus(5).value();
  p.limb(5)[9] = (p.limb(5)[9] + 1) % q;
  EXPECT_FALSE(a == PackedRnsPoly(p));
}

}  // namespace
}  // namespace tower::poly
