"""nlogic's Python modules (nlogic.nn, PyNeuraLogic's module library) agree
with PyNeuraLogic by evaluation: the template a module renders, with a
mean readout, is evaluated and trained by nlogic and by PyNeuraLogic on the
same graphs from the same weights, and the outputs must match to 1e-6
before and after 5 epochs of SGD (as the other agreement cases).

Needs what test_pyneuralogic.py needs, and the Python package
(NLOGIC_PYTHON_DIR, default build/python).
"""
import json
import os
import random
import re
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, os.environ.get("NLOGIC_PYTHON_DIR", str(ROOT / "build" / "python")))
from test_pyneuralogic import (EPOCHS, assert_close, explicit_weights,  # noqa: E402
                               requirements, run_nlogic, run_pyneuralogic)

nn = pytest.importorskip("nlogic.nn")
from nlogic import Model  # noqa: E402

FEATURES, WIDTH = 3, 4
MODULES = {
    "linear": lambda: nn.Linear(FEATURES, WIDTH, "h", "node_feature"),
    "gcn": lambda: nn.GCNConv(FEATURES, WIDTH, "h", "node_feature", "edge",
                              normalize=False, add_self_loops=False),
    # GCNConv's defaults (self-loops as `<1.0> h__edge(I, I).`, degree
    # normalisation with `sqrt(h__edge_count(J, I))`) cannot be compared
    # this way: PyNeuraLogic 0.9.2 fails with a NullPointerException
    # building that text (measured); nlogic runs it on the reference engine.
    "sage": lambda: nn.SAGEConv(FEATURES, WIDTH, "h", "node_feature", "edge"),
    "gin": lambda: nn.GINConv(FEATURES, WIDTH, "h", "node_feature", "edge"),
    "gatv2": lambda: nn.GATv2Conv(FEATURES, WIDTH, "h", "node_feature", "edge",
                                  add_self_loops=False),
}


def value(rng):
    v = 0
    while v == 0:
        v = rng.randint(-48, 48) / 64
    return v


def with_explicit_weights(text, rng, named):
    """Named weights (`$w={r, c}`, possibly shared) get values in `named`;
    then the anonymous ones, as the other agreement cases do."""
    def replace(match):
        name, dims = match.group(1), [int(d) for d in match.group(2).split(",")]
        if name not in named:
            size = dims[0] * (dims[1] if len(dims) == 2 else 1)
            named[name] = [value(rng) for _ in range(size)]
        return f"${name}={{{match.group(2).replace(' ', '')}}}"
    text = re.sub(r"\$(\w+)=\{\s*(\d+(?:\s*,\s*\d+)?)\s*\}", replace, text)
    # Anonymous weights only: a named one is now `$name={r,c}`, which the
    # pattern below must not take again.
    parts = re.split(r"(\$\w+=\{[^}]*\})", text)
    return "".join(p if p.startswith("$") else explicit_weights(p, rng, named)
                   for p in parts)


def graphs(rng, count=3):
    examples, queries = [], []
    for _ in range(count):
        n = rng.randint(3, 5)
        # Fixed values (`<...>`): PyNeuraLogic learns the values of example
        # facts written `[...]`, nlogic takes them as data.
        facts = [f"<[{', '.join(str(value(rng)) for _ in range(FEATURES))}]> "
                 f"node_feature({i})" for i in range(n)]
        facts += [f"edge({u}, {v})" for u in range(n) for v in range(n)
                  if u != v and rng.random() < 0.5]
        examples.append(", ".join(facts) + ".")
        queries.append(f"{rng.choice([0.0, 1.0])} predict.")
    return "\n".join(examples) + "\n", "\n".join(queries) + "\n"


def pyneuralogic_readable(text):
    """PyNeuraLogic 0.9.2 reads `leakyrelu(0.2)` in template text as slope
    1 (the identity: measured, while plain `leakyrelu` gives its default
    0.01, as nlogic does); nlogic honours the slope. Both systems get the
    default slope, so that the rest of GATv2 is compared."""
    return re.sub(r"leakyrelu\([^)]*\)", "leakyrelu", text)


# GATv2's attention coefficients differ: `h__attention(I, J) :- h__score(I,
# J). [aggregation=softmax(agg_terms=[J])]` has J in its head. nlogic
# normalises over the head atoms that differ only in J (the seed article's
# attention weights, checked against PyTorch); PyNeuraLogic 0.9.2
# normalises only the inputs of each head atom, here one (measured:
# `a(I, J) :- s(I, J)` returns s unchanged), so its coefficients are not
# normalised (0.444 / 0.220 vs nlogic's 0.392 / 0.314 on one node).
KNOWN_DIFFERENCES = {"gatv2"}


@pytest.mark.parametrize("name", [
    pytest.param(n, marks=pytest.mark.xfail(
        strict=True, reason="softmax aggregation over a head variable "
        "differs from PyNeuraLogic (see KNOWN_DIFFERENCES)"))
    if n in KNOWN_DIFFERENCES else n for n in MODULES])
def test_module_agreement(name, tmp_path):
    reason = requirements("local/")
    if reason:
        pytest.skip(reason)
    rng = random.Random(name)
    model = Model()
    model.add_module(MODULES[name]())
    text = pyneuralogic_readable(model.to_text()) + \
        f"{{1, {WIDTH}}} predict :- h(I). [aggregation=avg]\n"
    named = {}
    template = tmp_path / "template.txt"
    template.write_text(with_explicit_weights(text, rng, named))
    (tmp_path / "named.json").write_text(json.dumps(named))
    examples, queries = graphs(rng)
    (tmp_path / "examples.txt").write_text(examples)
    (tmp_path / "queries.txt").write_text(queries)
    ex, q = tmp_path / "examples.txt", tmp_path / "queries.txt"
    ours = run_nlogic(template, ex, q, named, tmp_path, 0.01, "sgd", "compiled")
    theirs = run_pyneuralogic(template, ex, q, 0.01, "sgd")
    assert_close(ours[0], theirs[0], f"{name} before training")
    assert_close(ours[1], theirs[1], f"{name} after {EPOCHS} epochs")
