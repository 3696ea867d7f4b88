// BSGS linear transforms with double hoisting, against the plaintext
// matrix-vector product sum_k d_k[j] v[(j + k) mod n] in doubles and against the
// one-by-one path (a rotation and a plaintext product per diagonal). Floors: the
// product adds one multiplication's error (see evaluator_test.cpp) to values of
// magnitude up to #diagonals (entries in [-1, 1]): log2(#diagonals) bits fewer.
#include "ckks/linear_transform.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <optional>
#include <set>
#include <stdexcept>

#include "ckks/encryptor.hpp"
#include "ckks/evaluator.hpp"
#include "ckks_test_util.hpp"

namespace tower::ckks {
namespace {

using cvec = std::vector<std::complex<double>>;

cvec plain_product(const LinearTransform::Diagonals& diags, const cvec& v) {
  const std::int64_t n = static_cast<std::int64_t>(v.size());
  cvec out(v.size(), 0.0);
  for (const auto& [k, d] : diags) {
    for (std::int64_t j = 0; j < n; ++j) {
      if (static_cast<std::size_t>(j) < d.size()) out[j] += d[j] * v[((j + k) % n + n) % n];
    }
  }
  return out;
}

class CkksLinearTransform : public test::KeyedCkksSuite {
 protected:
  LinearTransform::Diagonals random_diagonals(const std::vector<std::int64_t>& idx) const {
    LinearTransform::Diagonals d;
    for (auto k : idx) d[k] = test::insecure_complex(ctx_->slots());
    return d;
  }
};

TEST_F(CkksLinearTransform, DenseAndSparseMatchPlaintextAndOneByOne) {
  std::vector<std::int64_t> dense;
  for (std::int64_t k = 0; k < 32; ++k) dense.push_back(k);
  const std::vector<std::int64_t> sparse = {0, 3, -5, 64, 129, 1000, 4095, 2048};
  const Encoder ecd(ctx_);
  const Evaluator ev(ctx_);
  for (const auto& idx : {dense, sparse}) {
    const auto diags = random_diagonals(idx);
    const cvec v = test::insecure_complex(ctx_->slots());
    const cvec want = plain_product(diags, v);
    const double floor = 19.0 - std::log2(static_cast<double>(idx.size()));
    for (std::size_t level : {ctx_->max_level(), std::size_t{1}}) {
      const LinearTransform lt(ecd, diags, level, ctx_->params().scale());
      const GaloisKeys gk = create_galois_keys(*keygen_, lt.rotation_steps());
      const Ciphertext out = ev.rescale(lt.apply(enc(v, level), gk));
      EXPECT_GE(test::precision_bits(dec(out), want), floor) << idx.size() << " diagonals, level " << level;
      if (level == 1) {
        // One-by-one: a rotation and a plaintext product per diagonal.
        std::vector<std::int64_t> all;
        for (auto k : idx) all.push_back(k);
        const GaloisKeys each = create_galois_keys(*keygen_, all);
        const Ciphertext ct = enc(v, level);
        std::optional<Ciphertext> acc;
        for (const auto& [k, d] : diags) {
          const Ciphertext term = ev.multiply_plain(ev.rotate(ct, k, each, false), ecd.encode(d, level, ctx_->params().scale()));
          if (acc) {
            ev.add_inplace(*acc, term);
          } else {
            acc = term;
          }
        }
        EXPECT_GE(test::precision_bits(dec(out), dec(ev.rescale(*acc))), floor) << idx.size() << " diagonals";
      }
    }
  }
}

TEST_F(CkksLinearTransform, EveryBabyStepSplitGivesTheSameResult) {
  std::vector<std::int64_t> idx;
  for (std::int64_t k = 0; k < 16; ++k) idx.push_back(3 * k);
  const auto diags = random_diagonals(idx);
  const cvec v = test::insecure_complex(ctx_->slots());
  const cvec want = plain_product(diags, v);
  const Encoder ecd(ctx_);
  const Evaluator ev(ctx_);
  for (std::size_t n1 : {1, 2, 8, 64}) {
    const LinearTransform lt(ecd, diags, 2, ctx_->params().scale(), n1);
    EXPECT_EQ(lt.baby_steps(), n1);
    const GaloisKeys gk = create_galois_keys(*keygen_, lt.rotation_steps());
    EXPECT_GE(test::precision_bits(dec(ev.rescale(lt.apply(enc(v, 2), gk))), want), 15.0) << "n1 = " << n1;
  }
}

// The diagonals are held packed: n * ceil(bits(q_i)/8) bytes per prime of
// Q_l * P and diagonal, computed here from the primes alone.
TEST_F(CkksLinearTransform, DiagonalsArePackedAndReportTheirBytes) {
  const Encoder ecd(ctx_);
  const std::size_t level = 2;
  const LinearTransform lt(ecd, random_diagonals({0, 1, 2, 5, 9}), level, ctx_->params().scale());
  const poly::RnsBase& qp = *ctx_->qp_base(level);
  std::size_t per_diagonal = 0, plain = 0;
  for (std::size_t i = 0; i < qp.size(); ++i) {
    const u64 q = qp.modulus(i).value();
    per_diagonal += qp.n() * static_cast<std::size_t>((64 - __builtin_clzll(q) + 7) / 8);
    plain += qp.n() * 8;
  }
  EXPECT_EQ(lt.byte_size(), 5 * per_diagonal);
  EXPECT_LT(lt.byte_size(), 5 * plain);
}

TEST(CkksLinearTransformSplit, BestBabyStepsMinimisesRotations) {
  std::vector<std::int64_t> dense;
  for (std::int64_t k = 0; k < 256; ++k) dense.push_back(k);
  EXPECT_EQ(LinearTransform::best_baby_steps(dense, 8192), 16u);  // 15 baby + 15 giant
  EXPECT_EQ(LinearTransform::best_baby_steps({0}, 8192), 1u);
  // Diagonals 0, 64, ..., 448: n1 = 64 gives 7 giant steps, n1 = 512 seven baby
  // steps, but n1 = 128 gives babies {0, 64} and giants {0, 1, 2, 3} (1 + 3 = 4
  // switches) and n1 = 256 babies {0, 64, 128, 192}, giants {0, 1} (3 + 1 = 4);
  // nothing does better, since b * g >= 8 distinct sums need (b-1) + (g-1) >= 4.
  std::vector<std::int64_t> strided;
  for (std::int64_t k = 0; k < 8; ++k) strided.push_back(64 * k);
  const std::size_t n1 = LinearTransform::best_baby_steps(strided, 8192);
  std::set<std::int64_t> b, g;
  for (auto k : strided) {
    b.insert(k % static_cast<std::int64_t>(n1));
    g.insert(k / static_cast<std::int64_t>(n1));
  }
  EXPECT_EQ(b.size() + g.size() - 2, 4u);
}

TEST_F(CkksLinearTransform, ErrorsAreClear) {
  const Encoder ecd(ctx_);
  EXPECT_THROW(LinearTransform(ecd, {}, 1, ctx_->params().scale()), std::invalid_argument);
  LinearTransform::Diagonals rep;
  rep[1] = {1.0};
  rep[1 + static_cast<std::int64_t>(ctx_->slots())] = {1.0};
  EXPECT_THROW(LinearTransform(ecd, rep, 1, ctx_->params().scale()), std::invalid_argument);
  const auto diags = random_diagonals({0, 1, 2, 37});
  EXPECT_THROW(LinearTransform(ecd, diags, 1, ctx_->params().scale(), 3), std::invalid_argument);
  const LinearTransform lt(ecd, diags, 1, ctx_->params().scale(), 2);
  const GaloisKeys partial = create_galois_keys(*keygen_, {1});
  try {
    lt.apply(enc(test::insecure_complex(4), 1), partial);
    FAIL() << "applied without keys";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("rotation by"), std::string::npos) << e.what();
  }
  const GaloisKeys gk = create_galois_keys(*keygen_, lt.rotation_steps());
  EXPECT_THROW(lt.apply(enc(test::insecure_complex(4), 2), gk), std::invalid_argument);  // wrong level
}

}  // namespace
}  // namespace tower::ckks
