// ckks/ciphertext.hpp — an RLWE ciphertext: 2 (or, after a product, 3) polynomials.
//
// (c_0, c_1, ..., c_{k-1}) decrypts to c_0 + c_1 s + c_2 s^2 + ... modulo
// Q_l = q_0..q_l; the result is Delta * m + e. Components are kept in evaluation
// (NTT) form. The scale Delta is tracked exactly as a double: products multiply
// scales, rescaling divides by the dropped prime.
#pragma once

#include <memory>
#include <vector>

#include "ckks/context.hpp"
#include "poly/rns_poly.hpp"

namespace tower::ckks {

class Ciphertext {
 public:
  /// A zero ciphertext with `size` components (2 or 3) at `level`.
  /// @throws std::out_of_range if level > max level; std::invalid_argument if size is not 2 or 3.
  Ciphertext(std::shared_ptr<const Context> context, std::size_t level, double scale, std::size_t size = 2);

  /// A ciphertext from its components (2 or 3 polynomials over the same level
  /// base of `context`, evaluation form).
  /// @throws std::invalid_argument if the count, bases or forms are wrong.
  Ciphertext(std::shared_ptr<const Context> context, std::vector<poly::RnsPoly> components, double scale);

  const std::shared_ptr<const Context>& context() const noexcept { return context_; }
  std::size_t level() const noexcept { return polys_.front().size() - 1; }
  double scale() const noexcept { return scale_; }
  void set_scale(double scale) noexcept { scale_ = scale; }
  /// Number of components: 2, or 3 after a product before relinearization.
  std::size_t size() const noexcept { return polys_.size(); }
  poly::RnsPoly& operator[](std::size_t i) noexcept { return polys_[i]; }
  const poly::RnsPoly& operator[](std::size_t i) const noexcept { return polys_[i]; }
  std::vector<poly::RnsPoly>& polys() noexcept { return polys_; }
  const std::vector<poly::RnsPoly>& polys() const noexcept { return polys_; }

 private:
  std::shared_ptr<const Context> context_;
  std::vector<poly::RnsPoly> polys_;
  double scale_;
};

}  // namespace tower::ckks
