// bench/ckks_setup.hpp — parameter sets, keys and operands shared by the CKKS
// benchmarks, built on first use and kept for the run (benchmark-local cache).
#pragma once

#include <omp.h>

#include <complex>
#include <memory>
#include <string>
#include <vector>

#include "ckks/encoder.hpp"
#include "ckks/encryptor.hpp"
#include "ckks/evaluator.hpp"
#include "ckks/keys.hpp"

namespace tower::bench {

using namespace tower::ckks;

/// "8192/seal", "16384/seal", "32768/seal" (SEAL's sets) or "65536/resnet".
Params params_for(const std::string& name);

struct Setup {
  std::shared_ptr<const Context> ctx;
  std::unique_ptr<KeyGenerator> keygen;
  std::unique_ptr<PublicKey> pk;
  std::unique_ptr<RelinKey> rk;
  std::unique_ptr<Encoder> encoder;
  std::unique_ptr<Encryptor> encryptor, sym_encryptor;
  std::unique_ptr<Decryptor> decryptor;
  std::unique_ptr<Evaluator> evaluator;
  std::vector<std::complex<double>> values;
  std::unique_ptr<Plaintext> plain;
  std::unique_ptr<Ciphertext> ct, ct2, ct3;
};

/// The set's setup, built on first use.
Setup& setup(const std::string& name);

/// One OpenMP thread for the scope (the CKKS benchmarks are single-thread
/// unless their name says otherwise).
struct SingleThread {
  int saved = omp_get_max_threads();
  SingleThread() { omp_set_num_threads(1); }
  ~SingleThread() { omp_set_num_threads(saved); }
  SingleThread(const SingleThread&) = delete;
  SingleThread& operator=(const SingleThread&) = delete;
};

}  // namespace tower::bench
