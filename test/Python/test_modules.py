"""Tests of nlogic's module library (python/nlogic/nn), the port of
PyNeuraLogic 0.9.2's `neuralogic.nn.module`.

    NLOGIC_PYTHON_DIR=python python -m pytest test/Python/test_modules.py

For every module, with a few argument combinations, the test

 (a) compares the text nlogic renders (`Template.to_text()` of the
     module's rules) with the text PyNeuraLogic's module prints (`str` of
     its rules, one a line), where `neuralogic` (0.9.2) is importable
     (skipped otherwise; a few golden texts run without it);
 (b) imports the text with `nlogic-translate --import-neuralogic`
     (NLOGIC_TRANSLATE, default build/bin/nlogic-translate; skipped when
     missing) and checks the IR's rules (head and aggregation), weights
     (shape, name when named, fixed) and relation transformations.

Where the texts differ, they differ as every construct does (the comment at
the top of test_language.py); each case names the differences it has and
the test checks each one is there and that nothing else differs:

 - `transpose`: nlogic writes `k(Y)^T` for PyNeuraLogic's `transpose(k(Y))`
   (Attention, MultiheadAttention and the transformers);
 - `slice`: `slice(rows=[0, 2])` for `slice(rows=[0, 2], cols=...)`
   (MultiheadAttention with more than one head; `...` does not lex);
 - `duplicit`: `duplicit_grounding=true` for `duplicate_grounding=True`
   (SGConv, MAGNNMean, MAGNNLinear);
 - `empty-metadata`: a rule without settings ends with `.` where
   PyNeuraLogic prints `. []` (MLP with a short activation list).

Non-ground statements, which the importer lifts over `__domain/1` (every
constant of a sample; docs/LanguageReference.md), and which these tests
check are lifted (`lifted=True`):

 - self-loops: `GCNConv`, `SGConv`, `APPNPConv` (by default) and
   `GATv2Conv(add_self_loops=True)` (its default) write the loop as the fact
   `<1.0> <output>__edge(I, I).`; `PositionalEncoding(arity=2)` writes
   `<output>__pe(X0, 0)` likewise;
 - degree normalization: `GCNConv`, `SGConv`, `APPNPConv` and `TAGConv`
   with `normalize=True` (the default) compute the degree with
   `<output>__edge_count(I, J) :- <edge>(X, J).`, whose head variable I no
   body literal mentions.

A parametrised activation (`F.leaky_relu(0.2)`)
cannot be a relation setting in nlogic: the modules that put their
activation there raise ValueError (test_parametrised_activation).
"""

import os
import re
import subprocess
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parents[2]
# The package comes from the build (conftest.py puts build/python first).

import nlogic  # noqa: E402
import nlogic.nn as nl_nn  # noqa: E402
import nlogic.nn.module as nl_nn_module  # noqa: E402
from nlogic.template import Model, Template  # noqa: E402

TRANSLATE = Path(os.environ.get("NLOGIC_TRANSLATE", ROOT / "build" / "bin" / "nlogic-translate"))

try:  # PyNeuraLogic, for the parity checks (imports without starting Java)
    import neuralogic.core as pnl_core
    import neuralogic.nn.module as pnl_nn

    PNL = SimpleNamespace(nn=pnl_nn, F=pnl_core.F)
except Exception:  # noqa: BLE001 - any failure just skips the parity checks
    PNL = None

NL = SimpleNamespace(nn=nl_nn, F=nlogic.F)


# ===----------------------------------------------------------------------===
# Helpers
# ===----------------------------------------------------------------------===


def nl_text(entries) -> str:
    return Template().__iadd__(list(entries)).to_text().rstrip("\n")


def pnl_text(entries) -> str:
    return "\n".join(str(e) for e in entries)


# PyNeuraLogic's text -> nlogic's, one documented difference each.
DIFFERENCES = {
    "transpose": (re.compile(r"transpose\((\w+\([^()]*\))\)"), r"\1^T"),
    "slice": (re.compile(r"(slice\(rows=\[\d+, \d+\]), cols=\.\.\.\)"), r"\1)"),
    "duplicit": (re.compile(r"duplicate_grounding=True"), "duplicit_grounding=true"),
    "empty-metadata": (re.compile(r"\. \[\]$", re.M), "."),
}


def run_import(text: str, tmp_path: Path) -> subprocess.CompletedProcess:
    if not TRANSLATE.exists():
        pytest.skip(f"{TRANSLATE} is not built")
    path = tmp_path / "template.txt"
    path.write_text(text + "\n")
    return subprocess.run(
        [str(TRANSLATE), "--import-neuralogic", str(path)], capture_output=True, text=True, timeout=60
    )


