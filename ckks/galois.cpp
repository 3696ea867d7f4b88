// ckks/galois.cpp — Galois elements, key generation and the key set.
#include "ckks/galois.hpp"

#include <stdexcept>
#include <string>

#include "poly/automorphism.hpp"

namespace tower::ckks {

u64 galois_element_for_rotation(std::int64_t step, std::size_t n) {
  const std::int64_t slots = static_cast<std::int64_t>(n / 2);
  std::int64_t r = step % slots;
  if (r < 0) r += slots;
  // 5 has order n/2 modulo 2n, so 5^r for r in [0, n/2) covers every rotation.
  const u64 m = 2 * static_cast<u64>(n);
  u64 g = 1, base = 5;
  for (u64 e = static_cast<u64>(r); e; e >>= 1) {
    if (e & 1) g = g * base % m;
    base = base * base % m;
  }
  return g;
}

std::int64_t rotation_step_of(u64 galois_element, std::size_t n) {
  const u64 m = 2 * static_cast<u64>(n);
  u64 g = 1;
  for (std::size_t r = 0; r < n / 2; ++r) {
    if (g == galois_element % m) return static_cast<std::int64_t>(r);
    g = g * 5 % m;
  }
  return -1;
}

void GaloisKeys::insert(u64 galois_element, KeySwitchKey key) {
  if (!key.context() || key.context()->params_hash() != context_->params_hash()) {
    throw std::invalid_argument("ckks::GaloisKeys::insert: key belongs to another context");
  }
  perms_.insert_or_assign(galois_element, poly::automorphism_eval_permutation(context_->n(), galois_element));
  keys_.insert_or_assign(galois_element, std::move(key));
}

const std::vector<std::uint32_t>& GaloisKeys::permutation(u64 galois_element) const {
  at(galois_element);  // throws naming the step if absent
  return perms_.at(galois_element);
}

const KeySwitchKey& GaloisKeys::at(u64 galois_element) const {
  const auto it = keys_.find(galois_element);
  if (it == keys_.end()) {
    const std::size_t n = context_->n();
    std::string what;
    if (galois_element == galois_element_for_conjugation(n)) {
      what = "conjugation";
    } else {
      const auto step = rotation_step_of(galois_element, n);
      what = step >= 0 ? "rotation by " + std::to_string(step) : "Galois element " + std::to_string(galois_element);
    }
    throw std::invalid_argument("ckks::GaloisKeys: no Galois key for " + what);
  }
  return it->second;
}

std::vector<u64> GaloisKeys::elements() const {
  std::vector<u64> out;
  for (const auto& [g, _] : keys_) out.push_back(g);
  return out;
}

std::size_t GaloisKeys::byte_size() const noexcept {
  std::size_t total = 0;
  for (const auto& [g, k] : keys_) total += k.byte_size();
  return total;
}

std::size_t GaloisKeys::byte_size(u64 galois_element) const noexcept {
  const auto it = keys_.find(galois_element);
  return it == keys_.end() ? 0 : it->second.byte_size();
}

KeySwitchKey create_galois_key(const KeyGenerator& keygen, u64 galois_element, std::size_t level) {
  const auto& ctx = keygen.secret_key().context();
  if (level == static_cast<std::size_t>(-1)) level = ctx->max_level();
  return keygen.create_galois_key(galois_element, level);
}

GaloisKeys create_galois_keys(const KeyGenerator& keygen, const std::vector<std::int64_t>& steps, bool conjugation,
                              std::size_t level) {
  const auto& ctx = keygen.secret_key().context();
  GaloisKeys keys(ctx);
  for (std::int64_t step : steps) {
    const u64 g = galois_element_for_rotation(step, ctx->n());
    if (g == 1 || keys.contains(g)) continue;  // rotation by 0 needs no key
    keys.insert(g, create_galois_key(keygen, g, level));
  }
  if (conjugation) {
    const u64 g = galois_element_for_conjugation(ctx->n());
    keys.insert(g, create_galois_key(keygen, g, level));
  }
  return keys;
}

}  // namespace tower::ckks
