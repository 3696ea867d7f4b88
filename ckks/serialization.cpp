// ckks/serialization.cpp — the byte layout of docs/serialization.md, and its checks.
#include "ckks/serialization.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <sstream>
#include <streambuf>

#include "ckks/byte_stream.hpp"
#include "poly/interleaved.hpp"
#include "poly/packed.hpp"
#include "poly/wipe.hpp"

namespace tower::ckks {

std::string to_string(ObjectType type) {
  switch (type) {
    case ObjectType::params: return "parameters";
    case ObjectType::plaintext: return "plaintext";
    case ObjectType::ciphertext: return "ciphertext";
    case ObjectType::seeded_ciphertext: return "seeded ciphertext";
    case ObjectType::public_key: return "public key";
    case ObjectType::relin_key: return "relinearization key";
    case ObjectType::galois_keys: return "Galois key set";
    case ObjectType::galois_key: return "Galois key";
    case ObjectType::secret_key: return "secret key";
  }
  return "unknown";
}

SerializationError::SerializationError(std::string object, std::string field, const std::string& problem)
    : std::runtime_error("tower: cannot load " + object + ": " + field + ": " + problem),
      object_(std::move(object)),
      field_(std::move(field)) {}

namespace {

using detail::ByteReader;
using detail::ByteWriter;

constexpr std::uint8_t kMagic[4] = {'T', 'O', 'W', 'R'};
constexpr std::size_t kSeedBytes = std::tuple_size_v<poly::Seed>;
// Upper bounds of the parameter loader, far above any secure set (a loader
// must not be made to loop or allocate by a count).
constexpr std::uint32_t kMaxPrimes = 256;

std::string hex(u64 x) {
  std::ostringstream s;
  s << "0x" << std::hex << x;
  return s.str();
}

// ---- Header. ----

void write_header(ByteWriter& w, ObjectType type, u64 params_hash, u64 payload) {
  w.bytes(kMagic, 4);
  w.u16(kFormatVersion);
  w.u16(static_cast<std::uint16_t>(type));
  w.u64(params_hash);
  w.u64(payload);
  w.u64(0);  // reserved
}

struct Header {
  u64 params_hash;
  u64 payload;
  std::uint16_t version;  // 1: 8-byte residues; 2: packed (see poly_bytes)
};

// Reads and checks the header. `available`: the bytes of the whole input when
// known (memory, files), which must then be exactly header + payload.
Header read_header(std::istream& is, ObjectType expected, std::optional<u64> expected_hash,
                   std::optional<u64> available) {
  const std::string what = to_string(expected);
  std::uint8_t h[kHeaderBytes];
  is.read(reinterpret_cast<char*>(h), kHeaderBytes);
  const auto got = static_cast<std::size_t>(is.gcount());
  if (got == 0) throw SerializationError(what, "header", "empty input");
  if (got < kHeaderBytes) {
    throw SerializationError(what, "header",
                             "input truncated: the header has " + std::to_string(kHeaderBytes) + " bytes, got " +
                                 std::to_string(got));
  }
  std::istringstream hs(std::string(reinterpret_cast<const char*>(h), kHeaderBytes));
  ByteReader r(hs, kHeaderBytes, what);
  std::uint8_t magic[4];
  r.bytes(magic, 4, "header.magic");
  if (!std::equal(magic, magic + 4, kMagic)) {
    throw SerializationError(what, "header.magic", "not a tower object (magic bytes are not \"TOWR\")");
  }
  const std::uint16_t version = r.u16("header.version");
  if (version == 0 || version > kFormatVersion) {
    throw SerializationError(what, "header.version",
                             "format version " + std::to_string(version) + " is not supported (this build reads 1.." +
                                 std::to_string(kFormatVersion) + ")");
  }
  const std::uint16_t type = r.u16("header.type");
  if (type != static_cast<std::uint16_t>(expected)) {
    const std::string found = to_string(static_cast<ObjectType>(type));
    throw SerializationError(what, "header.type",
                             "the input holds " +
                                 (found == "unknown" ? "an unknown object type " + std::to_string(type) : "a " + found) +
                                 ", expected a " + what);
  }
  Header out;
  out.version = version;
  out.params_hash = r.u64("header.params_hash");
  out.payload = r.u64("header.payload_length");
  if (r.u64("header.reserved") != 0) throw SerializationError(what, "header.reserved", "reserved bytes must be zero");
  if (expected_hash && out.params_hash != *expected_hash) {
    throw SerializationError(what, "header.params_hash",
                             "the object belongs to parameters with hash " + hex(out.params_hash) +
                                 ", the given context's is " + hex(*expected_hash));
  }
  if (available) {
    const u64 rest = *available - kHeaderBytes;  // available >= kHeaderBytes: the header was read
    if (out.payload > rest) {
      throw SerializationError(what, "header.payload_length",
                               "declares " + std::to_string(out.payload) + " payload bytes but only " +
                                   std::to_string(rest) + " follow (truncated input or corrupt length)");
    }
    if (out.payload < rest) {
      throw SerializationError(what, "trailing bytes",
                               std::to_string(rest - out.payload) + " bytes follow the " + what);
    }
  }
  return out;
}

void expect_payload(const ByteReader& r, u64 declared_total, u64 needed_total, const std::string& shape) {
  if (declared_total != needed_total) {
    r.fail("header.payload_length", "declares " + std::to_string(declared_total) + " payload bytes; " + shape +
                                        " has " + std::to_string(needed_total));
  }
}

void expect_consumed(const ByteReader& r) {
  if (r.remaining() != 0) {
    r.fail("payload", std::to_string(r.remaining()) + " bytes of the declared payload were not used");
  }
}

// ---- Polynomials and fields shared by several objects. ----

// Format 1 stores a residue mod q_t in 8 bytes; format 2 (written since) in
// ceil(bits(q_t) / 8), little-endian, as poly::PackedRnsPoly holds keys in
// memory: 7 bytes for 50- to 56-bit primes, 5 for 40-bit ones.
unsigned residue_bytes(const poly::Modulus& q, std::uint16_t version) {
  return version == 1 ? 8 : poly::packed_width(q);
}

u64 poly_bytes(const poly::RnsBase& base, std::size_t n, std::uint16_t version = kFormatVersion) {
  u64 bytes = 0;
  for (std::size_t t = 0; t < base.size(); ++t) bytes += static_cast<u64>(n) * residue_bytes(base.modulus(t), version);
  return bytes;
}

// Tower by tower, each residue in residue_bytes(q_t) bytes, little-endian: a
// whole word is stored at byte c * width and the next residue overwrites its
// high bytes (zero, as the residue is below q < 2^(8 width)); the buffer has
// one spare word for the last.
void write_poly(ByteWriter& w, const poly::RnsPoly& p) {
  static_assert(std::endian::native == std::endian::little, "residues are packed as little-endian words");
  std::vector<std::uint8_t> buf;
  for (std::size_t t = 0; t < p.size(); ++t) {
    const unsigned width = residue_bytes(p.base()->modulus(t), kFormatVersion);
    buf.resize(p.n() * width + sizeof(u64));
    const u64* limb = p.limb(t);
    for (std::size_t c = 0; c < p.n(); ++c) std::memcpy(buf.data() + c * width, &limb[c], sizeof(u64));
    w.bytes(buf.data(), p.n() * width);
  }
}

// Polynomial p of an interleaved set (a key's b_j): each tower's residues are
// already packed in the format's width, in groups of 8 (poly/interleaved.hpp);
// they are gathered tower by tower into the layout write_poly makes.
void write_poly(ByteWriter& w, const poly::InterleavedPolys& parts, std::size_t p) {
  static_assert(std::endian::native == std::endian::little, "packed residues are little-endian in memory");
  std::vector<std::uint8_t> buf;
  const std::size_t n = parts.n();
  for (std::size_t t = 0; t < parts.size(); ++t) {
    const unsigned width = parts.width(t);
    if (width != residue_bytes(parts.base()->modulus(t), kFormatVersion)) {
      throw std::logic_error("tower: save: a packed limb's width differs from the format's");
    }
    const std::size_t group = 8 * std::size_t{width}, stride = parts.stride(t);
    buf.resize(n * width);
    const std::uint8_t* in = parts.operand(t, p);
    for (std::size_t g = 0; g < n / 8; ++g) std::memcpy(buf.data() + g * group, in + g * stride, group);
    w.bytes(buf.data(), n * width);
  }
}

// A polynomial over `base` in evaluation form, every coefficient checked below its prime.
poly::RnsPoly read_poly(ByteReader& r, const std::shared_ptr<const poly::RnsBase>& base, std::size_t n,
                        const std::string& field, std::uint16_t version) {
  poly::RnsPoly p = poly::RnsPoly::uninitialized(base, poly::PolyForm::evaluation);  // every tower read below
  std::vector<std::uint8_t> buf;
  for (std::size_t t = 0; t < base->size(); ++t) {
    const std::string f = field + ".tower[" + std::to_string(t) + "]";
    u64* limb = p.limb(t);
    const unsigned width = residue_bytes(base->modulus(t), version);
    if (width == 8) {
      r.u64s(limb, n, f);
    } else {
      buf.resize(n * width + sizeof(u64));  // a spare word for the last residue's whole-word read
      r.bytes(buf.data(), n * width, f);
      const u64 mask = (u64{1} << (8 * width)) - 1;
      for (std::size_t c = 0; c < n; ++c) {
        u64 v;
        std::memcpy(&v, buf.data() + c * width, sizeof(u64));  // little-endian: see write_poly
        limb[c] = v & mask;
      }
    }
    const u64 q = base->modulus(t).value();
    for (std::size_t i = 0; i < n; ++i) {
      if (limb[i] >= q) {
        r.fail(f, "coefficient " + std::to_string(i) + " is " + std::to_string(limb[i]) + ", not below its prime " +
                      std::to_string(q));
      }
    }
  }
  return p;
}

std::size_t read_level(ByteReader& r, const Context& ctx, const std::string& field) {
  const std::uint32_t level = r.u32(field);
  if (level > ctx.max_level()) {
    r.fail(field, "level " + std::to_string(level) + " is above the context's maximum " +
                      std::to_string(ctx.max_level()));
  }
  return level;
}

double read_scale(ByteReader& r, const std::string& field) {
  const double scale = r.f64(field);
  if (!std::isfinite(scale) || !(scale > 0)) r.fail(field, "the scale must be finite and positive");
  return scale;
}

poly::Seed read_seed(ByteReader& r, const std::string& field) {
  poly::Seed seed;
  r.bytes(seed.data(), seed.size(), field);
  return seed;
}

const std::shared_ptr<const Context>& need(const std::shared_ptr<const Context>& ctx, const char* who) {
  if (!ctx) throw std::invalid_argument(std::string("tower: load<") + who + ">: null context");
  return ctx;
}

// ---- Key-switching keys (relinearization and Galois). ----
//   u32 level | u32 digits | seed (32) | digits x b_j over Q_level * P

u64 switch_key_bytes(const KeySwitchKey& key) {
  const Context& ctx = *key.context();
  return 4 + 4 + kSeedBytes + key.digits() * poly_bytes(*ctx.qp_base(key.level()), ctx.n());
}

void write_switch_key(ByteWriter& w, const KeySwitchKey& key) {
  w.u32(static_cast<std::uint32_t>(key.level()));
  w.u32(static_cast<std::uint32_t>(key.digits()));
  w.bytes(key.seed().data(), kSeedBytes);
  for (std::size_t j = 0; j < key.digits(); ++j) write_poly(w, key.parts(), 2 * j);
}

// Reads one key body; `budget` is the payload left for it (checked before allocating).
KeySwitchKey read_switch_key(ByteReader& r, const std::shared_ptr<const Context>& ctx, const std::string& prefix,
                             u64 galois_element, std::uint16_t v) {
  const std::size_t level = read_level(r, *ctx, prefix + "level");
  const std::uint32_t digits = r.u32(prefix + "digits");
  const std::size_t want = ctx->keyswitch(level).digits.size();
  if (digits != want) {
    r.fail(prefix + "digits", "a key for level " + std::to_string(level) + " has " + std::to_string(want) +
                                  " digits in this context, the input says " + std::to_string(digits));
  }
  const poly::Seed seed = read_seed(r, prefix + "seed");
  const auto& qp = ctx->qp_base(level);
  const u64 body = digits * poly_bytes(*qp, ctx->n(), v);
  if (body > r.remaining()) {
    r.fail(prefix + "b", "a level-" + std::to_string(level) + " key needs " + std::to_string(body) +
                             " bytes, the declared payload leaves " + std::to_string(r.remaining()));
  }
  std::vector<poly::RnsPoly> b;
  for (std::size_t j = 0; j < digits; ++j) {
    b.push_back(read_poly(r, qp, ctx->n(), prefix + "b[" + std::to_string(j) + "]", v));
  }
  return detail::KeyAccess::switch_key(ctx, std::move(b), seed, level, galois_element);
}

u64 read_galois_element(ByteReader& r, const Context& ctx, const std::string& field) {
  const u64 g = r.u64(field);
  const u64 m = 2 * static_cast<u64>(ctx.n());
  if ((g & 1) == 0 || g >= m) {
    r.fail(field, "Galois element " + std::to_string(g) + " must be odd and below 2N = " + std::to_string(m));
  }
  return g;
}

// ---- Loaders by type (the payload, after the header). ----

template <class T>
struct Tag {};

Plaintext read(Tag<Plaintext>, ByteReader& r, const std::shared_ptr<const Context>& ctx,
               u64 declared, std::uint16_t v) {
  const std::size_t level = read_level(r, *ctx, "level");
  const double scale = read_scale(r, "scale");
  const auto& base = ctx->q_base(level);
  expect_payload(r, declared, 4 + 8 + poly_bytes(*base, ctx->n(), v),
                 "a level-" + std::to_string(level) + " plaintext");
  poly::RnsPoly p = read_poly(r, base, ctx->n(), "poly", v);
  return Plaintext(ctx, std::move(p), scale);
}

Ciphertext read(Tag<Ciphertext>, ByteReader& r, const std::shared_ptr<const Context>& ctx,
                u64 declared, std::uint16_t v) {
  const std::size_t level = read_level(r, *ctx, "level");
  const std::uint32_t size = r.u32("components");
  if (size != 2 && size != 3) r.fail("components", "a ciphertext has 2 or 3 components, the input says " + std::to_string(size));
  const double scale = read_scale(r, "scale");
  const auto& base = ctx->q_base(level);
  expect_payload(r, declared, 4 + 4 + 8 + size * poly_bytes(*base, ctx->n(), v),
                 "a level-" + std::to_string(level) + " ciphertext of " + std::to_string(size) + " components");
  std::vector<poly::RnsPoly> c;
  for (std::size_t i = 0; i < size; ++i) c.push_back(read_poly(r, base, ctx->n(), "c[" + std::to_string(i) + "]", v));
  return Ciphertext(ctx, std::move(c), scale);
}

SeededCiphertext read(Tag<SeededCiphertext>, ByteReader& r, const std::shared_ptr<const Context>& ctx,
                      u64 declared, std::uint16_t v) {
  const std::size_t level = read_level(r, *ctx, "level");
  const double scale = read_scale(r, "scale");
  const auto& base = ctx->q_base(level);
  expect_payload(r, declared, 4 + 8 + kSeedBytes + poly_bytes(*base, ctx->n(), v),
                 "a level-" + std::to_string(level) + " seeded ciphertext");
  const poly::Seed seed = read_seed(r, "seed");
  poly::RnsPoly c0 = read_poly(r, base, ctx->n(), "c0", v);
  return SeededCiphertext{ctx, std::move(c0), seed, scale};
}

PublicKey read(Tag<PublicKey>, ByteReader& r, const std::shared_ptr<const Context>& ctx,
               u64 declared, std::uint16_t v) {
  const auto& base = ctx->q_base(ctx->max_level());
  expect_payload(r, declared, kSeedBytes + poly_bytes(*base, ctx->n(), v), "a public key");
  const poly::Seed seed = read_seed(r, "seed");
  poly::RnsPoly b = read_poly(r, base, ctx->n(), "b", v);
  return detail::KeyAccess::public_key(ctx, std::move(b), seed);
}

RelinKey read(Tag<RelinKey>, ByteReader& r, const std::shared_ptr<const Context>& ctx,
              u64, std::uint16_t v) {
  return detail::KeyAccess::relin_key(read_switch_key(r, ctx, "", 0, v));
}

GaloisKeyEntry read(Tag<GaloisKeyEntry>, ByteReader& r, const std::shared_ptr<const Context>& ctx,
                    u64, std::uint16_t v) {
  const u64 g = read_galois_element(r, *ctx, "galois_element");
  return GaloisKeyEntry{g, read_switch_key(r, ctx, "", g, v)};
}

GaloisKeys read(Tag<GaloisKeys>, ByteReader& r, const std::shared_ptr<const Context>& ctx,
                u64, std::uint16_t v) {
  const std::uint32_t count = r.u32("count");
  if (count > ctx->n()) {  // N distinct odd elements below 2N
    r.fail("count", std::to_string(count) + " keys, but there are only " + std::to_string(ctx->n()) +
                        " Galois elements at N = " + std::to_string(ctx->n()));
  }
  GaloisKeys keys(ctx);
  u64 previous = 0;
  for (std::uint32_t i = 0; i < count; ++i) {
    const std::string prefix = "key[" + std::to_string(i) + "].";
    const u64 g = read_galois_element(r, *ctx, prefix + "galois_element");
    if (i > 0 && g <= previous) {
      r.fail(prefix + "galois_element", "elements must be strictly increasing (a repeated or unordered element " +
                                            std::to_string(g) + ")");
    }
    previous = g;
    keys.insert(g, read_switch_key(r, ctx, prefix, g, v));
  }
  return keys;
}

SecretKey read(Tag<SecretKey>, ByteReader& r, const std::shared_ptr<const Context>& ctx, u64 declared,
               std::uint16_t) {
  const std::size_t n = ctx->n();
  expect_payload(r, declared, n, "a secret key (one byte per coefficient)");
  std::vector<std::uint8_t> coeffs(n);
  struct Wipe {
    std::vector<std::uint8_t>& v;
    ~Wipe() { poly::secure_wipe(v.data(), v.size()); }
  } wipe{coeffs};
  r.bytes(coeffs.data(), n, "coefficients");
  std::size_t weight = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (coeffs[i] != 0 && coeffs[i] != 1 && coeffs[i] != 0xff) {
      r.fail("coefficients", "coefficient " + std::to_string(i) + " is not -1, 0 or 1");
    }
    weight += coeffs[i] != 0;
  }
  const auto& dist = ctx->params().secret();
  if (dist.kind == SecretDistribution::Kind::sparse_ternary && weight != dist.hamming_weight) {
    r.fail("coefficients", "Hamming weight " + std::to_string(weight) + ", the parameters say " +
                               std::to_string(dist.hamming_weight));
  }
  const auto& base = ctx->qp_base(ctx->max_level());
  poly::RnsPoly s(base, poly::PolyForm::coefficient);
  for (std::size_t t = 0; t < base->size(); ++t) {
    const u64 q = base->modulus(t).value();
    u64* limb = s.limb(t);
    for (std::size_t i = 0; i < n; ++i) limb[i] = coeffs[i] == 1 ? 1 : coeffs[i] == 0xff ? q - 1 : 0;
  }
  s.to_evaluation();
  // SecretKey wipes its own copy; `s` is moved into it.
  return detail::KeyAccess::secret_key(ctx, std::move(s));
}

template <class T>
constexpr ObjectType type_of() {
  if constexpr (std::is_same_v<T, Plaintext>) return ObjectType::plaintext;
  if constexpr (std::is_same_v<T, Ciphertext>) return ObjectType::ciphertext;
  if constexpr (std::is_same_v<T, SeededCiphertext>) return ObjectType::seeded_ciphertext;
  if constexpr (std::is_same_v<T, PublicKey>) return ObjectType::public_key;
  if constexpr (std::is_same_v<T, RelinKey>) return ObjectType::relin_key;
  if constexpr (std::is_same_v<T, GaloisKeys>) return ObjectType::galois_keys;
  if constexpr (std::is_same_v<T, GaloisKeyEntry>) return ObjectType::galois_key;
  if constexpr (std::is_same_v<T, SecretKey>) return ObjectType::secret_key;
}

template <class T>
T load_object(std::istream& is, const std::shared_ptr<const Context>& ctx, std::optional<u64> available) {
  constexpr ObjectType type = type_of<T>();
  const Header h = read_header(is, type, ctx->params_hash(), available);
  ByteReader r(is, h.payload, to_string(type));
  T out = read(Tag<T>{}, r, ctx, h.payload, h.version);
  expect_consumed(r);
  return out;
}

// A read-only istream over a byte span (no copy).
class SpanBuf : public std::streambuf {
 public:
  explicit SpanBuf(std::span<const std::uint8_t> bytes) {
    char* p = const_cast<char*>(reinterpret_cast<const char*>(bytes.data()));  // never written: get area only
    setg(p, p, p + bytes.size());
  }
};

// ---- Payload sizes and writers by type. ----

u64 payload_bytes(const Plaintext& p) { return 4 + 8 + poly_bytes(*p.poly().base(), p.poly().n()); }
u64 payload_bytes(const Ciphertext& c) { return 4 + 4 + 8 + c.size() * poly_bytes(*c[0].base(), c[0].n()); }

void write_params(ByteWriter& w, const Params& params) {
  const ParamsLiteral& lit = params.literal();
  w.u64(lit.n);
  w.u32(static_cast<std::uint32_t>(lit.q.size()));
  w.u32(static_cast<std::uint32_t>(lit.p.size()));
  for (u64 q : lit.q) w.u64(q);
  for (u64 p : lit.p) w.u64(p);
  w.u32(static_cast<std::uint32_t>(lit.dnum));
  w.u32(static_cast<std::uint32_t>(lit.secret.hamming_weight));
  w.f64(lit.scale);
  w.u8(static_cast<std::uint8_t>(lit.secret.kind));
  w.u8(static_cast<std::uint8_t>(lit.security));
  w.u8(lit.allow_insecure ? 1 : 0);
}

u64 params_payload(const Params& params) {
  return 8 + 4 + 4 + 8 * (params.q().size() + params.p().size()) + 4 + 4 + 8 + 3;
}

Params read_params(std::istream& is, bool allow_insecure, std::optional<u64> available) {
  const std::string what = to_string(ObjectType::params);
  const Header h = read_header(is, ObjectType::params, std::nullopt, available);
  ByteReader r(is, h.payload, what);
  ParamsLiteral lit;
  const u64 n = r.u64("n");
  if (n < (1u << 10) || n > (1u << 17) || (n & (n - 1)) != 0) {
    r.fail("n", "N = " + std::to_string(n) + " is not a power of two in [2^10, 2^17]");
  }
  lit.n = static_cast<std::size_t>(n);
  const std::uint32_t qc = r.u32("q_count"), pc = r.u32("p_count");
  if (qc == 0 || qc > kMaxPrimes) r.fail("q_count", std::to_string(qc) + " ciphertext primes is not in [1, 256]");
  if (pc == 0 || pc > kMaxPrimes) r.fail("p_count", std::to_string(pc) + " special primes is not in [1, 256]");
  expect_payload(r, h.payload, 8 + 4 + 4 + 8 * (u64{qc} + pc) + 4 + 4 + 8 + 3,
                 "a parameter set of " + std::to_string(qc) + " + " + std::to_string(pc) + " primes");
  for (std::uint32_t i = 0; i < qc; ++i) lit.q.push_back(r.u64("q[" + std::to_string(i) + "]"));
  for (std::uint32_t i = 0; i < pc; ++i) lit.p.push_back(r.u64("p[" + std::to_string(i) + "]"));
  lit.dnum = r.u32("dnum");
  if (lit.dnum == 0) r.fail("dnum", "must be at least 1");  // 0 would mean "choose" to Params::create
  lit.secret.hamming_weight = r.u32("hamming_weight");
  lit.scale = r.f64("scale");
  if (!std::isfinite(lit.scale) || !(lit.scale > 0)) r.fail("scale", "the scale must be finite and positive");
  const std::uint8_t kind = r.u8("secret_kind");
  if (kind > 1) r.fail("secret_kind", "unknown secret distribution " + std::to_string(kind));
  lit.secret.kind = static_cast<SecretDistribution::Kind>(kind);
  if (lit.secret.kind == SecretDistribution::Kind::uniform_ternary && lit.secret.hamming_weight != 0) {
    r.fail("hamming_weight", "must be 0 for a uniform ternary secret");
  }
  const std::uint8_t security = r.u8("security");
  if (security > 2) r.fail("security", "unknown security level " + std::to_string(security));
  lit.security = static_cast<SecurityLevel>(security);
  const std::uint8_t insecure = r.u8("allow_insecure");
  if (insecure > 1) r.fail("allow_insecure", "must be 0 or 1");
  lit.allow_insecure = insecure == 1;
  expect_consumed(r);
  if (lit.allow_insecure && !allow_insecure) {
    r.fail("allow_insecure", "the parameters waive the 128-bit security check; the loader was not allowed to accept that");
  }
  std::optional<Params> params;
  try {
    params.emplace(Params::create(lit));
  } catch (const std::logic_error& e) {  // invalid_argument, out_of_range: the set is not valid
    r.fail("parameters", e.what());
  }
  if (params->hash() != h.params_hash) {
    r.fail("header.params_hash", "the header says " + hex(h.params_hash) + " but the parameters hash to " +
                                     hex(params->hash()));
  }
  return std::move(*params);
}

std::optional<u64> file_size_of(const std::string& path, std::ifstream& f) {
  f.open(path, std::ios::binary);
  if (!f) throw std::runtime_error("tower: cannot open " + path + " for reading");
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) throw std::runtime_error("tower: cannot read the size of " + path + ": " + ec.message());
  return static_cast<u64>(size);
}

