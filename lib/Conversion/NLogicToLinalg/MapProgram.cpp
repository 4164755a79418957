//===- MapProgram.cpp - one substitution's value, forward and backward ----===//
//
// The semantics follow the reference runtime (lib/Runtime/Functions.cpp):
// NeuraLogic's weight multiplication (scale, elementwise, matrix product),
// combinations with single elements broadcast, products with single
// elements acting as scalar factors, max/min routing the gradient to the
// first input that wins.
//
//===----------------------------------------------------------------------===//

#include "MapProgram.h"
#include "Elementwise.h"

#include "nlogic/Dialect/NLogic/IR/ValueShape.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/SymbolTable.h"

#include <limits>

using namespace mlir;
using namespace mlir::nlogic;
using namespace mlir::nlogic::kernels;

static std::pair<int64_t, int64_t> shapeOf(Value v) {
  ValueShape s = ValueShape::fromType(v.getType());
  return {s.rows(), s.cols()};
}

static InFlightDiagnostic unsupported(Operation *op, const Twine &what) {
  return op->emitError() << "the compiled engine cannot lower " << what
                         << " yet (run it with --engine reference)";
}

LogicalResult MapProgram::checkSupported(RuleOp rule) {
  LogicalResult result = success();
  for (Operation &op : rule.getBodyBlock()) {
    for (Value r : op.getResults())
      if (!isa<TermType>(r.getType()) &&
          !ValueShape::fromType(r.getType()).isKnown()) {
        op.emitError() << "the compiled engine needs static shapes (run "
                          "nlogic-specialize-shapes first)";
        return failure();
      }
    if (auto comb = dyn_cast<CombineOp>(op)) {
      switch (comb.getKind()) {
      case Combination::sum:
      case Combination::avg:
      case Combination::elproduct:
      case Combination::product:
        break;
      case Combination::crosssum:
        // Inputs are indexed by their element: vectors and scalars.
        for (Value in : comb.getInputs())
          if (ValueShape::fromType(in.getType()).getRank() > 1 &&
              shapeOf(in).second != 1) {
            result = unsupported(&op, "a cross sum of matrices");
            break;
          }
        if (comb.getOffsetAttr())
          result = unsupported(&op, "a cross sum with an offset");
        break;
      case Combination::cossim:
        if (comb.getInputs().size() != 2 ||
            shapeOf(comb.getInputs()[0]) != shapeOf(comb.getInputs()[1]) ||
            comb.getOffsetAttr())
          result = unsupported(&op, "a cosine similarity of other than two "
                                    "equally shaped values");
        break;
      case Combination::concat: {
        SmallVector<std::pair<int64_t, int64_t>> shapes;
        bool anyMatrix = false;
        for (Value in : comb.getInputs()) {
          shapes.push_back(shapeOf(in));
          anyMatrix |= shapes.back().first > 1 && shapes.back().second > 1;
        }
        bool alongCols = anyMatrix && comb.getAxis().value_or(0) == 1;
        bool fits = !comb.getOffsetAttr() && !shapes.empty();
        for (auto [r, c] : shapes)
          fits &= alongCols ? r == shapes.front().first
                            : c == shapes.front().second;
        if (!fits)
          result = unsupported(&op, "a concatenation of values whose rows "
                                    "(or columns) do not line up");
        break;
      }
      case Combination::max:
      case Combination::min: {
        // The gradient is routed per element: inputs must not broadcast.
        auto [r, c] = shapeOf(comb.getResult());
        for (Value in : comb.getInputs())
          if (shapeOf(in) != std::make_pair(r, c)) {
            result = unsupported(&op, "max/min of differently shaped values");
            break;
          }
        if (comb.getOffsetAttr())
          result = unsupported(&op, "max/min with an offset");
        break;
      }
      default:
        result =
            unsupported(&op, "the '" + stringifyCombination(comb.getKind()) +
                                 "' combination");
      }
    } else if (auto tr = dyn_cast<TransformOp>(op)) {
      Transformation k = tr.getKind();
      if (!isElementwiseTransformation(k) && k != Transformation::transpose &&
          k != Transformation::softmax && k != Transformation::norm &&
          k != Transformation::slice)
        result =
            unsupported(&op, "the '" + stringifyTransformation(tr.getKind()) +
                                 "' transformation");
    }
  }
  return result;
}

Buf MapProgram::weightView(KernelBuilder &kb, Value arena,
                           const ParameterLayout &layout, StringAttr sym) {
  const ParameterLayout::Entry &e = layout.weights.lookup(sym);
  return kb.view(arena, e.offset, e.rows, e.cols);
}

