#!/usr/bin/env python3
"""Attention, compiled nlogic vs PyTorch on the CPU: time per training step.

For sequence lengths 64..2048 at width 64, single-head attention with the
dense, causal and strided (Sparse Transformer, stride ~sqrt(N)) patterns:

* nlogic: the templates of examples/transformers/ rewritten for width 64,
  trained with `nlogic train` on one sequence (the compiled engine's
  per-epoch time is one forward + backward + SGD step; grounding, layout
  and code generation are excluded by nlogic's per-epoch timer);
* PyTorch (float64, like nlogic): projections + attention + MSE loss,
  forward and backward, (a) with the pattern as a boolean mask over the
  full N x N scores (`scaled_dot_product_attention(attn_mask=...)`) and
  (b) dense SDPA without a mask.

nlogic runs twice: with its kernels' exact summation order (the reference
evaluator's bits) and with `--fast-math` (reductions reassociate, so dot
products vectorise); the ratio and FLOP rate are the fast-math run's.
It prints milliseconds per step, the ratio nlogic / torch, the number of
scores each pattern computes, and nlogic's useful FLOP rate (2 * 2 * d per
score for QK^T and AV, forward; x3 with backward) next to torch's float64
matmul rate measured in the same run. Needs a Python with torch (e.g.
build/torch-venv from scripts/test-torch.sh).

    build/torch-venv/bin/python bench/attention.py [--max-n 1024]
"""
import argparse
import math
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

from common import NLOGIC

D = 64


def template(pattern, stride):
    rules = [f"<{1 / math.sqrt(D)!r}> d_k.",
             f"q(I) :- {{{D},{D}}} x(I).",
             f"k(I) :- {{{D},{D}}} x(I).",
             f"v(I) :- {{{D},{D}}} x(I)."]
    allowed = ""
    if pattern == "causal":
        allowed = ", @leq(J, I)"
    elif pattern == "strided":
        rules += [f"allowed(I, J) :- x(I), *x(J), @leq(J, I), @sub(I, J, D), @lt(D, {stride}).",
                  f"allowed(I, J) :- x(I), *x(J), @leq(J, I), @sub(I, J, D), @mod(D, {stride}, 0)."]
        allowed = ", *allowed(I, J)"
    rules += [f"weights(I, J) :- d_k, k(J)^T, q(I){allowed}. "
              "[combination=product, aggregation=softmax(agg_terms=[J])]",
              "attention(I) :- weights(I, J), v(J). "
              "[combination=product, aggregation=sum]"]
    return "\n".join(rules) + "\n"


def mask(pattern, n, stride):
    i, j = np.indices((n, n))
    if pattern == "dense":
        return np.ones((n, n), dtype=bool)
    if pattern == "causal":
        return j <= i
    return (j <= i) & (((i - j) < stride) | ((i - j) % stride == 0))


def nlogic_step_ms(pattern, n, stride, work, fast_math=False):
    rng = np.random.default_rng(n)
    x = rng.normal(size=(n, D))
    (work / "t.txt").write_text(template(pattern, stride))
    (work / "ex.txt").write_text(", ".join(
        "[" + ", ".join(f"{v:.4f}" for v in row) + f"] x({i})"
        for i, row in enumerate(x)) + ".\n")
    (work / "q.txt").write_text(", ".join(f"attention({i})"
                                          for i in range(n)) + ".\n")
    out = subprocess.run(
        [str(NLOGIC), "train", str(work / "t.txt"), "--examples",
         str(work / "ex.txt"), "--queries", str(work / "q.txt"),
         "--epochs", "4", "--optimizer", "sgd", "--lr", "0.001"]
        + (["--fast-math"] if fast_math else []),
        check=True, capture_output=True, text=True)
    rates = [float(r) for r in re.findall(r"(\d+) samples/s",
                                          out.stdout + out.stderr)]
    return 1000.0 / max(rates[1:] or rates)


def torch_step_ms(n, m, repeat=5):
    rng = np.random.default_rng(n)
    x = torch.tensor(rng.normal(size=(n, D)))
    w = [torch.tensor(rng.normal(size=(D, D)) / 8, requires_grad=True)
         for _ in range(3)]
    attn_mask = None if m is None else torch.from_numpy(m)
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        q, k, v = (x @ wi.T for wi in w)
        out = torch.nn.functional.scaled_dot_product_attention(
            q[None], k[None], v[None], attn_mask=attn_mask)[0]
        (out ** 2).mean(dim=1).sum().backward()
        best = min(best, time.perf_counter() - start)
    return best * 1000


def matmul_gflops():
    a = torch.randn(1024, 1024, dtype=torch.float64)
    a @ a
    start = time.perf_counter()
    for _ in range(5):
        a @ a
    return 5 * 2 * 1024 ** 3 / (time.perf_counter() - start) / 1e9


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-n", type=int, default=1024)
    parser.add_argument("--max-dense-n", type=int, default=512,
                        help="dense patterns ground N^2 scores")
    args = parser.parse_args()
    if not NLOGIC.exists():
        sys.exit("build first: bash scripts/build.sh")
    torch.set_num_threads(1)  # nlogic's kernels run on one core
    peak = matmul_gflops()
    print(f"torch float64 1024x1024 matmul, 1 thread: {peak:.1f} GFLOP/s")
    print(f"{'pattern':<8} {'N':>5} {'scores':>9} {'nlogic ms':>10} "
          f"{'fast-math':>10} {'torch masked':>13} {'torch SDPA':>11} "
          f"{'vs masked':>10} {'GFLOP/s':>8}")
    work = Path(tempfile.mkdtemp(prefix="nlogic-attn-"))
    n = 64
    while n <= args.max_n:
        stride = max(2, int(round(math.sqrt(n))))
        for pattern in ("dense", "causal", "strided"):
            if pattern != "strided" and n > args.max_dense_n:
                continue
            m = mask(pattern, n, stride)
            scores = int(m.sum())
            exact = nlogic_step_ms(pattern, n, stride, work)
            ours = nlogic_step_ms(pattern, n, stride, work, fast_math=True)
            masked = torch_step_ms(n, None if pattern == "dense" else m)
            dense = torch_step_ms(n, None)
            flops = 3 * 2 * 2 * D * scores  # QK^T and AV, forward + backward
            print(f"{pattern:<8} {n:>5} {scores:>9} {exact:>10.2f} "
                  f"{ours:>10.2f} {masked:>13.2f} {dense:>11.2f} "
                  f"{ours / masked:>9.1f}x {flops / ours / 1e6:>8.2f}")
        n *= 4


if __name__ == "__main__":
    main()