template <class T>
void write_file(const T& object, const std::string& path) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (!f) throw std::runtime_error("tower: cannot open " + path + " for writing");
  save(object, f);
  f.close();
  if (!f) throw std::runtime_error("tower: writing " + path + " failed");
}

}  // namespace

// ---- Saving. ----

void save(const Params& params, std::ostream& os) {
  ByteWriter w(os);
  write_header(w, ObjectType::params, params.hash(), params_payload(params));
  write_params(w, params);
}

void save(const Plaintext& plain, std::ostream& os) {
  ByteWriter w(os);
  write_header(w, ObjectType::plaintext, plain.context()->params_hash(), payload_bytes(plain));
  w.u32(static_cast<std::uint32_t>(plain.level()));
  w.f64(plain.scale());
  write_poly(w, plain.poly());
}

void save(const Ciphertext& ct, std::ostream& os) {
  ByteWriter w(os);
  write_header(w, ObjectType::ciphertext, ct.context()->params_hash(), payload_bytes(ct));
  w.u32(static_cast<std::uint32_t>(ct.level()));
  w.u32(static_cast<std::uint32_t>(ct.size()));
  w.f64(ct.scale());
  for (std::size_t i = 0; i < ct.size(); ++i) write_poly(w, ct[i]);
}

void save(const SeededCiphertext& ct, std::ostream& os) {
  ByteWriter w(os);
  const u64 payload = 4 + 8 + kSeedBytes + poly_bytes(*ct.c0.base(), ct.c0.n());
  write_header(w, ObjectType::seeded_ciphertext, ct.context->params_hash(), payload);
  w.u32(static_cast<std::uint32_t>(ct.c0.size() - 1));
  w.f64(ct.scale);
  w.bytes(ct.seed.data(), kSeedBytes);
  write_poly(w, ct.c0);
}

