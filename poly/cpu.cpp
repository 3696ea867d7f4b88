// poly/cpu.cpp — CPUID detection and the process-wide kernel path.
#include "poly/cpu.hpp"

#include <atomic>
#include <cpuid.h>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>

namespace tower::poly {
namespace {

std::uint64_t xgetbv0() {
  std::uint32_t lo = 0, hi = 0;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  return (static_cast<std::uint64_t>(hi) << 32) | lo;
}

CpuFeatures detect() {
  CpuFeatures f;
  unsigned a = 0, b = 0, c = 0, d = 0;
  if (!__get_cpuid(1, &a, &b, &c, &d)) return f;
  const bool osxsave = (c >> 27) & 1;
  const bool avx = (c >> 28) & 1;
  if (!osxsave || !avx) return f;
  const std::uint64_t xcr0 = xgetbv0();
  const bool ymm_enabled = (xcr0 & 0x6) == 0x6;           // SSE and AVX state
  const bool zmm_enabled = (xcr0 & 0xE6) == 0xE6;         // + opmask, ZMM_Hi256, Hi16_ZMM
  if (!ymm_enabled) return f;
  if (__get_cpuid_max(0, nullptr) < 7) return f;
  __cpuid_count(7, 0, a, b, c, d);
  f.avx2 = (b >> 5) & 1;
  if (zmm_enabled) {
    f.avx512f = (b >> 16) & 1;
    f.avx512dq = (b >> 17) & 1;
    f.avx512ifma = (b >> 21) & 1;
    f.avx512bw = (b >> 30) & 1;
    f.avx512vl = (b >> 31) & 1;
    f.avx512vbmi = (c >> 1) & 1;
  }
  return f;
}

SimdPath initial_path() {
  const char* env = std::getenv("TOWER_SIMD");
  if (env == nullptr || *env == '\0') return best_simd_path();
  SimdPath p;
  try {
    p = parse_simd_path(env);
  } catch (const std::invalid_argument& e) {
    throw std::runtime_error(std::string("TOWER_SIMD: ") + e.what());
  }
  if (!simd_path_supported(p)) {
    throw std::runtime_error(std::string("TOWER_SIMD=") + env + ": this CPU does not support the " + env + " path");
  }
  return p;
}

// The dispatch table: the one piece of global mutable state in tower.
std::atomic<SimdPath>& current() {
  static std::atomic<SimdPath> path{initial_path()};
  return path;
}

}  // namespace

const CpuFeatures& cpu_features() noexcept {
  static const CpuFeatures f = detect();
  return f;
}

bool simd_path_supported(SimdPath path) noexcept {
  const CpuFeatures& f = cpu_features();
  switch (path) {
    case SimdPath::scalar:
      return true;
    case SimdPath::avx2:
      return f.avx2;
    case SimdPath::avx512:
      return f.avx512f && f.avx512dq && f.avx512vl && f.avx512bw;
  }
  return false;
}

SimdPath best_simd_path() noexcept {
  if (simd_path_supported(SimdPath::avx512)) return SimdPath::avx512;
  if (simd_path_supported(SimdPath::avx2)) return SimdPath::avx2;
  return SimdPath::scalar;
}

SimdPath simd_path() { return current().load(std::memory_order_relaxed); }

void set_simd_path(SimdPath path) {
  if (!simd_path_supported(path)) {
    throw std::runtime_error(std::string("poly::set_simd_path: this CPU does not support the ") +
                             std::string(to_string(path)) + " path");
  }
  current().store(path, std::memory_order_relaxed);
}

bool uses_ifma(int modulus_bits) noexcept { return cpu_features().avx512ifma && modulus_bits <= 50; }

std::string_view to_string(SimdPath path) noexcept {
  switch (path) {
    case SimdPath::scalar:
      return "scalar";
    case SimdPath::avx2:
      return "avx2";
    case SimdPath::avx512:
      return "avx512";
  }
  return "unknown";
}

SimdPath parse_simd_path(std::string_view name) {
  if (name == "scalar") return SimdPath::scalar;
  if (name == "avx2") return SimdPath::avx2;
  if (name == "avx512") return SimdPath::avx512;
  throw std::invalid_argument("unknown SIMD path '" + std::string(name) + "' (expected scalar, avx2 or avx512)");
}

std::string describe_simd_path(SimdPath path) {
  std::string s(to_string(path));
  if (path == SimdPath::avx512) s += cpu_features().avx512ifma ? " (IFMA52 for q < 2^50)" : " (no IFMA)";
  return s;
}

}  // namespace tower::poly
