//===- NLogicToLinalg.cpp - rule and relation kernels ---------------------===//
//
// Implements `convert-nlogic-to-linalg`: the template of the module becomes
// one forward and one backward kernel per rule (gather + map + segment
// reduction + head weight, fused in one loop nest over the rule's ground
// table) and per derived relation (offset + transformation). The calling
// convention is described in the pass documentation and docs/Compiler.md.
//
//===----------------------------------------------------------------------===//

#include "Elementwise.h"
#include "KernelBuilder.h"
#include "MapProgram.h"

#include "nlogic/Conversion/Passes.h"
#include "nlogic/Dialect/NLogic/IR/Stratification.h"
#include "nlogic/Dialect/NLogic/IR/ValueShape.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/SymbolTable.h"

#include <limits>

namespace mlir::nlogic {
#define GEN_PASS_DEF_CONVERTNLOGICTOLINALGPASS
#include "nlogic/Conversion/Passes.h.inc"
} // namespace mlir::nlogic

using namespace mlir;
using namespace mlir::nlogic;
using namespace mlir::nlogic::kernels;

namespace {

std::pair<int64_t, int64_t> shapeOf(Type t) {
  ValueShape s = ValueShape::fromType(t);
  return {s.rows(), s.cols()};
}

/// Builds the kernels of one template.
class TemplateLowering {
public:
  TemplateLowering(TemplateOp templ, ModuleOp module, StringRef prefix)
      : templ(templ), module(module), prefix(prefix.str()),
        symbols(templ) {}

  LogicalResult run();

private:
  LogicalResult checkRule(RuleOp rule, const Stratification &strata);
  LogicalResult checkRelation(RelationOp rel);
  func::FuncOp createKernel(StringRef name, ArrayRef<Type> argTypes,
                            ImplicitLocOpBuilder &b);
  LogicalResult emitRuleForward(RuleOp rule, int index);
  LogicalResult emitRuleBackward(RuleOp rule, int index);
  void emitRelationForward(RelationOp rel, int index);
  void emitRelationBackward(RelationOp rel, int index);

  /// Loads segment field `field` of segment `s` as an index.
  Value loadSegmentField(ImplicitLocOpBuilder &b, Value segments, Value s,
                         int field);
  Value loadIndex(ImplicitLocOpBuilder &b, Value memref, Value i);

  TemplateOp templ;
  ModuleOp module;
  std::string prefix;
  SymbolTable symbols;
  ParameterLayout layout;
  llvm::DenseSet<StringAttr> relationsWithGradient;
  Type f64, arena, indexArena;
};

} // namespace

LogicalResult TemplateLowering::checkRule(RuleOp rule,
                                          const Stratification &strata) {
  LogicalResult ok = MapProgram::checkSupported(rule);
  if (strata.recursive.contains(rule.getHeadAttr().getAttr()))
    ok = rule.emitError("the compiled engine cannot lower recursive rules "
                        "yet (run it with --engine reference)");
  if (rule.getAggregation() == Aggregation::softmax ||
      rule.getAggregation() == Aggregation::concat)
    ok = rule.emitError() << "the compiled engine cannot lower the '"
                          << stringifyAggregation(*rule.getAggregation())
                          << "' aggregation yet (run it with --engine "
                             "reference)";
  return ok;
}

LogicalResult TemplateLowering::checkRelation(RelationOp rel) {
  if (!ValueShape::fromType(rel.getValueType()).isKnown())
    return rel.emitError("the compiled engine needs static shapes (run "
                         "nlogic-specialize-shapes first)");
  if (rel.getCombination().value_or(Combination::sum) != Combination::sum)
    return rel.emitError() << "the compiled engine cannot lower the '"
                           << stringifyCombination(*rel.getCombination())
                           << "' combination of a relation's rules yet (run "
                              "it with --engine reference)";
  Transformation t = rel.getTransformation().value_or(Transformation::identity);
  if (!isElementwiseTransformation(t))
    return rel.emitError() << "the compiled engine cannot lower the '"
                           << stringifyTransformation(t)
                           << "' transformation of a relation yet (run it "
                              "with --engine reference)";
  return success();
}

func::FuncOp TemplateLowering::createKernel(StringRef name,
                                            ArrayRef<Type> argTypes,
                                            ImplicitLocOpBuilder &b) {
  b.setInsertionPointToEnd(module.getBody());
  auto fn = func::FuncOp::create(b, (prefix + "_" + name).str(),
                                 b.getFunctionType(argTypes, {}));
  fn->setAttr("llvm.emit_c_interface", b.getUnitAttr());
  Block *entry = fn.addEntryBlock();
  b.setInsertionPointToStart(entry);
  return fn;
}

