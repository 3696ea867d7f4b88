// tests/ckks/roles_test.cpp — client/server separation, the protocol through
// serialized bytes, and decryption with noise flooding.
#include <sstream>
#include <type_traits>

#include "ckks/client.hpp"
#include "ckks/serialization.hpp"
#include "ckks/server.hpp"
#include "ckks/ckks_test_util.hpp"

namespace tower::test {
namespace {

using Ctx = std::shared_ptr<const ckks::Context>;
using u64 = std::uint64_t;

// The server side cannot be given secret material: no constructor takes it.
static_assert(!std::is_constructible_v<ckks::Server, Ctx, ckks::SecretKey>);
static_assert(!std::is_constructible_v<ckks::Server, Ctx, const ckks::KeyGenerator&>);
static_assert(!std::is_constructible_v<ckks::Server, Ctx, const ckks::Client&>);
static_assert(!std::is_constructible_v<ckks::Server, Ctx, const ckks::Decryptor&>);
static_assert(!std::is_constructible_v<ckks::Evaluator, Ctx, ckks::SecretKey>);
static_assert(!std::is_constructible_v<ckks::EvaluationKeys, ckks::SecretKey>);
static_assert(std::is_constructible_v<ckks::Server, Ctx, ckks::EvaluationKeys>);

// A secret key is saved only through the explicitly named save_secret_key.
template <class K>
constexpr bool savable = requires(const K& k, std::ostream& os) { ckks::save(k, os); };
static_assert(!savable<ckks::SecretKey>);
static_assert(savable<ckks::PublicKey> && savable<ckks::GaloisKeys> && savable<ckks::Ciphertext>);

TEST(CkksRoles, ProtocolThroughBytes) {
  // Client: parameters, keys, two inputs.
  const auto client_ctx = ckks::Context::create(test_params_n14(3, 3, 55));
  const ckks::Client client(client_ctx);
  const std::vector<std::uint8_t> params_bytes = ckks::to_bytes(client_ctx->params());
  ckks::EvaluationKeys ek = client.evaluation_keys(/*relinearization=*/true, {1});
  const auto rlk_bytes = ckks::to_bytes(*ek.relin);
  const auto gk_bytes = ckks::to_bytes(ek.galois);
  const auto x = insecure_real(client_ctx->slots()), y = insecure_real(client_ctx->slots());
  const auto x_bytes = ckks::to_bytes(client.encrypt_seeded(x));  // seeded: half the bytes
  const auto y_bytes = ckks::to_bytes(client.encrypt(y));

  // Server: everything from bytes; computes rotate(x * y, 1).
  const auto server_ctx = ckks::Context::create(ckks::load_params(params_bytes));
  const ckks::Server server(server_ctx, ckks::EvaluationKeys{ckks::load<ckks::RelinKey>(rlk_bytes, server_ctx),
                                                             ckks::load<ckks::GaloisKeys>(gk_bytes, server_ctx)});
  const auto cx = ckks::load<ckks::SeededCiphertext>(x_bytes, server_ctx).expand();
  const auto cy = ckks::load<ckks::Ciphertext>(y_bytes, server_ctx);
  const auto result_bytes = ckks::to_bytes(server.rotate(server.multiply(cx, cy), 1));

  // Client: decrypt, with and without flooding.
  const auto result = ckks::load<ckks::Ciphertext>(result_bytes, client_ctx);
  std::vector<double> want(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) want[i] = x[(i + 1) % x.size()] * y[(i + 1) % y.size()];
  EXPECT_GE(precision_bits(client.decrypt(result), want), 20.0);
  EXPECT_GE(precision_bits(client.decrypt(result, ckks::NoiseFlooding{20}), want), 10.0);
}

TEST(CkksRoles, ServerWithoutRelinKeyRefusesProducts) {
  const auto ctx = ckks::Context::create(insecure_params_n11());
  const ckks::Client client(ctx);
  const ckks::Server server(ctx, client.evaluation_keys(false, {}));
  const auto c = client.encrypt(insecure_real(4));
  EXPECT_THROW((void)server.multiply(c, c), std::logic_error);
  EXPECT_THROW((void)server.rotate(c, 1), std::invalid_argument);  // no Galois key
  const auto other = ckks::Context::create(insecure_params_n11(2, 1));
  EXPECT_THROW(ckks::Server(other, client.evaluation_keys(true, {})), std::invalid_argument);
}

TEST(CkksRoles, ClientFromReloadedSecretKeyDecryptsAndDerivesKeys) {
  const auto ctx = ckks::Context::create(insecure_params_n11());
  const ckks::Client a(ctx);
  std::stringstream ss;
  ckks::save_secret_key(a.secret_key(), ss);
  const ckks::Client b(ctx, ckks::load<ckks::SecretKey>(ss, ctx));
  const auto v = insecure_real(ctx->slots());
  EXPECT_GE(precision_bits(b.decrypt(a.encrypt(v)), v), 20.0);
  // Keys derived by the reloaded client work on the first client's ciphertexts.
  const ckks::Server server(ctx, b.evaluation_keys(true, {2}));
  std::vector<double> want(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) want[i] = v[(i + 2) % v.size()];
  EXPECT_GE(precision_bits(a.decrypt(server.rotate(a.encrypt(v), 2)), want), 20.0);
}

// ---- Noise flooding. ----

class CkksNoiseFlooding : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ctx_ = ckks::Context::create(insecure_params_n11(3, 2));
    keygen_ = std::make_unique<ckks::KeyGenerator>(ctx_);
  }
  static void TearDownTestSuite() {
    keygen_.reset();
    ctx_.reset();
  }
  static inline Ctx ctx_;
  static inline std::unique_ptr<ckks::KeyGenerator> keygen_;
};

