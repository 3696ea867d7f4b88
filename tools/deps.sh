#!/usr/bin/env bash
# Installs tower's build and test dependencies on Debian 12 if any is missing.
set -euo pipefail
# clang and its runtime libraries (libFuzzer, ASan, UBSan) serve tools/check_sanitizers.sh.
pkgs=(cmake g++ make libntl-dev libgmp-dev libomp-dev libgtest-dev libbenchmark-dev libsodium-dev
      clang libclang-rt-14-dev)
if ! dpkg -s "${pkgs[@]}" >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${pkgs[@]}"
fi