Value TemplateLowering::loadIndex(ImplicitLocOpBuilder &b, Value memref,
                                  Value i) {
  Value v = memref::LoadOp::create(b, memref, ValueRange{i});
  return arith::IndexCastOp::create(b, b.getIndexType(), v);
}

Value TemplateLowering::loadSegmentField(ImplicitLocOpBuilder &b,
                                         Value segments, Value s, int field) {
  Value four = arith::ConstantIndexOp::create(b, 4);
  Value base = arith::MulIOp::create(b, s, four);
  Value i = arith::AddIOp::create(
      b, base, arith::ConstantIndexOp::create(b, field));
  return loadIndex(b, segments, i);
}

/// The positive body atoms' offsets of row `row` of a ground table.
static SmallVector<Value> loadAtomOffsets(ImplicitLocOpBuilder &b,
                                          Value index, Value row,
                                          unsigned numAtoms) {
  SmallVector<Value> offsets;
  Value k = arith::ConstantIndexOp::create(b, numAtoms);
  Value base = arith::MulIOp::create(b, row, k);
  for (unsigned a = 0; a < numAtoms; ++a) {
    Value i =
        arith::AddIOp::create(b, base, arith::ConstantIndexOp::create(b, a));
    Value v = memref::LoadOp::create(b, index, ValueRange{i});
    offsets.push_back(arith::IndexCastOp::create(b, b.getIndexType(), v));
  }
  return offsets;
}

static unsigned countAtoms(RuleOp rule) {
  return llvm::range_size(rule.getBodyBlock().getOps<AtomOp>());
}

/// The shape of a rule's aggregated value (before the head weight).
static std::pair<int64_t, int64_t> aggregateShape(RuleOp rule) {
  if (rule.getAggregation() == Aggregation::count)
    return {1, 1};
  return shapeOf(rule.getHeadOp().getValue().getType());
}

/// Converts the number of rows end - begin to a float.
static Value rowCount(ImplicitLocOpBuilder &b, Value begin, Value end,
                      Type f64) {
  Value n = arith::SubIOp::create(b, end, begin);
  Value i = arith::IndexCastOp::create(b, b.getI64Type(), n);
  return arith::SIToFPOp::create(b, f64, i);
}

LogicalResult TemplateLowering::emitRuleForward(RuleOp rule, int index) {
  MLIRContext *ctx = rule.getContext();
  ImplicitLocOpBuilder b(rule.getLoc(), ctx);
  // values, acc, aggs, params, segments, index, numSegments
  func::FuncOp fn = createKernel(
      ("rule" + Twine(index) + "_forward").str(),
      {arena, arena, arena, arena, indexArena, indexArena, b.getIndexType()},
      b);
  Block *entry = &fn.front();
  Value values = entry->getArgument(0), acc = entry->getArgument(1),
        aggs = entry->getArgument(2), params = entry->getArgument(3),
        segments = entry->getArgument(4), table = entry->getArgument(5),
        numSegments = entry->getArgument(6);
  KernelBuilder kb(b, entry, f64);
  Aggregation agg = rule.getAggregation().value_or(Aggregation::sum);
  auto [aggRows, aggCols] = aggregateShape(rule);
  RelationOp head = symbols.lookup<RelationOp>(rule.getHead());
  auto [headRows, headCols] = shapeOf(head.getValueType());
  unsigned numAtoms = countAtoms(rule);

  Value c0 = kb.constantIndex(0), c1 = kb.constantIndex(1);
  auto segLoop = scf::ForOp::create(b, c0, numSegments, c1);
  b.setInsertionPointToStart(segLoop.getBody());
  Value s = segLoop.getInductionVar();
  Value begin = loadSegmentField(b, segments, s, 0);
  Value end = loadSegmentField(b, segments, s, 1);
  Value headOffset = loadSegmentField(b, segments, s, 2);
  Value aggOffset = loadSegmentField(b, segments, s, 3);

  Buf aggregate = kb.alloc(aggRows, aggCols);
  if (agg == Aggregation::count) {
    kb.fill(aggregate, rowCount(b, begin, end, f64));
  } else {
    double init = agg == Aggregation::max
                      ? -std::numeric_limits<double>::infinity()
                  : agg == Aggregation::min
                      ? std::numeric_limits<double>::infinity()
                      : 0.0;
    kb.fill(aggregate, init);
    auto rowLoop = scf::ForOp::create(b, begin, end, c1);
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(rowLoop.getBody());
      SmallVector<Value> offsets =
          loadAtomOffsets(b, table, rowLoop.getInductionVar(), numAtoms);
      MapProgram map(rule, kb, layout, Arenas{values, params, {}, {}},
                     relationsWithGradient);
      FailureOr<Buf> v = map.emitForward(offsets);
      if (failed(v))
        return failure();
      if (agg == Aggregation::max || agg == Aggregation::min) {
        bool isMax = agg == Aggregation::max;
        kb.elementwise(aggregate, {*v},
                       [&](ImplicitLocOpBuilder &ib, ValueRange in, Value o) {
                         Value better = arith::CmpFOp::create(
                             ib,
                             isMax ? arith::CmpFPredicate::OGT
                                   : arith::CmpFPredicate::OLT,
                             in[0], o);
                         return Value(
                             arith::SelectOp::create(ib, better, in[0], o));
                       });
      } else {
        kb.accumulate(*v, aggregate);
      }
    }
    if (agg == Aggregation::avg) {
      Value n = rowCount(b, begin, end, f64);
      kb.elementwise(aggregate, {},
                     [&](ImplicitLocOpBuilder &ib, ValueRange, Value o) {
                       return Value(arith::DivFOp::create(ib, o, n));
                     });
    }
  }
  kb.copy(aggregate, kb.view(aggs, aggOffset, aggRows, aggCols));
  Buf contribution = aggregate;
  if (auto w = rule.getWeightAttr())
    contribution = MapProgram::weighForward(
        kb, MapProgram::weightView(kb, params, layout, w.getAttr()),
        aggregate);
  kb.accumulate(contribution, kb.view(acc, headOffset, headRows, headCols));
  b.setInsertionPointToEnd(entry);
  func::ReturnOp::create(b);
  return success();
}

