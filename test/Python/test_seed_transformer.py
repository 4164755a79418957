"""The seed article's transformer in PyNeuraLogic's API
(examples/seed_transformer.py, only the import changed): its template is
the main job's encoder (examples/transformers/encoder_order.txt), and it
learns the order task through the causal mask."""
import os
import random
import subprocess
import sys
from pathlib import Path

import nlogic
from nlogic import _native

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "examples"))
import seed_transformer  # noqa: E402


def test_template_is_the_main_jobs_encoder():
    text = (ROOT / "examples" / "transformers" / "encoder_order.txt").read_text()
    assert seed_transformer.encoder_block().to_mlir() == _native.import_template(text)


def test_only_the_import_differs_from_pyneuralogic():
    source = (ROOT / "examples" / "seed_transformer.py").read_text()
    imports = [line for line in source.splitlines()
               if line.startswith(("import ", "from "))]
    assert imports == ["import argparse", "import math", "import random",
                       "from nlogic import F, R, V, Adam, Dataset, Model, Sample, Settings"]


def test_learns_the_order_task():
    run = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "seed_transformer.py"),
         "--train-size", "300", "--test-size", "200", "--epochs", "8"],
        capture_output=True, text=True, check=True,
        env={**os.environ, "PYTHONPATH": str(Path(nlogic.__file__).parents[1])})
    last = run.stdout.strip().splitlines()[-2]
    held_out = float(last.split("held-out accuracy")[1])
    assert held_out >= 0.95, run.stdout


def test_masked_pairs_are_never_scored():
    """Scores exist only for J <= I: N(N+1)/2 per sequence of N tokens."""
    model = seed_transformer.encoder_block()
    model.build(nlogic.Settings())
    data = seed_transformer.order_task(5, random.Random(3))
    model.build_dataset(data)
    lengths = [len(s.example) for s in data.samples]
    stats = model._session.ground_stats()
    assert stats["samples"] == 5
    # Per token: q, k, v, attention, norm1, mlp, norm2 (one rule neuron
    # each except attention, which has one per visible key), scores, out.
    scores = sum(n * (n + 1) // 2 for n in lengths)
    tokens = sum(lengths)
    assert stats["rule_neurons"] == 6 * tokens + 2 * scores + tokens