def _shape(type_text: str) -> str:
    """`tensor<3x2xf64>` -> `3x2`, `tensor<4xf64>` -> `4`, `f64` -> `scalar`."""
    match = re.fullmatch(r"tensor<(.*)xf64>", type_text)
    return match.group(1) if match else "scalar"


def summarize(ir: str) -> SimpleNamespace:
    """What the IR declares: rules as `head aggregate` (a Counter), weights
    as `shape` / `$name shape` with `<...>` around fixed ones (a Counter;
    anonymous weights are `w<k>`), relations' arities and transformations,
    template facts, and the rules' transformations other than identity
    (`ops`, a Counter of `nlogic.transform` ops)."""
    rules = Counter()
    for head, aggregate in re.findall(r"nlogic\.rule @(\S+) vars\([^)]*\) aggregate (\w+(?: over \[[^]]*\])?)", ir):
        rules[f"{head} {aggregate}"] += 1
    weights = Counter()
    for name, type_text, fixed in re.findall(
        r"nlogic\.weight @(\S+) : (f64|tensor<[^>]*>)(?: = dense<.*?> : tensor<[^>]*>)?( fixed)?$", ir, re.M
    ):
        shape = _shape(type_text)
        if fixed:
            shape = f"<{shape}>"
        weights[shape if re.fullmatch(r"w\d+", name) else f"${name} {shape}"] += 1
    arities, transforms = {}, {}
    for name, arity, transform in re.findall(
        r"nlogic\.relation @(\S+) arity (\d+)[^:]*: \S+(?: transform (\w+))?", ir
    ):
        arities[name] = int(arity)
        if transform:
            transforms[name] = transform
    facts = Counter(re.findall(r"nlogic\.fact @(\w+)\(", ir))
    ops = Counter(op for op in re.findall(r"nlogic\.transform (\w+)", ir) if op != "identity")
    # Every declaration was read (the patterns above miss none).
    assert sum(rules.values()) == ir.count("nlogic.rule @"), ir
    assert sum(weights.values()) == ir.count("nlogic.weight @"), ir
    assert len(arities) == ir.count("nlogic.relation @"), ir
    return SimpleNamespace(rules=rules, weights=weights, arities=arities, transforms=transforms, facts=facts, ops=ops)


class Case:
    """A module with arguments: `build(ns)` makes it with namespace `ns`
    (`ns.nn`: nlogic.nn or neuralogic.nn.module, `ns.F`), `diffs` the
    documented text differences, `rules`/`weights` the IR's (Counters of
    `summarize`'s strings), `arities`/`transforms` a subset of the IR's
    relations, `facts` the template facts, `ops` (when given) the rules'
    non-identity transformations; `lifted`: the module writes non-ground
    statements, which the importer lifts over `__domain`."""

    def __init__(
        self, id, build, *, diffs=(), rules=None, weights=None, arities=None, transforms=None, facts=None,
        ops=None, lifted=False,
    ):
        self.id = id
        self.build = build
        self.diffs = diffs
        self.rules = rules
        self.weights = weights
        self.arities = arities or {}
        self.transforms = transforms or {}
        self.facts = facts or {}
        self.ops = ops
        self.lifted = lifted




# ===----------------------------------------------------------------------===
# Cases
# ===----------------------------------------------------------------------===

