// Tests for poly/dot.hpp.
//  * The scalar kernel equals an independent GMP computation of the exact
//    integer sum reduced mod q (no Modulus code involved).
//  * Every SIMD path is bit-identical with the scalar kernel, for dot_product
//    and dot_product2, plain and accumulating.
//  * Moduli of 30, 40, 50 (the IFMA range), 51, 55, 56, 57, 60 and 61 bits,
//    including 2^(bits-1) and the largest odd value of the size; term counts
//    around the chunk lengths (3 and 7 at 61 and 60 bits, 127 and 255 at 56 and
//    55 bits on the generic engine, 15 at 50 bits under IFMA, 31 at 61 bits for
//    the scalar kernel) and the group size;
//    lengths around the vector widths and the block size; inputs that are all
//    q - 1 (the largest sums); unaligned pointers; no write outside the output.
//  * Right operands packed to ceil(bits/8) bytes (3 to 7; poly/packed.hpp) as
//    well as plain: the same sums, on every path and on the AVX-512 kernel
//    without VBMI; the packed arrays are allocated to their exact size (the
//    sanitizer run catches a read past them).
//  * Grouped right operands (dot_product2_grouped): the halves of every term
//    interleaved group by group in one exact-size block, as a key's tower is
//    (poly/interleaved.hpp), packed by hand here; the scalar kernel reading them
//    equals GMP, every path equals the scalar kernel, with term counts across
//    the chunk lengths of each engine (15 and 63 terms for Split28 at 56 and 55
//    bits) and lengths that end in a partial group.
#include "poly/dot.hpp"

#include <gmp.h>
#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "poly/dot_kernels.hpp"
#include "poly/packed.hpp"
#include "poly/primes.hpp"
#include "test_util.hpp"