int MapProgram::temp(int64_t rows, int64_t cols, ArrayRef<int> ins) {
  Slot s;
  s.value = kb.alloc(rows, cols);
  s.needsGradient =
      llvm::any_of(ins, [&](int i) { return slots[i].needsGradient; });
  return addSlot(std::move(s));
}

int MapProgram::weightSlot(StringAttr sym) {
  for (auto [i, s] : llvm::enumerate(slots))
    if (s.kind == SlotKind::Weight && s.weight == sym)
      return i;
  Slot s;
  s.kind = SlotKind::Weight;
  s.weight = sym;
  s.value = weightView(kb, arenas.params, layout, sym);
  s.needsGradient = layout.weights.lookup(sym).learnable;
  return addSlot(std::move(s));
}

static Value mulFn(ImplicitLocOpBuilder &b, ValueRange ins) {
  return arith::MulFOp::create(b, ins[0], ins[1]);
}

Buf MapProgram::weighForward(KernelBuilder &kb, const Buf &W, const Buf &X) {
  auto product = [](ImplicitLocOpBuilder &b, ValueRange ins, Value) {
    return mulFn(b, ins);
  };
  Buf out;
  if (W.isScalarLike()) {
    out = kb.alloc(X.logicalRows(), X.logicalCols());
    kb.elementwise(out, {X, W}, product);
  } else if (X.isScalarLike()) {
    out = kb.alloc(W.logicalRows(), W.logicalCols());
    kb.elementwise(out, {W, X}, product);
  } else if (W.logicalCols() == 1 && W.sameLogicalShape(X)) {
    out = kb.alloc(W.logicalRows(), 1);
    kb.elementwise(out, {W, X}, product);
  } else {
    out = kb.alloc(W.logicalRows(), X.logicalCols());
    kb.fill(out, 0.0);
    kb.matmulAcc(W, X, out);
  }
  return out;
}

/// out += product of factors; a scalar-like `out` sums over factors[0]'s
/// shape (the gradient of a broadcast single element).
static void accumulateProduct(KernelBuilder &kb, const Buf &out,
                              ArrayRef<Buf> factors) {
  auto fn = [](ImplicitLocOpBuilder &b, ValueRange in, Value o) {
    Value p = in[0];
    for (Value x : in.drop_front())
      p = arith::MulFOp::create(b, p, x);
    return Value(arith::AddFOp::create(b, o, p));
  };
  if (out.isScalarLike() && !factors.front().isScalarLike())
    kb.reduceAll(out, factors, fn);
  else
    kb.elementwise(out, factors, fn);
}

void MapProgram::weighBackward(KernelBuilder &kb, const Buf &W, const Buf &X,
                               const Buf &dY, const Buf &dW, const Buf &dX) {
  bool elementwise = !W.isScalarLike() && !X.isScalarLike() &&
                     W.logicalCols() == 1 && W.sameLogicalShape(X);
  if (W.isScalarLike() || X.isScalarLike() || elementwise) {
    if (dW)
      accumulateProduct(kb, dW, {dY, X});
    if (dX)
      accumulateProduct(kb, dX, {dY, W});
    return;
  }
  if (dW)
    kb.matmulAcc(dY, X.t(), dW);
  if (dX)
    kb.matmulAcc(W.t(), dY, dX);
}

int MapProgram::emitWeigh(int w, int x) {
  Slot s;
  s.value = weighForward(kb, slots[w].value, slots[x].value);
  s.needsGradient = slots[w].needsGradient || slots[x].needsGradient;
  int out = addSlot(std::move(s));
  tape.push_back(Step{StepKind::Weigh, {w, x}, out});
  return out;
}

int MapProgram::emitProduct2(int a, int b) {
  Buf A = slots[a].value, B = slots[b].value;
  auto product = [](ImplicitLocOpBuilder &ib, ValueRange ins, Value) {
    return mulFn(ib, ins);
  };
  int out;
  if (A.isScalarLike()) {
    out = temp(B.logicalRows(), B.logicalCols(), {a, b});
    kb.elementwise(slots[out].value, {B, A}, product);
  } else if (B.isScalarLike()) {
    out = temp(A.logicalRows(), A.logicalCols(), {a, b});
    kb.elementwise(slots[out].value, {A, B}, product);
  } else {
    out = temp(A.logicalRows(), B.logicalCols(), {a, b});
    kb.fill(slots[out].value, 0.0);
    kb.matmulAcc(A, B, slots[out].value);
  }
  tape.push_back(Step{StepKind::Product2, {a, b}, out});
  return out;
}

/// A 1x1 buffer holding `init`.
static Buf scalarBuf(KernelBuilder &kb, double init) {
  Buf b = kb.alloc(1, 1);
  kb.fill(b, init);
  return b;
}

static Value cst(ImplicitLocOpBuilder &b, Value like, double v) {
  return arith::ConstantOp::create(b, b.getFloatAttr(like.getType(), v));
}

