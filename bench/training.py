#!/usr/bin/env python3
"""Training throughput: compiled engine vs reference evaluator vs PyNeuraLogic.

Workloads:
  * mutag-gcn: a seeded synthetic MUTAG-shaped dataset (188 graphs, ~18
    nodes, ~20 undirected edges, 7 one-hot atom types) with the 2-layer
    GCN of examples/gnn/gcn.txt (width 10, mean readout);
  * mutagenesis: PyNeuraLogic's mutagenesis dataset with its
    template_gnn.txt (from ../shared/datasets, when present).

For each workload and batch size (1 and 32) it trains with `nlogic train
--engine compiled` and `--engine reference` in the same run, reads the
per-epoch throughput nlogic prints (median over the epochs after the
first), and prints epochs per second, time per sample per step, the
compiled/reference ratio and the peak resident memory of each run. With
--pyneuralogic PYTHON (a Python with `neuralogic`, e.g. the venv of
scripts/setup-pyneuralogic.sh) it also times PyNeuraLogic training the same
mutagenesis template for the same epochs with Adam and batch 1 (its
dataset build timed separately) and prints the ratio to the compiled engine.

Ratios are measured in one run on the same machine; absolute numbers vary
with the machine's load.

    python3 bench/training.py [--epochs 20] [--pyneuralogic PYTHON]
"""
import argparse
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from common import MUTA, NLOGIC, PNL_PRELUDE, ROOT

PNL_SNIPPET = PNL_PRELUDE + r"""
from neuralogic.nn.loss import MSE
from neuralogic.nn.optim import Adam
template, examples, queries, epochs = sys.argv[1:5]
settings = Settings(optimizer=Adam(lr=0.01), error_function=MSE(),
                    iso_value_compression=False, chain_pruning=False)
with quiet():
    model = Model(model_file=template).build(settings)
start = time.perf_counter()
with quiet():
    data = model.build_dataset(FileDataset(examples_file=examples, queries_file=queries), batch_size=1)
build = time.perf_counter() - start
times = []
for _ in range(int(epochs)):
    start = time.perf_counter()
    with quiet():
        model.train(data, epochs=1)
    times.append(time.perf_counter() - start)
steady = times[1:] or times
print(build, sorted(steady)[len(steady) // 2])
"""


def run_train(template, examples, queries, engine, batch, epochs):
    cmd = [str(NLOGIC), "train", str(template), "--examples", str(examples),
           "--engine", engine, "--batch-size", str(batch),
           "--epochs", str(epochs), "--optimizer", "adam", "--lr", "0.01"]
    if queries:
        cmd += ["--queries", str(queries)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    out, err = proc.stdout, proc.stderr
    if proc.returncode != 0:
        sys.exit(f"nlogic failed: {' '.join(cmd)}\n{err}")
    rates = [float(m) for m in re.findall(r"epoch \d+/\d+ .* ([0-9.]+) samples/s",
                                          out + err)]
    samples = int(re.search(r"on (\d+) samples", out).group(1))
    rate = statistics.median(rates[1:] or rates)
    return samples, rate


def peak_rss_mb(cmd):
    """Peak resident set of a command, via /usr/bin/time when available."""
    try:
        res = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd,
                             capture_output=True, text=True)
        return int(res.stderr.strip().splitlines()[-1]) / 1024
    except (OSError, ValueError, IndexError):
        return float("nan")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--pyneuralogic", help="Python with PyNeuraLogic")
    args = parser.parse_args()
    if not NLOGIC.exists():
        sys.exit("build first: bash scripts/build.sh")

    work = Path(tempfile.mkdtemp(prefix="nlogic-bench-"))
    mutag = work / "mutag.jsonl"
    subprocess.run([sys.executable, str(ROOT / "examples/gnn/make_mutag_like.py"),
                    str(mutag)], check=True)
    workloads = [("mutag-gcn", ROOT / "examples/gnn/gcn.txt", mutag, None)]
    if MUTA.is_dir():
        workloads.append(("mutagenesis", MUTA / "templates/template_gnn.txt",
                          MUTA / "examples.txt", MUTA / "queries.txt"))

    print(f"{'workload':<12} {'batch':>5} {'engine':<9} {'epochs/s':>9} "
          f"{'us/sample':>9} {'ratio':>7} {'peak MB':>8}")
    compiled_rate = {}
    for name, template, examples, queries in workloads:
        for batch in (1, 32):
            rates = {}
            for engine in ("reference", "compiled"):
                # The reference is slow: fewer epochs give the same median.
                epochs = max(3, args.epochs // 4) if engine == "reference" else args.epochs
                samples, rate = run_train(template, examples, queries, engine,
                                          batch, epochs)
                cmd = [str(NLOGIC), "train", str(template), "--examples",
                       str(examples), "--engine", engine, "--batch-size",
                       str(batch), "--epochs", "3"]
                if queries:
                    cmd += ["--queries", str(queries)]
                rss = peak_rss_mb(cmd)
                rates[engine] = rate
                ratio = rate / rates["reference"]
                print(f"{name:<12} {batch:>5} {engine:<9} {rate / samples:>9.1f} "
                      f"{1e6 / rate:>9.2f} {ratio:>6.1f}x {rss:>8.1f}")
            compiled_rate[(name, batch)] = (samples, rates["compiled"])

    if args.pyneuralogic and MUTA.is_dir():
        res = subprocess.run(
            [args.pyneuralogic, "-c", PNL_SNIPPET, str(MUTA / "templates/template_gnn.txt"),
             str(MUTA / "examples.txt"), str(MUTA / "queries.txt"),
             str(max(3, args.epochs // 4))],
            check=True, capture_output=True, text=True)
        build, epoch = map(float, res.stdout.split())
        samples, rate = compiled_rate[("mutagenesis", 1)]
        ours = samples / rate
        print(f"\nPyNeuraLogic mutagenesis, batch 1, Adam: dataset build {build:.2f} s, "
              f"{epoch:.3f} s/epoch ({1 / epoch:.1f} epochs/s)")
        print(f"nlogic compiled: {ours:.4f} s/epoch -> {epoch / ours:.1f}x PyNeuraLogic's "
              f"training time per epoch")


if __name__ == "__main__":
    main()
