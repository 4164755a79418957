"""Opt-in: the transformer templates against PyTorch, outputs and gradients.

Skipped unless `torch` can be imported: PyPI's torch wheel brings gigabytes
of CUDA libraries, so the default test run compares with numpy
(test_attention.py) and `scripts/test-torch.sh` installs torch into
build/torch-venv and runs this file.

For dense, causal, strided and fixed attention
(`torch.nn.functional.scaled_dot_product_attention` with the equivalent
boolean masks), multi-head attention (`torch.nn.MultiheadAttention` with
bias=False, its weights set to the template's), and the encoder block
(torch ops: SDPA, linear maps, `layer_norm` without affine, ReLU), at
sequence lengths 1, 5 and 7 (not a multiple of the stride 3), on both of
nlogic's engines: the outputs, the gradients of every weight and the
gradients of the input tokens agree with torch's autograd to 1e-5
relative. The tokens are template facts valued by weights, so nlogic's
weight gradients include the input gradients; gradients are read off one
SGD step with learning rate 1 (new = old - gradient).
"""
import json
import os
import subprocess
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")
np = pytest.importorskip("numpy")

# test_attention puts test/ on the path, where nlogic_testing lives.
from test_attention import (ENGINES, NLOGIC, TEMPLATES, WIDTH, causal_mask,
                            fixed_mask, strided_mask)
from nlogic_testing import eval_outputs, write_start_weights  # noqa: E402

F = torch.nn.functional
TOLERANCE = 1e-5


def projections(x, w):
    return x @ w["wq"].T, x @ w["wk"].T, x @ w["wv"].T


def sdpa(x, w, mask):
    q, k, v = projections(x, w)
    m = None if mask is None else torch.from_numpy(mask)
    return F.scaled_dot_product_attention(q[None], k[None], v[None],
                                          attn_mask=m)[0]


def multihead(x, w):
    mha = torch.nn.MultiheadAttention(WIDTH, 2, bias=False, batch_first=True,
                                      dtype=torch.float64)
    # The module's parameters are replaced by the (differentiable) tensors
    # of the test, so autograd reaches them.
    del mha.in_proj_weight
    mha.in_proj_weight = torch.cat([w["wq"], w["wk"], w["wv"]])
    del mha.out_proj.weight
    mha.out_proj.weight = w["wo"]
    out, _ = mha(x[None], x[None], x[None], need_weights=False)
    return out[0]


def encoder(x, w):
    att = sdpa(x, w, None)
    norm1 = F.layer_norm(att @ w["wo"].T + x, (WIDTH,), eps=1e-5)
    mlp = torch.relu(norm1 @ w["w1"].T)
    return F.layer_norm(mlp @ w["w2"].T + norm1, (WIDTH,), eps=1e-5)


QKV = {"wq": (WIDTH, WIDTH), "wk": (WIDTH, WIDTH), "wv": (WIDTH, WIDTH)}
CASES = {
    "dense": ("attention.txt", QKV, lambda x, w: sdpa(x, w, None)),
    "causal": ("causal_attention.txt", QKV,
               lambda x, w: sdpa(x, w, causal_mask(len(x)))),
    "strided": ("strided_attention.txt", QKV,
                lambda x, w: sdpa(x, w, strided_mask(len(x)))),
    "fixed": ("fixed_attention.txt", QKV,
              lambda x, w: sdpa(x, w, fixed_mask(len(x)))),
    "multihead": ("multihead_attention.txt", {**QKV, "wo": (WIDTH, WIDTH)},
                  multihead),
    "encoder": ("encoder_block.txt",
                {**QKV, "wo": (WIDTH, WIDTH), "w1": (8, WIDTH),
                 "w2": (WIDTH, 8)}, encoder),
}


def nlogic_run(template_text, named, targets, engine, tmp):
    """Outputs and the gradient of every named weight from nlogic."""
    template = tmp / "template.txt"
    template.write_text(template_text)
    examples = tmp / "examples.txt"
    examples.write_text("present.\n")
    queries = tmp / "queries.txt"
    queries.write_text(", ".join(
        "[" + ", ".join(repr(float(v)) for v in t) + f"] attention({i})"
        for i, t in enumerate(targets)) + ".\n")
    data = ["--examples", str(examples), "--queries", str(queries)]
    start = tmp / "start.json"
    weights = write_start_weights(NLOGIC, template, data,
                                  {k: v.ravel() for k, v in named.items()},
                                  start)
    outputs = np.array(eval_outputs(NLOGIC, template, data, start, engine))
    after = tmp / "after.json"
    subprocess.run([str(NLOGIC), "train", str(template), *data, "--engine",
                    engine, "--weights", str(start), "--optimizer", "sgd",
                    "--lr", "1", "--epochs", "1", "--batch-size", "1",
                    "--loss", "mse", "--save", str(after)], check=True,
                   capture_output=True)
    trained = json.loads(after.read_text())["weights"]
    grads = {name: np.array(weights["weights"][name]["values"]) -
             np.array(trained[name]["values"]) for name in named}
    return outputs, grads


def close(ours, theirs):
    ours, theirs = np.asarray(ours).ravel(), np.asarray(theirs).ravel()
    scale = max(1.0, np.abs(theirs).max())
    return np.abs(ours - theirs).max() <= TOLERANCE * scale


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("n", [1, 5, 7])
@pytest.mark.parametrize("case", list(CASES))
def test_matches_torch(case, n, engine, tmp_path):
    if not NLOGIC.exists():
        pytest.skip(f"nlogic not built at {NLOGIC}")
    template, shapes, model = CASES[case]
    rng = np.random.default_rng(100 * n + len(case))
    x = rng.normal(size=(n, WIDTH))
    named = {name: rng.normal(size=shape) for name, shape in shapes.items()}
    targets = rng.normal(size=(n, WIDTH))

    # The tokens as template facts valued by weights x0, x1, ...
    text = (TEMPLATES / template).read_text() + "".join(
        f"$x{i}={{{WIDTH}}} x({i}).\n" for i in range(n))
    tokens = {f"x{i}": x[i] for i in range(n)}
    outputs, grads = nlogic_run(text, {**named, **tokens}, targets, engine,
                                tmp_path)

    tx = torch.tensor(x, requires_grad=True)
    tw = {k: torch.tensor(v, requires_grad=True) for k, v in named.items()}
    out = model(tx, tw)
    # nlogic's MSE: mean over a query's elements, summed over queries.
    loss = ((out - torch.tensor(targets)) ** 2).mean(dim=1).sum()
    loss.backward()

    assert close(outputs.reshape(n, WIDTH), out.detach().numpy()), case
    for name in named:
        assert close(grads[name], tw[name].grad.numpy()), name
    for i in range(n):
        assert close(grads[f"x{i}"], tx.grad[i].numpy()), f"input {i}"