TEST_F(CkksNoiseFlooding, AddsFreshBoundedNoiseOfTheRequestedSize) {
  const ckks::Encoder encoder(ctx_);
  const ckks::Decryptor dec(ctx_, keygen_->secret_key());
  const auto v = insecure_real(ctx_->slots());
  const auto ct = ckks::Encryptor(ctx_, keygen_->secret_key()).encrypt_symmetric(encoder.encode(v, 2, ctx_->params().scale()));
  const int bits = 24;
  const ckks::Plaintext plain = dec.decrypt(ct);
  const ckks::Plaintext f1 = dec.decrypt(ct, ckks::NoiseFlooding{bits});
  const ckks::Plaintext f2 = dec.decrypt(ct, ckks::NoiseFlooding{bits});
  EXPECT_FALSE(f1.poly() == f2.poly());  // randomized
  // The difference, in coefficient form, is one integer vector in [-2^bits, 2^bits]
  // (the same on every tower), and it uses the range.
  poly::RnsPoly d = f1.poly();
  d.sub_inplace(plain.poly());
  d.to_coefficient();
  const double bound = std::exp2(bits);
  double largest = 0;
  for (std::size_t t = 0; t < d.size(); ++t) {
    const u64 q = d.base()->modulus(t).value();
    for (std::size_t i = 0; i < d.n(); ++i) {
      const u64 x = d.limb(t)[i];
      const double centred = x > q / 2 ? -static_cast<double>(q - x) : static_cast<double>(x);
      ASSERT_LE(std::abs(centred), bound) << "tower " << t << " coefficient " << i;
      if (t == 0) {
        largest = std::max(largest, std::abs(centred));
      } else {
        const u64 x0 = d.limb(0)[i], q0 = d.base()->modulus(0).value();
        const double c0 = x0 > q0 / 2 ? -static_cast<double>(q0 - x0) : static_cast<double>(x0);
        ASSERT_EQ(centred, c0) << "towers disagree at coefficient " << i;
      }
    }
  }
  EXPECT_GT(largest, bound / 2);  // 2048 uniform draws: the largest is near the bound
  // Precision: without flooding ~ 25+ bits; with it the error grows to about
  // sqrt(n/3) 2^bits / Delta = 2^(5.4 + 24 - 40): about 10 bits left.
  const double plain_bits = precision_bits(encoder.decode_real(plain), v);
  const double flooded_bits = precision_bits(encoder.decode_real(f1), v);
  EXPECT_GE(plain_bits, 20.0);
  EXPECT_LT(flooded_bits, plain_bits - 3);
  EXPECT_GE(flooded_bits, 40 - bits - 0.5 * std::log2(2048.0) - 4);
}

TEST_F(CkksNoiseFlooding, RefusesBoundsThatWouldWrap) {
  const ckks::Decryptor dec(ctx_, keygen_->secret_key());
  const auto ct = ckks::Encryptor(ctx_, keygen_->secret_key())
                      .encrypt_symmetric(ckks::Encoder(ctx_).encode(insecure_real(4), 0, ctx_->params().scale()));
  EXPECT_THROW((void)dec.decrypt(ct, ckks::NoiseFlooding{0}), std::invalid_argument);
  EXPECT_THROW((void)dec.decrypt(ct, ckks::NoiseFlooding{63}), std::invalid_argument);
  EXPECT_THROW((void)dec.decrypt(ct, ckks::NoiseFlooding{54}), std::invalid_argument);  // q_0 has 55 bits
  EXPECT_NO_THROW((void)dec.decrypt(ct, ckks::NoiseFlooding{50}));
}

TEST(CkksNoiseFloodingBits, ForErrorIsTheSmudgingBound) {
  // n |e| / 2^bits <= 2^-lambda.
  EXPECT_EQ(ckks::NoiseFlooding::for_error(10.0, 1 << 14, 30).bits, 30 + 14 + 10);
  EXPECT_EQ(ckks::NoiseFlooding::for_error(10.2, 1 << 14, 30).bits, 30 + 14 + 11);
  EXPECT_THROW((void)ckks::NoiseFlooding::for_error(-1.0, 1024), std::invalid_argument);
}

}  // namespace
}  // namespace tower::test
