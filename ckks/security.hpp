// ckks/security.hpp — the HomomorphicEncryption.org security table.
//
// Albrecht et al., "Homomorphic Encryption Security Standard" (2018), Table 1,
// uniform ternary secrets, classical attacks: the largest log2(QP) for which a
// ring dimension N still gives 128, 192 or 256 bits of security. QP includes the
// special primes P of key switching, since key-switching keys are RLWE samples
// modulo QP. The N = 2^16 and 2^17 rows for 128 bits are the values OpenFHE and
// SEAL extrapolate (1747, 3523); the standard lists no 192/256-bit rows for them.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace tower::ckks {

enum class SecurityLevel {
  tc128,  ///< 128-bit classical (the default)
  tc192,
  tc256,
};

std::string_view to_string(SecurityLevel level) noexcept;

/// The largest log2(QP) allowed for ring dimension n at `level`, or nullopt if
/// the table has no row for that n and level.
std::optional<int> max_log_qp(std::size_t n, SecurityLevel level) noexcept;

}  // namespace tower::ckks
