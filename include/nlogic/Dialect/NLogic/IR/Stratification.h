//===- Stratification.h - relation dependency strata --------------*- C++
//-*-===//
//
// The dependency graph of a template's relations (head <- body, marked when
// the body literal is negated) and its stratification: the order in which
// relations can be computed so that every negated relation is complete
// before it is read. Used by the template verifier and `nlogic-stratify`.
//
//===----------------------------------------------------------------------===//

#ifndef NLOGIC_DIALECT_NLOGIC_IR_STRATIFICATION_H
#define NLOGIC_DIALECT_NLOGIC_IR_STRATIFICATION_H

#include "nlogic/Dialect/NLogic/IR/NLogicOps.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallVector.h"

namespace mlir::nlogic {

struct Stratification {
  /// Stratum of each relation symbol: 0 for relations no rule derives from
  /// negated ones; a relation's stratum is at least that of every relation
  /// it reads, and strictly greater for relations it reads negated.
  llvm::DenseMap<StringAttr, unsigned> stratum;
  /// Strongly connected component of each relation (relations in the same
  /// component are mutually recursive).
  llvm::DenseMap<StringAttr, unsigned> component;
  /// Relations that depend on themselves (directly or not).
  llvm::DenseSet<StringAttr> recursive;
  /// The negated literal that makes the template unstratifiable, if any.
  Operation *negativeCycle = nullptr;
};

/// Computes the strata of `templ`. Unknown relations are ignored (the
/// symbol verifier reports them).
Stratification computeStratification(TemplateOp templ);

/// The rules of `templ` in evaluation order: by stratum, then with a
/// recursive component's dependencies first, then in source order.
llvm::SmallVector<RuleOp> rulesInEvaluationOrder(TemplateOp templ,
                                                 const Stratification &strata);

} // namespace mlir::nlogic

#endif // NLOGIC_DIALECT_NLOGIC_IR_STRATIFICATION_H
