#!/usr/bin/env bash
# tools/check_sanitizers.sh — the test suite under AddressSanitizer +
# UndefinedBehaviorSanitizer (clang), plus a bounded libFuzzer run of every
# loader. Fails on any sanitizer report (every check aborts: no recovery).
#
# Usage: bash tools/check_sanitizers.sh [build dir, default build-asan]
# Environment: TOWER_FUZZ_SECONDS (default 10) per fuzz target.
#
# The whole suite runs, at -O1 with the sanitizers (several times slower than
# the release build, still a few minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build-asan}"
seconds="${TOWER_FUZZ_SECONDS:-10}"

flags="-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all"
# Coverage instrumentation of the library for libFuzzer (harmless elsewhere).
flags="$flags -fsanitize=fuzzer-no-link"

cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=None \
  -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_CXX_FLAGS="$flags" \
  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" \
  -DTOWER_FUZZ=ON -DTOWER_FUZZ_SECONDS="$seconds" >/dev/null
cmake --build "$build" -j2

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
ctest --test-dir "$build" -j2 --output-on-failure --timeout 900
