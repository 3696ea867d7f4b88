// poly/cpu.hpp — which SIMD kernels run: detected from CPUID, overridable.
//
// One build runs on any x86-64: every SIMD kernel lives in a file compiled for its
// own instruction set, and the dispatchers (ntt.cpp, eltwise.cpp) call the path
// chosen here. The choice is the process's only global mutable state (the kernel
// dispatch table); it starts as the best path the CPU supports, or the one named
// by the environment variable TOWER_SIMD=scalar|avx2|avx512, and tests and
// benchmarks switch it with set_simd_path(). Every path gives bit-identical
// results; only speed differs.
#pragma once

#include <string>
#include <string_view>

namespace tower::poly {

enum class SimdPath {
  scalar,  ///< portable C++ (the compiler may auto-vectorize to SSE2)
  avx2,    ///< AVX2 (x86-64-v3)
  avx512,  ///< AVX-512 F/DQ/VL/BW, and IFMA where present (primes below 2^50; NTT quotients up to 2^60)
};

/// What the running CPU offers (and the OS has enabled), read once.
struct CpuFeatures {
  bool avx2 = false;
  bool avx512f = false;
  bool avx512dq = false;
  bool avx512vl = false;
  bool avx512bw = false;
  bool avx512ifma = false;
  bool avx512vbmi = false;  ///< byte permutes (vpermb): unpacking 5-7-byte residues
};

/// The CPU's features.
const CpuFeatures& cpu_features() noexcept;

/// True iff the CPU can run `path` (AVX-512 needs F, DQ, VL and BW).
bool simd_path_supported(SimdPath path) noexcept;

/// The fastest path this CPU supports.
SimdPath best_simd_path() noexcept;

/// The path the dispatchers use now. On first use it reads TOWER_SIMD.
/// @throws std::runtime_error if TOWER_SIMD names an unknown path or one this CPU lacks.
SimdPath simd_path();

/// Force a path for the whole process (thread-safe; takes effect for calls that
/// start afterwards). @throws std::runtime_error if this CPU cannot run it.
void set_simd_path(SimdPath path);

/// True when the AVX-512 path will use IFMA52 for a modulus of `modulus_bits`
/// bits (IFMA present and q < 2^50).
bool uses_ifma(int modulus_bits) noexcept;

/// "scalar", "avx2" or "avx512".
std::string_view to_string(SimdPath path) noexcept;

/// Inverse of to_string. @throws std::invalid_argument for any other name.
SimdPath parse_simd_path(std::string_view name);

/// A one-line description for reports, e.g. "avx512 (IFMA for q < 2^50)".
std::string describe_simd_path(SimdPath path);

}  // namespace tower::poly
