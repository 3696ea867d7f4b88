// ckks/ckks.hpp — the public CKKS API in one include.
//
// Params -> Context -> KeyGenerator (SecretKey, PublicKey, RelinKey) -> Encoder
// -> Encryptor / Decryptor -> Evaluator. Nothing here requires poly/.
// docs/lessons/01_ckks_basics.cpp walks through them in order.
#pragma once

#include "ckks/ciphertext.hpp"
#include "ckks/client.hpp"
#include "ckks/context.hpp"
#include "ckks/encoder.hpp"
#include "ckks/encryptor.hpp"
#include "ckks/evaluation_keys.hpp"
#include "ckks/evaluator.hpp"
#include "ckks/galois.hpp"
#include "ckks/keys.hpp"
#include "ckks/linear_transform.hpp"
#include "ckks/params.hpp"
#include "ckks/plaintext.hpp"
#include "ckks/security.hpp"
#include "ckks/serialization.hpp"
#include "ckks/server.hpp"
