// tools/demo.cpp — tower's first demo: multiply two random polynomials in
// Z_q[X]/(X^N + 1) through the NTT, on every SIMD path this CPU has, and check
// the product against the schoolbook negacyclic product.
//
// (Later issues replace this with a CKKS round trip and encrypted inference.)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "poly/cpu.hpp"
#include "poly/ntt.hpp"
#include "poly/primes.hpp"
#include "poly/sampling.hpp"

using namespace tower::poly;

int main() {
  const std::size_t n = 4096;
  const u64 q = ntt_primes(50, n, 1)[0];
  const Modulus m(q);
  const NttTables tables(n, m);
  std::printf("tower demo: negacyclic product in Z_q[X]/(X^%zu + 1), q = %llu (%d bits)\n", n,
              static_cast<unsigned long long>(q), m.bits());

  // Two random polynomials from the CSPRNG.
  SystemPrng prng;
  std::vector<u64> a(n), b(n);
  for (auto* v : {&a, &b}) {
    for (auto& x : *v) {
      do {
        x = prng.next_u64() & ((u64{1} << m.bits()) - 1);
      } while (x >= q);
    }
  }

  // Schoolbook: c_k = sum_{i+j=k} a_i b_j - sum_{i+j=k+N} a_i b_j.
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<u64> expect(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      const u64 p = m.mul(a[i], b[j]);
      const std::size_t k = i + j;
      if (k < n) {
        expect[k] = m.add(expect[k], p);
      } else {
        expect[k - n] = m.sub(expect[k - n], p);
      }
    }
  }
  const double school_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  std::printf("  schoolbook O(N^2) product: %.1f ms\n", school_ms);

  bool ok = true;
  for (SimdPath path : {SimdPath::scalar, SimdPath::avx2, SimdPath::avx512}) {
    if (!simd_path_supported(path)) {
      std::printf("  %-8s not supported by this CPU\n", std::string(to_string(path)).c_str());
      continue;
    }
    AlignedVector fa(a.begin(), a.end()), fb(b.begin(), b.end());
    const auto t1 = std::chrono::steady_clock::now();
    ntt_forward(fa.data(), tables, path);
    ntt_forward(fb.data(), tables, path);
    for (std::size_t i = 0; i < n; ++i) fa[i] = m.mul(fa[i], fb[i]);
    ntt_inverse(fa.data(), tables, path);
    const double us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t1).count();
    const bool same = std::equal(fa.begin(), fa.end(), expect.begin());
    ok = ok && same;
    std::printf("  %-30s NTT product: %8.1f us  %s\n", describe_simd_path(path).c_str(), us,
                same ? "matches schoolbook" : "MISMATCH");
  }
  std::printf(ok ? "OK\n" : "FAILED\n");
  return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}
