# -*- Python -*-
# The GoogleTest unit tests (unittests/), run as part of check-nlogic.

import os

import lit.formats

config.name = "NLOGIC-Unit"
config.suffixes = []
config.test_source_root = os.path.join(config.nlogic_obj_root, "unittests")
config.test_exec_root = config.test_source_root
# Every executable named *-tests below unittests/ in the build tree.
config.test_format = lit.formats.GoogleTest(".", "-tests")
# The compiled engine's tests cache kernels inside the build tree.
config.environment["NLOGIC_CACHE_DIR"] = os.path.join(
    config.nlogic_obj_root, "test", "kernel-cache")
