//===- Stratify.cpp - order rules by stratum ------------------------------===//
//
// Implements `nlogic-stratify`: annotates relations with their stratum,
// marks recursive rules, and moves rules into evaluation order.
//
//===----------------------------------------------------------------------===//

#include "nlogic/Dialect/NLogic/IR/Stratification.h"
#include "nlogic/Dialect/NLogic/Transforms/Passes.h"

#include "mlir/IR/Builders.h"

namespace mlir::nlogic {
#define GEN_PASS_DEF_NLOGICSTRATIFYPASS
#include "nlogic/Dialect/NLogic/Transforms/Passes.h.inc"
} // namespace mlir::nlogic

using namespace mlir;
using namespace mlir::nlogic;

namespace {
struct StratifyPass
    : public nlogic::impl::NLogicStratifyPassBase<StratifyPass> {
  void runOnOperation() override {
    TemplateOp templ = getOperation();
    Stratification strata = computeStratification(templ);
    if (strata.negativeCycle) {
      strata.negativeCycle->emitError("template is not stratifiable");
      return signalPassFailure();
    }
    Builder builder(&getContext());
    for (RelationOp rel : templ.getRelations())
      rel->setAttr("nlogic.stratum", builder.getI64IntegerAttr(
                                         strata.stratum[rel.getSymNameAttr()]));

    SmallVector<RuleOp> rules = rulesInEvaluationOrder(templ, strata);
    for (RuleOp rule : rules)
      if (strata.recursive.contains(rule.getHeadAttr().getAttr()))
        rule->setAttr("nlogic.recursive", builder.getUnitAttr());
    // Re-append in order after the last non-rule op that precedes them.
    Block &body = templ.getBody().front();
    for (RuleOp rule : rules)
      rule->moveBefore(&body, body.end());
    // Samples stay last, after the rules.
    SmallVector<SampleOp> samples(body.getOps<SampleOp>());
    for (SampleOp sample : samples)
      sample->moveBefore(&body, body.end());
  }
};
} // namespace
