//===- WeighWindows.cpp - a rule body's `W x(I)` for many rows at once ----===//

#include "WeighWindows.h"
#include "RowProducts.h"

#include "nlogic/Dialect/NLogic/IR/ValueShape.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace mlir::nlogic;
using namespace mlir::nlogic::kernels;

/// Rows of a window, at most; four rows are one register block.
static constexpr int64_t kMaxWindowRows = 32;
/// The windows' stack buffers of a kernel, at most (96 KiB of f64; W's
/// transposed copies have their own budget in KernelBuilder).
static constexpr int64_t kWindowElements = 12 * 1024;

WeighWindows::WeighWindows(
    KernelBuilder &kb, RuleOp rule, const ParameterLayout &layout,
    const llvm::DenseSet<StringAttr> &relationsWithGradient,
    const WindowArgs &args, bool backward)
    : kb(kb), b(kb.builder()), args(args), backward(backward),
      computesProducts(!backward || backwardReadsProducts(rule)) {
  llvm::DenseMap<Value, int32_t> positions;
  for (Operation &op : rule.getBodyBlock()) {
    if (auto atom = dyn_cast<AtomOp>(op)) {
      int32_t k = positions.size();
      positions[atom.getResult()] = k;
      continue;
    }
    auto weigh = dyn_cast<WeighOp>(op);
    if (!weigh)
      continue;
    auto atom = weigh.getInput().getDefiningOp<AtomOp>();
    if (!atom || atom.getTransposed())
      continue;
    ValueShape x = ValueShape::fromType(atom.getResult().getType());
    ParameterLayout::Entry w =
        layout.weights.lookup(weigh.getWeightAttr().getAttr());
    if (x.cols() != 1 || x.rows() < 2 || w.rows < 2 || w.cols != x.rows())
      continue;
    Weighing weighing;
    weighing.op = weigh;
    weighing.position = positions.lookup(atom.getResult());
    weighing.rows = w.rows;
    weighing.cols = w.cols;
    weighing.weightOffset = w.offset;
    weighing.weightLearns = w.learnable;
    weighing.atomNeedsGradient =
        relationsWithGradient.contains(atom.getRelationAttr().getAttr());
    weighings.push_back(weighing);
  }
}

bool WeighWindows::backwardReadsProducts(RuleOp rule) {
  Aggregation aggregation = rule.getAggregation().value_or(Aggregation::sum);
  if (rule.getWeightAttr() ||
      (aggregation != Aggregation::sum && aggregation != Aggregation::avg))
    return true;
  // A relation that multiplies its rules' contributions multiplies this
  // rule's back in during backward: it needs the value.
  auto head = SymbolTable::lookupNearestSymbolFrom<RelationOp>(
      rule, rule.getHeadAttr());
  if (!head || head.multipliesContributions())
    return true;
  for (Operation &op : rule.getBodyBlock()) {
    if (auto combine = dyn_cast<CombineOp>(op)) {
      if (combine.getKind() != Combination::sum)
        return true;
    } else if (auto transform = dyn_cast<TransformOp>(op)) {
      if (transform.getKind() != Transformation::identity)
        return true;
    } else if (auto weigh = dyn_cast<WeighOp>(op)) {
      // A weighing of anything but an atom (say, of a windowed product)
      // computes its weight's gradient from its input's value.
      if (!weigh.getInput().getDefiningOp<AtomOp>())
        return true;
    } else if (!isa<AtomOp, HeadOp, ConstrainOp, ConstantOp, ArithOp>(op)) {
      return true;
    }
  }
  return false;
}

Value WeighWindows::add(Value x, Value y) {
  return arith::AddIOp::create(b, x, y);
}

Value WeighWindows::mul(Value x, Value y) {
  return arith::MulIOp::create(b, x, y);
}

