// tests/fuzz/fuzz_context.hpp — the small fixed context every fuzz target and its
// seed corpus use.
//
// N = 1024 with one 50-bit and one 40-bit ciphertext prime and one 50-bit
// special prime: objects of a few kilobytes, so a fuzzer runs thousands of
// loads a second. The primes are chosen deterministically, so the parameter
// hash — which every object's header must match — is the same in the corpus
// generator and in the fuzzers. Insecure by design (security check waived).
#pragma once

#include <memory>

#include "ckks/context.hpp"
#include "ckks/params.hpp"
#include "poly/primes.hpp"

namespace tower::fuzz {

inline ckks::Params fuzz_params() {
  ckks::ParamsLiteral lit;
  lit.n = 1024;
  lit.q = {poly::ntt_primes(50, 1024, 1)[0], poly::ntt_primes(40, 1024, 1)[0]};
  lit.p = {poly::ntt_primes(51, 1024, 1)[0]};
  lit.dnum = 2;
  lit.scale = 1 << 30;
  lit.allow_insecure = true;
  return ckks::Params::create(lit);
}

inline const std::shared_ptr<const ckks::Context>& fuzz_context() {
  static const std::shared_ptr<const ckks::Context> ctx = ckks::Context::create(fuzz_params());
  return ctx;
}

}  // namespace tower::fuzz
