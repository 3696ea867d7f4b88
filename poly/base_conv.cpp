// poly/base_conv.cpp — fast and exact base conversion; rescaling.
#include "poly/base_conv.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <string>

#include "poly/base_conv_kernels.hpp"
#include "poly/eltwise.hpp"

namespace tower::poly {

namespace detail {

const BaseConvKernels& base_conv_kernels(SimdPath path) {
  if (!simd_path_supported(path)) set_simd_path(path);  // throws the CPU's refusal
  switch (path) {
    case SimdPath::avx512:
      return kBaseConvAvx512;
    case SimdPath::avx2:
      return kBaseConvAvx2;
    case SimdPath::scalar:
      break;
  }
  return kBaseConvScalar;
}

}  // namespace detail

namespace {

constexpr u64 k2to52 = u64{1} << 52;

// The IFMA tables (see BaseConvPlan::Ifma and poly/base_conv_avx512.cpp).
void build_ifma_tables(detail::BaseConvPlan& pl) {
  auto& t = pl.ifma;
  const std::size_t k = pl.k, l = pl.l;
  t.wide.assign(k, 0);
  t.hi_index.assign(k, 0);
  t.pieces = k;
  for (std::size_t i = 0; i < k; ++i) {
    t.wide[i] = pl.q[i].value() > k2to52;
    if (t.wide[i]) t.hi_index[i] = t.pieces++;
  }
  const std::size_t np = t.pieces + 1;  // with the exact variant's v
  // The two-column accumulators hold up to 2 * np values below 2^52 and must
  // stay below 2^63; far beyond any real base.
  t.usable = np < (std::size_t{1} << 9);
  t.mode.assign(l, 0);
  t.raw_tail.assign(l, 0);
  t.consts.assign(l * np * t.kStride, 0);
  t.mu52.assign(l, 0);
  t.p_inv.assign(l, 0.0);
  // Largest value of every piece: y_i < q_i or y_i mod 2^52, then y_i >> 52,
  // then v <= k.
  std::vector<u64> ymax(np);
  for (std::size_t i = 0; i < k; ++i) {
    const u64 q = pl.q[i].value();
    ymax[i] = t.wide[i] ? k2to52 - 1 : q - 1;
    if (t.wide[i]) ymax[t.hi_index[i]] = (q - 1) >> 52;
  }
  ymax[np - 1] = k;
  const u128 two52 = k2to52, two64 = static_cast<u128>(1) << 64;
  for (std::size_t j = 0; j < l; ++j) {
    const u64 p = pl.p[j].value();
    // Bounds on the sum T of the terms: a Shoup term of piece r is below
    // p * (1 + ymax_r / 2^52), a raw one (no quotient) at most ymax_r * (p - 1).
    u128 shoup = 0, raw = 0;
    for (std::size_t r = 0; r < np; ++r) {
      const u128 sh = p + ((static_cast<u128>(ymax[r]) * p) >> 52) + 1;
      shoup += sh;
      raw += r < k ? sh : static_cast<u128>(ymax[r]) * (p - 1);
    }
    if (raw <= two52) {
      t.mode[j] = t.kOneColumn;
      t.raw_tail[j] = 1;
    } else if (shoup <= two52) {
      t.mode[j] = t.kOneColumn;
    } else if (raw <= two64) {
      t.mode[j] = t.kOneWord;
      t.raw_tail[j] = 1;
    } else if (shoup <= two64) {
      t.mode[j] = t.kOneWord;
    } else if (p >= k2to52) {
      t.mode[j] = t.kTwoWide;
    } else {
      t.mode[j] = t.kTwoNarrow;
    }
    t.mu52[j] = k2to52 / p;
    t.p_inv[j] = 1.0 / static_cast<double>(p);
    auto set = [&](std::size_t r, u64 c) {
      u64* e = t.consts.data() + (j * np + r) * t.kStride;
      e[0] = c & (k2to52 - 1);
      e[1] = c >> 52;
      e[2] = static_cast<u64>((static_cast<u128>(c) << 52) / p);
      e[3] = c;
    };
    for (std::size_t i = 0; i < k; ++i) {
      const u64 m = pl.q_hat_mod_p[i * l + j];
      set(i, m);
      if (t.wide[i]) set(t.hi_index[i], static_cast<u64>((static_cast<u128>(m) << 52) % p));
    }
    set(np - 1, pl.neg_q_mod_p[j]);
  }
}

// The AVX2 tables (see BaseConvPlan::Fpq and poly/base_conv_avx2.cpp).
void build_fpq_tables(detail::BaseConvPlan& pl) {
  auto& t = pl.fpq;
  const std::size_t k = pl.k, l = pl.l;
  constexpr u64 k2to32 = u64{1} << 32;
  // The estimate of sum_r y_r * C_r / p errs by at most (pieces + 2) * 2^-53 * Y,
  // Y = sum_r max y_r; it must stay below 1/4, and Y below 2^50. The widest
  // double pieces that allow it win (fewer pieces).
  for (int b : {48, 44, 40, 36, 32}) {
    const u64 limit = u64{1} << b;
    t.lo_index.assign(k, 0);
    t.hi_index.assign(k, 0);
    t.split.assign(k, 0);
    std::vector<u64> ymax;
    for (std::size_t i = 0; i < k; ++i) {
      const u64 q = pl.q[i].value();
      if (q > k2to32 && q <= limit) {
        t.lo_index[i] = ymax.size();
        ymax.push_back(q - 1);
      }
    }
    t.doubles = ymax.size();
    for (std::size_t i = 0; i < k; ++i) {
      const u64 q = pl.q[i].value();
      if (q <= k2to32) {
        t.lo_index[i] = ymax.size();
        ymax.push_back(q - 1);
      } else if (q > limit) {
        t.split[i] = 1;
        t.lo_index[i] = ymax.size();
        ymax.push_back(k2to32 - 1);
        t.hi_index[i] = ymax.size();
        ymax.push_back((q - 1) >> 32);
      }
    }
    t.pieces = ymax.size();
    ymax.push_back(k);
    long double y = 0;
    for (u64 v : ymax) y += static_cast<long double>(v);
    t.usable = y <= 0x1p50L && (static_cast<long double>(ymax.size()) + 2) * y <= 0x1p51L;
    if (t.usable) break;
  }
  if (!t.usable) return;
  const std::size_t np = t.pieces + 1;
  t.consts.assign(l * np * t.kStride, 0);
  for (std::size_t j = 0; j < l; ++j) {
    const u64 p = pl.p[j].value();
    auto set = [&](std::size_t r, u64 c) {
      u64* e = t.consts.data() + (j * np + r) * t.kStride;
      e[0] = c & (k2to32 - 1);
      e[1] = c >> 32;
      const double cp = static_cast<double>(c) / static_cast<double>(p);
      std::memcpy(&e[2], &cp, sizeof cp);
    };
    for (std::size_t i = 0; i < k; ++i) {
      const u64 m = pl.q_hat_mod_p[i * l + j];
      set(t.lo_index[i], m);
      if (t.split[i]) set(t.hi_index[i], static_cast<u64>((static_cast<u128>(m) << 32) % p));
    }
    set(np - 1, pl.neg_q_mod_p[j]);
  }
}

}  // namespace

BaseConverter::BaseConverter(std::shared_ptr<const RnsBase> from, std::shared_ptr<const RnsBase> to)
    : from_(std::move(from)), to_(std::move(to)) {
  if (!from_ || !to_) throw std::invalid_argument("poly::BaseConverter: null base");
  if (from_->n() != to_->n()) throw std::invalid_argument("poly::BaseConverter: bases have different n");
  auto plan = std::make_shared<detail::BaseConvPlan>();
  detail::BaseConvPlan& pl = *plan;
  const std::size_t k = from_->size(), l = to_->size();
  pl.n = from_->n();
  pl.k = k;
  pl.l = l;
  pl.q = from_->moduli();
  pl.p = to_->moduli();
  pl.q_hat_inv.assign(k, 0);
  pl.q_hat_inv_shoup.assign(k, 0);
  pl.q_hat_mod_p.assign(k * l, 0);
  pl.q_mod_p.assign(l, 0);
  pl.neg_q_mod_p.assign(l, 0);
  pl.q_inv.assign(k, 0.0);
  for (std::size_t i = 0; i < k; ++i) {
    pl.q_hat_inv[i] = from_->q_hat_inv(i);
    pl.q_hat_inv_shoup[i] = from_->q_hat_inv_shoup(i);
    pl.q_inv[i] = 1.0 / static_cast<double>(from_->modulus(i).value());
  }
  for (std::size_t j = 0; j < l; ++j) {
    const Modulus& p = to_->modulus(j);
    u64 q_mod = 1 % p.value();
    for (std::size_t i = 0; i < k; ++i) q_mod = p.mul(q_mod, p.reduce(from_->modulus(i).value()));
    pl.q_mod_p[j] = q_mod;
    pl.neg_q_mod_p[j] = p.neg(q_mod);
    for (std::size_t i = 0; i < k; ++i) {
      u64 prod = 1 % p.value();
      for (std::size_t t = 0; t < k; ++t) {
        if (t != i) prod = p.mul(prod, p.reduce(from_->modulus(t).value()));
      }
      pl.q_hat_mod_p[i * l + j] = prod;
    }
  }
  build_ifma_tables(pl);
  build_fpq_tables(pl);
  plan_ = std::move(plan);
  // The one-source lift of convert_exact_lazy. With one source, y = x and the
  // exact kernels take v = llround(fl(double(x) * fl(1/q))): 0 up to a threshold
  // t near q/2, 1 above it (monotone in x; for q above ~2^53 the double rounding
  // puts floor(q/2) itself at 1/2, so t is not always floor(q/2)). t is found by
  // bisection so the lift agrees with them exactly. Up to t, x < q/2 + 1 < 4 p_j
  // is its own centred value; above it, x - q lies in (-q/2 - 1, 0) and
  // x - q + 4 p_j (computed modulo 2^64) in [0, 4 p_j), as q < 8 p_j.
  lift_ = pl.k == 1 && std::all_of(pl.p.begin(), pl.p.end(), [&](const Modulus& p) {
            return static_cast<u128>(pl.q[0].value()) < 8 * static_cast<u128>(p.value());
          });
  if (lift_) {
    u64 lo = 0, hi = pl.q[0].value();  // v(lo) = 0, v(hi) = 1
    while (hi - lo > 1) {
      const u64 mid = lo + (hi - lo) / 2;
      (std::llround(static_cast<double>(mid) * pl.q_inv[0]) >= 1 ? hi : lo) = mid;
    }
    lift_threshold_ = lo;
  }
}

template <bool Exact>
void BaseConverter::convert(const u64* in, u64* out) const {
  const detail::BaseConvPlan& pl = *plan_;
  const detail::BaseConvKernels& kern = detail::base_conv_kernels(simd_path());
  const std::size_t n = pl.n, k = pl.k, l = pl.l;
  if (!Exact && k == 1) {
    // One source prime: Q = q_0, y_0 = x_0 (the CRT factor is 1), so every
    // target limb is x_0 mod p_j, a plain copy when q_0 <= p_j.
    const u64 q = pl.q[0].value();
#pragma omp parallel for if (l > 1 && l * n >= (std::size_t{1} << 16))
    for (std::size_t j = 0; j < l; ++j) {
      if (q <= pl.p[j].value()) {
        std::copy(in, in + n, out + j * n);
      } else {
        kern.reduce(out + j * n, in, n, pl.p[j]);
      }
    }
    return;
  }
  // Chunks of whole vectors (n is a power of two >= 8) for the threads; each
  // coefficient is computed alone, so any split gives the same result.
  constexpr std::size_t kChunk = 1024;
  const std::size_t chunks = (n + kChunk - 1) / kChunk;
#pragma omp parallel for if (k * l * n >= (std::size_t{1} << 18))
  for (std::size_t t = 0; t < chunks; ++t) {
    kern.convert(pl, in, out, t * kChunk, std::min(n, (t + 1) * kChunk), Exact);
  }
}

void BaseConverter::convert_approx(const u64* in, u64* out) const { convert<false>(in, out); }
void BaseConverter::convert_exact(const u64* in, u64* out) const { convert<true>(in, out); }

void BaseConverter::convert_exact_lazy(const u64* in, u64* out) const {
  if (!lift_) {
    convert<true>(in, out);
    return;
  }
  const std::size_t l = plan_->l, n = plan_->n;
#pragma omp parallel for if (l > 1 && l * n >= (std::size_t{1} << 16))
  for (std::size_t j = 0; j < l; ++j) convert_exact_lazy_target(in, out + j * n, j);
}

void BaseConverter::convert_exact_lazy_target(const u64* in, u64* out, std::size_t j) const {
  if (!lift_) throw std::logic_error("poly::BaseConverter: convert_exact_lazy_target needs the one-source lift");
  const detail::BaseConvPlan& pl = *plan_;
  if (j >= pl.l) throw std::out_of_range("poly::BaseConverter: target " + std::to_string(j) + " out of range");
  detail::base_conv_kernels(simd_path())
      .lift_centred(out, in, pl.n, lift_threshold_, 4 * pl.p[j].value() - pl.q[0].value());
}

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
    const u64 q = qi.value();
    if (ql.value() <= 2 * q) {
      // r_j < q_last <= 2 q_i: one conditional subtraction reduces it; the loop
      // is branch-free so the compiler vectorizes it (CKKS primes are of similar
      // size, so this is the usual case).
      for (std::size_t j = 0; j < n; ++j) {
        u64 v = r[j];
        v -= (v >= q) ? q : 0;
        t[j] = half_i >= v ? half_i - v : half_i + q - v;  // (half - r_j) mod q_i
      }
    } else {
      for (std::size_t j = 0; j < n; ++j) t[j] = qi.sub(half_i, qi.reduce(r[j]));
    }
    if (eval) ntt_forward(t.data(), base.ntt(i));
    u64* xi = x.limb(i);
    eltwise_add(xi, xi, t.data(), n, qi);
    eltwise_mul_scalar(xi, xi, inv, n, qi);
  }
  x.drop_to(std::move(lower));
}

}  // namespace tower::poly
