#!/usr/bin/env bash
# Installs tower's build and test dependencies on Debian 12 if any is missing.
set -euo pipefail
pkgs=(cmake g++ make libntl-dev libgmp-dev libomp-dev libgtest-dev libbenchmark-dev libsodium-dev)
if ! dpkg -s "${pkgs[@]}" >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${pkgs[@]}"
fi
