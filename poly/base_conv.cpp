// poly/base_conv.cpp — fast and exact base conversion; rescaling.
#include "poly/base_conv.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

#include "poly/eltwise.hpp"

namespace tower::poly {

BaseConverter::BaseConverter(std::shared_ptr<const RnsBase> from, std::shared_ptr<const RnsBase> to)
    : from_(std::move(from)), to_(std::move(to)) {
  if (!from_ || !to_) throw std::invalid_argument("poly::BaseConverter: null base");
  if (from_->n() != to_->n()) throw std::invalid_argument("poly::BaseConverter: bases have different n");
  const std::size_t k = from_->size(), l = to_->size();
  q_hat_mod_p_.assign(k * l, 0);
  q_mod_p_.assign(l, 0);
  q_inv_.assign(k, 0.0);
  for (std::size_t j = 0; j < l; ++j) {
    const Modulus& p = to_->modulus(j);
    u64 q_mod = 1 % p.value();
    for (std::size_t i = 0; i < k; ++i) q_mod = p.mul(q_mod, p.reduce(from_->modulus(i).value()));
    q_mod_p_[j] = q_mod;
    for (std::size_t i = 0; i < k; ++i) {
      u64 prod = 1 % p.value();
      for (std::size_t t = 0; t < k; ++t) {
        if (t != i) prod = p.mul(prod, p.reduce(from_->modulus(t).value()));
      }
      q_hat_mod_p_[i * l + j] = prod;
    }
  }
  for (std::size_t i = 0; i < k; ++i) q_inv_[i] = 1.0 / static_cast<double>(from_->modulus(i).value());
}

template <bool Exact>
void BaseConverter::convert(const u64* in, u64* out) const {
  const std::size_t n = from_->n(), k = from_->size(), l = to_->size();
  // Work in blocks of coefficients so the y_i of a block stay in cache while
  // every target limb consumes them.
  constexpr std::size_t kBlock = 256;
  // Sums of up to 8 products of 61-bit values stay below 2^125 < 2^127, the
  // Barrett bound of Modulus::reduce128, so reduce every 8 terms.
  constexpr std::size_t kLazyTerms = 8;
#pragma omp parallel for if (k * l * n >= (std::size_t{1} << 18))
  for (std::size_t c0 = 0; c0 < n; c0 += kBlock) {
    const std::size_t len = std::min(kBlock, n - c0);
    std::vector<u64> y(kBlock * k);
    std::vector<double> v(kBlock, 0.0);
    u64* yb = y.data();
    for (std::size_t i = 0; i < k; ++i) {
      const u64 qi = from_->modulus(i).value();
      const u64 w = from_->q_hat_inv(i), wp = from_->q_hat_inv_shoup(i);
      const u64* xi = in + i * n + c0;
      for (std::size_t c = 0; c < len; ++c) {
        const u64 yi = mul_shoup(xi[c], w, wp, qi);
        yb[i * kBlock + c] = yi;
        if constexpr (Exact) v[c] += static_cast<double>(yi) * q_inv_[i];
      }
    }
    for (std::size_t j = 0; j < l; ++j) {
      const Modulus& p = to_->modulus(j);
      u64* oj = out + j * n + c0;
      for (std::size_t c = 0; c < len; ++c) {
        u128 acc = 0;
        u64 r = 0;
        for (std::size_t i = 0; i < k; ++i) {
          acc += static_cast<u128>(yb[i * kBlock + c]) * q_hat_mod_p_[i * l + j];
          if ((i + 1) % kLazyTerms == 0) {
            r = p.add(r, p.reduce128(acc));
            acc = 0;
          }
        }
        r = p.add(r, p.reduce128(acc));
        if constexpr (Exact) {
          const u64 vc = static_cast<u64>(std::llround(v[c]));  // 0 <= v <= k
          r = p.sub(r, p.mul(p.reduce(vc), q_mod_p_[j]));
        }
        oj[c] = r;
      }
    }
  }
}

void BaseConverter::convert_approx(const u64* in, u64* out) const { convert<false>(in, out); }
void BaseConverter::convert_exact(const u64* in, u64* out) const { convert<true>(in, out); }

void BaseConverter::check_input(const RnsPoly& in, const char* op) const {
  if (in.form() != PolyForm::coefficient) {
    throw std::invalid_argument(std::string("poly::BaseConverter::") + op + ": input must be in coefficient form");
  }
  if (!(*in.base() == *from_)) {
    throw std::invalid_argument(std::string("poly::BaseConverter::") + op + ": input is not over the source base");
  }
}

RnsPoly BaseConverter::convert_approx(const RnsPoly& in) const {
  check_input(in, "convert_approx");
  RnsPoly out(to_);
  convert<false>(in.data(), out.data());
  return out;
}

RnsPoly BaseConverter::convert_exact(const RnsPoly& in) const {
  check_input(in, "convert_exact");
  RnsPoly out(to_);
  convert<true>(in.data(), out.data());
  return out;
}

void divide_round_by_last_inplace(RnsPoly& x, std::shared_ptr<const RnsBase> lower) {
  const RnsBase& base = *x.base();
  const std::size_t k = base.size();
  if (k < 2) throw std::invalid_argument("poly::divide_round_by_last: a single-limb polynomial cannot be rescaled");
  if (!lower || !(*lower == base.prefix(k - 1))) {
    throw std::invalid_argument("poly::divide_round_by_last: target base is not the base without its last prime");
  }
  const std::size_t n = x.n();
  const bool eval = x.is_evaluation();
  const Modulus& ql = base.modulus(k - 1);
  const u64 half = ql.value() >> 1;
  // r_j = (c_j + half) mod q_last, in coefficient form.
  AlignedVector r(x.limb(k - 1), x.limb(k - 1) + n);
  if (eval) ntt_inverse(r.data(), base.ntt(k - 1));
  for (auto& v : r) v = ql.add(v, half);
  // Limb i: (c + half - r) * q_last^-1 mod q_i, which is exactly round(c / q_last).
#pragma omp parallel for if (k * n >= (std::size_t{1} << 15))
  for (std::size_t i = 0; i < k - 1; ++i) {
    const Modulus& qi = base.modulus(i);
    const u64 half_i = qi.reduce(half);
    const u64 inv = qi.inv(qi.reduce(ql.value()));
    AlignedVector t(n);
    for (std::size_t j = 0; j < n; ++j) t[j] = qi.sub(half_i, qi.reduce(r[j]));  // (half - r_j) mod q_i
    if (eval) ntt_forward(t.data(), base.ntt(i));
    u64* xi = x.limb(i);
    eltwise_add(xi, xi, t.data(), n, qi);
    eltwise_mul_scalar(xi, xi, inv, n, qi);
  }
  x.drop_to(std::move(lower));
}

}  // namespace tower::poly
