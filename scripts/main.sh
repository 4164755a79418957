#!/usr/bin/env bash
# nlogic's main job, as far as the project goes today: import the seed
# article's causal attention from NeuraLogic text, verify it, run the
# template-level pipeline (stratification, pruning to the queried relation)
# and print the resulting nlogic IR. Installs and builds what is missing.
#
#   scripts/main.sh [TEMPLATE.txt [QUERY_RELATION]]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${NLOGIC_BUILD_DIR:-$root/build}
template=${1:-$root/examples/templates/causal_attention.txt}
query=${2:-attention}

"$root/scripts/install-deps.sh"
"$root/scripts/build.sh" >/dev/null

echo "== importing $template"
"$build/bin/nlogic-translate" --import-neuralogic "$template" -o "$build/main.mlir"
echo "== verified; running nlogic-stratify, nlogic-prune-unreachable{queries=$query}"
"$build/bin/nlogic-opt" "$build/main.mlir" \
  --pass-pipeline="builtin.module(nlogic.template(nlogic-stratify,nlogic-prune-unreachable{queries=$query}))"