void save(const PublicKey& key, std::ostream& os) {
  ByteWriter w(os);
  write_header(w, ObjectType::public_key, key.context()->params_hash(),
               kSeedBytes + poly_bytes(*key.b().base(), key.b().n()));
  w.bytes(key.seed().data(), kSeedBytes);
  write_poly(w, key.b());
}

void save(const RelinKey& key, std::ostream& os) {
  ByteWriter w(os);
  write_header(w, ObjectType::relin_key, key.context()->params_hash(), switch_key_bytes(key.key()));
  write_switch_key(w, key.key());
}

void save(const GaloisKeys& keys, std::ostream& os) {
  if (!keys.context()) throw std::invalid_argument("tower: save(GaloisKeys): the key set has no context");
  u64 payload = 4;
  const std::vector<u64> elements = keys.elements();  // increasing: the loader checks the order
  for (u64 g : elements) payload += 8 + switch_key_bytes(keys.at(g));
  ByteWriter w(os);
  write_header(w, ObjectType::galois_keys, keys.context()->params_hash(), payload);
  w.u32(static_cast<std::uint32_t>(elements.size()));
  for (u64 g : elements) {
    w.u64(g);
    write_switch_key(w, keys.at(g));
  }
}

void save(const GaloisKeyEntry& entry, std::ostream& os) {
  ByteWriter w(os);
  write_header(w, ObjectType::galois_key, entry.key.context()->params_hash(), 8 + switch_key_bytes(entry.key));
  w.u64(entry.galois_element);
  write_switch_key(w, entry.key);
}

