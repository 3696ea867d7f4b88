// bench/serialization_bench.cpp — saving and loading, in memory (no disk).
// Names: serialize/{save,load}/{ciphertext,galois_key}/<N>/<set>. A ciphertext
// at the top level; one rotation key (step 1), saved alone as a GaloisKeyEntry
// would be sent. Loading checks every residue and re-expands the key's uniform
// half from its seed (docs/serialization.md), so it costs more than saving.
// Counter: bytes, the size of the saved object. Single thread.
#include <benchmark/benchmark.h>

#include <sstream>
#include <string>
#include <vector>

#include "ckks/galois.hpp"
#include "ckks/serialization.hpp"
#include "ckks_setup.hpp"

namespace {

using namespace tower::ckks;
using tower::bench::Setup;
using tower::bench::SingleThread;

void bm_ciphertext(benchmark::State& state, std::string set, bool save) {
  Setup& s = tower::bench::setup(set);
  SingleThread one;
  const std::vector<std::uint8_t> bytes = to_bytes(*s.ct);
  for (auto _ : state) {
    if (save) {
      benchmark::DoNotOptimize(to_bytes(*s.ct));
    } else {
      benchmark::DoNotOptimize(load<Ciphertext>(bytes, s.ctx));
    }
  }
  state.counters["bytes"] = static_cast<double>(bytes.size());
}

void bm_galois_key(benchmark::State& state, std::string set, bool save) {
  Setup& s = tower::bench::setup(set);
  SingleThread one;
  const GaloisKeys keys = create_galois_keys(*s.keygen, {1});
  const u64 g = galois_element_for_rotation(1, s.ctx->n());
  std::ostringstream os;
  save_galois_key(keys, g, os);
  const std::string saved = os.str();
  for (auto _ : state) {
    if (save) {
      std::ostringstream o;
      save_galois_key(keys, g, o);
      benchmark::DoNotOptimize(o);
    } else {
      std::istringstream is(saved);
      benchmark::DoNotOptimize(load<GaloisKeyEntry>(is, s.ctx));
    }
  }
  state.counters["bytes"] = static_cast<double>(saved.size());
}

void register_serialization() {
  for (const std::string set : {"32768/seal", "65536/resnet"}) {
    for (const bool save : {true, false}) {
      const std::string op = save ? "save" : "load";
      benchmark::RegisterBenchmark(("serialize/" + op + "/ciphertext/" + set).c_str(), bm_ciphertext, set, save)
          ->Unit(benchmark::kMillisecond);
      benchmark::RegisterBenchmark(("serialize/" + op + "/galois_key/" + set).c_str(), bm_galois_key, set, save)
          ->Unit(benchmark::kMillisecond);
    }
  }
}

const int registered = (register_serialization(), 0);

}  // namespace
