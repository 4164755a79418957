//===- KernelBuilder.cpp - small-tensor linalg building blocks ------------===//

#include "KernelBuilder.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace mlir::nlogic::kernels;

Buf KernelBuilder::alloc(int64_t rows, int64_t cols) {
  return Buf{allocAtEntry(MemRefType::get({rows, cols}, elementType)), rows,
             cols};
}

Value KernelBuilder::allocAtEntry(MemRefType type) {
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(entry);
  return memref::AllocaOp::create(b, type);
}

static MemRefType viewType(Type elementType, int64_t rows, int64_t cols,
                           int64_t offset) {
  auto layout =
      StridedLayoutAttr::get(elementType.getContext(), offset, {cols, 1});
  return MemRefType::get({rows, cols}, elementType, layout);
}

Buf KernelBuilder::view(Value arena, Value offset, int64_t rows, int64_t cols) {
  auto type = viewType(elementType, rows, cols, ShapedType::kDynamic);
  Value v = memref::ReinterpretCastOp::create(
      b, type, arena, OpFoldResult(offset),
      {b.getIndexAttr(rows), b.getIndexAttr(cols)},
      {b.getIndexAttr(cols), b.getIndexAttr(1)});
  return Buf{v, rows, cols};
}

Buf KernelBuilder::view(Value arena, int64_t staticOffset, int64_t rows,
                        int64_t cols) {
  auto type = viewType(elementType, rows, cols, staticOffset);
  Value v = memref::ReinterpretCastOp::create(
      b, type, arena, OpFoldResult(b.getIndexAttr(staticOffset)),
      {b.getIndexAttr(rows), b.getIndexAttr(cols)},
      {b.getIndexAttr(cols), b.getIndexAttr(1)});
  return Buf{v, rows, cols};
}

Buf KernelBuilder::transposedAtEntry(const Buf &m) {
  // At most 16K elements (128 KiB of f64) of copies per kernel keeps
  // kernels far from any thread's stack limit.
  constexpr int64_t kMaxElements = 16 * 1024;
  auto cast = m.mem.getDefiningOp<memref::ReinterpretCastOp>();
  auto arena = cast ? dyn_cast<BlockArgument>(cast.getSource()) : nullptr;
  if (!arena || arena.getOwner() != entry ||
      cast.getStaticOffsets().size() != 1 ||
      ShapedType::isDynamic(cast.getStaticOffsets()[0]))
    return {};
  int64_t offset = cast.getStaticOffsets()[0];
  auto key =
      std::make_tuple(arena.getAsOpaquePointer(), offset, m.rows, m.cols);
  if (auto it = transposed.find(key); it != transposed.end())
    return Buf{it->second, m.cols, m.rows, /*transposed=*/true};
  if (transposedElements + m.size() > kMaxElements)
    return {};
  transposedElements += m.size();
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(entry);
  Buf source = view(arena, offset, m.rows, m.cols);
  Buf t = alloc(m.cols, m.rows);
  b.setInsertionPointAfter(source.mem.getDefiningOp());
  copy(source.t(), t);
  transposed[key] = t.mem;
  return Buf{t.mem, m.cols, m.rows, /*transposed=*/true};
}

Buf KernelBuilder::subview(const Buf &b, int64_t r0, int64_t c0, int64_t rows,
                           int64_t cols) {
  // A transposed buffer stores the logical block transposed.
  if (b.transposed) {
    std::swap(r0, c0);
    std::swap(rows, cols);
  }
  SmallVector<OpFoldResult> offsets = {this->b.getIndexAttr(r0),
                                       this->b.getIndexAttr(c0)};
  SmallVector<OpFoldResult> sizes = {this->b.getIndexAttr(rows),
                                     this->b.getIndexAttr(cols)};
  SmallVector<OpFoldResult> strides(2, this->b.getIndexAttr(1));
  Value v = memref::SubViewOp::create(this->b, b.mem, offsets, sizes, strides);
  return Buf{v, rows, cols, b.transposed};
}

Buf KernelBuilder::row(const Buf &m, Value row) {
  assert(!m.transposed && "row of a transposed buffer");
  SmallVector<OpFoldResult> offsets = {row, b.getIndexAttr(0)};
  SmallVector<OpFoldResult> sizes = {b.getIndexAttr(1), b.getIndexAttr(m.cols)};
  SmallVector<OpFoldResult> strides(2, b.getIndexAttr(1));
  Value v = memref::SubViewOp::create(b, m.mem, offsets, sizes, strides);
  return Buf{v, 1, m.cols};
}

