# Pin the toolchain: nlogic is developed and tested against Debian 12's
# LLVM/MLIR 22 packages (22.1.x). Other majors move MLIR's C++ API under us.
set(NLOGIC_TESTED_LLVM_MAJOR 22)
if(NOT LLVM_VERSION_MAJOR EQUAL NLOGIC_TESTED_LLVM_MAJOR)
  message(FATAL_ERROR
    "nlogic needs LLVM/MLIR ${NLOGIC_TESTED_LLVM_MAJOR}.x (found "
    "${LLVM_PACKAGE_VERSION} in ${LLVM_DIR}). Install Debian's llvm-22-dev "
    "libmlir-22-dev mlir-22-tools, or run scripts/install-deps.sh.")
endif()
if(NOT LLVM_VERSION_MINOR EQUAL 1)
  message(WARNING "nlogic is tested with LLVM 22.1.x; found ${LLVM_PACKAGE_VERSION}")
endif()
