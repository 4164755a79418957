//===- SpecializeShapes.cpp - static shapes for every value ---------------===//
//
// Implements `nlogic-specialize-shapes`: data relations get the shapes the
// option (or the template's own facts) gives them, and the shape algebra of
// ValueShape.h carries them through the rules, in evaluation order, until
// nothing changes (recursive relations need a second round).
//
//===----------------------------------------------------------------------===//

#include "nlogic/Dialect/NLogic/IR/Stratification.h"
#include "nlogic/Dialect/NLogic/IR/ValueShape.h"
#include "nlogic/Dialect/NLogic/Transforms/Passes.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/StringExtras.h"

namespace mlir::nlogic {
#define GEN_PASS_DEF_NLOGICSPECIALIZESHAPESPASS
#include "nlogic/Dialect/NLogic/Transforms/Passes.h.inc"
} // namespace mlir::nlogic

using namespace mlir;
using namespace mlir::nlogic;

/// Parses `7`, `3x3`, `scalar` (or `1`).
static std::optional<ValueShape> parseDims(StringRef text) {
  if (text == "scalar")
    return ValueShape::scalar();
  SmallVector<StringRef> parts;
  text.split(parts, 'x');
  SmallVector<int64_t> dims;
  for (StringRef p : parts) {
    int64_t d;
    if (p.getAsInteger(10, d) || d <= 0)
      return std::nullopt;
    dims.push_back(d);
  }
  if (dims.empty() || dims.size() > 2)
    return std::nullopt;
  return ValueShape::fromDims(dims);
}