Value KernelBuilder::constant(double v) {
  return arith::ConstantOp::create(b, b.getFloatAttr(elementType, v));
}

VectorChunks mlir::nlogic::kernels::vectorChunks(int64_t length) {
  auto largestDividing = [](int64_t n, std::initializer_list<int64_t> sizes) {
    for (int64_t size : sizes)
      if (n % size == 0)
        return size;
    return int64_t(1);
  };
  int64_t width = largestDividing(length, {8, 4, 2});
  return {width, largestDividing(length / width, {4, 2})};
}

Value KernelBuilder::loadIndex(Value table, Value i) {
  Value v = memref::LoadOp::create(b, table, ValueRange{i});
  return arith::IndexCastOp::create(b, b.getIndexType(), v);
}

void KernelBuilder::forLoop(Value lo, Value hi, int64_t step,
                            const std::function<void(Value)> &body) {
  auto op = scf::ForOp::create(b, lo, hi, constantIndex(step));
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPoint(op.getBody()->getTerminator());
  body(op.getInductionVar());
}

SmallVector<Value> KernelBuilder::forLoop(
    Value lo, Value hi, int64_t step, ValueRange inits,
    const std::function<SmallVector<Value>(Value, ValueRange)> &body) {
  auto op = scf::ForOp::create(b, lo, hi, constantIndex(step), inits);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToEnd(op.getBody());
    scf::YieldOp::create(b, body(op.getInductionVar(), op.getRegionIterArgs()));
  }
  return SmallVector<Value>(op.getResults());
}

Value KernelBuilder::constantIndex(int64_t v) {
  return arith::ConstantIndexOp::create(b, v);
}

void KernelBuilder::fill(const Buf &out, double v) { fill(out, constant(v)); }

void KernelBuilder::fill(const Buf &out, Value v) {
  linalg::FillOp::create(b, ValueRange{v}, ValueRange{out.mem});
}

AffineMap KernelBuilder::mapFor(const Buf &in, const Buf &out,
                                unsigned numDims) {
  MLIRContext *ctx = b.getContext();
  AffineExpr i = getAffineDimExpr(0, ctx), j = getAffineDimExpr(1, ctx);
  if (in.isScalarLike()) {
    AffineExpr zero = getAffineConstantExpr(0, ctx);
    return AffineMap::get(numDims, 0, {zero, zero}, ctx);
  }
  assert(in.sameLogicalShape(out) && "elementwise operands must match");
  (void)out;
  if (in.transposed)
    return AffineMap::get(numDims, 0, {j, i}, ctx);
  return AffineMap::get(numDims, 0, {i, j}, ctx);
}

void KernelBuilder::genericMulti(
    ArrayRef<Buf> outs, ArrayRef<Buf> ins,
    const std::function<SmallVector<Value>(ImplicitLocOpBuilder &, ValueRange,
                                           ValueRange)> &fn) {
  const Buf &shape = outs.front();
  SmallVector<AffineMap> maps;
  SmallVector<Value> inMems, outMems;
  for (const Buf &in : ins) {
    maps.push_back(mapFor(in, shape, 2));
    inMems.push_back(in.mem);
  }
  for (const Buf &out : outs) {
    Buf o = out;
    // Outputs are never broadcast.
    if (o.isScalarLike() && !shape.isScalarLike())
      llvm_unreachable("broadcast output");
    maps.push_back(o.isScalarLike()
                       ? AffineMap::getMultiDimIdentityMap(2, b.getContext())
                       : mapFor(o, shape, 2));
    outMems.push_back(o.mem);
  }
  size_t numIns = ins.size();
  SmallVector<utils::IteratorType> iters(2, utils::IteratorType::parallel);
  linalg::GenericOp::create(
      b, TypeRange{}, inMems, outMems, maps, iters, "", "",
      [&](OpBuilder &nested, Location loc, ValueRange args) {
        ImplicitLocOpBuilder ib(loc, nested);
        SmallVector<Value> results =
            fn(ib, args.take_front(numIns), args.drop_front(numIns));
        linalg::YieldOp::create(ib, results);
      });
}

