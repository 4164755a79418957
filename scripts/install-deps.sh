#!/usr/bin/env bash
# Installs what nlogic needs to build and test, and nothing that is already
# there: Debian 12's LLVM/MLIR 22 (bookworm-security), clang-22 + lld,
# CMake, Ninja, ccache. Safe to run repeatedly; run as root (or with sudo).
set -euo pipefail

packages=(
  cmake ninja-build ccache python3 python3-dev pybind11-dev libgtest-dev
  clang-22 lld-22
  llvm-22-dev llvm-22-tools libmlir-22-dev mlir-22-tools
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "nlogic: installing ${missing[*]}"
  sudo_cmd=()
  if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq \
    --no-install-recommends "${missing[@]}"
fi