int MapProgram::emitSoftmax(int in) {
  // y = exp(x - max x) / sum, over every element (as the reference).
  Buf x = slots[in].value;
  Buf max = scalarBuf(kb, -std::numeric_limits<double>::infinity());
  kb.reduceAll(max, {x}, [](ImplicitLocOpBuilder &b, ValueRange v, Value o) {
    Value gt = arith::CmpFOp::create(b, arith::CmpFPredicate::OGT, v[0], o);
    return Value(arith::SelectOp::create(b, gt, v[0], o));
  });
  int out = temp(x.logicalRows(), x.logicalCols(), {in});
  Buf y = slots[out].value;
  kb.elementwise(y, {x, max}, [](ImplicitLocOpBuilder &b, ValueRange v, Value) {
    return Value(math::ExpOp::create(b, arith::SubFOp::create(b, v[0], v[1])));
  });
  Buf z = scalarBuf(kb, 0.0);
  kb.accumulate(y, z);
  kb.elementwise(y, {z}, [](ImplicitLocOpBuilder &b, ValueRange v, Value o) {
    return Value(arith::DivFOp::create(b, o, v[0]));
  });
  tape.push_back(Step{StepKind::Softmax, {in}, out});
  return out;
}

/// Layer normalisation over every element: (x - mean) / sqrt(var + 1e-5),
/// as the reference's `norm`.
static constexpr double kNormEpsilon = 1e-5;

int MapProgram::emitNorm(int in) {
  Buf x = slots[in].value;
  double n = double(x.size());
  Buf mean = scalarBuf(kb, 0.0);
  kb.accumulate(x, mean);
  kb.elementwise(mean, {}, [n](ImplicitLocOpBuilder &b, ValueRange, Value o) {
    return Value(arith::DivFOp::create(b, o, cst(b, o, n)));
  });
  Buf sigma = scalarBuf(kb, 0.0);
  kb.reduceAll(
      sigma, {x, mean}, [](ImplicitLocOpBuilder &b, ValueRange v, Value o) {
        Value d = arith::SubFOp::create(b, v[0], v[1]);
        return Value(
            arith::AddFOp::create(b, o, arith::MulFOp::create(b, d, d)));
      });
  kb.elementwise(sigma, {}, [n](ImplicitLocOpBuilder &b, ValueRange, Value o) {
    Value var = arith::DivFOp::create(b, o, cst(b, o, n));
    return Value(math::SqrtOp::create(
        b, arith::AddFOp::create(b, var, cst(b, o, kNormEpsilon))));
  });
  int out = temp(x.logicalRows(), x.logicalCols(), {in});
  kb.elementwise(slots[out].value, {x, mean, sigma},
                 [](ImplicitLocOpBuilder &b, ValueRange v, Value) {
                   Value d = arith::SubFOp::create(b, v[0], v[1]);
                   return Value(arith::DivFOp::create(b, d, v[2]));
                 });
  Step step{StepKind::Norm, {in}, out};
  step.aux = sigma;
  tape.push_back(step);
  return out;
}

Buf MapProgram::concatBlock(const Buf &whole, ArrayRef<int> ins, size_t k,
                            bool alongCols) {
  int64_t offset = 0;
  for (size_t i = 0; i < k; ++i) {
    const Buf &b = slots[ins[i]].value;
    offset += alongCols ? b.logicalCols() : b.logicalRows();
  }
  const Buf &b = slots[ins[k]].value;
  return alongCols
             ? kb.subview(whole, 0, offset, b.logicalRows(), b.logicalCols())
             : kb.subview(whole, offset, 0, b.logicalRows(), b.logicalCols());
}

int MapProgram::emitConcat(CombineOp op, ArrayRef<int> ins) {
  // Vectors (and scalars) stack into one vector, matrices stack along
  // axis 0 (rows) or 1 (columns), as the reference's concat.
  bool anyMatrix = llvm::any_of(ins, [&](int i) {
    const Buf &b = slots[i].value;
    return b.logicalRows() > 1 && b.logicalCols() > 1;
  });
  bool alongCols = anyMatrix && op.getAxis().value_or(0) == 1;
  auto [rows, cols] = shapeOf(op.getResult());
  int out = temp(rows, cols, ins);
  for (size_t k = 0; k < ins.size(); ++k)
    kb.copy(slots[ins[k]].value,
            concatBlock(slots[out].value, ins, k, alongCols));
  Step step{StepKind::Concat, SmallVector<int>(ins.begin(), ins.end()), out};
  step.alongCols = alongCols;
  tape.push_back(step);
  return out;
}

