// Tests for poly/eltwise.hpp.
//  * Every kernel of every path equals an independent reference computed with
//    unsigned __int128 arithmetic ((u128)a*b % q; no Modulus code involved) and
//    is bit-identical to the scalar table.
//  * Moduli of 30, 50 (below 2^50: the IFMA range), 51, 60 and 61 bits: an NTT
//    prime, odd composites at the top and bottom of the size, and the power of
//    two 2^(bits-1) (the smallest modulus of that size, the worst case of the
//    Barrett error bounds).
//  * Lengths around the vector widths (4 and 8) and long ones; random inputs with
//    the edge values 0, 1, q-1, q/2 in every pairing at both ends; unaligned
//    pointers; in-place calls (out == a, out == b, out == a == b); no write
//    outside [out, out + n).
#include "poly/eltwise.hpp"

#include <gtest/gtest.h>

#include <cstddef>
#include <string>
#include <tuple>
#include <vector>

#include "poly/primes.hpp"
#include "test_util.hpp"

namespace tower::poly {
namespace {

// ---- Independent references (128-bit integer arithmetic). ----
u64 ref_add(u64 a, u64 b, u64 q) { return static_cast<u64>((static_cast<u128>(a) + b) % q); }
u64 ref_sub(u64 a, u64 b, u64 q) { return static_cast<u64>((static_cast<u128>(a) + q - b) % q); }
u64 ref_neg(u64 a, u64 q) { return static_cast<u64>((static_cast<u128>(q) - a) % q); }
u64 ref_mul(u64 a, u64 b, u64 q) { return static_cast<u64>(static_cast<u128>(a) * b % q); }
u64 ref_mul_add(u64 acc, u64 a, u64 b, u64 q) {
  return static_cast<u64>((static_cast<u128>(a) * b + acc) % q);
}
// (a - b) * c + d mod q.
u64 ref_sub_mul_add(u64 a, u64 b, u64 c, u64 d, u64 q) {
  return static_cast<u64>(((static_cast<u128>(a) + q - b) % q * c + d) % q);
}

/// The moduli tested for one size: an NTT prime, the largest odd composite below
/// 2^bits, the odd composite 2^(bits-1) + 1, and 2^(bits-1).
std::vector<u64> moduli(int bits) {
  std::vector<u64> out;
  out.push_back(ntt_primes(bits, 1024, 1)[0]);
  u64 top = (u64{1} << bits) - 1;
  while (is_prime(top)) top -= 2;
  out.push_back(top);
  const u64 low = (u64{1} << (bits - 1)) + 1;
  EXPECT_FALSE(is_prime(low)) << low;
  out.push_back(low);
  out.push_back(u64{1} << (bits - 1));
  return out;
}

/// The edge values of [0, q).
std::vector<u64> edges(u64 q) { return {0, 1, q - 1, q / 2}; }

/// Inputs a, b, acc of length n: uniform in [0, q), with every pair of edge
/// values at the start and at the end (so the vector tails see them too).
struct Inputs {
  std::vector<u64> a, b, acc;
};

Inputs make_inputs(std::size_t n, u64 q) {
  Inputs in{test::insecure_uniform(n, q), test::insecure_uniform(n, q), test::insecure_uniform(n, q)};
  const auto e = edges(q);
  for (std::size_t k = 0; k < 16 && k < n; ++k) {
    in.a[k] = e[k / 4], in.b[k] = e[k % 4], in.acc[k] = e[(k + 1) % 4];
    const std::size_t j = n - 1 - k;
    in.a[j] = e[k % 4], in.b[j] = e[k / 4], in.acc[j] = e[(k + 3) % 4];
  }
  return in;
}

/// A buffer holding n values at an offset (so pointers are unaligned for odd
/// offsets), with guard words on both sides to catch stray writes.
class Buffer {
 public:
  static constexpr u64 kGuard = 0xdeadbeefcafef00dULL;
  static constexpr std::size_t kPad = 9;
  Buffer(const std::vector<u64>& v, std::size_t offset)
      : n_(v.size()), off_(offset + kPad), mem_(v.size() + offset + 2 * kPad, kGuard) {
    for (std::size_t i = 0; i < n_; ++i) mem_[off_ + i] = v[i];
  }
  u64* data() { return mem_.data() + off_; }
  std::vector<u64> values() const {
    return std::vector<u64>(mem_.begin() + static_cast<std::ptrdiff_t>(off_),
                            mem_.begin() + static_cast<std::ptrdiff_t>(off_ + n_));
  }
  bool guards_intact() const {
    for (std::size_t i = 0; i < mem_.size(); ++i) {
      if ((i < off_ || i >= off_ + n_) && mem_[i] != kGuard) return false;
    }
    return true;
  }

