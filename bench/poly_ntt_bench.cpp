// bench/poly_ntt_bench.cpp — forward and inverse NTT on one prime.
// Names: ntt/forward/<N>/<bits>bit. The kernel is the current SIMD path
// (TOWER_SIMD=scalar|avx2|avx512); run once per path to compare.
#include <benchmark/benchmark.h>

#include <random>
#include <string>

#include "poly/ntt.hpp"
#include "poly/primes.hpp"

namespace {

using namespace tower::poly;

// 50-bit primes are below 2^50, where the AVX-512 IFMA path applies (HEXL's
// benchmarks use such primes too); 55-bit primes (SEAL's default sets) take
// the 64-bit engine's "growing" forward transform; 60-bit primes the wide one.
template <bool Forward>
void bm_ntt(benchmark::State& state, std::size_t n, int bits) {
  const u64 q = ntt_primes(bits, n, 1)[0];
  const NttTables tables(n, Modulus(q));
  AlignedVector a(n);
  std::mt19937_64 rng(1);
  for (auto& x : a) x = rng() % q;
  for (auto _ : state) {
    if constexpr (Forward) {
      ntt_forward(a.data(), tables);
    } else {
      ntt_inverse(a.data(), tables);
    }
    benchmark::DoNotOptimize(a.data());
    benchmark::ClobberMemory();
  }
  state.counters["q_bits"] = bits;
}

void register_ntt() {
  for (int bits : {50, 55, 60}) {
    for (int logn = 12; logn <= 17; ++logn) {
      const std::size_t n = std::size_t{1} << logn;
      const std::string suffix = "/" + std::to_string(n) + "/" + std::to_string(bits) + "bit";
      benchmark::RegisterBenchmark(("ntt/forward" + suffix).c_str(), bm_ntt<true>, n, bits)
          ->Unit(benchmark::kMicrosecond);
      benchmark::RegisterBenchmark(("ntt/inverse" + suffix).c_str(), bm_ntt<false>, n, bits)
          ->Unit(benchmark::kMicrosecond);
    }
  }
}

const int registered = (register_ntt(), 0);

}  // namespace
