// poly/automorphism.cpp — X -> X^k in both forms.
#include "poly/automorphism.hpp"

#include <stdexcept>
#include <string>

#include "poly/automorphism_kernels.hpp"
#include "poly/ntt.hpp"
#include "poly/primes.hpp"

namespace tower::poly {
namespace {

void check(std::size_t n, std::uint64_t k, const char* who) {
  if (n < 8 || !is_power_of_two(n)) throw std::invalid_argument(std::string(who) + ": n must be a power of two >= 8");
  if ((k & 1) == 0) throw std::invalid_argument(std::string(who) + ": Galois element " + std::to_string(k) + " is even");
}

}  // namespace

std::vector<std::uint32_t> automorphism_eval_permutation(std::size_t n, std::uint64_t k) {
  check(n, k, "poly::automorphism_eval_permutation");
  const int logn = log2_exact(n);
  const std::uint64_t mask = 2 * n - 1;
  std::vector<std::uint32_t> perm(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t e = 2 * bit_reverse(i, logn) + 1;
    const std::uint64_t ek = (e * (k & mask)) & mask;  // odd, so (ek - 1)/2 is an index
    perm[i] = static_cast<std::uint32_t>(bit_reverse(static_cast<std::size_t>((ek - 1) >> 1), logn));
  }
  return perm;
}

void automorphism_coeff(const u64* in, u64* out, std::size_t n, std::uint64_t k, const Modulus& q) {
  const std::uint64_t mask = 2 * n - 1;
  const std::uint64_t kk = k & mask;
  for (std::size_t j = 0; j < n; ++j) {
    const std::uint64_t t = (j * kk) & mask;
    if (t < n) {
      out[t] = in[j];
    } else {
      out[t - n] = q.neg(in[j]);
    }
  }
}

const AutomorphismKernels& automorphism_kernels(SimdPath path) {
  if (!simd_path_supported(path)) set_simd_path(path);  // throws the CPU's refusal
  switch (path) {
    case SimdPath::avx512:
      return detail::kAutomorphismAvx512;
    case SimdPath::avx2:
      return detail::kAutomorphismAvx2;
    case SimdPath::scalar:
      break;
  }
  return detail::kAutomorphismScalar;
}

void automorphism_eval(const u64* in, u64* out, std::size_t n, const std::uint32_t* perm) {
  automorphism_kernels(simd_path()).eval(in, out, n, perm);
}

RnsPoly automorphism(const RnsPoly& x, std::uint64_t k) {
  check(x.n(), k, "poly::automorphism");
  if (x.is_evaluation()) return automorphism(x, k, automorphism_eval_permutation(x.n(), k));
  return automorphism(x, k, {});
}

RnsPoly automorphism(const RnsPoly& x, std::uint64_t k, const std::vector<std::uint32_t>& perm) {
  check(x.n(), k, "poly::automorphism");
  RnsPoly out = RnsPoly::uninitialized(x.base(), x.form());  // every word is written below
  const std::size_t n = x.n();
  if (x.is_evaluation()) {
    if (perm.size() != n) throw std::invalid_argument("poly::automorphism: permutation has the wrong size");
#pragma omp parallel for if (x.size() > 1 && x.size() * n >= (std::size_t{1} << 15))
    for (std::size_t i = 0; i < x.size(); ++i) automorphism_eval(x.limb(i), out.limb(i), n, perm.data());
  } else {
#pragma omp parallel for if (x.size() > 1 && x.size() * n >= (std::size_t{1} << 15))
    for (std::size_t i = 0; i < x.size(); ++i) automorphism_coeff(x.limb(i), out.limb(i), n, k, x.base()->modulus(i));
  }
  return out;
}

}  // namespace tower::poly
