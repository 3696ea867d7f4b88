// Lesson 2 — Rotations: moving numbers between slots.
//
// Lesson 1 computed slot by slot: slot i of the result depended only on slot i
// of the inputs. Anything that mixes slots — a sum, a matrix-vector product, a
// convolution — needs rotations. This lesson rotates, conjugates, shows why
// "hoisting" makes many rotations of one ciphertext cheaper, multiplies an
// encrypted vector by a plaintext matrix with the baby-step giant-step method,
// and shows how a program keeps the memory of rotation keys in check.
#include <chrono>
#include <cmath>
#include <complex>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <vector>

#include "ckks/ckks.hpp"

using namespace tower::ckks;
using cvec = std::vector<std::complex<double>>;

namespace {

double max_error(const cvec& a, const cvec& b) {
  double w = 0;
  for (std::size_t i = 0; i < b.size(); ++i) w = std::max(w, std::abs(a[i] - b[i]));
  return w;
}

cvec rotate_plain(const cvec& v, std::int64_t step) {
  const auto n = static_cast<std::int64_t>(v.size());
  cvec out(v.size());
  for (std::int64_t j = 0; j < n; ++j) out[j] = v[((j + step) % n + n) % n];
  return out;
}

}  // namespace

int main() {
  bool ok = true;
  // The parameters of lesson 1 (N = 8192, depth 2, scale 2^40).
  const auto context = Context::create(Params::choose(8192, 2, 40, 50, 3));
  const KeyGenerator keygen(context);
  const Encoder encoder(context);
  const Encryptor encryptor(context, keygen.create_public_key());
  const Decryptor decryptor(context, keygen.secret_key());
  const Evaluator evaluator(context);
  const std::size_t slots = encoder.slots(), top = context->max_level();
  const double scale = context->params().scale();

  cvec v(slots);
  for (std::size_t i = 0; i < slots; ++i) v[i] = {static_cast<double>(i % 100) / 100.0, 0.0};
  const Ciphertext ct = encryptor.encrypt(encoder.encode(v, top, scale));
  auto decrypt = [&](const Ciphertext& c) { return encoder.decode(decryptor.decrypt(c)); };

  // ---------------------------------------------------------------------------
  // 1. Why rotations are automorphisms.
  //
  // Slot j holds the value of the message polynomial m(X) at the root
  // zeta^(5^j). Substituting X -> X^5 gives a polynomial whose value at
  // zeta^(5^j) is m(zeta^(5^(j+1))): every slot now holds its right neighbour —
  // a rotation left by one. X -> X^(5^r) rotates by r. Applied to a ciphertext
  // (c0(X^k), c1(X^k)), it decrypts under s(X^k) instead of s; a Galois key
  // (like the relinearization key of lesson 1) switches it back to s.
  //
  // Keys are per step, so a program generates exactly the steps it needs.
  // ---------------------------------------------------------------------------
  const GaloisKeys keys = create_galois_keys(keygen, {1, 2, 3, 4, 5, 6, 7, 8, -1}, /*conjugation=*/true);
  std::printf("Galois keys for 9 steps + conjugation: %.1f MB\n", keys.byte_size() / 1e6);

  const cvec r3 = decrypt(evaluator.rotate(ct, 3, keys));
  std::printf("rotate by 3:  slot 0 = %.4f (expected %.4f)\n", r3[0].real(), v[3].real());
  ok = ok && max_error(r3, rotate_plain(v, 3)) < 1e-4;

  // A step without its own key is composed from held keys by its signed binary
  // (non-adjacent) form: 12 = 8 + 4 takes two key switches; 15 = 16 - 1 would
  // need a key for 16, which we did not generate, so it would be refused.
  std::size_t switches = 0;
  const cvec r12 = decrypt(evaluator.rotate(ct, 12, keys, /*allow_composition=*/true, &switches));
  std::printf("rotate by 12: composed from %zu key switches (8 + 4)\n", switches);
  ok = ok && max_error(r12, rotate_plain(v, 12)) < 1e-4;

  // Conjugation is the automorphism X -> X^(2N-1): every slot to its complex conjugate.
  cvec w(slots);
  for (std::size_t i = 0; i < slots; ++i) w[i] = {0.5, 0.25};
  const cvec cj = decrypt(evaluator.conjugate(encryptor.encrypt(encoder.encode(w, top, scale)), keys));
  std::printf("conjugate:    slot 0 = %.4f%+.4fi\n", cj[0].real(), cj[0].imag());
  ok = ok && std::abs(cj[0] - std::complex<double>(0.5, -0.25)) < 1e-4;

  // ---------------------------------------------------------------------------
  // 2. Hoisting.
  //
  // Key switching is expensive mostly because of its first step: c1 is split
  // into digits and each digit extended to a larger modulus (ModUp), with many
  // NTTs. That step does not depend on the rotation — it commutes with
  // X -> X^k — so k rotations of the same ciphertext can share one ModUp and
  // pay only a permutation, an inner product with the key and a ModDown each.
  // ---------------------------------------------------------------------------
  const std::vector<std::int64_t> steps = {1, 2, 3, 4, 5, 6, 7, 8};
  auto t0 = std::chrono::steady_clock::now();
  for (auto s : steps) (void)evaluator.rotate(ct, s, keys, false);
  auto t1 = std::chrono::steady_clock::now();
  const auto hoisted = evaluator.rotate_hoisted(ct, steps, keys);
  auto t2 = std::chrono::steady_clock::now();
  std::printf("8 rotations one by one: %.1f ms, hoisted: %.1f ms\n",
              std::chrono::duration<double, std::milli>(t1 - t0).count(),
              std::chrono::duration<double, std::milli>(t2 - t1).count());
  for (std::size_t i = 0; i < steps.size(); ++i) ok = ok && max_error(decrypt(hoisted[i]), rotate_plain(v, steps[i])) < 1e-4;

  // ---------------------------------------------------------------------------
  // 3. A matrix-vector product.
  //
  // Write the matrix by its diagonals d_k[j] = M[j][j+k]; then
  // M v = sum_k d_k * rotate(v, k). With 8 diagonals that is 8 rotations; the
  // baby-step giant-step split k = 4g + b needs only rotations by b = 1, 2, 3
  // (hoisted, sharing one ModUp) and by 4g = 4: 4 key switches.
  // ---------------------------------------------------------------------------
  LinearTransform::Diagonals diags;
  for (std::int64_t k = 0; k < 8; ++k) diags[k] = cvec(slots, {1.0 / (1.0 + static_cast<double>(k)), 0.0});
  const LinearTransform lt(encoder, diags, top, scale, /*baby_steps=*/4);
  std::printf("BSGS with 8 diagonals needs rotation keys for:");
  for (auto s : lt.rotation_steps()) std::printf(" %lld", static_cast<long long>(s));
  std::printf("\n");
  const Ciphertext mv = evaluator.rescale(lt.apply(ct, keys));
  cvec expect(slots, 0.0);
  for (const auto& [k, d] : diags) {
    const cvec r = rotate_plain(v, k);
    for (std::size_t j = 0; j < slots; ++j) expect[j] += d[j] * r[j];
  }
  const double err = max_error(decrypt(mv), expect);
  std::printf("M v: slot 0 = %.5f (expected %.5f), precision %.1f bits\n", decrypt(mv)[0].real(), expect[0].real(),
              -std::log2(err));
  ok = ok && err < 1e-4;

  // ---------------------------------------------------------------------------
  // 4. Memory.
  //
  // A rotation key holds (dnum digits) x (all primes) x N residues, twice:
  // the largest objects of CKKS (110 MB each at N = 2^15 with SEAL's primes).
  // A program that runs in stages keeps only the keys of the current stage:
  // save a key, release it, and load it back when its stage comes again. On
  // disk a key is about half its size in memory: its uniform half is a seed.
  // ---------------------------------------------------------------------------
  const u64 g5 = galois_element_for_rotation(5, context->n());
  std::stringstream stored;
  save_galois_key(keys, g5, stored);
  const std::size_t before = keys.byte_size();
  GaloisKeys stage = keys;  // a copy we may shrink
  stage.release(g5);
  std::printf("key for step 5: %.1f MB in memory, %.1f MB saved; the set %.1f -> %.1f MB without it\n",
              keys.byte_size(g5) / 1e6, stored.str().size() / 1e6, before / 1e6, stage.byte_size() / 1e6);
  const GaloisKeyEntry entry = load<GaloisKeyEntry>(stored, context);
  stage.insert(entry.galois_element, entry.key);
  ok = ok && max_error(decrypt(evaluator.rotate(ct, 5, stage, false)), rotate_plain(v, 5)) < 1e-4;

  // Ciphertexts and the temporaries of key switching take their memory from
  // the context's pool, which keeps freed blocks for the next operation
  // rather than handing them back to the system (each would be faulted in
  // again, page by page). It holds at most limit() bytes; release() empties it.
  const auto& pool = context->memory_pool();
  std::printf("memory pool: %.1f MB cached, %llu blocks reused, %llu allocated\n", pool->cached_bytes() / 1e6,
              static_cast<unsigned long long>(pool->hits()), static_cast<unsigned long long>(pool->misses()));
  ok = ok && pool->hits() > 0;
  pool->release();
  ok = ok && pool->cached_bytes() == 0;

  std::printf(ok ? "OK\n" : "FAILED\n");
  return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}
