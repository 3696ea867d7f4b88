// The memory pool: reuse of freed blocks by exact size, the limit (oldest
// released first), the small-block bypass, sharing across threads, and the
// allocator and RnsPoly that draw from it.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <thread>
#include <vector>

#include "poly/aligned.hpp"
#include "poly/memory_pool.hpp"
#include "poly/primes.hpp"
#include "poly/rns_base.hpp"
#include "poly/rns_poly.hpp"

namespace tower::poly {
namespace {

constexpr std::size_t kMB = std::size_t{1} << 20;

TEST(PolyMemoryPool, AFreedBlockServesTheNextRequestOfItsSize) {
  MemoryPool pool;
  void* p = pool.allocate(kMB);
  ASSERT_EQ(reinterpret_cast<std::uintptr_t>(p) % kAlignment, 0u);
  std::memset(p, 0xab, kMB);
  EXPECT_EQ(pool.misses(), 1u);
  pool.deallocate(p, kMB);
  EXPECT_EQ(pool.cached_bytes(), kMB);
  void* other = pool.allocate(2 * kMB);  // another size: not served from the cache
  EXPECT_EQ(pool.misses(), 2u);
  EXPECT_EQ(pool.hits(), 0u);
  void* q = pool.allocate(kMB);
  EXPECT_EQ(q, p);
  EXPECT_EQ(pool.hits(), 1u);
  EXPECT_EQ(pool.cached_bytes(), 0u);
  pool.deallocate(q, kMB);
  pool.deallocate(other, 2 * kMB);
  EXPECT_EQ(pool.cached_bytes(), 3 * kMB);
  pool.release();
  EXPECT_EQ(pool.cached_bytes(), 0u);
}

TEST(PolyMemoryPool, SmallBlocksBypassTheCache) {
  MemoryPool pool(MemoryPool::kDefaultLimit, 4096);
  void* p = pool.allocate(1024);
  ASSERT_EQ(reinterpret_cast<std::uintptr_t>(p) % kAlignment, 0u);
  pool.deallocate(p, 1024);
  EXPECT_EQ(pool.cached_bytes(), 0u);
  EXPECT_EQ(pool.misses() + pool.hits(), 0u);
}

TEST(PolyMemoryPool, TheLimitKeepsTheBlocksFreedLast) {
  MemoryPool pool(3 * kMB, 4096);
  std::vector<void*> blocks;
  for (int i = 0; i < 4; ++i) blocks.push_back(pool.allocate(kMB));
  void* big = pool.allocate(2 * kMB);
  for (void* b : blocks) pool.deallocate(b, kMB);
  EXPECT_EQ(pool.cached_bytes(), 3 * kMB);  // the first block freed went to the system
  pool.deallocate(big, 2 * kMB);            // room is made by releasing the two oldest
  EXPECT_EQ(pool.cached_bytes(), 3 * kMB);
  const auto hits = pool.hits();
  void* a = pool.allocate(kMB);  // one 1 MB block is left
  EXPECT_EQ(pool.hits(), hits + 1);
  void* b = pool.allocate(kMB);
  EXPECT_EQ(pool.hits(), hits + 1);  // ... and only one
  void* c = pool.allocate(2 * kMB);
  EXPECT_EQ(pool.hits(), hits + 2);
  pool.deallocate(a, kMB);
  pool.deallocate(b, kMB);
  pool.deallocate(c, 2 * kMB);
  pool.set_limit(kMB);
  EXPECT_LE(pool.cached_bytes(), kMB);
  pool.set_limit(0);  // caching off
  EXPECT_EQ(pool.cached_bytes(), 0u);
  void* d = pool.allocate(kMB);
  pool.deallocate(d, kMB);
  EXPECT_EQ(pool.cached_bytes(), 0u);
}

// A cached block is still freed memory as far as the caller is concerned: under
// AddressSanitizer (the CI's second build) touching it must be reported.
TEST(PolyMemoryPool, TouchingACachedBlockIsReportedUnderAddressSanitizer) {
#if !TOWER_ASAN
  GTEST_SKIP() << "needs AddressSanitizer";
#else
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  MemoryPool pool;
  auto* p = static_cast<std::uint64_t*>(pool.allocate(kMB));
  p[5] = 1;
  pool.deallocate(p, kMB);
  EXPECT_DEATH(*static_cast<volatile std::uint64_t*>(p + 5) = 2, "use-after-poison");
  EXPECT_EQ(pool.allocate(kMB), p);  // unpoisoned again when handed out
  p[5] = 3;
  pool.deallocate(p, kMB);
#endif
}

TEST(PolyMemoryPool, ThreadsShareOnePoolWithoutSharingBlocks) {
  auto pool = std::make_shared<MemoryPool>(64 * kMB, 4096);
  constexpr int kThreads = 4, kRounds = 200;
  std::vector<int> bad(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int r = 0; r < kRounds; ++r) {
        const std::size_t words = (std::size_t{1} << 10) << (r % 4);  // 8 KB .. 64 KB, shared sizes
        AlignedVector v(words, AlignedAllocator<std::uint64_t>(pool));
        const std::uint64_t tag = (static_cast<std::uint64_t>(t) << 32) | static_cast<std::uint64_t>(r);
        for (auto& w : v) w = tag;
        std::this_thread::yield();  // let other threads take and return blocks meanwhile
        for (auto w : v) bad[t] += w != tag;
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(bad[t], 0) << "thread " << t << " saw another thread's words";
  EXPECT_GT(pool->hits(), 0u);
  EXPECT_EQ(pool->hits() + pool->misses(), static_cast<std::uint64_t>(kThreads * kRounds));
}

TEST(PolyMemoryPool, CopiesOfAVectorAllocateFromItsPool) {
  auto pool = std::make_shared<MemoryPool>(MemoryPool::kDefaultLimit, 4096);
  {
    AlignedVector v(4096, 7, AlignedAllocator<std::uint64_t>(pool));
    AlignedVector w = v;
    EXPECT_EQ(w.get_allocator().pool(), pool);
    EXPECT_EQ(w, v);
    AlignedVector moved = std::move(v);
    EXPECT_EQ(moved.get_allocator().pool(), pool);
    EXPECT_EQ(pool->misses(), 2u);
  }
  EXPECT_EQ(pool->cached_bytes(), 2 * 4096 * sizeof(std::uint64_t));
}

TEST(PolyMemoryPool, PolynomialsOverAPooledBaseAreZeroEvenFromADirtyBlock) {
  auto pool = std::make_shared<MemoryPool>();
  const std::size_t n = 1 << 15;  // one limb is 256 KB, the default pooled size
  const auto base = std::make_shared<const RnsBase>(RnsBase(n, ntt_primes(50, n, 2)).with_pool(pool));
  EXPECT_EQ(base->prefix(1).pool(), pool);
  EXPECT_EQ(base->select({1}).pool(), pool);
  const u64* first;
  {
    RnsPoly p(base);
    first = p.data();
    for (std::size_t i = 0; i < 2 * n; ++i) p.data()[i] = 12345;
    EXPECT_EQ(pool->misses(), 1u);
  }
  EXPECT_EQ(pool->cached_bytes(), 2 * n * sizeof(u64));
  const RnsPoly z(base);
  EXPECT_EQ(z.data(), first);  // the same block, handed out again
  EXPECT_EQ(pool->hits(), 1u);
  for (std::size_t i = 0; i < 2 * n; ++i) ASSERT_EQ(z.data()[i], 0u) << "word " << i;
  const RnsPoly copy = z;
  EXPECT_EQ(copy, z);
  EXPECT_EQ(pool->misses(), 2u);  // the copy took a block of its own
}

}  // namespace
}  // namespace tower::poly
