// tests/fuzz/fuzz_load.cpp — one libFuzzer target per loader of
// ckks/serialization.hpp, selected at compile time by TOWER_FUZZ_OBJECT.
//
// Properties checked on every input:
//  * loading from memory and from a stream either succeeds or throws
//    SerializationError — any other exception, crash, sanitizer report, hang or
//    oversized allocation (libFuzzer's -malloc_limit_mb) is a bug;
//  * both loaders agree;
//  * an accepted input of the current format is canonical: saving the loaded
//    object gives back exactly the input bytes; one of an older format (read
//    for compatibility) re-saves to current-format bytes that load to an object
//    saving to them again.
// Anything a fuzzer finds goes into regressions/<target>/ (replayed by ctest).
#include <cstdint>
#include <cstdlib>
#include <cstdio>
#include <optional>
#include <algorithm>
#include <span>
#include <sstream>
#include <string>
#include <vector>

#include "ckks/serialization.hpp"
#include "fuzz/fuzz_context.hpp"

namespace {

using namespace tower;
using Bytes = std::vector<std::uint8_t>;

[[noreturn]] void bug(const char* what) {
  std::fprintf(stderr, "fuzz_load: %s\n", what);
  std::abort();
}

template <class T>
Bytes resave(const T& x) {
  return ckks::to_bytes(x);
}
template <>
Bytes resave<ckks::SecretKey>(const ckks::SecretKey& x) {
  std::ostringstream os;
  ckks::save_secret_key(x, os);
  const std::string s = os.str();
  return Bytes(s.begin(), s.end());
}

// Returns the re-saved bytes, or nothing if the input was refused.
template <class T>
std::optional<Bytes> try_load_span(std::span<const std::uint8_t> in) {
  try {
    if constexpr (std::is_same_v<T, ckks::Params>) {
      return resave(ckks::load_params(in, /*allow_insecure=*/true));
    } else {
      return resave(ckks::load<T>(in, fuzz::fuzz_context()));
    }
  } catch (const ckks::SerializationError&) {
    return std::nullopt;
  }
}

template <class T>
std::optional<Bytes> try_load_stream(std::span<const std::uint8_t> in) {
  std::istringstream is(std::string(in.begin(), in.end()));
  try {
    if constexpr (std::is_same_v<T, ckks::Params>) {
      return resave(ckks::load_params(is, true));
    } else {
      return resave(ckks::load<T>(is, fuzz::fuzz_context()));
    }
  } catch (const ckks::SerializationError&) {
    return std::nullopt;
  }
}

template <class T>
void check(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> in(data, size);
  const auto a = try_load_span<T>(in);
  const auto b = try_load_stream<T>(in);
  const bool current = in.size() >= 6 && (in[4] | (in[5] << 8)) == ckks::kFormatVersion;
  if (a) {
    if (current) {
      if (*a != Bytes(in.begin(), in.end())) bug("an accepted input does not re-save to the same bytes");
    } else {
      const auto again = try_load_span<T>(*a);
      if (!again || *again != *a) bug("an older-format input re-saves to bytes that do not round-trip");
    }
    if (!b || *b != *a) bug("the memory loader accepted what the stream loader refused");
  }
  // The stream loader may accept a prefix (it leaves trailing bytes in the stream);
  // an older-format prefix re-saves in the current format, which must round-trip.
  if (b && current && (b->size() > size || !std::equal(b->begin(), b->end(), data))) {
    bug("the stream loader's object is not the input's prefix");
  }
  if (b && !current) {
    const auto again = try_load_span<T>(*b);
    if (!again || *again != *b) bug("an older-format stream input re-saves to bytes that do not round-trip");
  }
}

}  // namespace

#define TOWER_FUZZ_TYPE_params ckks::Params
#define TOWER_FUZZ_TYPE_plaintext ckks::Plaintext
#define TOWER_FUZZ_TYPE_ciphertext ckks::Ciphertext
#define TOWER_FUZZ_TYPE_seeded_ciphertext ckks::SeededCiphertext
#define TOWER_FUZZ_TYPE_public_key ckks::PublicKey
#define TOWER_FUZZ_TYPE_relin_key ckks::RelinKey
#define TOWER_FUZZ_TYPE_galois_keys ckks::GaloisKeys
#define TOWER_FUZZ_TYPE_galois_key ckks::GaloisKeyEntry
#define TOWER_FUZZ_TYPE_secret_key ckks::SecretKey
#define TOWER_FUZZ_CAT(a, b) a##b
#define TOWER_FUZZ_TYPE(x) TOWER_FUZZ_CAT(TOWER_FUZZ_TYPE_, x)

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  check<TOWER_FUZZ_TYPE(TOWER_FUZZ_OBJECT)>(data, size);
  return 0;
}

// For the replay driver: whether the memory loader accepts an input (every seed
// of the committed corpus must, or the corpus is stale).
extern "C" bool tower_fuzz_accepts(const std::uint8_t* data, std::size_t size) {
  return try_load_span<TOWER_FUZZ_TYPE(TOWER_FUZZ_OBJECT)>(std::span<const std::uint8_t>(data, size)).has_value();
}
