// poly/primes.hpp — NTT-friendly primes and roots of unity.
//
// The negacyclic NTT of length N modulo q needs a primitive 2N-th root of unity
// psi (psi^N = -1), which exists iff q = 1 (mod 2N). CKKS wants many such primes:
// the rescaling primes q1..qL close to the scale, so that dividing by qi keeps
// the scale nearly constant (Cheon, Han, Kim, Kim, Song, SAC 2018, section 3).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace tower::poly {

/// Deterministic primality test for 64-bit integers (Miller–Rabin with the first
/// twelve prime bases, exact below 3.3e24).
bool is_prime(std::uint64_t n) noexcept;

/// `count` distinct primes q = 1 (mod 2n) with exactly `bits` bits, largest
/// first (searching down from 2^bits).
/// @throws std::invalid_argument if n is not a power of two >= 2, bits is not in
///         [2 + log2(2n), 61], or there are not enough such primes.
std::vector<std::uint64_t> ntt_primes(int bits, std::size_t n, std::size_t count);

/// `count` distinct primes q = 1 (mod 2n) closest to `target` (alternately just
/// above and just below it, nearest first), none of them in `exclude`, all below
/// 2^61. CKKS rescaling primes come from here with target = scale.
/// @throws std::invalid_argument on a bad n or target, or if the search runs out.
std::vector<std::uint64_t> ntt_primes_near(std::uint64_t target, std::size_t n, std::size_t count,
                                           const std::vector<std::uint64_t>& exclude = {});

/// The smallest primitive 2n-th root of unity modulo the prime q (the smallest
/// generator-derived psi with psi^n = -1), so the choice is reproducible.
/// @throws std::invalid_argument if q is not prime or q != 1 (mod 2n).
std::uint64_t primitive_root_2n(std::uint64_t q, std::size_t n);

/// True iff n is a power of two (n >= 1).
constexpr bool is_power_of_two(std::size_t n) noexcept { return n != 0 && (n & (n - 1)) == 0; }

/// log2 of a power of two.
constexpr int log2_exact(std::size_t n) noexcept { return n <= 1 ? 0 : 1 + log2_exact(n >> 1); }

}  // namespace tower::poly
