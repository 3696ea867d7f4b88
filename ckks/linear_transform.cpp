// ckks/linear_transform.cpp — BSGS with double hoisting.
#include "ckks/linear_transform.hpp"

#include <cmath>
#include <cstring>
#include <set>
#include <stdexcept>
#include <string>

#include "ckks/keyswitch.hpp"
#include "poly/automorphism.hpp"
#include "poly/dot.hpp"
#include "poly/eltwise.hpp"

namespace tower::ckks {
namespace {

std::int64_t mod_slots(std::int64_t k, std::int64_t slots) { return ((k % slots) + slots) % slots; }

// P * x for x over Q_l, as a polynomial over Q_l * P: the Q towers times P mod q_i,
// the P towers zero (P = 0 mod p_j). This is how a ciphertext enters the extended
// basis so that a later ModDown (division by P) returns it unchanged.
poly::RnsPoly times_p(const Context& ctx, const poly::RnsPoly& x, std::size_t level) {
  poly::RnsPoly out(ctx.qp_base(level), poly::PolyForm::evaluation);
  const auto& p_mod_q = ctx.keyswitch(level).p_mod_q;
  for (std::size_t i = 0; i <= level; ++i) {
    poly::eltwise_mul_scalar(out.limb(i), x.limb(i), p_mod_q[i], x.n(), x.base()->modulus(i));
  }
  return out;
}

}  // namespace

std::size_t LinearTransform::best_baby_steps(const std::vector<std::int64_t>& indices, std::size_t slots) {
  std::size_t best = 1, best_cost = static_cast<std::size_t>(-1);
  for (std::size_t n1 = 1; n1 <= slots; n1 <<= 1) {
    std::set<std::int64_t> babies, giants;
    for (std::int64_t k : indices) {
      babies.insert(k % static_cast<std::int64_t>(n1));
      giants.insert(k / static_cast<std::int64_t>(n1));
    }
    // Key switches: non-zero baby steps and non-zero giant steps.
    const std::size_t cost = babies.size() - babies.count(0) + giants.size() - giants.count(0);
    if (cost < best_cost) {
      best_cost = cost;
      best = n1;
    }
  }
  return best;
}

LinearTransform::LinearTransform(const Encoder& encoder, const Diagonals& diagonals, std::size_t level, double scale,
                                 std::size_t baby_steps)
    : context_(encoder.context()), level_(level), scale_(scale), n1_(baby_steps), count_(0) {
  const std::size_t slots = context_->slots();
  const auto islots = static_cast<std::int64_t>(slots);
  if (diagonals.empty()) throw std::invalid_argument("ckks::LinearTransform: no diagonals");
  std::vector<std::int64_t> idx;
  std::set<std::int64_t> seen;
  for (const auto& [k, d] : diagonals) {
    const std::int64_t km = mod_slots(k, islots);
    if (!seen.insert(km).second) {
      throw std::invalid_argument("ckks::LinearTransform: diagonal " + std::to_string(k) + " repeats another (mod N/2)");
    }
    if (d.size() > slots) {
      throw std::invalid_argument("ckks::LinearTransform: diagonal " + std::to_string(k) + " has " +
                                  std::to_string(d.size()) + " entries for " + std::to_string(slots) + " slots");
    }
    idx.push_back(km);
  }
  if (n1_ == 0) n1_ = best_baby_steps(idx, slots);
  if ((n1_ & (n1_ - 1)) != 0 || n1_ > slots) {
    throw std::invalid_argument("ckks::LinearTransform: baby_steps must be a power of two <= N/2");
  }
  const auto& qp = context_->qp_base(level);  // throws std::out_of_range for a bad level
  const auto n1 = static_cast<std::int64_t>(n1_);
  for (const auto& [k, d] : diagonals) {
    const std::int64_t km = mod_slots(k, islots);
    const std::int64_t g = km / n1, b = km % n1;
    // rot(d, -g n1): entry j of the pre-rotated diagonal is d[j - g n1].
    std::vector<std::complex<double>> rd(slots, {0.0, 0.0});
    for (std::size_t j = 0; j < slots; ++j) {
      const std::size_t src = static_cast<std::size_t>(mod_slots(static_cast<std::int64_t>(j) - g * n1, islots));
      if (src < d.size()) rd[j] = d[src];
    }
    plain_[g].emplace(b, poly::PackedRnsPoly(encoder.encode_to_base(rd, qp, scale)));
    ++count_;
  }
}

std::size_t LinearTransform::byte_size() const noexcept {
  std::size_t bytes = 0;
  for (const auto& [g, babies] : plain_) {
    for (const auto& [b, d] : babies) bytes += d.byte_size();
  }
  return bytes;
}

std::vector<std::int64_t> LinearTransform::rotation_steps() const {
  std::set<std::int64_t> steps;
  for (const auto& [g, babies] : plain_) {
    if (g != 0) steps.insert(g * static_cast<std::int64_t>(n1_));
    for (const auto& [b, _] : babies) {
      if (b != 0) steps.insert(b);
    }
  }
  return {steps.begin(), steps.end()};
}

std::vector<u64> LinearTransform::galois_elements() const {
  std::vector<u64> out;
  for (std::int64_t s : rotation_steps()) out.push_back(galois_element_for_rotation(s, context_->n()));
  return out;
}

Ciphertext LinearTransform::apply(const Ciphertext& ct, const GaloisKeys& keys) const {
  const Context& ctx = *context_;
  if (!ct.context() || ct.context()->params_hash() != ctx.params_hash()) {
    throw std::invalid_argument("ckks::LinearTransform::apply: ciphertext of another context");
  }
  if (!keys.context() || keys.context()->params_hash() != ctx.params_hash()) {
    throw std::invalid_argument("ckks::LinearTransform::apply: Galois keys of another context");
  }
  if (ct.level() != level_) {
    throw std::invalid_argument("ckks::LinearTransform::apply: ciphertext at level " + std::to_string(ct.level()) +
                                ", transform encoded for level " + std::to_string(level_));
  }
  if (ct.size() != 2) throw std::invalid_argument("ckks::LinearTransform::apply: ciphertext must have 2 components");
  double log_q = 0;
  for (std::size_t i = 0; i <= level_; ++i) log_q += std::log2(static_cast<double>(ctx.params().q()[i]));
  if (!(std::log2(ct.scale() * scale_) < log_q - 1)) {
    throw std::invalid_argument("ckks::LinearTransform::apply: the result's scale would reach the modulus; rescale first");
  }
  const std::size_t n = ctx.n();
  const auto& qp = ctx.qp_base(level_);
  // Every key up front: a missing one fails before any work.
  std::map<std::int64_t, const KeySwitchKey*> key_of;
  for (std::int64_t s : rotation_steps()) {
    const KeySwitchKey& k = keys.at(galois_element_for_rotation(s, n));
    if (k.level() < level_) {
      throw std::invalid_argument("ckks::LinearTransform::apply: the Galois key for rotation by " + std::to_string(s) +
                                  " was generated for levels <= " + std::to_string(k.level()));
    }
    key_of[s] = &k;
  }

  // Baby steps, hoisted, kept in Q_l * P: u_b = (P sigma_b(c0) + IP0, IP1).
  std::set<std::int64_t> babies;
  for (const auto& [g, bs] : plain_) {
    for (const auto& [b, _] : bs) babies.insert(b);
  }
  const Decomposed dec = decompose(ctx, ct[1]);
  // The inner products of every baby key at once: the decomposition is read
  // from memory once for all of them (inner_products), not once per key.
  std::vector<std::int64_t> rotated;
  std::vector<const KeySwitchKey*> baby_keys;
  for (std::int64_t b : babies) {
    if (b != 0) {
      rotated.push_back(b);
      baby_keys.push_back(key_of.at(b));
    }
  }
  std::vector<std::pair<poly::RnsPoly, poly::RnsPoly>> ips = inner_products(ctx, dec, baby_keys);
  std::map<std::int64_t, std::pair<poly::RnsPoly, poly::RnsPoly>> baby;
  if (babies.count(0) != 0) baby.emplace(0, std::make_pair(times_p(ctx, ct[0], level_), times_p(ctx, ct[1], level_)));
  for (std::size_t i = 0; i < rotated.size(); ++i) {
    // Keys are stored permuted by sigma^-1: inner product on the unrotated
    // digits, then sigma on the two results (KeyGenerator::create_galois_key).
    const u64 gal = galois_element_for_rotation(rotated[i], n);
    const auto& perm = keys.permutation(gal);
    const auto [ip0, ip1] = std::move(ips[i]);  // freed at the end of the iteration, as the baby map grows
    poly::RnsPoly u0 = times_p(ctx, poly::automorphism(ct[0], gal, perm), level_);
    u0.add_inplace(poly::automorphism(ip0, gal, perm));
    baby.emplace(rotated[i], std::make_pair(std::move(u0), poly::automorphism(ip1, gal, perm)));
  }

  // Giant steps: inner sums in Q_l * P; g = 0 joins the accumulator directly,
  // the others take one ModDown, a rotation kept in Q_l * P, then accumulate.
  // The inner sums sum_b diag_b * u_b are lazy dot products (poly/dot.hpp): one
  // reduction per coefficient instead of one multiply-add pass per baby step.
  // The diagonals are packed, and the kernels take packed right operands only,
  // so each sum is its own dot product: a tower's diagonals are read twice, the
  // second time from cache.
  poly::RnsPoly acc0(qp, poly::PolyForm::evaluation), acc1(qp, poly::PolyForm::evaluation);
  for (const auto& giant : plain_) {
    // Named, not a structured binding: the OpenMP region below uses bs, and
    // clang before 16 cannot capture structured bindings.
    const std::int64_t g = giant.first;
    const auto& bs = giant.second;
    poly::RnsPoly in0 = poly::RnsPoly::uninitialized(qp, poly::PolyForm::evaluation);  // every tower written
    poly::RnsPoly in1 = poly::RnsPoly::uninitialized(qp, poly::PolyForm::evaluation);
    const std::size_t nb = bs.size();
#pragma omp parallel if (qp->size() > 1 && n >= 4096)
    {
      std::vector<const u64*> x0(nb), x1(nb);
      std::vector<const std::uint8_t*> y(nb);
#pragma omp for
      for (std::size_t t = 0; t < qp->size(); ++t) {
        std::size_t j = 0;
        for (const auto& [b, diag] : bs) {
          const auto& [u0, u1] = baby.at(b);
          x0[j] = u0.limb(t);
          x1[j] = u1.limb(t);
          y[j] = diag.limb(t);
          ++j;
        }
        const unsigned w = bs.begin()->second.width(t);
        poly::dot_product_packed(in0.limb(t), x0.data(), y.data(), w, nb, n, qp->modulus(t));
        poly::dot_product_packed(in1.limb(t), x1.data(), y.data(), w, nb, n, qp->modulus(t));
      }
    }
    if (g == 0) {
      acc0.add_inplace(in0);
      acc1.add_inplace(in1);
      continue;
    }
    const poly::RnsPoly w0 = mod_down(ctx, in0, level_);
    const poly::RnsPoly w1 = mod_down(ctx, in1, level_);
    const std::int64_t step = g * static_cast<std::int64_t>(n1_);
    const u64 gal = galois_element_for_rotation(step, n);
    const auto& perm = keys.permutation(gal);
    // ModUp and inner product streamed tower by tower: the decomposition of w1
    // is never held whole (mod_up_inner_product).
    const auto [ip0, ip1] = mod_up_inner_product(ctx, w1, *key_of.at(step));
    acc0.add_inplace(times_p(ctx, poly::automorphism(w0, gal, perm), level_));
    acc0.add_inplace(poly::automorphism(ip0, gal, perm));
    acc1.add_inplace(poly::automorphism(ip1, gal, perm));
  }

  Ciphertext out(context_, level_, ct.scale() * scale_);
  out[0] = mod_down(ctx, acc0, level_);
  out[1] = mod_down(ctx, acc1, level_);
  return out;
}

}  // namespace tower::ckks