void MapProgram::crossSumGeneric(ArrayRef<Buf> vectors, const Buf &whole,
                                 int gradOf, const Buf &grad) {
  // One loop per input; input j is read at (d_j, 0) of its storage (a
  // vector's element index, whichever way it is viewed) and the result at
  // the flattened index, the last input varying fastest.
  MLIRContext *ctx = kb.builder().getContext();
  unsigned k = vectors.size();
  AffineExpr zero = getAffineConstantExpr(0, ctx);
  AffineExpr flat = zero;
  for (unsigned j = 0; j < k; ++j)
    flat = flat * getAffineConstantExpr(vectors[j].size(), ctx) +
           getAffineDimExpr(j, ctx);
  SmallVector<AffineMap> maps;
  SmallVector<Value> ins;
  for (unsigned j = 0; j < k; ++j) {
    maps.push_back(AffineMap::get(k, 0, {getAffineDimExpr(j, ctx), zero}, ctx));
    ins.push_back(vectors[j].mem);
  }
  AffineMap flatMap = AffineMap::get(k, 0, {flat, zero}, ctx);
  ImplicitLocOpBuilder &b = kb.builder();
  if (gradOf < 0) {
    maps.push_back(flatMap);
    linalg::GenericOp::create(
        b, TypeRange{}, ins, ValueRange{whole.mem}, maps,
        SmallVector<utils::IteratorType>(k, utils::IteratorType::parallel), "",
        "", [&](OpBuilder &nested, Location loc, ValueRange args) {
          ImplicitLocOpBuilder ib(loc, nested);
          Value sum = args[k];
          for (unsigned j = 0; j < k; ++j)
            sum = arith::AddFOp::create(ib, sum, args[j]);
          linalg::YieldOp::create(ib, sum);
        });
    return;
  }
  // dx_j[d_j] += sum over the other loops of dy[flat].
  SmallVector<utils::IteratorType> iters(k, utils::IteratorType::reduction);
  iters[gradOf] = utils::IteratorType::parallel;
  // The inputs give the loop bounds; only dy is read.
  maps.push_back(flatMap);
  maps.push_back(maps[gradOf]);
  ins.push_back(whole.mem);
  linalg::GenericOp::create(
      b, TypeRange{}, ins, ValueRange{grad.mem}, maps, iters, "", "",
      [&](OpBuilder &nested, Location loc, ValueRange args) {
        ImplicitLocOpBuilder ib(loc, nested);
        linalg::YieldOp::create(
            ib, ValueRange{arith::AddFOp::create(ib, args[k + 1], args[k])});
      });
}

int MapProgram::emitCrossSum(ArrayRef<int> ins) {
  SmallVector<Buf> vectors;
  int64_t total = 1;
  for (int i : ins) {
    vectors.push_back(slots[i].value);
    total *= slots[i].value.size();
  }
  int out = temp(total, 1, ins);
  kb.fill(slots[out].value, 0.0);
  crossSumGeneric(vectors, slots[out].value, -1, Buf());
  tape.push_back(
      Step{StepKind::CrossSum, SmallVector<int>(ins.begin(), ins.end()), out});
  return out;
}

int MapProgram::emitCosSim(ArrayRef<int> ins) {
  // a.b / (|a| |b|), 0 when either vector is zero (as the reference).
  Buf a = slots[ins[0]].value, bv = slots[ins[1]].value;
  Buf aa = scalarBuf(kb, 0.0), bb = scalarBuf(kb, 0.0), ab = scalarBuf(kb, 0.0);
  accumulateProduct(kb, aa, {a, a});
  accumulateProduct(kb, bb, {bv, bv});
  accumulateProduct(kb, ab, {a, bv});
  int out = temp(1, 1, ins);
  kb.elementwise(slots[out].value, {aa, bb, ab},
                 [](ImplicitLocOpBuilder &b, ValueRange v, Value) {
                   Value denom =
                       arith::MulFOp::create(b, math::SqrtOp::create(b, v[0]),
                                             math::SqrtOp::create(b, v[1]));
                   Value positive = arith::CmpFOp::create(
                       b, arith::CmpFPredicate::OGT, denom, cst(b, denom, 0));
                   return Value(arith::SelectOp::create(
                       b, positive, arith::DivFOp::create(b, v[2], denom),
                       cst(b, denom, 0)));
                 });
  Step step{StepKind::CosSim, SmallVector<int>(ins.begin(), ins.end()), out};
  step.aux = aa;
  step.aux2 = bb;
  tape.push_back(step);
  return out;
}

