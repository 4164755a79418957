//===- NLogicToRel.cpp - join plans for the rules of a template -----------===//
//
// Each rule becomes a loop nest of scans (body order), with every builtin
// and negation tested where its terms first become bound: the order of the
// reference grounder, so both find the same ground rules in the same order.
// The dense variant of a rule replaces scans of unary relations by
// position loops and turns comparisons between positions into loop bounds.
//
//===----------------------------------------------------------------------===//

#include "nlogic/Conversion/Passes.h"
#include "nlogic/Dialect/NLogic/IR/NLogicOps.h"
#include "nlogic/Dialect/NLogic/IR/Stratification.h"
#include "nlogic/Dialect/Rel/IR/RelOps.h"

#include "mlir/IR/Builders.h"

#include <cstdio>

namespace mlir::nlogic {
#define GEN_PASS_DEF_CONVERTNLOGICTORELPASS
#include "nlogic/Conversion/Passes.h.inc"
} // namespace mlir::nlogic

using namespace mlir;
using namespace mlir::nlogic;

namespace {

/// Plans one rule, general or dense.
class RulePlanner {
public:
  RulePlanner(RuleOp rule, OpBuilder &builder, bool dense)
      : rule(rule), b(builder), dense(dense), loc(rule.getLoc()) {
    for (Operation &op : rule.getBodyBlock()) {
      if (auto atom = dyn_cast<AtomOp>(op))
        atoms.push_back(atom);
      else if (auto neg = dyn_cast<NotOp>(op))
        negated.push_back(neg);
      else if (auto c = dyn_cast<ConstrainOp>(op))
        constraints.push_back(c);
    }
    constraintDone.assign(constraints.size(), false);
    negationDone.assign(negated.size(), false);
  }

  /// The unary relations the dense variant treats as dense; empty when the
  /// variant would gain nothing (no lookup and no bound to derive).
  SmallVector<Attribute> denseRelations() {
    SmallVector<Attribute> result;
    for (AtomOp atom : atoms)
      if (atom.getTerms().size() == 1 &&
          !llvm::is_contained(result, atom.getRelationAttr()))
        result.push_back(atom.getRelationAttr());
    return result;
  }

  /// Emits the plan's body at the builder's insertion point.
  LogicalResult plan() {
    placeReady();
    for (auto [i, atom] : llvm::enumerate(atoms)) {
      if (failed(scan(i, atom)))
        return failure();
      placeReady();
    }
    SmallVector<Value> head;
    for (Value t : rule.getHeadOp().getTerms())
      head.push_back(term(t));
    rel::EmitOp::create(b, loc, head, rows);
    return success();
  }

  /// Whether the dense variant derived at least one loop bound or lookup.
  bool usedDensity() const { return derivedBound || denseLookup; }

private:
  RuleOp rule;
  OpBuilder &b;
  bool dense;
  Location loc;
  SmallVector<AtomOp> atoms;
  SmallVector<NotOp> negated;
  SmallVector<ConstrainOp> constraints;
  std::vector<bool> constraintDone, negationDone;
  /// Logic variable -> its term in the plan.
  DenseMap<Value, Value> bound;
  /// Variables bound by a dense scan -> their position.
  DenseMap<Value, Value> position;
  SmallVector<Value> rows;
  bool derivedBound = false, denseLookup = false;

  bool isBound(Value t) const {
    if (auto arith = t.getDefiningOp<ArithOp>())
      return isBound(arith.getLhs()) && isBound(arith.getRhs());
    if (t.getDefiningOp<ConstantOp>())
      return true;
    return bound.count(t);
  }

  /// Materialises a bound term at the insertion point.
  Value term(Value t) {
    if (auto arith = t.getDefiningOp<ArithOp>())
      return rel::ArithOp::create(b, loc, b.getI64Type(), arith.getKind(),
                                  term(arith.getLhs()), term(arith.getRhs()));
    if (auto c = t.getDefiningOp<ConstantOp>()) {
      Attribute v = c.getValue();
      if (auto f = dyn_cast<FloatAttr>(v)) {
        // Floats are names spelled canonically, as the runtime interns them.
        char buf[32];
        std::snprintf(buf, sizeof(buf), "%.17g", f.getValueAsDouble());
        v = b.getStringAttr(buf);
      } else if (auto i = dyn_cast<IntegerAttr>(v)) {
        v = b.getI64IntegerAttr(i.getInt());
      }
      return rel::ConstOp::create(b, loc, b.getI64Type(), v);
    }
    return bound.lookup(t);
  }

