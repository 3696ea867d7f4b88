// ckks/context.hpp — everything precomputed from a parameter set.
//
// A Context is built once from Params and shared (std::shared_ptr<const Context>)
// by keys, plaintexts, ciphertexts, encoders and evaluators. It owns:
//  * the RNS base of every level: level l uses q_0..q_l (l+1 "towers");
//  * the key base Q_L * P and, per level, the base Q_l * P of key switching;
//  * per level, the digit decomposition of hybrid key switching: digit j holds
//    the primes of its range that are still present at that level, with a
//    fast base converter from the digit to all other primes of Q_l * P (ModUp),
//    and a converter from P to Q_l (ModDown) with P^-1 mod q_i;
//  * a memory pool (poly/memory_pool.hpp) that every polynomial over these
//    bases allocates from, so the large blocks of one operation are reused by
//    the next instead of being returned to the system and faulted in again.
// All of it is immutable after construction, except the pool's cache, which is
// internally synchronized.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include "ckks/params.hpp"
#include "poly/base_conv.hpp"
#include "poly/rns_base.hpp"

namespace tower::ckks {

/// One digit of the hybrid key-switching decomposition at one level.
struct KeySwitchDigit {
  std::size_t begin = 0, end = 0;                  ///< the digit's primes: q_begin .. q_{end-1}
  std::vector<std::size_t> complement;             ///< indices in Q_l*P of every other prime, in order
  std::shared_ptr<const poly::RnsBase> source;     ///< the digit's primes
  std::shared_ptr<const poly::RnsBase> target;     ///< the complement's primes
  std::unique_ptr<poly::BaseConverter> mod_up;     ///< source -> target
};

/// Key-switching data of one level l.
struct KeySwitchLevel {
  std::vector<KeySwitchDigit> digits;              ///< non-empty digits at this level
  std::unique_ptr<poly::BaseConverter> mod_down;   ///< P -> Q_l
  std::vector<u64> p_inv_mod_q;                    ///< P^-1 mod q_i, i <= l
  std::vector<u64> p_mod_q;                        ///< P mod q_i, i <= l
};

class Context {
 public:
  /// Precompute everything for `params`. Building NTT tables costs a few
  /// milliseconds per prime.
  static std::shared_ptr<const Context> create(const Params& params);

  const Params& params() const noexcept { return params_; }
  std::size_t n() const noexcept { return params_.n(); }
  std::size_t slots() const noexcept { return params_.slots(); }
  std::size_t max_level() const noexcept { return params_.max_level(); }

  /// q_0 .. q_level. @throws std::out_of_range if level > max_level().
  const std::shared_ptr<const poly::RnsBase>& q_base(std::size_t level) const;
  /// q_0 .. q_level, then p_0 .. p_{k-1}. @throws std::out_of_range.
  const std::shared_ptr<const poly::RnsBase>& qp_base(std::size_t level) const;
  /// The special primes.
  const std::shared_ptr<const poly::RnsBase>& p_base() const noexcept { return p_base_; }
  /// Key-switching data at `level`. @throws std::out_of_range.
  const KeySwitchLevel& keyswitch(std::size_t level) const;

  /// The pool that polynomials over this context's bases (ciphertexts,
  /// plaintexts, temporaries of key switching; not the packed keys) draw their
  /// storage from. It keeps at most limit() bytes of freed blocks (2 GiB by
  /// default); set_limit(0) turns caching off and release() returns the cache
  /// to the system. It lives as long as the context or any such polynomial.
  const std::shared_ptr<poly::MemoryPool>& memory_pool() const noexcept { return pool_; }

  /// A 64-bit fingerprint of the parameters (N, primes, dnum, scale, secret):
  /// objects of equal fingerprint are interchangeable.
  u64 params_hash() const noexcept { return hash_; }

  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

 private:
  explicit Context(const Params& params);

  Params params_;
  std::shared_ptr<poly::MemoryPool> pool_;
  std::vector<std::shared_ptr<const poly::RnsBase>> q_bases_;
  std::vector<std::shared_ptr<const poly::RnsBase>> qp_bases_;
  std::shared_ptr<const poly::RnsBase> p_base_;
  std::vector<KeySwitchLevel> keyswitch_;
  u64 hash_ = 0;
};

}  // namespace tower::ckks
