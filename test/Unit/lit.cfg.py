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