FailureOr<int> MapProgram::emitOp(Operation &op) {
  auto bufs = [&](ArrayRef<int> ids) {
    SmallVector<Buf> v;
    for (int i : ids)
      v.push_back(slots[i].value);
    return v;
  };
  if (auto weigh = dyn_cast<WeighOp>(op)) {
    int w = weightSlot(weigh.getWeightAttr().getAttr());
    int x = slotOf.lookup(weigh.getInput());
    auto it = precomputed.find(&op);
    if (it == precomputed.end())
      return emitWeigh(w, x);
    Slot s;
    s.value = it->second.first;
    s.needsGradient = slots[w].needsGradient || slots[x].needsGradient;
    int out = addSlot(std::move(s));
    Step step(StepKind::Weigh, {w, x}, out);
    step.deferred = it->second.second;
    tape.push_back(step);
    return out;
  }

  if (auto comb = dyn_cast<CombineOp>(op)) {
    SmallVector<int> ins;
    if (auto off = comb.getOffsetAttr())
      ins.push_back(weightSlot(off.getAttr()));
    for (Value in : comb.getInputs())
      ins.push_back(slotOf.lookup(in));
    // Every supported combination of one value is that value.
    if (ins.size() == 1)
      return ins.front();
    if (comb.getKind() == Combination::concat)
      return emitConcat(comb, ins);
    if (comb.getKind() == Combination::crosssum)
      return emitCrossSum(ins);
    if (comb.getKind() == Combination::cossim)
      return emitCosSim(ins);
    auto [rows, cols] = shapeOf(comb.getResult());
    Combination kind = comb.getKind();
    if (kind == Combination::product) {
      // Scalars commute with matrix products: when sums may reassociate,
      // multiply them in last, so that `s * k^T * q` is one dot product
      // and one multiplication (and its gradient with respect to s the
      // dot product, kept) instead of a scaled copy of k first.
      // (Two passes, not std::stable_partition, whose temporary buffer
      // libstdc++ allocates through the deprecated get_temporary_buffer.)
      if (kb.reassociates()) {
        SmallVector<int> reordered;
        for (bool scalars : {false, true})
          for (int i : ins)
            if (slots[i].value.isScalarLike() == scalars)
              reordered.push_back(i);
        ins.assign(reordered.begin(), reordered.end());
      }
      int acc = ins.front();
      for (int in : ArrayRef<int>(ins).drop_front())
        acc = emitProduct2(acc, in);
      return acc;
    }
    int out = temp(rows, cols, ins);
    Buf o = slots[out].value;
    Step step{StepKind::Sum, ins, out};
    switch (kind) {
    case Combination::sum:
    case Combination::avg: {
      double scale = kind == Combination::avg ? 1.0 / ins.size() : 1.0;
      step.scale = scale;
      kb.elementwise(o, bufs(ins),
                     [&](ImplicitLocOpBuilder &b, ValueRange in, Value) {
                       Value s = in[0];
                       for (Value v : in.drop_front())
                         s = arith::AddFOp::create(b, s, v);
                       if (scale != 1.0)
                         s = arith::MulFOp::create(
                             b, s,
                             arith::ConstantOp::create(
                                 b, b.getFloatAttr(s.getType(), scale)));
                       return s;
                     });
      break;
    }
    case Combination::elproduct:
      step.kind = StepKind::ElProduct;
      kb.elementwise(o, bufs(ins),
                     [](ImplicitLocOpBuilder &b, ValueRange in, Value) {
                       Value p = in[0];
                       for (Value v : in.drop_front())
                         p = arith::MulFOp::create(b, p, v);
                       return p;
                     });
      break;
    case Combination::max:
    case Combination::min: {
      step.kind = StepKind::Extreme;
      bool isMax = kind == Combination::max;
      step.isMax = isMax;
      kb.elementwise(
          o, bufs(ins), [&](ImplicitLocOpBuilder &b, ValueRange in, Value) {
            Value best = in[0];
            for (Value v : in.drop_front()) {
              Value better = arith::CmpFOp::create(
                  b,
                  isMax ? arith::CmpFPredicate::OGT : arith::CmpFPredicate::OLT,
                  v, best);
              best = arith::SelectOp::create(b, better, v, best);
            }
            return best;
          });
      break;
    }
    default:
      llvm_unreachable("checked by checkSupported");
    }
    tape.push_back(step);
    return out;
  }

  if (auto tr = dyn_cast<TransformOp>(op)) {
    int in = slotOf.lookup(tr.getInput());
    if (tr.getKind() == Transformation::identity)
      return in;
    if (tr.getKind() == Transformation::transpose) {
      Slot s;
      s.value = slots[in].value.t();
      s.aliasOf = in;
      s.needsGradient = slots[in].needsGradient;
      return addSlot(std::move(s));
    }
    if (tr.getKind() == Transformation::slice) {
      // A view of the block: no copy forward, and backward the gradient
      // lands in the same block of the input's gradient.
      const Buf &x = slots[in].value;
      ArrayRef<int64_t> rows = *tr.getRows();
      SmallVector<int64_t> cols = {0, x.logicalCols()};
      if (auto c = tr.getCols())
        cols.assign(c->begin(), c->end());
      std::array<int64_t, 4> block = {rows[0], cols[0], rows[1] - rows[0],
                                      cols[1] - cols[0]};
      Slot s;
      s.value = kb.subview(x, block[0], block[1], block[2], block[3]);
      s.aliasOf = in;
      s.sliceOf = block;
      s.needsGradient = slots[in].needsGradient;
      return addSlot(std::move(s));
    }
    if (tr.getKind() == Transformation::softmax)
      return emitSoftmax(in);
    if (tr.getKind() == Transformation::norm)
      return emitNorm(in);
    Buf x = slots[in].value;
    int out = temp(x.logicalRows(), x.logicalCols(), {in});
    Transformation kind = tr.getKind();
    double alpha = tr.getAlpha() ? tr.getAlpha()->convertToDouble() : 0.01;
    kb.elementwise(slots[out].value, {x},
                   [&](ImplicitLocOpBuilder &b, ValueRange v, Value) {
                     return applyTransformation(b, kind, v[0], alpha);
                   });
    Step step{StepKind::Transform, {in}, out};
    step.transformation = kind;
    step.alpha = alpha;
    tape.push_back(step);
    return out;
  }
  llvm_unreachable("not a map op");
}

