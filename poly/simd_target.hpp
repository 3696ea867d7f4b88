// poly/simd_target.hpp — internal: enabling an instruction set for a region of
// one kernel file only, with GCC or clang.
//
// The SIMD kernels are compiled in the same translation units as baseline code
// would be (no -mavx512f for the whole file), so that no inline function from a
// shared header — std::, or tower's own — is ever instantiated with
// instructions the running CPU may lack and then picked by the linker for
// baseline callers. Each kernel file includes everything first, then wraps its
// kernel code in TOWER_TARGET_BEGIN("isa,...") ... TOWER_TARGET_END:
//  * GCC: #pragma GCC push_options / target / pop_options;
//  * clang: #pragma clang attribute push(target(...)) applied to every function.
// Regions must not nest (clang would stack two target attributes); a region
// that needs more features lists them all.
//
// It also includes <immintrin.h> for the kernel files. GCC 12.1/12.2 report a
// spurious -W(maybe-)uninitialized inside the AVX-512 intrinsics (their
// _mm512_undefined_* placeholders; GCC PR 105593, fixed in 12.3). The
// diagnostic is located in that header, so silencing it around the include is
// enough and leaves the warning on for the kernels' own code.
#pragma once

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#endif
#include <immintrin.h>
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

#define TOWER_PRAGMA(x) _Pragma(#x)
#if defined(__clang__)
#define TOWER_TARGET_BEGIN(isa) TOWER_PRAGMA(clang attribute push(__attribute__((target(isa))), apply_to = function))
#define TOWER_TARGET_END TOWER_PRAGMA(clang attribute pop)
#else
#define TOWER_TARGET_BEGIN(isa) TOWER_PRAGMA(GCC push_options) TOWER_PRAGMA(GCC target(isa))
#define TOWER_TARGET_END TOWER_PRAGMA(GCC pop_options)
#endif
