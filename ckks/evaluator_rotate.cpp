// ckks/evaluator_rotate.cpp — rotations, conjugation, hoisting, rotate-and-sum.
//
// A rotation applies sigma_k (k = 5^r) to both components — in evaluation form a
// permutation of the slots of every tower, no arithmetic — and then key-switches
// sigma_k(c_1) from sigma_k(s) back to s. Hoisting observes that the expensive
// part of key switching, the decomposition (ModUp) of c_1, commutes with sigma_k
// up to the small integer multiples of Q_j that the fast base conversion leaves
// anyway, so one decomposition serves every rotation of the same ciphertext.
#include <cstdlib>
#include <optional>
#include <stdexcept>
#include <string>

#include "ckks/evaluator.hpp"
#include "ckks/keyswitch.hpp"
#include "poly/automorphism.hpp"

namespace tower::ckks {
namespace {

std::string op_name(const char* op) { return std::string("ckks::Evaluator::") + op; }

// Non-adjacent form of x >= 0: digits in {-1, 0, 1}, least significant first,
// no two adjacent non-zeros (the fewest non-zero signed binary digits).
std::vector<int> naf(std::int64_t x) {
  std::vector<int> d;
  while (x != 0) {
    if (x & 1) {
      const int digit = 2 - static_cast<int>(x & 3);  // x mod 4 = 1 -> +1, = 3 -> -1
      d.push_back(digit);
      x -= digit;
    } else {
      d.push_back(0);
    }
    x >>= 1;
  }
  return d;
}

// Plain binary digits of x >= 0 (all 0 or 1), least significant first.
std::vector<int> binary(std::int64_t x) {
  std::vector<int> d;
  for (; x != 0; x >>= 1) d.push_back(static_cast<int>(x & 1));
  return d;
}

// Signed power-of-two steps summing to `step` with the given digit expansion of
// |step|, or empty if one of them has no key.
std::vector<std::int64_t> composition(std::int64_t step, std::size_t n, const GaloisKeys& keys, bool use_naf) {
  std::vector<std::int64_t> steps;
  const std::int64_t mag = step < 0 ? -step : step;
  const auto digits = use_naf ? naf(mag) : binary(mag);
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (digits[i] == 0) continue;
    std::int64_t s = (std::int64_t{1} << i) * digits[i];
    if (step < 0) s = -s;
    if (!keys.contains(galois_element_for_rotation(s, n))) return {};
    steps.push_back(s);
  }
  return steps;
}

}  // namespace


Ciphertext Evaluator::apply_galois(const Ciphertext& a, u64 g, const GaloisKeys& keys) const {
  check_ciphertext(a, "rotate");
  if (a.size() != 2) {
    throw std::invalid_argument(op_name("rotate") + ": ciphertext must have 2 components (relinearize first)");
  }
  if (!keys.context() || keys.context()->params_hash() != context_->params_hash()) {
    throw std::invalid_argument(op_name("rotate") + ": Galois keys belong to another context");
  }
  const KeySwitchKey& key = keys.at(g);  // throws naming the step
  if (key.level() < a.level()) {
    throw std::invalid_argument(op_name("rotate") + ": the Galois key was generated for levels <= " +
                                std::to_string(key.level()) + ", the ciphertext is at level " + std::to_string(a.level()));
  }
  // Galois keys are stored permuted by sigma^-1 (KeyGenerator::create_galois_key):
  // key-switch c1 itself (streamed, no decomposition kept), then permute the two
  // results. sigma commutes with ModDown (in evaluation form it permutes the
  // slots of every tower alike, in coefficient form it is a signed permutation,
  // and the centred base conversion maps -x to -x), so it is applied over the
  // l+1 towers of Q_l rather than the l+1+k of Q_l * P, and sigma(c0) + sigma(d0)
  // as sigma(c0 + d0): two permutations of l+1 towers instead of three, fused
  // into the last step of ModDown (ckks::key_switch).
  auto [d0, d1] = key_switch(*context_, a[1], key, &a[0], nullptr, &keys.permutation(g));
  std::vector<poly::RnsPoly> c;
  c.push_back(std::move(d0));  // sigma(c0 + d0)
  c.push_back(std::move(d1));  // sigma(d1)
  return Ciphertext(context_, std::move(c), a.scale());  // built from its parts: no copy of a
}

Ciphertext Evaluator::rotate(const Ciphertext& a, std::int64_t step, const GaloisKeys& keys, bool allow_composition,
                             std::size_t* key_switches) const {
  const std::size_t n = context_->n();
  const std::int64_t slots = static_cast<std::int64_t>(n / 2);
  std::int64_t r = step % slots;
  if (r < 0) r += slots;
  if (key_switches) *key_switches = 0;
  if (r == 0) {
    check_ciphertext(a, "rotate");
    return a;
  }
  const u64 g = galois_element_for_rotation(r, n);
  if (keys.contains(g) || !allow_composition) {
    if (key_switches) *key_switches = 1;
    return apply_galois(a, g, keys);
  }
  // Compose: left by r or right by slots - r, each in non-adjacent form (fewest
  // signed powers of two) or plain binary (only positive powers, for key sets
  // without negative steps); the valid candidate with fewest switches wins.
  std::vector<std::int64_t> steps;
  for (const auto& cand : {composition(r, n, keys, true), composition(r, n, keys, false),
                           composition(r - slots, n, keys, true), composition(r - slots, n, keys, false)}) {
    if (!cand.empty() && (steps.empty() || cand.size() < steps.size())) steps = cand;
  }
  if (steps.empty()) {
    throw std::invalid_argument(op_name("rotate") + ": no Galois key for rotation by " + std::to_string(step) +
                                ", and it cannot be composed from the held keys (signed powers of two)");
  }
  Ciphertext out = a;
  for (std::int64_t s : steps) out = apply_galois(out, galois_element_for_rotation(s, n), keys);
  if (key_switches) *key_switches = steps.size();
  return out;
}

