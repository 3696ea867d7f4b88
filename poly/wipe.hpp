// poly/wipe.hpp — erase secret material from memory.
//
// sodium_memzero is a write the compiler may not optimize away; tower calls it on
// every buffer that held a secret key or secret-derived randomness before the
// buffer is freed or reused.
#pragma once

#include <cstddef>

#include "poly/rns_poly.hpp"

namespace tower::poly {

/// Overwrite `bytes` bytes at `p` with zeros, in a way the compiler keeps.
void secure_wipe(void* p, std::size_t bytes) noexcept;

/// Zero every limb of `x` (its base and form are kept).
inline void secure_wipe(RnsPoly& x) noexcept { secure_wipe(x.data(), x.n() * x.size() * sizeof(u64)); }

}  // namespace tower::poly
