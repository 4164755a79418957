//===- NLogicToLinalg.cpp - rule and relation kernels ---------------------===//
//
// Implements `convert-nlogic-to-linalg`: the template of the module becomes
// one forward and one backward kernel per rule (gather + map + segment
// reduction + head weight, fused in one loop nest over the rule's ground
// table) and per derived relation (offset + transformation). The calling
// convention is described in the pass documentation and docs/Compiler.md.
//
//===----------------------------------------------------------------------===//

#include "ContractionTiles.h"
#include "Elementwise.h"
#include "KernelBuilder.h"
#include "MapProgram.h"
#include "RowProducts.h"
#include "WeighWindows.h"

#include "nlogic/Conversion/Passes.h"
#include "nlogic/Dialect/NLogic/IR/PassThrough.h"
#include "nlogic/Dialect/NLogic/IR/Stratification.h"
#include "nlogic/Dialect/NLogic/IR/ValueShape.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/SymbolTable.h"

#include <algorithm>
#include <limits>
#include <optional>

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

/// The four fields of one segment of a ground table.
struct Segment {
  Value begin, end, head, aggregate;
};

/// What the rule kernels share: the rule, its shapes and the kernel's
/// arguments.
struct RuleKernel {
  RuleOp rule;
  KernelBuilder &kb;
  const ParameterLayout &layout;
  const llvm::DenseSet<StringAttr> &relationsWithGradient;
  Aggregation aggregation;
  int64_t aggRows, aggCols, headRows, headCols;
  unsigned numAtoms;
  /// The head relation multiplies its rules' contributions (a scalar
  /// `product` relation): each rule multiplies its contribution into the
  /// accumulator and keeps, after its aggregate, the accumulator's value
  /// before it (the product of the earlier rules' contributions).
  bool productHead = false;
  /// Register tiles compute some rows (ContractionTiles.h): the per-row
  /// loop starts from the tiles' sums in the aggregate slots, and backward
  /// leaves each aggregate's gradient there for the tiles.
  ContractionForm tiling = {};
  /// Body weighings computed for windows of rows (WeighWindows.h), or null.
  WeighWindows *windows = nullptr;
  /// The head relation passes its one rule's contributions through
  /// unchanged (passesContributionsThrough, PassThrough.h): `acc` and `dacc`
  /// are the value arena and its gradient, and each head atom's contribution is
  /// stored, not added.
  bool storesHead = false;
  // The kernel's arguments (set by makeRuleKernel).
  Arenas arenas = {};
  Value acc = {}, aggs = {}, dacc = {}, segments = {}, table = {}, groups = {},
        tiles = {};

  ImplicitLocOpBuilder &b() { return kb.builder(); }

  Value loadField(Value memref, Value i, int stride, int field) {
    Value base = arith::MulIOp::create(b(), i, kb.constantIndex(stride));
    return kb.loadIndex(
        memref, arith::AddIOp::create(b(), base, kb.constantIndex(field)));
  }
  Segment loadSegment(Value s) {
    return {loadField(segments, s, 4, 0), loadField(segments, s, 4, 1),
            loadField(segments, s, 4, 2), loadField(segments, s, 4, 3)};
  }
  Buf aggregateView(const Segment &seg) {
    return kb.view(aggs, seg.aggregate, aggRows, aggCols);
  }
  Buf headWeight(Value arena) {
    return MapProgram::weightView(kb, arena, layout,
                                  rule.getWeightAttr().getAttr());
  }
  bool headWeightLearns() {
    return layout.weights.lookup(rule.getWeightAttr().getAttr()).learnable;
  }
  Value rowCount(const Segment &seg) {
    Value n = arith::SubIOp::create(b(), seg.end, seg.begin);
    Value i = arith::IndexCastOp::create(b(), b().getI64Type(), n);
    return arith::SIToFPOp::create(b(), kb.getElementType(), i);
  }
  /// buf /= the segment's number of substitutions (avg and its gradient).
  void divideByRowCount(const Buf &buf, const Segment &seg) {
    Value n = rowCount(seg);
    // Fast-math multiplies by the reciprocal: one division per segment
    // instead of one per element (a 64-vector's divisions cost more than
    // the projection that follows them).
    if (kb.reassociates())
      n = arith::DivFOp::create(b(), kb.constant(1.0), n);
    bool reciprocal = kb.reassociates();
    kb.elementwise(buf, {}, [&](ImplicitLocOpBuilder &ib, ValueRange, Value o) {
      if (reciprocal)
        return Value(arith::MulFOp::create(ib, o, n));
      return Value(arith::DivFOp::create(ib, o, n));
    });
  }

  /// Runs `body(i)` for i in [lo, hi) and leaves the builder after the loop.
  template <typename Fn> LogicalResult loop(Value lo, Value hi, Fn body) {
    auto forOp = scf::ForOp::create(b(), lo, hi, kb.constantIndex(1));
    OpBuilder::InsertionGuard guard(b());
    b().setInsertionPointToStart(forOp.getBody());
    return body(forOp.getInductionVar());
  }

  /// The positive body atoms' offsets of one row of the ground table.
  SmallVector<Value> atomOffsets(Value row) {
    SmallVector<Value> offsets;
    for (unsigned a = 0; a < numAtoms; ++a)
      offsets.push_back(loadField(table, row, numAtoms, a));
    return offsets;
  }

  /// Reduces the substitutions of `seg` into `aggregate` with `kind`.
  LogicalResult emitAggregate(const Segment &seg, const Buf &aggregate,
                              Aggregation kind) {
    if (kind == Aggregation::count) {
      kb.fill(aggregate, rowCount(seg));
      return success();
    }
    double init =
        kind == Aggregation::max   ? -std::numeric_limits<double>::infinity()
        : kind == Aggregation::min ? std::numeric_limits<double>::infinity()
                                   : 0.0;
    if (tiling && kind == Aggregation::sum)
      kb.copy(aggregateView(seg), aggregate);
    else
      kb.fill(aggregate, init);
    LogicalResult ok = loop(seg.begin, seg.end, [&](Value row) {
      MapProgram map(rule, kb, layout,
                     Arenas{arenas.values, arenas.params, {}, {}},
                     relationsWithGradient);
      if (windows)
        windows->enter(row, map);
      FailureOr<Buf> v = map.emitForward(atomOffsets(row));
      if (failed(v))
        return failure();
      if (kind == Aggregation::max || kind == Aggregation::min) {
        bool isMax = kind == Aggregation::max;
        kb.elementwise(
            aggregate, {*v},
            [&](ImplicitLocOpBuilder &ib, ValueRange in, Value o) {
              Value better = arith::CmpFOp::create(
                  ib,
                  isMax ? arith::CmpFPredicate::OGT : arith::CmpFPredicate::OLT,
                  in[0], o);
              return Value(arith::SelectOp::create(ib, better, in[0], o));
            });
      } else {
        kb.accumulate(*v, aggregate);
      }
      return success();
    });
    if (failed(ok))
      return failure();
    if (kind == Aggregation::avg)
      divideByRowCount(aggregate, seg);
    return success();
  }

