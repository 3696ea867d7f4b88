// poly/aligned.hpp — 64-byte aligned storage for coefficient arrays.
//
// SIMD kernels load whole cache lines; an RNS polynomial keeps its limbs in one
// contiguous, 64-byte aligned block so every limb of N >= 8 words starts on a
// cache-line boundary.
//
// The allocator may draw from a MemoryPool (poly/memory_pool.hpp), which it
// keeps alive: a vector's blocks go back to the pool they came from, and a copy
// of the vector allocates from the same pool. Without a pool it is the C++ heap.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

#include "poly/memory_pool.hpp"

namespace tower::poly {

inline constexpr std::size_t kAlignment = 64;

/// A standard allocator whose blocks start on a 64-byte boundary, from `pool`
/// if one is given.
template <class T>
struct AlignedAllocator {
  using value_type = T;
  // Containers take their allocator (and so their pool) along when moved or
  // swapped, and a copy-assigned container takes the source's.
  using propagate_on_container_move_assignment = std::true_type;
  using propagate_on_container_copy_assignment = std::true_type;
  using propagate_on_container_swap = std::true_type;
  using is_always_equal = std::false_type;

  AlignedAllocator() noexcept = default;
  explicit AlignedAllocator(std::shared_ptr<MemoryPool> pool) noexcept : pool_(std::move(pool)) {}
  template <class U>
  AlignedAllocator(const AlignedAllocator<U>& other) noexcept : pool_(other.pool()) {}

  T* allocate(std::size_t n) {
    if (n > static_cast<std::size_t>(-1) / sizeof(T)) throw std::bad_array_new_length();
    return static_cast<T*>(allocate_bytes(pool_.get(), n * sizeof(T)));
  }
  void deallocate(T* p, std::size_t n) noexcept { deallocate_bytes(pool_.get(), p, n * sizeof(T)); }

  const std::shared_ptr<MemoryPool>& pool() const noexcept { return pool_; }

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
  bool operator==(const AlignedAllocator<U>& other) const noexcept {
    return pool_ == other.pool();
  }

 private:
  // 64-byte aligned bytes from `pool`, or from the heap when it is null.
  static void* allocate_bytes(MemoryPool* pool, std::size_t bytes);
  static void deallocate_bytes(MemoryPool* pool, void* p, std::size_t bytes) noexcept;

  std::shared_ptr<MemoryPool> pool_;
};

/// A vector of 64-bit words, 64-byte aligned; `AlignedVector(n)` is uninitialized.
using AlignedVector = std::vector<std::uint64_t, AlignedAllocator<std::uint64_t>>;

template <class T>
void* AlignedAllocator<T>::allocate_bytes(MemoryPool* pool, std::size_t bytes) {
  return pool ? pool->allocate(bytes) : ::operator new(bytes, std::align_val_t{kAlignment});
}

template <class T>
void AlignedAllocator<T>::deallocate_bytes(MemoryPool* pool, void* p, std::size_t bytes) noexcept {
  if (pool) {
    pool->deallocate(p, bytes);
  } else {
    ::operator delete(p, std::align_val_t{kAlignment});
  }
}

}  // namespace tower::poly
