#!/usr/bin/env python3
"""The seed article's transformer, in PyNeuraLogic's Python API, run by nlogic.

The rules are the article's: scaled dot-product attention as two rules
(scores normalised by a softmax aggregation over J, then a weighted sum of
the values), the causal mask as the constraint J <= I, and the encoder
block (skip connection + layer norm, a two-layer ReLU MLP, skip + layer
norm). Only the import differs from PyNeuraLogic code:

    from neuralogic.core import R, V, F, Model, Settings   # PyNeuraLogic
    from neuralogic.nn.optim import Adam
    from neuralogic.dataset import Dataset, Sample

The block is trained on "does token A occur before token B?" (sequences of
one-hot tokens without positional encoding: order is visible only through
the causal mask), as the README's main job does from NeuraLogic text.

    python3 examples/seed_transformer.py [--train-size 1000] [--test-size 500] [--epochs 10]

Needs the built package: PYTHONPATH=build/python (or pip install build/python).
"""
import argparse
import math
import random

from nlogic import F, R, V, Adam, Dataset, Model, Sample, Settings

TYPES = 6  # token types: 0 = A, 1 = B, 2..5 fillers


def encoder_block(width=TYPES, hidden=2 * TYPES):
    """The article's attention, causal mask and encoder block."""
    I, J = V.I, V.J
    model = Model()
    model += R.d_k[round(1 / math.sqrt(width), 3)].fixed()
    model += R.q(I) <= R.x(I)[width, width]
    model += R.k(I) <= R.x(I)[width, width]
    model += R.v(I) <= R.x(I)[width, width]
    # Attention weights: softmax over the keys J a query I may see (J <= I).
    model += (R.weights(I, J) <= (R.d_k, R.k(J).T, R.q(I), R.special.leq(J, I))) | [
        F.product, F.softmax_agg(agg_terms=[J])]
    model += (R.attention(I) <= (R.weights(I, J), R.v(J))) | [F.product, F.sum_agg]
    # Skip connection + layer norm, MLP, skip connection + layer norm.
    model += (R.norm1(I) <= (R.attention(I)[width, width], R.x(I))) | [F.norm]
    model += (R.mlp(I) <= R.norm1(I)[hidden, width]) | [F.relu]
    model += (R.norm2(I) <= (R.mlp(I)[width, hidden], R.norm1(I))) | [F.norm]
    # The answer: max over positions, sigmoid.
    model += (R.out[1, width] <= R.norm2(I)) | [F.max_agg]
    model += R.out / 0 | [F.sigmoid]
    return model


def order_task(size, rng):
    """Sequences of 5-12 tokens with one A and one B; target 1 if A is first."""
    dataset = Dataset()
    for _ in range(size):
        length = rng.randint(5, 12)
        a, b = rng.sample(range(length), 2)
        tokens = [rng.randrange(2, TYPES) for _ in range(length)]
        tokens[a], tokens[b] = 0, 1
        facts = [R.x(i)[[1 if t == j else 0 for j in range(TYPES)]]
                 for i, t in enumerate(tokens)]
        dataset.add_sample(Sample(R.out[1 if a < b else 0], facts))
    return dataset


def accuracy(outputs, dataset):
    targets = [s.query.weight for s in dataset.samples]
    return sum((o > 0.5) == (t > 0.5) for o, t in zip(outputs, targets)) / len(targets)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train-size", type=int, default=1000)
    parser.add_argument("--test-size", type=int, default=500)
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--engine", default="compiled", choices=["compiled", "reference"])
    args = parser.parse_args()

    rng = random.Random(args.seed)
    train, test = order_task(args.train_size, rng), order_task(args.test_size, rng)
    model = encoder_block()
    model.build(Settings(optimizer=Adam(lr=0.01), seed=args.seed, engine=args.engine))
    built = model.build_dataset(train)
    for epoch in range(1, args.epochs + 1):
        loss = model.train(built, epochs=1)
        print(f"epoch {epoch:2d}  loss {loss:.4f}")
    train_accuracy = accuracy(model.test(built), train)
    test_accuracy = accuracy(model.test(model.build_dataset(test)), test)
    print(f"training accuracy {train_accuracy:.3f}, held-out accuracy {test_accuracy:.3f}")
    weights = model.parameters()
    print("weights:", ", ".join(f"{name} {w.shape}" for name, w in weights.items()))


if __name__ == "__main__":
    main()