  /// head_weight * aggregate.
  Buf contributionOf(const Buf &aggregate) {
    if (!rule.getWeightAttr())
      return aggregate;
    return MapProgram::weighForward(kb, headWeight(arenas.params), aggregate);
  }

  /// The slot after the aggregate's, where a rule of a product relation
  /// keeps the product of the earlier rules' contributions.
  Buf prefixView(const Segment &seg) {
    Value at = arith::AddIOp::create(b(), seg.aggregate,
                                     kb.constantIndex(aggRows * aggCols));
    return kb.view(aggs, at, 1, 1);
  }

  /// head *= contribution (a product relation's accumulator).
  void multiplyInto(const Buf &head, const Buf &contribution) {
    kb.elementwise(head, {contribution},
                   [](ImplicitLocOpBuilder &ib, ValueRange in, Value o) {
                     return Value(arith::MulFOp::create(ib, o, in[0]));
                   });
  }

  /// acc[head] += head_weight * aggregate, or, for a product relation,
  /// acc[head] *= head_weight * aggregate (the accumulator starts at 1).
  void emitContribution(const Segment &seg, const Buf &aggregate) {
    Buf contribution = contributionOf(aggregate);
    Buf head = kb.view(acc, seg.head, headRows, headCols);
    if (storesHead) {
      kb.copy(contribution, head);
      return;
    }
    if (!productHead) {
      kb.accumulate(contribution, head);
      return;
    }
    kb.copy(head, prefixView(seg));
    multiplyInto(head, contribution);
  }

  /// The gradient of a product relation's input with respect to this
  /// rule's contribution: dacc * (earlier contributions) * (later ones).
  /// Backward runs the rules in reverse, so the accumulator (reset to 1 by
  /// the relation's backward kernel) holds the product of the later
  /// contributions; this rule then multiplies its own in.
  Buf emitProductContributionGradient(const Segment &seg,
                                      const Buf &aggregate) {
    Buf head = kb.view(acc, seg.head, 1, 1);
    Buf d = kb.alloc(1, 1);
    kb.elementwise(d, {kb.view(dacc, seg.head, 1, 1), prefixView(seg), head},
                   [](ImplicitLocOpBuilder &ib, ValueRange in, Value) {
                     Value p = arith::MulFOp::create(ib, in[0], in[1]);
                     return Value(arith::MulFOp::create(ib, p, in[2]));
                   });
    Buf contribution = contributionOf(aggregate);
    multiplyInto(head, contribution);
    return d;
  }

  /// dAggregate = dLoss/d(aggregate) from the head's accumulator gradient;
  /// accumulates the head weight's gradient when `withWeightGradient`.
  Buf emitHeadBackward(const Segment &seg, const Buf &aggregate,
                       bool withWeightGradient) {
    Buf dContribution = productHead
                            ? emitProductContributionGradient(seg, aggregate)
                            : kb.view(dacc, seg.head, headRows, headCols);
    Buf dAggregate = kb.alloc(aggRows, aggCols);
    if (rule.getWeightAttr()) {
      kb.fill(dAggregate, 0.0);
      MapProgram::weighBackward(
          kb, headWeight(arenas.params), aggregate, dContribution,
          withWeightGradient && headWeightLearns() ? headWeight(arenas.grads)
                                                   : Buf(),
          dAggregate);
    } else {
      kb.copy(dContribution, dAggregate);
    }
    return dAggregate;
  }

  TileArgs tileArgs() {
    return {arenas.values, acc,    aggs,  arenas.dvalues, dacc,      segments,
            table,         groups, tiles, numAtoms,       storesHead};
  }

  /// Whether the head weight's products are better made a block of
  /// segments at a time (fast-math; a matrix head weight applied to vector
  /// aggregates: attention's projections, MLPs, GCN layers), reading W once
  /// per block.
  bool headProductsInBlocks() {
    if (!kb.reassociates() || !rule.getWeightAttr() || productHead ||
        aggCols != 1 || headCols != 1 || aggRows < 2 || headRows < 2)
      return false;
    ParameterLayout::Entry w =
        layout.weights.lookup(rule.getWeightAttr().getAttr());
    return w.rows == headRows && w.cols == aggRows;
  }

  /// Segments per fast-math block when each takes `elements` of the
  /// block's stack buffers: 32, fewer for wide values (the buffers stay
  /// within 64 KiB), at least 4.
  static int64_t segmentsPerBlock(int64_t elements) {
    constexpr int64_t kStackElements = 8 * 1024;
    return std::clamp<int64_t>(kStackElements / elements / 4 * 4, 4, 32);
  }

  /// Opens a loop over blocks of `size` of the `n` segments and leaves
  /// the builder in it (the caller holds an InsertionGuard); returns the
  /// block's first and end segment.
  std::pair<Value, Value> enterBlocks(Value n, int64_t size) {
    Value step = kb.constantIndex(size);
    auto blocks = scf::ForOp::create(b(), kb.constantIndex(0), n, step);
    b().setInsertionPointToStart(blocks.getBody());
    Value first = blocks.getInductionVar();
    Value end =
        arith::MinSIOp::create(b(), arith::AddIOp::create(b(), first, step), n);
    return {first, end};
  }

