#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test of nlogic:
#  - the lit suite (dialect round trips, verifier diagnostics, passes, the
#    NeuraLogic importer, the runtime and CLI, GoogleTest unit tests, and
#    PyNeuraLogic's datasets when ../shared is present);
#  - pytest: the agreement tests against PyNeuraLogic and the transformer
#    templates against numpy, in a virtual environment with PyNeuraLogic
#    (Java + pip); skipped with the reason if that cannot be installed;
#  - pytest: the Python package (build/python) in a venv with numpy.
# Ends with one summary line "tests: N passed, N failed, N skipped".
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${NLOGIC_BUILD_DIR:-$root/build}

"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"

log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
ninja -C "$build" check-nlogic 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
pick() { grep -oE "[0-9]+ $1" "$log" | tail -1 | grep -oE '^[0-9]+' || true; }
count() { grep -E "^\s*$1\s*:" "$log" | grep -oE '[0-9]+' | head -1 || true; }
passed=$(count Passed); failed=$(count Failed); skipped=$(count Unsupported)
passed=${passed:-0}; failed=${failed:-0}; skipped=${skipped:-0}

# Runs pytest with the python `$1` on the remaining arguments and adds its
# counts to the totals.
run_pytest() {
  local python=$1
  shift
  set +e
  NLOGIC_BIN="$build/bin/nlogic" NLOGIC_PYTHON_DIR="$build/python" \
    NLOGIC_TRANSLATE="$build/bin/nlogic-translate" \
    NLOGIC_CACHE_DIR="$build/test/kernel-cache" \
    "$python" -m pytest -q -rs "$@" 2>&1 | tee "$log"
  local pytest_status=${PIPESTATUS[0]}
  set -e
  p=$(pick passed); f=$(pick failed); s=$(pick skipped)
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
  skipped=$((skipped + ${s:-0}))
  if [[ $pytest_status -ne 0 ]]; then status=$pytest_status; fi
}

echo "== pytest: agreement with PyNeuraLogic, attention against numpy"
if pnl_python=$("$root/scripts/setup-pyneuralogic.sh"); then
  NLOGIC_PYNEURALOGIC_PYTHON="$pnl_python" run_pytest "$pnl_python" \
    "$root/test/Agreement" "$root/test/Transformers" \
    --ignore="$root/test/Transformers/test_torch.py"
else
  echo "skipped: the pytest suites (PyNeuraLogic could not be installed)"
  skipped=$((skipped + 1))
fi

echo "== pytest: the Python package (language, native runtime, seed transformer)"
# PyNeuraLogic's venv has numpy too, and lets the language tests compare
# with PyNeuraLogic's own text; without it, a venv with numpy alone.
if [[ -n ${pnl_python:-} ]] || py_python=$("$root/scripts/setup-python-venv.sh"); then
  run_pytest "${pnl_python:-$py_python}" "$root/test/Python"
else
  echo "skipped: the Python package's tests (numpy/pytest could not be installed)"
  skipped=$((skipped + 1))
fi
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit "$status"
