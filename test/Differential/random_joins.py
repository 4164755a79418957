#!/usr/bin/env python3
"""Differential testing of the compiled grounder on random join patterns.

Generates seeded random templates whose rules exercise what the join plans
must get right -- comparisons between token positions in every orientation
(which dense plans turn into loop bounds), strided and blocked masks through
term arithmetic (sub, mod, add), `next` and `eq` generating bindings,
repeated variables, constants (integers, names, numbers spelled as names),
comparisons of names, negation, alldiff, hidden literals, recursion,
non-ground facts and head variables lifted over the active domain -- over
samples that mix dense position tables with sparse, shuffled and named
ones. `nlogic check` grounds each with the compiled join plans and with the
reference grounder: the ground networks must be identical, and the values,
gradients and trained weights of both engines must agree. A failing case is
printed for reproduction and the script exits 1.
"""

import random
import sys

import check_cases

CMP = ["leq", "lt", "geq", "gt"]


def rule_patterns(rng):
    """Each yields (rules, head, arity)."""
    k = rng.randint(1, 4)
    c, d = rng.choice(CMP), rng.choice(CMP)
    return [
        # Positions compared: a triangle (or its complement) of tok x tok.
        ([f"H(I, J) :- tok(I), tok(J), @{c}(J, I)."], 2),
        ([f"H(I, J) :- tok(J), *tok(I), @{c}(I, J)."], 2),
        # Two bounds on one loop, and a filter on a third variable.
        ([f"H(I, J) :- tok(I), tok(J), *tok(K), @{c}(J, I), @{d}(K, J), "
          f"@neq(K, I)."], 2),
        # Strided and blocked masks (Sparse Transformer heads).
        ([f"H(I, J) :- tok(I), *tok(J), @leq(J, I), @sub(I, J, D), "
          f"@lt(D, {k})."], 2),
        ([f"H(I, J) :- tok(I), *tok(J), @leq(J, I), @sub(I, J, D), "
          f"@mod(D, {k}, 0)."], 2),
        ([f"H(I, J) :- tok(I), *tok(J), @mod(I, {k}, A), @sub(I, A, B), "
          f"@mod(J, {k}, C), @sub(J, C, B)."], 2),
        # Generated bindings.
        (["H(I) :- tok(I), @next(I, J), tok(J)."], 1),
        ([f"H(I) :- tok(I), @add(I, {k}, J), tok(J)."], 1),
        (["H(J) :- tok(I), @next(J, I)."], 1),
        # Lookups of positions computed from others.
        (["H(I, J) :- e(I, J), tok(I), tok(J)."], 2),
        (["H(X, Y) :- e(X, Y), e(Y, X)."], 2),
        (["H(X) :- e(X, X)."], 1),
        ([f"H(X) :- e(X, Y), !g(Y), @{c}(X, Y)."], 1),
        (["H(X) :- e(X, Y), e(Y, Z), @alldiff(X, Y, Z)."], 1),
        # Named constants and their comparison by spelling.
        (["H(X) :- node(X), lab(X, c)."], 1),
        ([f"H(X, Y) :- node(X), node(Y), @{c}(X, Y)."], 2),
        (["H(X) :- node(X), val(X, 0.5)."], 1),
        ([f"H(X) :- tok(X), @{c}(X, {k})."], 1),
        (["H(X) :- pos(X), pos(Y), @lt(X, Y), !e(X, Y)."], 1),
        # Non-ground statements, lifted over every constant of the sample:
        # a self-loop fact, and a head variable no body literal mentions.
        (["<0.5> H_loop(I, I).", "H(I, J) :- tok(I), H_loop(I, J)."], 2),
        (["H(I, J) :- tok(J), @lt(J, 3)."], 2),
        # Recursion over a DAG (semi-naive plans, general plans only).
        (["H(X, Y) :- e(X, Y), @lt(X, Y).",
          "H(X, Y) :- H(X, Z), e(Z, Y), @lt(Z, Y)."], 2),
    ]


def make_case(rng):
    patterns = rule_patterns(rng)
    lines, outs = [], []
    for n in range(rng.randint(2, 4)):
        rules, arity = rng.choice(patterns)
        head = f"r{n}"
        lines += [r.replace("H_loop", f"{head}_loop").replace("H(", f"{head}(")
                  for r in rules]
        args = ", ".join("AB"[:arity])
        outs.append(f"out :- {{1,1}} {head}({args}). [aggregation=avg]")
    lines += outs
    lines.append("out / 0 [activation=sigmoid]")
    return "\n".join(lines) + "\n"


def make_sample(rng):
    n = rng.randint(1, 7)
    facts = [f"tok({i})" for i in range(n)]
    if rng.random() < 0.3:
        # Not dense: a gap, or out of order.
        if rng.random() < 0.5 and n > 1:
            facts.pop(rng.randrange(n))
        else:
            rng.shuffle(facts)
    for i in range(n):
        for j in range(n):
            if rng.random() < 0.3:
                facts.append(f"e({i}, {j})")
        if rng.random() < 0.4:
            facts.append(f"g({i})")
    positions = list(range(n))
    rng.shuffle(positions)
    facts += [f"pos({p})" for p in positions]
    names = rng.sample(["a", "b", "c", "d", "x1", "x2"], rng.randint(1, 4))
    for name in names:
        facts.append(f"node({name})")
        facts.append(f"lab({name}, {rng.choice(['c', 'd'])})")
        facts.append(f"val({name}, {rng.choice(['0.5', '0.50', '1.5'])})")
    rng.shuffle(facts[n:])
    return ", ".join(facts) + "."


def main():
    args = check_cases.parse_args(__doc__.splitlines()[0])
    failures = 0
    for k in range(args.count):
        rng = random.Random(args.seed * 100019 + k)
        template = make_case(rng)
        samples = [make_sample(rng) for _ in range(rng.randint(2, 4))]
        queries = [f"{rng.choice([0, 1])} out." for _ in samples]
        options = ["--epochs", "2", "--optimizer", "sgd", "--lr", "0.1",
                   "--seed", str(k + 1)]
        if not check_cases.check_case(args, f"joins{k}", template, samples,
                                      queries, options):
            failures += 1
    print(f"{args.count} random join templates: {args.count - failures} agree")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
