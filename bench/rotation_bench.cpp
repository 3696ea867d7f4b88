// bench/rotation_bench.cpp — rotations, hoisting, BSGS linear transforms, Galois keys.
//
// Names:
//   rotate/single/<N>/<set>            one rotation by one slot
//   rotate/conjugate/<N>/<set>
//   rotate/onebyone/<N>/<set>/<k>      rotations by 1..k, each with its own ModUp
//   rotate/hoisted/<N>/<set>/<k>       the same k rotations sharing one ModUp
//   lintrans/bsgs/<N>/<set>/<d>        a BSGS transform with d consecutive diagonals
//   keygen/galois/<N>/<set>            one Galois key (counter: bytes per key)
// Sets: 16384/seal and 32768/seal (SEAL's), 65536/resnet. Single thread.
// Every benchmark makes one untimed call first (GB's MinWarmUpTime would
// rename the benchmarks): the first call in a process touches its outputs' and
// temporaries' memory for the first time (at the ResNet set, 16 hoisted
// rotations fault in ~400 MB, ~0.5 s here), and the steady state is what is
// measured. The 256-diagonal transform is skipped at N = 2^16: its diagonals
// alone, encoded over Q_l*P, would take 3.6 GB packed (5 GB at 8 bytes per
// residue), with 30 keys of 92 MB beside them.
// Counters of lintrans/bsgs: baby_steps, keys, diagonal_bytes.
#include <benchmark/benchmark.h>
#include <omp.h>

#include <map>
#include <memory>
#include <string>

#include "ckks/galois.hpp"
#include "ckks/linear_transform.hpp"
#include "ckks_setup.hpp"

namespace {

using namespace tower::ckks;
using tower::bench::Setup;
using tower::bench::SingleThread;

// Galois keys for rotations by 1..32 and conjugation, per set, built once.
const GaloisKeys& rotation_keys(const std::string& set) {
  static std::map<std::string, std::unique_ptr<GaloisKeys>> cache;
  auto& slot = cache[set];
  if (!slot) {
    Setup& s = tower::bench::setup(set);
    std::vector<std::int64_t> steps;
    for (std::int64_t k = 1; k <= 32; ++k) steps.push_back(k);
    slot = std::make_unique<GaloisKeys>(create_galois_keys(*s.keygen, steps, true));
  }
  return *slot;
}

void bm_single(benchmark::State& state, std::string set) {
  Setup& s = tower::bench::setup(set);
  const GaloisKeys& gk = rotation_keys(set);
  SingleThread one;
  benchmark::DoNotOptimize(s.evaluator->rotate(*s.ct, 1, gk, false));  // warm-up
  for (auto _ : state) benchmark::DoNotOptimize(s.evaluator->rotate(*s.ct, 1, gk, false));
}

void bm_conjugate(benchmark::State& state, std::string set) {
  Setup& s = tower::bench::setup(set);
  const GaloisKeys& gk = rotation_keys(set);
  SingleThread one;
  benchmark::DoNotOptimize(s.evaluator->conjugate(*s.ct, gk));  // warm-up
  for (auto _ : state) benchmark::DoNotOptimize(s.evaluator->conjugate(*s.ct, gk));
}

void bm_onebyone(benchmark::State& state, std::string set, int k) {
  Setup& s = tower::bench::setup(set);
  const GaloisKeys& gk = rotation_keys(set);
  SingleThread one;
  benchmark::DoNotOptimize(s.evaluator->rotate(*s.ct, 1, gk, false));  // warm-up
  for (auto _ : state) {
    for (int i = 1; i <= k; ++i) benchmark::DoNotOptimize(s.evaluator->rotate(*s.ct, i, gk, false));
  }
}

void bm_hoisted(benchmark::State& state, std::string set, int k) {
  Setup& s = tower::bench::setup(set);
  const GaloisKeys& gk = rotation_keys(set);
  std::vector<std::int64_t> steps;
  for (int i = 1; i <= k; ++i) steps.push_back(i);
  SingleThread one;
  benchmark::DoNotOptimize(s.evaluator->rotate_hoisted(*s.ct, steps, gk));  // warm-up
  for (auto _ : state) benchmark::DoNotOptimize(s.evaluator->rotate_hoisted(*s.ct, steps, gk));
}

void bm_bsgs(benchmark::State& state, std::string set, int diagonals) {
  Setup& s = tower::bench::setup(set);
  LinearTransform::Diagonals d;
  for (int k = 0; k < diagonals; ++k) d[k] = std::vector<std::complex<double>>(s.ctx->slots(), {0.5, 0.0});
  const std::size_t level = s.ctx->max_level();
  const LinearTransform lt(*s.encoder, d, level, s.ctx->params().scale());
  const GaloisKeys gk = create_galois_keys(*s.keygen, lt.rotation_steps());
  state.counters["baby_steps"] = static_cast<double>(lt.baby_steps());
  state.counters["keys"] = static_cast<double>(gk.size());
  state.counters["diagonal_bytes"] = static_cast<double>(lt.byte_size());
  SingleThread one;
  benchmark::DoNotOptimize(lt.apply(*s.ct, gk));  // warm-up
  for (auto _ : state) benchmark::DoNotOptimize(lt.apply(*s.ct, gk));
}

void bm_keygen(benchmark::State& state, std::string set) {
  Setup& s = tower::bench::setup(set);
  const u64 g = galois_element_for_rotation(1, s.ctx->n());
  std::size_t bytes = 0, seeded = 0;
  SingleThread one;
  for (auto _ : state) {
    KeySwitchKey k = create_galois_key(*s.keygen, g);
    bytes = k.byte_size();
    // Serialized (format 2, docs/serialization.md), the uniform half is its
    // 32-byte seed and b is written packed, as held in memory; plus the level
    // and digit count.
    seeded = k.byte_size() / 2 + 32 + 8;
    benchmark::DoNotOptimize(k);
  }
  state.counters["bytes_per_key"] = static_cast<double>(bytes);  // in memory, packed
  state.counters["bytes_per_key_seeded"] = static_cast<double>(seeded);
}

void register_rotation() {
  for (const std::string set : {"16384/seal", "32768/seal", "65536/resnet"}) {
    auto reg = [&](const std::string& name, auto fn, auto... args) {
      benchmark::RegisterBenchmark(name.c_str(), fn, set, args...)->Unit(benchmark::kMillisecond);
    };
    reg("rotate/single/" + set, bm_single);
    reg("rotate/conjugate/" + set, bm_conjugate);
    for (int k : {4, 8, 16, 32}) {
      reg("rotate/onebyone/" + set + "/" + std::to_string(k), bm_onebyone, k);
      reg("rotate/hoisted/" + set + "/" + std::to_string(k), bm_hoisted, k);
    }
    for (int d : {16, 64, 256}) {
      if (set == "65536/resnet" && d == 256) continue;
      reg("lintrans/bsgs/" + set + "/" + std::to_string(d), bm_bsgs, d);
    }
    reg("keygen/galois/" + set, bm_keygen);
  }
}

const int registered = (register_rotation(), 0);

}  // namespace
