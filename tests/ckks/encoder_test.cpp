// Tests for ckks/encoder.hpp: the special FFT against a direct O(N^2) evaluation
// of the integer polynomial at zeta^(5^j) in long double, the exact CRT
// reconstruction of decode against GMP, round trips, constants, the slot
// convention under the automorphisms X -> X^5 (rotation) and X -> X^(2N-1)
// (conjugation), and the documented exceptions.
//
// Precision floors (bits = -log2 of the largest absolute slot error):
//  * Encoding rounds each of the N coefficients to an integer, an error e_k
//    uniform in [-1/2, 1/2] (variance 1/12). A slot's error is
//    (1/Delta) * sum_k e_k zeta^(...): variance N/12 / Delta^2, and the largest of
//    the N/2 slots is about sqrt(N/12 * ln(N/2)) / Delta, i.e. log2(Delta) -
//    log2(N)/2 + 0.3 bits for N = 2^10..2^13. The floor log2(Delta) - log2(N)/2 - 2
//    leaves a factor of about 3 for the tail of the maximum (the same precision
//    SEAL's encoder achieves; e.g. 31.5 bits at N = 2^13, Delta = 2^40).
//  * The floating-point FFT adds a relative error of a few log2(N) * 2^-53 of
//    the values (|z| <= sqrt 2): at most about 2^-47 here, so floors are capped
//    at kFftBits = 45 bits whatever the scale (Delta = 2^66 and 2^80).
#include "ckks/encoder.hpp"

#include <gmp.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <limits>
#include <memory>
#include <numbers>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "ckks/context.hpp"
#include "ckks/params.hpp"
#include "poly/automorphism.hpp"
#include "poly/primes.hpp"
#include "test_util.hpp"

