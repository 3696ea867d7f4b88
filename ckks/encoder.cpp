// ckks/encoder.cpp — the special FFT, exact coefficient <-> residue conversion.
//
// Slot convention (HEAAN's): with v_k = m_k + i*m_{k+N/2} (k < N/2),
//   z_j = m(zeta^(5^j)) = sum_{k < N/2} v_k * zeta^(5^j * k),
// because zeta^(5^j * N/2) = i^(5^j) = i (5^j = 1 mod 4). fft_special computes
// that sum for all j in O(N log N) (decoding); fft_special_inv inverts it
// (encoding). Since sigma_5: X -> X^5 maps m(zeta^(5^j)) to m(zeta^(5^(j+1))),
// applying the automorphism with Galois element 5 rotates the slots left by one;
// element 2N-1 maps zeta^(5^j) to its conjugate, so it conjugates every slot.
//
// Decoding reconstructs each coefficient exactly (CRT over q_0..q_l into a
// fixed-size multi-word accumulator, then centred), so the only errors are the
// rounding of encoding and the floating-point FFT.
#include "ckks/encoder.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <stdexcept>
#include <string>

#include "poly/modulus.hpp"
#include "poly/ntt.hpp"
#include "poly/primes.hpp"

namespace tower::ckks {

using poly::u128;

namespace {

// Largest |round(value * scale)| accepted: 2^1000 (far beyond any modulus chain
// in use; above it the value could not be represented meaningfully).
constexpr double kMaxCoefficient = 0x1p1000;
constexpr double kTwo63 = 0x1p63;
constexpr int kMaxPow2 = 1024;  // 2^e for e < kMaxPow2 covers every exponent of a coefficient <= 2^1000

// x mod q for |x| < 2^63; one_shoup = floor(2^64 / q) (the Shoup companion of 1).
// Branch-free: signs are random, so a branch would be mispredicted half the time.
inline u64 residue_small(std::int64_t x, u64 q, u64 one_shoup) noexcept {
  const u64 sign = static_cast<u64>(x >> 63);  // all ones if x < 0
  const u64 mag = (static_cast<u64>(x) ^ sign) - sign;
  const u64 r = poly::mul_shoup(mag, 1, one_shoup, q);
  return poly::reduce_once((r & ~sign) | ((q - r) & sign), q);  // q - 0 = q reduces to 0
}

// c mod q for an integer-valued double 2^63 <= |c| <= 2^1000: c = mant * 2^exp
// with a 53-bit integer mantissa, exactly. pow2[e] = 2^e mod q.
inline u64 residue_large(double c, const poly::Modulus& q, const u64* pow2) noexcept {
  int e = 0;
  const double f = std::frexp(c, &e);  // |f| in [0.5, 1), c = f * 2^e, e >= 64
  const auto mant = static_cast<std::int64_t>(std::ldexp(f, 53));  // exact: |mant| < 2^53
  const int exp = e - 53;                                          // >= 11, < kMaxPow2
  const u64 mag = mant < 0 ? static_cast<u64>(-mant) : static_cast<u64>(mant);
  const u64 r = q.mul(q.reduce(mag), pow2[exp]);
  return mant < 0 ? q.neg(r) : r;
}

// The exact primitive-2N-th-root power zeta^k = exp(i*pi*k/N), k any integer >= 0:
// the angle is reduced to [0, pi/4] by the symmetries of the circle, evaluated in
// long double and rounded once, so every entry is within about half an ulp and
// the quadrant points (1, i, -1, -i) are exact.
std::complex<double> root_of_unity(std::size_t k, std::size_t n) {
  const std::size_t m = 2 * n;
  k %= m;
  const std::size_t quarter = n / 2;  // pi/2 in units of pi/N
  const std::size_t quadrant = k / quarter, r = k % quarter;
  constexpr long double pi = std::numbers::pi_v<long double>;
  long double c = 0, s = 0;
  if (2 * r <= quarter) {
    const long double a = pi * static_cast<long double>(r) / static_cast<long double>(n);
    c = std::cos(a);
    s = std::sin(a);
  } else {  // angle in (pi/4, pi/2): use the complementary angle
    const long double a = pi * static_cast<long double>(quarter - r) / static_cast<long double>(n);
    c = std::sin(a);
    s = std::cos(a);
  }
  if (r == 0) {
    c = 1;
    s = 0;
  }
  const auto cd = static_cast<double>(c), sd = static_cast<double>(s);
  switch (quadrant) {  // multiply by i^quadrant
    case 0: return {cd, sd};
    case 1: return {-sd, cd};
    case 2: return {-cd, -sd};
    default: return {sd, -cd};
  }
}

// The plain complex product (std::complex's operator* also checks for NaN and
// infinities, which costs a branch and a library call per butterfly).
inline std::complex<double> cmul(std::complex<double> a, std::complex<double> b) noexcept {
  return {a.real() * b.real() - a.imag() * b.imag(), a.real() * b.imag() + a.imag() * b.real()};
}

void check_scale(double scale, const char* who) {
  if (!std::isfinite(scale) || scale < 1.0) {
    throw std::invalid_argument(std::string("ckks::Encoder::") + who + ": scale must be finite and >= 1 (got " +
                                std::to_string(scale) + ")");
  }
}

// round(x * scale), checked finite and <= 2^1000 in magnitude.
double scaled_coefficient(double x, double scale, const char* who) {
  const double c = std::round(x * scale);
  if (!std::isfinite(c)) {
    throw std::invalid_argument(std::string("ckks::Encoder::") + who + ": a value is not finite (or overflows when scaled)");
  }
  if (std::fabs(c) > kMaxCoefficient) {
    throw std::invalid_argument(std::string("ckks::Encoder::") + who +
                                ": a scaled value exceeds 2^1000 in magnitude and cannot be encoded");
  }
  return c;
}

// A coefficient must lie strictly inside (-Q_l/2, Q_l/2), or it would wrap around
// modulo Q_l and decode to something else entirely.
void check_fits(double max_abs, const poly::RnsBase& base, const char* who) {
  double log_q = 0;
  for (std::size_t i = 0; i < base.size(); ++i) log_q += std::log2(static_cast<double>(base.modulus(i).value()));
  if (max_abs > 0 && std::log2(max_abs) >= log_q - 1) {
    throw std::invalid_argument(std::string("ckks::Encoder::") + who + ": a scaled coefficient (2^" +
                                std::to_string(std::log2(max_abs)) + ") does not fit the modulus at level " +
                                std::to_string(base.size() - 1) + " (2^" + std::to_string(log_q) +
                                "); use a smaller scale or a higher level");
  }
}

// 2^e mod q for e < kMaxPow2.
std::vector<u64> powers_of_two(const poly::Modulus& q) {
  std::vector<u64> t(kMaxPow2);
  t[0] = 1 % q.value();
  for (int e = 1; e < kMaxPow2; ++e) t[e] = q.add(t[e - 1], t[e - 1]);
  return t;
}

// Residues of the integer-valued doubles coeffs[0..n) mod every prime of `poly`,
// written in coefficient form into its limbs.
void fill_residues(poly::RnsPoly& p, const std::vector<double>& coeffs) {
  const std::size_t n = p.n();
  double max_abs = 0;
  for (double c : coeffs) max_abs = std::max(max_abs, std::fabs(c));
  if (max_abs < kTwo63) {
    // Convert once for all towers. When |c| < q_i (the usual case: the scale is
    // below the primes) the residue is c or c + q_i, a branch-free loop the
    // compiler vectorizes; otherwise one Shoup reduction.
    std::vector<std::int64_t> ic(n);
    for (std::size_t j = 0; j < n; ++j) ic[j] = static_cast<std::int64_t>(coeffs[j]);
#pragma omp parallel for if (p.size() > 1 && p.size() * n >= (std::size_t{1} << 15))
    for (std::size_t i = 0; i < p.size(); ++i) {
      const poly::Modulus& q = p.base()->modulus(i);
      const u64 qv = q.value();
      u64* out = p.limb(i);
      if (max_abs < static_cast<double>(qv)) {
        for (std::size_t j = 0; j < n; ++j) {
          const std::int64_t x = ic[j];
          out[j] = static_cast<u64>(x) + (qv & static_cast<u64>(x >> 63));
        }
      } else {
        const u64 ones = poly::shoup_precompute(1, qv);
        for (std::size_t j = 0; j < n; ++j) out[j] = residue_small(ic[j], qv, ones);
      }
    }
    return;
  }
#pragma omp parallel for if (p.size() > 1 && p.size() * n >= (std::size_t{1} << 15))
  for (std::size_t i = 0; i < p.size(); ++i) {
    const poly::Modulus& q = p.base()->modulus(i);
    const u64 qv = q.value(), ones = poly::shoup_precompute(1, qv);
    u64* out = p.limb(i);
    const std::vector<u64> pow2 = powers_of_two(q);
    for (std::size_t j = 0; j < n; ++j) {
      const double c = coeffs[j];
      out[j] = std::fabs(c) < kTwo63 ? residue_small(static_cast<std::int64_t>(c), qv, ones)
                                     : residue_large(c, q, pow2.data());
    }
  }
}

// --- multi-word helpers (little-endian 64-bit words, fixed length w) ---

// a > b
inline bool greater(const u64* a, const u64* b, std::size_t w) noexcept {
  for (std::size_t i = w; i-- > 0;) {
    if (a[i] != b[i]) return a[i] > b[i];
  }
  return false;
}

// a = b - a (b >= a)
inline void reverse_sub(u64* a, const u64* b, std::size_t w) noexcept {
  u64 borrow = 0;
  for (std::size_t i = 0; i < w; ++i) {
    const u128 d = static_cast<u128>(b[i]) - a[i] - borrow;
    a[i] = static_cast<u64>(d);
    borrow = static_cast<u64>(d >> 64) & 1;
  }
}

// a -= b (a >= b)
inline void sub(u64* a, const u64* b, std::size_t w) noexcept {
  u64 borrow = 0;
  for (std::size_t i = 0; i < w; ++i) {
    const u128 d = static_cast<u128>(a[i]) - b[i] - borrow;
    a[i] = static_cast<u64>(d);
    borrow = static_cast<u64>(d >> 64) & 1;
  }
}

// a = -a (two's complement)
inline void negate(u64* a, std::size_t w) noexcept {
  u64 carry = 1;
  for (std::size_t i = 0; i < w; ++i) {
    const u128 s = static_cast<u128>(~a[i]) + carry;
    a[i] = static_cast<u64>(s);
    carry = static_cast<u64>(s >> 64);
  }
}

// The non-negative integer a (w words) as a long double (64-bit mantissa; the
// top three words carry more than enough bits), then divided by `scale`.
inline long double to_long_double(const u64* a, std::size_t w) noexcept {
  std::size_t t = w;
  while (t > 0 && a[t - 1] == 0) --t;
  if (t == 0) return 0.0L;
  constexpr long double two64 = 18446744073709551616.0L;
  long double v = static_cast<long double>(a[t - 1]);
  const std::size_t lo = t >= 3 ? t - 3 : 0;
  for (std::size_t i = t - 1; i-- > lo;) v = v * two64 + static_cast<long double>(a[i]);
  return std::ldexp(v, static_cast<int>(64 * lo));
}

}  // namespace

Encoder::Encoder(std::shared_ptr<const Context> context) : context_(std::move(context)) {
  if (!context_) throw std::invalid_argument("ckks::Encoder: the context is null");
  const std::size_t n = context_->n();
  const std::size_t m = 2 * n, half = n / 2;
  rot_group_.resize(half);
  std::size_t g = 1;
  for (std::size_t j = 0; j < half; ++j) {
    rot_group_[j] = g;
    g = (g * 5) % m;
  }
  roots_.resize(m + 1);
  for (std::size_t k = 0; k <= m; ++k) roots_[k] = root_of_unity(k, n);
  // The twiddles of each FFT stage, contiguous: the stage with half-length h
  // (block length 2h, lenq = 8h) uses zeta^((5^j mod lenq) * 2N/lenq), j < h,
  // at [h, 2h); the inverse uses the conjugates.
  fwd_twiddles_.assign(std::max<std::size_t>(half, 2), {0.0, 0.0});
  inv_twiddles_.assign(std::max<std::size_t>(half, 2), {0.0, 0.0});
  for (std::size_t h = 1; h < half; h <<= 1) {
    const std::size_t lenq = 8 * h, gap = m / lenq;
    for (std::size_t j = 0; j < h; ++j) {
      const std::size_t r = rot_group_[j] & (lenq - 1);
      fwd_twiddles_[h + j] = roots_[r * gap];
      inv_twiddles_[h + j] = roots_[(lenq - r) * gap];
    }
  }

  // CRT tables of every level l >= 1 (level 0 needs none).
  crt_.resize(context_->max_level() + 1);
  for (std::size_t level = 1; level <= context_->max_level(); ++level) {
    const poly::RnsBase& base = *context_->q_base(level);
    LevelCrt& t = crt_[level];
    const std::size_t k = base.size();
    t.k = k;
    t.w = base.product().size() + 1;  // sum_i y_i (Q/q_i) < k*Q < 2^(64(w-1) + 5): fits, with a sign bit to spare
    t.q.assign(t.w, 0);
    std::copy(base.product().begin(), base.product().end(), t.q.begin());
    t.half.assign(t.w, 0);  // (Q-1)/2 = floor(Q/2), Q odd
    for (std::size_t i = 0; i < t.w; ++i) t.half[i] = (t.q[i] >> 1) | (i + 1 < t.w ? t.q[i + 1] << 63 : 0);
    t.qhat_t.assign(t.w * k, 0);
    t.inv_q.resize(k);
    t.primes.resize(k);
    t.qhat_inv.resize(k);
    t.qhat_inv_shoup.resize(k);
    t.qhat_lo.resize(k);
    t.two64_mod.resize(k);
    t.two64_shoup.resize(k);
    t.one_shoup.resize(k);
    for (std::size_t i = 0; i < k; ++i) {
      std::vector<u64> qhat(t.w, 0);
      qhat[0] = 1;
      for (std::size_t l = 0; l < k; ++l) {
        if (l == i) continue;
        u64 carry = 0;
        for (auto& x : qhat) {
          const u128 p = static_cast<u128>(x) * base.modulus(l).value() + carry;
          x = static_cast<u64>(p);
          carry = static_cast<u64>(p >> 64);
        }
      }
      for (std::size_t r = 0; r < t.w; ++r) t.qhat_t[r * k + i] = qhat[r];
      t.primes[i] = base.modulus(i).value();
      t.inv_q[i] = 1.0 / static_cast<double>(t.primes[i]);
      t.qhat_inv[i] = base.q_hat_inv(i);
      t.qhat_inv_shoup[i] = base.q_hat_inv_shoup(i);
      t.qhat_lo[i] = (static_cast<u128>(qhat[1]) << 64) | qhat[0];
      const poly::Modulus& qm = base.modulus(i);
      t.two64_mod[i] = qm.reduce128(u128{1} << 64);
      t.two64_shoup[i] = poly::shoup_precompute(t.two64_mod[i], t.primes[i]);
      t.one_shoup[i] = poly::shoup_precompute(1, t.primes[i]);
    }
    t.q_lo = (static_cast<u128>(t.q[1]) << 64) | t.q[0];
    // min((Q-1)/2, 2^128 - 1): the fast path's bound on a candidate's magnitude.
    bool half_fits = true;
    for (std::size_t r = 2; r < t.w; ++r) half_fits = half_fits && t.half[r] == 0;
    t.half_lo = half_fits ? (static_cast<u128>(t.half[1]) << 64) | t.half[0] : ~u128{0};
  }
}

// Decoding direction: vals[j] <- sum_k vals[k] * zeta^(5^j * k) (HEAAN's fftSpecial).
void Encoder::fft_special(std::complex<double>* vals) const {
  const std::size_t size = slots();
  const int logn = poly::log2_exact(size);
  for (std::size_t i = 0; i < size; ++i) {
    const std::size_t r = poly::bit_reverse(i, logn);
    if (i < r) std::swap(vals[i], vals[r]);
  }
  for (std::size_t len = 2; len <= size; len <<= 1) {
    const std::size_t lenh = len >> 1;
    const std::complex<double>* tw = fwd_twiddles_.data() + lenh;
    for (std::size_t i = 0; i < size; i += len) {
      for (std::size_t j = 0; j < lenh; ++j) {
        const std::complex<double> u = vals[i + j];
        const std::complex<double> v = cmul(vals[i + j + lenh], tw[j]);
        vals[i + j] = u + v;
        vals[i + j + lenh] = u - v;
      }
    }
  }
}

// Encoding direction, the exact inverse of fft_special (HEAAN's fftSpecialInv):
// the butterflies in reverse order with conjugate twiddles, bit reversal, 1/size.
void Encoder::fft_special_inv(std::complex<double>* vals) const {
  const std::size_t size = slots();
  const int logn = poly::log2_exact(size);
  for (std::size_t len = size; len >= 2; len >>= 1) {
    const std::size_t lenh = len >> 1;
    const std::complex<double>* tw = inv_twiddles_.data() + lenh;
    for (std::size_t i = 0; i < size; i += len) {
      for (std::size_t j = 0; j < lenh; ++j) {
        const std::complex<double> a = vals[i + j], b = vals[i + j + lenh];
        vals[i + j] = a + b;
        vals[i + j + lenh] = cmul(a - b, tw[j]);
      }
    }
  }
  for (std::size_t i = 0; i < size; ++i) {
    const std::size_t r = poly::bit_reverse(i, logn);
    if (i < r) std::swap(vals[i], vals[r]);
  }
  const double inv = 1.0 / static_cast<double>(size);
  for (std::size_t i = 0; i < size; ++i) vals[i] *= inv;
}

poly::RnsPoly Encoder::encode_to_base(const std::vector<std::complex<double>>& values,
                                     const std::shared_ptr<const poly::RnsBase>& base, double scale) const {
  const std::size_t n = context_->n(), half = n / 2;
  if (!base || base->n() != n) throw std::invalid_argument("ckks::Encoder::encode: base of another ring dimension");
  if (values.size() > half) {
    throw std::invalid_argument("ckks::Encoder::encode: " + std::to_string(values.size()) + " values for " +
                                std::to_string(half) + " slots");
  }
  check_scale(scale, "encode");

  std::vector<std::complex<double>> vals(half, {0.0, 0.0});
  for (std::size_t j = 0; j < values.size(); ++j) {
    if (!std::isfinite(values[j].real()) || !std::isfinite(values[j].imag())) {
      throw std::invalid_argument("ckks::Encoder::encode: value " + std::to_string(j) + " is not finite");
    }
    vals[j] = values[j];
  }
  fft_special_inv(vals.data());

  std::vector<double> coeffs(n);
  double max_abs = 0;
  for (std::size_t j = 0; j < half; ++j) {
    coeffs[j] = scaled_coefficient(vals[j].real(), scale, "encode");
    coeffs[j + half] = scaled_coefficient(vals[j].imag(), scale, "encode");
    max_abs = std::max({max_abs, std::fabs(coeffs[j]), std::fabs(coeffs[j + half])});
  }
  check_fits(max_abs, *base, "encode");
  poly::RnsPoly p = poly::RnsPoly::uninitialized(base, poly::PolyForm::coefficient);  // fill_residues writes every word
  fill_residues(p, coeffs);
  p.to_evaluation();
  return p;
}

Plaintext Encoder::encode(const std::vector<std::complex<double>>& values, std::size_t level, double scale) const {
  const auto& base = context_->q_base(level);  // throws std::out_of_range for a bad level
  return Plaintext(context_, encode_to_base(values, base, scale), scale);
}

Plaintext Encoder::encode(const std::vector<double>& values, std::size_t level, double scale) const {
  return encode(std::vector<std::complex<double>>(values.begin(), values.end()), level, scale);
}

Plaintext Encoder::encode_constant(std::complex<double> value, std::size_t level, double scale) const {
  check_scale(scale, "encode_constant");
  Plaintext plain(context_, level, scale);  // throws std::out_of_range for a bad level
  const double a = scaled_coefficient(value.real(), scale, "encode_constant");
  const double b = scaled_coefficient(value.imag(), scale, "encode_constant");
  check_fits(std::max(std::fabs(a), std::fabs(b)), *plain.poly().base(), "encode_constant");
  // a + b X^(N/2) directly in evaluation form: NTT slot t holds the value at
  // psi^e, e = 2*brv(t) + 1, and psi^(e N/2) = I^e with I = psi^(N/2) (I^2 = -1);
  // e = 1 mod 4 exactly when brv(t) is even, i.e. t < N/2. So the first half of
  // the slots holds a + b*I and the second half a - b*I.
  poly::RnsPoly& p = plain.poly();
  const std::size_t n = p.n();
  for (std::size_t i = 0; i < p.size(); ++i) {
    const poly::Modulus& q = p.base()->modulus(i);
    const std::vector<u64> pow2 =
        (std::fabs(a) >= kTwo63 || std::fabs(b) >= kTwo63) ? powers_of_two(q) : std::vector<u64>{};
    auto res = [&](double c) {
      return std::fabs(c) < kTwo63 ? residue_small(static_cast<std::int64_t>(c), q.value(), poly::shoup_precompute(1, q.value()))
                                   : residue_large(c, q, pow2.data());
    };
    const u64 ra = res(a), rb = res(b);
    const u64 im = q.pow(p.base()->ntt(i).root(), n / 2);
    const u64 bi = q.mul(rb, im);
    const u64 lo = q.add(ra, bi), hi = q.sub(ra, bi);
    u64* out = p.limb(i);
    std::fill(out, out + n / 2, lo);
    std::fill(out + n / 2, out + n, hi);
  }
  p.set_form(poly::PolyForm::evaluation);
  return plain;
}

std::vector<std::complex<double>> Encoder::decode(const Plaintext& plain) const {
  if (!plain.context() || plain.context()->params_hash() != context_->params_hash()) {
    throw std::invalid_argument("ckks::Encoder::decode: plaintext belongs to another context");
  }
  const double scale = plain.scale();
  poly::RnsPoly p = plain.poly();
  if (p.is_evaluation()) p.to_coefficient();
  const std::size_t n = p.n(), half = n / 2, level = p.size() - 1;

  std::vector<double> coeffs(n);
  if (level == 0) {
    const u64 q = p.base()->modulus(0).value();
    const u64* x = p.limb(0);
    for (std::size_t j = 0; j < n; ++j) {
      const double c = x[j] > q / 2 ? -static_cast<double>(q - x[j]) : static_cast<double>(x[j]);
      coeffs[j] = c / scale;
    }
  } else {
    const LevelCrt& t = crt_[level];
    const std::size_t k = t.k, w = t.w;
    constexpr std::size_t kBlock = 64;  // coefficients per block, processed limb by limb where possible
    const std::size_t blocks = (n + kBlock - 1) / kBlock;
    const long double inv_scale = 1.0L / static_cast<long double>(scale);
#pragma omp parallel if (n * k >= (std::size_t{1} << 15))
    {
      std::vector<u64> y(kBlock * k), acc(w);  // y[c*k + i]
      std::vector<double> frac(kBlock);
      std::vector<u128> low(kBlock), mag(kBlock);
      std::vector<unsigned char> neg(kBlock), ok(kBlock);
#pragma omp for schedule(static)
      for (std::size_t blk = 0; blk < blocks; ++blk) {
        const std::size_t j0 = blk * kBlock, cnt = std::min(kBlock, n - j0);
        // y_i = x_i * (Q/q_i)^-1 mod q_i; the estimate sum_i y_i / q_i; and
        // sum_i y_i * (Q/q_i) mod 2^128 (unsigned wrap-around is that modulus).
        std::fill(frac.begin(), frac.end(), 0.0);
        std::fill(low.begin(), low.end(), u128{0});
        for (std::size_t i = 0; i < k; ++i) {
          const u64* x = p.limb(i) + j0;
          const u64 qi = t.primes[i], w0 = t.qhat_inv[i], w1 = t.qhat_inv_shoup[i];
          const double iq = t.inv_q[i];
          const u128 qhat_lo = t.qhat_lo[i];
          for (std::size_t c = 0; c < cnt; ++c) {
            const u64 yc = poly::mul_shoup(x[c], w0, w1, qi);
            y[c * k + i] = yc;
            frac[c] += static_cast<double>(static_cast<std::int64_t>(yc)) * iq;  // y < 2^61
            low[c] += static_cast<u128>(yc) * qhat_lo;
          }
        }
        // Fast path. With v = round(sum_i y_i / q_i), x' = sum_i y_i (Q/q_i) - v Q
        // is congruent to x mod Q and, whenever the estimate is right, is the
        // centred x itself. Its low 128 bits L, read as a signed integer, are a
        // candidate; if |L| <= (Q-1)/2 and L = x_i (mod q_i) for every i, then
        // L = x mod Q and L is in the centred range, so L is x, exactly. It holds
        // whenever |x| < 2^127 (every message, with its noise, at sensible
        // scales); anything else (including an estimate off by one, which only
        // happens for |x| near Q/2) takes the full multi-word path below.
        for (std::size_t c = 0; c < cnt; ++c) {
          const u64 v = static_cast<u64>(frac[c] + 0.5);
          const u128 l = low[c] - static_cast<u128>(v) * t.q_lo;
          neg[c] = static_cast<unsigned char>(l >> 127);
          const u128 sign = u128{0} - (l >> 127);  // all ones if negative
          mag[c] = (l ^ sign) - sign;
          ok[c] = mag[c] <= t.half_lo;
        }
        for (std::size_t i = 0; i < k; ++i) {
          const u64* x = p.limb(i) + j0;
          const u64 qi = t.primes[i], two64 = t.two64_mod[i], two64s = t.two64_shoup[i], ones = t.one_shoup[i];
          for (std::size_t c = 0; c < cnt; ++c) {
            const auto hi = static_cast<u64>(mag[c] >> 64), lo = static_cast<u64>(mag[c]);
            u64 r = poly::mul_shoup_lazy(lo, 1, ones, qi);  // [0, 2q)
            if (hi != 0) r += poly::mul_shoup_lazy(hi, two64, two64s, qi);  // [0, 4q)
            r = poly::reduce_once(poly::reduce_once(r, 2 * qi), qi);
            const u64 sign = u64{0} - neg[c];
            const u64 want = poly::reduce_once((x[c] & ~sign) | ((qi - x[c]) & sign), qi);  // -x mod q if negative
            ok[c] &= static_cast<unsigned char>(r == want);
          }
        }
        for (std::size_t c = 0; c < cnt; ++c) {
          if (ok[c]) {
            constexpr long double two64 = 18446744073709551616.0L;
            const long double m = (static_cast<long double>(static_cast<u64>(mag[c] >> 64)) * two64 +
                                   static_cast<long double>(static_cast<u64>(mag[c]))) *
                                  inv_scale;
            coeffs[j0 + c] = std::copysign(static_cast<double>(m), neg[c] ? -1.0 : 1.0);
            continue;
          }
          // Full path: acc = sum_i y_i * (Q/q_i) by product scanning: column r
          // collects the low halves of y_i * qhat_i[r] and the high halves of
          // y_i * qhat_i[r-1] (at most 2k + 1 words, far below 2^128).
          const u64* yc = y.data() + c * k;
          u128 cur = 0;
          for (std::size_t r = 0; r < w; ++r) {
            u128 nxt = 0;
            const u64* col = t.qhat_t.data() + r * k;
            for (std::size_t i = 0; i < k; ++i) {
              const u128 prod = static_cast<u128>(yc[i]) * col[i];
              cur += static_cast<u64>(prod);
              nxt += static_cast<u64>(prod >> 64);
            }
            acc[r] = static_cast<u64>(cur);
            cur = (cur >> 64) + nxt;
          }
          // x = acc - v*Q with v = round(sum_i y_i / q_i) = round(acc / Q): the
          // centred representative, up to an estimation error fixed exactly below.
          const u64 v = static_cast<u64>(frac[c] + 0.5);
          u64 mcarry = 0, borrow = 0;
          for (std::size_t r = 0; r < w; ++r) {
            const u128 vq = static_cast<u128>(v) * t.q[r] + mcarry;
            mcarry = static_cast<u64>(vq >> 64);
            const u128 d = static_cast<u128>(acc[r]) - static_cast<u64>(vq) - borrow;
            acc[r] = static_cast<u64>(d);
            borrow = static_cast<u64>(d >> 64) & 1;
          }
          bool negative = (acc[w - 1] >> 63) != 0;
          if (negative) negate(acc.data(), w);
          // Now |x| = acc; bring it into (-Q/2, Q/2] exactly (rarely needed: only
          // when |x| is within about 2^-45 Q of Q/2).
          while (!greater(t.q.data(), acc.data(), w)) sub(acc.data(), t.q.data(), w);  // acc >= Q
          if (greater(acc.data(), t.half.data(), w)) {                                // |x| > Q/2
            reverse_sub(acc.data(), t.q.data(), w);
            negative = !negative;
          }
          const long double m = to_long_double(acc.data(), w) * inv_scale;
          coeffs[j0 + c] = static_cast<double>(negative ? -m : m);
        }
      }
    }
  }

  std::vector<std::complex<double>> vals(half);
  for (std::size_t j = 0; j < half; ++j) vals[j] = {coeffs[j], coeffs[j + half]};
  fft_special(vals.data());
  return vals;
}

std::vector<double> Encoder::decode_real(const Plaintext& plain) const {
  const auto z = decode(plain);
  std::vector<double> out(z.size());
  for (std::size_t j = 0; j < z.size(); ++j) out[j] = z[j].real();
  return out;
}

}  // namespace tower::ckks
