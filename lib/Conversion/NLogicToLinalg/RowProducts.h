//===- RowProducts.h - register-blocked products of rows ---------*- C++
//-*-===//
//
// The one matrix-product micro-kernel the rule kernels share under
// fast-math: C(r, :) (+)= sum_k A(r, k) B(k, :) for a few to a few dozen
// rows r, where A's elements are read one at a time (from wherever: a
// block of gathered aggregates, a window of gradients read transposed) and
// B's and C's rows are contiguous. Four rows by up to 32 columns of C stay
// in vector registers over the k loop, so each row of B is loaded once per
// four rows of C; columns are the outer loop, so a 32-column stripe of B
// stays in L1 while every row of C passes over it.
//
// Projections four segments at a time (a head weight) and the weighing
// windows (WeighWindows.h: `W x(I)` in a rule's body) are built on it.
//
//===----------------------------------------------------------------------===//

#ifndef NLOGIC_LIB_CONVERSION_NLOGICTOLINALG_ROWPRODUCTS_H
#define NLOGIC_LIB_CONVERSION_NLOGICTOLINALG_ROWPRODUCTS_H

#include "KernelBuilder.h"

#include "llvm/ADT/SmallVector.h"

#include <functional>

namespace mlir::nlogic::kernels {

/// Where element (row, col) of B or C sits: the indices of a load or store
/// of its memref (for a flat arena, one index: row start + col).
using RowMajorIndex = std::function<SmallVector<Value>(Value row, Value col)>;

struct RowProductOperands {
  /// A(r, k), an element-type scalar (emitted for r < rows, k < depth).
  std::function<Value(Value r, Value k)> a;
  Value b;
  RowMajorIndex bAt;
  Value c;
  RowMajorIndex cAt;
};

/// C(r, 0:cols) (+)= sum_{k < depth} A(r, k) B(k, 0:cols) for r < rows
/// (`rows` and `depth` index values, `cols` static). With `accumulate`
/// false, C is overwritten. Sums reassociate (fast-math only).
void emitRowProducts(KernelBuilder &kb, Value rows, Value depth, int64_t cols,
                     const RowProductOperands &ops, bool accumulate);

} // namespace mlir::nlogic::kernels

#endif // NLOGIC_LIB_CONVERSION_NLOGICTOLINALG_ROWPRODUCTS_H
