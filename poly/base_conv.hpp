// poly/base_conv.hpp — moving RNS values between bases, and exact rescaling.
//
// Fast base conversion (Bajard, Eynard, Hasan, Zucca 2016, "BEHZ", section 2.2):
// for x in [0, Q) with residues x_i over Q = q_0..q_{k-1}, and a target base
// P = p_0..p_{l-1},
//     y_i = x_i * (Q/q_i)^-1 mod q_i,        x_{p_j} = sum_i y_i * (Q/q_i) mod p_j,
// costs k*l multiplications per coefficient and yields x + u*Q for some integer
// 0 <= u < k ("approximate"). Hybrid key switching tolerates that u: ModUp's
// extra u*Q is a small multiple of Q that the gadget absorbs, and ModDown divides
// it away (Han, Ki 2020; Lattigo ring/basis_extension.go, eprint 2018/117).
//
// The exact variant (Halevi, Polyakov, Shoup 2019, "An improved RNS variant of
// the BFV scheme", section 2.2) also computes v = round(sum_i y_i / q_i) in
// double precision and subtracts v*Q, giving exactly the centred representative
// of x (x if x < Q/2, else x - Q). The estimate errs only if x/Q lies within
// about k * 2^-52 of 1/2, which RLWE noise and CKKS messages never approach.
//
// divide_round_by_last_inplace is the exact division with rounding of CKKS
// rescaling (Cheon, Han, Kim, Kim, Song 2018, section 3.3): every coefficient c
// becomes round(c / q_last), computed limb by limb without big integers.
#pragma once

#include <memory>
#include <vector>

#include "poly/rns_base.hpp"
#include "poly/rns_poly.hpp"

namespace tower::poly {

namespace detail {
struct BaseConvPlan;
}  // namespace detail

/// Base conversion runs on the SIMD path chosen by poly::simd_path() (see
/// poly/base_conv_kernels.hpp); every path gives bit-identical results.
class BaseConverter {
 public:
  /// @throws std::invalid_argument if either base is null or their n differ.
  BaseConverter(std::shared_ptr<const RnsBase> from, std::shared_ptr<const RnsBase> to);

  const RnsBase& from() const noexcept { return *from_; }
  const RnsBase& to() const noexcept { return *to_; }

  /// Approximate conversion: `in` holds from().size() limbs of n coefficients
  /// (coefficient form, limb-major, residues in [0, q_i)), `out` (not aliasing
  /// `in`) receives to().size() limbs holding x + u*Q mod p_j, 0 <= u < from().size().
  void convert_approx(const u64* in, u64* out) const;

  /// Exact conversion to the centred representative (see the file comment).
  void convert_exact(const u64* in, u64* out) const;

  /// The exact conversion with lazy outputs: out_j holds a representative in
  /// [0, 4 p_j) — the input range of ntt_forward — of what convert_exact gives.
  /// From one source prime q below 8 p_j for every target this is a select and an
  /// add per coefficient: x itself below the exact kernels' rounding threshold
  /// (about q/2), else x - q + 4 p_j (the centred x - q lifted by 4 p_j);
  /// otherwise it is convert_exact (canonical outputs). ModDown with one special
  /// prime (SEAL's parameters) uses it.
  void convert_exact_lazy(const u64* in, u64* out) const;

  /// Whether convert_exact_lazy is the lift (one source prime below 8 p_j for
  /// every target), which can then be taken one target at a time.
  bool exact_lazy_is_lift() const noexcept { return lift_; }
  /// Target j of convert_exact_lazy alone: n words into out.
  /// @throws std::logic_error unless exact_lazy_is_lift(); std::out_of_range if j >= to().size().
  void convert_exact_lazy_target(const u64* in, u64* out, std::size_t j) const;

  /// RnsPoly front-ends. @throws std::invalid_argument if `in` is not in
  /// coefficient form over from().
  RnsPoly convert_approx(const RnsPoly& in) const;
  RnsPoly convert_exact(const RnsPoly& in) const;

 private:
  template <bool Exact>
  void convert(const u64* in, u64* out) const;
  void check_input(const RnsPoly& in, const char* op) const;

  std::shared_ptr<const RnsBase> from_, to_;
  std::shared_ptr<const detail::BaseConvPlan> plan_;  // constants of every path
  bool lift_ = false;       // see exact_lazy_is_lift
  u64 lift_threshold_ = 0;  // the lift adds 4 p_j - q to inputs above this
};

/// Rescale: replace x over base q_0..q_k (either form) by round(x / q_k) over
/// `lower` = q_0..q_{k-1}, in the same form. Rounds each coefficient of the
/// representative in [0, Q) to nearest, ties up.
/// @throws std::invalid_argument if `lower` is not x's base minus its last prime,
///         or x has a single limb.
void divide_round_by_last_inplace(RnsPoly& x, std::shared_ptr<const RnsBase> lower);

}  // namespace tower::poly
