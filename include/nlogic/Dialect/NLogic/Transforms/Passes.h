//===- Passes.h - nlogic template-level passes --------------------*- C++
//-*-===//
//
// Declares the passes that transform nlogic templates.
//
//===----------------------------------------------------------------------===//

#ifndef NLOGIC_DIALECT_NLOGIC_TRANSFORMS_PASSES_H
#define NLOGIC_DIALECT_NLOGIC_TRANSFORMS_PASSES_H

#include "nlogic/Dialect/NLogic/IR/NLogicOps.h"

#include "mlir/Pass/Pass.h"

namespace mlir::nlogic {

#define GEN_PASS_DECL
#include "nlogic/Dialect/NLogic/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "nlogic/Dialect/NLogic/Transforms/Passes.h.inc"

} // namespace mlir::nlogic

#endif // NLOGIC_DIALECT_NLOGIC_TRANSFORMS_PASSES_H
