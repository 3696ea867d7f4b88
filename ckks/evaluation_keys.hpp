// ckks/evaluation_keys.hpp — the public material a server computes with.
//
// What crosses from client to server: the relinearization key and the Galois
// keys (each saved and loaded by ckks/serialization.hpp). Neither can reach the
// secret key: they are RLWE samples under it, as hard to invert as any
// ciphertext (the circular-security assumption every CKKS library makes).
#pragma once

#include <optional>

#include "ckks/galois.hpp"
#include "ckks/keys.hpp"

namespace tower::ckks {

struct EvaluationKeys {
  std::optional<RelinKey> relin;  ///< absent when the computation has no ciphertext products
  GaloisKeys galois;              ///< may be empty
};

}  // namespace tower::ckks
