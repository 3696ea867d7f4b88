// poly/memory_pool.hpp — a cache of large freed blocks, owned by whoever makes
// the polynomials (a ckks::Context owns one for all of its bases).
//
// Why: at N = 2^15 and 2^16 one limb is 256 or 512 KB and one ciphertext tens of
// MB, far above glibc's largest mmap threshold (32 MB) or its trim threshold, so
// a block freed at the end of one operation goes back to the kernel and the next
// operation's block of the same size is faulted in again, a page at a time, each
// page zeroed by the kernel. 16 hoisted rotations at the ResNet set took ~33k
// page faults per call that way (about 9% of the call, docs/benchmarks.md). The
// results of an operation are freed by the caller, so only a cache that outlives
// single calls removes them: SEAL's memory pool (MemoryManager) is one, never
// returning memory to the system; this one keeps at most limit() bytes.
//
// Blocks below min_block_bytes() bypass the pool (the C++ heap serves them
// well). A freed block is kept under its exact size and handed out again only
// for that size: the sizes of CKKS objects repeat (a limb, a ciphertext at one
// level), so exact matching wastes nothing. When keeping a block would pass the
// limit, the blocks freed longest ago are released first. Blocks are 64-byte
// aligned and come back uninitialized (with whatever a previous owner left:
// callers that hold secrets wipe them before freeing, see poly/wipe.hpp).
//
// Thread-safe: one mutex, taken once per allocation or free of a pooled block
// (a few per CKKS operation). Under AddressSanitizer cached blocks are poisoned,
// so a use after free is still reported.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>

// TOWER_ASAN: 1 when built with AddressSanitizer (GCC defines
// __SANITIZE_ADDRESS__, clang reports it through __has_feature).
#if defined(__SANITIZE_ADDRESS__)
#define TOWER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TOWER_ASAN 1
#endif
#endif
#ifndef TOWER_ASAN
#define TOWER_ASAN 0
#endif

namespace tower::poly {

class MemoryPool {
 public:
  /// Default limit on the bytes kept: 2 GiB.
  static constexpr std::size_t kDefaultLimit = std::size_t{2} << 30;
  /// Default size from which blocks are pooled: 256 KB (one limb at N = 2^15).
  static constexpr std::size_t kDefaultMinBlock = std::size_t{256} << 10;

  explicit MemoryPool(std::size_t limit = kDefaultLimit, std::size_t min_block = kDefaultMinBlock) noexcept
      : limit_(limit), min_block_(min_block) {}
  ~MemoryPool();
  MemoryPool(const MemoryPool&) = delete;
  MemoryPool& operator=(const MemoryPool&) = delete;

  /// A 64-byte aligned block of `bytes` (uninitialized): a cached one of that
  /// exact size if there is one, else a new one. @throws std::bad_alloc.
  void* allocate(std::size_t bytes);
  /// Returns a block from allocate(bytes) (same size). Kept for reuse if it is
  /// pooled and fits under the limit (older blocks are released to make room).
  void deallocate(void* p, std::size_t bytes) noexcept;

  /// Bytes held in cached (free) blocks.
  std::size_t cached_bytes() const;
  /// Blocks handed out from the cache / newly allocated (pooled sizes only).
  std::uint64_t hits() const;
  std::uint64_t misses() const;

  std::size_t limit() const;
  /// Changes the limit, releasing the oldest cached blocks above it; 0 turns
  /// caching off.
  void set_limit(std::size_t bytes);
  std::size_t min_block_bytes() const noexcept { return min_block_; }
  /// Releases every cached block to the system.
  void release();

 private:
  struct Entry {
    void* p;
    std::uint64_t seq;  // order of return: the smallest was freed longest ago
  };
  void trim_locked(std::size_t target) noexcept;

  mutable std::mutex mu_;
  std::multimap<std::size_t, Entry> free_;  // by block size
  std::size_t cached_ = 0;
  std::size_t limit_;
  const std::size_t min_block_;
  std::uint64_t seq_ = 0, hits_ = 0, misses_ = 0;
};

}  // namespace tower::poly
