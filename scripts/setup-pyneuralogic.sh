#!/usr/bin/env bash
# Sets up PyNeuraLogic, the reference implementation the agreement tests
# compare against: a Java runtime (Debian's openjdk-17-jre-headless) and a
# virtual environment with neuralogic (pinned) and pytest. Prints the
# environment's python on success; exits non-zero (with the reason on
# stderr) when it cannot be installed, and the tests then skip visibly.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv=${NLOGIC_PYNEURALOGIC_VENV:-$root/build/pyneuralogic-venv}
version=0.9.2

if ! command -v java >/dev/null 2>&1; then
  echo "nlogic: installing a Java runtime for PyNeuraLogic" >&2
  sudo_cmd=()
  if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi
  { "${sudo_cmd[@]}" apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq \
      --no-install-recommends openjdk-17-jre-headless; } >&2 ||
    { echo "cannot install openjdk-17-jre-headless" >&2; exit 1; }
fi

if ! "$venv/bin/python" -c "import neuralogic, pytest" 2>/dev/null; then
  echo "nlogic: installing neuralogic==$version into $venv" >&2
  python3 -m venv "$venv" >&2 || { echo "cannot create $venv" >&2; exit 1; }
  "$venv/bin/pip" install -q "neuralogic==$version" pytest >&2 ||
    { echo "cannot pip install neuralogic==$version" >&2; exit 1; }
fi
echo "$venv/bin/python"
