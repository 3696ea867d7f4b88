// Lesson 1 — CKKS basics: parameters, keys, encode, encrypt, multiply,
// relinearize, rescale, decrypt.
//
// CKKS (Cheon, Kim, Kim, Song 2017) computes on encrypted vectors of real or
// complex numbers, approximately: every result carries a small error, like
// floating point. This lesson computes z = x * y + 0.5 on two encrypted vectors
// and compares with the same computation in plain doubles.
//
// Build and run:  cmake --build build --target lesson_01_ckks_basics && ./build/docs/lessons/lesson_01_ckks_basics
#include <cmath>
#include <complex>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "ckks/ckks.hpp"

using namespace tower::ckks;

int main() {
  // ---------------------------------------------------------------------------
  // 1. Parameters.
  //
  // A ciphertext is a pair of polynomials of degree < N with coefficients
  // modulo Q. N fixes how many numbers one ciphertext holds (N/2 "slots") and,
  // with Q, how secure it is: the larger Q for a given N, the easier the
  // lattice problem. tower refuses parameter sets above the HomomorphicEncryption.org
  // bound for 128-bit security.
  //
  // Q is a product of primes q_0 * q_1 * ... * q_L (the RNS "towers"). Values are
  // stored scaled by Delta (the scale) and rounded to integers; a product has
  // scale Delta^2, and "rescaling" divides by the last prime q_L — chosen close
  // to Delta — to bring the scale back. So each multiplication uses one prime:
  // L is the multiplicative depth. q_0 is larger than Delta to leave room for
  // the integer part of the final result.
  //
  // Params::choose builds such a chain: N = 8192, depth 2, scale 2^40 and a
  // 50-bit q_0. The last argument, dnum = 3, splits Q into 3 "digits" for key
  // switching, whose keys also use extra "special" primes P (ckks/keyswitch.hpp
  // explains the trade-off).
  // ---------------------------------------------------------------------------
  const Params params = Params::choose(/*n=*/8192, /*depth=*/2, /*log_scale=*/40, /*log_q0=*/50, /*dnum=*/3);
  std::printf("Parameters:\n  %s\n\n", params.describe().c_str());
  const auto context = Context::create(params);

  // ---------------------------------------------------------------------------
  // 2. Keys.
  //
  // The secret key s is a polynomial with coefficients in {-1, 0, 1}. The
  // public key encrypts zero under s, so anyone can encrypt. The relinearization
  // key lets the evaluator turn the 3-part result of a product back into 2 parts
  // (see step 5). The evaluator needs only the public and relinearization keys —
  // never the secret key.
  // ---------------------------------------------------------------------------
  const KeyGenerator keygen(context);
  const PublicKey public_key = keygen.create_public_key();
  const RelinKey relin_key = keygen.create_relin_key();

  // ---------------------------------------------------------------------------
  // 3. Encode.
  //
  // The encoder maps N/2 complex numbers to one polynomial (the inverse of the
  // "canonical embedding": the polynomial whose values at N/2 roots of unity are
  // the inputs), multiplies by Delta and rounds. Here: two real vectors.
  // ---------------------------------------------------------------------------
  const Encoder encoder(context);
  const std::size_t slots = encoder.slots();
  std::vector<double> x(slots), y(slots);
  for (std::size_t i = 0; i < slots; ++i) {
    x[i] = std::sin(0.001 * static_cast<double>(i));
    y[i] = std::cos(0.002 * static_cast<double>(i));
  }
  const std::size_t top = context->max_level();
  const double scale = params.scale();
  const Plaintext px = encoder.encode(x, top, scale);
  const Plaintext py = encoder.encode(y, top, scale);

  // ---------------------------------------------------------------------------
  // 4. Encrypt. A fresh ciphertext is at the top level L (all primes present).
  // ---------------------------------------------------------------------------
  const Encryptor encryptor(context, public_key);
  const Ciphertext cx = encryptor.encrypt(px);
  const Ciphertext cy = encryptor.encrypt(py);
  std::printf("Encrypted x and y: level %zu, scale 2^%.1f\n", cx.level(), std::log2(cx.scale()));

  // ---------------------------------------------------------------------------
  // 5. Multiply, then relinearize.
  //
  // (c0 + c1 s)(d0 + d1 s) = c0 d0 + (c0 d1 + c1 d0) s + c1 d1 s^2: the product
  // has three parts and decrypts under (1, s, s^2). Relinearization uses the
  // relinearization key (an encryption of s^2 under s) to fold the s^2 part back,
  // by "key switching".
  // ---------------------------------------------------------------------------
  const Evaluator evaluator(context);
  Ciphertext cz = evaluator.multiply(cx, cy);
  std::printf("After multiply: %zu components, scale 2^%.1f\n", cz.size(), std::log2(cz.scale()));
  evaluator.relinearize_inplace(cz, relin_key);

  // ---------------------------------------------------------------------------
  // 6. Rescale: divide by the last prime, which drops one level and brings the
  // scale from Delta^2 back to about Delta.
  // ---------------------------------------------------------------------------
  evaluator.rescale_inplace(cz);
  std::printf("After relinearize + rescale: %zu components, level %zu, scale 2^%.4f\n", cz.size(), cz.level(),
              std::log2(cz.scale()));

  // Add a constant: it is encoded at the ciphertext's current scale.
  evaluator.add_const_inplace(cz, 0.5);

  // ---------------------------------------------------------------------------
  // 7. Decrypt and decode, then compare with the same computation in doubles.
  // Precision is reported in bits: -log2 of the largest error.
  // ---------------------------------------------------------------------------
  const Decryptor decryptor(context, keygen.secret_key());
  const std::vector<double> z = encoder.decode_real(decryptor.decrypt(cz));
  double worst = 0;
  for (std::size_t i = 0; i < slots; ++i) worst = std::max(worst, std::abs(z[i] - (x[i] * y[i] + 0.5)));
  const double bits = -std::log2(worst);
  std::printf("\n  i      x*y+0.5 (plain)   decrypted\n");
  for (std::size_t i : {std::size_t{0}, std::size_t{1}, slots / 2, slots - 1}) {
    std::printf("  %-6zu %-17.10f %.10f\n", i, x[i] * y[i] + 0.5, z[i]);
  }
  std::printf("\nPrecision: %.1f bits (max error %.3g over %zu slots)\n", bits, worst, slots);

  // This lesson doubles as a test: with N = 2^13 and Delta = 2^40 the result
  // should be good to about 40 - 13 - 5 = 22 bits; fail loudly below 18.
  return bits >= 18.0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
