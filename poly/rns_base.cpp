// poly/rns_base.cpp — validation, CRT constants, reconstruction.
#include "poly/rns_base.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "poly/primes.hpp"

namespace tower::poly {
namespace {

// Multi-word helpers for CRT reconstruction (little-endian 64-bit words).
void mul_word(std::vector<u64>& a, u64 w) {
  u64 carry = 0;
  for (auto& x : a) {
    const u128 p = static_cast<u128>(x) * w + carry;
    x = static_cast<u64>(p);
    carry = static_cast<u64>(p >> 64);
  }
  if (carry) a.push_back(carry);
}

// a += b * w, with a sized to hold the result.
void add_mul_word(std::vector<u64>& a, const std::vector<u64>& b, u64 w) {
  if (a.size() < b.size() + 1) a.resize(b.size() + 1, 0);
  u64 carry = 0;
  std::size_t i = 0;
  for (; i < b.size(); ++i) {
    const u128 p = static_cast<u128>(b[i]) * w + a[i] + carry;
    a[i] = static_cast<u64>(p);
    carry = static_cast<u64>(p >> 64);
  }
  for (; carry && i < a.size(); ++i) {
    const u128 s = static_cast<u128>(a[i]) + carry;
    a[i] = static_cast<u64>(s);
    carry = static_cast<u64>(s >> 64);
  }
  if (carry) a.push_back(carry);
}

bool geq(const std::vector<u64>& a, const std::vector<u64>& b) {  // a >= b, any sizes
  const std::size_t k = std::max(a.size(), b.size());
  for (std::size_t i = k; i-- > 0;) {
    const u64 x = i < a.size() ? a[i] : 0, y = i < b.size() ? b[i] : 0;
    if (x != y) return x > y;
  }
  return true;
}

void sub_in_place(std::vector<u64>& a, const std::vector<u64>& b) {  // a -= b, a >= b
  u64 borrow = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const u64 y = i < b.size() ? b[i] : 0;
    const u128 d = static_cast<u128>(a[i]) - y - borrow;
    a[i] = static_cast<u64>(d);
    borrow = static_cast<u64>(d >> 64) ? 1 : 0;
  }
}

}  // namespace

RnsBase::RnsBase(std::size_t n, const std::vector<u64>& primes) : n_(n) {
  if (primes.empty()) throw std::invalid_argument("poly::RnsBase: the list of primes is empty");
  std::vector<u64> sorted = primes;
  std::sort(sorted.begin(), sorted.end());
  if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end()) {
    throw std::invalid_argument("poly::RnsBase: a prime appears twice");
  }
  for (u64 p : primes) {
    moduli_.emplace_back(p);                                    // checks the size
    ntt_.push_back(std::make_shared<const NttTables>(n, moduli_.back()));  // checks n, primality, q = 1 mod 2n
  }
  init_crt();
}

void RnsBase::init_crt() {
  const std::size_t k = size();
  q_hat_inv_.assign(k, 0);
  q_hat_inv_shoup_.assign(k, 0);
  q_hat_mod_.assign(k * k, 0);
  for (std::size_t i = 0; i < k; ++i) {
    for (std::size_t j = 0; j < k; ++j) {
      u64 prod = 1 % moduli_[j].value();  // (Q/q_i) mod q_j
      for (std::size_t l = 0; l < k; ++l) {
        if (l != i) prod = moduli_[j].mul(prod, moduli_[j].reduce(moduli_[l].value()));
      }
      q_hat_mod_[i * k + j] = prod;
    }
    q_hat_inv_[i] = moduli_[i].inv(q_hat_mod_[i * k + i]);
    q_hat_inv_shoup_[i] = shoup_precompute(q_hat_inv_[i], moduli_[i].value());
  }
  product_ = {1};
  for (const auto& m : moduli_) mul_word(product_, m.value());
}

RnsBase RnsBase::prefix(std::size_t count) const {
  if (count == 0 || count > size()) {
    throw std::invalid_argument("poly::RnsBase::prefix: asked for " + std::to_string(count) + " of " +
                                std::to_string(size()) + " primes");
  }
  RnsBase b;
  b.n_ = n_;
  b.pool_ = pool_;
  b.moduli_.assign(moduli_.begin(), moduli_.begin() + static_cast<std::ptrdiff_t>(count));
  b.ntt_.assign(ntt_.begin(), ntt_.begin() + static_cast<std::ptrdiff_t>(count));
  b.init_crt();
  return b;
}

RnsBase RnsBase::select(const std::vector<std::size_t>& indices) const {
  if (indices.empty()) throw std::invalid_argument("poly::RnsBase::select: no indices");
  RnsBase b;
  b.n_ = n_;
  b.pool_ = pool_;
  std::vector<bool> used(size(), false);
  for (std::size_t i : indices) {
    if (i >= size() || used[i]) {
      throw std::invalid_argument("poly::RnsBase::select: index " + std::to_string(i) + " out of range or repeated");
    }
    used[i] = true;
    b.moduli_.push_back(moduli_[i]);
    b.ntt_.push_back(ntt_[i]);
  }
  b.init_crt();
  return b;
}

RnsBase RnsBase::extend(const RnsBase& other) const {
  if (other.n_ != n_) throw std::invalid_argument("poly::RnsBase::extend: the bases have different n");
  RnsBase b;
  b.n_ = n_;
  b.pool_ = pool_;
  b.moduli_ = moduli_;
  b.ntt_ = ntt_;
  for (std::size_t i = 0; i < other.size(); ++i) {
    for (const auto& m : moduli_) {
      if (m == other.moduli_[i]) throw std::invalid_argument("poly::RnsBase::extend: a prime appears twice");
    }
    b.moduli_.push_back(other.moduli_[i]);
    b.ntt_.push_back(other.ntt_[i]);
  }
  b.init_crt();
  return b;
}

RnsBase RnsBase::with_pool(std::shared_ptr<MemoryPool> pool) const {
  RnsBase b = *this;
  b.pool_ = std::move(pool);
  return b;
}

std::vector<u64> RnsBase::compose(const u64* residues) const {
  // x = sum_i [x_i * (Q/q_i)^-1]_{q_i} * (Q/q_i)  (mod Q); the sum is below k*Q.
  std::vector<u64> acc(1, 0);
  for (std::size_t i = 0; i < size(); ++i) {
    std::vector<u64> q_hat = {1};
    for (std::size_t l = 0; l < size(); ++l) {
      if (l != i) mul_word(q_hat, moduli_[l].value());
    }
    const u64 y = mul_shoup(residues[i], q_hat_inv_[i], q_hat_inv_shoup_[i], moduli_[i].value());
    add_mul_word(acc, q_hat, y);
  }
  while (geq(acc, product_)) sub_in_place(acc, product_);
  acc.resize(size(), 0);
  return acc;
}

bool RnsBase::operator==(const RnsBase& other) const noexcept {
  return n_ == other.n_ && moduli_ == other.moduli_;
}

}  // namespace tower::poly
