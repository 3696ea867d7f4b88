// ckks/evaluator.cpp — checks and the arithmetic that needs no key.
#include "ckks/evaluator.hpp"

#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>

#include "ckks/keyswitch.hpp"
#include "poly/base_conv.hpp"

namespace tower::ckks {
namespace {

constexpr double kScaleTolerance = 0x1p-40;

std::string op_name(const char* op) { return std::string("ckks::Evaluator::") + op; }

std::string fmt_log2(double x) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "2^%.4f", std::log2(x));
  return buf;
}

bool scales_equal(double a, double b) { return std::abs(a - b) <= kScaleTolerance * std::max(a, b); }

// Residues of a (possibly huge) integer-valued double x mod every prime of base.
// x = mant * 2^exp with a 53-bit integer mantissa: exact.
std::vector<u64> residues_of(double x, const poly::RnsBase& base, const char* op) {
  if (!std::isfinite(x) || std::abs(x) > 0x1p1000) {
    throw std::invalid_argument(op_name(op) + ": scaled constant " + std::to_string(x) + " is not finite or exceeds 2^1000");
  }
  std::vector<u64> out(base.size());
  const bool neg = x < 0;
  const double ax = std::abs(x);
  for (std::size_t i = 0; i < base.size(); ++i) {
    const poly::Modulus& m = base.modulus(i);
    u64 r;
    if (ax < 0x1p63) {
      r = m.reduce(static_cast<u64>(ax));
    } else {
      int e = 0;
      const double frac = std::frexp(ax, &e);  // ax = frac * 2^e, frac in [0.5, 1)
      const u64 mant = static_cast<u64>(std::ldexp(frac, 53));
      r = m.mul(m.reduce(mant), m.pow(2, static_cast<u64>(e - 53)));
    }
    out[i] = neg ? m.neg(r) : r;
  }
  return out;
}

}  // namespace

Evaluator::Evaluator(std::shared_ptr<const Context> context, EvaluatorOptions options)
    : context_(std::move(context)), options_(options) {
  if (!context_) throw std::invalid_argument("ckks::Evaluator: null context");
}

void Evaluator::check_ciphertext(const Ciphertext& a, const char* op) const {
  if (!a.context() || a.context()->params_hash() != context_->params_hash()) {
    throw std::invalid_argument(op_name(op) + ": ciphertext belongs to another context");
  }
  for (const auto& p : a.polys()) {
    if (!p.is_evaluation()) throw std::invalid_argument(op_name(op) + ": ciphertext is not in evaluation form");
  }
}

const Ciphertext& Evaluator::check_binary_operands(Ciphertext& a, const Ciphertext& b, std::optional<Ciphertext>& store,
                                                   const char* op, bool check_scale) const {
  check_ciphertext(a, op);
  check_ciphertext(b, op);
  if (a.level() != b.level()) {
    if (!options_.auto_align_levels) {
      throw std::invalid_argument(op_name(op) + ": level mismatch (" + std::to_string(a.level()) + " vs " +
                                  std::to_string(b.level()) +
                                  "); drop the higher one with drop_to_level, or enable auto_align_levels");
    }
    if (a.level() > b.level()) {
      drop_to_level_inplace(a, b.level());
    } else {
      store = drop_to_level(b, a.level());
    }
  }
  const Ciphertext& bu = store ? *store : b;
  if (check_scale && !scales_equal(a.scale(), bu.scale())) {
    throw std::invalid_argument(op_name(op) + ": scale mismatch (" + fmt_log2(a.scale()) + " vs " + fmt_log2(bu.scale()) +
                                "); rescale, or multiply by a constant to match");
  }
  return bu;
}

