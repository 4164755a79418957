#!/usr/bin/env python3
"""Differential testing of the compiled engine on random templates.

Generates seeded random NeuraLogic templates and samples -- joins through
edges, constants, constraints, negation, hidden literals, every aggregation
(sum, avg, max, min, count, softmax over a variable), combinations (sum,
avg, max, min, elproduct, product), scalar relations multiplying their
rules' contributions, transformations, body and head weights, broadcasting
of scalar inputs -- and runs `nlogic check` on each: the
compiled kernels and the reference evaluator must give the same outputs,
gradients and trained weights. A failing case is written out for
reproduction and the script exits 1.
"""

import random
import sys

import check_cases

AGGREGATIONS = ["sum", "avg", "max", "min", "count"]
COMBINATIONS = ["sum", "avg", "max", "min", "elproduct", "concat",
                "crosssum"]
ACTIVATIONS = ["identity", "sigmoid", "tanh", "relu"]


def vec(rng, n):
    return "[" + ", ".join(f"{rng.uniform(-1, 1):.3f}" for _ in range(n)) + "]"


class Case:
    def __init__(self, rng):
        self.rng = rng
        self.feature_dim = rng.choice([1, 2, 3])
        self.lines = []
        # name -> dimension of the relation's values (unary relations).
        self.unary = {"f": self.feature_dim}
        self.counter = 0
        self.attention = False

    def weight(self, rows, cols):
        return f"{{{rows}, {cols}}}"

    def body_literal(self, name, dim, var, rule_dim, weighted=True):
        if weighted:
            return f"{self.weight(rule_dim, dim)} {name}({var})"
        return f"{name}({var})"

    def add_rule(self, head, head_dim):
        rng = self.rng
        rule_dim = rng.choice([1, 2, 3])
        combination = rng.choice(COMBINATIONS + ["product"])
        aggregation = rng.choice(AGGREGATIONS)
        activation = rng.choice(ACTIVATIONS)
        sources = list(self.unary.items())
        body = []
        pattern = rng.choice(["self", "edge", "edge", "constant", "pair"])
        strict = combination in ("max", "min")  # inputs must not broadcast
        if combination == "product":
            # A scalar gate times a vector: scaling, as attention does.
            name, dim = rng.choice(sources)
            body.append(f"{self.weight(1, dim)} {name}(Y)")
            name2, dim2 = rng.choice(sources)
            body.append(f"{self.weight(rule_dim, dim2)} {name2}(Y)")
            body.append(rng.choice(["e(Y, X)", "*e(Y, X)"]))
            aggregation = rng.choice(["sum", "avg", "max"])
        elif pattern == "self":
            name, dim = rng.choice(sources)
            body.append(self.body_literal(name, dim, "X", rule_dim))
            if rng.random() < 0.5:
                name, dim = rng.choice(sources)
                body.append(self.body_literal(name, dim, "X", rule_dim))
        elif pattern == "edge":
            name, dim = rng.choice(sources)
            body.append(self.body_literal(name, dim, "Y", rule_dim))
            if strict:
                body.append("*e(Y, X)")
            else:
                body.append(rng.choice(["e(Y, X)", "*e(Y, X)"]))
            if rng.random() < 0.4:
                body.append(rng.choice(["@neq(X, Y)", "@leq(Y, X)",
                                        "@lt(X, Y)"]))
        elif pattern == "constant":
            name, dim = rng.choice(sources)
            body.append(self.body_literal(name, dim, "X", rule_dim))
            name, dim = rng.choice(sources)
            body.append(self.body_literal(name, dim, "0", rule_dim))
        else:
            name, dim = rng.choice(sources)
            body.append(self.body_literal(name, dim, "X", rule_dim))
            name, dim = rng.choice(sources)
            body.append(self.body_literal(name, dim, "Y", rule_dim))
            body.append("*e(X, Y)")
        if rng.random() < 0.25:
            body.append("!g(X)")
        # The value's size: a concatenation stacks its inputs (weighted
        # literals give rule_dim, a bare edge its scalar value).
        value_dim = rule_dim
        inputs = [rule_dim if lit.startswith("{") else 1
                  for lit in body if lit[0] in "{e"]
        if combination == "concat":
            value_dim = sum(inputs)
        elif combination == "crosssum":
            value_dim = 1
            for n in inputs:
                value_dim *= n
        if combination != "product" and value_dim >= 2 and rng.random() < 0.3:
            activation = rng.choice(["softmax", "norm",
                                     f"slice(rows=[1,{value_dim}])"])
            if activation.startswith("slice"):
                value_dim -= 1
        agg_dim = 1 if aggregation == "count" else value_dim
        head_weight = ""
        if agg_dim != head_dim or rng.random() < 0.5:
            head_weight = self.weight(head_dim, agg_dim) + " "
        meta = (f"[aggregation={aggregation}, combination={combination}, "
                f"transformation={activation}]")
        self.lines.append(f"{head_weight}{head}(X) :- {', '.join(body)}. "
                          f"{meta}")

    def add_softmax(self, head, head_dim):
        """s(X, Y) normalised over Y, then h(X) :- s(X, Y) * v(Y)."""
        rng = self.rng
        name, dim = rng.choice(list(self.unary.items()))
        s = f"s{self.counter}"
        self.counter += 1
        self.lines.append(
            f"{s}(X, Y) :- {self.weight(1, dim)} {name}(Y), "
            f"{self.weight(1, dim)} {name}(X), *e(Y, X). "
            f"[combination=sum, aggregation=softmax(agg_terms=[Y])]")
        self.lines.append(f"{s} / 2 [activation=identity]")
        self.lines.append(
            f"{head}(X) :- {s}(X, Y), {self.weight(head_dim, dim)} "
            f"{name}(Y). [combination=product, aggregation=sum]")

    def add_attention(self, head, head_dim):
        """Attention as register tiles compute it (under --fast-math):
        q, k projections, s(X, Y) = dk * k(Y)^T q(X) normalised over Y
        (dense, causal or along edges), h(X) :- s(X, Y), v(Y) summed."""
        rng = self.rng
        c = self.counter
        self.counter += 1
        d = rng.choice([2, 3, 4, 8])
        (qn, qd), (kn, kd), (vn, vd) = [
            rng.choice(list(self.unary.items())) for _ in range(3)]
        self.lines.append(f"q{c}(X) :- {self.weight(d, qd)} {qn}(X).")
        self.lines.append(f"k{c}(X) :- {self.weight(d, kd)} {kn}(X).")
        self.lines.append(f"<{rng.choice([0.5, 0.7])}> dk{c}.")
        allowed = rng.choice(["", ", @leq(Y, X)", ", *e(Y, X)"])
        self.lines.append(
            f"a{c}(X, Y) :- dk{c}, k{c}(Y)^T, q{c}(X){allowed}. "
            f"[combination=product, aggregation=softmax(agg_terms=[Y])]")
        head_weight = ""
        if vd != head_dim or rng.random() < 0.5:
            head_weight = self.weight(head_dim, vd) + " "
        self.lines.append(
            f"{head_weight}{head}(X) :- a{c}(X, Y), {vn}(Y). "
            f"[combination=product, aggregation=sum]")

    def template(self, attention=False):
        rng = self.rng
        self.attention = attention
        names = []
        for i in range(rng.randint(2, 4)):
            name, dim = f"h{i}", rng.choice([1, 2, 3])
            for _ in range(rng.randint(1, 2)):
                if attention and rng.random() < 0.5:
                    self.add_attention(name, dim)
                elif rng.random() < 0.2:
                    self.add_softmax(name, dim)
                else:
                    self.add_rule(name, dim)
            activation = rng.choice(ACTIVATIONS)
            # A scalar relation may multiply its rules' contributions.
            combine = (", combination=product"
                       if dim == 1 and rng.random() < 0.4 else "")
            self.lines.append(
                f"{name} / 1 [activation={activation}{combine}]")
            self.unary[name] = dim
            names.append(name)
        last = names[-1]
        self.lines.append(
            f"out :- {self.weight(1, self.unary[last])} {last}(X). "
            f"[aggregation=avg, activation=identity]")
        self.lines.append("out / 0 [activation=sigmoid]")
        return "\n".join(self.lines) + "\n"

    def sample(self, long=False):
        rng = self.rng
        n = rng.randint(17, 80) if long else rng.randint(
            2, 9 if self.attention else 5)
        facts = []
        for i in range(n):
            facts.append(f"{vec(rng, self.feature_dim)} f({i})")
            if rng.random() < 0.4:
                facts.append(f"g({i})")
        for i in range(n):
            for j in range(n):
                if i != j and rng.random() < 0.45:
                    value = f"{rng.uniform(0.5, 1.5):.2f} " if rng.random() < 0.5 else ""
                    facts.append(f"{value}e({i}, {j})")
        return ", ".join(facts) + "."


def main():
    def options(parser):
        parser.add_argument(
            "--attention", action="store_true",
            help="half the rules attention (what register tiles compute)")
        parser.add_argument(
            "--long", action="store_true",
            help="samples of 17-80 positions: 16-lane tiles and their "
            "packed panels (with --attention)")
    args = check_cases.parse_args(__doc__.splitlines()[0], options)
    failures = 0
    for k in range(args.count):
        rng = random.Random(args.seed * 100003 + k)
        case = Case(rng)
        template = case.template(args.attention)
        samples = [case.sample(args.long) for _ in range(rng.randint(2, 4))]
        queries = [f"{rng.choice([0, 1])} out." for _ in samples]
        options = ["--epochs", "2", "--optimizer", "adam", "--lr", "0.05",
                   "--batch-size", str(rng.choice([1, 2, 3])),
                   "--seed", str(k + 1)]
        if not check_cases.check_case(args, f"case{k}", template, samples,
                                      queries, options):
            failures += 1
    print(f"{args.count} random templates: {args.count - failures} agree")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
