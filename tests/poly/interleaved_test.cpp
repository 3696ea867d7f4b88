// Tests for poly/interleaved.hpp.
//  * Interleaving then unpacking gives back every polynomial, over a base with
//    primes of 25 to 61 bits (widths 4 to 8), including residues 0 and q - 1.
//  * The layout is the one the dot kernels read: residue c of polynomial p in
//    tower i is the little-endian bytes (read back here byte by byte) at
//    operand(i, p) + (c / 8) * stride(i) + (c % 8) * width(i), stride(i) =
//    count * 8 * width(i); towers start 64-byte aligned; byte_size counts
//    count * n * width(i) per tower.
//  * The dot kernels of every path over the interleaved operands equal sums
//    computed here from the original polynomials (exact u128, reduced once).
//  * Refused: no polynomials, a null one, different bases, degrees or forms, a
//    residue not below its modulus, an index past count() in unpack. (A degree
//    that is not a multiple of 8 is refused too, but no RnsBase has one: n is a
//    power of two of at least 8.)
//  * Equality: same residues; one changed residue, or another order, breaks it.
#include "poly/interleaved.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <vector>

#include "poly/dot.hpp"
#include "poly/primes.hpp"
#include "test_util.hpp"

namespace tower::poly {
namespace {

std::shared_ptr<const RnsBase> mixed_base(std::size_t n) {
  std::vector<u64> primes;
  for (int bits : {25, 33, 40, 48, 55, 56, 61}) primes.push_back(ntt_primes(bits, n, 1)[0]);
  return std::make_shared<const RnsBase>(n, primes);
}

RnsPoly random_poly(const std::shared_ptr<const RnsBase>& base, std::size_t salt) {
  RnsPoly p(base, PolyForm::evaluation);
  for (std::size_t i = 0; i < p.size(); ++i) {
    const u64 q = base->modulus(i).value();
    const auto v = test::insecure_uniform(p.n(), q);
    std::copy(v.begin(), v.end(), p.limb(i));
    p.limb(i)[salt % p.n()] = q - 1;
    p.limb(i)[(salt + 1) % p.n()] = 0;
  }
  return p;
}

std::vector<const RnsPoly*> ptrs(const std::vector<RnsPoly>& v) {
  std::vector<const RnsPoly*> out;
  for (const RnsPoly& p : v) out.push_back(&p);
  return out;
}

TEST(PolyInterleaved, RoundTripAndLayout) {
  const std::size_t n = 256;
  const auto base = mixed_base(n);
  std::vector<RnsPoly> polys;
  for (std::size_t p = 0; p < 5; ++p) polys.push_back(random_poly(base, 7 * p));
  const InterleavedPolys il(ptrs(polys));
  ASSERT_EQ(il.count(), 5u);
  ASSERT_EQ(il.size(), base->size());
  ASSERT_EQ(il.n(), n);
  EXPECT_EQ(il.form(), PolyForm::evaluation);
  std::size_t bytes = 0;
  for (std::size_t i = 0; i < il.size(); ++i) {
    int len = 0;
    for (u64 v = base->modulus(i).value(); v; v >>= 1) ++len;
    const unsigned w = static_cast<unsigned>((len + 7) / 8);
    ASSERT_EQ(il.width(i), w) << "tower " << i;
    ASSERT_EQ(il.stride(i), 5 * 8 * std::size_t{w});
    ASSERT_EQ(reinterpret_cast<std::uintptr_t>(il.operand(i, 0)) % 64, 0u) << "tower " << i;
    bytes += 5 * n * w;
    for (std::size_t p = 0; p < 5; ++p) {
      for (std::size_t c = 0; c < n; ++c) {
        const std::uint8_t* at = il.operand(i, p) + (c / 8) * il.stride(i) + (c % 8) * w;
        u64 v = 0;
        for (unsigned b = 0; b < w; ++b) v |= static_cast<u64>(at[b]) << (8 * b);
        ASSERT_EQ(v, polys[p].limb(i)[c]) << "tower " << i << " poly " << p << " residue " << c;
      }
    }
  }
  EXPECT_EQ(il.byte_size(), bytes);
  for (std::size_t p = 0; p < 5; ++p) EXPECT_TRUE(il.unpack(p) == polys[p]) << "poly " << p;
  EXPECT_THROW(il.unpack(5), std::out_of_range);
}

// What key switching computes from the layout: b_j, a_j pairs as operands
// 2j, 2j + 1, summed against x_j, per tower; the reference sums the u128
// products of the original residues.
TEST(PolyInterleaved, DotKernelsReadItAsKeySwitchingDoes) {
  const std::size_t n = 512, dnum = 4;
  const auto base = mixed_base(n);
  std::vector<RnsPoly> halves, xs;
  for (std::size_t p = 0; p < 2 * dnum; ++p) halves.push_back(random_poly(base, 3 * p));
  for (std::size_t j = 0; j < dnum; ++j) xs.push_back(random_poly(base, 11 * j + 1));
  const InterleavedPolys il(ptrs(halves));
  for (const SimdPath path : test::supported_paths()) {
    test::ScopedSimdPath scoped(path);
    for (std::size_t i = 0; i < il.size(); ++i) {
      const Modulus& m = base->modulus(i);
      std::vector<const u64*> x(dnum);
      std::vector<const std::uint8_t*> y0(dnum), y1(dnum);
      for (std::size_t j = 0; j < dnum; ++j) {
        x[j] = xs[j].limb(i);
        y0[j] = il.operand(i, 2 * j);
        y1[j] = il.operand(i, 2 * j + 1);
      }
      std::vector<u64> o0(n), o1(n);
      dot_product2_grouped(o0.data(), o1.data(), x.data(), y0.data(), y1.data(), il.width(i), il.stride(i), dnum, n, m);
      for (std::size_t c = 0; c < n; ++c) {
        u128 s0 = 0, s1 = 0;
        for (std::size_t j = 0; j < dnum; ++j) {
          s0 += static_cast<u128>(xs[j].limb(i)[c]) * halves[2 * j].limb(i)[c];
          s1 += static_cast<u128>(xs[j].limb(i)[c]) * halves[2 * j + 1].limb(i)[c];
        }
        ASSERT_EQ(o0[c], static_cast<u64>(s0 % m.value())) << to_string(path) << " tower " << i << " c " << c;
        ASSERT_EQ(o1[c], static_cast<u64>(s1 % m.value())) << to_string(path) << " tower " << i << " c " << c;
      }
    }
  }
}

TEST(PolyInterleaved, RefusesBadInput) {
  const auto base = mixed_base(64);
  const RnsPoly a = random_poly(base, 0), b = random_poly(base, 1);
  EXPECT_THROW(InterleavedPolys(std::vector<const RnsPoly*>{}), std::invalid_argument);
  EXPECT_THROW(InterleavedPolys(std::vector<const RnsPoly*>{&a, nullptr}), std::invalid_argument);
  const RnsPoly other = random_poly(mixed_base(128), 0);
  EXPECT_THROW(InterleavedPolys(std::vector<const RnsPoly*>{&a, &other}), std::invalid_argument);
  RnsPoly coeff(base, PolyForm::coefficient);
  EXPECT_THROW(InterleavedPolys(std::vector<const RnsPoly*>{&a, &coeff}), std::invalid_argument);
  RnsPoly bad = b;
  bad.limb(2)[9] = base->modulus(2).value();
  EXPECT_THROW(InterleavedPolys(std::vector<const RnsPoly*>{&a, &bad}), std::invalid_argument);
}

TEST(PolyInterleaved, Equality) {
  const auto base = mixed_base(64);
  const RnsPoly a = random_poly(base, 0), b = random_poly(base, 1);
  const InterleavedPolys ab(std::vector<const RnsPoly*>{&a, &b});
  EXPECT_TRUE(ab == InterleavedPolys(std::vector<const RnsPoly*>{&a, &b}));
  EXPECT_FALSE(ab == InterleavedPolys(std::vector<const RnsPoly*>{&b, &a}));
  EXPECT_FALSE(ab == InterleavedPolys(std::vector<const RnsPoly*>{&a}));
  RnsPoly c = b;
  c.limb(3)[17] = (c.limb(3)[17] + 1) % base->modulus(3).value();
  EXPECT_FALSE(ab == InterleavedPolys(std::vector<const RnsPoly*>{&a, &c}));
}

}  // namespace
}  // namespace tower::poly