  /// The forward loop over `n` segments, a block at a time: each segment's
  /// aggregate as usual, then the block's head-weight products together
  /// (emitRowProducts) into the heads' accumulators.
  LogicalResult emitForwardInBlocks(Value n, const Buf &wT) {
    // Up to 32 segments: RowProducts keeps a stripe of W^T in L1 while all
    // of the block's rows pass over it.
    const int64_t kBlock = segmentsPerBlock(aggRows);
    Buf block = kb.alloc(kBlock, aggRows);
    OpBuilder::InsertionGuard guard(b());
    auto [blockFirst, blockEnd] = enterBlocks(n, kBlock);
    Value first = blockFirst, end = blockEnd; // lambdas capture these
    if (failed(loop(first, end, [&](Value s) {
          Segment seg = loadSegment(s);
          Buf aggregate = kb.alloc(aggRows, aggCols);
          if (failed(emitAggregate(seg, aggregate, aggregation)))
            return failure();
          kb.copy(aggregate, aggregateView(seg));
          kb.copy(aggregate.t(),
                  kb.row(block, arith::SubIOp::create(b(), s, first)));
          return success();
        })))
      return failure();
    // acc[head(r)] += W a_r: W^T's rows (k) times the block's aggregates.
    RowProductOperands ops;
    ops.a = [&](Value r, Value k) {
      return Value(memref::LoadOp::create(b(), block.mem, ValueRange{r, k}));
    };
    ops.b = wT.mem;
    ops.bAt = [](Value k, Value c) { return SmallVector<Value>{k, c}; };
    ops.c = acc;
    ops.cAt = [&](Value r, Value c) {
      Value head =
          loadField(segments, arith::AddIOp::create(b(), first, r), 4, 2);
      return SmallVector<Value>{arith::AddIOp::create(b(), head, c)};
    };
    emitRowProducts(kb, arith::SubIOp::create(b(), end, first),
                    kb.constantIndex(aggRows), headRows, ops,
                    /*accumulate=*/!storesHead);
    return success();
  }

  /// Whether the head weight's gradient, a rank-1 update of a matrix per
  /// segment (a headRows x aggRows weight times a vector aggregate), is
  /// better accumulated in blocks of segments. Not when the weight also
  /// appears in the body: its gradient would then receive the body's and
  /// the head's terms in another order than segment by segment.
  bool headWeightGradientInBlocks() {
    if (!rule.getWeightAttr() || !headWeightLearns() || aggCols != 1 ||
        headCols != 1 || aggRows < 2 || headRows < 2)
      return false;
    StringAttr name = rule.getWeightAttr().getAttr();
    ParameterLayout::Entry w = layout.weights.lookup(name);
    if (w.rows != headRows || w.cols != aggRows)
      return false;
    WalkResult inBody = rule.getBody().walk([&](Operation *op) {
      for (NamedAttribute attr : op->getAttrs())
        if (auto ref = dyn_cast<FlatSymbolRefAttr>(attr.getValue());
            ref && ref.getAttr() == name)
          return WalkResult::interrupt();
      return WalkResult::advance();
    });
    return !inBody.wasInterrupted();
  }

  /// dW += sum over the segments of dContribution_s aggregate_s^T, eight
  /// segments at a time: the rows of both gathered into small tiles (the
  /// tail's missing rows zero), then one rank-8 update, which loads and
  /// stores each element of dW once per eight segments instead of once per
  /// segment (8: the longest reduction matmulAcc keeps innermost). Each
  /// element still receives the segments' products one by one, in segment
  /// order. Fast-math takes 32 segments through RowProducts' kernel.
  void emitHeadWeightGradientInBlocks(Value n) {
    // Fast-math: RowProducts' kernel over up to 32 segments, dW read and
    // written once per block.
    const int64_t kBlock =
        kb.reassociates() ? segmentsPerBlock(headRows + aggRows) : 8;
    Buf dyTile = kb.alloc(kBlock, headRows);
    Buf aggTile = kb.alloc(kBlock, aggRows);
    OpBuilder::InsertionGuard guard(b());
    auto [blockFirst, blockEnd] = enterBlocks(n, kBlock);
    Value first = blockFirst, end = blockEnd; // lambdas capture these
    kb.fill(dyTile, 0.0);
    kb.fill(aggTile, 0.0);
    (void)loop(first, end, [&](Value s) {
      Segment seg = loadSegment(s);
      Value slot = arith::SubIOp::create(b(), s, first);
      Buf dContribution = kb.view(dacc, seg.head, headRows, headCols);
      kb.copy(dContribution.t(), kb.row(dyTile, slot));
      kb.copy(aggregateView(seg).t(), kb.row(aggTile, slot));
      return success();
    });
    if (!kb.reassociates()) {
      kb.matmulAcc(dyTile.t(), aggTile, headWeight(arenas.grads));
      return;
    }
    // dW(h, :) += sum_s dy_s(h) agg_s
    Buf dW = headWeight(arenas.grads);
    RowProductOperands ops;
    ops.a = [&](Value h, Value slot) {
      return Value(
          memref::LoadOp::create(b(), dyTile.mem, ValueRange{slot, h}));
    };
    ops.b = aggTile.mem;
    ops.bAt = [](Value slot, Value c) { return SmallVector<Value>{slot, c}; };
    ops.c = dW.mem;
    ops.cAt = [](Value h, Value c) { return SmallVector<Value>{h, c}; };
    emitRowProducts(kb, kb.constantIndex(headRows),
                    arith::SubIOp::create(b(), end, first), aggRows, ops,
                    /*accumulate=*/true);
  }

  /// Back-propagates dAggregate (already divided by the count for avg)
  /// through the substitutions of `seg`, recomputing each one's value.
  LogicalResult emitRowsBackward(const Segment &seg, const Buf &aggregate,
                                 const Buf &dAggregate, Aggregation kind) {
    bool extreme = kind == Aggregation::max || kind == Aggregation::min;
    Buf claimed;
    if (extreme) {
      claimed = kb.alloc(aggRows, aggCols);
      kb.fill(claimed, 0.0);
    }
    scf::ForOp rows;
    bool needed = true;
    LogicalResult ok = loop(seg.begin, seg.end, [&](Value row) {
      rows = cast<scf::ForOp>(row.getParentBlock()->getParentOp());
      MapProgram map(rule, kb, layout, arenas, relationsWithGradient);
      if (windows)
        windows->enter(row, map);
      FailureOr<Buf> v = map.emitForward(atomOffsets(row));
      if (failed(v))
        return failure();
      needed = map.resultNeedsGradient();
      if (!needed)
        return success();
      Buf dValue = dAggregate;
      if (extreme) {
        // Each element's gradient goes to the first substitution that
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
              Value free = arith::CmpFOp::create(ib, arith::CmpFPredicate::OEQ,
                                                 o[1], zero);
              Value won = arith::AndIOp::create(ib, isExtreme, free);
              return SmallVector<Value>{
                  arith::SelectOp::create(ib, won, in[2], zero),
                  arith::SelectOp::create(ib, won, one, o[1])};
            });
      }
      map.emitBackward(dValue);
      return success();
    });
    if (failed(ok))
      return failure();
    // Nothing upstream learns: the loop would only recompute values.
    if (!needed)
      rows.erase();
    return success();
  }
};

