//===- Stratify.cpp - order rules by stratum ------------------------------===//
//
// Implements `nlogic-stratify`: annotates relations with their stratum,
// marks recursive rules, and moves rules into evaluation order.
//
//===----------------------------------------------------------------------===//

#include "nlogic/Dialect/NLogic/IR/Stratification.h"
#include "nlogic/Dialect/NLogic/Transforms/Passes.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/STLExtras.h"
#include <tuple>

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

    SmallVector<RuleOp> rules(templ.getRules());
    auto stratumOf = [&](RuleOp rule) {
      return strata.stratum.lookup(rule.getHeadAttr().getAttr());
    };
    for (RuleOp rule : rules) {
      if (strata.recursive.contains(rule.getHeadAttr().getAttr()))
        rule->setAttr("nlogic.recursive", builder.getUnitAttr());
    }
    // Within a stratum, a component's dependencies come first (components
    // are numbered in reverse topological order), then source order.
    llvm::DenseMap<Operation *, unsigned> sourceOrder;
    for (auto [i, rule] : llvm::enumerate(rules))
      sourceOrder[rule] = i;
    auto key = [&](RuleOp rule) {
      return std::make_tuple(
          stratumOf(rule),
          strata.component.lookup(rule.getHeadAttr().getAttr()),
          sourceOrder.lookup(rule));
    };
    llvm::sort(rules, [&](RuleOp a, RuleOp b) { return key(a) < key(b); });
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
