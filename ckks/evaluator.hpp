// ckks/evaluator.hpp — homomorphic arithmetic on CKKS ciphertexts.
//
// Every operation has an out-of-place form returning a new ciphertext and an
// `_inplace` form; both run the same checks (check_binary_operands in
// evaluator.cpp): operands must come from this evaluator's context, be in
// evaluation form, and agree in level and scale. A mismatch is an error naming
// both values, unless the Evaluator was built with auto_align_levels, in which
// case the higher operand is dropped to the lower level first (dropping towers,
// never spending a multiplication). Scales are never aligned silently: they are
// "equal" when they differ by less than a relative 2^-40.
//
// Scale tracking is exact: a product's scale is the product of the scales, a
// rescale divides by the prime it drops, a constant encoded at scale s multiplies
// the scale by s. A product whose scale would reach the modulus is refused (the
// result could not be decrypted).
#pragma once

#include <complex>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "ckks/ciphertext.hpp"
#include "ckks/galois.hpp"
#include "ckks/keys.hpp"
#include "ckks/plaintext.hpp"

namespace tower::ckks {

struct Decomposed;  // ckks/keyswitch.hpp

struct EvaluatorOptions {
  /// Drop the higher-level operand of a binary operation to the lower level
  /// instead of throwing. In an `_inplace` operation the left operand is the
  /// result, so it may come back at the lower level; the right operand is
  /// never modified (a dropped copy is used).
  bool auto_align_levels = false;
};

class Evaluator {
 public:
  /// @throws std::invalid_argument for a null context.
  explicit Evaluator(std::shared_ptr<const Context> context, EvaluatorOptions options = {});

  const std::shared_ptr<const Context>& context() const noexcept { return context_; }

  /// a + b. @throws std::invalid_argument on a context, size, level or scale mismatch.
  Ciphertext add(const Ciphertext& a, const Ciphertext& b) const;
  void add_inplace(Ciphertext& a, const Ciphertext& b) const;
  /// a - b. @throws as add.
  Ciphertext sub(const Ciphertext& a, const Ciphertext& b) const;
  void sub_inplace(Ciphertext& a, const Ciphertext& b) const;
  /// -a.
  Ciphertext negate(const Ciphertext& a) const;
  void negate_inplace(Ciphertext& a) const;

  /// a + p, a - p. A plaintext above a's level is used through its first towers.
  /// @throws std::invalid_argument on a context or scale mismatch, or a plaintext
  ///         below a's level (unless auto_align_levels).
  Ciphertext add_plain(const Ciphertext& a, const Plaintext& p) const;
  void add_plain_inplace(Ciphertext& a, const Plaintext& p) const;
  Ciphertext sub_plain(const Ciphertext& a, const Plaintext& p) const;
  void sub_plain_inplace(Ciphertext& a, const Plaintext& p) const;

  /// a + c in every slot, c real, encoded at a's scale (no level used).
  /// @throws std::invalid_argument if c * scale is not finite or exceeds 2^1000.
  Ciphertext add_const(const Ciphertext& a, double c) const;
  void add_const_inplace(Ciphertext& a, double c) const;

  /// a * p (component-wise by the plaintext polynomial); scale a.scale * p.scale.
  /// @throws std::invalid_argument on a context or level mismatch, or if the
  ///         product's scale would reach the modulus.
  Ciphertext multiply_plain(const Ciphertext& a, const Plaintext& p) const;
  void multiply_plain_inplace(Ciphertext& a, const Plaintext& p) const;

  /// a * c for a real constant c encoded as round(c * const_scale); the scale
  /// becomes a.scale * const_scale. With const_scale = 0 (default) the constant is
  /// encoded at the last prime of a's level, so a following rescale restores a's
  /// scale exactly. @throws std::invalid_argument as multiply_plain, or if
  /// c * const_scale is not finite.
  Ciphertext multiply_const(const Ciphertext& a, double c, double const_scale = 0) const;
  void multiply_const_inplace(Ciphertext& a, double c, double const_scale = 0) const;

  /// a * k for an integer k: no scale change, no level used.
  Ciphertext multiply_integer(const Ciphertext& a, std::int64_t k) const;
  void multiply_integer_inplace(Ciphertext& a, std::int64_t k) const;

  /// a * b for two 2-component ciphertexts: 3 components (c0, c1, c2) decrypting
  /// under (1, s, s^2); scale a.scale * b.scale. Relinearize next.
  /// @throws std::invalid_argument on a mismatch (as add), if either operand has 3
  ///         components, or if the product's scale would reach the modulus.
  Ciphertext multiply(const Ciphertext& a, const Ciphertext& b) const;
  void multiply_inplace(Ciphertext& a, const Ciphertext& b) const;
  /// a * a, saving one polynomial product. @throws as multiply.
  Ciphertext square(const Ciphertext& a) const;
  void square_inplace(Ciphertext& a) const;