GNN = [
    Case("gcn", lambda n: n.nn.GCNConv(2, 3, "h1", "h0", "edge"), lifted=True),
    Case(
        "gcn-no-self-loops",
        lambda n: n.nn.GCNConv(2, 3, "h1", "h0", "edge", add_self_loops=False),
        lifted=True,
    ),
    Case(
        "gcn-normalize-false-self-loops",
        lambda n: n.nn.GCNConv(2, 3, "h1", "h0", "edge", add_self_loops=True, normalize=False),
        lifted=True,
    ),
    Case(
        "gcn-normalize-false",
        lambda n: n.nn.GCNConv(2, 3, "h1", "h0", "edge", n.F.sigmoid, n.F.avg_agg, normalize=False),
        rules={"h1 avg": 1},
        weights={"3x2": 1},
        arities={"h1": 1, "h0": 1, "edge": 2},
        transforms={"h1": "sigmoid"},
        ops={},
    ),
    Case(
        "sage",
        lambda n: n.nn.SAGEConv(2, 3, "h1", "h0", "edge"),
        rules={"h1 avg": 2},
        weights={"3x2": 2},
        arities={"h1": 1, "h0": 1, "edge": 2},
        transforms={"h1": "identity"},
    ),
    Case(
        "sage-max-relu",
        lambda n: n.nn.SAGEConv(4, 8, "h1", "h0", "e", n.F.relu, n.F.max_agg),
        rules={"h1 max": 2},
        weights={"8x4": 2},
        transforms={"h1": "relu"},
    ),
    Case(
        "gin",
        lambda n: n.nn.GINConv(2, 3, "h1", "h0", "edge"),
        rules={"h1 sum": 1, "embed__h1 sum": 1, "h1 avg": 1},
        weights={"3x2": 2, "2x2": 1},
        arities={"h1": 1, "embed__h1": 1},
        transforms={"h1": "identity"},
    ),
    Case(
        "gin-sigmoid-avg",
        lambda n: n.nn.GINConv(2, 3, "h1", "h0", "edge", n.F.sigmoid, n.F.avg_agg),
        rules={"h1 avg": 2, "embed__h1 avg": 1},
        weights={"3x2": 2, "2x2": 1},
        transforms={"h1": "sigmoid"},
    ),
    Case(
        "gine",
        lambda n: n.nn.GINEConv(2, "h0", "edge", "nn"),
        rules={"nn__gine_feat_sum avg": 1, "nn__gine_feat_agg sum": 1, "nn__gine_out avg": 1, "nn avg": 1},
        weights={"<scalar>": 1},
        arities={"nn__gine_feat_sum": 2, "nn__gine_feat_agg": 1, "nn__gine_out": 1, "nn": 1},
    ),
    Case(
        "gine-train-eps-edge-dim",
        lambda n: n.nn.GINEConv(2, "h0", "edge", "nn", eps=0.5, train_eps=True, edge_dim=3),
        rules={
            "nn__gine_edge_proj avg": 1,
            "nn__gine_feat_sum avg": 1,
            "nn__gine_feat_agg sum": 1,
            "nn__gine_out avg": 1,
            "nn avg": 1,
        },
        weights={"2x3": 1, "scalar": 1},
        arities={"nn__gine_edge_proj": 2},
    ),
    Case("gatv2", lambda n: n.nn.GATv2Conv(2, 3, "h1", "h0", "edge"), lifted=True),
    Case(
        "gatv2-no-self-loops",
        lambda n: n.nn.GATv2Conv(2, 3, "h1", "h0", "edge", add_self_loops=False),
        rules={"h1__score avg": 1, 'h1__attention softmax over ["J"]': 1, "h1 sum": 1},
        weights={"$h1__left 3x2": 1, "$h1__right 3x2": 1, "$h1__att 1x3": 1},
        arities={"h1__score": 2, "h1__attention": 2, "h1": 1},
        transforms={"h1": "identity"},
        ops={"leaky_relu": 1},
    ),
    Case(
        "gatv2-shared-slope-sigmoid",
        lambda n: n.nn.GATv2Conv(
            4, 2, "h1", "h0", "edge", share_weights=True, activation=n.F.sigmoid, add_self_loops=False,
            negative_slope=0.1,
        ),
        rules={"h1__score avg": 1, 'h1__attention softmax over ["J"]': 1, "h1 sum": 1},
        weights={"$h1__right 2x4": 1, "$h1__att 1x2": 1},
        transforms={"h1": "sigmoid"},
    ),
    Case(
        "rgcn",
        lambda n: n.nn.RGCNConv(2, 3, "h1", "h0", "edge", ["a", "b"]),
        rules={"h1 avg": 3},
        weights={"3x2": 3},
        arities={"h1": 1, "edge": 3},
        transforms={"h1": "identity"},
    ),
    Case(
        "rgcn-relations-sum-relu",
        lambda n: n.nn.RGCNConv(2, 3, "h1", "h0", None, ["a", "b", "c"], n.F.relu, n.F.sum_agg),
        rules={"h1 sum": 4},
        weights={"3x2": 4},
        arities={"a": 2, "b": 2, "c": 2},
        transforms={"h1": "relu"},
    ),
    Case(
        "res-gated",
        lambda n: n.nn.ResGatedGraphConv(2, 3, "h1", "h0", "edge"),
        rules={"h1__gate avg": 1, "h1 avg": 1, "h1 sum": 1},
        weights={"3x2": 4},
        arities={"h1__gate": 2},
        transforms={"h1__gate": "sigmoid", "h1": "identity"},
    ),
    Case(
        "gen",
        lambda n: n.nn.GENConv(2, 3, "h1", "h0", "edge"),
        rules={"h1__gen_feat_sum avg": 1, "h1__gen_feat_agg softmax": 1, "h1__gen_out avg": 1, "h1 avg": 1},
        weights={"<scalar>": 1, "3x2": 2, "3x6": 1, "6x3": 1},
        facts={"h1__eps": 1},
        transforms={"h1": "identity"},
    ),
    Case(
        "gen-edge-dim-3-layers",
        lambda n: n.nn.GENConv(3, 3, "h1", "h0", "edge", n.F.max_agg, num_layers=3, edge_dim=2),
        rules={
            "h1__gen_edge_proj avg": 1,
            "h1__gen_feat_sum avg": 1,
            "h1__gen_feat_agg max": 1,
            "h1__gen_out avg": 1,
            "h1__mlp0 avg": 1,
            "h1 avg": 1,
        },
        weights={"<scalar>": 1, "3x2": 1, "6x3": 1, "6x6": 1, "3x6": 1},
        facts={"h1__eps": 1},
    ),
]

