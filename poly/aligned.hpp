// poly/aligned.hpp — 64-byte aligned storage for coefficient arrays.
//
// SIMD kernels load whole cache lines; an RNS polynomial keeps its limbs in one
// contiguous, 64-byte aligned block so every limb of N >= 8 words starts on a
// cache-line boundary.
#pragma once

#include <cstddef>
#include <cstdint>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

namespace tower::poly {

inline constexpr std::size_t kAlignment = 64;

/// A standard allocator whose blocks start on a 64-byte boundary.
template <class T>
struct AlignedAllocator {
  using value_type = T;
  AlignedAllocator() noexcept = default;
  template <class U>
  AlignedAllocator(const AlignedAllocator<U>&) noexcept {}

  T* allocate(std::size_t n) {
    if (n > static_cast<std::size_t>(-1) / sizeof(T)) throw std::bad_array_new_length();
    return static_cast<T*>(::operator new(n * sizeof(T), std::align_val_t{kAlignment}));
  }
  void deallocate(T* p, std::size_t) noexcept { ::operator delete(p, std::align_val_t{kAlignment}); }

  // Default-initialize on value-less construction: `AlignedVector v(n)` and
  // `resize(n)` leave words unwritten instead of zeroing them, which matters for
  // the large temporaries of key switching that are overwritten at once. Ask for
  // zeros explicitly (`assign(n, 0)`, `AlignedVector(n, 0)`).
  template <class U>
  void construct(U* p) noexcept(std::is_nothrow_default_constructible_v<U>) {
    ::new (static_cast<void*>(p)) U;
  }
  template <class U, class... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }

  template <class U>
  bool operator==(const AlignedAllocator<U>&) const noexcept {
    return true;
  }
};

/// A vector of 64-bit words, 64-byte aligned; `AlignedVector(n)` is uninitialized.
using AlignedVector = std::vector<std::uint64_t, AlignedAllocator<std::uint64_t>>;

}  // namespace tower::poly
