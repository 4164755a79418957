"""The seed article's transformer templates against numpy, on both engines.

Each template of examples/transformers/ is evaluated by `nlogic eval` (the
compiled engine and the reference evaluator) on random tokens (or a random
graph) with random weights, and compared with the same formulas in numpy:

* dense and causal scaled dot-product attention:
  softmax(0.5 Q K^T [masked]) V with Q = X Wq^T, K = X Wk^T, V = X Wv^T;
* the Sparse Transformer's strided and fixed heads (stride / block 3),
  whose sparsity patterns the templates state as constraints;
* multi-head attention (2 heads, shared projections sliced per head,
  concatenated, projected by Wo);
* the encoder block: LN(Wo att + x), ReLU MLP, LN(W2 mlp + norm1), with
  LN(v) = (v - mean) / sqrt(var + 1e-5);
* relational attention over the edges of a graph, with keys and values
  from sender and edge vectors.

Sequence lengths include 1 and lengths that are not multiples of the
stride; outputs agree to 1e-9. The number of ground rules of the scores
(what the constraints let through) is checked too: N(N+1)/2 for causal.
"""
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from nlogic_testing import eval_outputs, write_start_weights  # noqa: E402

np = pytest.importorskip("numpy")

ROOT = Path(__file__).resolve().parents[2]
NLOGIC = Path(os.environ.get("NLOGIC_BIN", ROOT / "build" / "bin" / "nlogic"))
TEMPLATES = ROOT / "examples" / "transformers"
WIDTH = 4
ENGINES = ["compiled", "reference"]


def softmax_rows(scores, mask=None):
    if mask is not None:
        scores = np.where(mask, scores, -np.inf)
    scores = scores - scores.max(axis=1, keepdims=True)
    weights = np.exp(scores)
    return weights / weights.sum(axis=1, keepdims=True)


def attention(x, w, mask=None, scale=0.5):
    q, k, v = x @ w["wq"].T, x @ w["wk"].T, x @ w["wv"].T
    return softmax_rows(scale * q @ k.T, mask) @ v


def causal_mask(n):
    return np.tril(np.ones((n, n), dtype=bool))


def strided_mask(n, stride=3):
    i, j = np.indices((n, n))
    return (j <= i) & (((i - j) < stride) | ((i - j) % stride == 0))


