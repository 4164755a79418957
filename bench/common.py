"""What the benchmarks share: paths, and the start of the Python programs
they run under PyNeuraLogic (its Java side prints to stdout, which those
programs silence around each call with `quiet()`)."""
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NLOGIC = ROOT / "build" / "bin" / "nlogic"
MUTA = ROOT.parent / "shared" / "datasets" / "neuralogic" / "molecules" / "mutagenesis"

PNL_PRELUDE = r"""
import contextlib, os, sys, time
from neuralogic.core import Model, Settings
from neuralogic.dataset import FileDataset
@contextlib.contextmanager
def quiet():
    sys.stdout.flush(); saved = os.dup(1); null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    try: yield
    finally: os.dup2(saved, 1); os.close(null); os.close(saved)
"""