PROPAGATION = [
    Case("sg", lambda n: n.nn.SGConv(2, 3, "h1", "h0", "edge", 2), diffs=("duplicit",), lifted=True),
    Case(
        "sg-no-self-loops",
        lambda n: n.nn.SGConv(2, 3, "h1", "h0", "edge", 2, add_self_loops=False),
        diffs=("duplicit",),
        lifted=True,
    ),
    Case(
        "sg-normalize-false",
        lambda n: n.nn.SGConv(2, 3, "h1", "h0", "edge", k=3, normalize=False),
        diffs=("duplicit",),
        rules={"h1 sum": 1},
        weights={"3x2": 1},
        transforms={"h1": "identity"},
    ),
    Case("tag", lambda n: n.nn.TAGConv(2, 3, "h1", "h0", "edge"), lifted=True),
    Case(
        "tag-normalize-false",
        lambda n: n.nn.TAGConv(2, 3, "h1", "h0", "edge", 3, n.F.tanh, normalize=False),
        rules={"h1 sum": 4},
        weights={"3x2": 4},
        transforms={"h1": "tanh"},
    ),
    Case("appnp", lambda n: n.nn.APPNPConv("h1", "h0", "edge", 3, 0.1), lifted=True),
    Case(
        "appnp-no-self-loops",
        lambda n: n.nn.APPNPConv("h1", "h0", "edge", 2, 0.1, add_self_loops=False),
        lifted=True,
    ),
    Case(
        "appnp-normalize-false",
        lambda n: n.nn.APPNPConv("h1", "h0", "edge", 3, 0.25, n.F.sigmoid, normalize=False),
        rules={"h1__1 sum": 2, "h1__2 sum": 2, "h1 sum": 2},
        weights={"<scalar>": 6},
        arities={"h1__1": 1, "h1__2": 1},
        transforms={"h1": "sigmoid"},
    ),
]

DENSE = [
    Case(
        "linear",
        lambda n: n.nn.Linear(2, 3, "h1", "h0"),
        rules={"h1 avg": 1},
        weights={"3x2": 1},
        arities={"h1": 1},
        transforms={"h1": "identity"},
    ),
    Case(
        "linear-arity-2-sigmoid",
        lambda n: n.nn.Linear(2, 3, "h1", "h0", n.F.sigmoid, 2),
        rules={"h1 avg": 1},
        weights={"3x2": 1},
        arities={"h1": 2, "h0": 2},
        transforms={"h1": "sigmoid"},
    ),
    Case(
        "mlp-2",
        lambda n: n.nn.MLP([2, 3], "h1", "h0"),
        rules={"h1 avg": 1},
        weights={"3x2": 1},
        transforms={"h1": "relu"},
    ),
    Case(
        "mlp-3",
        lambda n: n.nn.MLP([2, 3, 4], "h1", "h0"),
        rules={"h1 avg": 1},
        weights={"3x2": 1, "4x3": 1},
        transforms={"h1": "relu"},
    ),
    Case(
        "mlp-4-tanh",
        lambda n: n.nn.MLP([2, 3, 4, 5], "h1", "h0", n.F.tanh),
        rules={"h1__mlp0 avg": 1, "h1 avg": 1},
        weights={"3x2": 1, "4x3": 1, "5x4": 1},
        transforms={"h1__mlp0": "tanh", "h1": "tanh"},
    ),
    Case(
        "mlp-5-activation-list",
        lambda n: n.nn.MLP([2, 3, 4, 5, 6], "h1", "h0", [n.F.relu, n.F.sigmoid], arity=2),
        diffs=("empty-metadata",),
        rules={"h1__mlp0 avg": 1, "h1 avg": 1},
        weights={"3x2": 1, "4x3": 1, "5x4": 1, "6x5": 1},
        arities={"h1": 2, "h1__mlp0": 2},
        transforms={"h1__mlp0": "sigmoid"},
    ),
    Case(
        "pooling-avg",
        lambda n: n.nn.Pooling("p", "h", n.F.avg_agg),
        rules={"p avg": 1},
        weights={},
        arities={"p": 0, "h": 1},
    ),
    Case("pooling-max-arity-2", lambda n: n.nn.MaxPooling("p", "h", 2), rules={"p max": 1}, arities={"h": 2}),
    Case("pooling-avg-class", lambda n: n.nn.AvgPooling("p", "h"), rules={"p avg": 1}),
    Case("pooling-sum", lambda n: n.nn.SumPooling("p", "h"), rules={"p sum": 1}),
    Case(
        "positional-encoding",
        lambda n: n.nn.PositionalEncoding(4, 3, "o", "i"),
        rules={"o avg": 1},
        weights={"<4>": 3},
        facts={"o__pe": 3},
    ),
    Case(
        "positional-encoding-learnable",
        lambda n: n.nn.PositionalEncoding(6, 5, "o", "i", learnable=True),
        rules={"o avg": 1},
        weights={"6": 5},
        facts={"o__pe": 5},
    ),
    Case(
        "positional-encoding-arity-2",
        lambda n: n.nn.PositionalEncoding(4, 2, "o", "i", arity=2),
        lifted=True,
    ),
]

