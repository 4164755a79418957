#!/usr/bin/env bash
# Opt-in test target: the transformer templates against PyTorch (CPU).
# PyPI's torch wheel brings its CUDA libraries (about 5 GB installed), so
# the default test command compares with numpy instead; this script
# installs torch, numpy and pytest into build/torch-venv (once), builds
# nlogic if needed, and runs test/Transformers (numpy and torch cases) on
# both engines.
#
#   scripts/test-torch.sh
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${NLOGIC_BUILD_DIR:-$root/build}
venv=${NLOGIC_TORCH_VENV:-$build/torch-venv}

"$root/scripts/install-deps.sh"
"$root/scripts/build.sh" >/dev/null
if ! "$venv/bin/python" -c "import torch, numpy, pytest" 2>/dev/null; then
  echo "nlogic: installing torch into $venv (several GB)" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q torch numpy pytest
fi
NLOGIC_BIN="$build/bin/nlogic" NLOGIC_CACHE_DIR="$build/test/kernel-cache" \
  "$venv/bin/python" -m pytest -q -rs "$root/test/Transformers"
