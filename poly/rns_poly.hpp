// poly/rns_poly.hpp — a polynomial in Z_Q[X]/(X^N + 1) in RNS form.
//
// Layout: size() limbs of n() words each, limb i (the residues mod q_i) at
// data() + i*n(), in one 64-byte aligned block. A form flag says whether the
// limbs hold coefficients or NTT evaluations (bit-reversed order); products need
// evaluation form. Every binary operation checks that bases and forms match and
// throws std::invalid_argument naming the operation otherwise: a mismatch is a
// caller's mistake that would otherwise give a silently wrong answer.
//
// Operations run over limbs with OpenMP (each limb is independent, so results
// do not depend on the thread count) and use the element-wise kernels of
// poly/eltwise.hpp on the current SIMD path.
#pragma once

#include <cstddef>
#include <memory>

#include "poly/aligned.hpp"
#include "poly/rns_base.hpp"

namespace tower::poly {

enum class PolyForm { coefficient, evaluation };

class RnsPoly {
 public:
  /// The zero polynomial over `base` in the given form.
  /// @throws std::invalid_argument if base is null.
  explicit RnsPoly(std::shared_ptr<const RnsBase> base, PolyForm form = PolyForm::coefficient);

  /// A polynomial whose words are not initialized, for results that are about
  /// to be overwritten in full (saves a pass over memory). Reading a word before
  /// writing it is a bug. @throws std::invalid_argument if base is null.
  static RnsPoly uninitialized(std::shared_ptr<const RnsBase> base, PolyForm form);

  const std::shared_ptr<const RnsBase>& base() const noexcept { return base_; }
  std::size_t n() const noexcept { return n_; }
  std::size_t size() const noexcept { return limbs_; }
  PolyForm form() const noexcept { return form_; }
  bool is_evaluation() const noexcept { return form_ == PolyForm::evaluation; }

  u64* limb(std::size_t i) noexcept { return data_.data() + i * n_; }
  const u64* limb(std::size_t i) const noexcept { return data_.data() + i * n_; }
  u64* data() noexcept { return data_.data(); }
  const u64* data() const noexcept { return data_.data(); }

  /// Set the form flag without transforming (for callers that filled the limbs
  /// themselves, e.g. a sampler writing evaluations directly).
  void set_form(PolyForm form) noexcept { form_ = form; }

  /// Forward NTT on every limb. @throws std::invalid_argument if already in evaluation form.
  void to_evaluation();
  /// Inverse NTT on every limb. @throws std::invalid_argument if already in coefficient form.
  void to_coefficient();
  /// This polynomial in coefficient form, as a new one (this is unchanged): the
  /// out-of-place inverse NTT reads these limbs directly, so it costs no more
  /// than to_coefficient() on a copy minus the copy.
  /// @throws std::invalid_argument if in coefficient form.
  RnsPoly coefficient_copy() const;

  /// this = this + other (same base and form). @throws std::invalid_argument on a mismatch.
  void add_inplace(const RnsPoly& other);
  /// this = this - other.
  void sub_inplace(const RnsPoly& other);
  /// this = -this.
  void negate_inplace();
  /// this = this * other, both in evaluation form.
  void mul_inplace(const RnsPoly& other);
  /// this = this + a * b, all three in evaluation form over the same base.
  void mul_add_inplace(const RnsPoly& a, const RnsPoly& b);
  /// this = this * c for an integer constant c (reduced mod each q_i); any form.
  void mul_scalar_inplace(u64 c);
  /// this = this * c_i on limb i (one constant per limb, each < q_i); any form.
  void mul_scalar_inplace(const u64* per_limb_constants);

  /// Keep the first `count` limbs (a CKKS level drop); the base becomes `base`,
  /// which must equal this base's prefix of that size.
  /// @throws std::invalid_argument if `base` is not that prefix.
  void drop_to(std::shared_ptr<const RnsBase> base);

  /// Bit-for-bit equality of base, form and every limb.
  bool operator==(const RnsPoly& other) const noexcept;

 private:
  struct Uninitialized {};
  RnsPoly(std::shared_ptr<const RnsBase> base, PolyForm form, Uninitialized);
  void check_compatible(const RnsPoly& other, const char* op) const;

  std::shared_ptr<const RnsBase> base_;
  std::size_t n_;
  std::size_t limbs_;
  PolyForm form_;
  AlignedVector data_;
};

RnsPoly operator+(RnsPoly a, const RnsPoly& b);
RnsPoly operator-(RnsPoly a, const RnsPoly& b);
RnsPoly operator*(RnsPoly a, const RnsPoly& b);

}  // namespace tower::poly
