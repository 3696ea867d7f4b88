// ckks/security.cpp — the table itself.
#include "ckks/security.hpp"

namespace tower::ckks {

std::string_view to_string(SecurityLevel level) noexcept {
  switch (level) {
    case SecurityLevel::tc128:
      return "128-bit classical";
    case SecurityLevel::tc192:
      return "192-bit classical";
    case SecurityLevel::tc256:
      return "256-bit classical";
  }
  return "unknown";
}

std::optional<int> max_log_qp(std::size_t n, SecurityLevel level) noexcept {
  struct Row {
    std::size_t n;
    int b128, b192, b256;  // 0: no entry
  };
  static constexpr Row kTable[] = {
      {1024, 27, 19, 14},     {2048, 54, 37, 29},     {4096, 109, 75, 58},   {8192, 218, 152, 118},
      {16384, 438, 305, 237}, {32768, 881, 611, 476}, {65536, 1747, 0, 0},   {131072, 3523, 0, 0},
  };
  for (const Row& r : kTable) {
    if (r.n != n) continue;
    const int b = level == SecurityLevel::tc128 ? r.b128 : level == SecurityLevel::tc192 ? r.b192 : r.b256;
    if (b == 0) return std::nullopt;
    return b;
  }
  return std::nullopt;
}

}  // namespace tower::ckks
