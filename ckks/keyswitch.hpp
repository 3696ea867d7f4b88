// ckks/keyswitch.hpp — hybrid key switching (Han, Ki 2020, "Better bootstrapping
// for approximate homomorphic encryption", section 3), the operation behind
// relinearization and rotations.
//
// Given c over Q_l (evaluation form) and a key (b_j, a_j) from s' to s, it returns
// (d_0, d_1) over Q_l with d_0 + d_1 s ~ c s'. Three steps:
//  1. decompose (ModUp): split the l+1 primes into the digits of the context; for
//     digit j, the residues [c]_{Q_j} are extended to all of Q_l * P by fast base
//     conversion (the digit's own limbs are copied, the others converted and
//     NTT'd);
//  2. inner product: sum_j ext_j * (b_j, a_j) over Q_l * P — "lazy": no ModDown,
//     and one modular reduction per output coefficient (poly/dot.hpp);
//  3. ModDown: divide by P with rounding, back to Q_l:
//     d = (x_Q - Conv_{P->Q}(x_P)) * P^-1, with the exact (centred) conversion
//     so the rounding is unbiased.
// Splitting the steps lets rotations share one decomposition among many keys
// (hoisting) and linear transforms accumulate in Q_l * P before one ModDown. A
// single switch instead streams all three steps tower by tower (key_switch),
// never holding the dnum extensions in evaluation form, nor its inner products.
//
// Cost at level l with dnum digits of alpha primes and k special primes (n-point
// NTTs are the unit): INTT of c (l+1), per digit NTTs of the converted limbs
// (l+1+k-alpha each, dnum of them), ModDown INTT of 2k limbs and NTT of 2(l+1);
// base conversions of about dnum*alpha*(l+1+k) + 2k(l+1) products per
// coefficient; inner product 2*dnum*(l+1+k) products per coefficient, reading a
// key of 2*dnum*(L+1+k)*N words. Larger dnum: smaller P (more of the security
// budget left for Q) but more NTTs and a larger key; dnum = 1 is cheapest but
// needs P > Q.
#pragma once

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "ckks/context.hpp"
#include "ckks/keys.hpp"
#include "poly/rns_poly.hpp"

namespace tower::ckks {

/// The ModUp of one polynomial: one extension over Q_l * P per digit, evaluation form.
struct Decomposed {
  std::size_t level = 0;
  std::vector<poly::RnsPoly> digits;
};

/// Step 1. c: evaluation form over Q_l for some l.
/// @throws std::invalid_argument if c is not in evaluation form over a level base of `context`.
Decomposed decompose(const Context& context, const poly::RnsPoly& c);

/// Step 2: acc0 += sum_j d_j * b_j, acc1 += sum_j d_j * a_j over Q_l * P
/// (acc0, acc1 are over context.qp_base(d.level), evaluation form).
/// @throws std::invalid_argument if the key has fewer digits than d or another context.
void inner_product_lazy(const Context& context, const Decomposed& d, const KeySwitchKey& key, poly::RnsPoly& acc0,
                        poly::RnsPoly& acc1);

/// Step 2 into fresh accumulators: returns (sum_j d_j * b_j, sum_j d_j * a_j),
/// initialized by the first digit's product (no zero-fill).
/// @throws as inner_product_lazy.
std::pair<poly::RnsPoly, poly::RnsPoly> inner_product(const Context& context, const Decomposed& d, const KeySwitchKey& key);

/// Step 2 for several keys at once (hoisting): element i is inner_product(d, *keys[i]),
/// bit for bit, but every key's dot products are taken over a cache-sized chunk of
/// the decomposition in turn, so the decomposition is read from memory once
/// rather than once per key. Holds 2 * keys.size() polynomials over Q_l * P.
/// @throws std::invalid_argument as inner_product, or if a key is null.
std::vector<std::pair<poly::RnsPoly, poly::RnsPoly>> inner_products(const Context& context, const Decomposed& d,
                                                                    std::span<const KeySwitchKey* const> keys);

/// Step 3: x over Q_l * P (evaluation form) -> round(x / P) over Q_l (evaluation form).
poly::RnsPoly mod_down(const Context& context, const poly::RnsPoly& x, std::size_t level);

/// Step 3 fused with what follows it in relinearization and rotations:
/// sigma(round(x / P) + addend) over Q_l, where the addend (over Q_l, evaluation
/// form) is skipped when null and sigma is the evaluation-form slot permutation
/// `perm` (poly::automorphism_eval_permutation), the identity when null. Each
/// limb is finished while it is in cache: no extra pass over the result.
/// @throws std::invalid_argument on a mismatched input, addend or permutation.
poly::RnsPoly mod_down(const Context& context, const poly::RnsPoly& x, std::size_t level, const poly::RnsPoly* addend,
                       const std::vector<std::uint32_t>* perm);

/// Steps 2 and 3 for several keys of one decomposition (hoisted rotations):
/// element i is (sigma_i(round(sum_j d_j b_ij / P) + addend), sigma_i(round(sum_j d_j a_ij / P)))
/// over Q_l, bit-identical to mod_down(inner_product(d, *keys[i]), addend, perms[i]) and
/// its second half, where sigma_i is the slot permutation perms[i] (identity when
/// null) and the addend is skipped when null. Each tower of Q_l is finished while
/// in cache, so the inner products over Q_l * P never go to memory.
/// @throws std::invalid_argument as inner_products and mod_down, or if perms.size() != keys.size().
std::vector<std::pair<poly::RnsPoly, poly::RnsPoly>> key_switch_hoisted(
    const Context& context, const Decomposed& d, std::span<const KeySwitchKey* const> keys,
    std::span<const std::vector<std::uint32_t>* const> perms, const poly::RnsPoly* addend);

/// Steps 1 and 2 streamed, for a single switch: (sum_j ext_j * b_j, sum_j ext_j * a_j)
/// over Q_l * P (evaluation form) without materializing the decomposition;
/// bit-identical to inner_product(decompose(c), key).
/// @throws std::invalid_argument as key_switch.
std::pair<poly::RnsPoly, poly::RnsPoly> mod_up_inner_product(const Context& context, const poly::RnsPoly& c,
                                                             const KeySwitchKey& key);

/// All three: (d0, d1) with d0 + d1 s ~ c s', fused with what follows in
/// relinearization and rotations as in mod_down: returns
/// (sigma(d0 + addend0), sigma(d1 + addend1)), each addend (over Q_l, evaluation
/// form) skipped when null, sigma the slot permutation `perm` (identity when
/// null). Bit-identical to mod_down(mod_up_inner_product(c, key), addend, perm)
/// for each half, but each tower of Q_l is finished right after its inner
/// products, while they are in cache (the P towers come first).
/// @throws std::invalid_argument if c is not in evaluation form over a level base,
///         the key belongs to another context or was generated for a lower level,
///         or an addend or the permutation does not match.
std::pair<poly::RnsPoly, poly::RnsPoly> key_switch(const Context& context, const poly::RnsPoly& c,
                                                   const KeySwitchKey& key, const poly::RnsPoly* addend0 = nullptr,
                                                   const poly::RnsPoly* addend1 = nullptr,
                                                   const std::vector<std::uint32_t>* perm = nullptr);

}  // namespace tower::ckks
