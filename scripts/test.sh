#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test of nlogic: the lit
# suite (dialect round trips, verifier diagnostics, passes, the NeuraLogic
# importer, PyNeuraLogic's dataset templates when ../shared is present).
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

count() { grep -E "^\s*$1\s*:" "$log" | grep -oE '[0-9]+' | head -1 || true; }
passed=$(count Passed); failed=$(count Failed); skipped=$(count Unsupported)
echo "tests: ${passed:-0} passed, ${failed:-0} failed, ${skipped:-0} skipped"
exit "$status"
