//===- AheadOfTime.h - object files and C headers of templates ----*- C++
//-*-===//
//
// The ahead-of-time half of the compiler: a compiled template (LLVM
// dialect) becomes a relocatable object file, and a C header declares its
// kernels and a `nlogic_kernel_table` (nlogic/Runtime/KernelTable.h) that
// the runtime uses instead of JIT-compiling.
//
//===----------------------------------------------------------------------===//

#ifndef NLOGIC_COMPILER_AHEADOFTIME_H
#define NLOGIC_COMPILER_AHEADOFTIME_H

#include "nlogic/Compiler/Pipeline.h"

namespace mlir::nlogic {

/// Translates the LLVM-dialect module to LLVM IR, optimises it at -O3 and
/// writes a position-independent object file for the host's target triple
/// and `cpu` ("generic", or "native" for the host CPU).
LogicalResult writeObjectFile(ModuleOp module, llvm::StringRef path,
                              llvm::StringRef cpu, std::string &error);

/// The C header of a compiled template: kernel declarations and
/// `static const nlogic_kernel_table <prefix>_kernel_table`.
std::string kernelHeader(TemplateOp templ, const CompiledTemplate &compiled,
                         llvm::StringRef prefix);

} // namespace mlir::nlogic

#endif // NLOGIC_COMPILER_AHEADOFTIME_H
