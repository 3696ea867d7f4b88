// poly/wipe.cpp — libsodium's guaranteed zeroing.
#include "poly/wipe.hpp"

#include <sodium.h>

namespace tower::poly {

void secure_wipe(void* p, std::size_t bytes) noexcept {
  if (p != nullptr && bytes != 0) sodium_memzero(p, bytes);
}

}  // namespace tower::poly