LogicalResult TemplateLowering::emitRuleBackward(RuleOp rule, int index) {
  MLIRContext *ctx = rule.getContext();
  ImplicitLocOpBuilder b(rule.getLoc(), ctx);
  // values, acc, aggs, params, dvalues, dacc, grads, segments, index, n
  func::FuncOp fn = createKernel(
      ("rule" + Twine(index) + "_backward").str(),
      {arena, arena, arena, arena, arena, arena, arena, indexArena,
       indexArena, b.getIndexType()},
      b);
  Block *entry = &fn.front();
  Value values = entry->getArgument(0), aggs = entry->getArgument(2),
        params = entry->getArgument(3), dvalues = entry->getArgument(4),
        dacc = entry->getArgument(5), grads = entry->getArgument(6),
        segments = entry->getArgument(7), table = entry->getArgument(8),
        numSegments = entry->getArgument(9);
  KernelBuilder kb(b, entry, f64);
  Aggregation agg = rule.getAggregation().value_or(Aggregation::sum);
  auto [aggRows, aggCols] = aggregateShape(rule);
  RelationOp head = symbols.lookup<RelationOp>(rule.getHead());
  auto [headRows, headCols] = shapeOf(head.getValueType());
  unsigned numAtoms = countAtoms(rule);

  Value c0 = kb.constantIndex(0), c1 = kb.constantIndex(1);
  auto segLoop = scf::ForOp::create(b, c0, numSegments, c1);
  b.setInsertionPointToStart(segLoop.getBody());
  Value s = segLoop.getInductionVar();
  Value begin = loadSegmentField(b, segments, s, 0);
  Value end = loadSegmentField(b, segments, s, 1);
  Value headOffset = loadSegmentField(b, segments, s, 2);
  Value aggOffset = loadSegmentField(b, segments, s, 3);

  Buf dContribution = kb.view(dacc, headOffset, headRows, headCols);
  Buf aggregate = kb.view(aggs, aggOffset, aggRows, aggCols);
  Buf dAggregate = kb.alloc(aggRows, aggCols);
  if (auto w = rule.getWeightAttr()) {
    const ParameterLayout::Entry &e = layout.weights.lookup(w.getAttr());
    kb.fill(dAggregate, 0.0);
    MapProgram::weighBackward(
        kb, MapProgram::weightView(kb, params, layout, w.getAttr()), aggregate,
        dContribution,
        e.learnable ? MapProgram::weightView(kb, grads, layout, w.getAttr())
                    : Buf(),
        dAggregate);
  } else {
    kb.copy(dContribution, dAggregate);
  }
  if (agg == Aggregation::count) {
    // A count does not depend on any value.
    b.setInsertionPointToEnd(entry);
    func::ReturnOp::create(b);
    return success();
  }
  if (agg == Aggregation::avg) {
    Value n = rowCount(b, begin, end, f64);
    kb.elementwise(dAggregate, {},
                   [&](ImplicitLocOpBuilder &ib, ValueRange, Value o) {
                     return Value(arith::DivFOp::create(ib, o, n));
                   });
  }
  bool extreme = agg == Aggregation::max || agg == Aggregation::min;
  Buf claimed;
  if (extreme) {
    claimed = kb.alloc(aggRows, aggCols);
    kb.fill(claimed, 0.0);
  }

  auto rowLoop = scf::ForOp::create(b, begin, end, c1);
  b.setInsertionPointToStart(rowLoop.getBody());
  SmallVector<Value> offsets =
      loadAtomOffsets(b, table, rowLoop.getInductionVar(), numAtoms);
  MapProgram map(rule, kb, layout, Arenas{values, params, dvalues, grads},
                 relationsWithGradient);
  FailureOr<Buf> v = map.emitForward(offsets);
  if (failed(v))
    return failure();
  if (!map.resultNeedsGradient()) {
    // Nothing upstream learns: the loop would only recompute values.
    rowLoop.erase();
  } else {
    Buf dValue = dAggregate;
    if (extreme) {
      // The gradient of each element goes to the first substitution that
      // reached the extreme (as the reference evaluator routes it).
      dValue = kb.alloc(aggRows, aggCols);
      kb.genericMulti(
          {dValue, claimed}, {*v, aggregate, dAggregate},
          [](ImplicitLocOpBuilder &ib, ValueRange in, ValueRange o) {
            Value zero = arith::ConstantOp::create(
                ib, ib.getFloatAttr(in[0].getType(), 0.0));
            Value one = arith::ConstantOp::create(
                ib, ib.getFloatAttr(in[0].getType(), 1.0));
            Value isExtreme = arith::CmpFOp::create(
                ib, arith::CmpFPredicate::OEQ, in[0], in[1]);
            Value free = arith::CmpFOp::create(
                ib, arith::CmpFPredicate::OEQ, o[1], zero);
            Value won = arith::AndIOp::create(ib, isExtreme, free);
            return SmallVector<Value>{
                arith::SelectOp::create(ib, won, in[2], zero),
                arith::SelectOp::create(ib, won, one, o[1])};
          });
    }
    map.emitBackward(dValue);
  }
  b.setInsertionPointToEnd(entry);
  func::ReturnOp::create(b);
  return success();
}

