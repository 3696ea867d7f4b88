// poly/primes.cpp — Miller–Rabin, prime search, roots of unity.
#include "poly/primes.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "poly/modulus.hpp"

namespace tower::poly {
namespace {

u64 mulmod(u64 a, u64 b, u64 m) { return static_cast<u64>(static_cast<u128>(a) * b % m); }

u64 powmod(u64 a, u64 e, u64 m) {
  u64 r = 1 % m;
  a %= m;
  while (e) {
    if (e & 1) r = mulmod(r, a, m);
    a = mulmod(a, a, m);
    e >>= 1;
  }
  return r;
}

void check_n(std::size_t n, const char* who) {
  if (n < 2 || !is_power_of_two(n)) {
    throw std::invalid_argument(std::string(who) + ": n must be a power of two >= 2, got " + std::to_string(n));
  }
}

}  // namespace

bool is_prime(std::uint64_t n) noexcept {
  if (n < 2) return false;
  static constexpr u64 kBases[] = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37};
  for (u64 p : kBases) {
    if (n % p == 0) return n == p;
  }
  u64 d = n - 1;
  int s = 0;
  while ((d & 1) == 0) {
    d >>= 1;
    ++s;
  }
  for (u64 a : kBases) {
    u64 x = powmod(a, d, n);
    if (x == 1 || x == n - 1) continue;
    bool composite = true;
    for (int r = 1; r < s; ++r) {
      x = mulmod(x, x, n);
      if (x == n - 1) {
        composite = false;
        break;
      }
    }
    if (composite) return false;
  }
  return true;
}

std::vector<std::uint64_t> ntt_primes(int bits, std::size_t n, std::size_t count) {
  check_n(n, "poly::ntt_primes");
  const u64 m = 2 * static_cast<u64>(n);
  const int min_bits = log2_exact(m) + 2;
  if (bits < min_bits || bits > kMaxModulusBits) {
    throw std::invalid_argument("poly::ntt_primes: bit size " + std::to_string(bits) + " outside [" +
                                std::to_string(min_bits) + ", " + std::to_string(kMaxModulusBits) + "] for n = " +
                                std::to_string(n));
  }
  std::vector<u64> out;
  const u64 lower = u64{1} << (bits - 1);
  // Largest candidate below 2^bits that is 1 mod 2n.
  u64 c = (u64{1} << bits) - m + 1;
  for (; c > lower && out.size() < count; c -= m) {
    if (is_prime(c)) out.push_back(c);
  }
  if (out.size() < count) {
    throw std::invalid_argument("poly::ntt_primes: only " + std::to_string(out.size()) + " primes of " +
                                std::to_string(bits) + " bits are 1 mod " + std::to_string(m) + ", asked for " +
                                std::to_string(count));
  }
  return out;
}

std::vector<std::uint64_t> ntt_primes_near(std::uint64_t target, std::size_t n, std::size_t count,
                                           const std::vector<std::uint64_t>& exclude) {
  check_n(n, "poly::ntt_primes_near");
  const u64 m = 2 * static_cast<u64>(n);
  if (target < 4 * m || (target >> kMaxModulusBits)) {
    throw std::invalid_argument("poly::ntt_primes_near: target " + std::to_string(target) +
                                " must be at least 8n and below 2^61");
  }
  auto usable = [&](u64 c) {
    return !(c >> kMaxModulusBits) && is_prime(c) && std::find(exclude.begin(), exclude.end(), c) == exclude.end();
  };
  std::vector<u64> out;
  // Candidates 1 mod m on either side of the target, walked outwards in turn.
  u64 up = (target / m) * m + 1;
  if (up < target) up += m;
  u64 down = up - m;
  while (out.size() < count) {
    const bool up_ok = !((up) >> kMaxModulusBits);
    const bool down_ok = down > m;
    if (!up_ok && !down_ok) {
      throw std::invalid_argument("poly::ntt_primes_near: ran out of candidates near " + std::to_string(target));
    }
    // Take whichever candidate is nearer the target first.
    const bool take_up = up_ok && (!down_ok || up - target <= target - down);
    if (take_up) {
      if (usable(up)) out.push_back(up);
      up += m;
    } else {
      if (usable(down)) out.push_back(down);
      down -= m;
    }
  }
  return out;
}

std::uint64_t primitive_root_2n(std::uint64_t q, std::size_t n) {
  check_n(n, "poly::primitive_root_2n");
  const u64 m = 2 * static_cast<u64>(n);
  if (!is_prime(q)) throw std::invalid_argument("poly::primitive_root_2n: " + std::to_string(q) + " is not prime");
  if ((q - 1) % m != 0) {
    throw std::invalid_argument("poly::primitive_root_2n: " + std::to_string(q) + " is not 1 mod 2n = " +
                                std::to_string(m) + " (not NTT-friendly)");
  }
  // g^((q-1)/2n) is a primitive 2n-th root iff its n-th power is -1; try g = 2, 3, ...
  // and among all primitive roots (the odd powers of the first) keep the smallest,
  // so tables do not depend on search details.
  u64 psi = 0;
  for (u64 g = 2; g < q; ++g) {
    const u64 c = powmod(g, (q - 1) / m, q);
    if (powmod(c, n, q) == q - 1) {
      psi = c;
      break;
    }
  }
  if (psi == 0) throw std::logic_error("poly::primitive_root_2n: no root found for a valid prime");
  u64 best = psi;
  const u64 psi2 = mulmod(psi, psi, q);
  u64 cur = psi;
  for (u64 k = 1; k < n; ++k) {  // psi^(2k+1), k = 0 .. n-1: all primitive 2n-th roots
    cur = mulmod(cur, psi2, q);
    best = std::min(best, cur);
  }
  return best;
}

}  // namespace tower::poly