namespace tower::poly {
namespace {

std::vector<u64> moduli(int bits) {
  std::vector<u64> out;
  out.push_back(ntt_primes(bits, 1024, 1)[0]);
  out.push_back((u64{1} << bits) - 1);
  out.push_back(u64{1} << (bits - 1));
  return out;
}

/// (accumulate ? init : 0) + sum_j x_j * y_j mod q with GMP big integers.
u64 gmp_dot(u64 init, const std::vector<std::vector<u64>>& x, const std::vector<std::vector<u64>>& y, std::size_t i,
            u64 q) {
  mpz_t s, t;
  mpz_init_set_ui(s, init);
  mpz_init(t);
  for (std::size_t j = 0; j < x.size(); ++j) {
    mpz_set_ui(t, x[j][i]);
    mpz_addmul_ui(s, t, y[j][i]);
  }
  const u64 r = mpz_fdiv_ui(s, q);
  mpz_clear(s);
  mpz_clear(t);
  return r;
}

/// k arrays of n values at a word offset (unaligned for odd offsets), as words
/// (ptrs) and packed to `width` bytes per value (bytes), each packed array in a
/// heap block of exactly its n * width bytes (at an odd address for odd offsets).
struct Operand {
  std::vector<std::vector<u64>> values;  // [j][i]
  std::vector<std::vector<u64>> mem;
  std::vector<const u64*> ptrs;
  std::vector<std::vector<std::uint8_t>> packed;
  std::vector<const std::uint8_t*> bytes;
  Operand(std::size_t k, std::size_t n, u64 q, bool all_max, std::size_t offset, unsigned width = 8) {
    for (std::size_t j = 0; j < k; ++j) {
      values.push_back(all_max ? std::vector<u64>(n, q - 1) : test::insecure_uniform(n, q));
      if (!all_max && n > 0) values.back()[0] = q - 1, values.back()[n - 1] = 0;
      std::vector<u64> m(n + offset + 1);
      std::copy(values.back().begin(), values.back().end(), m.begin() + static_cast<std::ptrdiff_t>(offset));
      mem.push_back(std::move(m));
      // Packed by hand (little-endian bytes), independently of poly/packed.cpp.
      std::vector<std::uint8_t> b(offset + n * width);
      for (std::size_t i = 0; i < n; ++i) {
        for (unsigned c = 0; c < width; ++c) b[offset + i * width + c] = static_cast<std::uint8_t>(values.back()[i] >> (8 * c));
      }
      packed.push_back(std::move(b));
    }
    for (std::size_t j = 0; j < k; ++j) {
      ptrs.push_back(mem[j].data() + offset);
      bytes.push_back(packed[j].data() + offset);
    }
  }
};

/// The byte view of word operands (width 8).
std::vector<const std::uint8_t*> as_bytes(const std::vector<const u64*>& p) {
  std::vector<const std::uint8_t*> b;
  for (const u64* q : p) b.push_back(reinterpret_cast<const std::uint8_t*>(q));
  return b;
}

/// An output of n words with guard words on both sides.
struct Output {
  static constexpr u64 kGuard = 0xdeadbeefcafef00dULL;
  static constexpr std::size_t kPad = 9;
  std::vector<u64> mem;
  std::size_t n;
  Output(const std::vector<u64>& init, std::size_t offset) : mem(init.size() + 2 * kPad + offset, kGuard), n(init.size()) {
    std::copy(init.begin(), init.end(), mem.begin() + static_cast<std::ptrdiff_t>(kPad + offset));
    off = kPad + offset;
  }
  std::size_t off;
  u64* data() { return mem.data() + off; }
  std::vector<u64> values() const {
    return {mem.begin() + static_cast<std::ptrdiff_t>(off), mem.begin() + static_cast<std::ptrdiff_t>(off + n)};
  }
  bool guards_intact() const {
    for (std::size_t i = 0; i < mem.size(); ++i) {
      if ((i < off || i >= off + n) && mem[i] != kGuard) return false;
    }
    return true;
  }
};

const std::size_t kTerms[] = {0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 33};
// Around the vector widths; 2049 crosses the AVX-512 driver's block of 2048.
const std::size_t kLengths[] = {0, 1, 7, 8, 9, 255, 256, 257, 600, 2049};

TEST(PolyDot, ScalarMatchesGmp) {
  const DotKernels& s = dot_kernels(SimdPath::scalar);
  for (int bits : {20, 30, 40, 44, 50, 51, 55, 56, 57, 60, 61}) {
    for (const u64 q : moduli(bits)) {
      const Modulus m(q);
      for (const std::size_t k : kTerms) {
        for (const bool all_max : {false, true}) {
          const std::size_t n = 37;
          SCOPED_TRACE("q=" + std::to_string(q) + " k=" + std::to_string(k) + " max=" + std::to_string(all_max));
          const unsigned w = packed_width(m);
          Operand x(k, n, q, all_max, 0), y0(k, n, q, all_max, 1, w), y1(k, n, q, all_max, 0);
          const std::vector<u64> init = all_max ? std::vector<u64>(n, q - 1) : test::insecure_uniform(n, q);
          for (const bool acc : {false, true}) {
            std::vector<u64> packed = init;
            s.dot(packed.data(), nullptr, x.ptrs.data(), y0.bytes.data(), nullptr, w, 8 * w, k, n, m, acc);
            std::vector<u64> o0 = init, o1 = init;
            s.dot(o0.data(), o1.data(), x.ptrs.data(), as_bytes(y0.ptrs).data(), as_bytes(y1.ptrs).data(), 8, 64, k, n,
                  m, acc);
            std::vector<u64> single = init;
            s.dot(single.data(), nullptr, x.ptrs.data(), y1.bytes.data(), nullptr, 8, 64, k, n, m, acc);
            for (std::size_t i = 0; i < n; ++i) {
              ASSERT_EQ(o0[i], gmp_dot(acc ? init[i] : 0, x.values, y0.values, i, q)) << "i=" << i;
              ASSERT_EQ(o1[i], gmp_dot(acc ? init[i] : 0, x.values, y1.values, i, q)) << "i=" << i;
              ASSERT_EQ(single[i], o1[i]) << "i=" << i;
              ASSERT_EQ(packed[i], o0[i]) << "i=" << i << " width " << w;
            }
          }
        }
      }
    }
  }
}

/// The values of Operand y0 and y1 (k terms, n residues, `width` bytes each)
/// interleaved as a key's tower: group g holds residues 8g..8g+7 of y0[0],
/// y1[0], y0[1], y1[1], ..., `gap` spare bytes after each group; one heap block
/// of exactly the bytes up to the last residue (reading past it is a sanitizer
/// error), packed by hand.
struct Grouped {
  std::vector<std::uint8_t> mem;
  std::vector<const std::uint8_t*> y0, y1;
  std::size_t stride;
  Grouped(const Operand& a, const Operand& b, std::size_t n, unsigned width, std::size_t gap) {
    const std::size_t k = a.values.size(), group = 8 * std::size_t{width};
    stride = 2 * k * group + gap;
    const std::size_t groups = (n + 7) / 8;
    // The last residue: of y1[k-1], in the last group.
    const std::size_t end = k == 0 || n == 0 ? 0 : (groups - 1) * stride + (2 * k - 1) * group + (n - 8 * (groups - 1)) * width;
    mem.assign(end, 0xa5);
    for (std::size_t j = 0; j < k; ++j) {
      for (int half = 0; half < 2; ++half) {
        const std::vector<u64>& v = (half == 0 ? a : b).values[j];
        for (std::size_t i = 0; i < n; ++i) {
          const std::size_t at = (i / 8) * stride + (2 * j + half) * group + (i % 8) * width;
          for (unsigned c = 0; c < width; ++c) mem[at + c] = static_cast<std::uint8_t>(v[i] >> (8 * c));
        }
      }
    }
    for (std::size_t j = 0; j < k; ++j) {
      y0.push_back(mem.data() + 2 * j * group);
      y1.push_back(mem.data() + (2 * j + 1) * group);
    }
  }
};

TEST(PolyDot, ScalarGroupedMatchesGmp) {
  const DotKernels& s = dot_kernels(SimdPath::scalar);
  for (int bits : {30, 40, 55, 56, 61}) {
    for (const u64 q : moduli(bits)) {
      const Modulus m(q);
      const unsigned w = packed_width(m);
      for (const std::size_t k : {std::size_t{1}, std::size_t{3}, std::size_t{15}, std::size_t{17}}) {
        const std::size_t n = 21;  // two full groups and a partial one
        SCOPED_TRACE("q=" + std::to_string(q) + " k=" + std::to_string(k));
        Operand x(k, n, q, false, 0), y0(k, n, q, false, 0, w), y1(k, n, q, false, 0, w);
        const Grouped g(y0, y1, n, w, 5);
        std::vector<u64> o0(n), o1(n);
        s.dot(o0.data(), o1.data(), x.ptrs.data(), g.y0.data(), g.y1.data(), w, g.stride, k, n, m, false);
        for (std::size_t i = 0; i < n; ++i) {
          ASSERT_EQ(o0[i], gmp_dot(0, x.values, y0.values, i, q)) << "i=" << i;
          ASSERT_EQ(o1[i], gmp_dot(0, x.values, y1.values, i, q)) << "i=" << i;
        }
      }
    }
  }
}

// Kernel k with grouped right operands against the scalar kernel with separate
// packed ones (checked against GMP above).
void expect_grouped_matches_scalar(const DotKernels& k, int bits) {
  const DotKernels& s = dot_kernels(SimdPath::scalar);
  const std::size_t terms_list[] = {1, 3, 15, 16, 17, 63, 64, 65};
  const std::size_t lengths[] = {1, 9, 23, 256, 2049};
  for (const u64 q : moduli(bits)) {
    const Modulus m(q);
    const unsigned w = packed_width(m);
    for (const std::size_t terms : terms_list) {
      for (const std::size_t n : lengths) {
        for (const std::size_t gap : {std::size_t{0}, std::size_t{3}}) {
          const bool all_max = terms % 2 == 1;
          SCOPED_TRACE("q=" + std::to_string(q) + " width=" + std::to_string(w) + " k=" + std::to_string(terms) +
                       " n=" + std::to_string(n) + " gap=" + std::to_string(gap) + " max=" + std::to_string(all_max));
          Operand x(terms, n, q, all_max, n % 2), y0(terms, n, q, all_max, 0, w), y1(terms, n, q, all_max, 1, w);
          const Grouped g(y0, y1, n, w, gap);
          const std::vector<u64> init = all_max ? std::vector<u64>(n, q - 1) : test::insecure_uniform(n, q);
          for (const bool acc : {false, true}) {
            std::vector<u64> e0 = init, e1 = init;
            s.dot(e0.data(), e1.data(), x.ptrs.data(), y0.bytes.data(), y1.bytes.data(), w, 8 * w, terms, n, m, acc);
            Output o0(init, 0), o1(init, 1), single(init, 1);
            k.dot(o0.data(), o1.data(), x.ptrs.data(), g.y0.data(), g.y1.data(), w, g.stride, terms, n, m, acc);
            k.dot(single.data(), nullptr, x.ptrs.data(), g.y1.data(), nullptr, w, g.stride, terms, n, m, acc);
            ASSERT_EQ(o0.values(), e0) << "dot2 out0, accumulate=" << acc;
            ASSERT_EQ(o1.values(), e1) << "dot2 out1, accumulate=" << acc;
            std::vector<u64> e_single = init;
            s.dot(e_single.data(), nullptr, x.ptrs.data(), y1.bytes.data(), nullptr, w, 8 * w, terms, n, m, acc);
            ASSERT_EQ(single.values(), e_single) << "dot, accumulate=" << acc;
            ASSERT_TRUE(o0.guards_intact() && o1.guards_intact() && single.guards_intact());
          }
        }
      }
    }
  }
}

// (modulus bits, path)
class PolyDotPaths : public ::testing::TestWithParam<std::tuple<int, SimdPath>> {
 protected:
  void SetUp() override { TOWER_SKIP_IF_UNSUPPORTED(path()); }
  int bits() const { return std::get<0>(GetParam()); }
  SimdPath path() const { return std::get<1>(GetParam()); }
};

// Kernel k against the scalar kernel on the moduli of `bits`, right operands
// plain and packed.
void expect_matches_scalar(const DotKernels& k, int bits) {
  const DotKernels& s = dot_kernels(SimdPath::scalar);
  for (const u64 q : moduli(bits)) {
    const Modulus m(q);
    for (const unsigned w : {8u, packed_width(m)}) {
      for (const std::size_t terms : kTerms) {
        for (const std::size_t n : kLengths) {
          for (const bool all_max : {false, true}) {
            SCOPED_TRACE("q=" + std::to_string(q) + " width=" + std::to_string(w) + " k=" + std::to_string(terms) +
                         " n=" + std::to_string(n) + " max=" + std::to_string(all_max));
            const std::size_t off = n % 2;
            Operand x(terms, n, q, all_max, off), y0(terms, n, q, all_max, 1 - off, w), y1(terms, n, q, all_max, 1, w);
            const std::vector<u64> init = all_max ? std::vector<u64>(n, q - 1) : test::insecure_uniform(n, q);
            for (const bool acc : {false, true}) {
              std::vector<u64> e0 = init, e1 = init;
              s.dot(e0.data(), e1.data(), x.ptrs.data(), y0.bytes.data(), y1.bytes.data(), w, 8 * w, terms, n, m, acc);
              Output o0(init, off), o1(init, 1 - off), single(init, 1);
              k.dot(o0.data(), o1.data(), x.ptrs.data(), y0.bytes.data(), y1.bytes.data(), w, 8 * w, terms, n, m, acc);
              k.dot(single.data(), nullptr, x.ptrs.data(), y0.bytes.data(), nullptr, w, 8 * w, terms, n, m, acc);
              ASSERT_EQ(o0.values(), e0) << "dot2 out0, accumulate=" << acc;
              ASSERT_EQ(o1.values(), e1) << "dot2 out1, accumulate=" << acc;
              ASSERT_EQ(single.values(), e0) << "dot, accumulate=" << acc;
              ASSERT_TRUE(o0.guards_intact() && o1.guards_intact() && single.guards_intact());
            }
          }
        }
      }
    }
  }
}

TEST_P(PolyDotPaths, BitIdenticalWithScalar) { expect_matches_scalar(dot_kernels(path()), bits()); }

TEST_P(PolyDotPaths, GroupedOperandsBitIdenticalWithScalar) {
  expect_grouped_matches_scalar(dot_kernels(path()), bits());
}

// The AVX-512 kernel of CPUs without VBMI (packed operands unpacked with qword
// permutes and shifts, no IFMA), run here whatever the CPU has.
TEST(PolyDot, Avx512WithoutVbmiBitIdenticalWithScalar) {
  TOWER_SKIP_IF_UNSUPPORTED(SimdPath::avx512);
  for (int bits : {20, 30, 44, 55, 61}) {  // widths 3, 4, 6, 7 and 8
    SCOPED_TRACE(bits);
    expect_matches_scalar(detail::kDotAvx512NoVbmi, bits);
    expect_grouped_matches_scalar(detail::kDotAvx512NoVbmi, bits);
  }
}

INSTANTIATE_TEST_SUITE_P(AllPaths, PolyDotPaths,
                         ::testing::Combine(::testing::Values(20, 30, 40, 44, 50, 51, 55, 56, 57, 60, 61),
                                            ::testing::Values(SimdPath::scalar, SimdPath::avx2, SimdPath::avx512)),
                         [](const auto& info) {
                           return std::string(to_string(std::get<1>(info.param))) + "_" +
                                  std::to_string(std::get<0>(info.param)) + "bit";
                         });

// Long sums across the chunk boundaries of the AVX-512 engines (generic: 255
// terms at 55 bits, 127 at 56; Split28: 63 and 15, and 255 at 53 bits, whose
// q may be as small as 2^52), where the accumulators are folded to a residue,
// with the largest inputs.
TEST(PolyDot, LongSumsAcrossChunksAreBitIdenticalWithScalar) {
  const DotKernels& s = dot_kernels(SimdPath::scalar);
  for (const SimdPath p : test::supported_paths()) {
    const DotKernels& k = dot_kernels(p);
    for (const int bits : {53, 55, 56}) {
      for (const u64 q : moduli(bits)) {
        const Modulus m(q);
        for (const std::size_t terms : {std::size_t{127}, std::size_t{128}, std::size_t{255}, std::size_t{256},
                                        std::size_t{383}}) {
          for (const bool all_max : {false, true}) {
            SCOPED_TRACE(std::string(to_string(p)) + " q=" + std::to_string(q) + " k=" + std::to_string(terms) +
                         " max=" + std::to_string(all_max));
            const std::size_t n = 23;
            const unsigned w = packed_width(m);
            Operand x(terms, n, q, all_max, 0), y0(terms, n, q, all_max, 1, w), y1(terms, n, q, all_max, 0, w);
            const std::vector<u64> init = all_max ? std::vector<u64>(n, q - 1) : test::insecure_uniform(n, q);
            std::vector<u64> e0 = init, e1 = init, o0 = init, o1 = init;
            s.dot(e0.data(), e1.data(), x.ptrs.data(), y0.bytes.data(), y1.bytes.data(), w, 8 * w, terms, n, m, true);
            k.dot(o0.data(), o1.data(), x.ptrs.data(), y0.bytes.data(), y1.bytes.data(), w, 8 * w, terms, n, m, true);
            ASSERT_EQ(o0, e0);
            ASSERT_EQ(o1, e1);
            ASSERT_EQ(e0[0], gmp_dot(init[0], x.values, y0.values, 0, q));
          }
        }
      }
    }
  }
}

// Lazy left operands (dot_takes_lazy_left: the Split engine): x any value
// below 2^63 — here x + c*q for random c, up to 2^63 - 1 — against GMP on the
// values as given, across the chunk of 15 terms, plain and grouped operands.
TEST(PolyDot, LazyLeftOperandsMatchGmp) {
  for (const SimdPath p : test::supported_paths()) {
    test::ScopedSimdPath scoped(p);
    for (const int bits : {52, 53, 55, 56, 57}) {
      for (const u64 q : moduli(bits)) {
        const Modulus m(q);
        const bool lazy = dot_takes_lazy_left(m);
        EXPECT_EQ(lazy, p == SimdPath::avx512 && bits > 52 && bits <= 56 && cpu_features().avx512ifma &&
                            cpu_features().avx512vbmi)
            << to_string(p) << " bits " << bits;
        if (!lazy) continue;
        for (const std::size_t k : {std::size_t{1}, std::size_t{15}, std::size_t{16}, std::size_t{31}}) {
          const std::size_t n = 45;
          SCOPED_TRACE("q=" + std::to_string(q) + " k=" + std::to_string(k));
          const unsigned w = packed_width(m);
          Operand x(k, n, q, false, 0), y0(k, n, q, k % 2 == 1, 0, w), y1(k, n, q, false, 1, w);
          const u64 top = (u64{1} << 63) - 1;
          for (std::size_t j = 0; j < k; ++j) {
            const auto c = test::insecure_uniform(n, top / q - 1);
            for (std::size_t i = 0; i < n; ++i) {
              x.values[j][i] += c[i] * q;
              if (i == 3) x.values[j][i] = top - (top - x.values[j][i]) % q;  // the largest of its class
              x.mem[j][i] = x.values[j][i];
            }
          }
          const Grouped g(y0, y1, n, w, 0);
          std::vector<u64> o0(n), o1(n), g0(n), g1(n);
          dot_product2_packed(o0.data(), o1.data(), x.ptrs.data(), y0.bytes.data(), y1.bytes.data(), w, k, n, m);
          dot_product2_grouped(g0.data(), g1.data(), x.ptrs.data(), g.y0.data(), g.y1.data(), w, g.stride, k, n, m);
          for (std::size_t i = 0; i < n; ++i) {
            ASSERT_EQ(o0[i], gmp_dot(0, x.values, y0.values, i, q)) << "i=" << i;
            ASSERT_EQ(o1[i], gmp_dot(0, x.values, y1.values, i, q)) << "i=" << i;
            ASSERT_EQ(g0[i], o0[i]) << "i=" << i;
            ASSERT_EQ(g1[i], o1[i]) << "i=" << i;
          }
        }
      }
    }
  }
}

// The public entry points follow poly::simd_path().
TEST(PolyDot, DispatchFollowsSimdPath) {
  const u64 q = ntt_primes(55, 1024, 1)[0];
  const Modulus m(q);
  const std::size_t k = 5, n = 100;
  Operand x(k, n, q, false, 0), y0(k, n, q, false, 0, 7), y1(k, n, q, false, 0, 7);
  std::vector<u64> e0(n), e1(n), single(n), single_packed(n);
  dot_kernels(SimdPath::scalar).dot(e0.data(), e1.data(), x.ptrs.data(), y0.bytes.data(), y1.bytes.data(), 7, 56, k, n, m,
                                    false);
  for (const SimdPath p : test::supported_paths()) {
    test::ScopedSimdPath scoped(p);
    std::vector<u64> o0(n), o1(n), p0(n), p1(n);
    dot_product2(o0.data(), o1.data(), x.ptrs.data(), y0.ptrs.data(), y1.ptrs.data(), k, n, m);
    dot_product(single.data(), x.ptrs.data(), y0.ptrs.data(), k, n, m);
    dot_product_packed(single_packed.data(), x.ptrs.data(), y0.bytes.data(), 7, k, n, m);
    dot_product2_packed(p0.data(), p1.data(), x.ptrs.data(), y0.bytes.data(), y1.bytes.data(), 7, k, n, m);
    EXPECT_EQ(o0, e0);
    EXPECT_EQ(o1, e1);
    EXPECT_EQ(single, e0);
    EXPECT_EQ(single_packed, e0);
    EXPECT_EQ(p0, e0);
    EXPECT_EQ(p1, e1);
  }
  EXPECT_THROW(dot_product2_packed(e0.data(), e1.data(), x.ptrs.data(), y0.bytes.data(), y1.bytes.data(), 9, k, n, m),
               std::invalid_argument);
  EXPECT_THROW(dot_product2_packed(e0.data(), e1.data(), x.ptrs.data(), y0.bytes.data(), y1.bytes.data(), 0, k, n, m),
               std::invalid_argument);
  EXPECT_THROW(dot_product_packed(e0.data(), x.ptrs.data(), y0.bytes.data(), 0, k, n, m), std::invalid_argument);
}

// dot_product2_grouped follows poly::simd_path() and checks its layout.
TEST(PolyDot, GroupedEntryPointDispatchesAndChecks) {
  const u64 q = ntt_primes(55, 1024, 1)[0];
  const Modulus m(q);
  const std::size_t k = 15, n = 64;
  Operand x(k, n, q, false, 0), y0(k, n, q, false, 0, 7), y1(k, n, q, false, 0, 7);
  const Grouped g(y0, y1, n, 7, 0);
  std::vector<u64> e0(n), e1(n);
  dot_kernels(SimdPath::scalar).dot(e0.data(), e1.data(), x.ptrs.data(), y0.bytes.data(), y1.bytes.data(), 7, 56, k, n,
                                    m, false);
  for (const SimdPath p : test::supported_paths()) {
    test::ScopedSimdPath scoped(p);
    std::vector<u64> o0(n), o1(n);
    dot_product2_grouped(o0.data(), o1.data(), x.ptrs.data(), g.y0.data(), g.y1.data(), 7, g.stride, k, n, m);
    EXPECT_EQ(o0, e0);
    EXPECT_EQ(o1, e1);
  }
  EXPECT_THROW(dot_product2_grouped(e0.data(), e1.data(), x.ptrs.data(), g.y0.data(), g.y1.data(), 7, 55, k, n, m),
               std::invalid_argument);
  EXPECT_THROW(dot_product2_grouped(e0.data(), e1.data(), x.ptrs.data(), g.y0.data(), g.y1.data(), 9, 1024, k, n, m),
               std::invalid_argument);
}

}  // namespace
}  // namespace tower::poly