Value WeighWindows::endOfRows(Value n, bool groupsOfSegments) {
  auto maxEnd = [&](Value lo, Value hi, Value init) {
    return kb.forLoop(lo, hi, 1, init, [&](Value s, ValueRange end) {
      Value segmentEnd =
          kb.loadIndex(args.segments, add(mul(s, idx(4)), idx(1)));
      return SmallVector<Value>{arith::MaxUIOp::create(b, segmentEnd, end[0])};
    })[0];
  };
  if (!groupsOfSegments)
    return maxEnd(idx(0), n, idx(0));
  return kb.forLoop(idx(0), n, 1, idx(0), [&](Value group, ValueRange end) {
    Value g = mul(group, idx(2));
    return SmallVector<Value>{maxEnd(kb.loadIndex(args.groups, g),
                                     kb.loadIndex(args.groups, add(g, idx(1))),
                                     end[0])};
  })[0];
}

void WeighWindows::begin(Value n, bool groupsOfSegments) {
  auto rowsFor = [&]() -> int64_t {
    int64_t perRow = 0;
    for (const Weighing &w : weighings)
      perRow += w.cols + w.rows + (backward && w.needsGradient() ? w.rows : 0);
    return perRow ? std::min(kMaxWindowRows, kWindowElements / perRow) / 4 * 4
                  : 0;
  };
  // Windows of fewer than four rows are not worth it: checked before W's
  // copies are made, which would otherwise take others' stack budget.
  if (rowsFor() < 4) {
    weighings.clear();
    return;
  }
  // Only weighings whose W fits the transposed copies' budget.
  // (A backward kernel that does not recompute the products needs none.)
  if (computesProducts)
    llvm::erase_if(weighings, [&](Weighing &w) {
      Buf weight = kb.view(args.arenas.params, w.weightOffset, w.rows, w.cols);
      Buf t = kb.transposedAtEntry(weight);
      w.wT = t.mem;
      return !t;
    });
  windowRows = rowsFor();
  if (windowRows < 4) {
    weighings.clear();
    return;
  }
  Type f64 = kb.getElementType();
  for (Weighing &w : weighings) {
    w.x = kb.allocAtEntry(MemRefType::get({windowRows * w.cols}, f64));
    w.y = kb.allocAtEntry(MemRefType::get({windowRows * w.rows}, f64));
    w.atoms = kb.allocAtEntry(MemRefType::get({windowRows}, b.getIndexType()));
    if (backward && w.needsGradient())
      w.dy = kb.allocAtEntry(MemRefType::get({windowRows * w.rows}, f64));
  }
  bounds = kb.allocAtEntry(MemRefType::get({2}, b.getIndexType()));
  memref::StoreOp::create(b, idx(0), bounds, ValueRange{idx(0)});
  memref::StoreOp::create(b, idx(0), bounds, ValueRange{idx(1)});
  rowsEnd = endOfRows(n, groupsOfSegments);
}

void WeighWindows::fill(Value first, Value count) {
  for (Weighing &w : weighings) {
    kb.forLoop(idx(0), count, 1, [&](Value i) {
      Value row = add(first, i);
      Value offset = kb.loadIndex(
          args.table, add(mul(row, idx(args.numAtoms)), idx(w.position)));
      memref::StoreOp::create(b, offset, w.atoms, ValueRange{i});
      kb.copy(kb.view(args.arenas.values, offset, w.cols, 1),
              kb.view(w.x, mul(i, idx(w.cols)), w.cols, 1));
    });
    // Y(i, :) = sum_k X(i, k) W^T(k, :)
    RowProductOperands ops;
    ops.a = [&](Value i, Value k) {
      return Value(memref::LoadOp::create(
          b, w.x, ValueRange{add(mul(i, idx(w.cols)), k)}));
    };
    ops.b = w.wT;
    ops.bAt = [](Value k, Value c) { return SmallVector<Value>{k, c}; };
    ops.c = w.y;
    ops.cAt = [&](Value i, Value c) {
      return SmallVector<Value>{add(mul(i, idx(w.rows)), c)};
    };
    // The backward pass replays the body on Y without using the result
    // where no step's gradient depends on a value: zeros will do.
    if (computesProducts)
      emitRowProducts(kb, count, idx(w.cols), w.rows, ops,
                      /*accumulate=*/false);
    else
      kb.fill(kb.view(w.y, 0, windowRows, w.rows), 0.0);
    if (w.dy)
      kb.fill(kb.view(w.dy, 0, windowRows, w.rows), 0.0);
  }
}