void save_galois_key(const GaloisKeys& keys, u64 galois_element, std::ostream& os) {
  const KeySwitchKey& key = keys.at(galois_element);  // throws naming the step
  ByteWriter w(os);
  write_header(w, ObjectType::galois_key, key.context()->params_hash(), 8 + switch_key_bytes(key));
  w.u64(galois_element);
  write_switch_key(w, key);
}

void save_secret_key(const SecretKey& key, std::ostream& os) {
  const Context& ctx = *key.context();
  const std::size_t n = ctx.n();
  // s is held in evaluation form over Q_L * P; its coefficients are in {-1, 0, 1},
  // read off tower 0 after an inverse NTT of that tower alone.
  poly::RnsPoly s0(ctx.q_base(0), poly::PolyForm::evaluation);
  std::copy(key.poly().data(), key.poly().data() + n, s0.data());
  s0.to_coefficient();
  std::vector<std::uint8_t> coeffs(n);
  const u64 q0 = ctx.q_base(0)->modulus(0).value();
  bool ternary = true;
  for (std::size_t i = 0; i < n; ++i) {
    const u64 v = s0.data()[i];
    coeffs[i] = v == 0 ? 0 : v == 1 ? 1 : 0xff;
    ternary = ternary && (v == 0 || v == 1 || v == q0 - 1);
  }
  poly::secure_wipe(s0);
  if (!ternary) {
    poly::secure_wipe(coeffs.data(), coeffs.size());
    throw std::invalid_argument("tower: save_secret_key: the key is not ternary");
  }
  try {
    ByteWriter w(os);
    write_header(w, ObjectType::secret_key, ctx.params_hash(), n);
    w.bytes(coeffs.data(), n);
  } catch (...) {
    poly::secure_wipe(coeffs.data(), coeffs.size());
    throw;
  }
  poly::secure_wipe(coeffs.data(), coeffs.size());
}

