# -*- Python -*-
# lit configuration of nlogic's regression tests.

import os

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "NLOGIC"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".txt", ".test"]
config.excludes = ["Inputs", "CMakeLists.txt", "README.txt", "lit.cfg.py",
                   "lit.site.cfg.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.nlogic_obj_root, "test")

config.substitutions.append(("%PATH%", config.environment["PATH"]))
# Compiled kernels are cached per template and shape; the tests share a
# cache inside the build tree rather than the user's.
config.environment["NLOGIC_CACHE_DIR"] = os.path.join(
    config.nlogic_obj_root, "test", "kernel-cache")
llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)

# PyNeuraLogic's datasets live beside the checkout (../shared); tests that
# read them say `REQUIRES: datasets`.
if os.path.isdir(config.nlogic_datasets_dir):
    config.available_features.add("datasets")
    config.substitutions.append(("%datasets", config.nlogic_datasets_dir))

# Example templates shipped in examples/ are tested as they are.
config.substitutions.append(
    ("%examples", os.path.join(os.path.dirname(config.test_source_root),
                               "examples")))

config.substitutions.append(("%python", config.python_executable or "python3"))

tool_dirs = [config.nlogic_tools_dir, config.llvm_tools_dir]
tools = ["nlogic", "nlogic-opt", "nlogic-translate", "nlogic-compile",
         "nlogic-aot-gcn", "nlogic-aot-gcn-fast"]
llvm_config.add_tool_substitutions(tools, tool_dirs)
