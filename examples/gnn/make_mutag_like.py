#!/usr/bin/env python3
"""Writes a synthetic MUTAG-shaped graph dataset as JSON lines.

188 molecules-like graphs of about 18 nodes and 20 undirected edges, nodes
one-hot over 7 atom types. The label depends on structure, so a model has
to pass messages: a graph is positive when some node of type 0 is bonded to
a node of type 1 (a "nitro-like" motif). Seeded, so every run writes the
same file.

    python3 make_mutag_like.py OUT.jsonl [--graphs 188] [--seed 0]
"""
import argparse
import json
import random


def make_graph(rng: random.Random, types: int = 7):
    n = rng.randint(12, 24)
    # Atom types skewed like MUTAG (mostly carbon-like type 2).
    weights = [0.08, 0.08, 0.5, 0.12, 0.1, 0.06, 0.06]
    atom = rng.choices(range(types), weights=weights, k=n)
    edges = set()
    for i in range(1, n):  # a random tree keeps the molecule connected
        edges.add((rng.randrange(i), i))
    while len(edges) < n + rng.randint(0, 3):  # a few rings
        a, b = rng.sample(range(n), 2)
        edges.add((min(a, b), max(a, b)))
    src, dst = [], []
    for a, b in sorted(edges):
        src += [a, b]
        dst += [b, a]
    label = any(
        {atom[a], atom[b]} == {0, 1} for a, b in edges
    )
    x = [[1.0 if t == k else 0.0 for k in range(types)] for t in atom]
    return {"x": x, "edge_index": [src, dst], "y": 1.0 if label else 0.0}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out")
    parser.add_argument("--graphs", type=int, default=188)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with open(args.out, "w") as f:
        for _ in range(args.graphs):
            f.write(json.dumps(make_graph(rng)) + "\n")


if __name__ == "__main__":
    main()