RECURRENT = [
    Case(
        "rnn",
        lambda n: n.nn.RNN(2, 3, "h", "x", "h0"),
        rules={"h avg": 2},
        weights={"3x2": 1, "3x3": 1},
        arities={"h": 2, "x": 2, "h0": 1},
    ),
    Case(
        "rnn-arity-2-sigmoid",
        lambda n: n.nn.RNN(2, 3, "h", "x", "h0", n.F.sigmoid, 2),
        rules={"h avg": 2},
        weights={"3x2": 1, "3x3": 1},
        arities={"h": 3, "x": 3, "h0": 2},
    ),
    Case(
        "lstm",
        lambda n: n.nn.LSTM(2, 3, "h", "x", "h0", "c0"),
        rules={
            "h avg": 2,
            "h__i avg": 1,
            "h__f avg": 1,
            "h__o avg": 1,
            "h__n avg": 1,
            "h__left avg": 1,
            "h__right avg": 1,
            "h__c avg": 2,
        },
        weights={"3x2": 4, "3x3": 4},
        arities={"h__c": 2, "c0": 1},
        ops={"sigmoid": 3, "tanh": 2},
    ),
    Case(
        "gru",
        lambda n: n.nn.GRU(2, 3, "h", "x", "h0"),
        rules={
            "h avg": 2,
            "h__r avg": 1,
            "h__z avg": 1,
            "h__n_helper avg": 1,
            "h__n avg": 1,
            "h__left avg": 1,
            "h__right avg": 1,
        },
        weights={"3x2": 3, "3x3": 3},
        ops={"sigmoid": 2, "tanh": 1, "reverse": 1},
    ),
    Case(
        "rvnn",
        lambda n: n.nn.RvNN(2, "o", "i", "pm"),
        rules={"o sum": 3},
        weights={"$o__rvnn_1 2x2": 1, "$o__rvnn_2 2x2": 1},
        # pm is used with arities 1, 2 and 3: the IR names them "pm/<n>".
        arities={"o": 2, '"pm/1"': 1, '"pm/3"': 3},
    ),
    Case(
        "rvnn-3-children-avg",
        lambda n: n.nn.RvNN(3, "o", "i", "pm", 3, n.F.sigmoid, n.F.avg_agg, arity=2),
        rules={"o avg": 4},
        weights={"$o__rvnn_1 3x3": 1, "$o__rvnn_2 3x3": 1, "$o__rvnn_3 3x3": 1},
        arities={"o": 3, '"pm/1"': 1, '"pm/4"': 4},
    ),
]

