"""Compares two `nlogic eval --json` outputs to a relative 1e-12."""
import json
import sys


def values(path):
    out = []
    for line in open(path):
        v = json.loads(line)["output"]
        out.append(v if isinstance(v, list) else [v])
    return out


a, b = values(sys.argv[1]), values(sys.argv[2])
assert len(a) == len(b), (len(a), len(b))
scale = max(abs(x) for row in a for x in row)
worst = max(abs(x - y) for ra, rb in zip(a, b) for x, y in zip(ra, rb))
assert worst <= 1e-12 * scale, worst
print(f"{len(a)} outputs agree to 1e-12")
