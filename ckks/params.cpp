// ckks/params.cpp — validation, the chain chooser, named sets.
#include "ckks/params.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <set>
#include <sstream>
#include <stdexcept>

#include "poly/modulus.hpp"
#include "poly/primes.hpp"

namespace tower::ckks {
namespace {

std::string fmt(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", x);
  return buf;
}

[[noreturn]] void fail(const std::string& what) { throw std::invalid_argument("ckks::Params::create: " + what); }

double log2_sum(const std::vector<u64>& ps, std::size_t begin, std::size_t end) {
  double s = 0;
  for (std::size_t i = begin; i < end; ++i) s += std::log2(static_cast<double>(ps[i]));
  return s;
}

// Digits as even as possible: the first (k mod dnum) digits get one extra prime.
std::vector<std::size_t> digit_starts(std::size_t k, std::size_t dnum) {
  std::vector<std::size_t> s(dnum + 1, 0);
  const std::size_t base = k / dnum, extra = k % dnum;
  for (std::size_t j = 0; j < dnum; ++j) s[j + 1] = s[j] + base + (j < extra ? 1 : 0);
  return s;
}

double max_digit_log(const std::vector<u64>& q, std::size_t dnum) {
  const auto s = digit_starts(q.size(), dnum);
  double m = 0;
  for (std::size_t j = 0; j < dnum; ++j) m = std::max(m, log2_sum(q, s[j], s[j + 1]));
  return m;
}

// SEAL's CoeffModulus::Create: for each bit size, the largest NTT-friendly
// primes of that size, handed out in the order the sizes are listed.
std::vector<u64> seal_style_primes(std::size_t n, const std::vector<int>& bits) {
  std::vector<u64> out;
  std::vector<int> sizes = bits;
  std::sort(sizes.begin(), sizes.end());
  sizes.erase(std::unique(sizes.begin(), sizes.end()), sizes.end());
  std::vector<std::vector<u64>> pools;
  for (int b : sizes) pools.push_back(poly::ntt_primes(b, n, static_cast<std::size_t>(std::count(bits.begin(), bits.end(), b))));
  std::vector<std::size_t> used(sizes.size(), 0);
  for (int b : bits) {
    const std::size_t idx = static_cast<std::size_t>(std::find(sizes.begin(), sizes.end(), b) - sizes.begin());
    out.push_back(pools[idx][used[idx]++]);
  }
  return out;
}

Params seal_set(std::size_t n, const std::vector<int>& bits, double log_scale) {
  auto primes = seal_style_primes(n, bits);
  ParamsLiteral lit;
  lit.n = n;
  lit.p = {primes.back()};
  primes.pop_back();
  lit.q = primes;
  lit.dnum = lit.q.size();
  lit.scale = std::exp2(log_scale);
  return Params::create(lit);
}

}  // namespace

Params Params::create(const ParamsLiteral& literal) {
  Params out;
  ParamsLiteral lit = literal;
  const std::size_t n = lit.n;
  if (n < 1024 || n > (std::size_t{1} << 17) || !poly::is_power_of_two(n)) {
    fail("n = " + std::to_string(n) + " is not a power of two in [2^10, 2^17]");
  }
  if (lit.q.empty()) fail("no ciphertext primes q");
  if (lit.p.empty()) fail("no special primes p (hybrid key switching needs at least one)");
  std::set<u64> seen;
  auto check_prime = [&](u64 x, const std::string& name) {
    if (x >> poly::kMaxModulusBits) fail(name + " = " + std::to_string(x) + " has more than 61 bits");
    if (!poly::is_prime(x)) fail(name + " = " + std::to_string(x) + " is not prime");
    if (x % (2 * n) != 1) fail(name + " = " + std::to_string(x) + " is not 1 mod 2n (not NTT-friendly for n = " + std::to_string(n) + ")");
    if (!seen.insert(x).second) fail(name + " = " + std::to_string(x) + " appears twice");
  };
  for (std::size_t i = 0; i < lit.q.size(); ++i) check_prime(lit.q[i], "q[" + std::to_string(i) + "]");
  for (std::size_t i = 0; i < lit.p.size(); ++i) check_prime(lit.p[i], "p[" + std::to_string(i) + "]");

  const std::size_t k = lit.q.size();
  out.log_q_ = log2_sum(lit.q, 0, k);
  out.log_p_ = log2_sum(lit.p, 0, lit.p.size());
  if (lit.dnum == 0) {
    // Smallest dnum whose largest digit fits below P (one bit of slack, since
    // equal-size primes differ slightly), else one prime per digit.
    lit.dnum = k;
    for (std::size_t d = 1; d <= k; ++d) {
      if (max_digit_log(lit.q, d) <= out.log_p_ + 1.0) {
        lit.dnum = d;
        break;
      }
    }
  }
  if (lit.dnum < 1 || lit.dnum > k) {
    fail("dnum = " + std::to_string(lit.dnum) + " is not in [1, " + std::to_string(k) + "] (the number of ciphertext primes)");
  }
  if (lit.scale == 0) {
    // Near the rescaling primes, but below q_0 / 2 so a message of magnitude 1
    // still decrypts at level 0.
    lit.scale = std::exp2(std::round(std::log2(static_cast<double>(lit.q.back()))));
    while (lit.scale >= static_cast<double>(lit.q.front()) / 2 && lit.scale > 2) lit.scale /= 2;
  }
  if (!(lit.scale >= 2.0) || !(std::log2(lit.scale) < std::log2(static_cast<double>(lit.q.front())))) {
    fail("scale 2^" + fmt(std::log2(lit.scale)) + " must be at least 2 and below q_0 (2^" +
         fmt(std::log2(static_cast<double>(lit.q.front()))) + ")");
  }
  if (lit.secret.kind == SecretDistribution::Kind::sparse_ternary &&
      (lit.secret.hamming_weight == 0 || lit.secret.hamming_weight > n)) {
    fail("sparse secret Hamming weight " + std::to_string(lit.secret.hamming_weight) + " is not in [1, n]");
  }

  // Security.
  const auto bound = max_log_qp(n, lit.security);
  std::string problem;
  if (!bound) {
    problem = "the HE standard table has no " + std::string(to_string(lit.security)) + " entry for n = " + std::to_string(n);
  } else if (out.log_qp() > *bound) {
    problem = "log2(QP) = " + fmt(out.log_qp()) + " exceeds " + std::to_string(*bound) + ", the " +
              std::string(to_string(lit.security)) + " bound for n = " + std::to_string(n) +
              " (HE standard, uniform ternary secret)";
  } else if (lit.secret.kind == SecretDistribution::Kind::sparse_ternary) {
    problem = "a sparse secret (Hamming weight " + std::to_string(lit.secret.hamming_weight) +
              ") is outside the HE standard table's assumptions (uniform ternary)";
  }
  if (!problem.empty()) {
    if (!lit.allow_insecure) {
      fail(problem + "; use fewer or smaller primes, a larger n, a uniform secret, or set allow_insecure");
    }
    out.waived_ = true;
    out.note_ = "INSECURE (check waived by allow_insecure): " + problem;
    std::fprintf(stderr, "tower: WARNING: %s\n", out.note_.c_str());
  } else {
    out.note_ = std::string(to_string(lit.security)) + ": log2(QP) = " + fmt(out.log_qp()) + " <= " +
                std::to_string(*bound) + " for n = " + std::to_string(n);
  }
  out.digit_start_ = digit_starts(k, lit.dnum);
  out.lit_ = std::move(lit);
  return out;
}

Params Params::choose(std::size_t n, int depth, int log_scale, int log_q0, std::size_t dnum, SecurityLevel security) {
  if (depth < 0) throw std::invalid_argument("ckks::Params::choose: depth must be >= 0");
  if (log_scale < 20 || log_scale > 60) throw std::invalid_argument("ckks::Params::choose: log_scale must be in [20, 60]");
  if (log_q0 <= log_scale || log_q0 > 61) {
    throw std::invalid_argument("ckks::Params::choose: log_q0 must be in (log_scale, 61]");
  }
  if (dnum < 1 || dnum > static_cast<std::size_t>(depth) + 1) {
    throw std::invalid_argument("ckks::Params::choose: dnum must be in [1, depth + 1]");
  }
  ParamsLiteral lit;
  lit.n = n;
  lit.q.push_back(poly::ntt_primes(log_q0, n, 1)[0]);
  if (depth > 0) {
    const auto r = poly::ntt_primes_near(u64{1} << log_scale, n, static_cast<std::size_t>(depth), lit.q);
    lit.q.insert(lit.q.end(), r.begin(), r.end());
  }
  const double digit = max_digit_log(lit.q, dnum);
  const int special_bits = 60;
  // 60-bit primes are just below 2^60: count log2 at 59.9 to be safe.
  const std::size_t count = static_cast<std::size_t>(std::ceil(digit / (special_bits - 0.1)));
  std::vector<u64> special;
  for (u64 c : poly::ntt_primes(special_bits, n, count + lit.q.size())) {
    if (std::find(lit.q.begin(), lit.q.end(), c) == lit.q.end()) special.push_back(c);
    if (special.size() == count) break;
  }
  lit.p = special;
  lit.dnum = dnum;
  lit.scale = std::exp2(log_scale);
  lit.security = security;
  return create(lit);
}

Params Params::seal_8192() { return seal_set(8192, {43, 43, 44, 44, 44}, 40); }
Params Params::seal_16384() { return seal_set(16384, {48, 48, 48, 49, 49, 49, 49, 49, 49}, 45); }
Params Params::seal_32768() {
  std::vector<int> bits(15, 55);
  bits.push_back(56);
  return seal_set(32768, bits, 50);
}
Params Params::resnet_65536() { return choose(65536, 30, 40, 60, 3); }
Params Params::n131072() { return choose(131072, 50, 50, 60, 3); }

namespace {

u64 fnv1a(u64 h, u64 x) {
  for (int i = 0; i < 8; ++i) {
    h ^= (x >> (8 * i)) & 0xff;
    h *= 0x100000001b3ULL;
  }
  return h;
}

}  // namespace

u64 Params::hash() const noexcept {
  u64 h = 0xcbf29ce484222325ULL;
  h = fnv1a(h, lit_.n);
  for (u64 q : lit_.q) h = fnv1a(h, q);
  h = fnv1a(h, 0x5050);  // separator between q and p
  for (u64 p : lit_.p) h = fnv1a(h, p);
  h = fnv1a(h, lit_.dnum);
  u64 scale_bits;
  std::memcpy(&scale_bits, &lit_.scale, sizeof scale_bits);
  h = fnv1a(h, scale_bits);
  h = fnv1a(h, static_cast<u64>(lit_.secret.kind));
  h = fnv1a(h, lit_.secret.hamming_weight);
  return h;
}

std::string Params::describe() const {
  std::ostringstream os;
  os << "N = " << n() << ", L = " << max_level() << " (" << q().size() << " ciphertext primes, log Q = " << fmt(log_q())
     << "), " << p().size() << " special primes (log P = " << fmt(log_p()) << "), dnum = " << dnum()
     << ", scale = 2^" << fmt(std::log2(scale())) << "\n  q bits:";
  for (u64 x : q()) os << ' ' << (64 - __builtin_clzll(x));
  os << "\n  p bits:";
  for (u64 x : p()) os << ' ' << (64 - __builtin_clzll(x));
  os << "\n  security: " << security_note();
  return os.str();
}

}  // namespace tower::ckks