ATTENTION = [
    Case(
        "attention",
        lambda n: n.nn.Attention(4, "out", "q", "k", "v"),
        diffs=("transpose",),
        rules={'out__dot softmax over ["Y"]': 1, "out sum": 1},
        weights={"<scalar>": 1},
        facts={"out__dk": 1},
        arities={"out__dot": 2, "out": 1},
    ),
    Case(
        "attention-mask-arity-2",
        lambda n: n.nn.Attention(16, "out", "q", "k", "v", mask_name="mask", arity=2),
        diffs=("transpose",),
        rules={'out__dot softmax over ["Y"]': 1, "out sum": 1},
        weights={"<scalar>": 1},
        facts={"out__dk": 1},
        arities={"out__dot": 3, "out": 2, "mask": 3},
    ),
    Case(
        "multihead-attention",
        lambda n: n.nn.MultiheadAttention(4, 2, "out", "q", "k", "v"),
        diffs=("transpose", "slice"),
        rules={
            'out__attention__dot softmax over ["Y"]': 1,
            "out__attention sum": 1,
            "out__qproj avg": 2,
            "out__kproj avg": 2,
            "out__vproj avg": 2,
            "out avg": 1,
        },
        weights={"<scalar>": 1, "$out_qw 4x4": 1, "$out_kw 4x4": 1, "$out_vw 4x4": 1, "4x4": 1},
        facts={"out__attention__dk": 1},
        arities={"out__attention": 2, "out__qproj": 2, "out": 1},
        ops={"slice": 6},
        transforms={"out__qproj": "identity"},
    ),
    Case(
        "multihead-attention-1-head",
        lambda n: n.nn.MultiheadAttention(4, 1, "out", "q", "k", "v"),
        diffs=("transpose",),
        rules={
            'out__attention__dot softmax over ["Y"]': 1,
            "out__attention sum": 1,
            "out__qproj avg": 1,
            "out__kproj avg": 1,
            "out__vproj avg": 1,
            "out avg": 1,
        },
        weights={"<scalar>": 1, "$out_qw 4x4": 1, "$out_kw 4x4": 1, "$out_vw 4x4": 1, "4x4": 1},
        facts={"out__attention__dk": 1},
        arities={"out__attention": 1, "out__qproj": 1},
    ),
    Case(
        "multihead-attention-kdim-vdim-mask",
        lambda n: n.nn.MultiheadAttention(6, 3, "out", "q", "k", "v", vdim=2, kdim=3, mask_name="m"),
        diffs=("transpose", "slice"),
        rules={
            'out__attention__dot softmax over ["Y"]': 1,
            "out__attention sum": 1,
            "out__qproj avg": 3,
            "out__kproj avg": 3,
            "out__vproj avg": 3,
            "out avg": 1,
        },
        weights={"<scalar>": 1, "$out_qw 6x6": 1, "$out_kw 6x3": 1, "$out_vw 6x2": 1, "6x6": 1},
        facts={"out__attention__dk": 1},
        arities={"m": 3},
    ),
]


def _block_rules(prefix: str, heads: int, mlp: bool) -> dict:
    """The rules of an EncoderBlock `prefix` (with `heads` heads)."""
    rules = {
        f'{prefix}__mhattn__attention__dot softmax over ["Y"]': 1,
        f"{prefix}__mhattn__attention sum": 1,
        f"{prefix}__mhattn__qproj avg": heads,
        f"{prefix}__mhattn__kproj avg": heads,
        f"{prefix}__mhattn__vproj avg": heads,
        f"{prefix}__mhattn avg": 1,
    }
    if mlp:
        rules.update({f"{prefix}__norm avg": 1, f"{prefix}__mlp avg": 1, f"{prefix} avg": 1})
    else:
        rules[f"{prefix} avg"] = 1
    return rules


def _block_weights(prefix: str, dim: int, ff: int | None) -> Counter:
    """The weights of an EncoderBlock `prefix` (the MLP's when `ff`)."""
    weights = Counter({"<scalar>": 1, f"{dim}x{dim}": 1})
    for w in ("qw", "kw", "vw"):
        weights[f"${prefix}__mhattn_{w} {dim}x{dim}"] = 1
    if ff is not None:
        weights.update({f"{ff}x{dim}": 1, f"{dim}x{ff}": 1})
    return weights


def _block_facts(*prefixes: str) -> dict:
    """The 1/sqrt(d) facts of EncoderBlocks `prefixes`."""
    return {f"{prefix}__mhattn__attention__dk": 1 for prefix in prefixes}


TRANSFORMER = [
    Case(
        "transformer-encoder",
        lambda n: n.nn.TransformerEncoder(4, 2, 8, "out", "x"),
        diffs=("transpose", "slice"),
        rules=_block_rules("out", 2, mlp=True),
        weights=_block_weights("out", 4, 8),
        facts=_block_facts("out"),
        transforms={"out__mlp": "identity"},
        ops={"slice": 6, "relu": 1, "norm": 2},
    ),
    Case(
        "transformer-encoder-mask-arity-2",
        lambda n: n.nn.TransformerEncoder(6, 1, 12, "out", "x", mask_name="m", arity=2),
        diffs=("transpose",),
        rules=_block_rules("out", 1, mlp=True),
        weights=_block_weights("out", 6, 12),
        facts=_block_facts("out"),
        arities={"out": 2, "m": 3},
    ),
    Case(
        "transformer-decoder",
        lambda n: n.nn.TransformerDecoder(4, 2, 8, "out", "y", "enc", "m", "mm"),
        diffs=("transpose", "slice"),
        rules={**_block_rules("out__decoder", 2, mlp=False), **_block_rules("out", 2, mlp=True)},
        weights=_block_weights("out__decoder", 4, None) + _block_weights("out", 4, 8),
        facts=_block_facts("out__decoder", "out"),
    ),
    Case(
        "transformer",
        lambda n: n.nn.Transformer(4, 1, 8, "out", "x", "y"),
        diffs=("transpose",),
        rules={
            **_block_rules("out__encoder", 1, mlp=True),
            **_block_rules("out__decoder", 1, mlp=False),
            **_block_rules("out", 1, mlp=True),
        },
        weights=_block_weights("out__encoder", 4, 8)
        + _block_weights("out__decoder", 4, None)
        + _block_weights("out", 4, 8),
        facts=_block_facts("out__encoder", "out__decoder", "out"),
    ),
]

