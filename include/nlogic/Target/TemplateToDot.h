//===- TemplateToDot.h - a template drawn as a Graphviz graph ------*- C++
//-*-===//

#ifndef NLOGIC_TARGET_TEMPLATETODOT_H
#define NLOGIC_TARGET_TEMPLATETODOT_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/raw_ostream.h"

namespace mlir::nlogic {

/// Writes the templates of `module` as one Graphviz digraph: relations are
/// boxes (with their transformation), rules are ellipses (head, variables,
/// aggregation, constraints), edges run from each body relation (labelled
/// with the weight and terms of the literal; negated literals dashed) to
/// the rule and from the rule to its head.
LogicalResult exportTemplateDot(ModuleOp module, llvm::raw_ostream &os);

/// Registers `--export-dot` with mlir-translate.
void registerExportTemplateDot();

} // namespace mlir::nlogic

#endif // NLOGIC_TARGET_TEMPLATETODOT_H
