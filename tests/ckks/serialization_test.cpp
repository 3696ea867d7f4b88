// tests/ckks/serialization_test.cpp — round trips of every object, and loaders
// refusing every kind of bad input with an error naming the field.
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <bit>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <string>

#include "ckks/evaluator.hpp"
#include "ckks/galois.hpp"
#include "ckks/serialization.hpp"
#include "ckks/ckks_test_util.hpp"

namespace tower::test {
namespace {

using Bytes = std::vector<std::uint8_t>;
using ckks::SerializationError;
using u64 = std::uint64_t;

// Two parameter sets: a small insecure one (N = 2^11, dnum 2) and a 128-bit
// secure one (N = 2^14, depth 3, dnum 3).
struct Keyed {
  std::shared_ptr<const ckks::Context> ctx;
  std::unique_ptr<ckks::KeyGenerator> keygen;
  std::unique_ptr<ckks::PublicKey> pk;
  std::unique_ptr<ckks::RelinKey> rlk;
  std::unique_ptr<ckks::GaloisKeys> gk;
};

Keyed& keyed(int set) {
  static std::map<int, Keyed> cache;
  auto it = cache.find(set);
  if (it != cache.end()) return it->second;
  Keyed k;
  k.ctx = ckks::Context::create(set == 0 ? insecure_params_n11(3, 2) : test_params_n14(3, 3, 55));
  k.keygen = std::make_unique<ckks::KeyGenerator>(k.ctx);
  k.pk = std::make_unique<ckks::PublicKey>(k.keygen->create_public_key());
  k.rlk = std::make_unique<ckks::RelinKey>(k.keygen->create_relin_key());
  // Steps 1 and -3 at the top level, conjugation only up to level 1 (a smaller key).
  k.gk = std::make_unique<ckks::GaloisKeys>(ckks::create_galois_keys(*k.keygen, {1, -3}));
  k.gk->insert(ckks::galois_element_for_conjugation(k.ctx->n()),
               ckks::create_galois_key(*k.keygen, ckks::galois_element_for_conjugation(k.ctx->n()), 1));
  return cache.emplace(set, std::move(k)).first->second;
}

class CkksSerializationRoundTrip : public ::testing::TestWithParam<int> {
 protected:
  Keyed& k() const { return keyed(GetParam()); }
  ckks::Ciphertext encrypt(const std::vector<double>& v, std::size_t level) const {
    return ckks::Encryptor(k().ctx, *k().pk)
        .encrypt(ckks::Encoder(k().ctx).encode(v, level, k().ctx->params().scale()));
  }
  std::vector<double> decrypt(const ckks::Ciphertext& ct) const {
    return ckks::Encoder(k().ctx).decode_real(ckks::Decryptor(k().ctx, k().keygen->secret_key()).decrypt(ct));
  }
};

TEST_P(CkksSerializationRoundTrip, ParamsReloadToTheSameSetAndBytes) {
  const ckks::Params& p = k().ctx->params();
  const Bytes bytes = ckks::to_bytes(p);
  const ckks::Params back = ckks::load_params(bytes, /*allow_insecure=*/true);
  EXPECT_EQ(back.hash(), p.hash());
  EXPECT_EQ(back.q(), p.q());
  EXPECT_EQ(back.p(), p.p());
  EXPECT_EQ(back.dnum(), p.dnum());
  EXPECT_EQ(back.scale(), p.scale());
  EXPECT_EQ(ckks::to_bytes(back), bytes);
}

TEST_P(CkksSerializationRoundTrip, PlaintextAndCiphertextsAreBitIdentical) {
  const auto ctx = k().ctx;
  const auto v = insecure_real(ctx->slots());
  const std::size_t level = ctx->max_level() - 1;  // not the top: the level field must be honoured
  const ckks::Plaintext pt = ckks::Encoder(ctx).encode(v, level, ctx->params().scale());
  const Bytes pbytes = ckks::to_bytes(pt);
  const ckks::Plaintext pt2 = ckks::load<ckks::Plaintext>(pbytes, ctx);
  EXPECT_EQ(pt2.level(), level);
  EXPECT_EQ(pt2.scale(), pt.scale());
  EXPECT_TRUE(pt2.poly() == pt.poly());
  EXPECT_EQ(ckks::to_bytes(pt2), pbytes);

  // A 3-component ciphertext (a product before relinearization) and a 2-component one.
  const ckks::Evaluator ev(ctx);
  const ckks::Ciphertext c2 = encrypt(v, level);
  const ckks::Ciphertext c3 = ev.multiply(c2, c2);
  for (const ckks::Ciphertext* ct : {&c2, &c3}) {
    const Bytes bytes = ckks::to_bytes(*ct);
    const ckks::Ciphertext back = ckks::load<ckks::Ciphertext>(bytes, ctx);
    ASSERT_EQ(back.size(), ct->size());
    EXPECT_EQ(back.level(), ct->level());
    EXPECT_EQ(back.scale(), ct->scale());
    EXPECT_EQ(ckks::to_bytes(back), bytes);
    const ckks::Decryptor dec(ctx, k().keygen->secret_key());
    EXPECT_TRUE(dec.decrypt(back).poly() == dec.decrypt(*ct).poly());
  }
  EXPECT_GE(precision_bits(decrypt(ckks::load<ckks::Ciphertext>(ckks::to_bytes(c2), ctx)), v), 20.0);
}

TEST_P(CkksSerializationRoundTrip, SeededCiphertextIsHalfTheSizeAndExpandsIdentically) {
  const auto ctx = k().ctx;
  const auto v = insecure_real(ctx->slots());
  const ckks::Encryptor enc(ctx, k().keygen->secret_key());
  const ckks::SeededCiphertext s = enc.encrypt_symmetric_seeded(
      ckks::Encoder(ctx).encode(v, ctx->max_level(), ctx->params().scale()));
  const Bytes bytes = ckks::to_bytes(s);
  const Bytes full = ckks::to_bytes(s.expand());
  EXPECT_LT(bytes.size(), full.size() / 2 + 64);
  const ckks::SeededCiphertext back = ckks::load<ckks::SeededCiphertext>(bytes, ctx);
  EXPECT_EQ(ckks::to_bytes(back), bytes);
  EXPECT_EQ(ckks::to_bytes(back.expand()), full);
  EXPECT_GE(precision_bits(decrypt(back.expand()), v), 20.0);
}

TEST_P(CkksSerializationRoundTrip, PublicKeyReloadsAndEncrypts) {
  const auto ctx = k().ctx;
  const Bytes bytes = ckks::to_bytes(*k().pk);
  const ckks::PublicKey back = ckks::load<ckks::PublicKey>(bytes, ctx);
  EXPECT_TRUE(back.a() == k().pk->a());  // re-expanded from the seed
  EXPECT_TRUE(back.b() == k().pk->b());
  EXPECT_EQ(ckks::to_bytes(back), bytes);
  // The seeded form: half of the expanded key.
  EXPECT_LT(bytes.size(), 2 * back.b().n() * back.b().size() * 8 / 2 + 128);
  const auto v = insecure_real(ctx->slots());
  const auto ct = ckks::Encryptor(ctx, back).encrypt(ckks::Encoder(ctx).encode(v, 1, ctx->params().scale()));
  EXPECT_GE(precision_bits(decrypt(ct), v), 20.0);
}

TEST_P(CkksSerializationRoundTrip, RelinKeyReloadsAndRelinearizesIdentically) {
  const auto ctx = k().ctx;
  const Bytes bytes = ckks::to_bytes(*k().rlk);
  const ckks::RelinKey back = ckks::load<ckks::RelinKey>(bytes, ctx);
  EXPECT_EQ(ckks::to_bytes(back), bytes);
  ASSERT_EQ(back.key().digits(), k().rlk->key().digits());
  for (std::size_t j = 0; j < back.key().digits(); ++j) {
    EXPECT_TRUE(back.key().a(j) == k().rlk->key().a(j));
    EXPECT_TRUE(back.key().b(j) == k().rlk->key().b(j));
  }
  const ckks::Evaluator ev(ctx);
  const auto x = insecure_real(ctx->slots()), y = insecure_real(ctx->slots());
  const auto prod = ev.multiply(encrypt(x, ctx->max_level()), encrypt(y, ctx->max_level()));
  const auto r1 = ev.relinearize(prod, back);
  EXPECT_EQ(ckks::to_bytes(r1), ckks::to_bytes(ev.relinearize(prod, *k().rlk)));
  std::vector<double> want(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) want[i] = x[i] * y[i];
  EXPECT_GE(precision_bits(decrypt(ev.rescale(r1)), want), 18.0);
}

TEST_P(CkksSerializationRoundTrip, GaloisKeysReloadWholeAndPerStep) {
  const auto ctx = k().ctx;
  const ckks::GaloisKeys& gk = *k().gk;
  const Bytes bytes = ckks::to_bytes(gk);
  const ckks::GaloisKeys back = ckks::load<ckks::GaloisKeys>(bytes, ctx);
  EXPECT_EQ(back.elements(), gk.elements());
  EXPECT_EQ(ckks::to_bytes(back), bytes);
  const u64 conj = ckks::galois_element_for_conjugation(ctx->n());
  EXPECT_EQ(back.at(conj).level(), 1u);  // the low-level key stays low (and small)
  EXPECT_LT(back.byte_size(conj), back.byte_size(ckks::galois_element_for_rotation(1, ctx->n())));

  // Per step: one key saved alone, loaded into an empty set, rotates identically.
  const u64 g1 = ckks::galois_element_for_rotation(1, ctx->n());
  std::stringstream ss;
  ckks::save_galois_key(gk, g1, ss);
  ckks::GaloisKeyEntry e = ckks::load<ckks::GaloisKeyEntry>(ss, ctx);
  EXPECT_EQ(e.galois_element, g1);
  ckks::GaloisKeys only(ctx);
  only.insert(e.galois_element, std::move(e.key));
  const ckks::Evaluator ev(ctx);
  const auto v = insecure_real(ctx->slots());
  const auto ct = encrypt(v, ctx->max_level());
  const auto r_loaded = ev.rotate(ct, 1, only, /*allow_composition=*/false);
  EXPECT_EQ(ckks::to_bytes(r_loaded), ckks::to_bytes(ev.rotate(ct, 1, gk, false)));
  std::vector<double> want(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) want[i] = v[(i + 1) % v.size()];
  EXPECT_GE(precision_bits(decrypt(r_loaded), want), 18.0);
  // The reloaded set's keys work too (right rotation by 3, conjugation at level 1).
  for (std::size_t i = 0; i < v.size(); ++i) want[i] = v[(i + v.size() - 3) % v.size()];
  EXPECT_GE(precision_bits(decrypt(ev.rotate(ct, -3, back, false)), want), 18.0);
  auto low = encrypt(v, 1);
  EXPECT_GE(precision_bits(decrypt(ev.conjugate(low, back)), v), 18.0);  // real values: conjugation is identity
}

TEST_P(CkksSerializationRoundTrip, SecretKeyReloadsAndDecryptsIdentically) {
  const auto ctx = k().ctx;
  std::stringstream ss;
  ckks::save_secret_key(k().keygen->secret_key(), ss);
  const std::string s = ss.str();
  EXPECT_EQ(s.size(), ckks::kHeaderBytes + ctx->n());  // one byte per ternary coefficient
  const ckks::SecretKey back = ckks::load<ckks::SecretKey>(ss, ctx);
  EXPECT_TRUE(back.poly() == k().keygen->secret_key().poly());
  std::stringstream again;
  ckks::save_secret_key(back, again);
  EXPECT_EQ(again.str(), s);
  const auto ct = encrypt(insecure_real(ctx->slots()), 2);
  EXPECT_TRUE(ckks::Decryptor(ctx, back).decrypt(ct).poly() ==
              ckks::Decryptor(ctx, k().keygen->secret_key()).decrypt(ct).poly());
}

INSTANTIATE_TEST_SUITE_P(CkksSerialization, CkksSerializationRoundTrip, ::testing::Values(0, 1),
                         [](const auto& info) { return info.param == 0 ? "InsecureN2048" : "SecureN16384"; });

// ---- Files. ----

TEST(CkksSerializationFiles, RoundTripAndSecretKeyFileIsOwnerOnly) {
  Keyed& k = keyed(0);
  const auto dir = std::filesystem::temp_directory_path() / ("tower_ser_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string ct_path = (dir / "ct.bin").string(), sk_path = (dir / "sk.bin").string();
  const auto v = insecure_real(k.ctx->slots());
  const auto ct = ckks::Encryptor(k.ctx, *k.pk).encrypt(ckks::Encoder(k.ctx).encode(v, 2, k.ctx->params().scale()));
  ckks::save_file(ct, ct_path);
  EXPECT_EQ(ckks::to_bytes(ckks::load_file<ckks::Ciphertext>(ct_path, k.ctx)), ckks::to_bytes(ct));
  { std::ofstream(sk_path) << "old"; }  // an existing, world-readable file
  ::chmod(sk_path.c_str(), 0644);
  ckks::save_secret_key_file(k.keygen->secret_key(), sk_path);
  struct stat st{};
  ASSERT_EQ(::stat(sk_path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_TRUE(ckks::load_file<ckks::SecretKey>(sk_path, k.ctx).poly() == k.keygen->secret_key().poly());
  // A file with one trailing byte is refused.
  { std::ofstream(ct_path, std::ios::app | std::ios::binary) << 'x'; }
  try {
    (void)ckks::load_file<ckks::Ciphertext>(ct_path, k.ctx);
    ADD_FAILURE() << "trailing byte accepted";
  } catch (const SerializationError& e) {
    EXPECT_EQ(e.field(), "trailing bytes");
  }
  std::filesystem::remove_all(dir);
}

// ---- Bad input. ----

// The field a load of `bytes` fails on, or "" if it loads.
template <class T>
std::string span_error(const Bytes& bytes, const std::shared_ptr<const ckks::Context>& ctx) {
  try {
    (void)ckks::load<T>(std::span<const std::uint8_t>(bytes), ctx);
  } catch (const SerializationError& e) {
    return e.field();
  }
  return "";
}

template <class T>
std::string stream_error(const Bytes& bytes, const std::shared_ptr<const ckks::Context>& ctx) {
  std::stringstream ss(std::string(bytes.begin(), bytes.end()));
  try {
    (void)ckks::load<T>(ss, ctx);
  } catch (const SerializationError& e) {
    return e.field();
  }
  return "";
}

void put_u64(Bytes& b, std::size_t at, u64 x) {
  for (int i = 0; i < 8; ++i) b[at + i] = static_cast<std::uint8_t>(x >> (8 * i));
}
void put_u32(Bytes& b, std::size_t at, std::uint32_t x) {
  for (int i = 0; i < 4; ++i) b[at + i] = static_cast<std::uint8_t>(x >> (8 * i));
}
// A residue of `width` bytes, little-endian (format 2 packs residues).
void put_residue(Bytes& b, std::size_t at, u64 x, unsigned width) {
  for (unsigned i = 0; i < width; ++i) b[at + i] = static_cast<std::uint8_t>(x >> (8 * i));
}

// Format 2's residue width, from the prime itself (docs/serialization.md):
// ceil(bits(q) / 8) bytes.
unsigned width_of(u64 q) { return static_cast<unsigned>((64 - __builtin_clzll(q) + 7) / 8); }
// Bytes of towers [0, t) of a polynomial over `base`, and of the whole polynomial.
std::size_t towers_bytes(const poly::RnsBase& base, std::size_t t) {
  std::size_t bytes = 0;
  for (std::size_t i = 0; i < t; ++i) bytes += base.n() * width_of(base.modulus(i).value());
  return bytes;
}
std::size_t poly_bytes(const poly::RnsBase& base) { return towers_bytes(base, base.size()); }

// Little-endian appenders for building format-1 bytes by hand from the spec.
void append_le(Bytes& b, u64 x, int bytes) {
  for (int i = 0; i < bytes; ++i) b.push_back(static_cast<std::uint8_t>(x >> (8 * i)));
}
void append_u16(Bytes& b, std::uint16_t x) { append_le(b, x, 2); }
void append_u32(Bytes& b, std::uint32_t x) { append_le(b, x, 4); }
void append_u64(Bytes& b, u64 x) { append_le(b, x, 8); }
void append_poly_v1(Bytes& b, const poly::RnsPoly& p) {
  for (std::size_t i = 0; i < p.n() * p.size(); ++i) append_u64(b, p.data()[i]);
}
// The 32-byte header of docs/serialization.md with version 1.
Bytes header_v1(ckks::ObjectType type, u64 hash, u64 payload) {
  Bytes b = {'T', 'O', 'W', 'R'};
  append_u16(b, 1);
  append_u16(b, static_cast<std::uint16_t>(type));
  append_u64(b, hash);
  append_u64(b, payload);
  append_u64(b, 0);
  return b;
}

// Format 2 stores each residue in ceil(bits(q)/8) bytes: the sizes follow from
// the primes alone, and are smaller than format 1's 8 bytes per residue.
TEST_P(CkksSerializationRoundTrip, Format2PacksEachResidueInItsPrimesBytes) {
  const auto ctx = k().ctx;
  const std::size_t level = ctx->max_level();
  const ckks::Ciphertext ct = encrypt(insecure_real(ctx->slots()), level);
  const poly::RnsBase& q = *ctx->q_base(level);
  const Bytes c = ckks::to_bytes(ct);
  EXPECT_EQ(c.size(), ckks::kHeaderBytes + 16 + 2 * poly_bytes(q));
  EXPECT_LT(c.size(), ckks::kHeaderBytes + 16 + 2 * q.size() * q.n() * 8);
  const ckks::KeySwitchKey& key = k().rlk->key();
  const poly::RnsBase& qp = *ctx->qp_base(key.level());
  EXPECT_EQ(ckks::to_bytes(*k().rlk).size(), ckks::kHeaderBytes + 8 + 32 + key.digits() * poly_bytes(qp));
  EXPECT_EQ(key.byte_size(), 2 * key.digits() * poly_bytes(qp));  // the file holds b as memory does
}

// Files of format 1 (8 bytes per residue), built here from the spec, still load,
// to the same objects as their format-2 counterparts.
TEST_P(CkksSerializationRoundTrip, Format1FilesStillLoad) {
  const auto ctx = k().ctx;
  const std::size_t level = 1;
  const ckks::Ciphertext ct = encrypt(insecure_real(ctx->slots()), level);
  Bytes v1 = header_v1(ckks::ObjectType::ciphertext, ctx->params_hash(),
                       16 + ct.size() * ct[0].size() * ct[0].n() * 8);
  append_u32(v1, static_cast<std::uint32_t>(level));
  append_u32(v1, static_cast<std::uint32_t>(ct.size()));
  append_u64(v1, std::bit_cast<u64>(ct.scale()));
  for (std::size_t i = 0; i < ct.size(); ++i) append_poly_v1(v1, ct[i]);
  const ckks::Ciphertext back = ckks::load<ckks::Ciphertext>(v1, ctx);
  EXPECT_EQ(ckks::to_bytes(back), ckks::to_bytes(ct));
  EXPECT_LT(ckks::to_bytes(ct).size(), v1.size());

  const ckks::KeySwitchKey& key = k().rlk->key();
  const poly::RnsBase& qp = *ctx->qp_base(key.level());
  Bytes r1 = header_v1(ckks::ObjectType::relin_key, ctx->params_hash(),
                       8 + 32 + key.digits() * qp.size() * qp.n() * 8);
  append_u32(r1, static_cast<std::uint32_t>(key.level()));
  append_u32(r1, static_cast<std::uint32_t>(key.digits()));
  r1.insert(r1.end(), key.seed().begin(), key.seed().end());
  for (std::size_t j = 0; j < key.digits(); ++j) append_poly_v1(r1, key.b(j));
  const ckks::RelinKey rback = ckks::load<ckks::RelinKey>(r1, ctx);
  EXPECT_EQ(ckks::to_bytes(rback), ckks::to_bytes(*k().rlk));
  // A format-1 header over format-2 bytes is refused (its sizes do not add up).
  Bytes mixed = ckks::to_bytes(ct);
  mixed[4] = 1;
  EXPECT_THROW(ckks::load<ckks::Ciphertext>(mixed, ctx), SerializationError);
}

// Header offsets (docs/serialization.md).
constexpr std::size_t kVersionAt = 4, kTypeAt = 6, kHashAt = 8, kLengthAt = 16, kReservedAt = 24;
constexpr std::size_t P = ckks::kHeaderBytes;  // payload start

struct BadCase {
  const char* name;
  std::function<void(Bytes&)> mutate;
  std::string field;  // the field the error must name
};

TEST(CkksSerializationBadInput, CiphertextTable) {
  Keyed& k = keyed(0);
  const auto ctx = k.ctx;
  const std::size_t n = ctx->n();
  const auto ct = ckks::Encryptor(ctx, *k.pk).encrypt(ckks::Encoder(ctx).encode(insecure_real(8), 2, ctx->params().scale()));
  const Bytes good = ckks::to_bytes(ct);
  // Ciphertext payload: u32 level | u32 components | f64 scale | components x (level+1) towers of n
  // residues, each in width_of(q_t) bytes.
  const poly::RnsBase& base = *ctx->q_base(2);
  const std::size_t c0_at = P + 16, c1_at = c0_at + poly_bytes(base);
  const u64 q0 = base.modulus(0).value();
  const unsigned w0 = width_of(q0), w2 = width_of(base.modulus(2).value());
  ASSERT_EQ(good.size(), c1_at + poly_bytes(base));
  const auto other = ckks::Context::create(insecure_params_n11(2, 1));
  const std::vector<BadCase> cases = {
      {"empty", [](Bytes& b) { b.clear(); }, "header"},
      {"half a header", [](Bytes& b) { b.resize(10); }, "header"},
      {"header only", [](Bytes& b) { b.resize(P); }, "header.payload_length"},
      {"cut inside c0", [&](Bytes& b) { b.resize(c0_at + 100); }, "header.payload_length"},
      {"cut inside c1", [&](Bytes& b) { b.resize(c1_at + towers_bytes(base, 1) + 3); }, "header.payload_length"},
      {"wrong magic", [](Bytes& b) { b[0] = 'X'; }, "header.magic"},
      {"future version", [](Bytes& b) { b[kVersionAt] = ckks::kFormatVersion + 1; }, "header.version"},
      {"version 0", [](Bytes& b) { b[kVersionAt] = 0; }, "header.version"},
      {"a public key's type",
       [](Bytes& b) { b[kTypeAt] = static_cast<std::uint8_t>(ckks::ObjectType::public_key); }, "header.type"},
      {"unknown type", [](Bytes& b) { b[kTypeAt] = 200; }, "header.type"},
      {"another context", [&](Bytes& b) { put_u64(b, kHashAt, other->params_hash()); }, "header.params_hash"},
      {"reserved bits", [](Bytes& b) { b[kReservedAt + 5] = 1; }, "header.reserved"},
      {"level above max", [&](Bytes& b) { put_u32(b, P, static_cast<std::uint32_t>(ctx->max_level() + 1)); }, "level"},
      {"huge level", [](Bytes& b) { put_u32(b, P, 0xffffffffu); }, "level"},
      {"level lower than the data", [](Bytes& b) { put_u32(b, P, 1); }, "header.payload_length"},
      {"one component", [](Bytes& b) { put_u32(b, P + 4, 1); }, "components"},
      {"huge component count", [](Bytes& b) { put_u32(b, P + 4, 0x7fffffffu); }, "components"},
      {"NaN scale", [](Bytes& b) { put_u64(b, P + 8, 0x7ff8000000000000ULL); }, "scale"},
      {"negative scale", [](Bytes& b) { put_u64(b, P + 8, 0xc000000000000000ULL); }, "scale"},
      {"coefficient = q_0", [&](Bytes& b) { put_residue(b, c0_at + w0 * 7, q0, w0); }, "c[0].tower[0]"},
      {"all-ones residue in c1 tower 2",
       [&](Bytes& b) { put_residue(b, c1_at + towers_bytes(base, 2) + w2, ~u64{0}, w2); }, "c[1].tower[2]"},
      {"oversized length", [](Bytes& b) { put_u64(b, kLengthAt, u64{1} << 62); }, "header.payload_length"},
      {"trailing garbage", [](Bytes& b) { b.push_back(0); }, "trailing bytes"},
  };
  for (const BadCase& c : cases) {
    Bytes b = good;
    c.mutate(b);
    EXPECT_EQ(span_error<ckks::Ciphertext>(b, ctx), c.field) << c.name;
  }
  ASSERT_EQ(span_error<ckks::Ciphertext>(good, ctx), "");
}

TEST(CkksSerializationBadInput, StreamTruncatedAtEverySectionNamesIt) {
  // From a stream the total size is unknown: each truncation is caught by the
  // read of the field it cuts.
  Keyed& k = keyed(0);
  const auto ctx = k.ctx;
  const std::size_t n = ctx->n();
  const auto ct = ckks::Encryptor(ctx, *k.pk).encrypt(ckks::Encoder(ctx).encode(insecure_real(8), 1, ctx->params().scale()));
  const Bytes good = ckks::to_bytes(ct);
  const poly::RnsBase& base = *ctx->q_base(1);
  const std::size_t c0_at = P + 16, c1_at = c0_at + poly_bytes(base);
  ASSERT_EQ(good.size(), c1_at + poly_bytes(base));
  const std::vector<std::pair<std::size_t, std::string>> cuts = {
      {0, "header"},           {31, "header"},         {P, "level"},          {P + 2, "level"},
      {P + 4, "components"},   {P + 8, "scale"},       {P + 15, "scale"},     {c0_at, "c[0].tower[0]"},
      {c0_at + towers_bytes(base, 1), "c[0].tower[1]"}, {c1_at + 1, "c[1].tower[0]"},
      {good.size() - 1, "c[1].tower[1]"},
  };
  for (const auto& [size, field] : cuts) {
    Bytes b(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(size));
    EXPECT_EQ(stream_error<ckks::Ciphertext>(b, ctx), field) << "cut at " << size;
  }
  // A stream holding two objects yields both, in order.
  std::stringstream two;
  ckks::save(ct, two);
  ckks::save(ct, two);
  EXPECT_EQ(ckks::to_bytes(ckks::load<ckks::Ciphertext>(two, ctx)), good);
  EXPECT_EQ(ckks::to_bytes(ckks::load<ckks::Ciphertext>(two, ctx)), good);
  // Oversized length on a stream: refused from the size the fields imply, before allocating.
  Bytes big = good;
  put_u64(big, kLengthAt, u64{1} << 62);
  EXPECT_EQ(stream_error<ckks::Ciphertext>(big, ctx), "header.payload_length");
}

TEST(CkksSerializationBadInput, EveryHeaderBitFlipIsDetected) {
  Keyed& k = keyed(0);
  const auto ctx = k.ctx;
  const Bytes good = ckks::to_bytes(*k.pk);
  for (std::size_t bit = 0; bit < 8 * P; ++bit) {
    Bytes b = good;
    b[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
    const std::string field = span_error<ckks::PublicKey>(b, ctx);
    EXPECT_TRUE(field.rfind("header", 0) == 0 || field == "trailing bytes") << "bit " << bit << ": '" << field << "'";
  }
}

TEST(CkksSerializationBadInput, KeysTable) {
  Keyed& k = keyed(0);
  const auto ctx = k.ctx;
  const std::size_t n = ctx->n();
  // Relinearization key: u32 level | u32 digits | seed | digits x b_j.
  const Bytes rlk = ckks::to_bytes(*k.rlk);
  const std::size_t b0 = P + 8 + 32;
  const u64 p0 = ctx->p_base()->modulus(0).value();
  const std::size_t p_tower = ctx->max_level() + 1;  // first special prime's tower in Q_L * P
  const poly::RnsBase& qp = *ctx->qp_base(ctx->max_level());
  const unsigned wp = width_of(p0);
  const std::vector<BadCase> rlk_cases = {
      {"level above max", [&](Bytes& b) { put_u32(b, P, 99); }, "level"},
      {"wrong digit count", [](Bytes& b) { put_u32(b, P + 4, 7); }, "digits"},
      {"huge digit count", [](Bytes& b) { put_u32(b, P + 4, 0xffffffffu); }, "digits"},
      {"b over P >= p", [&](Bytes& b) { put_residue(b, b0 + towers_bytes(qp, p_tower) + 2 * wp, p0, wp); },
       "b[0].tower[" + std::to_string(p_tower) + "]"},
      {"cut in b[1]", [&](Bytes& b) { b.resize(b.size() - 9); }, "header.payload_length"},
  };
  for (const BadCase& c : rlk_cases) {
    Bytes b = rlk;
    c.mutate(b);
    EXPECT_EQ(span_error<ckks::RelinKey>(b, ctx), c.field) << c.name;
  }
  // A level-0 claim with the rest unchanged: the key has more bytes than a level-0 key.
  // Read as a level-0 key, the bytes of q_1's tower (5 bytes per residue) land in
  // P's (8), so a residue may be refused first; otherwise the unused bytes are.
  {
    Bytes b = rlk;
    put_u32(b, P, 0);
    put_u32(b, P + 4, static_cast<std::uint32_t>(ctx->keyswitch(0).digits.size()));
    const std::string field = span_error<ckks::RelinKey>(b, ctx);
    EXPECT_TRUE(field == "payload" || field.rfind("b[", 0) == 0) << field;
  }

  // Galois key set: u32 count | per key: u64 element | key body.
  const Bytes gks = ckks::to_bytes(*k.gk);
  const std::vector<BadCase> gk_cases = {
      {"count above N", [&](Bytes& b) { put_u32(b, P, static_cast<std::uint32_t>(n + 1)); }, "count"},
      {"one key more than present", [&](Bytes& b) { put_u32(b, P, 4); }, "key[3].galois_element"},
      {"even element", [](Bytes& b) { put_u64(b, P + 4, 6); }, "key[0].galois_element"},
      {"element >= 2N", [&](Bytes& b) { put_u64(b, P + 4, 2 * n + 1); }, "key[0].galois_element"},
      {"wrong type (a relin key's bytes)", [&](Bytes& b) { b = rlk; }, "header.type"},
  };
  for (const BadCase& c : gk_cases) {
    Bytes b = gks;
    c.mutate(b);
    EXPECT_EQ(span_error<ckks::GaloisKeys>(b, ctx), c.field) << c.name;
  }
  // Keys out of order (or repeated): swap the first key's element with the second's.
  {
    const auto elems = k.gk->elements();
    Bytes b = gks;
    const std::size_t level0 = k.gk->at(elems[0]).level();
    const std::size_t key0 =
        8 + 8 + 32 + ctx->keyswitch(level0).digits.size() * poly_bytes(*ctx->qp_base(level0));
    put_u64(b, P + 4 + key0, elems[0]);
    EXPECT_EQ(span_error<ckks::GaloisKeys>(b, ctx), "key[1].galois_element");
  }

  // Secret key: n bytes in {-1, 0, 1}.
  std::stringstream ss;
  ckks::save_secret_key(k.keygen->secret_key(), ss);
  const std::string sk_str = ss.str();
  Bytes sk(sk_str.begin(), sk_str.end());
  Bytes bad = sk;
  bad[P + 17] = 2;
  EXPECT_EQ(span_error<ckks::SecretKey>(bad, ctx), "coefficients");
  bad = sk;
  bad.pop_back();
  EXPECT_EQ(span_error<ckks::SecretKey>(bad, ctx), "header.payload_length");
  // A secret key is not a public key, and vice versa.
  EXPECT_EQ(span_error<ckks::PublicKey>(sk, ctx), "header.type");
  EXPECT_EQ(span_error<ckks::SecretKey>(ckks::to_bytes(*k.pk), ctx), "header.type");
}

TEST(CkksSerializationBadInput, ParamsTable) {
  const ckks::Params secure = test_params_n14(3, 3, 55);
  const Bytes good = ckks::to_bytes(secure);
  auto error = [](const Bytes& b, bool allow_insecure = false) -> std::string {
    try {
      (void)ckks::load_params(std::span<const std::uint8_t>(b), allow_insecure);
    } catch (const SerializationError& e) {
      return e.field();
    }
    return "";
  };
  ASSERT_EQ(error(good), "");
  // Payload: u64 n | u32 q_count | u32 p_count | q[] | p[] | u32 dnum | u32 h | f64 scale | u8 kind | u8 sec | u8 insecure.
  const std::size_t qc = secure.q().size(), pc = secure.p().size();
  const std::size_t tail = P + 16 + 8 * (qc + pc);
  const std::vector<BadCase> cases = {
      {"N = 2^20", [](Bytes& b) { put_u64(b, P, u64{1} << 20); }, "n"},
      {"N not a power of two", [](Bytes& b) { put_u64(b, P, 3000); }, "n"},
      {"no q primes", [](Bytes& b) { put_u32(b, P + 8, 0); }, "q_count"},
      {"2^32-1 q primes", [](Bytes& b) { put_u32(b, P + 8, 0xffffffffu); }, "q_count"},
      {"one more p prime", [&](Bytes& b) { put_u32(b, P + 12, static_cast<std::uint32_t>(pc + 1)); },
       "header.payload_length"},
      {"a composite prime", [](Bytes& b) { put_u64(b, P + 16, 1ULL << 40); }, "parameters"},
      {"dnum 0", [&](Bytes& b) { put_u32(b, tail, 0); }, "dnum"},
      {"unknown secret", [&](Bytes& b) { b[tail + 16] = 9; }, "secret_kind"},
      {"insecure flag", [&](Bytes& b) { b[tail + 18] = 1; }, "allow_insecure"},
      {"a hash that does not match", [](Bytes& b) { b[kHashAt] ^= 1; }, "header.params_hash"},
  };
  for (const BadCase& c : cases) {
    Bytes b = good;
    c.mutate(b);
    EXPECT_EQ(error(b), c.field) << c.name;
  }
  // Insecure parameters load only when the caller allows them.
  const Bytes insecure = ckks::to_bytes(insecure_params_n11());
  EXPECT_EQ(error(insecure), "allow_insecure");
  EXPECT_EQ(error(insecure, true), "");
}

TEST(CkksSerializationBadInput, NullContextAndUnsavableKeys) {
  Keyed& k = keyed(0);
  const Bytes b = ckks::to_bytes(*k.pk);
  EXPECT_THROW((void)ckks::load<ckks::PublicKey>(std::span<const std::uint8_t>(b), nullptr), std::invalid_argument);
  std::stringstream ss;
  EXPECT_THROW(ckks::save_galois_key(*k.gk, 3, ss), std::invalid_argument);  // 3 is not held
}

}  // namespace
}  // namespace tower::test
