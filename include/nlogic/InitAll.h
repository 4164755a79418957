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

#include "nlogic/Dialect/NLogic/IR/NLogicDialect.h"
#include "nlogic/Dialect/NLogic/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/DialectRegistry.h"

namespace mlir::nlogic {

/// Adds every dialect nlogic's pipelines produce or consume.
inline void registerAllDialects(DialectRegistry &registry) {
  registry.insert<NLogicDialect, func::FuncDialect>();
}

/// Registers every nlogic pass with the global pass registry.
inline void registerAllPasses() { registerNLogicPasses(); }

} // namespace mlir::nlogic

#endif // NLOGIC_INITALL_H
