//===- HostCode.h - load compiled code into the running process ---*- C++
//-*-===//
//
// Object code for the host (from the on-disk cache or generated) linked
// into the process with ORC's LLJIT. Shared by the compiled engine (rule
// kernels) and the compiled grounder (join plans).
//
//===----------------------------------------------------------------------===//

#ifndef NLOGIC_RUNTIME_HOSTCODE_H
#define NLOGIC_RUNTIME_HOSTCODE_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ExecutionEngine/Orc/LLJIT.h"

#include <memory>
#include <string>
#include <utility>

namespace mlir::nlogic::runtime {

/// Links the object code of `module` (an LLVM dialect module). Symbols the
/// code calls resolve to `hostSymbols` (name, address) first, then to the
/// process (libm). Looking up `probe` links the object: a damaged cache
/// entry fails there and is regenerated once.
FailureOr<std::unique_ptr<llvm::orc::LLJIT>>
loadHostCode(ModuleOp module, llvm::StringRef probe,
             llvm::ArrayRef<std::pair<llvm::StringRef, void *>> hostSymbols,
             std::string &error);

} // namespace mlir::nlogic::runtime

#endif // NLOGIC_RUNTIME_HOSTCODE_H
