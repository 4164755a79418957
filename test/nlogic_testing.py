"""Helpers the pytest suites share for driving the `nlogic` CLI.

Tests that compare nlogic with another implementation start both from the
same weights: nlogic writes all of its weights once (`train --epochs 0`,
on the reference engine, which needs no code generation), the test
overwrites the ones it chose, and every later run starts from that file.
"""
import json
import subprocess


def write_start_weights(nlogic, template, data, named, path):
    """Writes nlogic's initial weights for `template` to `path`, with the
    weights named in `named` (name -> flat values) overwritten."""
    subprocess.run([str(nlogic), "train", str(template), *data, "--engine",
                    "reference", "--epochs", "0", "--save", str(path)],
                   check=True, capture_output=True)
    weights = json.loads(path.read_text())
    for name, values in named.items():
        weights["weights"][name]["values"] = [float(v) for v in values]
    path.write_text(json.dumps(weights))
    return weights


def eval_outputs(nlogic, template, data, weights, engine):
    """The output of every query, in order, from `nlogic eval --json`."""
    out = subprocess.run([str(nlogic), "eval", str(template), *data,
                          "--engine", engine, "--weights", str(weights),
                          "--json"], check=True, capture_output=True,
                         text=True).stdout
    return [json.loads(line)["output"] for line in out.splitlines()]