  /// Continues inside `scf.if cond`.
  void guard(Value cond) {
    auto ifOp = scf::IfOp::create(b, loc, cond, /*withElseRegion=*/false);
    b.setInsertionPoint(ifOp.thenBlock()->getTerminator());
  }

  /// Tests every constraint and negation whose terms are bound and fires
  /// generators, until nothing changes (the reference grounder's order).
  void placeReady() {
    bool changed = true;
    while (changed) {
      changed = false;
      for (auto [i, c] : llvm::enumerate(constraints)) {
        if (constraintDone[i])
          continue;
        if (llvm::all_of(c.getTerms(), [&](Value t) { return isBound(t); })) {
          SmallVector<Value> terms;
          for (Value t : c.getTerms())
            terms.push_back(term(t));
          guard(
              rel::CheckOp::create(b, loc, b.getI1Type(), c.getKind(), terms));
          constraintDone[i] = changed = true;
          continue;
        }
        if (c.getKind() != ConstraintKind::eq &&
            c.getKind() != ConstraintKind::next)
          continue;
        for (int side = 0; side < 2; ++side) {
          Value target = c.getTerms()[side], source = c.getTerms()[1 - side];
          if (!isa<BlockArgument>(target) || bound.count(target) ||
              !isBound(source))
            continue;
          Value value = term(source);
          if (c.getKind() == ConstraintKind::next) {
            // next(A, B): B = A + 1.
            Value one = rel::ConstOp::create(b, loc, b.getI64Type(),
                                             b.getI64IntegerAttr(1));
            value = rel::ArithOp::create(
                b, loc, b.getI64Type(),
                side == 1 ? ArithKind::add : ArithKind::sub, value, one);
          }
          guard(rel::DefinedOp::create(b, loc, b.getI1Type(), value));
          bound[target] = value;
          constraintDone[i] = changed = true;
          break;
        }
      }
      for (auto [i, n] : llvm::enumerate(negated)) {
        if (negationDone[i] ||
            !llvm::all_of(n.getTerms(), [&](Value t) { return isBound(t); }))
          continue;
        SmallVector<Value> terms;
        for (Value t : n.getTerms())
          terms.push_back(term(t));
        guard(rel::AbsentOp::create(b, loc, b.getI1Type(), n.getRelationAttr(),
                                    terms));
        negationDone[i] = changed = true;
      }
    }
  }

  LogicalResult scan(int64_t index, AtomOp atom) {
    ValueRange terms = atom.getTerms();
    if (dense && terms.size() == 1)
      return denseScan(index, atom);
    SmallVector<int64_t> boundPositions;
    SmallVector<Value> keys;
    for (auto [pos, t] : llvm::enumerate(terms))
      if (isBound(t)) {
        boundPositions.push_back(pos);
        keys.push_back(term(t));
      } else if (!isa<BlockArgument>(t)) {
        return atom.emitOpError("has a term that is neither bound nor a "
                                "variable when it is joined; the rule "
                                "cannot be planned");
      }
    auto scanOp = rel::ScanOp::create(b, loc, atom.getRelation(), index,
                                      terms.size(), boundPositions, keys);
    Block &body = scanOp.getBodyBlock();
    b.setInsertionPointToEnd(&body);
    rows.push_back(scanOp.getRow());
    // Free positions bind their variable; a variable repeated within the
    // atom must match its first occurrence.
    unsigned arg = 1;
    SmallVector<std::pair<Value, Value>> repeats;
    for (auto [pos, t] : llvm::enumerate(terms)) {
      if (llvm::is_contained(boundPositions, int64_t(pos)))
        continue;
      Value value = body.getArgument(arg++);
      if (bound.count(t))
        repeats.push_back({bound.lookup(t), value});
      else
        bound[t] = value;
    }
    for (auto [first, again] : repeats)
      guard(arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, first,
                                  again));
    return success();
  }

