"""PyNeuraLogic's tensor datasets (`Data`, `TensorDataset`): the facts and
queries they become, and a graph dataset trained from Python gives the
numbers the CLI gives on the same graphs (its .jsonl loader) with the same
weights."""
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import nlogic
from nlogic import R, V, Data, Model, Settings, SGD, TensorDataset

ROOT = Path(__file__).resolve().parents[2]
NLOGIC = Path(os.environ.get("NLOGIC_BIN", ROOT / "build" / "bin" / "nlogic"))


def test_graphs_become_facts_and_queries():
    data = TensorDataset([
        Data(x=[[1, 0], [0, 1], [1, 1]], edge_index=[[0, 1], [1, 2]], y=1),
        Data(x=np.array([[0.5], [2.0]]), edge_index=np.array([[0], [1]]),
             y=[0, 1], y_mask=[1], edge_attr=[0.25]),
    ])
    assert data.examples_text().splitlines() == [
        "<1.0> edge(0, 1), <1.0> edge(1, 2), <[1.0, 0.0]> node_feature(0), "
        "<[0.0, 1.0]> node_feature(1), <[1.0, 1.0]> node_feature(2).",
        "<0.25> edge(0, 1), <0.5> node_feature(0), <2.0> node_feature(1).",
    ]
    assert data.queries_text().splitlines() == ["1.0 predict.", "1.0 predict(1)."]


def test_one_hot_labels():
    data = TensorDataset([Data(x=[[1]], edge_index=[[], []], y=2)],
                         one_hot_encode_labels=True, number_of_classes=3)
    assert data.queries_text().strip() == "[0.0, 0.0, 1.0] predict."


def test_python_and_cli_agree_on_a_graph_dataset(tmp_path):
    graphs = tmp_path / "graphs.jsonl"
    subprocess.run([sys.executable, str(ROOT / "examples/gnn/make_mutag_like.py"),
                    str(graphs), "--graphs", "12", "--seed", "4"], check=True)
    rows = [json.loads(line) for line in graphs.read_text().splitlines()]
    dataset = TensorDataset([Data(x=r["x"], edge_index=r["edge_index"], y=r["y"],
                                  edge_attr=r.get("edge_attr")) for r in rows])

    model = Model(model_file=ROOT / "examples/gnn/gcn.txt")
    model.build(Settings(optimizer=SGD(lr=0.05), seed=2))
    built = model.build_dataset(dataset)
    model.train(built, epochs=3)
    ours = model.test(built)
    weights = tmp_path / "weights.json"
    model.save(weights)

    run = subprocess.run([str(NLOGIC), "eval", str(ROOT / "examples/gnn/gcn.txt"),
                          "--examples", str(graphs), "--weights", str(weights),
                          "--json"], check=True, capture_output=True, text=True)
    cli = [json.loads(line)["output"] for line in run.stdout.splitlines()]
    np.testing.assert_allclose(ours, cli, rtol=1e-12)


def test_gcn_with_pyneuralogics_defaults():
    """GCNConv's default self-loops and degree normalisation (non-ground
    statements, lifted over every constant; the degrees multiplied by a
    relation's `product` combination) ground and train on both engines,
    to the same numbers."""
    from nlogic.nn import GCNConv

    graphs = TensorDataset([
        Data(x=[[1, 0], [0, 1], [1, 1]], edge_index=[[0, 1, 2], [1, 2, 0]], y=1),
        Data(x=[[0, 1], [1, 0]], edge_index=[[0], [1]], y=0),
    ])

    def model(engine):
        m = Model()
        m.add_module(GCNConv(2, 3, "h", "node_feature", "edge"))
        m += R.predict[1, 3] <= R.h(V.I)
        m.build(Settings(optimizer=SGD(lr=0.1), engine=engine, seed=1))
        return m

    outputs = {}
    for engine in ("reference", "compiled"):
        m = model(engine)
        built = m.build_dataset(graphs)
        first = m.train(built, epochs=1)
        assert m.train(built, epochs=30) < first
        outputs[engine] = m.test(built)
    np.testing.assert_allclose(outputs["compiled"], outputs["reference"],
                               rtol=1e-9)
