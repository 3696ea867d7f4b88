// bench/poly_rns_bench.cpp — whole-RNS-polynomial operations.
// Names: rns/<operation>/<N>/<limbs>x<bits>bit. Element-wise kernels follow the
// current SIMD path; OpenMP uses OMP_NUM_THREADS threads (set it to 1 for
// single-thread figures).
#include <benchmark/benchmark.h>

#include <memory>
#include <string>

#include "poly/base_conv.hpp"
#include "poly/primes.hpp"
#include "poly/rns_poly.hpp"
#include "poly/sampling.hpp"

namespace {

using namespace tower::poly;

std::shared_ptr<const RnsBase> make_base(std::size_t n, int bits, std::size_t limbs) {
  return std::make_shared<const RnsBase>(n, ntt_primes(bits, n, limbs));
}

RnsPoly random_poly(const std::shared_ptr<const RnsBase>& base, PolyForm form) {
  RnsPoly p(base, form);
  SeededPrng prng(Seed{});  // fixed seed: benchmark data, not a secret
  sample_uniform(prng, p);
  return p;
}

void bm_mul(benchmark::State& state, std::size_t n, int bits, std::size_t limbs) {
  const auto base = make_base(n, bits, limbs);
  RnsPoly a = random_poly(base, PolyForm::evaluation);
  const RnsPoly b = random_poly(base, PolyForm::evaluation);
  for (auto _ : state) {
    a.mul_inplace(b);
    benchmark::DoNotOptimize(a.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * 3 * n * limbs * 8);
}

void bm_mul_add(benchmark::State& state, std::size_t n, int bits, std::size_t limbs) {
  const auto base = make_base(n, bits, limbs);
  RnsPoly acc = random_poly(base, PolyForm::evaluation);
  const RnsPoly a = random_poly(base, PolyForm::evaluation), b = random_poly(base, PolyForm::evaluation);
  for (auto _ : state) {
    acc.mul_add_inplace(a, b);
    benchmark::DoNotOptimize(acc.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * 4 * n * limbs * 8);
}

void bm_add(benchmark::State& state, std::size_t n, int bits, std::size_t limbs) {
  const auto base = make_base(n, bits, limbs);
  RnsPoly a = random_poly(base, PolyForm::evaluation);
  const RnsPoly b = random_poly(base, PolyForm::evaluation);
  for (auto _ : state) {
    a.add_inplace(b);
    benchmark::DoNotOptimize(a.data());
  }
}

void bm_ntt_all(benchmark::State& state, std::size_t n, int bits, std::size_t limbs) {
  const auto base = make_base(n, bits, limbs);
  RnsPoly a = random_poly(base, PolyForm::coefficient);
  for (auto _ : state) {
    a.to_evaluation();
    a.to_coefficient();
    benchmark::DoNotOptimize(a.data());
  }
}

void bm_base_conv(benchmark::State& state, std::size_t n, std::size_t from_limbs, std::size_t to_limbs) {
  const auto all = ntt_primes(50, n, from_limbs + to_limbs);
  const auto from = std::make_shared<const RnsBase>(n, std::vector<u64>(all.begin(), all.begin() + from_limbs));
  const auto to = std::make_shared<const RnsBase>(n, std::vector<u64>(all.begin() + from_limbs, all.end()));
  const BaseConverter conv(from, to);
  const RnsPoly x = random_poly(from, PolyForm::coefficient);
  RnsPoly y(to);
  for (auto _ : state) {
    conv.convert_approx(x.data(), y.data());
    benchmark::DoNotOptimize(y.data());
  }
}

void register_rns() {
  const std::size_t n = std::size_t{1} << 16;
  const std::size_t limbs = 30;
  for (int bits : {50, 60}) {
    const std::string d = "/" + std::to_string(n) + "/" + std::to_string(limbs) + "x" + std::to_string(bits) + "bit";
    benchmark::RegisterBenchmark(("rns/mul" + d).c_str(), bm_mul, n, bits, limbs)->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark(("rns/mul_add" + d).c_str(), bm_mul_add, n, bits, limbs)
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark(("rns/add" + d).c_str(), bm_add, n, bits, limbs)->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark(("rns/ntt_roundtrip" + d).c_str(), bm_ntt_all, n, bits, limbs)
        ->Unit(benchmark::kMillisecond);
  }
  benchmark::RegisterBenchmark("rns/base_conv/65536/10to8", bm_base_conv, n, 10, 8)->Unit(benchmark::kMillisecond);
}

const int registered = (register_rns(), 0);

}  // namespace
