// poly/modulus.cpp — construction and the slow helpers of Modulus.
#include "poly/modulus.hpp"

#include <stdexcept>
#include <string>

namespace tower::poly {

Modulus::Modulus(u64 q) : q_(q) {
  if (q < 2) throw std::invalid_argument("poly::Modulus: modulus must be at least 2, got " + std::to_string(q));
  if (q >> kMaxModulusBits) {
    throw std::invalid_argument("poly::Modulus: modulus " + std::to_string(q) + " has more than " +
                                std::to_string(kMaxModulusBits) + " bits");
  }
  bits_ = 64 - __builtin_clzll(q);
  // floor(2^128 / q) = floor((2^128 - 1) / q) unless q divides 2^128, which only
  // powers of two do; for q a power of two the two differ by one at 2^128/q.
  const u128 all = ~static_cast<u128>(0);
  u128 ratio = all / q;
  if ((q & (q - 1)) == 0) ratio += 1;  // 2^128 / q exactly (q > 1, so it fits)
  ratio_lo_ = static_cast<u64>(ratio);
  ratio_hi_ = static_cast<u64>(ratio >> 64);
}

u64 Modulus::pow(u64 a, u64 e) const noexcept {
  u64 result = reduce(1);
  u64 base = reduce(a);
  while (e) {
    if (e & 1) result = mul(result, base);
    base = mul(base, base);
    e >>= 1;
  }
  return result;
}

u64 Modulus::inv(u64 a) const {
  // Extended Euclid on signed 128-bit values (q < 2^61, so no overflow).
  __int128 r0 = q_, r1 = reduce(a), s0 = 0, s1 = 1;
  while (r1 != 0) {
    const __int128 quot = r0 / r1;
    const __int128 r2 = r0 - quot * r1;
    r0 = r1;
    r1 = r2;
    const __int128 s2 = s0 - quot * s1;
    s0 = s1;
    s1 = s2;
  }
  if (r0 != 1) {
    throw std::invalid_argument("poly::Modulus::inv: " + std::to_string(a) + " is not invertible modulo " +
                                std::to_string(q_));
  }
  if (s0 < 0) s0 += q_;
  return static_cast<u64>(s0);
}

}  // namespace tower::poly