/// Builds the kernels of one template.
class TemplateLowering {
public:
  TemplateLowering(TemplateOp templ, ModuleOp module, StringRef prefix,
                   bool reassociate)
      : templ(templ), module(module), prefix(prefix.str()),
        reassociate(reassociate), symbols(templ) {}

  LogicalResult run();

private:
  LogicalResult checkRule(RuleOp rule, const Stratification &strata);
  LogicalResult checkRelation(RelationOp rel);
  func::FuncOp createKernel(StringRef name, ArrayRef<Type> argTypes,
                            ImplicitLocOpBuilder &b);
  /// The shapes of `rule` and the arguments of its kernel (`entry`'s), in
  /// the order of the forward or the backward kernel's signature.
  RuleKernel makeRuleKernel(RuleOp rule, KernelBuilder &kb, Block *entry,
                            bool backward);
  LogicalResult emitRuleForward(RuleOp rule, int index);
  /// The rule's tiled form (none in exact mode), remembered for the
  /// module's `<prefix>.rule_tiling`.
  ContractionForm tilingOf(RuleOp rule);
  LogicalResult emitRuleBackward(RuleOp rule, int index);
  /// Under fast-math, computes the rule's body weighings in windows of rows
  /// when it has any (k.windows then points into `windows`).
  void openWindows(func::FuncOp fn, RuleKernel &k, Value n, bool backward,
                   std::optional<WeighWindows> &windows);
  void emitOptimizerSteps();
  void emitRelationForward(RelationOp rel, int index);
  void emitRelationBackward(RelationOp rel, int index);

  TemplateOp templ;
  ModuleOp module;
  std::string prefix;
  bool reassociate;
  SymbolTable symbols;
  ParameterLayout layout;
  llvm::DenseSet<StringAttr> relationsWithGradient;
  llvm::DenseSet<StringAttr> recursiveRelations;
  /// Relations whose values are their one rule's contributions as they are
  /// (passesContributionsThrough, PassThrough.h): the rule kernels write the
  /// values themselves and the relation kernels have nothing left to do.
  llvm::DenseSet<StringAttr> passThrough;
  Type f64, arena, indexArena;
};

} // namespace

LogicalResult TemplateLowering::checkRule(RuleOp rule,
                                          const Stratification &strata) {
  LogicalResult ok = MapProgram::checkSupported(rule);
  bool recursive = strata.recursive.contains(rule.getHeadAttr().getAttr());
  if (recursive && rule.getAggregation() == Aggregation::softmax)
    ok = rule.emitError("the compiled engine cannot lower softmax "
                        "aggregation in recursive rules yet (run it with "
                        "--engine reference)");
  if (rule.getAggregation() == Aggregation::concat)
    ok = rule.emitError() << "the compiled engine cannot lower the '"
                          << stringifyAggregation(*rule.getAggregation())
                          << "' aggregation yet (run it with --engine "
                             "reference)";
  RelationOp head = symbols.lookup<RelationOp>(rule.getHead());
  if (head.multipliesContributions() &&
      (recursive || rule.getAggregation() == Aggregation::softmax))
    ok = rule.emitError("the compiled engine cannot lower a relation's "
                        "product combination over recursive or softmax "
                        "rules yet (run it with --engine reference)");
  return ok;
}

LogicalResult TemplateLowering::checkRelation(RelationOp rel) {
  if (!ValueShape::fromType(rel.getValueType()).isKnown())
    return rel.emitError("the compiled engine needs static shapes (run "
                         "nlogic-specialize-shapes first)");
  Combination c = rel.getCombination().value_or(Combination::sum);
  bool scalar = ValueShape::fromType(rel.getValueType()).getNumElements() == 1;
  if (c != Combination::sum && !(c == Combination::product && scalar))
    return rel.emitError() << "the compiled engine cannot lower the '"
                           << stringifyCombination(c)
                           << "' combination of a relation's rules yet"
                           << (c == Combination::product ? " (only of scalars)"
                                                         : "")
                           << " (run it with --engine reference)";
  Transformation t = rel.getTransformation().value_or(Transformation::identity);
  if (!isElementwiseTransformation(t))
    return rel.emitError() << "the compiled engine cannot lower the '"
                           << stringifyTransformation(t)
                           << "' transformation of a relation yet (run it "
                              "with --engine reference)";
  return success();
}

/// Register tiles are written for 512-bit vectors (AVX-512's 32 registers
/// hold a 4x4 tile of accumulators and its operands); LLVM otherwise splits
/// them into 256-bit halves on CPUs that prefer those.
static void preferWideVectors(func::FuncOp fn) {
  Builder b(fn.getContext());
  fn->setAttr(
      "llvm.passthrough",
      b.getArrayAttr({b.getArrayAttr({b.getStringAttr("prefer-vector-width"),
                                      b.getStringAttr("512")}),
                      b.getArrayAttr({b.getStringAttr("min-legal-vector-width"),
                                      b.getStringAttr("512")})}));
}

/// Ends a kernel's body with its return (when its emission succeeded).
static LogicalResult finishKernel(ImplicitLocOpBuilder &b, Block *entry,
                                  LogicalResult emitted) {
  if (failed(emitted))
    return failure();
  b.setInsertionPointToEnd(entry);
  func::ReturnOp::create(b);
  return success();
}

