// poly/sampling.cpp — libsodium-backed generators and the samplers.
#include "poly/sampling.hpp"

#include <sodium.h>

#include <cmath>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

namespace tower::poly {
namespace {

void ensure_sodium() {
  static const int status = sodium_init();  // idempotent and thread-safe; < 0 on failure
  if (status < 0) throw std::runtime_error("poly: libsodium failed to initialize");
}

// Write the signed value v (|v| small) into coefficient j of every limb.
void set_signed(RnsPoly& out, std::size_t j, std::int64_t v) {
  const std::size_t n = out.n();
  for (std::size_t i = 0; i < out.size(); ++i) {
    const u64 q = out.base()->modulus(i).value();
    // Branch-free: v mod q for |v| < q.
    const u64 neg_mask = static_cast<u64>(v >> 63);  // all ones iff v < 0
    out.data()[i * n + j] = static_cast<u64>(v) + (q & neg_mask);
  }
}

}  // namespace

Prng::~Prng() { sodium_memzero(buf_.data(), buf_.size()); }

void Prng::refill() {
  // Every byte of the old buffer was handed out; wipe it before it is reused
  // (generate() overwrites it, but a wipe keeps that independent of the source).
  sodium_memzero(buf_.data(), buf_.size());
  generate(buf_);
  pos_ = 0;
}

void Prng::fill(std::span<std::uint8_t> out) {
  std::size_t done = 0;
  while (done < out.size()) {
    if (pos_ == kBuffer) refill();
    const std::size_t take = std::min(out.size() - done, kBuffer - pos_);
    std::memcpy(out.data() + done, buf_.data() + pos_, take);
    pos_ += take;
    done += take;
  }
}

std::uint64_t Prng::next_u64() {
  // Hot path of every sampler: read the word straight from the buffer. Bytes
  // handed out stay in the buffer until the next refill or destruction, both
  // of which wipe it.
  if (kBuffer - pos_ < 8) {
    std::uint8_t b[8];
    fill(b);
    std::uint64_t x;
    std::memcpy(&x, b, 8);
    sodium_memzero(b, 8);
    return x;
  }
  std::uint64_t x;
  std::memcpy(&x, buf_.data() + pos_, 8);
  pos_ += 8;
  return x;
}

std::uint8_t Prng::next_byte() {
  if (pos_ == kBuffer) refill();
  return buf_[pos_++];
}

SystemPrng::SystemPrng() { ensure_sodium(); }

void SystemPrng::generate(std::span<std::uint8_t> out) { randombytes_buf(out.data(), out.size()); }

SeededPrng::SeededPrng(const Seed& seed, std::uint64_t domain) : key_(seed) {
  ensure_sodium();
  static_assert(sizeof(Seed) == crypto_stream_chacha20_ietf_KEYBYTES);
  for (int i = 0; i < 8; ++i) nonce_[i] = static_cast<std::uint8_t>(domain >> (8 * i));
}

SeededPrng::~SeededPrng() { sodium_memzero(key_.data(), key_.size()); }

void SeededPrng::generate(std::span<std::uint8_t> out) {
  // Keystream = ChaCha20(key, nonce, counter) XOR zeros, 64 bytes per block.
  std::memset(out.data(), 0, out.size());
  crypto_stream_chacha20_ietf_xor_ic(out.data(), out.data(), out.size(), nonce_.data(), block_, key_.data());
  block_ += static_cast<std::uint32_t>((out.size() + 63) / 64);
}

Seed random_seed() {
  ensure_sodium();
  Seed s;
  randombytes_buf(s.data(), s.size());
  return s;
}

void sample_uniform(Prng& prng, RnsPoly& out) {
  const std::size_t n = out.n();
  for (std::size_t i = 0; i < out.size(); ++i) {
    const Modulus& m = out.base()->modulus(i);
    const u64 q = m.value();
    const u64 mask = (m.bits() == 64) ? ~u64{0} : ((u64{1} << m.bits()) - 1);
    u64* limb = out.limb(i);
    for (std::size_t j = 0; j < n; ++j) {
      u64 v;
      do {
        v = prng.next_u64() & mask;  // accepted with probability q / 2^bits > 1/2
      } while (v >= q);
      limb[j] = v;
    }
  }
}

void sample_ternary(Prng& prng, RnsPoly& out) {
  for (std::size_t j = 0; j < out.n(); ++j) {
    std::uint8_t b;
    do {
      b = prng.next_byte();
    } while (b == 255);  // 255 = 3 * 85: bytes 0..254 are uniform mod 3
    set_signed(out, j, static_cast<std::int64_t>(b % 3) - 1);
  }
  out.set_form(PolyForm::coefficient);
}

namespace {

// Sorts a (n a power of two) ascending with Batcher's bitonic network: which
// pairs are compared, and in which direction, depends only on n, and each
// compare-exchange is branch-free, so neither the memory accesses nor the
// control flow depend on the values (Knuth, TAOCP vol. 3, 5.3.4).
void bitonic_sort(u64* a, std::size_t n) {
  for (std::size_t k = 2; k <= n; k <<= 1) {
    for (std::size_t j = k >> 1; j > 0; j >>= 1) {
      for (std::size_t base = 0; base < n; base += 2 * j) {
        const bool ascending = (base & k) == 0;  // from the index alone: public
        for (std::size_t i = base; i < base + j; ++i) {
          const u64 x = a[i], y = a[i + j];
          const u64 swap = (0 - static_cast<u64>(ascending ? y < x : x < y)) & (x ^ y);
          a[i] = x ^ swap;
          a[i + j] = y ^ swap;
        }
      }
    }
  }
}

}  // namespace

void sample_ternary_hamming(Prng& prng, RnsPoly& out, std::size_t h) {
  const std::size_t n = out.n();
  if (h > n) {
    throw std::invalid_argument("poly::sample_ternary_hamming: Hamming weight " + std::to_string(h) +
                                " exceeds n = " + std::to_string(n));
  }
  // The h non-zero values (random signs) then n - h zeros, each tagged with a
  // random 62-bit key in the high bits (value code in the low two: 0 for 0, 1
  // for +1, 2 for -1), sorted by a data-oblivious network: a uniformly random
  // arrangement, up to ties among n random 62-bit keys (probability below
  // n^2 / 2^63), without the secret-dependent memory accesses of a
  // Fisher-Yates shuffle, which a cache-timing observer of key generation
  // could read the secret's support from.
  std::vector<u64> tagged(n);
  for (std::size_t j = 0; j < n; ++j) {
    const u64 code = j < h ? 1 + (prng.next_byte() & 1) : 0;  // j < h is public
    tagged[j] = (prng.next_u64() << 2) | code;
  }
  bitonic_sort(tagged.data(), n);
  for (std::size_t j = 0; j < n; ++j) {
    const u64 code = tagged[j] & 3;
    // 0 -> 0, 1 -> +1, 2 -> -1, branch-free.
    const std::int64_t v = static_cast<std::int64_t>(code & 1) - static_cast<std::int64_t>(code >> 1);
    set_signed(out, j, v);
  }
  sodium_memzero(tagged.data(), tagged.size() * sizeof(u64));  // the secret's support
  out.set_form(PolyForm::coefficient);
}

void sample_gaussian(Prng& prng, RnsPoly& out, double sigma) {
  if (!(sigma > 0.0 && sigma <= 64.0)) {
    throw std::invalid_argument("poly::sample_gaussian: sigma must be in (0, 64], got " + std::to_string(sigma));
  }
  const int bound = static_cast<int>(std::floor(6.0 * sigma));
  // Cumulative distribution of |x| over 0..bound, scaled to 2^63.
  std::vector<double> rho(bound + 1);
  double total = 0.0;
  for (int k = 0; k <= bound; ++k) {
    rho[k] = std::exp(-static_cast<double>(k) * k / (2.0 * sigma * sigma));
    total += (k == 0 ? 1.0 : 2.0) * rho[k];
  }
  std::vector<std::uint64_t> cdt(bound + 1);  // cdt[k] = 2^63 * P(|x| <= k)
  double acc = 0.0;
  for (int k = 0; k <= bound; ++k) {
    acc += (k == 0 ? 1.0 : 2.0) * rho[k] / total;
    cdt[k] = acc >= 1.0 ? (u64{1} << 63) : static_cast<u64>(std::ldexp(acc, 63));
  }
  cdt[bound] = u64{1} << 63;
  for (std::size_t j = 0; j < out.n(); ++j) {
    const u64 r = prng.next_u64();
    const u64 u = r >> 1;            // 63 uniform bits
    const u64 sign_bit = r & 1;
    std::int64_t mag = 0;
    for (int k = 0; k < bound; ++k) mag += (u >= cdt[k]) ? 1 : 0;  // full scan, no early exit
    const std::int64_t v = sign_bit ? -mag : mag;
    set_signed(out, j, v);
  }
  out.set_form(PolyForm::coefficient);
}

}  // namespace tower::poly