  /// Turns every pending comparison `V op W` (either side) between the
  /// variable `v` about to be scanned and a variable W at a known position
  /// into a bound of v's loop, combining several with min/max, and marks
  /// those constraints done.
  void boundsFor(Value v, Value &lower, Value &upper) {
    auto one = [&]() { return arith::ConstantIndexOp::create(b, loc, 1); };
    for (auto [i, c] : llvm::enumerate(constraints)) {
      if (constraintDone[i] || c.getTerms().size() != 2)
        continue;
      Value lhs = c.getTerms()[0], rhs = c.getTerms()[1];
      ConstraintKind kind = c.getKind();
      if (rhs == v && lhs != v) { // W op V  ==  V op' W
        std::swap(lhs, rhs);
        switch (kind) {
        case ConstraintKind::leq:
          kind = ConstraintKind::geq;
          break;
        case ConstraintKind::lt:
          kind = ConstraintKind::gt;
          break;
        case ConstraintKind::geq:
          kind = ConstraintKind::leq;
          break;
        case ConstraintKind::gt:
          kind = ConstraintKind::lt;
          break;
        default:
          break;
        }
      }
      if (lhs != v || !position.count(rhs))
        continue;
      Value w = position.lookup(rhs);
      Value bnd;
      bool isUpper;
      switch (kind) {
      case ConstraintKind::leq:
        bnd = arith::AddIOp::create(b, loc, w, one());
        isUpper = true;
        break;
      case ConstraintKind::lt:
        bnd = w;
        isUpper = true;
        break;
      case ConstraintKind::geq:
        bnd = w;
        isUpper = false;
        break;
      case ConstraintKind::gt:
        bnd = arith::AddIOp::create(b, loc, w, one());
        isUpper = false;
        break;
      default:
        continue;
      }
      Value &slot = isUpper ? upper : lower;
      if (!slot)
        slot = bnd;
      else if (isUpper)
        slot = arith::MinSIOp::create(b, loc, slot, bnd);
      else
        slot = arith::MaxSIOp::create(b, loc, slot, bnd);
      constraintDone[i] = true;
      derivedBound = true;
    }
  }

  LogicalResult denseScan(int64_t index, AtomOp atom) {
    Value t = atom.getTerms()[0];
    Value lower, upper;
    bool lookup = isBound(t);
    if (lookup) {
      // A lookup is the one-position range [p, p + 1).
      lower = rel::PositionOp::create(b, loc, b.getIndexType(), term(t));
      upper = arith::AddIOp::create(b, loc, lower,
                                    arith::ConstantIndexOp::create(b, loc, 1));
      denseLookup = true;
    } else if (!isa<BlockArgument>(t)) {
      return atom.emitOpError("has a term that is neither bound nor a "
                              "variable when it is joined; the rule cannot "
                              "be planned");
    } else {
      boundsFor(t, lower, upper);
    }
    auto scanOp = rel::DenseScanOp::create(b, loc, atom.getRelation(), index,
                                           lower, upper);
    b.setInsertionPointToEnd(&scanOp.getBodyBlock());
    rows.push_back(scanOp.getPosition());
    if (!lookup) {
      bound[t] = scanOp.getTerm();
      position[t] = scanOp.getPosition();
    }
    return success();
  }
};

struct ConvertNLogicToRel
    : nlogic::impl::ConvertNLogicToRelPassBase<ConvertNLogicToRel> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    for (TemplateOp templ : llvm::to_vector(module.getOps<TemplateOp>()))
      if (failed(planTemplate(templ)))
        return signalPassFailure();
  }

  LogicalResult planTemplate(TemplateOp templ) {
    Stratification strata = computeStratification(templ);
    if (strata.negativeCycle)
      return strata.negativeCycle->emitError("template is not stratifiable");
    OpBuilder b(templ->getContext());
    b.setInsertionPointAfter(templ);
    for (auto [k, rule] :
         llvm::enumerate(rulesInEvaluationOrder(templ, strata))) {
      int64_t numAtoms = llvm::range_size(rule.getBodyBlock().getOps<AtomOp>());
      auto makePlan = [&](StringRef suffix, bool dense) -> rel::PlanOp {
        auto plan = rel::PlanOp::create(
            b, rule.getLoc(), "rule" + std::to_string(k) + suffix.str(),
            int64_t(k), numAtoms, ArrayAttr());
        plan.getBody().push_back(new Block());
        return plan;
      };
      rel::PlanOp general = makePlan("_general", false);
      {
        OpBuilder::InsertionGuard g(b);
        b.setInsertionPointToEnd(&general.getBodyBlock());
        if (failed(RulePlanner(rule, b, false).plan()))
          return failure();
      }
      bool recursive = strata.recursive.contains(rule.getHeadAttr().getAttr());
      if (!dense || recursive)
        continue;
      RulePlanner planner(rule, b, true);
      SmallVector<Attribute> relations = planner.denseRelations();
      if (relations.empty())
        continue;
      rel::PlanOp variant = makePlan("_dense", true);
      variant.setDenseAttr(b.getArrayAttr(relations));
      {
        OpBuilder::InsertionGuard g(b);
        b.setInsertionPointToEnd(&variant.getBodyBlock());
        if (failed(planner.plan()))
          return failure();
      }
      // Without a bound or lookup to gain, the general plan does as well.
      if (!planner.usedDensity())
        variant.erase();
    }
    return success();
  }
};

} // namespace