void WeighWindows::flush(Value count) {
  for (Weighing &w : weighings) {
    if (!w.dy)
      continue;
    auto dyAt = [&](Value i, Value h) {
      return Value(memref::LoadOp::create(
          b, w.dy, ValueRange{add(mul(i, idx(w.rows)), h)}));
    };
    auto weightAt = [&](Value h, Value c) {
      return SmallVector<Value>{
          add(idx(w.weightOffset), add(mul(h, idx(w.cols)), c))};
    };
    auto xAt = [&](Value i, Value c) {
      return SmallVector<Value>{add(mul(i, idx(w.cols)), c)};
    };
    if (w.weightLearns) {
      // dW(h, :) += sum_i dY(i, h) X(i, :)
      RowProductOperands ops;
      ops.a = [&](Value h, Value i) { return dyAt(i, h); };
      ops.b = w.x;
      ops.bAt = xAt;
      ops.c = args.arenas.grads;
      ops.cAt = weightAt;
      emitRowProducts(kb, idx(w.rows), count, w.cols, ops, /*accumulate=*/true);
    }
    if (!w.atomNeedsGradient)
      continue;
    // dX(i, :) = sum_h dY(i, h) W(h, :), into X's rows (no longer needed),
    // then added to the atoms' gradients row by row.
    RowProductOperands ops;
    ops.a = dyAt;
    ops.b = args.arenas.params;
    ops.bAt = weightAt;
    ops.c = w.x;
    ops.cAt = xAt;
    emitRowProducts(kb, count, idx(w.rows), w.cols, ops, /*accumulate=*/false);
    kb.forLoop(idx(0), count, 1, [&](Value i) {
      Value offset = memref::LoadOp::create(b, w.atoms, ValueRange{i});
      kb.accumulate(kb.view(w.x, mul(i, idx(w.cols)), w.cols, 1),
                    kb.view(args.arenas.dvalues, offset, w.cols, 1));
    });
  }
}

void WeighWindows::enter(Value row, MapProgram &map) {
  Value first = memref::LoadOp::create(b, bounds, ValueRange{idx(0)});
  Value end = memref::LoadOp::create(b, bounds, ValueRange{idx(1)});
  Value outside = arith::OrIOp::create(
      b, arith::CmpIOp::create(b, arith::CmpIPredicate::ult, row, first),
      arith::CmpIOp::create(b, arith::CmpIPredicate::uge, row, end));
  auto move = scf::IfOp::create(b, outside, /*withElseRegion=*/false);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(move.thenBlock()->getTerminator());
    if (backward)
      flush(arith::SubIOp::create(b, end, first));
    Value newEnd =
        arith::MinUIOp::create(b, add(row, idx(windowRows)), rowsEnd);
    fill(row, arith::SubIOp::create(b, newEnd, row));
    memref::StoreOp::create(b, row, bounds, ValueRange{idx(0)});
    memref::StoreOp::create(b, newEnd, bounds, ValueRange{idx(1)});
  }
  Value i = arith::SubIOp::create(
      b, row, memref::LoadOp::create(b, bounds, ValueRange{idx(0)}));
  for (Weighing &w : weighings) {
    Value at = mul(i, idx(w.rows));
    map.usePrecomputedWeigh(w.op, kb.view(w.y, at, w.rows, 1),
                            w.dy ? kb.view(w.dy, at, w.rows, 1) : Buf());
  }
}

void WeighWindows::finish() {
  if (!backward)
    return;
  Value first = memref::LoadOp::create(b, bounds, ValueRange{idx(0)});
  Value end = memref::LoadOp::create(b, bounds, ValueRange{idx(1)});
  flush(arith::SubIOp::create(b, end, first));
}
