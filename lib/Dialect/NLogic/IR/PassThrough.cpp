//===- PassThrough.cpp - relations whose value is one rule's contribution -===//

#include "nlogic/Dialect/NLogic/IR/PassThrough.h"

using namespace mlir;
using namespace mlir::nlogic;

bool nlogic::passesContributionsThrough(TemplateOp templ, RelationOp rel,
                                        const Stratification &strata) {
  StringAttr name = rel.getSymNameAttr();
  if (rel.getTransformation().value_or(Transformation::identity) !=
          Transformation::identity ||
      rel.getOffsetAttr() || rel.multipliesContributions() ||
      strata.recursive.contains(name))
    return false;
  if (llvm::any_of(templ.getBody().getOps<FactOp>(), [&](FactOp fact) {
        return fact.getRelationAttr().getAttr() == name;
      }))
    return false;
  return llvm::count_if(templ.getRules(), [&](RuleOp rule) {
           return rule.getHeadAttr().getAttr() == name;
         }) == 1;
}