void save_secret_key_file(const SecretKey& key, const std::string& path) {
  // Create (or truncate) the file with mode 0600 before any byte is written, and
  // force 0600 on a file that existed (open's mode applies only on creation).
  // Not umask: it is process-wide state, racy with other threads.
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0 || ::fchmod(fd, 0600) != 0) {
    if (fd >= 0) ::close(fd);
    throw std::runtime_error("tower: cannot create " + path + " with owner-only permissions");
  }
  ::close(fd);
  std::ofstream f(path, std::ios::binary | std::ios::trunc);  // keeps the mode
  if (!f) throw std::runtime_error("tower: cannot open " + path + " for writing");
  save_secret_key(key, f);
  f.close();
  if (!f) throw std::runtime_error("tower: writing " + path + " failed");
}

template <class T>
std::vector<std::uint8_t> to_bytes(const T& object) {
  std::ostringstream os(std::ios::binary);
  save(object, os);
  const std::string s = std::move(os).str();
  return std::vector<std::uint8_t>(s.begin(), s.end());
}

template <class T>
void save_file(const T& object, const std::string& path) {
  write_file(object, path);
}

// ---- Loading. ----

template <class T>
T load(std::istream& is, const std::shared_ptr<const Context>& context) {
  return load_object<T>(is, need(context, to_string(type_of<T>()).c_str()), std::nullopt);
}

