// tests/test_util.hpp — helpers shared by the test suites.
//
// Test inputs come from a fixed-seed Mersenne Twister: reproducible and NOT
// cryptographic (hence the "insecure_" names). Secrets never use this.
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "poly/cpu.hpp"

namespace tower::test {

inline std::mt19937_64& insecure_rng() {
  static std::mt19937_64 rng(0x746f776572ULL);  // "tower"
  return rng;
}

/// n values uniform in [0, bound).
inline std::vector<std::uint64_t> insecure_uniform(std::size_t n, std::uint64_t bound) {
  std::uniform_int_distribution<std::uint64_t> d(0, bound - 1);
  std::vector<std::uint64_t> v(n);
  for (auto& x : v) x = d(insecure_rng());
  return v;
}

/// The SIMD paths this CPU can run (scalar always).
inline std::vector<poly::SimdPath> supported_paths() {
  std::vector<poly::SimdPath> out;
  for (auto p : {poly::SimdPath::scalar, poly::SimdPath::avx2, poly::SimdPath::avx512}) {
    if (poly::simd_path_supported(p)) out.push_back(p);
  }
  return out;
}

/// Every path, supported or not (tests skip the unsupported ones visibly).
inline std::vector<poly::SimdPath> all_paths() {
  return {poly::SimdPath::scalar, poly::SimdPath::avx2, poly::SimdPath::avx512};
}

/// Restores the process-wide SIMD path when a test ends.
class ScopedSimdPath {
 public:
  explicit ScopedSimdPath(poly::SimdPath p) : saved_(poly::simd_path()) { poly::set_simd_path(p); }
  ~ScopedSimdPath() { poly::set_simd_path(saved_); }
  ScopedSimdPath(const ScopedSimdPath&) = delete;
  ScopedSimdPath& operator=(const ScopedSimdPath&) = delete;

 private:
  poly::SimdPath saved_;
};

}  // namespace tower::test

#define TOWER_SKIP_IF_UNSUPPORTED(path)                                                           \
  do {                                                                                            \
    if (!::tower::poly::simd_path_supported(path))                                                \
      GTEST_SKIP() << "CPU lacks the " << ::tower::poly::to_string(path) << " path";             \
  } while (0)
