#!/usr/bin/env bash
# nlogic's main job, as far as the project goes today: import the seed
# article's causal attention from NeuraLogic text, verify it, run the
# template-level pipeline (stratification, pruning to the queried relation)
# and print the resulting nlogic IR; then train the GCN example on a
# synthetic MUTAG-shaped graph dataset with the reference runtime. Installs
# and builds what is missing.
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

echo "== training the GCN example on a synthetic MUTAG-shaped dataset"
python3 "$root/examples/gnn/make_mutag_like.py" "$build/mutag_like.jsonl"
"$build/bin/nlogic" train "$root/examples/gnn/gcn.txt" \
  --examples "$build/mutag_like.jsonl" --optimizer adam --lr 0.01 \
  --batch-size 8 --epochs 30 --seed 1 --save "$build/gcn_weights.json"
