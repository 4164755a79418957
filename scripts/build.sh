#!/usr/bin/env bash
# Configures (once) and builds nlogic incrementally in build/ (override with
# NLOGIC_BUILD_DIR). Links Debian's shared libMLIR/libLLVM and uses ccache,
# so rebuilds after small edits take seconds.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${NLOGIC_BUILD_DIR:-$root/build}
llvm=/usr/lib/llvm-22

if [[ ! -f $build/build.ninja ]]; then
  cmake -G Ninja -S "$root" -B "$build" \
    -DCMAKE_BUILD_TYPE=Release \
    -DMLIR_DIR=$llvm/lib/cmake/mlir \
    -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
    -DLLVM_USE_LINKER=lld-22 \
    -DLLVM_EXTERNAL_LIT=$llvm/bin/lit
fi
# Two cores: two jobs keep peak memory well under the machine's limit.
ninja -C "$build" -j "${NLOGIC_JOBS:-2}" all mlir-doc "$@"
