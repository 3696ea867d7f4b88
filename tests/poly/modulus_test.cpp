// Tests for poly/modulus.hpp against NTL's exact big-integer arithmetic.
#include "poly/modulus.hpp"

#include <NTL/ZZ.h>
#include <gtest/gtest.h>

#include <stdexcept>

#include "test_util.hpp"

namespace tower::poly {
namespace {

NTL::ZZ to_zz(u64 x) {
  NTL::ZZ z;
  NTL::conv(z, static_cast<unsigned long>(x));
  return z;
}
u64 from_zz(const NTL::ZZ& z) { return static_cast<u64>(NTL::conv<unsigned long>(z)); }

class PolyModulus : public ::testing::TestWithParam<u64> {};

TEST_P(PolyModulus, MulReduceAddSubMatchNtl) {
  const Modulus m(GetParam());
  const u64 q = m.value();
  const NTL::ZZ Q = to_zz(q);
  auto a = test::insecure_uniform(2000, q);
  auto b = test::insecure_uniform(2000, q);
  auto wide = test::insecure_uniform(2000, ~u64{0});  // arbitrary 64-bit words
  a[0] = 0, b[0] = q - 1, a[1] = q - 1, b[1] = q - 1;
  for (std::size_t i = 0; i < a.size(); ++i) {
    ASSERT_EQ(m.mul(a[i], b[i]), from_zz(NTL::MulMod(to_zz(a[i]), to_zz(b[i]), Q)));
    ASSERT_EQ(m.add(a[i], b[i]), from_zz(NTL::AddMod(to_zz(a[i]), to_zz(b[i]), Q)));
    ASSERT_EQ(m.sub(a[i], b[i]), from_zz(NTL::SubMod(to_zz(a[i]), to_zz(b[i]), Q)));
    ASSERT_EQ(m.reduce(wide[i]), from_zz(to_zz(wide[i]) % Q));
    // 127-bit inputs: the documented limit of reduce128.
    const u128 x = (static_cast<u128>(wide[i] >> 1) << 64) | a[i];
    ASSERT_EQ(m.reduce128(x), from_zz(((to_zz(wide[i] >> 1) << 64) + to_zz(a[i])) % Q));
  }
}

TEST_P(PolyModulus, ShoupMatchesNtlAndStaysInLazyRange) {
  const Modulus m(GetParam());
  const u64 q = m.value();
  const auto w = test::insecure_uniform(200, q);
  const auto x = test::insecure_uniform(200, ~u64{0});
  for (u64 wi : w) {
    const u64 wp = shoup_precompute(wi, q);
    for (u64 xi : x) {
      const u64 expect = from_zz(NTL::MulMod(to_zz(xi) % to_zz(q), to_zz(wi), to_zz(q)));
      const u64 lazy = mul_shoup_lazy(xi, wi, wp, q);
      ASSERT_LT(lazy, 2 * q);
      ASSERT_EQ(lazy % q, expect);
      ASSERT_EQ(mul_shoup(xi, wi, wp, q), expect);
    }
  }
}

TEST_P(PolyModulus, PowAndInverseMatchNtl) {
  const Modulus m(GetParam());
  const u64 q = m.value();
  for (u64 a : test::insecure_uniform(100, q)) {
    if (a == 0) continue;
    const u64 e = test::insecure_uniform(1, ~u64{0})[0];
    ASSERT_EQ(m.pow(a, e), from_zz(NTL::PowerMod(to_zz(a), to_zz(e), to_zz(q))));
    if (NTL::GCD(to_zz(a), to_zz(q)) == 1) {
      ASSERT_EQ(m.inv(a), from_zz(NTL::InvMod(to_zz(a), to_zz(q))));
    } else {
      ASSERT_THROW(m.inv(a), std::invalid_argument);
    }
  }
}

// Primes of 30, 50, 60 and 61 bits, and a composite (Barrett does not need primality).
INSTANTIATE_TEST_SUITE_P(PolyModulusSizes, PolyModulus,
                         ::testing::Values(u64{1073479681}, u64{1125899906826241}, u64{1152921504606584833},
                                           u64{2305843009213554689}, u64{1000000000000000000}));

TEST(PolyModulusErrors, RejectsOutOfRangeModuli) {
  EXPECT_THROW(Modulus(0), std::invalid_argument);
  EXPECT_THROW(Modulus(1), std::invalid_argument);
  EXPECT_THROW(Modulus(u64{1} << 61), std::invalid_argument);
  EXPECT_NO_THROW(Modulus((u64{1} << 61) - 1));
}

TEST(PolyModulusErrors, InverseOfNonUnitThrows) {
  const Modulus m(1000);
  EXPECT_THROW(m.inv(10), std::invalid_argument);
  EXPECT_THROW(Modulus(97).inv(0), std::invalid_argument);
  EXPECT_EQ(m.mul(m.inv(7), 7), 1u);
}

}  // namespace
}  // namespace tower::poly
