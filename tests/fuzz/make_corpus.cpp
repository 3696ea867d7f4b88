// tests/fuzz/make_corpus.cpp — writes the seed corpus of every fuzz target:
// valid objects of the fuzz context (fuzz_context.hpp), a few of each kind.
// Usage: make_fuzz_corpus <dir>  (creates <dir>/<target>/seed_<k>.bin).
// The committed corpus in tests/fuzz/corpus was made with it; rerun it after a
// format change (the replay tests report a stale corpus).
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "ckks/ckks.hpp"
#include "fuzz/fuzz_context.hpp"

using namespace tower;
using u64 = std::uint64_t;

namespace {

void write(const std::filesystem::path& dir, const std::string& target, int k, const std::vector<std::uint8_t>& b) {
  std::filesystem::create_directories(dir / target);
  std::ofstream f(dir / target / ("seed_" + std::to_string(k) + ".bin"), std::ios::binary | std::ios::trunc);
  f.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <corpus dir>\n", argv[0]);
    return 2;
  }
  const std::filesystem::path dir = argv[1];
  const auto& ctx = fuzz::fuzz_context();
  const ckks::KeyGenerator keygen(ctx);
  const ckks::Encoder encoder(ctx);
  const ckks::PublicKey pk = keygen.create_public_key();
  const ckks::Encryptor enc(ctx, pk), senc(ctx, keygen.secret_key());
  const ckks::Evaluator ev(ctx);
  const std::vector<double> v = {0.5, -0.25, 1.0, 0.125};
  const double scale = ctx->params().scale();

  write(dir, "params", 0, ckks::to_bytes(ctx->params()));
  write(dir, "plaintext", 0, ckks::to_bytes(encoder.encode(v, 1, scale)));
  write(dir, "plaintext", 1, ckks::to_bytes(encoder.encode(v, 0, scale)));
  const ckks::Ciphertext c = enc.encrypt(encoder.encode(v, 1, scale));
  write(dir, "ciphertext", 0, ckks::to_bytes(c));
  write(dir, "ciphertext", 1, ckks::to_bytes(ev.multiply(c, c)));  // 3 components
  write(dir, "ciphertext", 2, ckks::to_bytes(ev.rescale(ev.multiply_const(c, 0.5))));  // level 0
  write(dir, "seeded_ciphertext", 0, ckks::to_bytes(senc.encrypt_symmetric_seeded(encoder.encode(v, 1, scale))));
  write(dir, "seeded_ciphertext", 1, ckks::to_bytes(senc.encrypt_symmetric_seeded(encoder.encode(v, 0, scale))));
  write(dir, "public_key", 0, ckks::to_bytes(pk));
  write(dir, "relin_key", 0, ckks::to_bytes(keygen.create_relin_key()));
  ckks::GaloisKeys gk = ckks::create_galois_keys(keygen, {1});
  const u64 conj = ckks::galois_element_for_conjugation(ctx->n());
  gk.insert(conj, ckks::create_galois_key(keygen, conj, 0));  // a level-0 key: one digit
  write(dir, "galois_keys", 0, ckks::to_bytes(gk));
  write(dir, "galois_keys", 1, ckks::to_bytes(ckks::GaloisKeys(ctx)));  // empty set
  for (int k = 0; u64 g : gk.elements()) {
    std::ostringstream os;
    ckks::save_galois_key(gk, g, os);
    const std::string s = os.str();
    write(dir, "galois_key", k++, std::vector<std::uint8_t>(s.begin(), s.end()));
  }
  std::ostringstream os;
  ckks::save_secret_key(keygen.secret_key(), os);
  const std::string s = os.str();
  write(dir, "secret_key", 0, std::vector<std::uint8_t>(s.begin(), s.end()));
  std::printf("seed corpus written to %s\n", dir.c_str());
  return 0;
}
