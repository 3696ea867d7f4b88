// ckks/plaintext.hpp — an encoded message: one RNS polynomial with a level and scale.
//
// A plaintext at level l holds the integer polynomial round(Delta * m(X)) modulo
// q_0..q_l, in evaluation (NTT) form, ready to be added to or multiplied with a
// ciphertext at the same level. Tower reuse: a plaintext encoded at level l serves
// every lower level by dropping towers (drop_to_level), with no re-encoding.
#pragma once

#include <memory>

#include "ckks/context.hpp"
#include "poly/rns_poly.hpp"

namespace tower::ckks {

class Plaintext {
 public:
  /// The zero plaintext at `level` with `scale`, in evaluation form.
  /// @throws std::out_of_range if level > max level.
  Plaintext(std::shared_ptr<const Context> context, std::size_t level, double scale)
      : context_(std::move(context)),
        poly_(context_->q_base(level), poly::PolyForm::evaluation),
        scale_(scale) {}

  /// A plaintext from an encoded polynomial over a level base of `context`
  /// (evaluation form). @throws std::invalid_argument otherwise.
  Plaintext(std::shared_ptr<const Context> context, poly::RnsPoly poly, double scale);

  const std::shared_ptr<const Context>& context() const noexcept { return context_; }
  std::size_t level() const noexcept { return poly_.size() - 1; }
  double scale() const noexcept { return scale_; }
  void set_scale(double scale) noexcept { scale_ = scale; }
  poly::RnsPoly& poly() noexcept { return poly_; }
  const poly::RnsPoly& poly() const noexcept { return poly_; }

  /// Keep towers q_0..q_level (tower reuse). @throws std::invalid_argument if level > this->level().
  void drop_to_level(std::size_t level);

 private:
  std::shared_ptr<const Context> context_;
  poly::RnsPoly poly_;
  double scale_;
};

}  // namespace tower::ckks
