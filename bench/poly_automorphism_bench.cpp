// bench/poly_automorphism_bench.cpp — the evaluation-form automorphism of one
// limb (a slot rotation's permutation, Galois element 5).
// Names: automorphism/eval/<N>. The kernel is the current SIMD path
// (TOWER_SIMD=scalar|avx2|avx512); run once per path to compare. Input,
// output and permutation together are 20 bytes per slot: in L2 up to N = 2^15
// on this project's machines, the case of key switching, which permutes a limb
// it has just computed.
#include <benchmark/benchmark.h>

#include <random>
#include <string>
#include <vector>

#include "poly/aligned.hpp"
#include "poly/automorphism.hpp"

namespace {

using namespace tower::poly;

void bm_eval(benchmark::State& state, std::size_t n) {
  const std::vector<std::uint32_t> perm = automorphism_eval_permutation(n, 5);
  AlignedVector in(n), out(n);
  std::mt19937_64 rng(1);
  for (auto& x : in) x = rng();
  for (auto _ : state) {
    automorphism_eval(in.data(), out.data(), n, perm.data());
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * n * sizeof(u64)));
}

void register_automorphism() {
  for (int logn = 12; logn <= 17; ++logn) {
    const std::size_t n = std::size_t{1} << logn;
    benchmark::RegisterBenchmark(("automorphism/eval/" + std::to_string(n)).c_str(), bm_eval, n)
        ->Unit(benchmark::kMicrosecond);
  }
}

const int registered = (register_automorphism(), 0);

}  // namespace
