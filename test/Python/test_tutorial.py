"""PyNeuraLogic's quick-start flow (XOR), with nlogic's package: a template
from language objects, a dataset of samples, settings with an optimizer,
training, evaluation, weights as numpy arrays."""
import numpy as np
import pytest

from nlogic import (F, R, SGD, V, Adam, Dataset, Model, Sample, Settings,
                    Transformation)


def xor_dataset():
    dataset = Dataset()
    dataset.add_samples([
        Sample(R.xor[0], [R.xy[[0, 0]]]),
        Sample(R.xor[1], [R.xy[[0, 1]]]),
        Sample(R.xor[1], [R.xy[[1, 0]]]),
        Sample(R.xor[0], [R.xy[[1, 1]]]),
    ])
    return dataset


def xor_model():
    model = Model()
    model.add_rules([
        (R.xor[1, 8] <= R.xy[8, 2]) | [Transformation.TANH],
        R.xor / 0 | [Transformation.TANH],
    ])
    return model


@pytest.mark.parametrize("engine", ["compiled", "reference"])
def test_xor_quick_start(engine):
    model = xor_model()
    model.build(Settings(optimizer=Adam(lr=0.1), seed=3, engine=engine))
    built = model.build_dataset(xor_dataset())
    first = model.train(built, epochs=1)
    last = model.train(built, epochs=300)
    assert last < first / 10
    outputs = model.test(built)
    np.testing.assert_allclose(outputs, [0, 1, 1, 0], atol=0.1)
    weights = model.parameters()
    assert [w.shape for w in weights.values()] == [(1, 8), (8, 2)]


def test_both_engines_train_the_same_weights():
    trained = []
    for engine in ("compiled", "reference"):
        model = xor_model()
        model.build(Settings(optimizer=SGD(lr=0.2), seed=5, engine=engine))
        model.train(model.build_dataset(xor_dataset()), epochs=30)
        trained.append(model.parameters())
    for name in trained[0]:
        np.testing.assert_allclose(trained[0][name], trained[1][name],
                                   rtol=1e-9)


def test_a_template_error_is_an_exception():
    model = Model()
    model += R.h(V.X) <= R.e(V.X)[2, 2]
    # Softmax over a variable the head does not have: the verifier refuses.
    model += (R.g(V.X) <= R.h(V.X)) | [F.softmax_agg(agg_terms=[V.Z])]
    with pytest.raises(ValueError, match=r"template\.txt:2:\d+: error"):
        model.build()


def test_functions_from_f():
    model = Model()
    model += (R.h(V.X) <= R.e(V.X)[2, 2]) | [F.sigmoid]
    assert model.to_text() == "h(X) :- {2, 2} e(X). [transformation=sigmoid]\n"