namespace {
struct SpecializeShapesPass
    : public nlogic::impl::NLogicSpecializeShapesPassBase<
          SpecializeShapesPass> {
  using Base::Base;

  void runOnOperation() override {
    TemplateOp templ = getOperation();
    MLIRContext *ctx = &getContext();
    SymbolTable symbols(templ);
    auto weightShape = [&](FlatSymbolRefAttr ref) {
      auto w = symbols.lookup<WeightOp>(ref.getValue());
      return ValueShape::fromType(w.getType());
    };

    // Shapes of the data relations: the option, then template facts.
    llvm::DenseMap<StringAttr, ValueShape> given;
    for (const std::string &entry : shapes) {
      auto [name, dims] = StringRef(entry).split('=');
      std::optional<ValueShape> shape = parseDims(dims);
      auto rel = symbols.lookup<RelationOp>(name);
      if (!shape || !rel) {
        templ.emitError() << "bad shape '" << entry
                          << "': expected relation=dims with dims as 7, "
                             "3x3 or scalar, for a relation of the template";
        return signalPassFailure();
      }
      given.try_emplace(rel.getSymNameAttr(), *shape);
    }
    for (FactOp fact : templ.getBody().getOps<FactOp>()) {
      ValueShape shape = ValueShape::scalar();
      if (auto w = fact.getWeightAttr())
        shape = weightShape(w);
      else if (auto v = fact.getValue())
        shape = ValueShape::fromType(v->getShapedType());
      given.try_emplace(fact.getRelationAttr().getAttr(), shape);
    }

    // Current shape of each relation.
    llvm::DenseMap<StringAttr, ValueShape> relShape;
    llvm::DenseSet<StringAttr> derived;
    for (RuleOp rule : templ.getRules())
      derived.insert(rule.getHeadAttr().getAttr());
    for (RelationOp rel : templ.getRelations()) {
      ValueShape declared = ValueShape::fromType(rel.getValueType());
      StringAttr sym = rel.getSymNameAttr();
      if (declared.isKnown())
        relShape.try_emplace(sym, declared);
      else if (auto it = given.find(sym); it != given.end())
        relShape.try_emplace(sym, it->second);
      else if (!derived.contains(sym))
        relShape.try_emplace(sym, inferDataShape(rel, templ, weightShape));
    }

    Stratification strata = computeStratification(templ);
    SmallVector<RuleOp> rules = rulesInEvaluationOrder(templ, strata);
    // Each round can only turn unknown shapes into known ones, so the
    // number of rules bounds the rounds needed.
    for (size_t round = 0, e = rules.size() + 1; round < e; ++round) {
      bool changed = false;
      for (RuleOp rule : rules) {
        FailureOr<bool> c = propagate(rule, relShape, weightShape);
        if (failed(c))
          return signalPassFailure();
        changed |= *c;
      }
      if (!changed)
        break;
    }

    for (RelationOp rel : templ.getRelations()) {
      auto it = relShape.find(rel.getSymNameAttr());
      if (it == relShape.end()) {
        rel.emitError() << "cannot infer the shape of @" << rel.getSymName()
                        << ": no rule deriving it has a known shape";
        return signalPassFailure();
      }
      rel.setValueType(it->second.toType(ctx));
    }
  }

  /// A data relation without a given shape: a matrix weight applied to its
  /// atoms fixes it (`W x` with W r x c needs a vector of c); otherwise it
  /// is a scalar, NeuraLogic's default fact value (with a warning when
  /// asked for and the values are used).
  template <typename WeightShapeFn>
  ValueShape inferDataShape(RelationOp rel, TemplateOp templ,
                            WeightShapeFn weightShape) {
    bool valueUsed = false;
    std::optional<ValueShape> inferred;
    templ.walk([&](AtomOp atom) {
      if (atom.getRelation() != rel.getSymName() || atom.getTransposed())
        return;
      for (Operation *user : atom->getUsers()) {
        valueUsed = true;
        if (auto weigh = dyn_cast<WeighOp>(user)) {
          ValueShape w = weightShape(weigh.getWeightAttr());
          if (w.getRank() == 2 && w.cols() > 1 && !inferred)
            inferred = ValueShape::vector(w.cols());
        }
      }
    });
    if (inferred)
      return *inferred;
    if (valueUsed && warnUnknown)
      rel.emitWarning() << "no shape is known for the values of @"
                        << rel.getSymName() << "; assuming scalars (give it as "
                        << rel.getSymName() << "=dims)";
    return ValueShape::scalar();
  }

  /// Recomputes the shapes of one rule's values from its atoms; records the
  /// shape the rule gives its head. Returns whether anything changed.
  template <typename WeightShapeFn>
  FailureOr<bool> propagate(RuleOp rule,
                            llvm::DenseMap<StringAttr, ValueShape> &relShape,
                            WeightShapeFn weightShape) {
    MLIRContext *ctx = rule.getContext();
    bool changed = false;
    auto setShape = [&](Operation *op, const ShapeResult &shape) {
      if (!shape.ok()) {
        op->emitError() << "shape mismatch: " << shape.error;
        return failure();
      }
      Type t = shape.shape.toType(ctx);
      if (op->getResult(0).getType() != t) {
        op->getResult(0).setType(t);
        changed = true;
      }
      return success();
    };
    for (Operation &op : rule.getBodyBlock()) {
      auto shapeOf = [](Value v) { return ValueShape::fromType(v.getType()); };
      LogicalResult ok = success();
      if (auto atom = dyn_cast<AtomOp>(op)) {
        auto it = relShape.find(atom.getRelationAttr().getAttr());
        if (it == relShape.end())
          continue;
        ValueShape s = it->second;
        if (atom.getTransposed())
          s = transposeShape(s);
        ok = setShape(atom, ShapeResult::success(s));
      } else if (auto weigh = dyn_cast<WeighOp>(op)) {
        ValueShape in = shapeOf(weigh.getInput());
        if (!in.isKnown())
          continue;
        ok =
            setShape(weigh, weighShape(weightShape(weigh.getWeightAttr()), in));
      } else if (auto comb = dyn_cast<CombineOp>(op)) {
        SmallVector<ValueShape> inputs;
        if (auto off = comb.getOffsetAttr())
          inputs.push_back(weightShape(off));
        for (Value in : comb.getInputs())
          inputs.push_back(shapeOf(in));
        if (!llvm::all_of(inputs, [](auto &s) { return s.isKnown(); }))
          continue;
        ok = setShape(comb,
                      combineShape(comb.getKind(), inputs, comb.getAxis()));
      } else if (auto tr = dyn_cast<TransformOp>(op)) {
        ValueShape in = shapeOf(tr.getInput());
        if (!in.isKnown())
          continue;
        ok = setShape(
            tr, transformShape(tr.getKind(), in,
                               tr.getRows().value_or(ArrayRef<int64_t>()),
                               tr.getCols().value_or(ArrayRef<int64_t>()),
                               tr.getShape().value_or(ArrayRef<int64_t>())));
      }
      if (failed(ok))
        return failure();
    }

    ValueShape value =
        ValueShape::fromType(rule.getHeadOp().getValue().getType());
    if (!value.isKnown())
      return changed;
    if (rule.getAggregation() == Aggregation::count)
      value = ValueShape::scalar();
    if (auto w = rule.getWeightAttr()) {
      ShapeResult weighted = weighShape(weightShape(w), value);
      if (!weighted.ok()) {
        rule.emitError() << "shape mismatch: head " << weighted.error;
        return failure();
      }
      value = weighted.shape;
    }
    StringAttr head = rule.getHeadAttr().getAttr();
    auto [it, inserted] = relShape.try_emplace(head, value);
    if (inserted)
      return true;
    if (!it->second.isCompatibleWith(value)) {
      rule.emitError() << "shape mismatch: the rule gives @" << head.getValue()
                       << " values of shape " << value.str()
                       << ", another rule or its facts give "
                       << it->second.str();
      return failure();
    }
    return changed;
  }
};
} // namespace
