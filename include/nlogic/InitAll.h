//===- InitAll.h - register every nlogic dialect and pass ---------*- C++
//-*-===//
//
// One place that registers what nlogic's tools need: nlogic-opt, the
// translator, the CLI and the Python bindings all call these, so they see
// the same dialects and passes.
//
//===----------------------------------------------------------------------===//

#ifndef NLOGIC_INITALL_H
#define NLOGIC_INITALL_H

#include "nlogic/Compiler/Pipeline.h"
#include "nlogic/Conversion/Passes.h"
#include "nlogic/Dialect/NLogic/IR/NLogicDialect.h"
#include "nlogic/Dialect/NLogic/Transforms/Passes.h"
#include "nlogic/Dialect/Rel/IR/RelDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Transforms/Passes.h"

namespace mlir::nlogic {

/// Adds every dialect nlogic's pipelines produce or consume.
inline void registerAllDialects(DialectRegistry &registry) {
  registry.insert<NLogicDialect, rel::RelDialect, func::FuncDialect,
                  arith::ArithDialect, linalg::LinalgDialect, math::MathDialect,
                  memref::MemRefDialect, scf::SCFDialect, LLVM::LLVMDialect>();
}

/// Registers every nlogic pass with the global pass registry.
inline void registerAllPasses() {
  registerNLogicPasses();
  registerNLogicConversionPasses();
  registerNLogicPipelines();
  // Canonicalize, CSE and friends, to inspect kernels as they are lowered.
  registerTransformsPasses();
}

} // namespace mlir::nlogic

#endif // NLOGIC_INITALL_H
