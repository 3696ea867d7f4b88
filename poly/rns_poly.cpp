// poly/rns_poly.cpp — RNS polynomial arithmetic, limb by limb.
#include "poly/rns_poly.hpp"

#include <stdexcept>
#include <string>

#include "poly/eltwise.hpp"

namespace tower::poly {
namespace {

// Parallelize over limbs only when there is enough work to pay for the threads.
bool worth_threads(std::size_t limbs, std::size_t n) { return limbs > 1 && limbs * n >= (std::size_t{1} << 15); }

std::string form_name(PolyForm f) { return f == PolyForm::coefficient ? "coefficient" : "evaluation"; }

// The storage comes from the base's memory pool, if it has one.
AlignedAllocator<u64> allocator_of(const std::shared_ptr<const RnsBase>& base) {
  return AlignedAllocator<u64>(base ? base->pool() : nullptr);
}

}  // namespace

RnsPoly::RnsPoly(std::shared_ptr<const RnsBase> base, PolyForm form)
    : base_(std::move(base)), n_(0), limbs_(0), form_(form), data_(allocator_of(base_)) {
  if (!base_) throw std::invalid_argument("poly::RnsPoly: null base");
  n_ = base_->n();
  limbs_ = base_->size();
  data_.assign(n_ * limbs_, 0);
}

RnsPoly::RnsPoly(std::shared_ptr<const RnsBase> base, PolyForm form, Uninitialized)
    : base_(std::move(base)), n_(0), limbs_(0), form_(form), data_(allocator_of(base_)) {
  if (!base_) throw std::invalid_argument("poly::RnsPoly: null base");
  n_ = base_->n();
  limbs_ = base_->size();
  data_.resize(n_ * limbs_);  // default-initialized words (see AlignedAllocator)
}

RnsPoly RnsPoly::uninitialized(std::shared_ptr<const RnsBase> base, PolyForm form) {
  return RnsPoly(std::move(base), form, Uninitialized{});
}

void RnsPoly::check_compatible(const RnsPoly& other, const char* op) const {
  if (base_ != other.base_ && !(*base_ == *other.base_)) {
    throw std::invalid_argument(std::string("poly::RnsPoly::") + op + ": operands have different RNS bases (" +
                                std::to_string(limbs_) + " vs " + std::to_string(other.limbs_) + " limbs, n = " +
                                std::to_string(n_) + " vs " + std::to_string(other.n_) + ")");
  }
  if (form_ != other.form_) {
    throw std::invalid_argument(std::string("poly::RnsPoly::") + op + ": operands are in different forms (" +
                                form_name(form_) + " vs " + form_name(other.form_) + ")");
  }
}

void RnsPoly::to_evaluation() {
  if (form_ == PolyForm::evaluation) throw std::invalid_argument("poly::RnsPoly::to_evaluation: already in evaluation form");
  const SimdPath path = simd_path();
#pragma omp parallel for if (worth_threads(limbs_, n_))
  for (std::size_t i = 0; i < limbs_; ++i) ntt_forward(limb(i), base_->ntt(i), path);
  form_ = PolyForm::evaluation;
}

void RnsPoly::to_coefficient() {
  if (form_ == PolyForm::coefficient) throw std::invalid_argument("poly::RnsPoly::to_coefficient: already in coefficient form");
  const SimdPath path = simd_path();
#pragma omp parallel for if (worth_threads(limbs_, n_))
  for (std::size_t i = 0; i < limbs_; ++i) ntt_inverse(limb(i), base_->ntt(i), path);
  form_ = PolyForm::coefficient;
}

RnsPoly RnsPoly::coefficient_copy() const {
  if (form_ == PolyForm::coefficient) {
    throw std::invalid_argument("poly::RnsPoly::coefficient_copy: already in coefficient form");
  }
  RnsPoly out = uninitialized(base_, PolyForm::coefficient);  // every limb written
  const SimdPath path = simd_path();
#pragma omp parallel for if (worth_threads(limbs_, n_))
  for (std::size_t i = 0; i < limbs_; ++i) ntt_inverse(out.limb(i), limb(i), base_->ntt(i), path);
  return out;
}

void RnsPoly::add_inplace(const RnsPoly& other) {
  check_compatible(other, "add");
  const EltwiseKernels& k = eltwise_kernels(simd_path());
#pragma omp parallel for if (worth_threads(limbs_, n_))
  for (std::size_t i = 0; i < limbs_; ++i) k.add(limb(i), limb(i), other.limb(i), n_, base_->modulus(i));
}

void RnsPoly::sub_inplace(const RnsPoly& other) {
  check_compatible(other, "sub");
  const EltwiseKernels& k = eltwise_kernels(simd_path());
#pragma omp parallel for if (worth_threads(limbs_, n_))
  for (std::size_t i = 0; i < limbs_; ++i) k.sub(limb(i), limb(i), other.limb(i), n_, base_->modulus(i));
}

void RnsPoly::negate_inplace() {
  const EltwiseKernels& k = eltwise_kernels(simd_path());
#pragma omp parallel for if (worth_threads(limbs_, n_))
  for (std::size_t i = 0; i < limbs_; ++i) k.negate(limb(i), limb(i), n_, base_->modulus(i));
}

void RnsPoly::mul_inplace(const RnsPoly& other) {
  check_compatible(other, "mul");
  if (form_ != PolyForm::evaluation) {
    throw std::invalid_argument("poly::RnsPoly::mul: operands must be in evaluation form (call to_evaluation)");
  }
  const EltwiseKernels& k = eltwise_kernels(simd_path());
#pragma omp parallel for if (worth_threads(limbs_, n_))
  for (std::size_t i = 0; i < limbs_; ++i) k.mul(limb(i), limb(i), other.limb(i), n_, base_->modulus(i));
}

void RnsPoly::mul_add_inplace(const RnsPoly& a, const RnsPoly& b) {
  check_compatible(a, "mul_add");
  check_compatible(b, "mul_add");
  if (form_ != PolyForm::evaluation) {
    throw std::invalid_argument("poly::RnsPoly::mul_add: operands must be in evaluation form (call to_evaluation)");
  }
  const EltwiseKernels& k = eltwise_kernels(simd_path());
#pragma omp parallel for if (worth_threads(limbs_, n_))
  for (std::size_t i = 0; i < limbs_; ++i) k.mul_add(limb(i), a.limb(i), b.limb(i), n_, base_->modulus(i));
}

void RnsPoly::mul_scalar_inplace(u64 c) {
  const EltwiseKernels& k = eltwise_kernels(simd_path());
#pragma omp parallel for if (worth_threads(limbs_, n_))
  for (std::size_t i = 0; i < limbs_; ++i) {
    const Modulus& m = base_->modulus(i);
    k.mul_scalar(limb(i), limb(i), m.reduce(c), n_, m);
  }
}

void RnsPoly::mul_scalar_inplace(const u64* c) {
  const EltwiseKernels& k = eltwise_kernels(simd_path());
#pragma omp parallel for if (worth_threads(limbs_, n_))
  for (std::size_t i = 0; i < limbs_; ++i) k.mul_scalar(limb(i), limb(i), c[i], n_, base_->modulus(i));
}

void RnsPoly::drop_to(std::shared_ptr<const RnsBase> base) {
  if (!base || base->n() != n_ || base->size() > limbs_) {
    throw std::invalid_argument("poly::RnsPoly::drop_to: target base is not a prefix of this polynomial's base");
  }
  for (std::size_t i = 0; i < base->size(); ++i) {
    if (!(base->modulus(i) == base_->modulus(i))) {
      throw std::invalid_argument("poly::RnsPoly::drop_to: target base is not a prefix of this polynomial's base");
    }
  }
  limbs_ = base->size();
  data_.resize(limbs_ * n_);
  base_ = std::move(base);
}

bool RnsPoly::operator==(const RnsPoly& other) const noexcept {
  return n_ == other.n_ && limbs_ == other.limbs_ && form_ == other.form_ &&
         (base_ == other.base_ || *base_ == *other.base_) && data_ == other.data_;
}

RnsPoly operator+(RnsPoly a, const RnsPoly& b) {
  a.add_inplace(b);
  return a;
}
RnsPoly operator-(RnsPoly a, const RnsPoly& b) {
  a.sub_inplace(b);
  return a;
}
RnsPoly operator*(RnsPoly a, const RnsPoly& b) {
  a.mul_inplace(b);
  return a;
}

}  // namespace tower::poly
