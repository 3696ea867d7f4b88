// bench/main.cpp — entry point of tower_bench: records the machine and the SIMD
// path in the context header, so every JSON/console report says what ran.
#include <benchmark/benchmark.h>

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
  // No malloc tuning: the large blocks of CKKS operations come from each
  // context's memory pool (poly/memory_pool.hpp), so what is measured here is
  // what an application gets by default.
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