const Plaintext& Evaluator::check_plain_operand(Ciphertext& a, const Plaintext& p, std::optional<Plaintext>& store,
                                                const char* op, bool check_scale) const {
  check_ciphertext(a, op);
  if (!p.context() || p.context()->params_hash() != context_->params_hash()) {
    throw std::invalid_argument(op_name(op) + ": plaintext belongs to another context");
  }
  if (p.level() > a.level()) {
    store = p;
    store->drop_to_level(a.level());
  } else if (p.level() < a.level()) {
    if (!options_.auto_align_levels) {
      throw std::invalid_argument(op_name(op) + ": plaintext level " + std::to_string(p.level()) +
                                  " is below the ciphertext's level " + std::to_string(a.level()) +
                                  "; drop the ciphertext, or enable auto_align_levels");
    }
    drop_to_level_inplace(a, p.level());
  }
  const Plaintext& pu = store ? *store : p;
  if (check_scale && !scales_equal(a.scale(), pu.scale())) {
    throw std::invalid_argument(op_name(op) + ": scale mismatch (ciphertext " + fmt_log2(a.scale()) + " vs plaintext " +
                                fmt_log2(pu.scale()) + ")");
  }
  return pu;
}

void Evaluator::check_product_scale(double scale, std::size_t level, const char* op) const {
  double log_q = 0;
  const auto& base = context_->q_base(level);
  for (std::size_t i = 0; i < base->size(); ++i) log_q += std::log2(static_cast<double>(base->modulus(i).value()));
  if (!(std::log2(scale) < log_q - 1)) {
    throw std::invalid_argument(op_name(op) + ": the result's scale " + fmt_log2(scale) +
                                " would reach the modulus at level " + std::to_string(level) + " (2^" +
                                std::to_string(static_cast<int>(log_q)) + "); rescale first");
  }
}

// ---- Additive operations ----

void Evaluator::add_inplace(Ciphertext& a, const Ciphertext& b) const {
  std::optional<Ciphertext> store;
  const Ciphertext& bu = check_binary_operands(a, b, store, "add", true);
  const std::size_t common = std::min(a.size(), bu.size());
  for (std::size_t i = 0; i < common; ++i) a[i].add_inplace(bu[i]);
  if (bu.size() > a.size()) a.polys().push_back(bu[2]);  // 2 + 3 components: c2 carries over
}

Ciphertext Evaluator::add(const Ciphertext& a, const Ciphertext& b) const {
  Ciphertext r = a;
  add_inplace(r, b);
  return r;
}

void Evaluator::sub_inplace(Ciphertext& a, const Ciphertext& b) const {
  std::optional<Ciphertext> store;
  const Ciphertext& bu = check_binary_operands(a, b, store, "sub", true);
  const std::size_t common = std::min(a.size(), bu.size());
  for (std::size_t i = 0; i < common; ++i) a[i].sub_inplace(bu[i]);
  if (bu.size() > a.size()) {
    poly::RnsPoly c2 = bu[2];
    c2.negate_inplace();
    a.polys().push_back(std::move(c2));
  }
}

Ciphertext Evaluator::sub(const Ciphertext& a, const Ciphertext& b) const {
  Ciphertext r = a;
  sub_inplace(r, b);
  return r;
}

void Evaluator::negate_inplace(Ciphertext& a) const {
  check_ciphertext(a, "negate");
  for (auto& p : a.polys()) p.negate_inplace();
}

Ciphertext Evaluator::negate(const Ciphertext& a) const {
  Ciphertext r = a;
  negate_inplace(r);
  return r;
}

void Evaluator::add_plain_inplace(Ciphertext& a, const Plaintext& p) const {
  std::optional<Plaintext> store;
  a[0].add_inplace(check_plain_operand(a, p, store, "add_plain", true).poly());
}

Ciphertext Evaluator::add_plain(const Ciphertext& a, const Plaintext& p) const {
  Ciphertext r = a;
  add_plain_inplace(r, p);
  return r;
}

void Evaluator::sub_plain_inplace(Ciphertext& a, const Plaintext& p) const {
  std::optional<Plaintext> store;
  a[0].sub_inplace(check_plain_operand(a, p, store, "sub_plain", true).poly());
}

Ciphertext Evaluator::sub_plain(const Ciphertext& a, const Plaintext& p) const {
  Ciphertext r = a;
  sub_plain_inplace(r, p);
  return r;
}

