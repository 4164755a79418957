"""Runs nlogic (argv[1:]) and prints the perf map it wrote, checked.

With NLOGIC_PERF_MAP set the runtime appends one line per compiled
function to /tmp/perf-<pid>.map ("<hex start> <hex size> <name>"), the
file `perf report` reads to name JIT code. Prints "no map" when there is
none; exits non-zero on a malformed line. Removes the file afterwards.
"""
import os
import re
import subprocess
import sys

proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
proc.wait()
if proc.returncode != 0:
    sys.exit(f"nlogic failed with {proc.returncode}")
path = f"/tmp/perf-{proc.pid}.map"
if not os.path.exists(path):
    print("no map")
    sys.exit(0)
try:
    lines = open(path).read().splitlines()
finally:
    os.remove(path)
names = []
for line in lines:
    m = re.fullmatch(r"([0-9a-f]+) ([0-9a-f]+) (\S+)", line)
    if not m or int(m.group(1), 16) == 0 or int(m.group(2), 16) == 0:
        sys.exit(f"malformed perf map line: {line!r}")
    names.append(m.group(3))
for name in sorted(names):
    print(name)