FailureOr<Buf> MapProgram::emitForward(ArrayRef<Value> atomOffsets) {
  slots.clear();
  tape.clear();
  slotOf.clear();
  unsigned k = 0;
  for (Operation &op : rule.getBodyBlock()) {
    if (auto atom = dyn_cast<AtomOp>(op)) {
      auto [rows, cols] = shapeOf(atom.getResult());
      bool t = atom.getTransposed();
      Slot s;
      s.kind = SlotKind::Atom;
      s.atomOffset = atomOffsets[k++];
      s.value = kb.view(arenas.values, s.atomOffset, t ? cols : rows,
                        t ? rows : cols);
      if (t)
        s.value = s.value.t();
      s.needsGradient =
          relationsWithGradient.contains(atom.getRelationAttr().getAttr());
      slotOf[atom.getResult()] = addSlot(std::move(s));
      continue;
    }
    if (auto head = dyn_cast<HeadOp>(op)) {
      result = slotOf.lookup(head.getValue());
      return slots[result].value;
    }
    if (!isa<WeighOp, CombineOp, TransformOp>(op))
      continue; // joins only: constraints, negations, terms
    FailureOr<int> id = emitOp(op);
    if (failed(id))
      return failure();
    const Buf &v = slots[*id].value;
    auto [rows, cols] = shapeOf(op.getResult(0));
    if (v.logicalRows() != rows || v.logicalCols() != cols)
      return op.emitError() << "internal error: computed a " << v.logicalRows()
                            << "x" << v.logicalCols() << " value for a " << rows
                            << "x" << cols << " result";
    slotOf[op.getResult(0)] = *id;
  }
  return rule.emitError("rule body without nlogic.head");
}

bool MapProgram::resultNeedsGradient() const {
  return result >= 0 && slots[result].needsGradient;
}

void MapProgram::emitBackward(const Buf &dResult) {
  // The result's gradient is dResult itself when the result is a plain
  // intermediate no step reads: steps only accumulate into their inputs'
  // gradients, so nothing writes it, and a zeroed copy would be wasted
  // work per substitution.
  bool resultIsInput =
      llvm::any_of(tape,
                   [&](const Step &step) {
                     return llvm::is_contained(step.ins, result);
                   }) ||
      llvm::any_of(slots, [&](const Slot &s) { return s.aliasOf == result; });
  bool gradIsDResult = resultNeedsGradient() && !resultIsInput &&
                       slots[result].kind == SlotKind::Temp &&
                       slots[result].aliasOf < 0 && !dResult.transposed &&
                       !slots[result].value.transposed &&
                       slots[result].value.rows == dResult.rows &&
                       slots[result].value.cols == dResult.cols;
  // Gradient buffers: arena views for atoms and weights, zeroed stack
  // buffers for intermediate values, shared storage for aliases.
  for (auto [id, s] : llvm::enumerate(slots)) {
    if (!s.needsGradient)
      continue;
    if (gradIsDResult && static_cast<int>(id) == result) {
      s.grad = dResult;
      continue;
    }
    switch (s.kind) {
    case SlotKind::Atom:
      s.grad =
          kb.view(arenas.dvalues, s.atomOffset, s.value.rows, s.value.cols);
      s.grad.transposed = s.value.transposed;
      break;
    case SlotKind::Weight:
      s.grad = weightView(kb, arenas.grads, layout, s.weight);
      break;
    case SlotKind::Temp:
      if (s.aliasOf >= 0 && s.sliceOf) {
        auto [r0, c0, rows, cols] = *s.sliceOf;
        s.grad = kb.subview(slots[s.aliasOf].grad, r0, c0, rows, cols);
      } else if (s.aliasOf >= 0) {
        s.grad = slots[s.aliasOf].grad.t();
      } else {
        s.grad = kb.alloc(s.value.rows, s.value.cols);
        kb.fill(s.grad, 0.0);
      }
      break;
    }
  }
  if (!resultNeedsGradient())
    return;
  if (!gradIsDResult)
    kb.accumulate(dResult, slots[result].grad);
  for (const Step &step : llvm::reverse(tape))
    if (slots[step.out].needsGradient)
      backwardStep(step);
}

