//===- KernelCache.h - host object code of compiled templates -----*- C++
//-*-===//
//
// The compiled engine runs kernels as object code for the host CPU, made by
// the same LLVM -O3 code generator as nlogic-compile and linked into the
// process by ORC. Object files are cached on disk, keyed by a hash of the
// kernels' LLVM-dialect IR, the host CPU and the LLVM version: running the
// same template again (on any data with the same shapes) skips code
// generation. The cache lives in $NLOGIC_CACHE_DIR, else
// $XDG_CACHE_HOME/nlogic, else ~/.cache/nlogic; NLOGIC_CACHE_DIR=off
// disables it. Entries are written to a temporary file and renamed, so
// concurrent runs never see half an object.
//
//===----------------------------------------------------------------------===//

#ifndef NLOGIC_COMPILER_KERNELCACHE_H
#define NLOGIC_COMPILER_KERNELCACHE_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/MemoryBuffer.h"

#include <memory>
#include <string>

namespace mlir::nlogic {

struct HostObject {
  std::unique_ptr<llvm::MemoryBuffer> object;
  bool fromCache = false;
  std::string path; // the cache entry, if any
};

/// Object code of an LLVM-dialect module for the host CPU, from the cache
/// or freshly generated (and then cached).
FailureOr<HostObject> hostObjectFor(ModuleOp module, std::string &error);

} // namespace mlir::nlogic

#endif // NLOGIC_COMPILER_KERNELCACHE_H
