//===- PruneUnreachable.cpp - drop what no query needs --------------------===//
//
// Implements `nlogic-prune-unreachable`: keeps only the rules, facts,
// relations and weights that the query relations depend on.
//
//===----------------------------------------------------------------------===//

#include "nlogic/Dialect/NLogic/Transforms/Passes.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallVector.h"

namespace mlir::nlogic {
#define GEN_PASS_DEF_NLOGICPRUNEUNREACHABLEPASS
#include "nlogic/Dialect/NLogic/Transforms/Passes.h.inc"
} // namespace mlir::nlogic

using namespace mlir;
using namespace mlir::nlogic;

namespace {
struct PruneUnreachablePass
    : public nlogic::impl::NLogicPruneUnreachablePassBase<
          PruneUnreachablePass> {
  using Base::Base;

  void runOnOperation() override {
    TemplateOp templ = getOperation();
    MLIRContext *ctx = &getContext();

    SmallVector<StringAttr> worklist;
    for (const std::string &q : queries)
      worklist.push_back(StringAttr::get(ctx, q));
    templ.walk(
        [&](QueryOp q) { worklist.push_back(q.getRelationAttr().getAttr()); });
    if (worklist.empty()) {
      templ.emitError("nlogic-prune-unreachable needs query relations: pass "
                      "queries=<relation,...> or add nlogic.query ops");
      return signalPassFailure();
    }
    for (StringAttr q : worklist)
      if (!SymbolTable::lookupSymbolIn(templ, q)) {
        templ.emitError() << "unknown query relation @" << q.getValue();
        return signalPassFailure();
      }

    // Relations reachable backwards through rule bodies.
    llvm::DenseMap<StringAttr, SmallVector<RuleOp>> rulesByHead;
    for (RuleOp rule : templ.getRules())
      rulesByHead[rule.getHeadAttr().getAttr()].push_back(rule);
    llvm::DenseSet<StringAttr> live(worklist.begin(), worklist.end());
    while (!worklist.empty()) {
      StringAttr rel = worklist.pop_back_val();
      for (RuleOp rule : rulesByHead.lookup(rel)) {
        rule.getBody().walk([&](Operation *op) {
          FlatSymbolRefAttr ref;
          if (auto atom = dyn_cast<AtomOp>(op))
            ref = atom.getRelationAttr();
          else if (auto neg = dyn_cast<NotOp>(op))
            ref = neg.getRelationAttr();
          if (ref && live.insert(ref.getAttr()).second)
            worklist.push_back(ref.getAttr());
        });
      }
    }

    Block &body = templ.getBody().front();
    for (Operation &op : llvm::make_early_inc_range(body)) {
      if (auto rule = dyn_cast<RuleOp>(op)) {
        if (!live.contains(rule.getHeadAttr().getAttr()))
          rule.erase();
      } else if (auto fact = dyn_cast<FactOp>(op)) {
        if (!live.contains(fact.getRelationAttr().getAttr()))
          fact.erase();
      }
    }
    // Declarations nothing refers to any more (relations first: a dead
    // relation's offset weight becomes unused with it).
    for (Operation &op : llvm::make_early_inc_range(body))
      if (auto rel = dyn_cast<RelationOp>(op))
        if (!live.contains(rel.getSymNameAttr()) &&
            SymbolTable::symbolKnownUseEmpty(rel, templ))
          rel.erase();
    for (Operation &op : llvm::make_early_inc_range(body))
      if (auto weight = dyn_cast<WeightOp>(op))
        if (SymbolTable::symbolKnownUseEmpty(weight, templ))
          weight.erase();
  }
};
} // namespace
