"""Attention templates on the reference runtime against numpy.

Dense and causal single-head scaled dot-product attention
(examples/transformers/*.txt) are evaluated by `nlogic eval` on random
tokens with random projection weights, and compared with the same formulas
in numpy: Q = X Wq^T, K = X Wk^T, V = X Wv^T, A = softmax(0.5 Q K^T [masked
to j <= i]) V. Sequence lengths include 1; outputs agree to 1e-9.
"""
import json
import os
import subprocess
from pathlib import Path

import pytest

np = pytest.importorskip("numpy")

ROOT = Path(__file__).resolve().parents[2]
NLOGIC = Path(os.environ.get("NLOGIC_BIN", ROOT / "build" / "bin" / "nlogic"))
WIDTH = 4


def reference(x, wq, wk, wv, causal):
    q, k, v = x @ wq.T, x @ wk.T, x @ wv.T
    scores = 0.5 * q @ k.T
    if causal:
        scores = np.where(np.tril(np.ones_like(scores)) > 0, scores, -np.inf)
    scores -= scores.max(axis=1, keepdims=True)
    weights = np.exp(scores)
    weights /= weights.sum(axis=1, keepdims=True)
    return weights @ v


def run_nlogic(template, x, named, tmp_path):
    n = len(x)
    examples = tmp_path / "tokens.txt"
    examples.write_text(", ".join(
        "[" + ", ".join(repr(float(v)) for v in row) + f"] x({i})"
        for i, row in enumerate(x)) + ".\n")
    queries = tmp_path / "queries.txt"
    queries.write_text(", ".join(f"attention({i})" for i in range(n)) + ".\n")
    data = ["--examples", str(examples), "--queries", str(queries)]
    weights = tmp_path / "weights.json"
    subprocess.run([str(NLOGIC), "train", str(template), *data, "--epochs",
                    "0", "--save", str(weights)], check=True,
                   capture_output=True)
    start = json.loads(weights.read_text())
    for name, value in named.items():
        start["weights"][name]["values"] = [float(v) for v in value.ravel()]
    weights.write_text(json.dumps(start))
    out = subprocess.run([str(NLOGIC), "eval", str(template), *data,
                          "--weights", str(weights), "--json"], check=True,
                         capture_output=True, text=True).stdout
    return np.array([json.loads(line)["output"] for line in out.splitlines()])


@pytest.mark.parametrize("causal", [False, True], ids=["dense", "causal"])
@pytest.mark.parametrize("n", [1, 3, 7])
def test_attention_matches_numpy(causal, n, tmp_path):
    if not NLOGIC.exists():
        pytest.skip(f"nlogic not built at {NLOGIC}")
    rng = np.random.default_rng(1000 * n + causal)
    x = rng.normal(size=(n, WIDTH))
    named = {name: rng.normal(size=(WIDTH, WIDTH)) for name in ("wq", "wk", "wv")}
    template = ROOT / "examples" / "transformers" / (
        "causal_attention.txt" if causal else "attention.txt")
    ours = run_nlogic(template, x, named, tmp_path).reshape(n, WIDTH)
    expected = reference(x, named["wq"], named["wk"], named["wv"], causal)
    assert np.allclose(ours, expected, rtol=1e-9, atol=1e-9), (ours, expected)