namespace tower::ckks {
namespace {

using cplx = std::complex<double>;
using cplxl = std::complex<long double>;

constexpr double kFftBits = 45;

// insecure_ test parameters: N = 2^10..2^12 with `count` primes of `bits` bits
// and one 60-bit (59 when bits = 60) special prime are far over the HE-standard bound for N, so the
// security check is waived (allow_insecure); fine for testing the encoding.
std::shared_ptr<const Context> insecure_context(std::size_t n, int bits, std::size_t count) {
  ParamsLiteral lit;
  lit.n = n;
  lit.q = poly::ntt_primes(bits, n, count);
  lit.p = poly::ntt_primes(bits == 60 ? 59 : 60, n, 1);  // distinct from the q_i
  lit.scale = std::ldexp(1.0, bits - 5);  // the default scale must stay below q_0 (unused by the encoder)
  lit.allow_insecure = true;
  return Context::create(Params::create(lit));
}

std::vector<cplx> insecure_complex(std::size_t n, bool real_only = false) {
  std::uniform_real_distribution<double> d(-1.0, 1.0);
  std::vector<cplx> z(n);
  for (auto& x : z) {
    const double re = d(test::insecure_rng());
    x = {re, real_only ? 0.0 : d(test::insecure_rng())};
  }
  return z;
}

// -log2 of the largest |a_j - b_j| (infinity when equal).
double precision_bits(const std::vector<cplx>& a, const std::vector<cplx>& b) {
  EXPECT_EQ(a.size(), b.size());
  double m = 0;
  for (std::size_t j = 0; j < a.size() && j < b.size(); ++j) m = std::max(m, std::abs(a[j] - b[j]));
  return m == 0 ? 1e9 : -std::log2(m);
}

double floor_bits(std::size_t n, double scale) {
  return std::min(std::log2(scale) - 0.5 * std::log2(static_cast<double>(n)) - 2, kFftBits);
}

// RAII mpz_t.
struct Mpz {
  mpz_t v;
  Mpz() { mpz_init(v); }
  ~Mpz() { mpz_clear(v); }
  Mpz(const Mpz&) = delete;
  Mpz& operator=(const Mpz&) = delete;
};

// An integer as a long double: its top 128 bits, exactly, rounded once
// (relative error 2^-64; long double's range covers any Q here).
long double to_long_double(const mpz_t x) {
  const long sign = mpz_sgn(x);
  if (sign == 0) return 0.0L;
  Mpz top;
  mpz_abs(top.v, x);
  const long bits = static_cast<long>(mpz_sizeinbase(top.v, 2));
  const long shift = bits > 128 ? bits - 128 : 0;
  mpz_fdiv_q_2exp(top.v, top.v, static_cast<mp_bitcnt_t>(shift));
  Mpz hi;
  mpz_fdiv_q_2exp(hi.v, top.v, 64);
  const auto lo_word = static_cast<unsigned long>(mpz_getlimbn(top.v, 0));  // 64-bit limbs
  const auto hi_word = static_cast<unsigned long>(mpz_get_ui(hi.v));
  const long double v = std::ldexp(static_cast<long double>(hi_word), 64) + static_cast<long double>(lo_word);
  return std::ldexp(sign < 0 ? -v : v, static_cast<int>(shift));
}

// The integer coefficients of a plaintext, reconstructed independently of the
// encoder: INTT, RnsBase::compose, centring with GMP; as long doubles.
std::vector<long double> centred_coefficients(const Plaintext& plain) {
  poly::RnsPoly p = plain.poly();
  if (p.is_evaluation()) p.to_coefficient();
  const poly::RnsBase& base = *p.base();
  Mpz q, half, x;
  const auto& qw = base.product();
  mpz_import(q.v, qw.size(), -1, sizeof(u64), 0, 0, qw.data());
  mpz_fdiv_q_2exp(half.v, q.v, 1);
  std::vector<long double> out(p.n());
  std::vector<u64> res(p.size());
  for (std::size_t j = 0; j < p.n(); ++j) {
    for (std::size_t i = 0; i < p.size(); ++i) res[i] = p.limb(i)[j];
    const auto w = base.compose(res.data());
    mpz_import(x.v, w.size(), -1, sizeof(u64), 0, 0, w.data());
    if (mpz_cmp(x.v, half.v) > 0) mpz_sub(x.v, x.v, q.v);
    out[j] = to_long_double(x.v);
  }
  return out;
}

// m(zeta^(5^j)) for j < N/2, directly (O(N^2)), in long double.
std::vector<cplxl> evaluate_at_slots(const std::vector<long double>& m) {
  const std::size_t n = m.size(), two_n = 2 * n;
  std::vector<cplxl> root(two_n);
  for (std::size_t t = 0; t < two_n; ++t) {
    const long double a = std::numbers::pi_v<long double> * static_cast<long double>(t) / static_cast<long double>(n);
    root[t] = {std::cos(a), std::sin(a)};
  }
  std::vector<cplxl> z(n / 2);
  std::size_t g = 1;  // 5^j mod 2N
  for (std::size_t j = 0; j < n / 2; ++j) {
    cplxl s = 0;
    for (std::size_t k = 0; k < n; ++k) s += m[k] * root[(g * k) % two_n];
    z[j] = s;
    g = (g * 5) % two_n;
  }
  return z;
}

// ---------------------------------------------------------------------------
// 1. Independent reference: the plaintext's integers evaluated directly.

TEST(CkksEncoderReference, EncodeMatchesDirectEvaluationAtPowersOfFive) {
  const std::size_t n = 1024;
  const auto ctx = insecure_context(n, 50, 3);
  const Encoder enc(ctx);
  // (level, scale): 2^80 at level 2 (150 bits) makes every coefficient > 2^63.
  for (auto [level, log_scale] : {std::pair<std::size_t, int>{0, 30}, {0, 40}, {2, 40}, {2, 80}}) {
    const double scale = std::ldexp(1.0, log_scale);
    const auto z = insecure_complex(n / 2);
    const Plaintext pt = enc.encode(z, level, scale);
    ASSERT_TRUE(pt.poly().is_evaluation());
    ASSERT_EQ(pt.level(), level);
    ASSERT_EQ(pt.scale(), scale);
    auto m = centred_coefficients(pt);
    for (auto& c : m) c /= scale;
    const auto ref = evaluate_at_slots(m);
    std::vector<cplx> got(ref.size());
    for (std::size_t j = 0; j < ref.size(); ++j) got[j] = {static_cast<double>(ref[j].real()), static_cast<double>(ref[j].imag())};
    const double bits = precision_bits(got, z);
    EXPECT_GE(bits, floor_bits(n, scale)) << "level " << level << " scale 2^" << log_scale;
  }
}

TEST(CkksEncoderReference, DecodeOfRandomPolynomialMatchesDirectEvaluation) {
  // Uniformly random residues: coefficients anywhere in (-Q/2, Q/2], so the
  // exact CRT, the centring and the conversion to floating point are all
  // exercised. Relative error floor: the decoder's coefficients are within 2^-63
  // relative, the FFT adds log2(N) * 2^-53: 2^-45 of the largest slot is ample.
  // The scale keeps the slots (about Q * sqrt(N) / scale) within double range.
  // Chains of 4 x 50, 31 x 40 (as resnet_65536's rescaling primes) and 31 x 60
  // bits (Q just above 29 words: the accumulator's top word is nearly full).
  const std::size_t n = 1024;
  struct Case {
    int bits;
    std::size_t count;
    std::vector<std::size_t> levels;
  };
  for (const Case& cs : {Case{50, 4, {0, 1, 3}}, Case{40, 31, {2, 30}}, Case{60, 31, {30}}}) {
  const auto ctx = insecure_context(n, cs.bits, cs.count);
  const Encoder enc(ctx);
  for (std::size_t level : cs.levels) {
    const double log_q = static_cast<double>(cs.bits) * static_cast<double>(level + 1);
    const double scale = std::ldexp(1.0, std::clamp(static_cast<int>(log_q) - 200, 0, 1000));
    Plaintext pt(ctx, level, scale);
    poly::RnsPoly& p = pt.poly();
    for (std::size_t i = 0; i < p.size(); ++i) {
      const auto v = test::insecure_uniform(n, p.base()->modulus(i).value());
      std::copy(v.begin(), v.end(), p.limb(i));
    }
    auto m = centred_coefficients(pt);
    for (auto& c : m) c /= scale;
    const auto ref = evaluate_at_slots(m);
    const auto got = enc.decode(pt);
    long double biggest = 0, err = 0;
    for (std::size_t j = 0; j < ref.size(); ++j) {
      biggest = std::max(biggest, std::abs(ref[j]));
      err = std::max(err, std::abs(ref[j] - cplxl(got[j].real(), got[j].imag())));
    }
    EXPECT_LE(static_cast<double>(err / biggest), std::ldexp(1.0, -45)) << cs.bits << "-bit primes, level " << level;
  }
  }
}

TEST(CkksEncoderReference, DecodeCentresExactlyAtTheBoundaries) {
  // The constant polynomial x decodes to x / scale in every slot, exactly up to
  // the final rounding to double: x at +-(Q-1)/2 (the ends of the centred
  // range), 0, +-1, and values around 2^64, 2^70, 2^127, 2^128 and 2^150, at
  // every level where they fit.
  const std::size_t n = 1024;
  const auto ctx = insecure_context(n, 50, 4);
  const Encoder enc(ctx);
  for (std::size_t level = 0; level <= ctx->max_level(); ++level) {
    const poly::RnsBase& base = *ctx->q_base(level);
    Mpz q, half;
    mpz_import(q.v, base.product().size(), -1, sizeof(u64), 0, 0, base.product().data());
    mpz_fdiv_q_2exp(half.v, q.v, 1);
    for (int which = 0; which < 16; ++which) {
      Mpz x;
      switch (which) {
        case 0: mpz_set(x.v, half.v); break;
        case 1: mpz_neg(x.v, half.v); break;
        case 2: mpz_set_si(x.v, 0); break;
        case 3: mpz_set_si(x.v, 1); break;
        case 4: mpz_set_si(x.v, -1); break;
        case 5: mpz_ui_pow_ui(x.v, 2, 64); mpz_add_ui(x.v, x.v, 3); break;
        case 6: mpz_ui_pow_ui(x.v, 2, 70); mpz_neg(x.v, x.v); break;
        case 7: mpz_sub_ui(x.v, half.v, 12345); mpz_neg(x.v, x.v); break;
        // Around 2^127 and 2^128, where the decoder's 128-bit fast path ends.
        case 8: mpz_ui_pow_ui(x.v, 2, 127); mpz_sub_ui(x.v, x.v, 1); break;
        case 9: mpz_ui_pow_ui(x.v, 2, 127); break;
        case 10: mpz_ui_pow_ui(x.v, 2, 127); mpz_neg(x.v, x.v); break;
        case 11: mpz_ui_pow_ui(x.v, 2, 127); mpz_add_ui(x.v, x.v, 1); mpz_neg(x.v, x.v); break;
        case 12: mpz_ui_pow_ui(x.v, 2, 128); mpz_add_ui(x.v, x.v, 5); break;
        case 13: mpz_ui_pow_ui(x.v, 2, 128); mpz_sub_ui(x.v, x.v, 5); mpz_neg(x.v, x.v); break;
        case 14: mpz_ui_pow_ui(x.v, 2, 64); mpz_neg(x.v, x.v); break;
        default: mpz_ui_pow_ui(x.v, 2, 150); mpz_add_ui(x.v, x.v, 1); break;
      }
      if (mpz_cmpabs(x.v, half.v) > 0) continue;  // does not fit at this level
      Plaintext pt(ctx, level, 1.0);
      poly::RnsPoly& p = pt.poly();
      p.set_form(poly::PolyForm::coefficient);
      for (std::size_t i = 0; i < p.size(); ++i) p.limb(i)[0] = mpz_fdiv_ui(x.v, base.modulus(i).value());
      p.to_evaluation();
      const double expect = mpz_get_d(x.v);  // truncation; within 1 ulp of the exact value
      const auto z = enc.decode(pt);
      for (std::size_t j = 0; j < z.size(); j += 97) {
        ASSERT_NEAR(z[j].real(), expect, std::fabs(expect) * 0x1p-51) << "level " << level << " case " << which;
        ASSERT_EQ(z[j].imag(), 0.0);
      }
    }
  }
}

// ---------------------------------------------------------------------------
// 2. Round trips.

struct RoundTripCase {
  std::size_t n;
  std::size_t level;
  int log_scale;
};

class CkksEncoderRoundTrip : public ::testing::TestWithParam<RoundTripCase> {};

TEST_P(CkksEncoderRoundTrip, DecodeEncodeIsIdentityWithinPrecision) {
  const auto c = GetParam();
  // Four 50-bit primes: level 0 (50 bits) holds scales up to 2^40, level 3 (200
  // bits) holds 2^66 (coefficients around 2^63, both conversion paths) and 2^80.
  const auto ctx = insecure_context(c.n, 50, 4);
  const Encoder enc(ctx);
  const double scale = std::ldexp(1.0, c.log_scale);
  for (bool real_only : {false, true}) {
    const auto z = insecure_complex(c.n / 2, real_only);
    const Plaintext pt = real_only ? enc.encode([&] {
      std::vector<double> r(z.size());
      for (std::size_t j = 0; j < z.size(); ++j) r[j] = z[j].real();
      return r;
    }(), c.level, scale)
                                   : enc.encode(z, c.level, scale);
    const auto back = enc.decode(pt);
    const double bits = precision_bits(back, z);
    EXPECT_GE(bits, floor_bits(c.n, scale)) << (real_only ? "real" : "complex");
    if (real_only) {
      const auto re = enc.decode_real(pt);
      ASSERT_EQ(re.size(), back.size());
      for (std::size_t j = 0; j < re.size(); ++j) ASSERT_EQ(re[j], back[j].real());
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    CkksSmallN, CkksEncoderRoundTrip,
    ::testing::Values(RoundTripCase{1024, 0, 30}, RoundTripCase{1024, 0, 40}, RoundTripCase{1024, 3, 40},
                      RoundTripCase{1024, 3, 66}, RoundTripCase{1024, 3, 80}, RoundTripCase{2048, 0, 40},
                      RoundTripCase{2048, 3, 30}, RoundTripCase{2048, 3, 80}, RoundTripCase{4096, 0, 30},
                      RoundTripCase{4096, 0, 40}, RoundTripCase{4096, 3, 66}, RoundTripCase{4096, 3, 80}),
    [](const ::testing::TestParamInfo<RoundTripCase>& info) {
      return "N" + std::to_string(info.param.n) + "_L" + std::to_string(info.param.level) + "_S" +
             std::to_string(info.param.log_scale);
    });

TEST(CkksEncoderRoundTripSeal, Seal8192AtEveryLevel) {
  const auto ctx = Context::create(Params::seal_8192());
  const Encoder enc(ctx);
  EXPECT_EQ(enc.slots(), 4096u);
  const double scale = std::ldexp(1.0, 40);
  for (std::size_t level = 0; level <= ctx->max_level(); ++level) {
    const auto z = insecure_complex(enc.slots());
    const double bits = precision_bits(enc.decode(enc.encode(z, level, scale)), z);
    EXPECT_GE(bits, floor_bits(8192, scale)) << "level " << level;
  }
}

TEST(CkksEncoderRoundTripSeal, ThirtyOnePrimesAtTheTopLevel) {
  // 31 primes of 40 bits (the shape of resnet_65536's chain, at N = 2^11): the
  // decoder's 21-word reconstruction at level 30, scales 2^40 and 2^80.
  const std::size_t n = 2048;
  const auto ctx = insecure_context(n, 40, 31);
  const Encoder enc(ctx);
  for (int log_scale : {40, 80}) {
    const double scale = std::ldexp(1.0, log_scale);
    for (std::size_t level : {std::size_t{1}, std::size_t{30}}) {
      const auto z = insecure_complex(n / 2);
      const double bits = precision_bits(enc.decode(enc.encode(z, level, scale)), z);
      EXPECT_GE(bits, floor_bits(n, scale)) << "level " << level << " scale 2^" << log_scale;
    }
  }
}

TEST(CkksEncoderRoundTripSeal, ShortInputsArePaddedWithZeros) {
  const auto ctx = Context::create(Params::seal_8192());
  const Encoder enc(ctx);
  const double scale = std::ldexp(1.0, 40);
  const std::vector<cplx> z = {{0.5, -0.25}, {1.0, 0.0}, {-3.0, 2.0}};
  const auto back = enc.decode(enc.encode(z, 2, scale));
  ASSERT_EQ(back.size(), enc.slots());
  std::vector<cplx> padded(enc.slots(), 0.0);
  std::copy(z.begin(), z.end(), padded.begin());
  EXPECT_GE(precision_bits(back, padded), floor_bits(8192, scale));
  // An empty vector encodes zero.
  const auto zero = enc.decode(enc.encode(std::vector<cplx>{}, 0, scale));
  for (const auto& x : zero) ASSERT_EQ(x, cplx(0.0, 0.0));
}

// ---------------------------------------------------------------------------
// 3. Constants.

TEST(CkksEncoderConstant, DecodesToTheConstantInEverySlot) {
  // a + b X^(N/2) with a = round(Re * Delta), b = round(Im * Delta): every slot is
  // (a + i b) / Delta, within 2^-(log2 Delta + 1) of the value, plus the FFT's
  // relative 2^-50 or so (only two non-zero coefficients): floor min(log2 Delta, 45).
  const std::size_t n = 2048;
  const auto ctx = insecure_context(n, 50, 3);
  const Encoder enc(ctx);
  for (const cplx value : {cplx(0.75, 0.0), cplx(-1.0 / 3.0, 0.0), cplx(0.3, -2.5), cplx(0.0, 1.0), cplx(0.0, 0.0)}) {
    for (auto [level, log_scale] : {std::pair<std::size_t, int>{0, 40}, {2, 40}, {2, 80}}) {
      const double scale = std::ldexp(1.0, log_scale);
      const Plaintext pt = enc.encode_constant(value, level, scale);
      ASSERT_TRUE(pt.poly().is_evaluation());
      ASSERT_EQ(pt.level(), level);
      const auto z = enc.decode(pt);
      const std::vector<cplx> expect(z.size(), value);
      EXPECT_GE(precision_bits(z, expect), std::min<double>(log_scale, kFftBits))
          << "value " << value << " level " << level << " scale 2^" << log_scale;

      // The exact polynomial: a at X^0, b at X^(N/2), nothing else.
      const auto m = centred_coefficients(pt);
      for (std::size_t k = 0; k < n; ++k) {
        const long double want = k == 0       ? std::round(static_cast<long double>(value.real()) * scale)
                                 : k == n / 2 ? std::round(static_cast<long double>(value.imag()) * scale)
                                              : 0.0L;
        ASSERT_EQ(m[k], want) << "coefficient " << k;
      }
    }
  }
}

TEST(CkksEncoderConstant, MatchesEncodingTheFilledVector) {
  const auto ctx = Context::create(Params::seal_8192());
  const Encoder enc(ctx);
  const double scale = std::ldexp(1.0, 40);
  const cplx value(-0.625, 0.125);
  const auto a = enc.decode(enc.encode_constant(value, 3, scale));
  const auto b = enc.decode(enc.encode(std::vector<cplx>(enc.slots(), value), 3, scale));
  EXPECT_GE(precision_bits(a, b), floor_bits(8192, scale));
}

// ---------------------------------------------------------------------------
// 4. Slot convention: X -> X^5 rotates left by one, X -> X^(2N-1) conjugates.

TEST(CkksEncoderGalois, AutomorphismFiveRotatesLeftAndTwoNMinusOneConjugates) {
  for (std::size_t n : {std::size_t{1024}, std::size_t{4096}}) {
    const auto ctx = insecure_context(n, 50, 2);
    const Encoder enc(ctx);
    const std::size_t slots = n / 2;
    const double scale = std::ldexp(1.0, 40);
    const auto z = insecure_complex(slots);
    const Plaintext pt = enc.encode(z, 1, scale);

    // Rotation by r = 1, 2, 3, via the Galois element 5^r mod 2N.
    std::uint64_t g = 1;
    for (std::size_t r = 1; r <= 3; ++r) {
      g = (g * 5) % (2 * n);
      Plaintext rot(ctx, 1, scale);
      rot.poly() = poly::automorphism(pt.poly(), g);
      ASSERT_TRUE(rot.poly().is_evaluation());
      std::vector<cplx> expect(slots);
      for (std::size_t j = 0; j < slots; ++j) expect[j] = z[(j + r) % slots];
      EXPECT_GE(precision_bits(enc.decode(rot), expect), floor_bits(n, scale)) << "N " << n << " rotation " << r;
    }

    Plaintext conj(ctx, 1, scale);
    conj.poly() = poly::automorphism(pt.poly(), 2 * n - 1);
    std::vector<cplx> expect(slots);
    for (std::size_t j = 0; j < slots; ++j) expect[j] = std::conj(z[j]);
    EXPECT_GE(precision_bits(enc.decode(conj), expect), floor_bits(n, scale)) << "N " << n << " conjugation";
  }
}

// ---------------------------------------------------------------------------
// 5. Bad inputs.

TEST(CkksEncoderErrors, BadInputsThrowTheDocumentedExceptions) {
  const auto ctx = insecure_context(1024, 50, 2);
  const Encoder enc(ctx);
  const double scale = std::ldexp(1.0, 40);
  const double nan = std::numeric_limits<double>::quiet_NaN(), inf = std::numeric_limits<double>::infinity();

  EXPECT_THROW(Encoder{nullptr}, std::invalid_argument);

  // Too many values.
  EXPECT_THROW(enc.encode(std::vector<cplx>(513), 0, scale), std::invalid_argument);
  EXPECT_THROW(enc.encode(std::vector<double>(513), 0, scale), std::invalid_argument);
  EXPECT_NO_THROW(enc.encode(std::vector<double>(512, 0.5), 0, scale));

  // Scale 0, below 1, negative, NaN, infinite.
  for (double s : {0.0, 0.5, -scale, nan, inf, -inf}) {
    EXPECT_THROW(enc.encode(std::vector<cplx>{1.0}, 0, s), std::invalid_argument) << s;
    EXPECT_THROW(enc.encode(std::vector<double>{1.0}, 0, s), std::invalid_argument) << s;
    EXPECT_THROW(enc.encode_constant(1.0, 0, s), std::invalid_argument) << s;
  }
  EXPECT_NO_THROW(enc.encode_constant(1.0, 0, 1.0));

  // Non-finite values, and values whose scaled magnitude exceeds 2^1000.
  EXPECT_THROW(enc.encode(std::vector<cplx>{{1.0, nan}}, 0, scale), std::invalid_argument);
  EXPECT_THROW(enc.encode(std::vector<double>{inf}, 0, scale), std::invalid_argument);
  EXPECT_THROW(enc.encode(std::vector<double>{1e300}, 0, scale), std::invalid_argument);
  EXPECT_THROW(enc.encode_constant({nan, 0.0}, 0, scale), std::invalid_argument);
  EXPECT_THROW(enc.encode_constant({0.0, 1e300}, 0, scale), std::invalid_argument);

  // Level out of range.
  EXPECT_THROW(enc.encode(std::vector<cplx>{1.0}, ctx->max_level() + 1, scale), std::out_of_range);
  EXPECT_THROW(enc.encode_constant(1.0, ctx->max_level() + 1, scale), std::out_of_range);

  // A plaintext of another context (different primes, so a different params hash).
  const auto other = insecure_context(1024, 45, 2);
  ASSERT_NE(other->params_hash(), ctx->params_hash());
  const Encoder other_enc(other);
  const Plaintext foreign = other_enc.encode(std::vector<cplx>{1.0}, 0, scale);
  EXPECT_THROW(enc.decode(foreign), std::invalid_argument);
  EXPECT_THROW(enc.decode_real(foreign), std::invalid_argument);
  // A context built again from the same parameters is interchangeable.
  const auto twin = insecure_context(1024, 50, 2);
  const Plaintext ok = Encoder(twin).encode(std::vector<cplx>{1.0}, 0, scale);
  EXPECT_NEAR(enc.decode(ok)[0].real(), 1.0, 1e-9);
}

}  // namespace
}  // namespace tower::ckks

namespace tower::ckks {
namespace {

// A value whose scaled coefficients exceed Q_l/2 would wrap around modulo Q_l
// and decode to garbage: the encoder refuses it instead.
TEST(CkksEncoderErrors, ValuesThatWouldWrapAroundAreRefused) {
  const auto ctx = Context::create(Params::seal_8192());  // q_0 has 43 bits, scale 2^40
  const Encoder ecd(ctx);
  const std::vector<double> big(ecd.slots(), 16.0);  // 2^44 > q_0 / 2 at level 0
  EXPECT_THROW(ecd.encode(big, 0, ctx->params().scale()), std::invalid_argument);
  EXPECT_THROW(ecd.encode_constant({16.0, 0.0}, 0, ctx->params().scale()), std::invalid_argument);
  // The same values fit at the top level (four primes), and decode correctly.
  const auto back = ecd.decode_real(ecd.encode(big, ctx->max_level(), ctx->params().scale()));
  for (double x : back) ASSERT_NEAR(x, 16.0, 1e-6);
}

}  // namespace
}  // namespace tower::ckks
