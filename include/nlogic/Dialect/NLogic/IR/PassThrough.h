//===- PassThrough.h - relations whose value is one rule's contribution ---===//
//
// A relation passes its rules' contributions through when its value is
// exactly its one rule's contribution: no transformation, offset or
// product combination, no template facts, not recursive. Each derived atom
// then receives one contribution (one segment of the one rule), so the
// compiled rule kernel stores it as the atom's value and the relation's own
// kernels have nothing to do (docs/Compiler.md, "Pass-through relations").
// The compiler and the runtime both ask this question of a template; one
// answer keeps them agreeing on which accumulators are in use.
//
//===----------------------------------------------------------------------===//

#ifndef NLOGIC_DIALECT_NLOGIC_IR_PASSTHROUGH_H
#define NLOGIC_DIALECT_NLOGIC_IR_PASSTHROUGH_H

#include "nlogic/Dialect/NLogic/IR/NLogicOps.h"
#include "nlogic/Dialect/NLogic/IR/Stratification.h"

namespace mlir::nlogic {

/// Whether `rel` of `templ` passes its one rule's contributions through.
bool passesContributionsThrough(TemplateOp templ, RelationOp rel,
                                const Stratification &strata);

} // namespace mlir::nlogic

#endif // NLOGIC_DIALECT_NLOGIC_IR_PASSTHROUGH_H
