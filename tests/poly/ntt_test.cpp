// Tests for poly/ntt.hpp.
//  * The reference transform equals the definition a(psi^(2 brv(i) + 1)).
//  * Products through every kernel equal NTL's product in Z_q[X]/(X^N + 1).
//  * Every SIMD kernel is bit-identical to the scalar kernel, including on edge
//    values and on inputs in the lazy ranges; inverse(forward(a)) == a.
//  * The AVX-512 kernels as a CPU without IFMA runs them are bit-identical to
//    the scalar kernel too (on this project's IFMA machines the dispatched ones
//    take the IFMA engines).
#include "poly/ntt.hpp"

#include <NTL/ZZ_pX.h>
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <tuple>

#include "poly/ntt_kernels.hpp"
#include "poly/primes.hpp"
#include "test_util.hpp"

namespace tower::poly {
namespace {

AlignedVector aligned(const std::vector<u64>& v) { return AlignedVector(v.begin(), v.end()); }

TEST(PolyNttReference, MatchesTheDefinition) {
  for (std::size_t n : {8, 16, 64}) {
    const u64 q = ntt_primes(40, n, 1)[0];
    const NttTables t(n, Modulus(q));
    const Modulus m(q);
    auto a = test::insecure_uniform(n, q);
    auto out = aligned(a);
    ntt_forward_reference(out.data(), t);
    for (std::size_t i = 0; i < n; ++i) {
      const u64 x = m.pow(t.root(), 2 * bit_reverse(i, t.log_n()) + 1);
      u64 acc = 0, xp = 1;
      for (std::size_t j = 0; j < n; ++j) {
        acc = m.add(acc, m.mul(a[j], xp));
        xp = m.mul(xp, x);
      }
      ASSERT_EQ(out[i], acc) << "n=" << n << " i=" << i;
    }
    ntt_inverse_reference(out.data(), t);
    ASSERT_EQ(std::vector<u64>(out.begin(), out.end()), a);
  }
}

// (log2 N, prime bits, path)
using NttParam = std::tuple<int, int, SimdPath>;

class PolyNttPaths : public ::testing::TestWithParam<NttParam> {
 protected:
  void SetUp() override {
    TOWER_SKIP_IF_UNSUPPORTED(std::get<2>(GetParam()));
    n_ = std::size_t{1} << std::get<0>(GetParam());
    q_ = ntt_primes(std::get<1>(GetParam()), n_, 1)[0];
    tables_ = std::make_unique<NttTables>(n_, Modulus(q_));
  }
  SimdPath path() const { return std::get<2>(GetParam()); }
  std::size_t n_ = 0;
  u64 q_ = 0;
  std::unique_ptr<NttTables> tables_;
};

TEST_P(PolyNttPaths, NegacyclicProductMatchesNtl) {
  const auto a = test::insecure_uniform(n_, q_);
  const auto b = test::insecure_uniform(n_, q_);
  auto fa = aligned(a), fb = aligned(b);
  ntt_forward(fa.data(), *tables_, path());
  ntt_forward(fb.data(), *tables_, path());
  const Modulus m(q_);
  for (std::size_t i = 0; i < n_; ++i) fa[i] = m.mul(fa[i], fb[i]);
  ntt_inverse(fa.data(), *tables_, path());

  NTL::ZZ_pPush push;
  NTL::ZZ qz;
  NTL::conv(qz, static_cast<unsigned long>(q_));
  NTL::ZZ_p::init(qz);
  NTL::ZZ_pX pa, pb, modulus;
  for (std::size_t i = 0; i < n_; ++i) {
    NTL::SetCoeff(pa, static_cast<long>(i), NTL::conv<NTL::ZZ_p>(static_cast<unsigned long>(a[i])));
    NTL::SetCoeff(pb, static_cast<long>(i), NTL::conv<NTL::ZZ_p>(static_cast<unsigned long>(b[i])));
  }
  NTL::SetCoeff(modulus, static_cast<long>(n_), 1);
  NTL::SetCoeff(modulus, 0, 1);
  const NTL::ZZ_pX prod = (pa * pb) % modulus;
  for (std::size_t i = 0; i < n_; ++i) {
    const u64 expect = NTL::conv<unsigned long>(NTL::rep(NTL::coeff(prod, static_cast<long>(i))));
    ASSERT_EQ(fa[i], expect) << "coefficient " << i;
  }
}

TEST_P(PolyNttPaths, BitIdenticalToScalarOnRandomAndEdgeInputs) {
  std::vector<std::vector<u64>> inputs;
  inputs.push_back(test::insecure_uniform(n_, q_));
  inputs.push_back(std::vector<u64>(n_, 0));
  inputs.push_back(std::vector<u64>(n_, 1));
  inputs.push_back(std::vector<u64>(n_, q_ - 1));
  std::vector<u64> mixed(n_);
  for (std::size_t i = 0; i < n_; ++i) mixed[i] = (i % 3 == 0) ? 0 : (i % 3 == 1) ? 1 : q_ - 1;
  inputs.push_back(mixed);
  // Lazy range of the forward transform: [0, 4q), including its top.
  auto lazy = test::insecure_uniform(n_, 4 * q_);
  lazy[0] = 4 * q_ - 1;
  lazy[1] = 2 * q_;
  inputs.push_back(lazy);
  for (const auto& in : inputs) {
    auto s = aligned(in), v = aligned(in);
    ntt_forward(s.data(), *tables_, SimdPath::scalar);
    ntt_forward(v.data(), *tables_, path());
    ASSERT_EQ(v, s) << "forward";
    for (u64 x : v) ASSERT_LT(x, q_);
    // Also check against the reference on the reduced input.
    auto r = aligned(in);
    for (auto& x : r) x %= q_;
    ntt_forward_reference(r.data(), *tables_);
    ASSERT_EQ(v, r) << "forward vs reference";
  }
  // Inverse, with inputs in its lazy range [0, 2q).
  for (const auto& in : {test::insecure_uniform(n_, q_), test::insecure_uniform(n_, 2 * q_),
                         std::vector<u64>(n_, 2 * q_ - 1), std::vector<u64>(n_, q_ - 1)}) {
    auto s = aligned(in), v = aligned(in);
    ntt_inverse(s.data(), *tables_, SimdPath::scalar);
    ntt_inverse(v.data(), *tables_, path());
    ASSERT_EQ(v, s) << "inverse";
    auto r = aligned(in);
    for (auto& x : r) x %= q_;
    ntt_inverse_reference(r.data(), *tables_);
    ASSERT_EQ(v, r) << "inverse vs reference";
  }
}

TEST_P(PolyNttPaths, OutOfPlaceForwardMatchesInPlaceAndKeepsItsInput) {
  // The whole input range [0, 4q), top included: the out-of-place kernel's first
  // pass reads these values directly.
  auto lazy = test::insecure_uniform(n_, 4 * q_);
  lazy[0] = 4 * q_ - 1;
  lazy[n_ - 1] = 4 * q_ - 1;
  const auto in = aligned(lazy);
  auto expect = aligned(lazy);
  ntt_forward(expect.data(), *tables_, SimdPath::scalar);
  auto out = aligned(std::vector<u64>(n_, 0));
  ntt_forward(out.data(), in.data(), *tables_, path());
  ASSERT_EQ(out, expect);
  ASSERT_EQ(std::vector<u64>(in.begin(), in.end()), lazy) << "the input was modified";
  auto same = aligned(lazy);
  ntt_forward(same.data(), same.data(), *tables_, path());  // in == out is in place
  ASSERT_EQ(same, expect);
}

// ntt_forward_lazy: every output below 2^63 and congruent to the reference
// transform's, from inputs over the whole range [0, 4q) (the largest growth);
// out of place and in place. Where the AVX-512 growing engine runs (51..56-bit
// primes, n >= 2^8) the last reduction is really skipped: some output is >= q.
TEST_P(PolyNttPaths, LazyForwardIsCongruentAndBelow2To63) {
  std::vector<std::vector<u64>> inputs{test::insecure_uniform(n_, 4 * q_), std::vector<u64>(n_, 4 * q_ - 1)};
  inputs[0][0] = 4 * q_ - 1;
  for (const auto& v : inputs) {
    const auto in = aligned(v);
    auto ref = aligned(v);
    for (auto& x : ref) x %= q_;
    ntt_forward_reference(ref.data(), *tables_);
    auto out = aligned(std::vector<u64>(n_, 0));
    ntt_forward_lazy(out.data(), in.data(), *tables_, path());
    ASSERT_EQ(std::vector<u64>(in.begin(), in.end()), v) << "the input was modified";
    auto same = aligned(v);
    ntt_forward_lazy(same.data(), same.data(), *tables_, path());
    ASSERT_EQ(same, out) << "in place";
    bool unreduced = false;
    for (std::size_t i = 0; i < n_; ++i) {
      ASSERT_LT(out[i], u64{1} << 63) << "i=" << i;
      ASSERT_EQ(out[i] % q_, ref[i]) << "i=" << i;
      unreduced = unreduced || out[i] >= q_;
    }
    const int bits = std::get<1>(GetParam());
    if (path() == SimdPath::avx512 && bits > 50 && bits <= 56 && n_ >= 256) EXPECT_TRUE(unreduced);
  }
}

TEST_P(PolyNttPaths, OutOfPlaceInverseMatchesInPlaceAndKeepsItsInput) {
  // The inverse's whole input range [0, 2q), top included: the out-of-place
  // kernel's first pass reads these values directly.
  auto lazy = test::insecure_uniform(n_, 2 * q_);
  lazy[0] = 2 * q_ - 1;
  lazy[n_ - 1] = 2 * q_ - 1;
  const auto in = aligned(lazy);
  auto expect = aligned(lazy);
  ntt_inverse(expect.data(), *tables_, SimdPath::scalar);
  auto out = aligned(std::vector<u64>(n_, 0));
  ntt_inverse(out.data(), in.data(), *tables_, path());
  ASSERT_EQ(out, expect);
  ASSERT_EQ(std::vector<u64>(in.begin(), in.end()), lazy) << "the input was modified";
  auto same = aligned(lazy);
  ntt_inverse(same.data(), same.data(), *tables_, path());  // in == out is in place
  ASSERT_EQ(same, expect);
}

TEST_P(PolyNttPaths, InverseUndoesForward) {
  const auto a = test::insecure_uniform(n_, q_);
  auto v = aligned(a);
  ntt_forward(v.data(), *tables_, path());
  ntt_inverse(v.data(), *tables_, path());
  ASSERT_EQ(std::vector<u64>(v.begin(), v.end()), a);
}

std::string name(const ::testing::TestParamInfo<NttParam>& info) {
  return "N" + std::to_string(1 << std::get<0>(info.param)) + "_q" + std::to_string(std::get<1>(info.param)) + "_" +
         std::string(to_string(std::get<2>(info.param)));
}

// Prime sizes at every engine boundary of the AVX-512 kernels: 49/50 (IFMA52 up
// to 50 bits, then the 64-bit engine with an IFMA quotient), 40/41 and 56/57
// (the 64-bit engine without reductions between stages serves 41..56 bits;
// 41..50 only on CPUs without IFMA), 60/61 (lazy bound 4q up to 60 bits).
// N = 2^17 with 56-bit primes is the largest growth
// of that engine's values (below 72q before the last stage's reduction).
INSTANTIATE_TEST_SUITE_P(PolyNttSmall, PolyNttPaths,
                         ::testing::Combine(::testing::Values(3, 4, 5, 10, 12),
                                            ::testing::Values(30, 40, 41, 49, 50, 55, 56, 57, 60, 61),
                                            ::testing::ValuesIn(test::all_paths())),
                         name);
INSTANTIATE_TEST_SUITE_P(PolyNttLarge, PolyNttPaths,
                         ::testing::Combine(::testing::Values(14, 17), ::testing::Values(30, 50, 56, 60),
                                            ::testing::ValuesIn(test::all_paths())),
                         name);

// The kernels of AVX-512 CPUs without IFMA (the 64-bit engine with the
// vpmuludq quotient at every prime size), run here whatever the CPU has:
// forward and inverse bit-identical to the scalar kernel, in place and out of
// place, on random inputs over the whole lazy ranges and at their tops; the
// lazy forward congruent to it and below 2^63.
TEST(PolyNttAvx512WithoutIfma, BitIdenticalToScalar) {
  TOWER_SKIP_IF_UNSUPPORTED(SimdPath::avx512);
  for (int bits : {30, 41, 50, 51, 55, 56, 57, 60, 61}) {
    for (int log_n : {4, 7, 8, 12, 17}) {
      const std::size_t n = std::size_t{1} << log_n;
      const u64 q = ntt_primes(bits, n, 1)[0];
      const NttTables t(n, Modulus(q));
      SCOPED_TRACE("bits " + std::to_string(bits) + ", n " + std::to_string(n));
      auto in = test::insecure_uniform(n, 4 * q);
      in[0] = 4 * q - 1;
      auto expect = aligned(in);
      ntt_forward(expect.data(), t, SimdPath::scalar);
      auto out = aligned(std::vector<u64>(n, 0)), same = aligned(in);
      detail::ntt_forward_avx512_without_ifma(out.data(), aligned(in).data(), t);
      detail::ntt_forward_avx512_without_ifma(same.data(), same.data(), t);
      ASSERT_EQ(out, expect) << "forward";
      ASSERT_EQ(same, expect) << "forward in place";
      detail::ntt_forward_avx512_lazy_without_ifma(out.data(), aligned(in).data(), t);
      for (std::size_t i = 0; i < n; ++i) {
        ASSERT_LT(out[i], u64{1} << 63) << "lazy, i=" << i;
        ASSERT_EQ(out[i] % q, expect[i]) << "lazy, i=" << i;
      }
      auto inv_in = test::insecure_uniform(n, 2 * q);
      inv_in[1] = 2 * q - 1;
      auto inv_expect = aligned(inv_in);
      ntt_inverse(inv_expect.data(), t, SimdPath::scalar);
      auto inv = aligned(inv_in);
      detail::ntt_inverse_avx512_without_ifma(inv.data(), inv.data(), t);
      ASSERT_EQ(inv, inv_expect) << "inverse";
    }
  }
}

TEST(PolyNttErrors, PartlyOverlappingOutOfPlaceArraysThrow) {
  const std::size_t n = 1024;
  const NttTables t(n, Modulus(ntt_primes(40, n, 1)[0]));
  AlignedVector buf(2 * n, 1);
  for (const SimdPath p : test::supported_paths()) {
    EXPECT_THROW(ntt_forward(buf.data() + 8, buf.data(), t, p), std::invalid_argument);
    EXPECT_THROW(ntt_forward(buf.data(), buf.data() + n - 1, t, p), std::invalid_argument);
    EXPECT_NO_THROW(ntt_forward(buf.data() + n, buf.data(), t, p));  // adjacent, disjoint
    EXPECT_THROW(ntt_inverse(buf.data() + 8, buf.data(), t, p), std::invalid_argument);
    EXPECT_THROW(ntt_inverse(buf.data(), buf.data() + n - 1, t, p), std::invalid_argument);
    EXPECT_NO_THROW(ntt_inverse(buf.data() + n, buf.data(), t, p));
  }
}

TEST(PolyNttErrors, BadTablesThrow) {
  const u64 q = ntt_primes(40, 1024, 1)[0];
  EXPECT_THROW(NttTables(1000, Modulus(q)), std::invalid_argument);            // not a power of two
  EXPECT_THROW(NttTables(4, Modulus(q)), std::invalid_argument);               // too small
  EXPECT_THROW(NttTables(std::size_t{1} << 18, Modulus(q)), std::invalid_argument);  // too large
  EXPECT_THROW(NttTables(1024, Modulus(3 * 2048 + 1)), std::invalid_argument);  // 1 mod 2n but 5 * 1229
  EXPECT_THROW(NttTables(1024, Modulus(1000003)), std::invalid_argument);      // prime, not 1 mod 2048
}

TEST(PolyNttErrors, UnsupportedPathIsAClearError) {
  EXPECT_THROW(parse_simd_path("sse9"), std::invalid_argument);
  if (test::supported_paths().size() == test::all_paths().size()) GTEST_SKIP() << "this CPU runs every path";
  for (auto p : test::all_paths()) {
    if (simd_path_supported(p)) continue;
    const u64 q = ntt_primes(40, 16, 1)[0];
    NttTables t(16, Modulus(q));
    AlignedVector v(16, 0);
    EXPECT_THROW(ntt_forward(v.data(), t, p), std::runtime_error);
  }
}

}  // namespace
}  // namespace tower::poly
