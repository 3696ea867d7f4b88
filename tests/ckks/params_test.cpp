// Tests for ckks/params.hpp and ckks/security.hpp: the HE-standard check refuses
// over-bound sets and accepts the standard ones; the opt-out works and is
// recorded; the named sets have the sizes their documentation promises.
#include "ckks/params.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

#include "ckks/context.hpp"
#include "poly/primes.hpp"

namespace tower::ckks {
namespace {

int bits(u64 x) { return 64 - __builtin_clzll(x); }

TEST(CkksSecurity, TableMatchesTheStandard) {
  EXPECT_EQ(max_log_qp(4096, SecurityLevel::tc128), 109);
  EXPECT_EQ(max_log_qp(8192, SecurityLevel::tc128), 218);
  EXPECT_EQ(max_log_qp(16384, SecurityLevel::tc128), 438);
  EXPECT_EQ(max_log_qp(32768, SecurityLevel::tc128), 881);
  EXPECT_EQ(max_log_qp(65536, SecurityLevel::tc128), 1747);
  EXPECT_EQ(max_log_qp(131072, SecurityLevel::tc128), 3523);
  EXPECT_EQ(max_log_qp(32768, SecurityLevel::tc256), 476);
  EXPECT_FALSE(max_log_qp(65536, SecurityLevel::tc192).has_value());
  EXPECT_FALSE(max_log_qp(3000, SecurityLevel::tc128).has_value());
}

TEST(CkksParams, NamedSetsHaveTheDocumentedShape) {
  const Params s13 = Params::seal_8192();
  EXPECT_EQ(s13.n(), 8192u);
  ASSERT_EQ(s13.q().size(), 4u);
  EXPECT_EQ(bits(s13.q()[0]), 43);
  EXPECT_EQ(bits(s13.q()[3]), 44);
  ASSERT_EQ(s13.p().size(), 1u);
  EXPECT_EQ(bits(s13.p()[0]), 44);
  EXPECT_EQ(s13.dnum(), 4u);
  EXPECT_LE(s13.log_qp(), 218.0);
  EXPECT_FALSE(s13.security_waived());

  const Params s14 = Params::seal_16384();
  EXPECT_EQ(s14.q().size(), 8u);
  EXPECT_LE(s14.log_qp(), 438.0);
  const Params s15 = Params::seal_32768();
  EXPECT_EQ(s15.q().size(), 15u);
  EXPECT_EQ(s15.dnum(), 15u);
  EXPECT_EQ(bits(s15.p()[0]), 56);
  EXPECT_LE(s15.log_qp(), 881.0);

  const Params r = Params::resnet_65536();
  EXPECT_EQ(r.n(), 65536u);
  ASSERT_EQ(r.q().size(), 31u);
  EXPECT_EQ(bits(r.q()[0]), 60);
  for (std::size_t i = 1; i < 31; ++i) EXPECT_NEAR(std::log2(static_cast<double>(r.q()[i])), 40.0, 0.01);
  EXPECT_EQ(r.p().size(), 8u);
  for (u64 p : r.p()) EXPECT_EQ(bits(p), 60);
  EXPECT_EQ(r.dnum(), 3u);
  EXPECT_NEAR(r.log_qp(), 1740.0, 1.0);
  EXPECT_LE(r.log_qp(), 1747.0);
  // Every digit is below P, so key switching noise is divided away.
  for (std::size_t j = 0; j < r.dnum(); ++j) {
    double digit = 0;
    for (std::size_t i = r.digit_start(j); i < r.digit_start(j + 1); ++i) digit += std::log2(static_cast<double>(r.q()[i]));
    EXPECT_LT(digit, r.log_p());
  }
}

TEST(CkksParams, OverBoundSetIsRefusedWithTheBoundInTheMessage) {
  ParamsLiteral lit;
  lit.n = 8192;
  lit.q = poly::ntt_primes(55, 8192, 4);  // 220 bits
  lit.p = poly::ntt_primes(50, 8192, 1);  // + 50 = 270 > 218
  try {
    Params::create(lit);
    FAIL() << "accepted an insecure set";
  } catch (const std::invalid_argument& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("218"), std::string::npos) << msg;
    EXPECT_NE(msg.find("270"), std::string::npos) << msg;
  }
  // Opting out works, is recorded, and is visible in the description.
  lit.allow_insecure = true;
  const Params p = Params::create(lit);
  EXPECT_TRUE(p.security_waived());
  EXPECT_NE(p.security_note().find("INSECURE"), std::string::npos);
  EXPECT_NE(p.describe().find("INSECURE"), std::string::npos);
  EXPECT_TRUE(Context::create(p)->params().security_waived());
  // A higher security level tightens the bound.
  ParamsLiteral ok;
  ok.n = 8192;
  ok.q = poly::ntt_primes(40, 8192, 3);
  ok.p = poly::ntt_primes(41, 8192, 1);  // ~161 bits: accepted at 128 (218), refused at 256 (118)
  ok.security = SecurityLevel::tc256;
  EXPECT_THROW(Params::create(ok), std::invalid_argument);
  ok.security = SecurityLevel::tc128;
  EXPECT_NO_THROW(Params::create(ok));
}

TEST(CkksParams, SparseSecretNeedsTheOptOut) {
  ParamsLiteral lit;
  lit.n = 8192;
  lit.q = poly::ntt_primes(40, 8192, 3);
  lit.p = poly::ntt_primes(41, 8192, 1);
  lit.secret = {SecretDistribution::Kind::sparse_ternary, 64};
  EXPECT_THROW(Params::create(lit), std::invalid_argument);
  lit.allow_insecure = true;
  EXPECT_TRUE(Params::create(lit).security_waived());
}

TEST(CkksParams, BadLiteralsAreRefused) {
  ParamsLiteral good;
  good.n = 8192;
  good.q = poly::ntt_primes(40, 8192, 3);
  good.p = poly::ntt_primes(41, 8192, 1);
  EXPECT_NO_THROW(Params::create(good));
  auto refuse = [&](auto mutate) {
    ParamsLiteral lit = good;
    mutate(lit);
    EXPECT_THROW(Params::create(lit), std::invalid_argument);
  };
  refuse([](ParamsLiteral& l) { l.n = 3000; });
  refuse([](ParamsLiteral& l) { l.n = 512; });
  refuse([](ParamsLiteral& l) { l.q.clear(); });
  refuse([](ParamsLiteral& l) { l.p.clear(); });
  refuse([](ParamsLiteral& l) { l.q[1] = l.q[0]; });                 // repeated
  refuse([](ParamsLiteral& l) { l.q[1] = 1000003; });                // not NTT-friendly
  refuse([](ParamsLiteral& l) { l.q[1] = 16385 * 2 * 8192 + 1 - 2 * 8192; });  // 1 mod 2n but composite
  refuse([](ParamsLiteral& l) { l.dnum = 4; });                      // more digits than primes
  refuse([](ParamsLiteral& l) { l.scale = std::exp2(45); });        // scale above q_0
  refuse([](ParamsLiteral& l) { l.secret = {SecretDistribution::Kind::sparse_ternary, 0}; });
  EXPECT_THROW(Params::choose(16384, 5, 10, 60, 2), std::invalid_argument);
  EXPECT_THROW(Params::choose(16384, 5, 40, 60, 7), std::invalid_argument);
}

TEST(CkksParams, DefaultDnumKeepsDigitsBelowP) {
  ParamsLiteral lit;
  lit.n = 16384;
  lit.q = {poly::ntt_primes(60, 16384, 1)[0]};
  const auto r = poly::ntt_primes_near(std::uint64_t{1} << 40, 16384, 6, lit.q);
  lit.q.insert(lit.q.end(), r.begin(), r.end());
  lit.p = poly::ntt_primes(59, 16384, 2);  // log P ~ 118: digits of <= 2 primes (<= 100 bits)
  const Params p = Params::create(lit);
  EXPECT_EQ(p.dnum(), 4u);  // 7 primes -> 2+2+2+1
  EXPECT_EQ(p.digit_start(1), 2u);
  EXPECT_EQ(p.digit_start(4), 7u);
}

}  // namespace
}  // namespace tower::ckks
