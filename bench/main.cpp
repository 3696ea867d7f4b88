// bench/main.cpp — entry point of tower_bench: records the machine and the SIMD
// path in the context header, so every JSON/console report says what ran.
#include <benchmark/benchmark.h>

#include <malloc.h>

#include <fstream>
#include <string>

#include "poly/cpu.hpp"

namespace {

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("model name", 0) == 0) {
      const auto colon = line.find(':');
      if (colon != std::string::npos) return line.substr(colon + 2);
    }
  }
  return "unknown";
}

}  // namespace

int main(int argc, char** argv) {
  using namespace tower::poly;
  // Key switching at N = 2^16 allocates and frees tens of MB per operation. By
  // default glibc returns such blocks to the kernel and faults them in again
  // (zeroed) on the next allocation, which costs up to 3x on multiply and 1.7x
  // on relinearize at the ResNet working point. SEAL avoids this with its own
  // memory pool; tower does not have one yet, so its benchmark keeps freed
  // memory in the process, as an application can (mallopt, or the environment
  // variables MALLOC_MMAP_THRESHOLD_ / MALLOC_TRIM_THRESHOLD_).
  mallopt(M_MMAP_THRESHOLD, 32 << 20);                    // blocks up to 32 MB come from the heap
  mallopt(M_TRIM_THRESHOLD, static_cast<int>(1u << 30));  // keep up to 1 GB of freed heap
  benchmark::AddCustomContext("tower_malloc", "M_MMAP_THRESHOLD=32MB M_TRIM_THRESHOLD=1GB (see bench/main.cpp)");
  benchmark::AddCustomContext("tower_simd_path", describe_simd_path(simd_path()));
  benchmark::AddCustomContext("tower_cpu_model", cpu_model());
  const CpuFeatures& f = cpu_features();
  benchmark::AddCustomContext("tower_cpu_features", std::string(f.avx2 ? "avx2 " : "") +
                                                        (f.avx512f ? "avx512f " : "") +
                                                        (f.avx512ifma ? "avx512ifma" : ""));
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