void KernelBuilder::elementwise(const Buf &out, ArrayRef<Buf> ins,
                                const ElementFn &fn) {
  genericMulti({out}, ins,
               [&](ImplicitLocOpBuilder &ib, ValueRange in, ValueRange o) {
                 return SmallVector<Value>{fn(ib, in, o.front())};
               });
}

void KernelBuilder::reduceAll(const Buf &out, ArrayRef<Buf> ins,
                              const ElementFn &fn) {
  MLIRContext *ctx = b.getContext();
  const Buf &shape = ins.front();
  SmallVector<AffineMap> maps;
  SmallVector<Value> inMems;
  for (const Buf &in : ins) {
    maps.push_back(mapFor(in, shape, 2));
    inMems.push_back(in.mem);
  }
  AffineExpr zero = getAffineConstantExpr(0, ctx);
  maps.push_back(AffineMap::get(2, 0, {zero, zero}, ctx));
  SmallVector<utils::IteratorType> iters(2, utils::IteratorType::reduction);
  size_t numIns = ins.size();
  auto generic = linalg::GenericOp::create(
      b, TypeRange{}, inMems, ValueRange{out.mem}, maps, iters, "", "",
      [&](OpBuilder &nested, Location loc, ValueRange args) {
        ImplicitLocOpBuilder ib(loc, nested);
        Value r = fn(ib, args.take_front(numIns), args[numIns]);
        linalg::YieldOp::create(ib, r);
      });
  // Whatever the caller folds (a sum, a dot product, a sum of squares),
  // its arithmetic gets the reduction's flags, so that a fast-math build
  // vectorises every reduction, not only those built by this class.
  if (reassociates())
    generic.getRegion().walk([&](arith::ArithFastMathInterface op) {
      if (isa<arith::AddFOp, arith::MulFOp, arith::SubFOp>(op))
        op->setAttr(op.getFastMathAttrName(),
                    arith::FastMathFlagsAttr::get(ctx, reductionFlags));
    });
}

/// Element strides of `m` along its logical rows and columns.
static std::pair<int64_t, int64_t> logicalStrides(const Buf &m) {
  auto type = cast<MemRefType>(m.mem.getType());
  auto [strides, offset] = type.getStridesAndOffset();
  (void)offset;
  if (m.transposed)
    return {strides[1], strides[0]};
  return {strides[0], strides[1]};
}

void KernelBuilder::matmulAcc(const Buf &x, const Buf &y, const Buf &c) {
  assert(x.logicalCols() == y.logicalRows() &&
         c.logicalRows() == x.logicalRows() &&
         c.logicalCols() == y.logicalCols() && "matrix product shapes");
  MLIRContext *ctx = b.getContext();
  // Loop order decides what LLVM can vectorise; it never changes the bits:
  // each element of c accumulates its products in k order whichever loops
  // enclose the k loop. The innermost loop is the dimension along which
  // most operands are contiguous or invariant (x is invariant in j, y in i,
  // c in k). It may be the reduction k only when sums may reassociate
  // (a vectorised dot product) or when it is the only non-trivial one.
  // `W x` vectorised over W's rows runs along its columns (stride cols):
  // read a weight from a transposed copy instead, made once per kernel
  // call, and the loop runs along contiguous memory with the same bits.
  // Fast-math too: there k innermost would make a dot product per row of
  // W, whose horizontal sums cost more than its products at width 64.
  if (x.rows > 1 && x.cols > 1 && !x.transposed && c.logicalRows() > 1)
    if (Buf t = transposedAtEntry(x))
      return matmulAcc(t, y, c);
  enum { I = 0, J = 1, K = 2 };
  int64_t extent[3] = {c.logicalRows(), c.logicalCols(), x.logicalCols()};
  auto [xRow, xCol] = logicalStrides(x);
  auto [yRow, yCol] = logicalStrides(y);
  auto [cRow, cCol] = logicalStrides(c);
  int score[3] = {(xRow == 1) + 1 + (cRow == 1), 1 + (yCol == 1) + (cCol == 1),
                  (xCol == 1) + (yRow == 1) + 1};
  int inner = -1;
  for (int d : {J, I, K}) {
    if (extent[d] == 1 || (d == K && !reassociates() && inner != -1))
      continue;
    if (inner == -1 || score[d] > score[inner])
      inner = d;
  }
  if (inner == -1) // a 1x1 product
    inner = J;
  SmallVector<int> order;
  if (inner != K && extent[K] >= 2 && extent[K] <= 8) {
    // A short reduction (a rank-k update, k segments at a time) goes
    // inside the vectorised loop: LLVM unrolls it, so each element of c
    // is loaded and stored once for k products instead of once per product.
    order = {inner == I ? J : I, inner, K};
  } else {
    for (int d : {K, I, J})
      if (d != inner)
        order.push_back(d);
    order.push_back(inner);
  }
  AffineExpr dim[3];
  SmallVector<utils::IteratorType> iters;
  for (auto [pos, d] : llvm::enumerate(order)) {
    dim[d] = getAffineDimExpr(pos, ctx);
    iters.push_back(d == K ? utils::IteratorType::reduction
                           : utils::IteratorType::parallel);
  }
  auto map = [&](const Buf &m, AffineExpr r, AffineExpr col) {
    return m.transposed ? AffineMap::get(3, 0, {col, r}, ctx)
                        : AffineMap::get(3, 0, {r, col}, ctx);
  };
  SmallVector<AffineMap> maps = {map(x, dim[I], dim[K]), map(y, dim[K], dim[J]),
                                 map(c, dim[I], dim[J])};
  linalg::GenericOp::create(
      b, TypeRange{}, ValueRange{x.mem, y.mem}, ValueRange{c.mem}, maps, iters,
      "", "", [&](OpBuilder &nested, Location loc, ValueRange args) {
        ImplicitLocOpBuilder ib(loc, nested);
        linalg::YieldOp::create(
            ib, ValueRange{multiplyAdd(ib, args[2], args[0], args[1])});
      });
}