/// Body helpers: out + x * y, and out + x * y * z ...
static Value addProduct(ImplicitLocOpBuilder &b, Value out, ValueRange xs) {
  Value p = xs[0];
  for (Value x : xs.drop_front())
    p = arith::MulFOp::create(b, p, x);
  return arith::AddFOp::create(b, out, p);
}

void MapProgram::backwardStep(const Step &step) {
  Buf dy = slots[step.out].grad;
  Buf y = slots[step.out].value;
  auto needs = [&](int i) { return slots[i].needsGradient; };
  auto val = [&](int i) { return slots[i].value; };
  auto grad = [&](int i) { return slots[i].grad; };

  switch (step.kind) {
  case StepKind::Weigh:
    if (step.deferred) {
      kb.accumulate(dy, step.deferred);
      return;
    }
    weighBackward(kb, val(step.ins[0]), val(step.ins[1]), dy,
                  needs(step.ins[0]) ? grad(step.ins[0]) : Buf(),
                  needs(step.ins[1]) ? grad(step.ins[1]) : Buf());
    return;
  case StepKind::Product2: {
    // A product of two values is a weighing without the elementwise case.
    int a = step.ins[0], b = step.ins[1];
    Buf A = val(a), B = val(b);
    if (A.isScalarLike() || B.isScalarLike()) {
      if (needs(a))
        accumulateProduct(kb, grad(a), {dy, B});
      if (needs(b))
        accumulateProduct(kb, grad(b), {dy, A});
    } else {
      if (needs(a))
        kb.matmulAcc(dy, B.t(), grad(a));
      if (needs(b))
        kb.matmulAcc(A.t(), dy, grad(b));
    }
    return;
  }
  case StepKind::Sum: {
    double scale = step.scale;
    for (int i : step.ins) {
      if (!needs(i))
        continue;
      auto fn = [scale](ImplicitLocOpBuilder &b, ValueRange in, Value o) {
        Value d = in[0];
        if (scale != 1.0)
          d = arith::MulFOp::create(
              b, d,
              arith::ConstantOp::create(b, b.getFloatAttr(d.getType(), scale)));
        return Value(arith::AddFOp::create(b, o, d));
      };
      Buf g = grad(i);
      if (g.isScalarLike() && !dy.isScalarLike())
        kb.reduceAll(g, {dy}, fn);
      else
        kb.elementwise(g, {dy}, fn);
    }
    return;
  }
  case StepKind::ElProduct: {
    for (auto [k, i] : llvm::enumerate(step.ins)) {
      if (!needs(i))
        continue;
      SmallVector<Buf> factors = {dy};
      for (auto [j, other] : llvm::enumerate(step.ins))
        if (j != k)
          factors.push_back(val(other));
      accumulateProduct(kb, grad(i), factors);
    }
    return;
  }
  case StepKind::Extreme: {
    SmallVector<Buf> ins = {dy};
    for (int i : step.ins)
      ins.push_back(val(i));
    SmallVector<Buf> outs;
    SmallVector<unsigned> outIndex;
    for (auto [k, i] : llvm::enumerate(step.ins))
      if (needs(i)) {
        outs.push_back(grad(i));
        outIndex.push_back(k);
      }
    bool isMax = step.isMax;
    kb.genericMulti(
        outs, ins, [&](ImplicitLocOpBuilder &b, ValueRange in, ValueRange o) {
          // Index of the first input holding the extreme.
          Value best = in[1];
          Value bestIndex = arith::ConstantIndexOp::create(b, 0);
          for (unsigned j = 2; j < in.size(); ++j) {
            Value better = arith::CmpFOp::create(
                b,
                isMax ? arith::CmpFPredicate::OGT : arith::CmpFPredicate::OLT,
                in[j], best);
            best = arith::SelectOp::create(b, better, in[j], best);
            bestIndex = arith::SelectOp::create(
                b, better, arith::ConstantIndexOp::create(b, j - 1), bestIndex);
          }
          Value zero = arith::ConstantOp::create(
              b, b.getFloatAttr(in[0].getType(), 0.0));
          SmallVector<Value> results;
          for (auto [n, k] : llvm::enumerate(outIndex)) {
            Value won =
                arith::CmpIOp::create(b, arith::CmpIPredicate::eq, bestIndex,
                                      arith::ConstantIndexOp::create(b, k));
            Value d = arith::SelectOp::create(b, won, in[0], zero);
            results.push_back(arith::AddFOp::create(b, o[n], d));
          }
          return results;
        });
    return;
  }
  case StepKind::Softmax: {
    // dx += y * (dy - <y, dy>).
    int x = step.ins[0];
    if (!needs(x))
      return;
    Buf s = scalarBuf(kb, 0.0);
    accumulateProduct(kb, s, {y, dy});
    kb.elementwise(grad(x), {y, dy, s},
                   [](ImplicitLocOpBuilder &b, ValueRange v, Value o) {
                     Value d = arith::SubFOp::create(b, v[1], v[2]);
                     return addProduct(b, o, {v[0], d});
                   });
    return;
  }
  case StepKind::Norm: {
    // dx += (dy - mean(dy) - y * mean(dy * y)) / sigma.
    int x = step.ins[0];
    if (!needs(x))
      return;
    double n = double(y.size());
    Buf meanDy = scalarBuf(kb, 0.0), meanDyY = scalarBuf(kb, 0.0);
    kb.accumulate(dy, meanDy);
    accumulateProduct(kb, meanDyY, {dy, y});
    for (const Buf &m : {meanDy, meanDyY})
      kb.elementwise(m, {}, [n](ImplicitLocOpBuilder &b, ValueRange, Value o) {
        return Value(arith::DivFOp::create(b, o, cst(b, o, n)));
      });
    kb.elementwise(
        grad(x), {dy, y, meanDy, meanDyY, step.aux},
        [](ImplicitLocOpBuilder &b, ValueRange v, Value o) {
          Value d = arith::SubFOp::create(b, v[0], v[2]);
          d = arith::SubFOp::create(b, d, arith::MulFOp::create(b, v[1], v[3]));
          return Value(
              arith::AddFOp::create(b, o, arith::DivFOp::create(b, d, v[4])));
        });
    return;
  }
  case StepKind::CrossSum: {
    SmallVector<Buf> vectors;
    for (int i : step.ins)
      vectors.push_back(val(i));
    for (auto [j, i] : llvm::enumerate(step.ins))
      if (needs(i))
        crossSumGeneric(vectors, dy, j, grad(i));
    return;
  }
  case StepKind::CosSim: {
    // d a += g (b / (|a||b|) - y a / a.a), symmetrically for b.
    for (int side = 0; side < 2; ++side) {
      int self = step.ins[side], other = step.ins[1 - side];
      if (!needs(self))
        continue;
      Buf selfSq = side == 0 ? step.aux : step.aux2;
      Buf otherSq = side == 0 ? step.aux2 : step.aux;
      kb.elementwise(
          grad(self), {val(self), val(other), selfSq, otherSq, y, dy},
          [](ImplicitLocOpBuilder &b, ValueRange v, Value o) {
            Value denom =
                arith::MulFOp::create(b, math::SqrtOp::create(b, v[2]),
                                      math::SqrtOp::create(b, v[3]));
            Value positive = arith::CmpFOp::create(b, arith::CmpFPredicate::OGT,
                                                   denom, cst(b, denom, 0));
            Value t1 = arith::DivFOp::create(b, v[1], denom);
            Value t2 = arith::DivFOp::create(
                b, arith::MulFOp::create(b, v[4], v[0]), v[2]);
            Value d = arith::MulFOp::create(b, v[5],
                                            arith::SubFOp::create(b, t1, t2));
            Value add = arith::AddFOp::create(b, o, d);
            return Value(arith::SelectOp::create(b, positive, add, o));
          });
    }
    return;
  }
  case StepKind::Concat: {
    for (size_t k = 0; k < step.ins.size(); ++k)
      if (needs(step.ins[k]))
        kb.accumulate(concatBlock(dy, step.ins, k, step.alongCols),
                      grad(step.ins[k]));
    return;
  }
  case StepKind::Transform: {
    int x = step.ins[0];
    if (!needs(x))
      return;
    Transformation kind = step.transformation;
    double alpha = step.alpha;
    kb.elementwise(grad(x), {dy, val(x), y},
                   [&](ImplicitLocOpBuilder &b, ValueRange in, Value o) {
                     Value d =
                         transformationDerivative(b, kind, in[1], in[2], alpha);
                     return addProduct(b, o, {in[0], d});
                   });
    return;
  }
  }
}