void TemplateLowering::emitRelationForward(RelationOp rel, int index) {
  ImplicitLocOpBuilder b(rel.getLoc(), rel.getContext());
  // values, acc, params, atoms, n
  func::FuncOp fn = createKernel(
      ("relation" + Twine(index) + "_forward").str(),
      {arena, arena, arena, indexArena, b.getIndexType()}, b);
  Block *entry = &fn.front();
  Value values = entry->getArgument(0), acc = entry->getArgument(1),
        params = entry->getArgument(2), atoms = entry->getArgument(3),
        n = entry->getArgument(4);
  KernelBuilder kb(b, entry, f64);
  auto [rows, cols] = shapeOf(rel.getValueType());
  Transformation t = rel.getTransformation().value_or(Transformation::identity);
  Value c0 = kb.constantIndex(0), c1 = kb.constantIndex(1);
  auto loop = scf::ForOp::create(b, c0, n, c1);
  b.setInsertionPointToStart(loop.getBody());
  Value offset = loadIndex(b, atoms, loop.getInductionVar());
  Buf pre = kb.view(acc, offset, rows, cols);
  if (auto off = rel.getOffsetAttr())
    kb.accumulate(MapProgram::weightView(kb, params, layout, off.getAttr()),
                  pre);
  kb.elementwise(kb.view(values, offset, rows, cols), {pre},
                 [&](ImplicitLocOpBuilder &ib, ValueRange in, Value) {
                   return applyTransformation(ib, t, in[0], 0.01);
                 });
  b.setInsertionPointToEnd(entry);
  func::ReturnOp::create(b);
}