 private:
  std::size_t n_, off_;
  std::vector<u64> mem_;
};

// (modulus bits, path)
using EltParam = std::tuple<int, SimdPath>;

class PolyEltwisePaths : public ::testing::TestWithParam<EltParam> {
 protected:
  void SetUp() override { TOWER_SKIP_IF_UNSUPPORTED(path()); }
  int bits() const { return std::get<0>(GetParam()); }
  SimdPath path() const { return std::get<1>(GetParam()); }
};

const std::size_t kLengths[] = {0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 17, 1000, 4096};

// Runs a binary kernel out-of-place (unaligned), and in place with out == a,
// out == b and out == a == b; every result must equal `expect` (and the scalar
// kernel's, checked by the caller passing the scalar result as `expect` too).
using Binary = void (*)(u64*, const u64*, const u64*, std::size_t, const Modulus&) noexcept;

void check_binary(Binary f, const std::vector<u64>& a, const std::vector<u64>& b, const std::vector<u64>& expect,
                  const Modulus& m, const std::string& what) {
  const std::size_t n = a.size();
  for (std::size_t off : {0, 1}) {
    Buffer ba(a, off), bb(b, 1 - off), out(std::vector<u64>(n, 7), off);
    f(out.data(), ba.data(), bb.data(), n, m);
    ASSERT_EQ(out.values(), expect) << what << " out-of-place, offset " << off;
    ASSERT_TRUE(out.guards_intact()) << what;
    ASSERT_EQ(ba.values(), a) << what << " modified an input";
    ASSERT_EQ(bb.values(), b) << what << " modified an input";
  }
  {
    Buffer x(a, 1), y(b, 0);
    f(x.data(), x.data(), y.data(), n, m);
    ASSERT_EQ(x.values(), expect) << what << " in place, out == a";
    ASSERT_TRUE(x.guards_intact()) << what;
  }
  {
    Buffer x(a, 0), y(b, 1);
    f(y.data(), x.data(), y.data(), n, m);
    ASSERT_EQ(y.values(), expect) << what << " in place, out == b";
    ASSERT_TRUE(y.guards_intact()) << what;
  }
}

TEST_P(PolyEltwisePaths, EveryKernelMatchesReferenceAndScalar) {
  const EltwiseKernels& k = eltwise_kernels(path());
  const EltwiseKernels& s = eltwise_kernels(SimdPath::scalar);
  for (const u64 q : moduli(bits())) {
    const Modulus m(q);
    ASSERT_EQ(m.bits(), bits());
    for (const std::size_t n : kLengths) {
      SCOPED_TRACE("q=" + std::to_string(q) + " n=" + std::to_string(n));
      std::vector<Inputs> sets{make_inputs(n, q)};
      sets.push_back({std::vector<u64>(n, q - 1), std::vector<u64>(n, q - 1), std::vector<u64>(n, q - 1)});
      for (const Inputs& in : sets) {
        const auto& a = in.a;
        const auto& b = in.b;
        std::vector<u64> expect(n), scalar(n);

        // add, sub, mul: binary kernels.
        const std::tuple<Binary, Binary, u64 (*)(u64, u64, u64), const char*> binaries[] = {
            {k.add, s.add, ref_add, "add"}, {k.sub, s.sub, ref_sub, "sub"}, {k.mul, s.mul, ref_mul, "mul"}};
        for (const auto& [kf, sf, ref, what] : binaries) {
          for (std::size_t i = 0; i < n; ++i) expect[i] = ref(a[i], b[i], q);
          sf(scalar.data(), a.data(), b.data(), n, m);
          ASSERT_EQ(scalar, expect) << what << " (scalar table) vs reference";
          check_binary(kf, a, b, expect, m, what);
          // out == a == b.
          Buffer x(a, 1);
          kf(x.data(), x.data(), x.data(), n, m);
          for (std::size_t i = 0; i < n; ++i) expect[i] = ref(a[i], a[i], q);
          ASSERT_EQ(x.values(), expect) << what << " in place, out == a == b";
        }

        // negate.
        for (std::size_t i = 0; i < n; ++i) expect[i] = ref_neg(a[i], q);
        s.negate(scalar.data(), a.data(), n, m);
        ASSERT_EQ(scalar, expect) << "negate (scalar table)";
        {
          Buffer ba(a, 0), out(std::vector<u64>(n, 7), 1);
          k.negate(out.data(), ba.data(), n, m);
          ASSERT_EQ(out.values(), expect) << "negate";
          ASSERT_TRUE(out.guards_intact()) << "negate";
          Buffer x(a, 1);
          k.negate(x.data(), x.data(), n, m);
          ASSERT_EQ(x.values(), expect) << "negate in place";
          ASSERT_TRUE(x.guards_intact()) << "negate in place";
        }

        // mul_scalar, for edge and random constants.
        auto constants = edges(q);
        constants.push_back(test::insecure_uniform(1, q)[0]);
        for (const u64 c : constants) {
          SCOPED_TRACE("c=" + std::to_string(c));
          for (std::size_t i = 0; i < n; ++i) expect[i] = ref_mul(a[i], c, q);
          s.mul_scalar(scalar.data(), a.data(), c, n, m);
          ASSERT_EQ(scalar, expect) << "mul_scalar (scalar table)";
          Buffer ba(a, 1), out(std::vector<u64>(n, 7), 0);
          k.mul_scalar(out.data(), ba.data(), c, n, m);
          ASSERT_EQ(out.values(), expect) << "mul_scalar";
          ASSERT_TRUE(out.guards_intact()) << "mul_scalar";
          Buffer x(a, 0);
          k.mul_scalar(x.data(), x.data(), c, n, m);
          ASSERT_EQ(x.values(), expect) << "mul_scalar in place";
          ASSERT_TRUE(x.guards_intact()) << "mul_scalar in place";
        }

        // sub_mul_scalar_add: (a - b) * c + acc, without the addend, and in place
        // (out == a, out == b, out == acc).
        for (const u64 c : constants) {
          SCOPED_TRACE("c=" + std::to_string(c));
          for (const bool with_d : {true, false}) {
            for (std::size_t i = 0; i < n; ++i) expect[i] = ref_sub_mul_add(a[i], b[i], c, with_d ? in.acc[i] : 0, q);
            s.sub_mul_scalar_add(scalar.data(), a.data(), b.data(), c, with_d ? in.acc.data() : nullptr, n, m);
            ASSERT_EQ(scalar, expect) << "sub_mul_scalar_add (scalar table), addend " << with_d;
            Buffer ba(a, 1), bb(b, 0), bd(in.acc, 1), out(std::vector<u64>(n, 7), 0);
            k.sub_mul_scalar_add(out.data(), ba.data(), bb.data(), c, with_d ? bd.data() : nullptr, n, m);
            ASSERT_EQ(out.values(), expect) << "sub_mul_scalar_add, addend " << with_d;
            ASSERT_TRUE(out.guards_intact()) << "sub_mul_scalar_add";
            ASSERT_TRUE(ba.values() == a && bb.values() == b && bd.values() == in.acc) << "modified an input";
            k.sub_mul_scalar_add(bb.data(), ba.data(), bb.data(), c, with_d ? bd.data() : nullptr, n, m);
            ASSERT_EQ(bb.values(), expect) << "sub_mul_scalar_add in place, out == b";
            k.sub_mul_scalar_add(ba.data(), ba.data(), Buffer(b, 0).data(), c, with_d ? bd.data() : nullptr, n, m);
            ASSERT_EQ(ba.values(), expect) << "sub_mul_scalar_add in place, out == a";
            if (with_d) {
              Buffer ca(a, 0), cb(b, 1);
              k.sub_mul_scalar_add(bd.data(), ca.data(), cb.data(), c, bd.data(), n, m);
              ASSERT_EQ(bd.values(), expect) << "sub_mul_scalar_add in place, out == d";
              ASSERT_TRUE(bd.guards_intact());
            }
            ASSERT_TRUE(ba.guards_intact() && bb.guards_intact());
          }
        }

        // mul_add: acc += a*b, and with acc aliasing a (acc += acc*b).
        for (std::size_t i = 0; i < n; ++i) expect[i] = ref_mul_add(in.acc[i], a[i], b[i], q);
        scalar = in.acc;
        s.mul_add(scalar.data(), a.data(), b.data(), n, m);
        ASSERT_EQ(scalar, expect) << "mul_add (scalar table)";
        {
          Buffer acc(in.acc, 1), ba(a, 0), bb(b, 1);
          k.mul_add(acc.data(), ba.data(), bb.data(), n, m);
          ASSERT_EQ(acc.values(), expect) << "mul_add";
          ASSERT_TRUE(acc.guards_intact()) << "mul_add";
          ASSERT_EQ(ba.values(), a) << "mul_add modified an input";
          ASSERT_EQ(bb.values(), b) << "mul_add modified an input";
        }
        {
          for (std::size_t i = 0; i < n; ++i) expect[i] = ref_mul_add(a[i], a[i], b[i], q);
          Buffer x(a, 0), bb(b, 0);
          k.mul_add(x.data(), x.data(), bb.data(), n, m);
          ASSERT_EQ(x.values(), expect) << "mul_add in place, acc == a";
          ASSERT_TRUE(x.guards_intact()) << "mul_add in place";
        }
      }
    }
  }
}

// The public functions dispatch on the process-wide path.
TEST_P(PolyEltwisePaths, PublicFunctionsDispatch) {
  const test::ScopedSimdPath scoped(path());
  const u64 q = moduli(bits())[0];
  const Modulus m(q);
  const std::size_t n = 1003;
  const Inputs in = make_inputs(n, q);
  std::vector<u64> out(n), expect(n);
  const u64 c = in.acc[5];

  eltwise_add(out.data(), in.a.data(), in.b.data(), n, m);
  for (std::size_t i = 0; i < n; ++i) expect[i] = ref_add(in.a[i], in.b[i], q);
  ASSERT_EQ(out, expect) << "eltwise_add";
  eltwise_sub(out.data(), in.a.data(), in.b.data(), n, m);
  for (std::size_t i = 0; i < n; ++i) expect[i] = ref_sub(in.a[i], in.b[i], q);
  ASSERT_EQ(out, expect) << "eltwise_sub";
  eltwise_negate(out.data(), in.a.data(), n, m);
  for (std::size_t i = 0; i < n; ++i) expect[i] = ref_neg(in.a[i], q);
  ASSERT_EQ(out, expect) << "eltwise_negate";
  eltwise_mul(out.data(), in.a.data(), in.b.data(), n, m);
  for (std::size_t i = 0; i < n; ++i) expect[i] = ref_mul(in.a[i], in.b[i], q);
  ASSERT_EQ(out, expect) << "eltwise_mul";
  eltwise_mul_scalar(out.data(), in.a.data(), c, n, m);
  for (std::size_t i = 0; i < n; ++i) expect[i] = ref_mul(in.a[i], c, q);
  ASSERT_EQ(out, expect) << "eltwise_mul_scalar";
  out = in.acc;
  eltwise_mul_add(out.data(), in.a.data(), in.b.data(), n, m);
  for (std::size_t i = 0; i < n; ++i) expect[i] = ref_mul_add(in.acc[i], in.a[i], in.b[i], q);
  ASSERT_EQ(out, expect) << "eltwise_mul_add";
  eltwise_sub_mul_scalar_add(out.data(), in.a.data(), in.b.data(), c, in.acc.data(), n, m);
  for (std::size_t i = 0; i < n; ++i) expect[i] = ref_sub_mul_add(in.a[i], in.b[i], c, in.acc[i], q);
  ASSERT_EQ(out, expect) << "eltwise_sub_mul_scalar_add";
}

// Many random products per modulus size, including sizes between the tested
// ones (every size from 2 to 61 bits), so the Barrett error bounds are exercised
// for each shift count the kernels derive from bits(q).
class PolyEltwiseEverySize : public ::testing::TestWithParam<SimdPath> {
 protected:
  void SetUp() override { TOWER_SKIP_IF_UNSUPPORTED(GetParam()); }
};

TEST_P(PolyEltwiseEverySize, MulKernelsMatchReference) {
  const EltwiseKernels& k = eltwise_kernels(GetParam());
  const std::size_t n = 2051;
  for (int b = 2; b <= 61; ++b) {
    for (const u64 q : {(u64{1} << b) - 1, (u64{1} << (b - 1)) + 1, u64{1} << (b - 1)}) {
      if (q < 2) continue;
      SCOPED_TRACE("q=" + std::to_string(q));
      const Modulus m(q);
      const Inputs in = make_inputs(n, q);
      std::vector<u64> out(n);
      k.mul(out.data(), in.a.data(), in.b.data(), n, m);
      for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(out[i], ref_mul(in.a[i], in.b[i], q)) << "mul i=" << i;
      out = in.acc;
      k.mul_add(out.data(), in.a.data(), in.b.data(), n, m);
      for (std::size_t i = 0; i < n; ++i) {
        ASSERT_EQ(out[i], ref_mul_add(in.acc[i], in.a[i], in.b[i], q)) << "mul_add i=" << i;
      }
      const u64 c = in.b[100];
      k.mul_scalar(out.data(), in.a.data(), c, n, m);
      for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(out[i], ref_mul(in.a[i], c, q)) << "mul_scalar i=" << i;
      k.sub_mul_scalar_add(out.data(), in.a.data(), in.b.data(), c, in.acc.data(), n, m);
      for (std::size_t i = 0; i < n; ++i) {
        ASSERT_EQ(out[i], ref_sub_mul_add(in.a[i], in.b[i], c, in.acc[i], q)) << "sub_mul_scalar_add i=" << i;
      }
    }
  }
}

std::string name(const ::testing::TestParamInfo<EltParam>& info) {
  return "q" + std::to_string(std::get<0>(info.param)) + "_" + std::string(to_string(std::get<1>(info.param)));
}

INSTANTIATE_TEST_SUITE_P(PolyEltwise, PolyEltwisePaths,
                         ::testing::Combine(::testing::Values(30, 50, 51, 60, 61), ::testing::ValuesIn(test::all_paths())),
                         name);
INSTANTIATE_TEST_SUITE_P(PolyEltwise, PolyEltwiseEverySize, ::testing::ValuesIn(test::all_paths()),
                         [](const ::testing::TestParamInfo<SimdPath>& info) {
                           return std::string(to_string(info.param));
                         });

}  // namespace
}  // namespace tower::poly
