// Tests for the SIMD paths of poly/base_conv.hpp.
//  * Every path's approximate and exact conversions are bit-identical to the
//    scalar path, for shapes (k -> l) = 1->1, 1->16, 3->5, 11->28, 8->31, 20->20
//    with primes of 30, 40, 50, 52, 53, 60 and 61 bits, alone and mixed (the
//    kernels switch on the size of every source and target prime: 52-bit pieces,
//    one or two columns, narrow or wide constants).
//  * Inputs: uniform residues, then edge coefficients: 0, Q-1 (every residue
//    q_i - 1), residues 0 and q_i - 1 mixed across limbs, and 1.
//  * Lengths n = 8 (a single vector), 64 and 2048 (several blocks and chunks,
//    partial blocks).
//  * A few shapes also against GMP: approximate = x + u*Q mod p_j with
//    0 <= u < k, exact = the centred representative of x mod p_j.
#include <gmp.h>
#include <gtest/gtest.h>

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "poly/base_conv.hpp"
#include "poly/primes.hpp"
#include "poly/rns_base.hpp"
#include "poly/rns_poly.hpp"
#include "test_util.hpp"

namespace tower::poly {
namespace {

struct Shape {
  std::string name;
  std::vector<int> from_bits, to_bits;  // bit size of every prime
};

std::vector<int> repeat(int bits, std::size_t count) { return std::vector<int>(count, bits); }

std::vector<int> concat(std::vector<int> a, const std::vector<int>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// The ResNet working point: one 60-bit and thirty 40-bit ciphertext primes,
// eight 60-bit special primes, digits of 11/10/10 primes.
std::vector<Shape> shapes() {
  std::vector<Shape> out;
  for (int bits : {30, 40, 50, 60, 61}) {
    const std::string b = std::to_string(bits);
    out.push_back({"1to1_" + b, repeat(bits, 1), repeat(bits, 1)});
    out.push_back({"1to16_" + b, repeat(bits, 1), repeat(bits, 16)});
    out.push_back({"3to5_" + b, repeat(bits, 3), repeat(bits, 5)});
    out.push_back({"11to28_" + b, repeat(bits, 11), repeat(bits, 28)});
    out.push_back({"8to31_" + b, repeat(bits, 8), repeat(bits, 31)});
    out.push_back({"20to20_" + b, repeat(bits, 20), repeat(bits, 20)});
  }
  const std::vector<int> all{30, 40, 50, 52, 53, 60, 61};
  out.push_back({"1to15_SealModDown", {56}, repeat(55, 15)});  // 56 < 8 * 55 bits: the lazy lift
  out.push_back({"1to2_LiftEdge", {53}, {50, 51}});                // q < 8p only for the 51-bit target
  out.push_back({"1to1_61to30", {61}, {30}});
  out.push_back({"1to1_30to61", {30}, {61}});
  out.push_back({"1to16_60toMixed", {60}, concat(concat(all, all), {61, 30})});
  out.push_back({"1to16_40toMixed", {40}, concat(concat(all, all), {40, 30})});
  out.push_back({"3to5_Mixed", {61, 30, 52}, {53, 40, 60, 50, 30}});
  out.push_back({"11to28_ResNetModUp", concat({60}, repeat(40, 10)), concat(repeat(40, 20), repeat(60, 8))});
  out.push_back({"10to29_ResNetModUp", repeat(40, 10), concat(concat({60}, repeat(40, 20)), repeat(60, 8))});
  out.push_back({"8to31_ResNetModDown", repeat(60, 8), concat({60}, repeat(40, 30))});
  out.push_back({"8to31_Mixed", {61, 30, 40, 50, 52, 53, 60, 61}, concat(concat(concat(all, all), concat(all, all)),
                                                                           {61, 50, 30})});
  out.push_back({"20to20_Mixed", concat(concat(all, all), {61, 60, 40, 30, 50, 52}),
                 concat(concat(all, all), {30, 61, 53, 40, 60, 50})});
  out.push_back({"20to20_52and53", concat(repeat(52, 10), repeat(53, 10)), concat(repeat(53, 10), repeat(52, 10))});
  return out;
}

// Distinct NTT primes with the requested sizes for both bases.
std::pair<std::shared_ptr<const RnsBase>, std::shared_ptr<const RnsBase>> make_bases(const Shape& s, std::size_t n) {
  std::map<int, std::size_t> count;
  for (int b : s.from_bits) ++count[b];
  for (int b : s.to_bits) ++count[b];
  std::map<int, std::vector<u64>> pool;
  for (const auto& [bits, c] : count) pool[bits] = ntt_primes(bits, n, c);
  std::map<int, std::size_t> used;
  auto take = [&](const std::vector<int>& bits) {
    std::vector<u64> primes;
    for (int b : bits) primes.push_back(pool[b][used[b]++]);
    return std::make_shared<const RnsBase>(n, primes);
  };
  auto from = take(s.from_bits);
  auto to = take(s.to_bits);
  return {from, to};
}

// Uniform residues, then edge coefficients in the first and last positions:
// 0, Q-1, 1, and 0 / q_i - 1 alternating across limbs (both phases).
void fill(RnsPoly& x) {
  const std::size_t n = x.n(), k = x.size();
  for (std::size_t i = 0; i < k; ++i) {
    const u64 q = x.base()->modulus(i).value();
    const auto v = test::insecure_uniform(n, q);
    std::copy(v.begin(), v.end(), x.limb(i));
  }
  auto set = [&](std::size_t c, int kind) {
    for (std::size_t i = 0; i < k; ++i) {
      const u64 q = x.base()->modulus(i).value();
      switch (kind) {
        case 0: x.limb(i)[c] = 0; break;
        case 1: x.limb(i)[c] = q - 1; break;
        case 2: x.limb(i)[c] = 1; break;
        case 3: x.limb(i)[c] = (i % 2) ? q - 1 : 0; break;
        default: x.limb(i)[c] = (i % 2) ? 0 : q - 1; break;
      }
    }
  };
  for (int kind = 0; kind < 5; ++kind) {
    set(static_cast<std::size_t>(kind) % n, kind);
    set(n - 1 - static_cast<std::size_t>(kind) % n, (kind + 1) % 5);
  }
}

class PolyBaseConvPaths : public ::testing::TestWithParam<std::tuple<SimdPath, Shape>> {
 protected:
  void SetUp() override { TOWER_SKIP_IF_UNSUPPORTED(std::get<0>(GetParam())); }
};

TEST_P(PolyBaseConvPaths, ApproxAndExactMatchScalarBitForBit) {
  const auto& [path, shape] = GetParam();
  for (std::size_t n : {std::size_t{8}, std::size_t{64}, std::size_t{2048}}) {
    const auto [from, to] = make_bases(shape, n);
    const BaseConverter conv(from, to);
    RnsPoly x(from);
    fill(x);
    RnsPoly approx_ref(to), exact_ref(to);
    {
      test::ScopedSimdPath scoped(SimdPath::scalar);
      approx_ref = conv.convert_approx(x);
      exact_ref = conv.convert_exact(x);
    }
    test::ScopedSimdPath scoped(path);
    const RnsPoly approx = conv.convert_approx(x);
    const RnsPoly exact = conv.convert_exact(x);
    for (std::size_t j = 0; j < to->size(); ++j) {
      for (std::size_t c = 0; c < n; ++c) {
        ASSERT_EQ(approx.limb(j)[c], approx_ref.limb(j)[c]) << "approx n=" << n << " limb " << j << " coeff " << c;
        ASSERT_EQ(exact.limb(j)[c], exact_ref.limb(j)[c]) << "exact n=" << n << " limb " << j << " coeff " << c;
      }
    }
    // The raw-pointer front end agrees with the RnsPoly one.
    std::vector<u64> raw(to->size() * n);
    conv.convert_exact(x.data(), raw.data());
    ASSERT_TRUE(std::equal(raw.begin(), raw.end(), exact.data()));
  }
}

// convert_exact_lazy: in [0, 4 p_j) and congruent to the exact conversion; from
// one source prime below 8 p_j (the lift) and otherwise (convert_exact itself),
// with the values around q/2 where the centred representative changes sign.
TEST_P(PolyBaseConvPaths, ExactLazyIsInRangeAndCongruentToExact) {
  const auto& [path, shape] = GetParam();
  for (std::size_t n : {std::size_t{8}, std::size_t{64}, std::size_t{2048}}) {
    const auto [from, to] = make_bases(shape, n);
    const BaseConverter conv(from, to);
    RnsPoly x(from);
    fill(x);
    if (from->size() == 1) {
      const u64 q = from->modulus(0).value();
      x.limb(0)[2] = q / 2;
      x.limb(0)[3] = q / 2 + 1;
      x.limb(0)[4] = q / 2 - 1;
    }
    RnsPoly exact_ref(to);
    {
      test::ScopedSimdPath scoped(SimdPath::scalar);
      exact_ref = conv.convert_exact(x);
    }
    test::ScopedSimdPath scoped(path);
    std::vector<u64> lazy(to->size() * n);
    conv.convert_exact_lazy(x.data(), lazy.data());
    for (std::size_t j = 0; j < to->size(); ++j) {
      const u64 p = to->modulus(j).value();
      for (std::size_t c = 0; c < n; ++c) {
        const u64 v = lazy[j * n + c];
        ASSERT_LT(static_cast<u128>(v), 4 * static_cast<u128>(p)) << "n=" << n << " limb " << j << " coeff " << c;
        ASSERT_EQ(v % p, exact_ref.limb(j)[c]) << "n=" << n << " limb " << j << " coeff " << c;
      }
    }
    // One target at a time, where the conversion is the lift.
    if (shape.name == "1to15_SealModDown") EXPECT_TRUE(conv.exact_lazy_is_lift());
    if (from->size() > 1) EXPECT_FALSE(conv.exact_lazy_is_lift());
    std::vector<u64> one(n);
    if (conv.exact_lazy_is_lift()) {
      for (std::size_t j = 0; j < to->size(); ++j) {
        conv.convert_exact_lazy_target(x.data(), one.data(), j);
        ASSERT_TRUE(std::equal(one.begin(), one.end(), lazy.begin() + static_cast<std::ptrdiff_t>(j * n))) << j;
      }
      EXPECT_THROW(conv.convert_exact_lazy_target(x.data(), one.data(), to->size()), std::out_of_range);
    } else {
      EXPECT_THROW(conv.convert_exact_lazy_target(x.data(), one.data(), 0), std::logic_error);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(PolyBaseConvPaths, PolyBaseConvPaths,
                         ::testing::Combine(::testing::ValuesIn(test::all_paths()), ::testing::ValuesIn(shapes())),
                         [](const auto& info) {
                           return std::string(to_string(std::get<0>(info.param))) + "_" + std::get<1>(info.param).name;
                         });

// ---- Against GMP. ----

struct Mpz {
  mpz_t v;
  Mpz() { mpz_init(v); }
  ~Mpz() { mpz_clear(v); }
  Mpz(const Mpz&) = delete;
  Mpz& operator=(const Mpz&) = delete;
  void set_words(const std::vector<u64>& w) { mpz_import(v, w.size(), -1, sizeof(u64), 0, 0, w.data()); }
};

class PolyBaseConvGmp : public ::testing::TestWithParam<std::tuple<SimdPath, Shape>> {
 protected:
  void SetUp() override { TOWER_SKIP_IF_UNSUPPORTED(std::get<0>(GetParam())); }
};

TEST_P(PolyBaseConvGmp, ApproxAndExactMatchBigIntegers) {
  const auto& [path, shape] = GetParam();
  test::ScopedSimdPath scoped(path);
  const std::size_t n = 64;
  const auto [from, to] = make_bases(shape, n);
  const BaseConverter conv(from, to);
  RnsPoly x(from);
  fill(x);
  const RnsPoly approx = conv.convert_approx(x);
  const RnsPoly exact = conv.convert_exact(x);
  Mpz Q, half;
  Q.set_words(from->product());
  mpz_fdiv_q_2exp(half.v, Q.v, 1);
  const std::size_t k = from->size();
  for (std::size_t c = 0; c < n; ++c) {
    std::vector<u64> res(k);
    for (std::size_t i = 0; i < k; ++i) res[i] = x.limb(i)[c];
    Mpz val, centred;
    val.set_words(from->compose(res.data()));
    mpz_set(centred.v, val.v);
    if (mpz_cmp(val.v, half.v) >= 0) mpz_sub(centred.v, val.v, Q.v);
    for (std::size_t j = 0; j < to->size(); ++j) {
      const u64 p = to->modulus(j).value();
      ASSERT_EQ(exact.limb(j)[c], mpz_fdiv_ui(centred.v, p)) << "coefficient " << c << " limb " << j;
      bool found = false;
      Mpz cand;
      mpz_set(cand.v, val.v);
      for (std::size_t u = 0; u < k && !found; ++u) {
        found = approx.limb(j)[c] == mpz_fdiv_ui(cand.v, p);
        mpz_add(cand.v, cand.v, Q.v);
      }
      ASSERT_TRUE(found) << "coefficient " << c << " limb " << j;
    }
  }
}

std::vector<Shape> gmp_shapes() {
  std::vector<Shape> out;
  for (const Shape& s : shapes()) {
    for (const char* name : {"1to16_60toMixed", "3to5_Mixed", "11to28_ResNetModUp", "8to31_ResNetModDown",
                             "20to20_Mixed", "20to20_61", "3to5_30"}) {
      if (s.name == name) out.push_back(s);
    }
  }
  return out;
}

INSTANTIATE_TEST_SUITE_P(PolyBaseConvGmp, PolyBaseConvGmp,
                         ::testing::Combine(::testing::ValuesIn(test::all_paths()), ::testing::ValuesIn(gmp_shapes())),
                         [](const auto& info) {
                           return std::string(to_string(std::get<0>(info.param))) + "_" + std::get<1>(info.param).name;
                         });

// So many 61-bit sources that the AVX-512 kernel's 64-bit column bounds no
// longer hold (2k + 1 pieces >= 2^9): it must hand over to the AVX2 kernel and
// still agree with the scalar path.
class PolyBaseConvManySources : public ::testing::TestWithParam<SimdPath> {
 protected:
  void SetUp() override { TOWER_SKIP_IF_UNSUPPORTED(GetParam()); }
};

TEST_P(PolyBaseConvManySources, MatchScalar) {
  const std::size_t n = 16;
  const Shape shape{"256to2", repeat(61, 256), {61, 40}};
  const auto [from, to] = make_bases(shape, n);
  const BaseConverter conv(from, to);
  RnsPoly x(from);
  fill(x);
  RnsPoly approx_ref(to), exact_ref(to);
  {
    test::ScopedSimdPath scoped(SimdPath::scalar);
    approx_ref = conv.convert_approx(x);
    exact_ref = conv.convert_exact(x);
  }
  test::ScopedSimdPath scoped(GetParam());
  EXPECT_EQ(conv.convert_approx(x), approx_ref);
  EXPECT_EQ(conv.convert_exact(x), exact_ref);
}

INSTANTIATE_TEST_SUITE_P(PolyBaseConvManySources, PolyBaseConvManySources, ::testing::ValuesIn(test::all_paths()),
                         [](const auto& info) { return std::string(to_string(info.param)); });

}  // namespace
}  // namespace tower::poly
