// poly/base_conv_scalar.cpp — portable base-conversion kernel, the reference the
// SIMD kernels must match bit for bit (see poly/base_conv_kernels.hpp).
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

#include "poly/base_conv_kernels.hpp"

namespace tower::poly::detail {
namespace {

// Keeps the compiler from fusing the product into the following addition (a
// build with FMA enabled could otherwise contract it): the exact variant's sum
// must round every product, as every path does.
inline double opaque(double x) noexcept {
  asm("" : "+x"(x));
  return x;
}

void convert(const BaseConvPlan& pl, const u64* in, u64* out, std::size_t begin, std::size_t end, bool exact) {
  const std::size_t n = pl.n, k = pl.k, l = pl.l;
  // Blocks of coefficients, so the y_i of a block stay in cache while every
  // target limb consumes them.
  constexpr std::size_t kBlock = 256;
  // Sums of up to 8 products of 61-bit values stay below 2^125 < 2^127, the
  // Barrett bound of Modulus::reduce128, so reduce every 8 terms.
  constexpr std::size_t kLazyTerms = 8;
  std::vector<u64> y(kBlock * k);
  std::vector<double> v(kBlock);
  std::vector<u64> vc(kBlock);
  u64* yb = y.data();
  for (std::size_t c0 = begin; c0 < end; c0 += kBlock) {
    const std::size_t len = std::min(kBlock, end - c0);
    std::fill(v.begin(), v.end(), 0.0);
    for (std::size_t i = 0; i < k; ++i) {
      const u64 qi = pl.q[i].value();
      const u64 w = pl.q_hat_inv[i], wp = pl.q_hat_inv_shoup[i];
      const double qinv = pl.q_inv[i];
      const u64* xi = in + i * n + c0;
      for (std::size_t c = 0; c < len; ++c) {
        const u64 yi = mul_shoup(xi[c], w, wp, qi);
        yb[i * kBlock + c] = yi;
        if (exact) v[c] += opaque(static_cast<double>(yi) * qinv);
      }
    }
    if (exact) {
      for (std::size_t c = 0; c < len; ++c) vc[c] = static_cast<u64>(std::llround(v[c]));  // 0 <= v <= k
    }
    for (std::size_t j = 0; j < l; ++j) {
      const Modulus& p = pl.p[j];
      const u64* mj = pl.q_hat_mod_p.data() + j;
      u64* oj = out + j * n + c0;
      for (std::size_t c = 0; c < len; ++c) {
        u128 acc = 0;
        u64 r = 0;
        for (std::size_t i = 0; i < k; ++i) {
          acc += static_cast<u128>(yb[i * kBlock + c]) * mj[i * l];
          if ((i + 1) % kLazyTerms == 0) {
            r = p.add(r, p.reduce128(acc));
            acc = 0;
          }
        }
        r = p.add(r, p.reduce128(acc));
        if (exact) r = p.sub(r, p.mul(p.reduce(vc[c]), pl.q_mod_p[j]));
        oj[c] = r;
      }
    }
  }
}

void reduce(u64* out, const u64* in, std::size_t n, const Modulus& p) noexcept {
  for (std::size_t c = 0; c < n; ++c) out[c] = p.reduce(in[c]);
}

void lift_centred(u64* out, const u64* in, std::size_t n, u64 half, u64 add) noexcept {
  for (std::size_t c = 0; c < n; ++c) out[c] = in[c] + (in[c] > half ? add : 0);
}

}  // namespace

constinit const BaseConvKernels kBaseConvScalar{convert, reduce, lift_centred};

}  // namespace tower::poly::detail