  /// 3 components -> 2 with the relinearization key (hybrid key switching of c2).
  /// @throws std::invalid_argument if a does not have 3 components or the key is
  ///         of another context.
  Ciphertext relinearize(const Ciphertext& a, const RelinKey& key) const;
  void relinearize_inplace(Ciphertext& a, const RelinKey& key) const;
  /// multiply then relinearize.
  Ciphertext multiply_relin(const Ciphertext& a, const Ciphertext& b, const RelinKey& key) const;

  /// Divide by the last prime q_l with rounding and drop it: level l -> l-1,
  /// scale / q_l. @throws std::invalid_argument at level 0.
  Ciphertext rescale(const Ciphertext& a) const;
  void rescale_inplace(Ciphertext& a) const;

  // ---- Rotations (evaluator_rotate.cpp) ----

  /// Rotate the slots left by `step` (negative: right): slot j receives slot
  /// j + step. Uses the key of that step if `keys` holds it; otherwise, if
  /// allow_composition, composes the rotation from held keys: the non-adjacent
  /// form (signed powers of two) or the plain binary form of the step or of
  /// step - N/2, whichever has all its keys and needs the fewest switches. `key_switches`, if given, receives the number of key
  /// switches used. @throws std::invalid_argument if a needed key is missing
  /// (naming the step), the ciphertext has 3 components, a key is of another
  /// context or was generated for a lower level.
  Ciphertext rotate(const Ciphertext& a, std::int64_t step, const GaloisKeys& keys, bool allow_composition = true,
                    std::size_t* key_switches = nullptr) const;
  void rotate_inplace(Ciphertext& a, std::int64_t step, const GaloisKeys& keys, bool allow_composition = true,
                      std::size_t* key_switches = nullptr) const;
  /// Complex conjugation of every slot. @throws as rotate (no composition).
  Ciphertext conjugate(const Ciphertext& a, const GaloisKeys& keys) const;
  /// Apply the automorphism of one Galois element, then switch back to s with its key.
  Ciphertext apply_galois(const Ciphertext& a, u64 galois_element, const GaloisKeys& keys) const;

  /// Rotations of one ciphertext by several steps sharing one decomposition of
  /// c_1 (hoisting, Halevi–Shoup 2018, section 5): one ModUp, then per step an
  /// inner product with that step's key (stored permuted by sigma^-1, so the
  /// digits themselves are never permuted), a ModDown and the automorphism of the
  /// result over Q_l. Every step needs its own key (step 0 returns a copy).
  /// @throws as rotate without composition.
  std::vector<Ciphertext> rotate_hoisted(const Ciphertext& a, const std::vector<std::int64_t>& steps,
                                         const GaloisKeys& keys) const;

  /// Sum over a block: slot j receives a_j + a_{j+1} + ... + a_{j+block-1}
  /// (indices mod N/2), with log2(block) rotations by 1, 2, 4, ... (keys needed
  /// for those steps). @throws std::invalid_argument if block is not a power of
  /// two in [1, N/2], or as rotate.
  Ciphertext rotate_and_sum(const Ciphertext& a, std::size_t block, const GaloisKeys& keys) const;
  /// Replicate: slot j receives sum_t a_{j - t*block} over t < N/(2 block), so a
  /// vector held in slots [0, block) (zeros elsewhere) is copied into every
  /// block. Rotations by -block, -2 block, -4 block, ... @throws as rotate_and_sum.
  Ciphertext replicate(const Ciphertext& a, std::size_t block, const GaloisKeys& keys) const;

  /// Drop towers down to `level` without dividing (tower reuse; the scale is
  /// unchanged). @throws std::invalid_argument if level > a.level().
  Ciphertext drop_to_level(const Ciphertext& a, std::size_t level) const;
  void drop_to_level_inplace(Ciphertext& a, std::size_t level) const;

 private:
  void check_ciphertext(const Ciphertext& a, const char* op) const;
  /// The checks of every binary operation. Returns b, or (auto_align_levels) b
  /// dropped to a's level and kept in `store`; drops `a` itself if it is higher.
  const Ciphertext& check_binary_operands(Ciphertext& a, const Ciphertext& b, std::optional<Ciphertext>& store,
                                          const char* op, bool check_scale) const;
  /// The same for a plaintext operand. A plaintext above a's level is always used
  /// through its first towers (tower reuse: its value is unchanged).
  const Plaintext& check_plain_operand(Ciphertext& a, const Plaintext& p, std::optional<Plaintext>& store,
                                       const char* op, bool check_scale) const;
  void check_product_scale(double scale, std::size_t level, const char* op) const;
  void check_relinearize(const Ciphertext& a, const RelinKey& key) const;

  std::shared_ptr<const Context> context_;
  EvaluatorOptions options_;
};

}  // namespace tower::ckks