void Evaluator::rotate_inplace(Ciphertext& a, std::int64_t step, const GaloisKeys& keys, bool allow_composition,
                               std::size_t* key_switches) const {
  a = rotate(a, step, keys, allow_composition, key_switches);
}

Ciphertext Evaluator::conjugate(const Ciphertext& a, const GaloisKeys& keys) const {
  return apply_galois(a, galois_element_for_conjugation(context_->n()), keys);
}

std::vector<Ciphertext> Evaluator::rotate_hoisted(const Ciphertext& a, const std::vector<std::int64_t>& steps,
                                                  const GaloisKeys& keys) const {
  check_ciphertext(a, "rotate_hoisted");
  if (a.size() != 2) {
    throw std::invalid_argument(op_name("rotate_hoisted") + ": ciphertext must have 2 components (relinearize first)");
  }
  if (!keys.context() || keys.context()->params_hash() != context_->params_hash()) {
    throw std::invalid_argument(op_name("rotate_hoisted") + ": Galois keys belong to another context");
  }
  const std::size_t n = context_->n();
  // Look every key up first, so a missing one fails before any work.
  std::vector<const KeySwitchKey*> ks(steps.size(), nullptr);
  std::vector<u64> gs(steps.size(), 1);
  for (std::size_t i = 0; i < steps.size(); ++i) {
    gs[i] = galois_element_for_rotation(steps[i], n);
    if (gs[i] == 1) continue;
    ks[i] = &keys.at(gs[i]);
    if (ks[i]->level() < a.level()) {
      throw std::invalid_argument(op_name("rotate_hoisted") + ": the Galois key for rotation by " +
                                  std::to_string(steps[i]) + " was generated for levels <= " +
                                  std::to_string(ks[i]->level()) + ", the ciphertext is at level " +
                                  std::to_string(a.level()));
    }
  }
  const Decomposed d = decompose(*context_, a[1]);  // the one ModUp
  // A few keys at a time (ckks::key_switch_hoisted reads the decomposition once
  // per group instead of once per key, and finishes each tower in cache); the
  // group bounds the scratch of its P towers (2 * group * k limbs) and of the
  // towers in flight (2 * group limbs per thread).
  constexpr std::size_t kGroup = 4;
  std::vector<std::optional<Ciphertext>> done(steps.size());
  std::vector<std::size_t> pending;
  const auto flush = [&] {
    std::vector<const KeySwitchKey*> group;
    std::vector<const std::vector<std::uint32_t>*> perms;
    for (std::size_t i : pending) {
      group.push_back(ks[i]);
      perms.push_back(&keys.permutation(gs[i]));
    }
    auto res = key_switch_hoisted(*context_, d, group, perms, &a[0]);  // sigma(c0 + d0), sigma(d1)
    for (std::size_t g = 0; g < pending.size(); ++g) {
      std::vector<poly::RnsPoly> c;
      c.push_back(std::move(res[g].first));
      c.push_back(std::move(res[g].second));
      done[pending[g]] = Ciphertext(context_, std::move(c), a.scale());
    }
    pending.clear();
  };
  for (std::size_t i = 0; i < steps.size(); ++i) {
    if (gs[i] == 1) {
      done[i] = a;
      continue;
    }
    pending.push_back(i);
    if (pending.size() == kGroup) flush();
  }
  if (!pending.empty()) flush();
  std::vector<Ciphertext> out;
  out.reserve(steps.size());
  for (auto& c : done) out.push_back(std::move(*c));
  return out;
}

namespace {
void check_block(std::size_t block, std::size_t slots, const char* op) {
  if (block == 0 || (block & (block - 1)) != 0 || block > slots) {
    throw std::invalid_argument(op_name(op) + ": block " + std::to_string(block) +
                                " must be a power of two in [1, " + std::to_string(slots) + "]");
  }
}
}  // namespace

Ciphertext Evaluator::rotate_and_sum(const Ciphertext& a, std::size_t block, const GaloisKeys& keys) const {
  check_block(block, context_->slots(), "rotate_and_sum");
  Ciphertext acc = a;
  for (std::size_t s = 1; s < block; s <<= 1) {
    add_inplace(acc, rotate(acc, static_cast<std::int64_t>(s), keys, false));
  }
  return acc;
}

Ciphertext Evaluator::replicate(const Ciphertext& a, std::size_t block, const GaloisKeys& keys) const {
  const std::size_t slots = context_->slots();
  check_block(block, slots, "replicate");
  Ciphertext acc = a;
  for (std::size_t s = block; s < slots; s <<= 1) {
    add_inplace(acc, rotate(acc, -static_cast<std::int64_t>(s), keys, false));
  }
  return acc;
}

}  // namespace tower::ckks