func::FuncOp TemplateLowering::createKernel(StringRef name,
                                            ArrayRef<Type> argTypes,
                                            ImplicitLocOpBuilder &b) {
  b.setInsertionPointToEnd(module.getBody());
  auto fn = func::FuncOp::create(b, (prefix + "_" + name).str(),
                                 b.getFunctionType(argTypes, {}));
  fn->setAttr("llvm.emit_c_interface", b.getUnitAttr());
  // Arenas are distinct arrays (the ABI says so): stores to accumulators
  // and gradients never change the values being read, which lets LLVM keep
  // values in registers and vectorise.
  for (auto [i, type] : llvm::enumerate(argTypes))
    if (isa<MemRefType>(type))
      fn.setArgAttr(i, "llvm.noalias", b.getUnitAttr());
  Block *entry = fn.addEntryBlock();
  b.setInsertionPointToStart(entry);
  return fn;
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

RuleKernel TemplateLowering::makeRuleKernel(RuleOp rule, KernelBuilder &kb,
                                            Block *entry, bool backward) {
  auto [aggRows, aggCols] = aggregateShape(rule);
  RelationOp head = symbols.lookup<RelationOp>(rule.getHead());
  auto [headRows, headCols] = shapeOf(head.getValueType());
  RuleKernel k{rule,
               kb,
               layout,
               relationsWithGradient,
               rule.getAggregation().value_or(Aggregation::sum),
               aggRows,
               aggCols,
               headRows,
               headCols,
               countAtoms(rule)};
  k.productHead = head.multipliesContributions();
  k.tiling = tilingOf(rule);
  auto arg = [&](unsigned i) { return entry->getArgument(i); };
  // forward:  values, acc, aggs, params, segments, index, groups, tiles, n
  // backward: values, acc, aggs, params, dvalues, dacc, grads, segments,
  //           index, groups, tiles, n
  k.arenas.values = arg(0);
  k.acc = arg(1);
  k.aggs = arg(2);
  k.arenas.params = arg(3);
  unsigned tables = 4;
  if (backward) {
    k.arenas.dvalues = arg(4);
    k.dacc = arg(5);
    k.arenas.grads = arg(6);
    tables = 7;
  }
  if (passThrough.contains(head.getSymNameAttr())) {
    k.storesHead = true;
    k.acc = k.arenas.values;
    k.dacc = k.arenas.dvalues;
  }
  k.segments = arg(tables);
  k.table = arg(tables + 1);
  k.groups = arg(tables + 2);
  k.tiles = arg(tables + 3);
  return k;
}

/// Whether a rule's kernels may reassociate sums. Not for max and min
/// aggregations: their backward kernel recomputes each substitution's
/// value and routes the gradient to the one equal to the stored extreme,
/// which needs the forward kernel's bits exactly; reassociated sums may
/// round differently in the two kernels.
static bool mayReassociate(RuleOp rule, bool fastMath) {
  Aggregation a = rule.getAggregation().value_or(Aggregation::sum);
  return fastMath && a != Aggregation::max && a != Aggregation::min;
}

ContractionForm TemplateLowering::tilingOf(RuleOp rule) {
  return analyzeContraction(
      rule, reassociate,
      recursiveRelations.contains(rule.getHeadAttr().getAttr()),
      relationsWithGradient);
}

void TemplateLowering::openWindows(func::FuncOp fn, RuleKernel &k, Value n,
                                   bool backward,
                                   std::optional<WeighWindows> &windows) {
  // Recursive rules run level by level: a window could reach rows of
  // atoms a later level computes. Counts evaluate no rows.
  if (!k.kb.reassociates() || k.tiling || k.aggregation == Aggregation::count ||
      recursiveRelations.contains(k.rule.getHeadAttr().getAttr()))
    return;
  windows.emplace(
      k.kb, k.rule, layout, relationsWithGradient,
      WindowArgs{k.arenas, k.segments, k.table, k.groups, k.numAtoms},
      backward);
  if (!*windows)
    return;
  windows->begin(n, k.aggregation == Aggregation::softmax);
  if (*windows) {
    k.windows = &*windows;
    preferWideVectors(fn);
  }
}

LogicalResult TemplateLowering::emitRuleForward(RuleOp rule, int index) {
  ImplicitLocOpBuilder b(rule.getLoc(), rule.getContext());
  // values, acc, aggs, params, segments, index, groups, tiles, n
  func::FuncOp fn =
      createKernel(("rule" + Twine(index) + "_forward").str(),
                   {arena, arena, arena, arena, indexArena, indexArena,
                    indexArena, indexArena, b.getIndexType()},
                   b);
  Block *entry = &fn.front();
  KernelBuilder kb(b, entry, f64);
  kb.setReassociation(mayReassociate(rule, reassociate));
  RuleKernel k = makeRuleKernel(rule, kb, entry, /*backward=*/false);
  Value n = entry->getArgument(8);
  Value c0 = kb.constantIndex(0);
  std::optional<WeighWindows> windows;
  openWindows(fn, k, n, /*backward=*/false, windows);
  if (k.tiling) {
    preferWideVectors(fn);
    emitTilesForward(kb, k.tiling, k.tileArgs());
  }

  LogicalResult ok = success();
  Buf wT = k.headProductsInBlocks()
               ? kb.transposedAtEntry(k.headWeight(k.arenas.params))
               : Buf();
  if (k.aggregation != Aggregation::softmax && wT) {
    preferWideVectors(fn);
    ok = k.emitForwardInBlocks(n, wT);
  } else if (k.aggregation != Aggregation::softmax) {
    ok = k.loop(c0, n, [&](Value s) {
      Segment seg = k.loadSegment(s);
      Buf aggregate = kb.alloc(k.aggRows, k.aggCols);
      if (failed(k.emitAggregate(seg, aggregate, k.aggregation)))
        return failure();
      kb.copy(aggregate, k.aggregateView(seg));
      k.emitContribution(seg, aggregate);
      return success();
    });
  } else {
    // Softmax normalises, elementwise, the summed values of the head atoms
    // of one group (`groups`: begin and end segment of each group). The
    // aggregate slots keep the normalised values for the backward kernel.
    ok = k.loop(c0, n, [&](Value g) {
      Value first = k.loadField(k.groups, g, 2, 0);
      Value last = k.loadField(k.groups, g, 2, 1);
      Buf max = kb.alloc(k.aggRows, k.aggCols);
      Buf z = kb.alloc(k.aggRows, k.aggCols);
      kb.fill(max, -std::numeric_limits<double>::infinity());
      kb.fill(z, 0.0);
      if (failed(k.loop(first, last, [&](Value s) {
            Segment seg = k.loadSegment(s);
            Buf raw = kb.alloc(k.aggRows, k.aggCols);
            if (failed(k.emitAggregate(seg, raw, Aggregation::sum)))
              return failure();
            kb.copy(raw, k.aggregateView(seg));
            kb.elementwise(
                max, {raw},
                [](ImplicitLocOpBuilder &ib, ValueRange in, Value o) {
                  Value gt = arith::CmpFOp::create(
                      ib, arith::CmpFPredicate::OGT, in[0], o);
                  return Value(arith::SelectOp::create(ib, gt, in[0], o));
                });
            return success();
          })))
        return failure();
      (void)k.loop(first, last, [&](Value s) {
        Buf e = k.aggregateView(k.loadSegment(s));
        kb.elementwise(
            e, {max}, [](ImplicitLocOpBuilder &ib, ValueRange in, Value o) {
              return Value(
                  math::ExpOp::create(ib, arith::SubFOp::create(ib, o, in[0])));
            });
        kb.accumulate(e, z);
        return success();
      });
      return k.loop(first, last, [&](Value s) {
        Segment seg = k.loadSegment(s);
        Buf norm = k.aggregateView(seg);
        kb.elementwise(norm, {z},
                       [](ImplicitLocOpBuilder &ib, ValueRange in, Value o) {
                         return Value(arith::DivFOp::create(ib, o, in[0]));
                       });
        k.emitContribution(seg, norm);
        return success();
      });
    });
  }
  return finishKernel(b, entry, ok);
}

LogicalResult TemplateLowering::emitRuleBackward(RuleOp rule, int index) {
  ImplicitLocOpBuilder b(rule.getLoc(), rule.getContext());
  // values, acc, aggs, params, dvalues, dacc, grads, segments, index,
  // groups, tiles, n
  func::FuncOp fn =
      createKernel(("rule" + Twine(index) + "_backward").str(),
                   {arena, arena, arena, arena, arena, arena, arena, indexArena,
                    indexArena, indexArena, indexArena, b.getIndexType()},
                   b);
  Block *entry = &fn.front();
  KernelBuilder kb(b, entry, f64);
  kb.setReassociation(mayReassociate(rule, reassociate));
  RuleKernel k = makeRuleKernel(rule, kb, entry, /*backward=*/true);
  Value n = entry->getArgument(11);
  Value c0 = kb.constantIndex(0);
  std::optional<WeighWindows> windows;
  openWindows(fn, k, n, /*backward=*/true, windows);

  LogicalResult ok = success();
  if (k.aggregation != Aggregation::softmax) {
    bool inBlocks = k.headWeightGradientInBlocks();
    if (inBlocks) {
      if (kb.reassociates())
        preferWideVectors(fn);
      k.emitHeadWeightGradientInBlocks(n);
    }
    ok = k.loop(c0, n, [&](Value s) {
      Segment seg = k.loadSegment(s);
      Buf aggregate = k.aggregateView(seg);
      Buf dAggregate = k.emitHeadBackward(seg, aggregate, !inBlocks);
      if (k.aggregation == Aggregation::count)
        return success(); // a count depends on no value
      if (k.aggregation == Aggregation::avg)
        k.divideByRowCount(dAggregate, seg);
      if (failed(k.emitRowsBackward(seg, aggregate, dAggregate, k.aggregation)))
        return failure();
      if (k.tiling)
        kb.copy(dAggregate, aggregate);
      return success();
    });
  } else {
    // d raw_s = norm_s * (d norm_s - sum_t norm_t d norm_t), elementwise.
    ok = k.loop(c0, n, [&](Value g) {
      Value first = k.loadField(k.groups, g, 2, 0);
      Value last = k.loadField(k.groups, g, 2, 1);
      Buf dot = kb.alloc(k.aggRows, k.aggCols);
      kb.fill(dot, 0.0);
      (void)k.loop(first, last, [&](Value s) {
        Segment seg = k.loadSegment(s);
        Buf norm = k.aggregateView(seg);
        Buf dNorm = k.emitHeadBackward(seg, norm, false);
        kb.elementwise(dot, {norm, dNorm},
                       [](ImplicitLocOpBuilder &ib, ValueRange in, Value o) {
                         Value p = arith::MulFOp::create(ib, in[0], in[1]);
                         return Value(arith::AddFOp::create(ib, o, p));
                       });
        return success();
      });
      return k.loop(first, last, [&](Value s) {
        Segment seg = k.loadSegment(s);
        Buf norm = k.aggregateView(seg);
        Buf dNorm = k.emitHeadBackward(seg, norm, true);
        Buf dRaw = kb.alloc(k.aggRows, k.aggCols);
        kb.elementwise(dRaw, {norm, dNorm, dot},
                       [](ImplicitLocOpBuilder &ib, ValueRange in, Value) {
                         Value d = arith::SubFOp::create(ib, in[1], in[2]);
                         return Value(arith::MulFOp::create(ib, in[0], d));
                       });
        // The raw value was a sum: only its summands' values matter here.
        if (failed(k.emitRowsBackward(seg, norm, dRaw, Aggregation::sum)))
          return failure();
        if (k.tiling)
          kb.copy(dRaw, norm);
        return success();
      });
    });
  }
  if (succeeded(ok) && k.windows)
    k.windows->finish();
  if (succeeded(ok) && k.tiling) {
    preferWideVectors(fn);
    emitTilesBackward(kb, k.tiling, k.tileArgs());
  }
  return finishKernel(b, entry, ok);
}

/// A relation kernel's loops over `n` runs of atoms (`atoms`: first offset
/// and count per run, the atoms of a run consecutive in the arenas): leaves
/// the builder inside the inner loop and returns the atom's offset. Runs
/// let LLVM vectorise across atoms: attention's scores are N^2 consecutive
/// scalars.
static Value enterAtomRuns(KernelBuilder &kb, Value atoms, Value n,
                           int64_t atomSize) {
  ImplicitLocOpBuilder &b = kb.builder();
  Value c0 = kb.constantIndex(0), c1 = kb.constantIndex(1),
        c2 = kb.constantIndex(2);
  auto runs = scf::ForOp::create(b, c0, n, c1);
  b.setInsertionPointToStart(runs.getBody());
  Value record = arith::MulIOp::create(b, runs.getInductionVar(), c2);
  Value first = kb.loadIndex(atoms, record);
  Value count = kb.loadIndex(atoms, arith::AddIOp::create(b, record, c1));
  auto atomsOfRun = scf::ForOp::create(b, c0, count, c1);
  b.setInsertionPointToStart(atomsOfRun.getBody());
  Value step = arith::MulIOp::create(b, atomsOfRun.getInductionVar(),
                                     kb.constantIndex(atomSize));
  return arith::AddIOp::create(b, first, step);
}

void TemplateLowering::emitRelationForward(RelationOp rel, int index) {
  ImplicitLocOpBuilder b(rel.getLoc(), rel.getContext());
  // values, acc, params, atoms, n
  func::FuncOp fn =
      createKernel(("relation" + Twine(index) + "_forward").str(),
                   {arena, arena, arena, indexArena, b.getIndexType()}, b);
  Block *entry = &fn.front();
  Value values = entry->getArgument(0), acc = entry->getArgument(1),
        params = entry->getArgument(2), atoms = entry->getArgument(3),
        n = entry->getArgument(4);
  // A pass-through relation's rule kernel has written the values.
  if (passThrough.contains(rel.getSymNameAttr())) {
    (void)finishKernel(b, entry, success());
    return;
  }
  KernelBuilder kb(b, entry, f64);
  kb.setReassociation(reassociate);
  auto [rows, cols] = shapeOf(rel.getValueType());
  Transformation t = rel.getTransformation().value_or(Transformation::identity);
  Value offset = enterAtomRuns(kb, atoms, n, rows * cols);
  Buf pre = kb.view(acc, offset, rows, cols);
  if (rel.multipliesContributions()) {
    // value = f(offset * product of the rules' contributions); the
    // accumulator keeps the product alone, for the offset's gradient.
    SmallVector<Buf> ins = {pre};
    if (auto off = rel.getOffsetAttr())
      ins.push_back(MapProgram::weightView(kb, params, layout, off.getAttr()));
    kb.elementwise(kb.view(values, offset, rows, cols), ins,
                   [&](ImplicitLocOpBuilder &ib, ValueRange in, Value) {
                     Value x = in[0];
                     if (in.size() > 1)
                       x = arith::MulFOp::create(ib, in[1], x);
                     return applyTransformation(ib, t, x, 0.01);
                   });
    (void)finishKernel(b, entry, success());
    return;
  }
  if (auto off = rel.getOffsetAttr())
    kb.accumulate(MapProgram::weightView(kb, params, layout, off.getAttr()),
                  pre);
  kb.elementwise(kb.view(values, offset, rows, cols), {pre},
                 [&](ImplicitLocOpBuilder &ib, ValueRange in, Value) {
                   return applyTransformation(ib, t, in[0], 0.01);
                 });
  (void)finishKernel(b, entry, success());
}

void TemplateLowering::emitRelationBackward(RelationOp rel, int index) {
  ImplicitLocOpBuilder b(rel.getLoc(), rel.getContext());
  // values, acc, params, dvalues, dacc, grads, atoms, n
  func::FuncOp fn = createKernel(
      ("relation" + Twine(index) + "_backward").str(),
      {arena, arena, arena, arena, arena, arena, indexArena, b.getIndexType()},
      b);
  Block *entry = &fn.front();
  Value values = entry->getArgument(0), acc = entry->getArgument(1),
        params = entry->getArgument(2), dvalues = entry->getArgument(3),
        dacc = entry->getArgument(4), grads = entry->getArgument(5),
        atoms = entry->getArgument(6), n = entry->getArgument(7);
  // ...and its rule kernel reads the values' gradients as they are.
  if (passThrough.contains(rel.getSymNameAttr())) {
    (void)finishKernel(b, entry, success());
    return;
  }
  KernelBuilder kb(b, entry, f64);
  kb.setReassociation(reassociate);
  auto [rows, cols] = shapeOf(rel.getValueType());
  Transformation t = rel.getTransformation().value_or(Transformation::identity);
  Value offset = enterAtomRuns(kb, atoms, n, rows * cols);
  Buf dpre = kb.view(dacc, offset, rows, cols);
  if (rel.multipliesContributions()) {
    // combined = offset * acc (acc: the product of the contributions);
    // d acc = d combined * offset, d offset = d combined * acc. Then acc
    // restarts at 1: the rules' backward kernels, in reverse order,
    // multiply their contributions back in (see RuleKernel).
    Buf pre = kb.view(acc, offset, rows, cols);
    Buf dCombined = kb.alloc(rows, cols);
    auto off = rel.getOffsetAttr();
    Buf offsetValue =
        off ? MapProgram::weightView(kb, params, layout, off.getAttr()) : Buf();
    SmallVector<Buf> ins = {kb.view(dvalues, offset, rows, cols), pre,
                            kb.view(values, offset, rows, cols)};
    if (off)
      ins.push_back(offsetValue);
    kb.elementwise(dCombined, ins,
                   [&](ImplicitLocOpBuilder &ib, ValueRange in, Value) {
                     Value x = in[1];
                     if (in.size() > 3)
                       x = arith::MulFOp::create(ib, in[3], x);
                     Value d = transformationDerivative(ib, t, x, in[2], 0.01);
                     return Value(arith::MulFOp::create(ib, in[0], d));
                   });
    SmallVector<Buf> dIns = {dCombined};
    if (off)
      dIns.push_back(offsetValue);
    kb.elementwise(dpre, dIns,
                   [&](ImplicitLocOpBuilder &ib, ValueRange in, Value) {
                     Value g = in[0];
                     if (in.size() > 1)
                       g = arith::MulFOp::create(ib, g, in[1]);
                     return g;
                   });
    if (off && layout.weights.lookup(off.getAttr()).learnable)
      kb.elementwise(MapProgram::weightView(kb, grads, layout, off.getAttr()),
                     {dCombined, pre},
                     [](ImplicitLocOpBuilder &ib, ValueRange in, Value o) {
                       Value g = arith::MulFOp::create(ib, in[0], in[1]);
                       return Value(arith::AddFOp::create(ib, o, g));
                     });
    kb.fill(pre, 1.0);
    (void)finishKernel(b, entry, success());
    return;
  }
  kb.elementwise(
      dpre,
      {kb.view(dvalues, offset, rows, cols), kb.view(acc, offset, rows, cols),
       kb.view(values, offset, rows, cols)},
      [&](ImplicitLocOpBuilder &ib, ValueRange in, Value) {
        Value d = transformationDerivative(ib, t, in[1], in[2], 0.01);
        return Value(arith::MulFOp::create(ib, in[0], d));
      });
  if (auto off = rel.getOffsetAttr())
    if (layout.weights.lookup(off.getAttr()).learnable)
      kb.accumulate(dpre,
                    MapProgram::weightView(kb, grads, layout, off.getAttr()));
  (void)finishKernel(b, entry, success());
}

/// SGD and Adam over the flat parameter arena, elementwise; `mask` is 1
/// for the elements of learnable weights the batch used. The arithmetic is
/// the reference optimizer's, operation for operation (no reassociation),
/// so both give the same bits.
void TemplateLowering::emitOptimizerSteps() {
  ImplicitLocOpBuilder b(templ.getLoc(), templ.getContext());
  MLIRContext *ctx = templ.getContext();
  AffineMap id = AffineMap::getMultiDimIdentityMap(1, ctx);
  auto cst = [&](ImplicitLocOpBuilder &ib, double v) {
    return arith::ConstantOp::create(ib, ib.getFloatAttr(f64, v));
  };

  // sgd_step(params, grads, mask, lr): p -= lr * g.
  {
    func::FuncOp fn = createKernel("sgd_step", {arena, arena, arena, f64}, b);
    Block *entry = &fn.front();
    Value params = entry->getArgument(0), grads = entry->getArgument(1),
          mask = entry->getArgument(2), lr = entry->getArgument(3);
    linalg::GenericOp::create(
        b, TypeRange{}, ValueRange{grads, mask}, ValueRange{params},
        SmallVector<AffineMap>(3, id),
        SmallVector<utils::IteratorType>{utils::IteratorType::parallel}, "", "",
        [&](OpBuilder &nested, Location loc, ValueRange args) {
          ImplicitLocOpBuilder ib(loc, nested);
          Value on = arith::CmpFOp::create(ib, arith::CmpFPredicate::ONE,
                                           args[1], cst(ib, 0.0));
          Value next = arith::SubFOp::create(
              ib, args[2], arith::MulFOp::create(ib, lr, args[0]));
          linalg::YieldOp::create(
              ib, ValueRange{arith::SelectOp::create(ib, on, next, args[2])});
        });
    func::ReturnOp::create(b);
  }
  // adam_step(params, grads, mask, m, v, lr, c1, c2), c1 = 1 - b1^t,
  // c2 = 1 - b2^t.
  {
    func::FuncOp fn = createKernel(
        "adam_step", {arena, arena, arena, arena, arena, f64, f64, f64}, b);
    Block *entry = &fn.front();
    Value params = entry->getArgument(0), grads = entry->getArgument(1),
          mask = entry->getArgument(2), m = entry->getArgument(3),
          v = entry->getArgument(4), lr = entry->getArgument(5),
          c1 = entry->getArgument(6), c2 = entry->getArgument(7);
    const double b1 = 0.9, b2 = 0.999, eps = 1e-8;
    linalg::GenericOp::create(
        b, TypeRange{}, ValueRange{grads, mask}, ValueRange{params, m, v},
        SmallVector<AffineMap>(5, id),
        SmallVector<utils::IteratorType>{utils::IteratorType::parallel}, "", "",
        [&](OpBuilder &nested, Location loc, ValueRange args) {
          ImplicitLocOpBuilder ib(loc, nested);
          Value g = args[0], p = args[2], mi = args[3], vi = args[4];
          Value on = arith::CmpFOp::create(ib, arith::CmpFPredicate::ONE,
                                           args[1], cst(ib, 0.0));
          auto mul = [&](Value x, Value y) {
            return Value(arith::MulFOp::create(ib, x, y));
          };
          auto add = [&](Value x, Value y) {
            return Value(arith::AddFOp::create(ib, x, y));
          };
          Value m2 = add(mul(cst(ib, b1), mi), mul(cst(ib, 1 - b1), g));
          Value v2 = add(mul(cst(ib, b2), vi), mul(mul(cst(ib, 1 - b2), g), g));
          Value mHat = arith::DivFOp::create(ib, m2, c1);
          Value vHat = arith::DivFOp::create(ib, v2, c2);
          Value denom = add(math::SqrtOp::create(ib, vHat), cst(ib, eps));
          Value p2 = arith::SubFOp::create(
              ib, p, arith::DivFOp::create(ib, mul(lr, mHat), denom));
          linalg::YieldOp::create(
              ib, ValueRange{arith::SelectOp::create(ib, on, p2, p),
                             arith::SelectOp::create(ib, on, m2, mi),
                             arith::SelectOp::create(ib, on, v2, vi)});
        });
    func::ReturnOp::create(b);
  }
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
  // Values with a gradient: derived atoms and facts valued by learnable
  // weights. A fact valued by a fixed weight (the 1/sqrt(d) of attention)
  // needs none: computing it would cost a dot product per substitution.
  for (RuleOp rule : templ.getRules())
    relationsWithGradient.insert(rule.getHeadAttr().getAttr());
  for (FactOp fact : templ.getBody().getOps<FactOp>())
    if (auto weight = fact.getWeightAttr();
        weight && layout.weights.lookup(weight.getAttr()).learnable)
      relationsWithGradient.insert(fact.getRelationAttr().getAttr());

  Stratification strata = computeStratification(templ);
  recursiveRelations.insert(strata.recursive.begin(), strata.recursive.end());
  // Each of their atoms gets one contribution, which the rule kernel
  // stores as the value instead of adding it to an accumulator that a
  // relation kernel copies over; it reads the value's gradient as the
  // contribution's: two passes over the relation's atoms per step fewer
  // (attention's N^2 weights among them).
  for (RelationOp rel : templ.getRelations())
    if (passesContributionsThrough(templ, rel, strata))
      passThrough.insert(rel.getSymNameAttr());
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
  emitOptimizerSteps();
  module->setAttr(prefix + ".parameters",
                  IntegerAttr::get(IntegerType::get(ctx, 64), layout.size));
  SmallVector<int32_t> tiling;
  for (RuleOp rule : rules) {
    ContractionForm form = tilingOf(rule);
    int32_t scalarMask = 0;
    for (int32_t position : form.scalars)
      scalarMask |= int32_t(1) << position;
    tiling.append({form.kind, form.vectorA, form.vectorB, scalarMask});
  }
  module->setAttr(prefix + ".rule_tiling", DenseI32ArrayAttr::get(ctx, tiling));
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
    if (failed(TemplateLowering(templ, module, prefix, reassociate).run()))
      return signalPassFailure();
    templ.erase();
  }
};
} // namespace
