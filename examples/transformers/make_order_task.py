#!/usr/bin/env python3
"""Writes the "does A occur before B?" sequence task as NeuraLogic examples.

Each sample is a sequence of 5 to 12 one-hot tokens x(I) over 6 types
(0 = A, 1 = B, 2..5 fillers) containing one A and one B at random
positions; its query `out` has target 1 when A comes before B. Seeded, so
the same arguments always give the same files.

    make_order_task.py TRAIN.txt TEST.txt [--train-size 1000] [--test-size 500] [--seed 1]
"""
import argparse
import random

TYPES = 6


def sample(rng):
    length = rng.randint(5, 12)
    a, b = rng.sample(range(length), 2)
    tokens = [rng.randrange(2, TYPES) for _ in range(length)]
    tokens[a], tokens[b] = 0, 1
    facts = []
    for i, t in enumerate(tokens):
        onehot = ["1" if j == t else "0" for j in range(TYPES)]
        facts.append(f"[{', '.join(onehot)}] x({i})")
    return f"<{1 if a < b else 0}> out :- {', '.join(facts)}."


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("train")
    parser.add_argument("test")
    parser.add_argument("--train-size", type=int, default=1000)
    parser.add_argument("--test-size", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    for path, n in ((args.train, args.train_size), (args.test, args.test_size)):
        with open(path, "w") as f:
            for _ in range(n):
                f.write(sample(rng) + "\n")


if __name__ == "__main__":
    main()
