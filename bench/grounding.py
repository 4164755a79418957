#!/usr/bin/env python3
"""Grounding throughput: nlogic's reference grounder vs PyNeuraLogic.

Runs `nlogic ground --stats` several times on mutagenesis (from
../shared/datasets) and on a synthetic MUTAG-shaped dataset, takes the
median, and prints ground rules per second. When a Python with PyNeuraLogic
is given (--pyneuralogic PYTHON, e.g. build/pyneuralogic-venv/bin/python
after scripts/setup-pyneuralogic.sh), it times PyNeuraLogic building the
same mutagenesis dataset (grounding + network construction, JVM start-up
excluded) in the same run and prints the ratio.

    python3 bench/grounding.py [--repeat 5] [--pyneuralogic PYTHON]
"""
import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import MUTA, NLOGIC, PNL_PRELUDE, ROOT

PNL_SNIPPET = PNL_PRELUDE + r"""
template, examples, queries = sys.argv[1:4]
settings = Settings(iso_value_compression=False, chain_pruning=False)
with quiet():
    model = Model(model_file=template).build(settings)
times = []
for _ in range(int(sys.argv[4])):
    start = time.perf_counter()
    with quiet():
        model.build_dataset(FileDataset(examples_file=examples, queries_file=queries), batch_size=1)
    times.append(time.perf_counter() - start)
print(sorted(times)[len(times) // 2])
"""


def nlogic_ground(template, examples, queries=None):
    cmd = [str(NLOGIC), "ground", str(template), "--examples", str(examples), "--stats"]
    if queries:
        cmd += ["--queries", str(queries)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    rules = int(re.search(r"ground rules:\s+(\d+)", out).group(1))
    seconds = float(re.search(r"grounding:\s+([0-9.]+) s", out).group(1))
    return rules, seconds


def median_run(repeat, *args):
    runs = [nlogic_ground(*args) for _ in range(repeat)]
    rules = runs[0][0]
    return rules, statistics.median(s for _, s in runs)


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--pyneuralogic", help="a Python with neuralogic installed")
    args = parser.parse_args()
    if not NLOGIC.exists():
        sys.exit(f"build nlogic first ({NLOGIC} is missing)")

    print(f"{'dataset':28} {'ground rules':>12} {'seconds':>9} {'rules/s':>12}")
    with tempfile.TemporaryDirectory() as tmp:
        synthetic = Path(tmp) / "mutag_like.jsonl"
        subprocess.run([sys.executable, str(ROOT / "examples/gnn/make_mutag_like.py"),
                        str(synthetic)], check=True)
        rules, secs = median_run(args.repeat, ROOT / "examples/gnn/gcn.txt", synthetic)
        print(f"{'synthetic MUTAG (GCN)':28} {rules:>12} {secs:>9.4f} {rules / secs:>12.0f}")

    if not MUTA.is_dir():
        print("mutagenesis: skipped (../shared/datasets not found)")
        return
    template = MUTA / "templates" / "template_gnn.txt"
    rules, secs = median_run(args.repeat, template, MUTA / "examples.txt", MUTA / "queries.txt")
    print(f"{'mutagenesis (template_gnn)':28} {rules:>12} {secs:>9.4f} {rules / secs:>12.0f}")

    if args.pyneuralogic:
        out = subprocess.run([args.pyneuralogic, "-c", PNL_SNIPPET, str(template),
                              str(MUTA / "examples.txt"), str(MUTA / "queries.txt"),
                              str(args.repeat)], check=True, capture_output=True,
                             text=True).stdout
        pnl = float(out.strip().splitlines()[-1])
        print(f"{'PyNeuraLogic build_dataset':28} {'':>12} {pnl:>9.4f} {rules / pnl:>12.0f}"
              f"   (nlogic is {pnl / secs:.1f}x faster)")


if __name__ == "__main__":
    main()