void Evaluator::add_const_inplace(Ciphertext& a, double c) const {
  check_ciphertext(a, "add_const");
  // The constant polynomial round(c * scale) evaluates to itself at every root,
  // so in evaluation form it is added to every slot of every tower of c0.
  const auto& base = *a[0].base();
  const auto r = residues_of(std::round(c * a.scale()), base, "add_const");
  for (std::size_t i = 0; i < base.size(); ++i) {
    const poly::Modulus& m = base.modulus(i);
    u64* limb = a[0].limb(i);
    for (std::size_t j = 0; j < a[0].n(); ++j) limb[j] = m.add(limb[j], r[i]);
  }
}

Ciphertext Evaluator::add_const(const Ciphertext& a, double c) const {
  Ciphertext r = a;
  add_const_inplace(r, c);
  return r;
}

// ---- Products that use no key ----

void Evaluator::multiply_plain_inplace(Ciphertext& a, const Plaintext& p) const {
  std::optional<Plaintext> store;
  const Plaintext& pu = check_plain_operand(a, p, store, "multiply_plain", false);
  const double scale = a.scale() * pu.scale();
  check_product_scale(scale, a.level(), "multiply_plain");
  for (auto& c : a.polys()) c.mul_inplace(pu.poly());
  a.set_scale(scale);
}

Ciphertext Evaluator::multiply_plain(const Ciphertext& a, const Plaintext& p) const {
  Ciphertext r = a;
  multiply_plain_inplace(r, p);
  return r;
}

void Evaluator::multiply_const_inplace(Ciphertext& a, double c, double const_scale) const {
  check_ciphertext(a, "multiply_const");
  const auto& base = *a[0].base();
  if (const_scale == 0) const_scale = static_cast<double>(base.modulus(base.size() - 1).value());
  if (!(const_scale >= 1) || !std::isfinite(const_scale)) {
    throw std::invalid_argument(op_name("multiply_const") + ": constant scale must be finite and >= 1");
  }
  const double scale = a.scale() * const_scale;
  check_product_scale(scale, a.level(), "multiply_const");
  const auto r = residues_of(std::round(c * const_scale), base, "multiply_const");
  for (auto& p : a.polys()) p.mul_scalar_inplace(r.data());
  a.set_scale(scale);
}

Ciphertext Evaluator::multiply_const(const Ciphertext& a, double c, double const_scale) const {
  Ciphertext r = a;
  multiply_const_inplace(r, c, const_scale);
  return r;
}

void Evaluator::multiply_integer_inplace(Ciphertext& a, std::int64_t k) const {
  check_ciphertext(a, "multiply_integer");
  const auto& base = *a[0].base();
  // |k| as an unsigned word (also for INT64_MIN), reduced per tower, then signed.
  const u64 mag = k < 0 ? static_cast<u64>(-(k + 1)) + 1 : static_cast<u64>(k);
  std::vector<u64> r(base.size());
  for (std::size_t i = 0; i < base.size(); ++i) {
    const poly::Modulus& m = base.modulus(i);
    r[i] = k < 0 ? m.neg(m.reduce(mag)) : m.reduce(mag);
  }
  for (auto& p : a.polys()) p.mul_scalar_inplace(r.data());
}

Ciphertext Evaluator::multiply_integer(const Ciphertext& a, std::int64_t k) const {
  Ciphertext r = a;
  multiply_integer_inplace(r, k);
  return r;
}

void Evaluator::multiply_inplace(Ciphertext& a, const Ciphertext& b) const {
  std::optional<Ciphertext> store;
  const Ciphertext& bu = check_binary_operands(a, b, store, "multiply", false);
  if (a.size() != 2 || bu.size() != 2) {
    throw std::invalid_argument(op_name("multiply") + ": operands must have 2 components (got " +
                                std::to_string(a.size()) + " and " + std::to_string(bu.size()) +
                                "); relinearize first");
  }
  const double scale = a.scale() * bu.scale();
  check_product_scale(scale, a.level(), "multiply");
  // (a0 + a1 s)(b0 + b1 s) = a0 b0 + (a0 b1 + a1 b0) s + a1 b1 s^2
  poly::RnsPoly c2 = a[1] * bu[1];
  poly::RnsPoly c1 = a[0] * bu[1];
  c1.mul_add_inplace(a[1], bu[0]);
  a[0].mul_inplace(bu[0]);
  a[1] = std::move(c1);
  a.polys().push_back(std::move(c2));
  a.set_scale(scale);
}

