#!/usr/bin/env python3
"""Attention and the encoder block, compiled nlogic vs PyTorch on the CPU.

For sequence lengths 64..2048 at width 64, float64 on one core:

* single-head attention with the dense, causal and strided (Sparse
  Transformer, stride ~sqrt(N)) patterns: the templates of
  examples/transformers/ rewritten for width 64 (q, k, v projections,
  scores, softmax over J, weighted sum of v);
* the encoder block (dense attention, output projection, skip + layer
  norm, two-layer ReLU MLP of width 128, skip + layer norm), as
  examples/transformers/encoder_block.txt at width 64.

Two measurements per case, one sequence per step:

* forward: `nlogic eval --repeat` (the fastest of several passes over the
  laid-out sample) against torch under `no_grad`;
* training step (forward + backward + SGD): `nlogic train`'s per-epoch time
  (the fastest epoch after the first) against torch's forward, MSE loss and
  backward.

nlogic runs with `--fast-math` (reductions reassociate and vectorise; with
--exact it also runs with the reference's summation order). Grounding,
layout and code generation are excluded by nlogic's timers. PyTorch computes
the pattern as a boolean mask over the full N x N scores
(`scaled_dot_product_attention(attn_mask=...)`); "torch SDPA" is the dense
fused kernel without a mask, for reference.

Each case is measured in --rounds rounds (default 3), each round running
every measurement of both systems once, one after the other; a column is
the fastest of its rounds. This machine's speed drifts by tens of percent
over seconds to minutes, so interleaving the two systems and keeping each
one's best keeps a slow phase from landing on one side only.

Ratios are nlogic / torch masked (below 1: nlogic faster). The FLOP rate
counts useful arithmetic only: 4d per score computed (QK^T and AV) plus the
matrix products of the projections (2 N d^2 each) and, in the encoder, of
the output projection and the MLP; training steps count 3x the forward.
"peak" is torch's float64 1024 x 1024 matmul rate on one thread, measured
in the same run.

Needs a Python with torch (e.g. build/torch-venv from
scripts/test-torch.sh):

    build/torch-venv/bin/python bench/attention.py [--max-n 2048]
        [--max-dense-n 1024] [--min-n 64] [--patterns dense,encoder]
        [--exact] [--rounds 3]
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
MLP = 2 * D
F = torch.nn.functional


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
    rules.append(f"weights(I, J) :- d_k, k(J)^T, q(I){allowed}. "
                 "[combination=product, aggregation=softmax(agg_terms=[J])]")
    if pattern == "encoder":
        rules += ["att(I) :- weights(I, J), v(J). "
                  "[combination=product, aggregation=sum]",
                  f"norm1(I) :- {{{D},{D}}} att(I), x(I). [transformation=norm]",
                  f"mlp(I) :- {{{MLP},{D}}} norm1(I). [transformation=relu]",
                  f"attention(I) :- {{{D},{MLP}}} mlp(I), norm1(I). "
                  "[transformation=norm]"]
    else:
        rules.append("attention(I) :- weights(I, J), v(J). "
                     "[combination=product, aggregation=sum]")
    return "\n".join(rules) + "\n"


def mask(pattern, n, stride):
    i, j = np.indices((n, n))
    if pattern in ("dense", "encoder"):
        return np.ones((n, n), dtype=bool)
    if pattern == "causal":
        return j <= i
    return (j <= i) & (((i - j) < stride) | ((i - j) % stride == 0))


def write_inputs(pattern, n, stride, work):
    rng = np.random.default_rng(n)
    x = rng.normal(size=(n, D))
    (work / "t.txt").write_text(template(pattern, stride))
    (work / "ex.txt").write_text(", ".join(
        "[" + ", ".join(f"{v:.4f}" for v in row) + f"] x({i})"
        for i, row in enumerate(x)) + ".\n")
    (work / "q.txt").write_text(", ".join(f"attention({i})"
                                          for i in range(n)) + ".\n")


def run_nlogic(work, *args):
    out = subprocess.run(
        [str(NLOGIC), *args, str(work / "t.txt"), "--examples",
         str(work / "ex.txt"), "--queries", str(work / "q.txt")],
        check=True, capture_output=True, text=True)
    return out.stdout + out.stderr


def nlogic_forward_ms(work, fast_math):
    text = run_nlogic(work, "eval", "--repeat", "5",
                      *(["--fast-math"] if fast_math else []))
    return float(re.search(r"forward: ([0-9.]+) ms", text).group(1))


def nlogic_step_ms(work, fast_math):
    text = run_nlogic(work, "train", "--epochs", "5", "--optimizer", "sgd",
                      "--lr", "0.001", *(["--fast-math"] if fast_math else []))
    rates = [float(r) for r in re.findall(r"([0-9.]+) samples/s", text)]
    return 1000.0 / max(rates[1:] or rates)


def torch_model(pattern, n, m):
    """The case as a function of the input, and its weights."""
    rng = np.random.default_rng(n)
    x = torch.tensor(rng.normal(size=(n, D)))
    shapes = [(D, D)] * 3
    if pattern == "encoder":
        shapes += [(D, D), (MLP, D), (D, MLP)]
    w = [torch.tensor(rng.normal(size=s) / 8, requires_grad=True)
         for s in shapes]
    attn_mask = None if m is None else torch.from_numpy(m)

    def run():
        q, k, v = (x @ wi.T for wi in w[:3])
        att = F.scaled_dot_product_attention(q[None], k[None], v[None],
                                             attn_mask=attn_mask)[0]
        if pattern != "encoder":
            return att
        norm1 = F.layer_norm(att @ w[3].T + x, (D,), eps=1e-5)
        mlp = torch.relu(norm1 @ w[4].T)
        return F.layer_norm(mlp @ w[5].T + norm1, (D,), eps=1e-5)
    return run


def best_ms(fn, repeat=5):
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best * 1000


def torch_forward_ms(run):
    with torch.no_grad():
        return best_ms(run)


def torch_step_ms(run):
    return best_ms(lambda: (run() ** 2).mean(dim=1).sum().backward())


def forward_flops(pattern, n, scores):
    flops = 4 * D * scores + 3 * 2 * n * D * D
    if pattern == "encoder":
        flops += 2 * n * D * D + 2 * 2 * n * D * MLP
    return flops


def matmul_gflops():
    a = torch.randn(1024, 1024, dtype=torch.float64)
    a @ a
    start = time.perf_counter()
    for _ in range(5):
        a @ a
    return 5 * 2 * 1024 ** 3 / (time.perf_counter() - start) / 1e9


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-n", type=int, default=2048)
    parser.add_argument("--max-dense-n", type=int, default=1024,
                        help="dense patterns ground N^2 scores")
    parser.add_argument("--exact", action="store_true",
                        help="also time the reference summation order")
    parser.add_argument("--min-n", type=int, default=64,
                        help="shortest sequence (64, 256, 1024 or 2048)")
    parser.add_argument("--patterns", default="dense,causal,strided,encoder",
                        help="comma-separated cases to run")
    parser.add_argument("--rounds", type=int, default=3,
                        help="interleaved rounds per case (best is kept)")
    args = parser.parse_args()
    patterns = args.patterns.split(",")
    unknown = set(patterns) - {"dense", "causal", "strided", "encoder"}
    if unknown:
        parser.error(f"unknown pattern(s): {', '.join(sorted(unknown))}")
    if not NLOGIC.exists():
        sys.exit("build first: bash scripts/build.sh")
    torch.set_num_threads(1)  # nlogic's kernels run on one core
    peak = matmul_gflops()
    print(f"peak: torch float64 1024x1024 matmul, 1 thread: {peak:.1f} GFLOP/s")
    header = (f"{'case':<8} {'N':>5} {'scores':>9} | {'fwd ms':>8} "
              f"{'torch':>8} {'ratio':>6} | {'step ms':>8} "
              + (f"{'exact':>8} " if args.exact else "")
              + f"{'torch':>8} {'SDPA':>8} {'ratio':>6} | "
              f"{'GFLOP/s':>7} {'peak':>5}")
    print(header)
    work = Path(tempfile.mkdtemp(prefix="nlogic-attn-"))
    n = 64
    while n <= args.max_n:
        stride = max(2, int(round(math.sqrt(n))))
        for pattern in patterns:
            if (pattern != "strided" and n > args.max_dense_n) or \
                    n < args.min_n:
                continue
            m = mask(pattern, n, stride)
            scores = int(m.sum())
            write_inputs(pattern, n, stride, work)
            masked = torch_model(pattern, n, None if m.all() else m)
            dense = torch_model(pattern, n, None)
            measures = {
                "fwd": lambda: nlogic_forward_ms(work, True),
                "step": lambda: nlogic_step_ms(work, True),
                "exact": ((lambda: nlogic_step_ms(work, False))
                          if args.exact else (lambda: None)),
                "t_fwd": lambda: torch_forward_ms(masked),
                "t_step": lambda: torch_step_ms(masked),
                "t_dense": lambda: torch_step_ms(dense),
            }
            best = {}
            for _ in range(max(1, args.rounds)):
                for key, measure in measures.items():
                    t = measure()
                    if t is not None:
                        best[key] = min(best.get(key, t), t)
            fwd, step, exact = best["fwd"], best["step"], best.get("exact")
            t_fwd, t_step, t_dense = best["t_fwd"], best["t_step"], best["t_dense"]
            rate = 3 * forward_flops(pattern, n, scores) / step / 1e6
            print(f"{pattern:<8} {n:>5} {scores:>9} | {fwd:>8.2f} "
                  f"{t_fwd:>8.2f} {fwd / t_fwd:>5.2f}x | {step:>8.2f} "
                  + (f"{exact:>8.2f} " if args.exact else "")
                  + f"{t_step:>8.2f} {t_dense:>8.2f} {step / t_step:>5.2f}x | "
                  f"{rate:>7.2f} {rate / peak:>5.0%}", flush=True)
        n *= 4 if n < 1024 else 2


if __name__ == "__main__":
    main()
