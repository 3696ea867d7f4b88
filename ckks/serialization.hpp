// ckks/serialization.hpp — saving and loading every CKKS object, safely.
//
// Encrypted inference is a client/server protocol: evaluation keys and
// ciphertexts cross a network, and every byte of them is untrusted input. The
// format (docs/serialization.md has the byte layout) is:
//
//   header (32 bytes, little-endian)
//     magic "TOWR" | u16 format version | u16 object type | u64 parameter hash
//     | u64 payload length | u64 reserved (0)
//   payload: the object's fields, little-endian; coefficients as u64 words.
//
// Keys are always written in their seeded (compressed) form: the uniform half
// of every public and key-switching key is its 32-byte seed and is re-expanded
// on loading, so a key costs half its in-memory size. Secret-key ciphertexts
// (SeededCiphertext) likewise. A secret key is stored as its n ternary
// coefficients, one byte each, and only through the explicitly named
// save_secret_key.
//
// Guarantees of every loader:
//  * the header is checked first — magic, a known version, the expected object
//    type, the parameter hash of the given context, reserved bits zero;
//  * sizes (N, level, component and digit counts) are checked against the
//    context before anything is allocated, and a length field can never cause an
//    allocation larger than the context's largest legitimate object; loaders
//    from memory or files also check the declared length against the bytes
//    present before reading further;
//  * every coefficient is checked to be below its prime, every flag and count
//    to be in range, the payload to be consumed exactly (and, for memory and
//    files, nothing to follow it);
//  * any violation throws SerializationError naming the object and the field;
//    the result is built in local storage and returned only when complete, so
//    nothing is ever half-loaded.
// The format has no integrity protection against a deliberate attacker (no MAC):
// a well-formed object with altered coefficients loads. Authenticate the channel.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "ckks/ciphertext.hpp"
#include "ckks/context.hpp"
#include "ckks/encryptor.hpp"
#include "ckks/galois.hpp"
#include "ckks/keys.hpp"
#include "ckks/params.hpp"
#include "ckks/plaintext.hpp"

namespace tower::ckks {

/// The object types of the header's type field.
enum class ObjectType : std::uint16_t {
  params = 1,
  plaintext = 2,
  ciphertext = 3,
  seeded_ciphertext = 4,
  public_key = 5,
  relin_key = 6,
  galois_keys = 7,  ///< a whole set
  galois_key = 8,   ///< one Galois element's key
  secret_key = 9,
};

/// "ciphertext", "public key", ...; "unknown" for values outside the enum.
std::string to_string(ObjectType type);

/// The format version this build writes (and the newest it reads; it reads
/// every version from 1). Version 2 stores residues in ceil(bits(q)/8) bytes
/// instead of 8 (docs/serialization.md).
inline constexpr std::uint16_t kFormatVersion = 2;
/// Bytes of the header.
inline constexpr std::size_t kHeaderBytes = 32;

/// A load that found malformed, mismatched or truncated input.
class SerializationError : public std::runtime_error {
 public:
  SerializationError(std::string object, std::string field, const std::string& problem);
  /// The object being loaded ("ciphertext", ...).
  const std::string& object() const noexcept { return object_; }
  /// The offending field ("header.magic", "c[1].limb[3]", "payload", ...).
  const std::string& field() const noexcept { return field_; }

 private:
  std::string object_, field_;
};

/// One Galois key with its element (the unit of per-step saving and loading).
struct GaloisKeyEntry {
  u64 galois_element;
  KeySwitchKey key;
};

// ---- Saving (to a stream; the helpers below add bytes and files). ----
// @throws std::runtime_error if the stream fails.

void save(const Params& params, std::ostream& os);
void save(const Plaintext& plain, std::ostream& os);
void save(const Ciphertext& ct, std::ostream& os);
void save(const SeededCiphertext& ct, std::ostream& os);
void save(const PublicKey& key, std::ostream& os);
void save(const RelinKey& key, std::ostream& os);
void save(const GaloisKeys& keys, std::ostream& os);
void save(const GaloisKeyEntry& entry, std::ostream& os);
/// One key of a set, as a GaloisKeyEntry. @throws std::invalid_argument if absent.
void save_galois_key(const GaloisKeys& keys, u64 galois_element, std::ostream& os);
/// The secret key — named explicitly so that it is never written by accident.
void save_secret_key(const SecretKey& key, std::ostream& os);
/// The secret key to a file (created with owner-only permissions, 0600).
void save_secret_key_file(const SecretKey& key, const std::string& path);
/// Not through the generic functions: a secret key is saved only by name.
void save(const SecretKey&, std::ostream&) = delete;

/// Any savable object (not a secret key) as bytes.
template <class T>
std::vector<std::uint8_t> to_bytes(const T& object);
/// Any savable object (not a secret key) to a file, replacing it.
/// @throws std::runtime_error if the file cannot be written.
template <class T>
void save_file(const T& object, const std::string& path);
template <>
std::vector<std::uint8_t> to_bytes<SecretKey>(const SecretKey&) = delete;
template <>
void save_file<SecretKey>(const SecretKey&, const std::string&) = delete;

// ---- Loading. ----
// T is one of Plaintext, Ciphertext, SeededCiphertext, PublicKey, RelinKey,
// GaloisKeys, GaloisKeyEntry, SecretKey; `context` is the context the object
// must belong to. Loading from a stream reads exactly one object and leaves the
// stream after it; loading from bytes or a file requires them to hold exactly
// one object. @throws SerializationError as described above; std::invalid_argument
// for a null context.

template <class T>
T load(std::istream& is, const std::shared_ptr<const Context>& context);
template <class T>
T load(std::span<const std::uint8_t> bytes, const std::shared_ptr<const Context>& context);
template <class T>
T load_file(const std::string& path, const std::shared_ptr<const Context>& context);

/// Parameters (checked again by Params::create, and against the header's hash).
/// A parameter set that waives the security check is refused unless
/// `allow_insecure`: a server must not be talked into insecure parameters.
Params load_params(std::istream& is, bool allow_insecure = false);
Params load_params(std::span<const std::uint8_t> bytes, bool allow_insecure = false);
Params load_params_file(const std::string& path, bool allow_insecure = false);

}  // namespace tower::ckks
