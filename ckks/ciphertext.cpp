// ckks/ciphertext.cpp — constructors and tower drops of the data types.
#include "ckks/ciphertext.hpp"

#include <stdexcept>
#include <string>

#include "ckks/plaintext.hpp"

namespace tower::ckks {

Ciphertext::Ciphertext(std::shared_ptr<const Context> context, std::size_t level, double scale, std::size_t size)
    : context_(std::move(context)), scale_(scale) {
  if (!context_) throw std::invalid_argument("ckks::Ciphertext: null context");
  if (size != 2 && size != 3) {
    throw std::invalid_argument("ckks::Ciphertext: size must be 2 or 3, got " + std::to_string(size));
  }
  const auto& base = context_->q_base(level);
  for (std::size_t i = 0; i < size; ++i) polys_.emplace_back(base, poly::PolyForm::evaluation);
}

Ciphertext::Ciphertext(std::shared_ptr<const Context> context, std::vector<poly::RnsPoly> components, double scale)
    : context_(std::move(context)), polys_(std::move(components)), scale_(scale) {
  if (!context_) throw std::invalid_argument("ckks::Ciphertext: null context");
  if (polys_.size() != 2 && polys_.size() != 3) {
    throw std::invalid_argument("ckks::Ciphertext: size must be 2 or 3, got " + std::to_string(polys_.size()));
  }
  const std::size_t level = polys_.front().size() - 1;
  if (level > context_->max_level()) throw std::invalid_argument("ckks::Ciphertext: components above the top level");
  const auto& base = context_->q_base(level);
  for (const auto& p : polys_) {
    if (!(*p.base() == *base) || !p.is_evaluation()) {
      throw std::invalid_argument("ckks::Ciphertext: components must share a level base of the context, in evaluation form");
    }
  }
}

Plaintext::Plaintext(std::shared_ptr<const Context> context, poly::RnsPoly poly, double scale)
    : context_(std::move(context)), poly_(std::move(poly)), scale_(scale) {
  if (!context_) throw std::invalid_argument("ckks::Plaintext: null context");
  const std::size_t level = poly_.size() - 1;
  if (level > context_->max_level() || !(*poly_.base() == *context_->q_base(level)) || !poly_.is_evaluation()) {
    throw std::invalid_argument("ckks::Plaintext: polynomial must be over a level base of the context, in evaluation form");
  }
}

void Plaintext::drop_to_level(std::size_t level) {
  if (level > this->level()) {
    throw std::invalid_argument("ckks::Plaintext::drop_to_level: target level " + std::to_string(level) +
                                " is above the plaintext's level " + std::to_string(this->level()));
  }
  if (level < this->level()) poly_.drop_to(context_->q_base(level));
}

}  // namespace tower::ckks
