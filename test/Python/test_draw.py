"""Drawings: a template as relations and rules, a sample's ground network
as neurons, as Graphviz DOT (files through Graphviz when it is there)."""
import shutil

import pytest

from nlogic import F, R, V, Dataset, Model, Sample, Settings


def attention():
    I, J = V.I, V.J
    model = Model()
    model += (R.weights(I, J) <= (R.k(J).T, R.q(I), R.special.leq(J, I))) | [
        F.product, F.softmax_agg(agg_terms=[J])]
    model += (R.out <= R.weights(I, J)) | [F.sum_agg]
    return model


def test_template_drawing():
    dot = attention().draw()
    assert dot.startswith("digraph template {")
    assert '"template.weights" [shape=box, label="weights/2"];' in dot
    assert 'label="weights(I, J) :-\\nsoftmax over J\\nleq(J, I)"' in dot
    assert '"template.k" -> rule0 [label="(J)^T"];' in dot


def test_drawing_to_a_file(tmp_path):
    path = tmp_path / "template.dot"
    assert attention().draw(path) is None
    assert path.read_text() == attention().draw()


def test_svg_needs_graphviz(tmp_path):
    path = tmp_path / "template.svg"
    if shutil.which("dot"):
        attention().draw(path)
        assert path.read_text().lstrip().startswith("<?xml")
    else:
        with pytest.raises(RuntimeError, match="Graphviz"):
            attention().draw(path)


def test_network_drawing():
    model = attention()
    model.build(Settings())
    model.build_dataset(Dataset([Sample(R.out[1.0], [
        R.q(0)[[1.0, 0.0]], R.q(1)[[0.0, 1.0]],
        R.k(0)[[1.0, 0.0]], R.k(1)[[0.0, 1.0]]])]))
    dot = model.draw_network(0)
    assert dot.startswith("digraph")
    # Causal: weights(0, 0), weights(1, 0), weights(1, 1) but not (0, 1).
    assert "weights(1, 0)" in dot and "weights(0, 1)" not in dot
