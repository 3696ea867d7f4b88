// ckks/context.cpp — building the per-level bases and key-switching data.
#include "ckks/context.hpp"

#include <stdexcept>
#include <string>

namespace tower::ckks {
namespace {

void check_level(std::size_t level, std::size_t max, const char* who) {
  if (level > max) {
    throw std::out_of_range(std::string("ckks::Context::") + who + ": level " + std::to_string(level) +
                            " above the maximum " + std::to_string(max));
  }
}

}  // namespace

std::shared_ptr<const Context> Context::create(const Params& params) {
  return std::shared_ptr<const Context>(new Context(params));
}

Context::Context(const Params& params) : params_(params), pool_(std::make_shared<poly::MemoryPool>()) {
  const std::size_t n = params.n();
  const std::size_t k = params.q().size(), kp = params.p().size();
  std::vector<u64> all = params.q();
  all.insert(all.end(), params.p().begin(), params.p().end());
  // Builds every NTT table once; sub-bases share them and the pool.
  const poly::RnsBase key_base = poly::RnsBase(n, all).with_pool(pool_);

  std::vector<std::size_t> p_idx;
  for (std::size_t i = 0; i < kp; ++i) p_idx.push_back(k + i);
  p_base_ = std::make_shared<const poly::RnsBase>(key_base.select(p_idx));

  for (std::size_t level = 0; level < k; ++level) {
    std::vector<std::size_t> q_idx, qp_idx;
    for (std::size_t i = 0; i <= level; ++i) q_idx.push_back(i);
    qp_idx = q_idx;
    qp_idx.insert(qp_idx.end(), p_idx.begin(), p_idx.end());
    q_bases_.push_back(std::make_shared<const poly::RnsBase>(key_base.select(q_idx)));
    qp_bases_.push_back(std::make_shared<const poly::RnsBase>(key_base.select(qp_idx)));

    KeySwitchLevel ks;
    for (std::size_t j = 0; j < params.dnum(); ++j) {
      const std::size_t b = params.digit_start(j);
      const std::size_t e = std::min(params.digit_start(j + 1), level + 1);
      if (b >= e) continue;  // this digit's primes are all gone at this level
      KeySwitchDigit d;
      d.begin = b;
      d.end = e;
      std::vector<std::size_t> src, tgt_key;  // indices into key_base
      for (std::size_t i = b; i < e; ++i) src.push_back(i);
      for (std::size_t t = 0; t < qp_idx.size(); ++t) {
        const std::size_t i = qp_idx[t];
        if (i < b || i >= e) {
          d.complement.push_back(t);  // position within Q_l * P
          tgt_key.push_back(i);
        }
      }
      d.source = std::make_shared<const poly::RnsBase>(key_base.select(src));
      d.target = std::make_shared<const poly::RnsBase>(key_base.select(tgt_key));
      d.mod_up = std::make_unique<poly::BaseConverter>(d.source, d.target);
      ks.digits.push_back(std::move(d));
    }
    ks.mod_down = std::make_unique<poly::BaseConverter>(p_base_, q_bases_.back());
    for (std::size_t i = 0; i <= level; ++i) {
      const poly::Modulus& qi = key_base.modulus(i);
      u64 pm = 1;
      for (u64 p : params.p()) pm = qi.mul(pm, qi.reduce(p));
      ks.p_mod_q.push_back(pm);
      ks.p_inv_mod_q.push_back(qi.inv(pm));
    }
    keyswitch_.push_back(std::move(ks));
  }

  hash_ = params.hash();
}

const std::shared_ptr<const poly::RnsBase>& Context::q_base(std::size_t level) const {
  check_level(level, max_level(), "q_base");
  return q_bases_[level];
}

const std::shared_ptr<const poly::RnsBase>& Context::qp_base(std::size_t level) const {
  check_level(level, max_level(), "qp_base");
  return qp_bases_[level];
}

const KeySwitchLevel& Context::keyswitch(std::size_t level) const {
  check_level(level, max_level(), "keyswitch");
  return keyswitch_[level];
}

}  // namespace tower::ckks
