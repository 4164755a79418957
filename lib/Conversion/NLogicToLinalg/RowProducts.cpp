//===- RowProducts.cpp - register-blocked products of rows ----------------===//

#include "RowProducts.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::nlogic;
using namespace mlir::nlogic::kernels;

namespace {

/// C rows per register block: 4 rows x 4 vectors of accumulators plus four
/// of B's vectors fit AVX-512's 32 registers.
constexpr int64_t kBlockRows = 4;

class RowProductEmitter {
public:
  RowProductEmitter(KernelBuilder &kb, int64_t cols,
                    const RowProductOperands &ops, bool accumulate)
      : kb(kb), b(kb.builder()), ops(ops), accumulate(accumulate) {
    VectorChunks chunks = vectorChunks(cols);
    width = chunks.width;
    vectors = chunks.perChunk;
    vecType = VectorType::get({width}, b.getF64Type());
  }

  /// Columns [c, c + width * vectors) of `count` rows from r0.
  void block(int64_t count, Value r0, Value c, Value depth) {
    SmallVector<SmallVector<Value>> at; // C's indices per (row, vector)
    SmallVector<Value> inits;
    for (int64_t j = 0; j < count; ++j) {
      Value r = add(r0, idx(j));
      for (int64_t v = 0; v < vectors; ++v) {
        at.push_back(ops.cAt(r, add(c, idx(v * width))));
        inits.push_back(zero());
      }
    }
    SmallVector<Value> sums =
        kb.forLoop(idx(0), depth, 1, inits, [&](Value k, ValueRange acc) {
          SmallVector<Value> bs, next;
          for (int64_t v = 0; v < vectors; ++v)
            bs.push_back(vector::LoadOp::create(
                b, vecType, ops.b, ops.bAt(k, add(c, idx(v * width)))));
          for (int64_t j = 0; j < count; ++j) {
            Value a = vector::BroadcastOp::create(b, vecType,
                                                  ops.a(add(r0, idx(j)), k));
            for (int64_t v = 0; v < vectors; ++v)
              next.push_back(
                  vector::FMAOp::create(b, a, bs[v], acc[j * vectors + v]));
          }
          return next;
        });
    // Accumulating, each row is loaded, added and stored in turn, so two
    // rows of a block that are one row of C both land.
    for (auto [i, indices] : llvm::enumerate(at)) {
      Value sum = sums[i];
      if (accumulate)
        sum = arith::AddFOp::create(
            b, vector::LoadOp::create(b, vecType, ops.c, indices), sum);
      vector::StoreOp::create(b, sum, ops.c, indices);
    }
  }

  void emit(Value rows, Value depth, int64_t cols) {
    kb.forLoop(idx(0), idx(cols), width * vectors, [&](Value c) {
      Value full = arith::MulIOp::create(
          b, arith::DivUIOp::create(b, rows, idx(kBlockRows)), idx(kBlockRows));
      kb.forLoop(idx(0), full, kBlockRows,
                 [&](Value r0) { block(kBlockRows, r0, c, depth); });
      kb.forLoop(full, rows, 1, [&](Value r0) { block(1, r0, c, depth); });
    });
  }

private:
  Value idx(int64_t v) { return kb.constantIndex(v); }
  Value add(Value x, Value y) { return arith::AddIOp::create(b, x, y); }
  Value zero() {
    return vector::BroadcastOp::create(b, vecType, kb.constant(0.0));
  }

  KernelBuilder &kb;
  ImplicitLocOpBuilder &b;
  const RowProductOperands &ops;
  bool accumulate;
  int64_t width = 1, vectors = 1;
  VectorType vecType;
};

} // namespace

void kernels::emitRowProducts(KernelBuilder &kb, Value rows, Value depth,
                              int64_t cols, const RowProductOperands &ops,
                              bool accumulate) {
  RowProductEmitter(kb, cols, ops, accumulate).emit(rows, depth, cols);
}