Ciphertext Evaluator::multiply(const Ciphertext& a, const Ciphertext& b) const {
  Ciphertext r = a;
  multiply_inplace(r, b);
  return r;
}

void Evaluator::square_inplace(Ciphertext& a) const {
  check_ciphertext(a, "square");
  if (a.size() != 2) {
    throw std::invalid_argument(op_name("square") + ": operand must have 2 components (got " + std::to_string(a.size()) +
                                "); relinearize first");
  }
  const double scale = a.scale() * a.scale();
  check_product_scale(scale, a.level(), "square");
  // (a0 + a1 s)^2 = a0^2 + 2 a0 a1 s + a1^2 s^2
  poly::RnsPoly c2 = a[1] * a[1];
  poly::RnsPoly c1 = a[0] * a[1];
  c1.add_inplace(c1);
  a[0].mul_inplace(a[0]);
  a[1] = std::move(c1);
  a.polys().push_back(std::move(c2));
  a.set_scale(scale);
}

Ciphertext Evaluator::square(const Ciphertext& a) const {
  Ciphertext r = a;
  square_inplace(r);
  return r;
}

void Evaluator::check_relinearize(const Ciphertext& a, const RelinKey& key) const {
  check_ciphertext(a, "relinearize");
  if (a.size() != 3) {
    throw std::invalid_argument(op_name("relinearize") + ": ciphertext must have 3 components, got " +
                                std::to_string(a.size()));
  }
  if (!key.context() || key.context()->params_hash() != context_->params_hash()) {
    throw std::invalid_argument(op_name("relinearize") + ": relinearization key belongs to another context");
  }
}

void Evaluator::relinearize_inplace(Ciphertext& a, const RelinKey& key) const {
  check_relinearize(a, key);
  // c0, c1 added as each limb of ModDown is finished (ckks::key_switch).
  auto [d0, d1] = key_switch(*context_, a[2], key.key(), &a[0], &a[1]);
  a[0] = std::move(d0);
  a[1] = std::move(d1);
  a.polys().pop_back();
}

Ciphertext Evaluator::relinearize(const Ciphertext& a, const RelinKey& key) const {
  check_relinearize(a, key);
  // Built from c0 + d0 and c1 + d1 (the additions fused into ModDown): c2 is never copied.
  auto [d0, d1] = key_switch(*context_, a[2], key.key(), &a[0], &a[1]);
  std::vector<poly::RnsPoly> c;
  c.push_back(std::move(d0));
  c.push_back(std::move(d1));
  return Ciphertext(context_, std::move(c), a.scale());
}

Ciphertext Evaluator::multiply_relin(const Ciphertext& a, const Ciphertext& b, const RelinKey& key) const {
  Ciphertext r = multiply(a, b);
  relinearize_inplace(r, key);
  return r;
}

void Evaluator::rescale_inplace(Ciphertext& a) const {
  check_ciphertext(a, "rescale");
  const std::size_t level = a.level();
  if (level == 0) {
    throw std::invalid_argument(op_name("rescale") + ": ciphertext is at level 0; no prime is left to divide by");
  }
  const double q_last = static_cast<double>(a[0].base()->modulus(level).value());
  const auto& lower = context_->q_base(level - 1);
  for (auto& p : a.polys()) poly::divide_round_by_last_inplace(p, lower);
  a.set_scale(a.scale() / q_last);
}

Ciphertext Evaluator::rescale(const Ciphertext& a) const {
  Ciphertext r = a;
  rescale_inplace(r);
  return r;
}

void Evaluator::drop_to_level_inplace(Ciphertext& a, std::size_t level) const {
  check_ciphertext(a, "drop_to_level");
  if (level > a.level()) {
    throw std::invalid_argument(op_name("drop_to_level") + ": target level " + std::to_string(level) +
                                " is above the ciphertext's level " + std::to_string(a.level()));
  }
  if (level == a.level()) return;
  const auto& base = context_->q_base(level);
  for (auto& p : a.polys()) p.drop_to(base);
}

Ciphertext Evaluator::drop_to_level(const Ciphertext& a, std::size_t level) const {
  Ciphertext r = a;
  drop_to_level_inplace(r, level);
  return r;
}

}  // namespace tower::ckks
