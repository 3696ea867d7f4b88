// poly/modulus.hpp — arithmetic modulo a word-sized modulus q < 2^61.
//
// Three reductions, each used where it is cheapest:
//  * Barrett reduction with the 128-bit constant floor(2^128 / q) for products of
//    two arbitrary residues (Barrett 1986; the two-word form as in SEAL's util).
//  * Shoup multiplication by a constant w known in advance: with
//    w' = floor(w * 2^64 / q), x*w mod q costs two multiplications and lands in
//    [0, 2q) ("lazy"), one conditional subtraction from [0, q) (Shoup, NTL;
//    Harvey 2014, section 2).
//  * Lazy add/sub helpers that keep values in [0, 2q) or [0, 4q) between steps;
//    every lazy function states its input and output range.
//
// The bound q < 2^61 leaves headroom for the [0, 4q) values of Harvey's NTT in a
// 64-bit word. poly/ kernels do not check ranges in release builds (like Intel
// HEXL): callers guarantee them, tests check them.
#pragma once

#include <cstdint>

namespace tower::poly {

using u64 = std::uint64_t;
using u128 = unsigned __int128;

/// Largest modulus size supported anywhere in poly/ (bits).
inline constexpr int kMaxModulusBits = 61;

/// A modulus q with 2 <= q < 2^61 and its Barrett constant.
class Modulus {
 public:
  /// @throws std::invalid_argument if q < 2 or q >= 2^61.
  explicit Modulus(u64 q);

  u64 value() const noexcept { return q_; }
  int bits() const noexcept { return bits_; }
  /// floor(2^128 / q) as {low word, high word}.
  u64 barrett_lo() const noexcept { return ratio_lo_; }
  u64 barrett_hi() const noexcept { return ratio_hi_; }

  /// x mod q for any 64-bit x.
  u64 reduce(u64 x) const noexcept { return reduce128(static_cast<u128>(x)); }

  /// x mod q for x < 2^127, Barrett with floor(2^128/q). The quotient estimate
  /// errs by x/2^128 + 2^-64 < 1 unit, so it is at most one short and one
  /// conditional subtraction finishes.
  u64 reduce128(u128 x) const noexcept {
    const u64 x0 = static_cast<u64>(x);
    const u64 x1 = static_cast<u64>(x >> 64);
    // qhat = floor(x * ratio / 2^128), computed from the four partial products,
    // dropping only the low word of x0*ratio_lo (a carry of at most one unit).
    const u64 c0 = static_cast<u64>((static_cast<u128>(x0) * ratio_lo_) >> 64);
    const u128 mid = static_cast<u128>(x0) * ratio_hi_ + c0;
    const u128 mid2 = static_cast<u128>(x1) * ratio_lo_ + static_cast<u64>(mid);
    const u64 qhat = x1 * ratio_hi_ + static_cast<u64>(mid >> 64) + static_cast<u64>(mid2 >> 64);
    u64 r = x0 - qhat * q_;
    r -= (r >= q_) ? q_ : 0;
    return r;
  }

  /// a*b mod q for a*b < 2^127 (in particular any a, b < 2^63).
  u64 mul(u64 a, u64 b) const noexcept { return reduce128(static_cast<u128>(a) * b); }
  /// a+b mod q for a, b in [0, q).
  u64 add(u64 a, u64 b) const noexcept {
    const u64 s = a + b;
    return s >= q_ ? s - q_ : s;
  }
  /// a-b mod q for a, b in [0, q).
  u64 sub(u64 a, u64 b) const noexcept { return a >= b ? a - b : a + q_ - b; }
  /// -a mod q for a in [0, q).
  u64 neg(u64 a) const noexcept { return a == 0 ? 0 : q_ - a; }
  /// a^e mod q.
  u64 pow(u64 a, u64 e) const noexcept;
  /// a^-1 mod q. @throws std::invalid_argument if gcd(a, q) != 1.
  u64 inv(u64 a) const;

  bool operator==(const Modulus& o) const noexcept { return q_ == o.q_; }

 private:
  u64 q_;
  int bits_;
  u64 ratio_lo_;
  u64 ratio_hi_;
};

/// Shoup's precomputed companion of a constant w < q: floor(w * 2^64 / q).
inline u64 shoup_precompute(u64 w, u64 q) noexcept {
  return static_cast<u64>((static_cast<u128>(w) << 64) / q);
}

/// Shoup's 52-bit companion floor(w * 2^52 / q), for the AVX-512 IFMA kernels
/// (52-bit multipliers): below 2^52 for every w < q. The NTT and elementwise
/// kernels use it with q < 2^50; the Split dot engine's reduction (dot_avx512.cpp)
/// with multiplicands below 2^52 and q up to 2^56.
inline u64 shoup_precompute52(u64 w, u64 q) noexcept {
  return static_cast<u64>((static_cast<u128>(w) << 52) / q);
}

/// x*w mod q, lazy: result in [0, 2q). Any 64-bit x; w < q; wp = shoup_precompute(w, q).
inline u64 mul_shoup_lazy(u64 x, u64 w, u64 wp, u64 q) noexcept {
  const u64 qhat = static_cast<u64>((static_cast<u128>(x) * wp) >> 64);
  return x * w - qhat * q;
}

/// x*w mod q, result in [0, q).
inline u64 mul_shoup(u64 x, u64 w, u64 wp, u64 q) noexcept {
  const u64 r = mul_shoup_lazy(x, w, wp, q);
  return r >= q ? r - q : r;
}

/// Conditional subtraction: x in [0, 2m) -> x mod m in [0, m).
inline u64 reduce_once(u64 x, u64 m) noexcept { return x >= m ? x - m : x; }

}  // namespace tower::poly
