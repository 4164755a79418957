#!/usr/bin/env bash
# A virtual environment for the Python package's tests: numpy and pytest
# from PyPI (nlogic itself is used in place, from build/python). Prints the
# environment's python; exits non-zero with the reason when it cannot be
# installed.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv=${NLOGIC_PYTHON_VENV:-$root/build/python-venv}

if ! "$venv/bin/python" -c "import numpy, pytest" 2>/dev/null; then
  echo "nlogic: installing numpy and pytest into $venv" >&2
  python3 -m venv "$venv" >&2 || { echo "cannot create $venv" >&2; exit 1; }
  "$venv/bin/pip" install -q numpy pytest >&2 ||
    { echo "cannot pip install numpy pytest" >&2; exit 1; }
fi
echo "$venv/bin/python"