def fixed_mask(n, block=3, c=1):
    i, j = np.indices((n, n))
    return (j <= i) & ((i // block == j // block) | (j % block >= block - c))


def layer_norm(v):
    mean = v.mean(axis=1, keepdims=True)
    var = ((v - mean) ** 2).mean(axis=1, keepdims=True)
    return (v - mean) / np.sqrt(var + 1e-5)


def multihead(x, w, heads=2):
    q, k, v = x @ w["wq"].T, x @ w["wk"].T, x @ w["wv"].T
    d = WIDTH // heads
    outs = []
    for h in range(heads):
        cols = slice(h * d, (h + 1) * d)
        outs.append(softmax_rows(q[:, cols] @ k[:, cols].T / np.sqrt(d))
                    @ v[:, cols])
    return np.concatenate(outs, axis=1) @ w["wo"].T


def encoder_block(x, w):
    norm1 = layer_norm(attention(x, w) @ w["wo"].T + x)
    mlp = np.maximum(norm1 @ w["w1"].T, 0)
    return layer_norm(mlp @ w["w2"].T + norm1)


def vec(row):
    return "[" + ", ".join(repr(float(v)) for v in row) + "]"


def run_nlogic(template, facts, queries, named, engine, tmp_path):
    examples = tmp_path / "facts.txt"
    examples.write_text(", ".join(facts) + ".\n")
    query_file = tmp_path / "queries.txt"
    query_file.write_text(", ".join(queries) + ".\n")
    data = ["--examples", str(examples), "--queries", str(query_file)]
    weights = tmp_path / "weights.json"
    write_start_weights(NLOGIC, template, data,
                        {k: v.ravel() for k, v in named.items()}, weights)
    return np.array(eval_outputs(NLOGIC, template, data, weights, engine))


def ground_rules_of(template, facts, queries, relation, tmp_path):
    examples = tmp_path / "facts.txt"
    examples.write_text(", ".join(facts) + ".\n")
    query_file = tmp_path / "queries.txt"
    query_file.write_text(", ".join(queries) + ".\n")
    out = subprocess.run([str(NLOGIC), "ground", str(template), "--examples",
                          str(examples), "--queries", str(query_file),
                          "--stats"], check=True, capture_output=True,
                         text=True).stdout
    return int(re.search(rf" {relation}=(\d+)", out).group(1))


def token_facts(x):
    return [f"{vec(row)} x({i})" for i, row in enumerate(x)]


def random_weights(rng, shapes):
    return {name: rng.normal(size=shape) for name, shape in shapes.items()}


QKV = {"wq": (WIDTH, WIDTH), "wk": (WIDTH, WIDTH), "wv": (WIDTH, WIDTH)}

# (template, weights, numpy reference, mask, scores of a length-n sequence)
SEQUENCE_CASES = {
    "dense": ("attention.txt", QKV, lambda x, w: attention(x, w),
              lambda n: n * n),
    "causal": ("causal_attention.txt", QKV,
               lambda x, w: attention(x, w, causal_mask(len(x))),
               lambda n: n * (n + 1) // 2),
    "strided": ("strided_attention.txt", QKV,
                lambda x, w: attention(x, w, strided_mask(len(x))),
                lambda n: int(strided_mask(n).sum())),
    "fixed": ("fixed_attention.txt", QKV,
              lambda x, w: attention(x, w, fixed_mask(len(x))),
              lambda n: int(fixed_mask(n).sum())),
    "multihead": ("multihead_attention.txt",
                  {**QKV, "wo": (WIDTH, WIDTH)}, multihead, None),
    "encoder": ("encoder_block.txt",
                {**QKV, "wo": (WIDTH, WIDTH), "w1": (8, WIDTH),
                 "w2": (WIDTH, 8)}, encoder_block, lambda n: n * n),
}


# Every template is written twice: NeuraLogic text (examples/transformers/
# *.txt) and hand-written nlogic IR (the .mlir twins; causal attention and
# the encoder block in examples/templates/, whose IR calls the block's
# output norm2). The IR names its weights W_q, ...; both forms must compute
# the same numbers.
IR_TWINS = {
    "attention.txt": (TEMPLATES / "attention.mlir", "attention"),
    "causal_attention.txt": (ROOT / "examples" / "templates" /
                             "causal_attention.mlir", "attention"),
    "strided_attention.txt": (TEMPLATES / "strided_attention.mlir",
                              "attention"),
    "fixed_attention.txt": (TEMPLATES / "fixed_attention.mlir", "attention"),
    "multihead_attention.txt": (TEMPLATES / "multihead_attention.mlir",
                                "attention"),
    "encoder_block.txt": (ROOT / "examples" / "templates" /
                          "encoder_block.mlir", "norm2"),
    "relational_attention.txt": (TEMPLATES / "relational_attention.mlir",
                                 "attention"),
}
FORMS = ["text", "ir"]


def template_in(form, name, named):
    """The template file of `form`, its output relation and the weights
    renamed for it."""
    if form == "text":
        return TEMPLATES / name, "attention", named
    path, output = IR_TWINS[name]
    return path, output, {"W_" + k[1:]: v for k, v in named.items()}


def require_nlogic():
    if not NLOGIC.exists():
        pytest.skip(f"nlogic not built at {NLOGIC}")


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("n", [1, 4, 7])
@pytest.mark.parametrize("case", list(SEQUENCE_CASES))
def test_sequence_templates_match_numpy(case, n, engine, form, tmp_path):
    require_nlogic()
    template, shapes, reference, _ = SEQUENCE_CASES[case]
    rng = np.random.default_rng(1000 * n + len(case))
    x = rng.normal(size=(n, WIDTH))
    named = random_weights(rng, shapes)
    path, output, renamed = template_in(form, template, named)
    queries = [f"{output}({i})" for i in range(n)]
    ours = run_nlogic(path, token_facts(x), queries, renamed, engine,
                      tmp_path).reshape(n, WIDTH)
    expected = reference(x, named)
    assert np.allclose(ours, expected, rtol=1e-9, atol=1e-9), (ours, expected)


@pytest.mark.parametrize("case", ["dense", "causal", "strided", "fixed"])
def test_only_allowed_scores_are_computed(case, tmp_path):
    """Constraints restrict the join: the score rule has exactly as many
    ground rules as the mask has allowed pairs (N(N+1)/2 for causal,
    ~N(3 + N/3) for strided), never N^2 masked afterwards."""
    require_nlogic()
    template, _, _, scores = SEQUENCE_CASES[case]
    n = 16
    x = np.random.default_rng(7).normal(size=(n, WIDTH))
    queries = [f"attention({i})" for i in range(n)]
    assert ground_rules_of(TEMPLATES / template, token_facts(x), queries,
                           "weights/2", tmp_path) == scores(n)


def relational(h, edges, e, w):
    n = len(h)
    q = h @ w["wq"].T
    out = np.zeros((n, WIDTH))
    for i in range(n):
        senders = [j for (j, t) in edges if t == i]
        if not senders:
            continue
        keys = np.array([w["wk"] @ h[j] + w["we"] @ e[(j, i)] for j in senders])
        values = np.array([w["wv"] @ h[j] + w["wf"] @ e[(j, i)]
                           for j in senders])
        scores = 0.5 * keys @ q[i]
        weights = np.exp(scores - scores.max())
        out[i] = (weights / weights.sum()) @ values
    return out


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("form", FORMS)
def test_relational_attention_matches_numpy(engine, form, tmp_path):
    require_nlogic()
    rng = np.random.default_rng(5)
    n = 6
    h = rng.normal(size=(n, WIDTH))
    edges = [(j, i) for i in range(n) for j in range(n)
             if i != j and rng.random() < 0.5]
    # Every node receives at least one message, so every query is derived.
    edges += [((i + 1) % n, i) for i in range(n)
              if ((i + 1) % n, i) not in edges]
    e = {edge: rng.normal(size=3) for edge in edges}
    named = random_weights(rng, {**QKV, "we": (WIDTH, 3), "wf": (WIDTH, 3)})
    facts = [f"{vec(row)} h({i})" for i, row in enumerate(h)]
    facts += [f"{vec(e[(j, i)])} e({j}, {i})" for (j, i) in edges]
    path, output, renamed = template_in(form, "relational_attention.txt",
                                        named)
    queries = [f"{output}({i})" for i in range(n)]
    ours = run_nlogic(path, facts, queries, renamed, engine,
                      tmp_path).reshape(n, WIDTH)
    expected = relational(h, edges, e, named)
    assert np.allclose(ours, expected, rtol=1e-9, atol=1e-9), (ours, expected)
