// bench/ckks_bench.cpp — CKKS operations at SEAL's benchmark sets and at the
// ResNet working point.
//
// Names: ckks/<operation>/<N>/<set>, single thread (OpenMP limited to one
// thread inside the timed region); the same with a "/2threads" suffix uses two.
// Sets: "seal" = SEAL's own N = 8192/16384/32768 sets prime for prime in size
// (dnum = number of ciphertext primes, one special prime); "resnet" = N = 2^16,
// 60-bit q_0 + 30 x 40-bit primes, 8 x 60-bit special primes, dnum = 3.
// Operations run at the top level.
#include <benchmark/benchmark.h>
#include <omp.h>

#include <complex>
#include <map>
#include <memory>
#include <string>

#include "ckks/encoder.hpp"
#include "ckks/encryptor.hpp"
#include "ckks/evaluator.hpp"
#include "ckks/keys.hpp"
#include "ckks_setup.hpp"

namespace {

using namespace tower::ckks;

enum class Op {
  encode, decode, encrypt_public, encrypt_secret, decrypt, add, multiply, square, relinearize, rescale,
  multiply_plain, multiply_const
};

void bm_ckks(benchmark::State& state, std::string set, Op op, int threads) {
  tower::bench::Setup& s = tower::bench::setup(set);
  const int saved = omp_get_max_threads();
  omp_set_num_threads(threads);
  const std::size_t top = s.ctx->max_level();
  const double scale = s.ctx->params().scale();
  for (auto _ : state) {
    switch (op) {
      case Op::encode:
        benchmark::DoNotOptimize(s.encoder->encode(s.values, top, scale));
        break;
      case Op::decode:
        benchmark::DoNotOptimize(s.encoder->decode(*s.plain));
        break;
      case Op::encrypt_public:
        benchmark::DoNotOptimize(s.encryptor->encrypt(*s.plain));
        break;
      case Op::encrypt_secret:
        benchmark::DoNotOptimize(s.sym_encryptor->encrypt_symmetric(*s.plain));
        break;
      case Op::decrypt:
        benchmark::DoNotOptimize(s.decryptor->decrypt(*s.ct));
        break;
      case Op::add:
        benchmark::DoNotOptimize(s.evaluator->add(*s.ct, *s.ct2));
        break;
      case Op::multiply:
        benchmark::DoNotOptimize(s.evaluator->multiply(*s.ct, *s.ct2));
        break;
      case Op::square:
        benchmark::DoNotOptimize(s.evaluator->square(*s.ct));
        break;
      case Op::relinearize:
        benchmark::DoNotOptimize(s.evaluator->relinearize(*s.ct3, *s.rk));
        break;
      case Op::rescale:
        benchmark::DoNotOptimize(s.evaluator->rescale(*s.ct));
        break;
      case Op::multiply_plain:
        benchmark::DoNotOptimize(s.evaluator->multiply_plain(*s.ct, *s.plain));
        break;
      case Op::multiply_const:
        benchmark::DoNotOptimize(s.evaluator->multiply_const(*s.ct, 0.5));
        break;
    }
  }
  omp_set_num_threads(saved);
}

void register_ckks() {
  const std::pair<Op, const char*> ops[] = {
      {Op::encode, "encode"},         {Op::decode, "decode"},
      {Op::encrypt_public, "encrypt_public"}, {Op::encrypt_secret, "encrypt_secret"},
      {Op::decrypt, "decrypt"},       {Op::add, "add"},
      {Op::multiply, "multiply"},     {Op::square, "square"},
      {Op::relinearize, "relinearize"}, {Op::rescale, "rescale"},
      {Op::multiply_plain, "multiply_plain"}, {Op::multiply_const, "multiply_const"},
  };
  for (const char* set : {"8192/seal", "16384/seal", "32768/seal", "65536/resnet"}) {
    for (const auto& [op, name] : ops) {
      for (int threads : {1, 2}) {
        std::string full = std::string("ckks/") + name + "/" + set + (threads == 2 ? "/2threads" : "");
        auto* b = benchmark::RegisterBenchmark(full.c_str(), bm_ckks, std::string(set), op, threads)
                      ->Unit(benchmark::kMillisecond);
        if (threads > 1) b->UseRealTime();  // CPU time would count one thread only
      }
    }
  }
}

const int registered = (register_ckks(), 0);

}  // namespace
