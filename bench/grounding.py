#!/usr/bin/env python3
"""Grounding throughput: compiled join plans vs the reference grounder
(and PyNeuraLogic).

Runs `nlogic ground --stats` several times with each grounder (`--engine
compiled`: join plans compiled to host code; `--engine reference`: the same
plans interpreted) on mutagenesis (from ../shared/datasets), a synthetic
MUTAG-shaped dataset and causal attention over 256 and 1024 tokens (where
the dense plans iterate the triangle), takes the medians, and prints ground
rules per second and their ratio, measured in the same run. Compiling the
plans is reported apart (it is cached on disk). When a Python with
PyNeuraLogic is given (--pyneuralogic PYTHON, e.g.
build/pyneuralogic-venv/bin/python after scripts/setup-pyneuralogic.sh), it
times PyNeuraLogic building the same mutagenesis dataset (grounding +
network construction, JVM start-up excluded) and prints that ratio too.

    python3 bench/grounding.py [--repeat 5] [--pyneuralogic PYTHON]
"""
import argparse
import random
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


def nlogic_ground(engine, template, examples, queries=None):
    cmd = [str(NLOGIC), "ground", str(template), "--examples", str(examples),
           "--stats", "--engine", engine]
    if queries:
        cmd += ["--queries", str(queries)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    rules = int(re.search(r"ground rules:\s+(\d+)", out).group(1))
    seconds = float(re.search(r"grounding:\s+([0-9.]+) s", out).group(1))
    return rules, max(seconds, 1e-4)


def median_run(repeat, engine, *args):
    runs = [nlogic_ground(engine, *args) for _ in range(repeat)]
    rules = runs[0][0]
    return rules, statistics.median(s for _, s in runs)


def compare(repeat, name, *args):
    """Both grounders on one dataset, interleaved; returns the compiled
    grounder's (rules, seconds)."""
    rules, ref = median_run(repeat, "reference", *args)
    _, comp = median_run(repeat, "compiled", *args)
    print(f"{name:28} {rules:>12} {rules / ref:>14.0f} {rules / comp:>14.0f}"
          f" {ref / comp:>7.2f}x")
    return rules, comp


def tokens(path, n):
    """One sequence of n 4-wide tokens for the causal attention template."""
    rng = random.Random(n)
    facts = ", ".join(
        "[" + ",".join(f"{rng.random():.2f}" for _ in range(4)) + f"] x({i})"
        for i in range(n))
    path.write_text(facts + ".\n")
    queries = path.with_name(path.stem + "_queries.txt")
    queries.write_text(f"[0,0,0,1] attention({n - 1}).\n")
    return path, queries


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--pyneuralogic", help="a Python with neuralogic installed")
    args = parser.parse_args()
    if not NLOGIC.exists():
        sys.exit(f"build nlogic first ({NLOGIC} is missing)")

    print(f"{'dataset':28} {'ground rules':>12} {'reference/s':>14} "
          f"{'compiled/s':>14} {'ratio':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        synthetic = Path(tmp) / "mutag_like.jsonl"
        subprocess.run([sys.executable, str(ROOT / "examples/gnn/make_mutag_like.py"),
                        str(synthetic)], check=True)
        compare(args.repeat, "synthetic MUTAG (GCN)", ROOT / "examples/gnn/gcn.txt",
                synthetic)
        for n in (256, 1024):
            examples, queries = tokens(Path(tmp) / f"tokens{n}.txt", n)
            compare(args.repeat, f"causal attention, N={n}",
                    ROOT / "examples/transformers/causal_attention.txt", examples,
                    queries)

    if not MUTA.is_dir():
        print("mutagenesis: skipped (../shared/datasets not found)")
        return
    template = MUTA / "templates" / "template_gnn.txt"
    rules, secs = compare(args.repeat, "mutagenesis (template_gnn)", template,
                          MUTA / "examples.txt", MUTA / "queries.txt")

    if args.pyneuralogic:
        out = subprocess.run([args.pyneuralogic, "-c", PNL_SNIPPET, str(template),
                              str(MUTA / "examples.txt"), str(MUTA / "queries.txt"),
                              str(args.repeat)], check=True, capture_output=True,
                             text=True).stdout
        pnl = float(out.strip().splitlines()[-1])
        print(f"PyNeuraLogic build_dataset: {pnl:.4f} s, {rules / pnl:.0f} rules/s"
              f" (the compiled grounder is {pnl / secs:.1f}x faster)")


if __name__ == "__main__":
    main()