META = [
    Case(
        "meta-conv",
        lambda n: n.nn.MetaConv(2, 3, "h1", "h0", "role", ["a", "b"]),
        rules={"h1 avg": 2, "h1__roles avg": 2},
        weights={"3x2": 3},
        arities={"h1__roles": 2, "role": 3},
        transforms={"h1": "sigmoid"},
    ),
    Case(
        "meta-conv-relations",
        lambda n: n.nn.MetaConv(2, 3, "h1", "h0", None, ["a", "b", "c"], n.F.relu, n.F.max_agg),
        rules={"h1 max": 2, "h1__roles avg": 3},
        weights={"3x2": 4},
        arities={"a": 2},
        transforms={"h1": "relu"},
    ),
    Case(
        "magnn-mean",
        lambda n: n.nn.MAGNNMean("o", "f", "r", None, ["a", "b"]),
        diffs=("duplicit",),
        rules={"o avg": 1},
        weights={"<scalar>": 2},
        transforms={"o": "sigmoid"},
    ),
    Case(
        "magnn-linear",
        lambda n: n.nn.MAGNNLinear(2, 3, "o", "f", "r", "t", ["a", "b", "c"], n.F.tanh),
        diffs=("duplicit",),
        rules={"o avg": 1},
        weights={"3x2": 1, "<scalar>": 3},
        arities={"t": 2, "r": 2},
        transforms={"o": "tanh"},
    ),
]

CASES = GNN + PROPAGATION + DENSE + RECURRENT + ATTENTION + TRANSFORMER + META


def params(cases):
    return [pytest.param(c, id=c.id) for c in cases]


def import_params(cases):
    return [pytest.param(c, id=c.id) for c in cases]


# ===----------------------------------------------------------------------===
# (a) The text, against PyNeuraLogic's
# ===----------------------------------------------------------------------===


@pytest.mark.parametrize("case", params(CASES))
def test_text_matches_pyneuralogic(case):
    if PNL is None:
        pytest.skip("neuralogic (PyNeuraLogic 0.9.2) is not importable")
    ours = nl_text(case.build(NL)())
    theirs = pnl_text(case.build(PNL)())
    expected = theirs
    for name in case.diffs:
        pattern, replacement = DIFFERENCES[name]
        expected, count = pattern.subn(replacement, expected)
        assert count, f"the documented difference {name!r} is not in PyNeuraLogic's text:\n{theirs}"
    assert ours == expected, f"\nnlogic:\n{ours}\nPyNeuraLogic:\n{theirs}"


# Texts that do not need PyNeuraLogic (checked against it above too).
GOLDEN = {
    "linear": "{3, 2} h1(X0) :- h0(X0).\nh1/1 [transformation=identity]",
    "gcn": (
        "<1.0> h1__edge(I, I).\n"
        "h1__edge(I, J) :- edge(I, J).\n"
        "h1__edge_count(I, J) :- h1__edge(X, J). [aggregation=sum]\n"
        "h1__edge_count(I, J) :- h1__edge(X, I). [aggregation=sum]\n"
        "h1__edge_count/2 [transformation=inverse, combination=product]\n"
        "{3, 2} h1(I) :- h0(J), h1__edge(J, I), sqrt(h1__edge_count(J, I)). [combination=product, aggregation=sum]\n"
        "h1/1 [transformation=identity]"
    ),
    "gatv2-no-self-loops": (
        "h1__score(I, J) :- $h1__left={3, 2} h0(I), $h1__right={3, 2} h0(J), *edge(J, I)."
        " [transformation=leakyrelu(0.2), combination=sum]\n"
        "h1__attention(I, J) :- $h1__att={1, 3} h1__score(I, J)."
        " [transformation=identity, aggregation=softmax(agg_terms=[J])]\n"
        "h1(I) :- h1__attention(I, J), $h1__right={3, 2} h0(J), *edge(J, I). [combination=product, aggregation=sum]\n"
        "h1/1 [transformation=identity]"
    ),
    "attention": (
        "<0.5> out__dk.\n"
        "out__dot(X, Y) :- out__dk, k(Y)^T, q(X). [combination=product, aggregation=softmax(agg_terms=[Y])]\n"
        "out(X) :- out__dot(X, Y), v(Y). [combination=product, aggregation=sum]"
    ),
    "rnn": (
        "h(X0, 0) :- h0(X0).\n"
        "h(X0, T) :- {3, 2} x(X0, T), {3, 3} h(X0, Z), @next(Z, T). [transformation=tanh]"
    ),
    "mlp-3": "{4, 3} h1(X0) :- {3, 2} h0(X0). [transformation=relu]\nh1/1 [transformation=relu]",
    "pooling-sum": "p :- h(X0). [aggregation=sum]",
}