void TemplateLowering::emitRelationBackward(RelationOp rel, int index) {
  ImplicitLocOpBuilder b(rel.getLoc(), rel.getContext());
  // values, acc, params, dvalues, dacc, grads, atoms, n
  func::FuncOp fn = createKernel(
      ("relation" + Twine(index) + "_backward").str(),
      {arena, arena, arena, arena, arena, arena, indexArena,
       b.getIndexType()},
      b);
  Block *entry = &fn.front();
  Value values = entry->getArgument(0), acc = entry->getArgument(1),
        dvalues = entry->getArgument(3), dacc = entry->getArgument(4),
        grads = entry->getArgument(5), atoms = entry->getArgument(6),
        n = entry->getArgument(7);
  KernelBuilder kb(b, entry, f64);
  auto [rows, cols] = shapeOf(rel.getValueType());
  Transformation t = rel.getTransformation().value_or(Transformation::identity);
  Value c0 = kb.constantIndex(0), c1 = kb.constantIndex(1);
  auto loop = scf::ForOp::create(b, c0, n, c1);
  b.setInsertionPointToStart(loop.getBody());
  Value offset = loadIndex(b, atoms, loop.getInductionVar());
  Buf dpre = kb.view(dacc, offset, rows, cols);
  kb.elementwise(dpre,
                 {kb.view(dvalues, offset, rows, cols),
                  kb.view(acc, offset, rows, cols),
                  kb.view(values, offset, rows, cols)},
                 [&](ImplicitLocOpBuilder &ib, ValueRange in, Value o) {
                   Value d = transformationDerivative(ib, t, in[1], in[2],
                                                      0.01);
                   Value g = arith::MulFOp::create(ib, in[0], d);
                   return Value(arith::AddFOp::create(ib, o, g));
                 });
  if (auto off = rel.getOffsetAttr())
    if (layout.weights.lookup(off.getAttr()).learnable)
      kb.accumulate(dpre,
                    MapProgram::weightView(kb, grads, layout, off.getAttr()));
  b.setInsertionPointToEnd(entry);
  func::ReturnOp::create(b);
}

LogicalResult TemplateLowering::run() {
  MLIRContext *ctx = templ.getContext();
  f64 = Float64Type::get(ctx);
  arena = MemRefType::get({ShapedType::kDynamic}, f64);
  indexArena =
      MemRefType::get({ShapedType::kDynamic}, IntegerType::get(ctx, 32));

  // Parameters: every weight, in declaration order, row-major.
  for (WeightOp w : templ.getBody().getOps<WeightOp>()) {
    auto [rows, cols] = shapeOf(w.getType());
    layout.weights[w.getSymNameAttr()] = {layout.size, rows, cols,
                                          !w.getFixed()};
    layout.size += rows * cols;
  }
  // Values with a gradient: derived atoms and facts valued by weights.
  for (RuleOp rule : templ.getRules())
    relationsWithGradient.insert(rule.getHeadAttr().getAttr());
  for (FactOp fact : templ.getBody().getOps<FactOp>())
    if (fact.getWeightAttr())
      relationsWithGradient.insert(fact.getRelationAttr().getAttr());

  Stratification strata = computeStratification(templ);
  SmallVector<RuleOp> rules = rulesInEvaluationOrder(templ, strata);
  LogicalResult ok = success();
  for (RuleOp rule : rules)
    if (failed(checkRule(rule, strata)))
      ok = failure();
  for (RelationOp rel : templ.getRelations())
    if (relationsWithGradient.contains(rel.getSymNameAttr()) &&
        failed(checkRelation(rel)))
      ok = failure();
  if (failed(ok))
    return failure();

  for (auto [i, rule] : llvm::enumerate(rules))
    if (failed(emitRuleForward(rule, i)) || failed(emitRuleBackward(rule, i)))
      return failure();
  llvm::DenseSet<StringAttr> derived;
  for (RuleOp rule : rules)
    derived.insert(rule.getHeadAttr().getAttr());
  for (auto [j, rel] : llvm::enumerate(templ.getRelations()))
    if (derived.contains(rel.getSymNameAttr())) {
      emitRelationForward(rel, j);
      emitRelationBackward(rel, j);
    }
  module->setAttr(prefix + ".parameters",
                  IntegerAttr::get(IntegerType::get(ctx, 64), layout.size));
  return success();
}

namespace {
struct ConvertNLogicToLinalgPass
    : public nlogic::impl::ConvertNLogicToLinalgPassBase<
          ConvertNLogicToLinalgPass> {
  using Base::Base;
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<TemplateOp> templates(module.getOps<TemplateOp>());
    if (templates.size() != 1) {
      module.emitError() << "expected one nlogic.template in the module, found "
                         << templates.size();
      return signalPassFailure();
    }
    TemplateOp templ = templates.front();
    if (failed(TemplateLowering(templ, module, prefix).run()))
      return signalPassFailure();
    templ.erase();
  }
};
} // namespace