Value KernelBuilder::multiplyAdd(ImplicitLocOpBuilder &ib, Value acc, Value x,
                                 Value y) {
  auto flags = arith::FastMathFlagsAttr::get(ib.getContext(), reductionFlags);
  Value p = arith::MulFOp::create(ib, x, y, flags);
  return arith::AddFOp::create(ib, acc, p, flags);
}

Value KernelBuilder::reductionAdd(ImplicitLocOpBuilder &ib, Value acc,
                                  Value x) {
  auto flags = arith::FastMathFlagsAttr::get(ib.getContext(), reductionFlags);
  return arith::AddFOp::create(ib, acc, x, flags);
}

void KernelBuilder::copy(const Buf &in, const Buf &out) {
  elementwise(out, {in}, [](ImplicitLocOpBuilder &, ValueRange ins, Value) {
    return ins[0];
  });
}

void KernelBuilder::accumulate(const Buf &in, const Buf &out) {
  auto addFn = [](ImplicitLocOpBuilder &ib, ValueRange ins, Value o) {
    return Value(arith::AddFOp::create(ib, o, ins[0]));
  };
  if (out.isScalarLike() && !in.isScalarLike())
    reduceAll(out, {in},
              [&](ImplicitLocOpBuilder &ib, ValueRange ins, Value o) {
                return reductionAdd(ib, o, ins[0]);
              });
  else
    elementwise(out, {in}, addFn);
}

void KernelBuilder::accumulateScaled(const Buf &in, const Buf &scale,
                                     const Buf &out) {
  auto fn = [](ImplicitLocOpBuilder &ib, ValueRange ins, Value o) {
    Value p = arith::MulFOp::create(ib, ins[0], ins[1]);
    return Value(arith::AddFOp::create(ib, o, p));
  };
  if (out.isScalarLike() && !in.isScalarLike())
    reduceAll(out, {in, scale},
              [&](ImplicitLocOpBuilder &ib, ValueRange ins, Value o) {
                return multiplyAdd(ib, o, ins[0], ins[1]);
              });
  else
    elementwise(out, {in, scale}, fn);
}

Value KernelBuilder::add(Value x, Value y) {
  return arith::AddFOp::create(b, x, y);
}
Value KernelBuilder::sub(Value x, Value y) {
  return arith::SubFOp::create(b, x, y);
}
Value KernelBuilder::mul(Value x, Value y) {
  return arith::MulFOp::create(b, x, y);
}
Value KernelBuilder::div(Value x, Value y) {
  return arith::DivFOp::create(b, x, y);
}