template <class T>
T load(std::span<const std::uint8_t> bytes, const std::shared_ptr<const Context>& context) {
  need(context, to_string(type_of<T>()).c_str());
  SpanBuf buf(bytes);
  std::istream is(&buf);
  return load_object<T>(is, context, bytes.size() >= kHeaderBytes ? std::optional<u64>(bytes.size()) : std::nullopt);
}

template <class T>
T load_file(const std::string& path, const std::shared_ptr<const Context>& context) {
  need(context, to_string(type_of<T>()).c_str());
  std::ifstream f;
  const auto size = file_size_of(path, f);
  return load_object<T>(f, context, *size >= kHeaderBytes ? size : std::nullopt);
}

Params load_params(std::istream& is, bool allow_insecure) { return read_params(is, allow_insecure, std::nullopt); }

Params load_params(std::span<const std::uint8_t> bytes, bool allow_insecure) {
  SpanBuf buf(bytes);
  std::istream is(&buf);
  return read_params(is, allow_insecure, bytes.size() >= kHeaderBytes ? std::optional<u64>(bytes.size()) : std::nullopt);
}

Params load_params_file(const std::string& path, bool allow_insecure) {
  std::ifstream f;
  const auto size = file_size_of(path, f);
  return read_params(f, allow_insecure, *size >= kHeaderBytes ? size : std::nullopt);
}