@pytest.mark.parametrize("case", params([c for c in CASES if c.id in GOLDEN]))
def test_golden_text(case):
    assert nl_text(case.build(NL)()) == GOLDEN[case.id]


# ===----------------------------------------------------------------------===
# (b) The importer reads it, and the IR has the module's rules and weights
# ===----------------------------------------------------------------------===


@pytest.mark.parametrize("case", import_params(CASES))
def test_imports(case, tmp_path):
    text = nl_text(case.build(NL)())
    result = run_import(text, tmp_path)
    assert result.returncode == 0, f"the importer rejected:\n{text}\n{result.stderr}"
    if case.lifted:
        assert "nlogic.relation @__domain arity 1" in result.stdout, result.stdout
        assert "nlogic.atom @__domain(" in result.stdout, result.stdout
        return
    ir = summarize(result.stdout)
    assert ir.rules == Counter(case.rules), text
    assert ir.weights == Counter(case.weights or {}), text
    for name, arity in case.arities.items():
        assert ir.arities.get(name) == arity, f"{name}: {ir.arities}"
    for name, transform in case.transforms.items():
        assert ir.transforms.get(name) == transform, f"{name}: {ir.transforms}"
    assert ir.facts == Counter(case.facts), text
    if case.ops is not None:
        assert ir.ops == Counter(case.ops), text


# ===----------------------------------------------------------------------===
# The library's surface
# ===----------------------------------------------------------------------===


def test_names_match_pyneuralogic():
    assert nl_nn.__all__ == nl_nn_module.__all__
    for name in nl_nn.__all__:
        assert getattr(nl_nn, name) is getattr(nl_nn_module, name)
    if PNL is None:
        pytest.skip("neuralogic (PyNeuraLogic 0.9.2) is not importable")
    assert sorted(nl_nn.__all__) == sorted(PNL.nn.__all__)


def test_every_module_is_covered():
    built = {type(c.build(NL)).__name__ for c in CASES}
    assert built == set(nl_nn.__all__) - {"Module"}


def test_signatures_match_pyneuralogic():
    """Same parameters, order and defaults (functions compared by name)."""
    import inspect

    if PNL is None:
        pytest.skip("neuralogic (PyNeuraLogic 0.9.2) is not importable")

    def describe(cls):
        out = []
        for p in inspect.signature(cls.__init__).parameters.values():
            default = p.default
            if default is not inspect.Parameter.empty and hasattr(default, "name"):
                default = str(default.name).lower()
            out.append((p.name, p.kind, default))
        return out

    for name in nl_nn.__all__:
        if name == "Module":
            continue
        assert describe(getattr(nl_nn, name)) == describe(getattr(PNL.nn, name)), name


def test_add_module_and_iadd():
    """`model.add_module(m)` and `model += m()` add the same rules."""
    a, b = Model(), Model()
    a.add_module(nl_nn.SAGEConv(2, 3, "h1", "h0", "edge"))
    a.add_module(nl_nn.MaxPooling("out", "h1"))
    b += nl_nn.SAGEConv(2, 3, "h1", "h0", "edge")()
    b += nl_nn.MaxPooling("out", "h1")()
    assert a.to_text() == b.to_text()
    assert len(a) == 4


def test_module_is_abstract():
    with pytest.raises(TypeError):
        nl_nn.Module()


@pytest.mark.parametrize(
    "build",
    [
        pytest.param(lambda F: nl_nn.Linear(2, 3, "h1", "h0", F.leaky_relu(0.2)), id="linear"),
        pytest.param(lambda F: nl_nn.GATv2Conv(2, 3, "h1", "h0", "e", activation=F.leaky_relu(0.2)), id="gatv2"),
    ],
)
def test_parametrised_activation(build):
    """An activation with an argument would be a relation setting nlogic
    has no place for: building the rules raises (PyNeuraLogic prints
    `h1/1 [transformation=leakyrelu(0.2)]`)."""
    with pytest.raises(ValueError, match="parametrised transformation"):
        build(nlogic.F)()
