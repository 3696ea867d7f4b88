// ckks/encoder.hpp — the canonical embedding: vectors of N/2 complex numbers to
// integer polynomials and back.
//
// CKKS encodes z in C^(N/2) as the real polynomial m(X) of degree < N whose
// evaluations at the primitive 2N-th roots zeta^(5^j) (j < N/2) are z_j, scaled by
// Delta and rounded: the conjugate roots zeta^(-5^j) take the conjugates, which is
// what makes m real (Cheon, Kim, Kim, Song 2017, section 3.1). The slot order by
// powers of 5 is what turns the automorphism X -> X^5 into a rotation by one
// slot. Both directions use the "special FFT", an O(N log N) FFT over that
// rotation group (HEAAN's fftSpecial / fftSpecialInv).
//
// Precision: encoding rounds to integers (error 1/2 per coefficient, so about
// sqrt(N)/Delta per slot); the FFT adds about log2(N) * 2^-53 relative error.
#pragma once

#include <complex>
#include <memory>
#include <vector>

#include "ckks/context.hpp"
#include "ckks/plaintext.hpp"

namespace tower::ckks {

class Encoder {
 public:
  /// Precompute the roots and the rotation group for the context's N.
  explicit Encoder(std::shared_ptr<const Context> context);

  const std::shared_ptr<const Context>& context() const noexcept { return context_; }
  std::size_t slots() const noexcept { return context_->slots(); }

  /// Encode up to N/2 complex values (missing slots are 0) at `level` and `scale`.
  /// Slot j is the evaluation at zeta^(5^j), so the automorphism X -> X^5 (Galois
  /// element 5) rotates the slots left by one and 2N-1 conjugates them.
  /// The result is in evaluation form.
  /// @throws std::invalid_argument if values.size() > N/2, scale < 1 or not
  ///         finite, a value is not finite, or a scaled value exceeds 2^1000 in
  ///         magnitude (it could not be represented meaningfully);
  ///         std::out_of_range for a bad level.
  Plaintext encode(const std::vector<std::complex<double>>& values, std::size_t level, double scale) const;
  /// Encode real values (imaginary parts 0).
  Plaintext encode(const std::vector<double>& values, std::size_t level, double scale) const;
  /// Encode the same constant in every slot, without an FFT (the constant
  /// polynomial a + b X^(N/2), since X^(N/2) evaluates to i in every slot).
  Plaintext encode_constant(std::complex<double> value, std::size_t level, double scale) const;

  /// Advanced: encode into any RNS base of this ring dimension (e.g. Q_l * P for
  /// products accumulated in the extended basis of key switching), evaluation form.
  /// @throws as encode, or if the base has another n.
  poly::RnsPoly encode_to_base(const std::vector<std::complex<double>>& values,
                               const std::shared_ptr<const poly::RnsBase>& base, double scale) const;

  /// Decode all N/2 slots: every coefficient is reconstructed exactly to its
  /// centred integer in (-Q_l/2, Q_l/2], divided by the plaintext's scale, and
  /// evaluated by the special FFT. @throws std::invalid_argument if the plaintext
  /// belongs to another context (different params_hash()).
  std::vector<std::complex<double>> decode(const Plaintext& plain) const;
  /// Decode the real parts.
  std::vector<double> decode_real(const Plaintext& plain) const;

 private:
  /// Exact CRT reconstruction data of one level l >= 1 (k = l + 1 primes):
  /// x = sum_i y_i (Q/q_i) - v Q with y_i = x_i (Q/q_i)^-1 mod q_i, in w words.
  struct LevelCrt {
    std::size_t k = 0, w = 0;          // primes; words of the accumulator (words of Q, plus one)
    std::vector<u64> qhat_t;           // word r of Q/q_i at [r*k + i]
    std::vector<u64> q, half;          // Q and (Q-1)/2, w words
    std::vector<u64> primes, qhat_inv, qhat_inv_shoup;
    std::vector<double> inv_q;         // 1/q_i, for the estimate v = round(sum_i y_i / q_i)
    // The fast path (|x| < 2^127): Q/q_i and Q mod 2^128, min((Q-1)/2, 2^128-1),
    // and for checking a candidate mod q_i: 2^64 mod q_i with its Shoup
    // companion, and floor(2^64 / q_i) (the Shoup companion of 1).
    std::vector<poly::u128> qhat_lo;
    poly::u128 q_lo = 0, half_lo = 0;
    std::vector<u64> two64_mod, two64_shoup, one_shoup;
  };

  /// In place, N/2 values: v_k -> sum_k v_k zeta^(5^j k) (decoding; HEAAN's fftSpecial).
  void fft_special(std::complex<double>* vals) const;
  /// Its inverse, including the division by N/2 (encoding; HEAAN's fftSpecialInv).
  void fft_special_inv(std::complex<double>* vals) const;

  std::shared_ptr<const Context> context_;
  std::vector<std::size_t> rot_group_;              // 5^j mod 2N, j < N/2
  std::vector<std::complex<double>> roots_;         // zeta^k, k = 0..2N (zeta = e^(i pi / N))
  std::vector<std::complex<double>> fwd_twiddles_;  // per FFT stage of half-length h: [h, 2h) (see the constructor)
  std::vector<std::complex<double>> inv_twiddles_;  // their conjugates, for fft_special_inv
  std::vector<LevelCrt> crt_;                       // per level (entry 0 unused)
};

}  // namespace tower::ckks