#define TOWER_SERIALIZABLE(T)                                                                  \
  template std::vector<std::uint8_t> to_bytes<T>(const T&);                                    \
  template void save_file<T>(const T&, const std::string&);                                    \
  template T load<T>(std::istream&, const std::shared_ptr<const Context>&);                    \
  template T load<T>(std::span<const std::uint8_t>, const std::shared_ptr<const Context>&);    \
  template T load_file<T>(const std::string&, const std::shared_ptr<const Context>&);

TOWER_SERIALIZABLE(Plaintext)
TOWER_SERIALIZABLE(Ciphertext)
TOWER_SERIALIZABLE(SeededCiphertext)
TOWER_SERIALIZABLE(PublicKey)
TOWER_SERIALIZABLE(RelinKey)
TOWER_SERIALIZABLE(GaloisKeys)
TOWER_SERIALIZABLE(GaloisKeyEntry)
#undef TOWER_SERIALIZABLE

template std::vector<std::uint8_t> to_bytes<Params>(const Params&);
template void save_file<Params>(const Params&, const std::string&);

// The secret key loads like the others; it is saved only by save_secret_key.
template SecretKey load<SecretKey>(std::istream&, const std::shared_ptr<const Context>&);
template SecretKey load<SecretKey>(std::span<const std::uint8_t>, const std::shared_ptr<const Context>&);
template SecretKey load_file<SecretKey>(const std::string&, const std::shared_ptr<const Context>&);

}  // namespace tower::ckks
