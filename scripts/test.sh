#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test of nlogic: the lit
# suite (dialect round trips, verifier diagnostics, passes, the NeuraLogic
# importer, PyNeuraLogic's dataset templates when ../shared is present).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${NLOGIC_BUILD_DIR:-$root/build}

"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"
ninja -C "$build" check-nlogic
