// ckks/byte_stream.hpp — internal: little-endian writing and bounded, checked
// reading of the fields of serialized objects (ckks/serialization.hpp).
//
// Every read names the field it reads, so a failure can say which one was
// short or out of range. A ByteReader knows how many payload bytes the header
// declared and never reads past them, and a read that the stream cannot
// satisfy is reported as a truncation of that field.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <istream>
#include <ostream>
#include <string>

#include "ckks/serialization.hpp"

namespace tower::ckks::detail {

static_assert(std::endian::native == std::endian::little || std::endian::native == std::endian::big,
              "mixed-endian hosts are not supported");

inline std::uint64_t to_le(std::uint64_t x) noexcept {
  if constexpr (std::endian::native == std::endian::big) return __builtin_bswap64(x);
  return x;
}

class ByteWriter {
 public:
  explicit ByteWriter(std::ostream& os) : os_(os) {}

  void bytes(const void* p, std::size_t n) {
    os_.write(static_cast<const char*>(p), static_cast<std::streamsize>(n));
    if (!os_) throw std::runtime_error("tower: serialization: the output stream failed");
  }
  void u8(std::uint8_t x) { bytes(&x, 1); }
  void u16(std::uint16_t x) {
    const std::uint8_t b[2] = {static_cast<std::uint8_t>(x), static_cast<std::uint8_t>(x >> 8)};
    bytes(b, 2);
  }
  void u32(std::uint32_t x) {
    std::uint8_t b[4];
    for (int i = 0; i < 4; ++i) b[i] = static_cast<std::uint8_t>(x >> (8 * i));
    bytes(b, 4);
  }
  void u64(std::uint64_t x) {
    std::uint8_t b[8];
    for (int i = 0; i < 8; ++i) b[i] = static_cast<std::uint8_t>(x >> (8 * i));
    bytes(b, 8);
  }
  void f64(double x) { u64(std::bit_cast<std::uint64_t>(x)); }
  /// count words, little-endian, in blocks (no copy on little-endian hosts).
  void u64s(const std::uint64_t* p, std::size_t count) {
    if constexpr (std::endian::native == std::endian::little) {
      bytes(p, count * 8);
    } else {
      for (std::size_t i = 0; i < count; ++i) u64(p[i]);
    }
  }

 private:
  std::ostream& os_;
};

class ByteReader {
 public:
  /// Reads at most `payload` bytes of `is`; `what` names the object for errors.
  ByteReader(std::istream& is, std::uint64_t payload, std::string what)
      : is_(is), remaining_(payload), what_(std::move(what)) {}

  std::uint64_t remaining() const noexcept { return remaining_; }
  const std::string& what() const noexcept { return what_; }

  [[noreturn]] void fail(const std::string& field, const std::string& problem) const {
    throw SerializationError(what_, field, problem);
  }

  void bytes(void* dst, std::size_t n, const std::string& field) {
    if (n > remaining_) {
      fail(field, "needs " + std::to_string(n) + " more bytes but the header's payload length leaves " +
                      std::to_string(remaining_));
    }
    is_.read(static_cast<char*>(dst), static_cast<std::streamsize>(n));
    const auto got = static_cast<std::size_t>(is_.gcount());
    if (got != n) {
      fail(field, "input truncated: needed " + std::to_string(n) + " bytes, got " + std::to_string(got));
    }
    remaining_ -= n;
  }
  std::uint8_t u8(const std::string& field) {
    std::uint8_t b;
    bytes(&b, 1, field);
    return b;
  }
  std::uint16_t u16(const std::string& field) {
    std::uint8_t b[2];
    bytes(b, 2, field);
    return static_cast<std::uint16_t>(b[0] | (b[1] << 8));
  }
  std::uint32_t u32(const std::string& field) {
    std::uint8_t b[4];
    bytes(b, 4, field);
    std::uint32_t x = 0;
    for (int i = 3; i >= 0; --i) x = (x << 8) | b[i];
    return x;
  }
  std::uint64_t u64(const std::string& field) {
    std::uint8_t b[8];
    bytes(b, 8, field);
    std::uint64_t x = 0;
    for (int i = 7; i >= 0; --i) x = (x << 8) | b[i];
    return x;
  }
  double f64(const std::string& field) { return std::bit_cast<double>(u64(field)); }
  /// `count` little-endian words into dst (the caller has sized dst).
  void u64s(std::uint64_t* dst, std::size_t count, const std::string& field) {
    if (count > remaining_ / 8) {
      fail(field, "needs " + std::to_string(count) + " words but the header's payload length leaves " +
                      std::to_string(remaining_) + " bytes");
    }
    bytes(dst, count * 8, field);
    if constexpr (std::endian::native == std::endian::big) {
      for (std::size_t i = 0; i < count; ++i) dst[i] = __builtin_bswap64(dst[i]);
    }
  }

 private:
  std::istream& is_;
  std::uint64_t remaining_;
  std::string what_;
};

}  // namespace tower::ckks::detail
