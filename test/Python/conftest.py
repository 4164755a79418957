"""The package under test is the one the build assembled (build/python),
unless NLOGIC_PYTHON_DIR names another."""
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, os.environ.get("NLOGIC_PYTHON_DIR",
                                  str(ROOT / "build" / "python")))
