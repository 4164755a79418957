//===- CompiledEngine.h - JIT-compiled kernels over ground tables -*- C++
//-*-===//
//
// The compiled engine: the template is compiled once (nlogic/Compiler/
// Pipeline.h) into one kernel per rule and per derived relation, JIT-
// compiled with LLVM at -O3; each batch of ground networks becomes flat
// arenas (every reached atom's value at an offset) and ground tables
// (segments sorted by head atom, rows of body-atom offsets) that those
// kernels consume. A batch is laid out once and evaluated every epoch.
//
// The calling convention of the kernels is documented in docs/Compiler.md
// and in the convert-nlogic-to-linalg pass.
//
//===----------------------------------------------------------------------===//

#ifndef NLOGIC_RUNTIME_COMPILEDENGINE_H
#define NLOGIC_RUNTIME_COMPILEDENGINE_H

#include "nlogic/Runtime/Engine.h"
#include "nlogic/Runtime/KernelTable.h"

namespace mlir::nlogic {
class TemplateOp;
} // namespace mlir::nlogic

namespace mlir::nlogic::runtime {

/// Compiles `templ` (from which `model` was built) for the value shapes the
/// facts of `nets` have. Errors (a construct the kernels cannot compute
/// yet, inconsistent fact shapes) are reported through the context's
/// diagnostic handler, at the template's locations.
mlir::FailureOr<std::unique_ptr<Engine>>
createCompiledEngine(mlir::nlogic::TemplateOp templ, const TemplateModel &model,
                     llvm::ArrayRef<GroundNetwork> nets,
                     bool reassociate = false);

/// Runs the kernels of an ahead-of-time compiled model (the table of the
/// header nlogic-compile writes) for the template `model` was built from.
/// Fails, saying why, when the model does not match the template or the
/// samples' fact shapes differ from those it was compiled for.
mlir::FailureOr<std::unique_ptr<Engine>>
createCompiledEngine(const nlogic_kernel_table &kernels,
                     const TemplateModel &model,
                     llvm::ArrayRef<GroundNetwork> nets, std::string &error);

} // namespace mlir::nlogic::runtime

#endif // NLOGIC_RUNTIME_COMPILEDENGINE_H
