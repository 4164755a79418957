//===- HoistWeights.cpp - weigh aggregates, not substitutions -------------===//
//
// Implements `nlogic-hoist-weights`: sum(W x_j) = W sum(x_j) and
// avg(W x_j) = W avg(x_j), so a rule whose value is one weighed atom gets
// that weight as its head weight.
//
//===----------------------------------------------------------------------===//

#include "nlogic/Dialect/NLogic/Transforms/Passes.h"

namespace mlir::nlogic {
#define GEN_PASS_DEF_NLOGICHOISTWEIGHTSPASS
#include "nlogic/Dialect/NLogic/Transforms/Passes.h.inc"
} // namespace mlir::nlogic

using namespace mlir;
using namespace mlir::nlogic;

/// Looks through ops that do not change a value: identity transformations
/// and combinations of a single input without offset.
static Value skipIdentities(Value v, SmallVectorImpl<Operation *> &passed) {
  while (Operation *def = v.getDefiningOp()) {
    if (auto tr = dyn_cast<TransformOp>(def);
        tr && tr.getKind() == Transformation::identity) {
      passed.push_back(def);
      v = tr.getInput();
      continue;
    }
    if (auto comb = dyn_cast<CombineOp>(def);
        comb && comb.getInputs().size() == 1 && !comb.getOffsetAttr()) {
      passed.push_back(def);
      v = comb.getInputs().front();
      continue;
    }
    break;
  }
  return v;
}

namespace {
struct HoistWeightsPass
    : public nlogic::impl::NLogicHoistWeightsPassBase<HoistWeightsPass> {
  void runOnOperation() override {
    for (RuleOp rule : getOperation().getRules()) {
      Aggregation agg = rule.getAggregation().value_or(Aggregation::sum);
      if ((agg != Aggregation::sum && agg != Aggregation::avg) ||
          rule.getWeightAttr())
        continue;
      HeadOp head = rule.getHeadOp();
      SmallVector<Operation *> passed;
      auto weigh =
          skipIdentities(head.getValue(), passed).getDefiningOp<WeighOp>();
      if (!weigh)
        continue;
      // Every op between the weighing and the head must only feed the head.
      if (!weigh->hasOneUse() ||
          !llvm::all_of(passed, [](Operation *op) { return op->hasOneUse(); }))
        continue;
      rule.setWeightAttr(weigh.getWeightAttr());
      head.getValueMutable().assign(weigh.getInput());
      for (Operation *op : passed)
        op->erase();
      weigh->erase();
    }
  }
};
} // namespace
