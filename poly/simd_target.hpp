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
#pragma once

#define TOWER_PRAGMA(x) _Pragma(#x)
#if defined(__clang__)
#define TOWER_TARGET_BEGIN(isa) TOWER_PRAGMA(clang attribute push(__attribute__((target(isa))), apply_to = function))
#define TOWER_TARGET_END TOWER_PRAGMA(clang attribute pop)
#else
#define TOWER_TARGET_BEGIN(isa) TOWER_PRAGMA(GCC push_options) TOWER_PRAGMA(GCC target(isa))
#define TOWER_TARGET_END TOWER_PRAGMA(GCC pop_options)
#endif
