#!/usr/bin/env python3
"""Runs PyNeuraLogic (the reference implementation) on a NeuraLogic text
template and dataset, and prints the per-query outputs before training and
after each of N epochs of SGD (or Adam) with batch size 1, as JSON.

    pyneuralogic_run.py TEMPLATE EXAMPLES [QUERIES] --epochs N --lr X
                        [--optimizer sgd|adam] [--weights NAMED.json]

Settings that would change the mathematics are turned off: iso-value
compression (merges neurons with equal initial values) and chain pruning
(drops activations on single-input neurons). Everything else is
PyNeuraLogic 0.9's default.
"""
import argparse
import contextlib
import json
import os
import sys


@contextlib.contextmanager
def quiet():
    """The Java loader logs to fd 1 even when told to be silent."""
    sys.stdout.flush()
    saved = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    try:
        yield
    finally:
        os.dup2(saved, 1)
        os.close(devnull)
        os.close(saved)


def as_json(value):
    try:
        return float(value)
    except TypeError:
        return [as_json(v) for v in value]


def fill(shape_like, values):
    """`shape_like` (a number or nested lists) refilled in row-major order."""
    if isinstance(shape_like, list):
        return [fill(x, values) for x in shape_like]
    return next(values)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("template")
    parser.add_argument("examples")
    parser.add_argument("queries", nargs="?")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--lr", type=float, default=0.1)
    parser.add_argument("--optimizer", choices=["sgd", "adam"], default="sgd")
    parser.add_argument("--weights",
                        help="JSON {name: row-major values} of named weights")
    args = parser.parse_args()

    from neuralogic.core import Model, Settings
    from neuralogic.dataset import FileDataset
    from neuralogic.nn.loss import MSE
    from neuralogic.nn.optim import SGD, Adam

    optimizer = (Adam if args.optimizer == "adam" else SGD)(lr=args.lr)
    settings = Settings(optimizer=optimizer, error_function=MSE(),
                        iso_value_compression=False, chain_pruning=False)
    files = {"examples_file": args.examples}
    if args.queries:
        files["queries_file"] = args.queries
    with quiet():
        model = Model(model_file=args.template).build(settings)
        data = model.build_dataset(FileDataset(**files), batch_size=1)
    if args.weights:
        # PyNeuraLogic's text parser takes no matrix literals: matrices are
        # declared `$name={r,c}` and their values loaded here.
        with open(args.weights) as f:
            given = json.load(f)
        state = model.state_dict()
        for index, name in state["weight_names"].items():
            if name in given:
                state["weights"][index] = fill(state["weights"][index],
                                               iter(given[name]))
        model.load_state_dict({"weights": state["weights"]})
    runs = [[as_json(o) for o in model.test(data)]]
    for _ in range(args.epochs):
        with quiet():
            model.train(data, epochs=1)
        runs.append([as_json(o) for o in model.test(data)])
    print(json.dumps(runs))


if __name__ == "__main__":
    main()
