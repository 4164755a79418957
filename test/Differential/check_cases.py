"""Shared driver of the random differential tests: writes each generated
case (template, examples, queries) and runs `nlogic check` on it."""

import argparse
import os
import subprocess


def parse_args(description, extra=None):
    parser = argparse.ArgumentParser(description=description)
    if extra:
        extra(parser)
    parser.add_argument("--nlogic", required=True, help="the nlogic binary")
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", required=True, help="work directory")
    parser.add_argument("--fast-math", action="store_true",
                        help="check the fast-math kernels")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    return args


def check_case(args, name, template, samples, queries, options):
    """Runs `nlogic check` on one case; prints it and returns False when the
    engines (or the groundings) disagree."""
    base = os.path.join(args.out, name)
    for suffix, text in ((".txt", template),
                         ("_examples.txt", "\n".join(samples) + "\n"),
                         ("_queries.txt", "\n".join(queries) + "\n")):
        with open(base + suffix, "w") as f:
            f.write(text)
    cmd = [args.nlogic, "check", base + ".txt", "--examples",
           base + "_examples.txt", "--queries", base + "_queries.txt"] + options
    if args.fast_math:
        cmd.append("--fast-math")
    run = subprocess.run(cmd, capture_output=True, text=True)
    if run.returncode == 0 and "identical" in run.stdout:
        return True
    print(f"{name}: FAILED ({' '.join(cmd)})")
    print(template)
    print(run.stdout + run.stderr)
    return False
