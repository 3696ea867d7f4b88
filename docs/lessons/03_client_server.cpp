// Lesson 3 — Client and server: what crosses the wire, and what must not.
//
// Homomorphic encryption exists so that someone else can compute on your data.
// That makes it a protocol between two parties:
//   * the client holds the secret key: it makes keys, encrypts, decrypts;
//   * the server holds only what the client sends: parameters, evaluation keys
//     (relinearization, rotations) and ciphertexts. It computes and sends back.
// Everything the server receives is untrusted bytes, and everything it sends
// back is untrusted to the client. This lesson runs the protocol through byte
// buffers, shows the sizes, shows a damaged buffer being refused, and explains
// why a decrypted result that leaves the client should be "flooded".
#include <cmath>
#include <cstdio>
#include <vector>

#include "ckks/ckks.hpp"

using namespace tower::ckks;
using Bytes = std::vector<std::uint8_t>;

namespace {

double max_error(const std::vector<double>& a, const std::vector<double>& b) {
  double w = 0;
  for (std::size_t i = 0; i < b.size(); ++i) w = std::max(w, std::abs(a[i] - b[i]));
  return w;
}

double mib(std::size_t bytes) { return static_cast<double>(bytes) / (1 << 20); }

}  // namespace

int main() {
  bool ok = true;

  // ---- Client: parameters, keys, data. ----
  // N = 8192, two rescaling levels, 128-bit secure (lesson 1's parameters).
  const auto client_context = Context::create(Params::choose(8192, 2, 40, 50, 3));
  // Client owns a fresh secret key from the CSPRNG. Server (below) has no way
  // to hold one: it has no constructor that takes a secret key.
  const Client client(client_context);

  // The server will compute x * y, rotated left by one slot: it needs the
  // relinearization key and the Galois key of step 1 — nothing else.
  const EvaluationKeys keys = client.evaluation_keys(/*relinearization=*/true, /*rotation_steps=*/{1});

  std::vector<double> x(client_context->slots()), y(client_context->slots());
  for (std::size_t i = 0; i < x.size(); ++i) {
    x[i] = std::sin(0.01 * static_cast<double>(i));
    y[i] = std::cos(0.02 * static_cast<double>(i));
  }

  // Serialize. Keys are stored with their uniform half as a 32-byte seed, and
  // a secret-key ciphertext can be too (encrypt_seeded): half the bytes.
  const Bytes params_bytes = to_bytes(client_context->params());
  const Bytes relin_bytes = to_bytes(*keys.relin);
  const Bytes galois_bytes = to_bytes(keys.galois);
  const Bytes x_bytes = to_bytes(client.encrypt_seeded(x));
  const Bytes y_bytes = to_bytes(client.encrypt(y));
  std::printf("client sends: parameters %zu B, relinearization key %.2f MiB (in memory %.2f MiB),\n"
              "              Galois key %.2f MiB, x %.2f MiB (seeded), y %.2f MiB (full)\n",
              params_bytes.size(), mib(relin_bytes.size()), mib(keys.relin->key().byte_size()),
              mib(galois_bytes.size()), mib(x_bytes.size()), mib(y_bytes.size()));

  // ---- Server: everything from bytes. ----
  // load_params re-checks the parameters (primes, the 128-bit bound) and refuses
  // a set that waives security unless the server explicitly allows it.
  const auto server_context = Context::create(load_params(params_bytes));
  const Server server(server_context, EvaluationKeys{load<RelinKey>(relin_bytes, server_context),
                                                     load<GaloisKeys>(galois_bytes, server_context)});
  const Ciphertext cx = load<SeededCiphertext>(x_bytes, server_context).expand();
  const Ciphertext cy = load<Ciphertext>(y_bytes, server_context);
  const Bytes result_bytes = to_bytes(server.rotate(server.multiply(cx, cy), 1));

  // A loader never trusts its input. Flip one coefficient past its prime, or
  // cut the buffer short: the load throws SerializationError naming the field,
  // before allocating anything the header's sizes do not justify.
  Bytes damaged = result_bytes;
  for (int i = 0; i < 8; ++i) damaged[kHeaderBytes + 16 + 8 * 5 + i] = 0xff;  // c[0], tower 0, coefficient 5
  try {
    (void)load<Ciphertext>(damaged, server_context);
    std::printf("FAIL: a damaged ciphertext was accepted\n");
    ok = false;
  } catch (const SerializationError& e) {
    std::printf("damaged input refused: %s\n", e.what());
  }

  // ---- Client: decrypt. ----
  const Ciphertext result = load<Ciphertext>(result_bytes, client_context);
  std::vector<double> want(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) want[i] = x[(i + 1) % x.size()] * y[(i + 1) % y.size()];
  const double plain_bits = -std::log2(max_error(client.decrypt(result), want));
  std::printf("rotate(x * y, 1): %.1f bits of precision\n", plain_bits);
  ok = ok && plain_bits > 20;

  // Decryption returns Delta*m + e, and e depends on the secret key. If the
  // decrypted numbers go back to the server (or anyone who saw the
  // ciphertexts), e leaks the key (Li–Micciancio 2021). Noise flooding adds a
  // large fresh random error first: here up to 2^20 per coefficient, which
  // leaves about log2(Delta) - 20 - log2(sqrt(N / 3)) = 40 - 20 - 5.7, some 14
  // bits. docs/security.md explains how large it must be to hide e.
  const double flooded_bits = -std::log2(max_error(client.decrypt(result, NoiseFlooding{20}), want));
  std::printf("with 20 bits of noise flooding: %.1f bits of precision\n", flooded_bits);
  ok = ok && flooded_bits > 8 && flooded_bits < plain_bits;

  std::printf(ok ? "lesson 3: OK\n" : "lesson 3: FAILED\n");
  return ok ? 0 : 1;
}
