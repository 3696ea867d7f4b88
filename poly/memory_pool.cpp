// poly/memory_pool.cpp — see memory_pool.hpp.
#include "poly/memory_pool.hpp"

#include <new>

#include "poly/aligned.hpp"

#if TOWER_ASAN
#include <sanitizer/asan_interface.h>
#define TOWER_POOL_POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define TOWER_POOL_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define TOWER_POOL_POISON(p, n) ((void)(p), (void)(n))
#define TOWER_POOL_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

namespace tower::poly {
namespace {

void* new_block(std::size_t bytes) { return ::operator new(bytes, std::align_val_t{kAlignment}); }
void delete_block(void* p) noexcept { ::operator delete(p, std::align_val_t{kAlignment}); }

}  // namespace

MemoryPool::~MemoryPool() { release(); }

void* MemoryPool::allocate(std::size_t bytes) {
  if (bytes < min_block_) return new_block(bytes);
  {
    const std::lock_guard<std::mutex> lock(mu_);
    const auto it = free_.find(bytes);
    if (it != free_.end()) {
      void* p = it->second.p;
      free_.erase(it);
      cached_ -= bytes;
      ++hits_;
      TOWER_POOL_UNPOISON(p, bytes);
      return p;
    }
    ++misses_;
  }
  return new_block(bytes);  // outside the lock: the system call may be slow
}

void MemoryPool::deallocate(void* p, std::size_t bytes) noexcept {
  if (p == nullptr) return;
  if (bytes >= min_block_) {
    const std::lock_guard<std::mutex> lock(mu_);
    if (bytes <= limit_) {
      trim_locked(limit_ - bytes);
      try {
        free_.emplace(bytes, Entry{p, seq_});  // may fail to allocate its node: then free the block
      } catch (...) {
        delete_block(p);
        return;
      }
      ++seq_;
      cached_ += bytes;
      TOWER_POOL_POISON(p, bytes);
      return;
    }
  }
  delete_block(p);
}

// Releases the blocks freed longest ago until at most `target` bytes are cached.
// A linear scan per released block: the cache holds tens of blocks, not thousands.
void MemoryPool::trim_locked(std::size_t target) noexcept {
  while (cached_ > target) {
    auto oldest = free_.begin();
    for (auto it = free_.begin(); it != free_.end(); ++it) {
      if (it->second.seq < oldest->second.seq) oldest = it;
    }
    TOWER_POOL_UNPOISON(oldest->second.p, oldest->first);
    delete_block(oldest->second.p);
    cached_ -= oldest->first;
    free_.erase(oldest);
  }
}

std::size_t MemoryPool::cached_bytes() const {
  const std::lock_guard<std::mutex> lock(mu_);
  return cached_;
}

std::uint64_t MemoryPool::hits() const {
  const std::lock_guard<std::mutex> lock(mu_);
  return hits_;
}

std::uint64_t MemoryPool::misses() const {
  const std::lock_guard<std::mutex> lock(mu_);
  return misses_;
}

std::size_t MemoryPool::limit() const {
  const std::lock_guard<std::mutex> lock(mu_);
  return limit_;
}

void MemoryPool::set_limit(std::size_t bytes) {
  const std::lock_guard<std::mutex> lock(mu_);
  limit_ = bytes;
  trim_locked(bytes);
}

void MemoryPool::release() {
  const std::lock_guard<std::mutex> lock(mu_);
  trim_locked(0);
}

}  // namespace tower::poly
