//===- WeighWindows.h - body weights for many rows at once ------*- C++ -*-===//
//
// A weight inside a rule's body, `h(I) :- W x(I), y(I). [norm]` (a skip
// connection) or `h(I) :- W x(I). [relu]` (a nonlinearity before the
// aggregation keeps the weight from being hoisted to the head), multiplies
// one row's vector at a time: a matrix-vector product per row that reads
// all of W from L2 for 2*H*K flops, and in the backward kernel a rank-1
// update of dW and a product with W^T per row.
//
// Under fast-math such a weighing is computed for a window of up to 32
// consecutive rows of the ground table at once, with RowProducts'
// register-blocked kernel: on entering a row outside the current window
// the kernel gathers the next rows' x vectors into a stack buffer and
// multiplies them by W's transposed copy; each row's MapProgram then reads
// its product from the window instead of computing it. In the backward
// kernel the row's MapProgram leaves the product's gradient in the window,
// and when the window is left (and after the last row) dW += dY^T X and
// dX = dY W are made for all its rows together, the dX rows then added to
// their atoms' gradients one row at a time (two rows may share an atom).
//
// Rows are usually visited in order, so each is in one window; a row
// visited out of order only costs a recomputed window. The window ends at
// the last row any segment covers, so it never reads past the table.
//
//===----------------------------------------------------------------------===//

#ifndef NLOGIC_LIB_CONVERSION_NLOGICTOLINALG_WEIGHWINDOWS_H
#define NLOGIC_LIB_CONVERSION_NLOGICTOLINALG_WEIGHWINDOWS_H

#include "KernelBuilder.h"
#include "MapProgram.h"

#include "nlogic/Dialect/NLogic/IR/NLogicOps.h"

#include "llvm/ADT/SmallVector.h"

namespace mlir::nlogic::kernels {

/// The kernel arguments windows read and write (gradients null in forward
/// kernels).
struct WindowArgs {
  Arenas arenas;
  Value segments, table, groups;
  unsigned numAtoms = 0;
};

class WeighWindows {
public:
  /// Finds the rule's weighings of a body atom by a matrix (call only for
  /// fast-math kernels of non-recursive, untiled rules that evaluate rows).
  WeighWindows(KernelBuilder &kb, RuleOp rule, const ParameterLayout &layout,
               const llvm::DenseSet<StringAttr> &relationsWithGradient,
               const WindowArgs &args, bool backward);

  /// Whether any weighing is computed in windows.
  explicit operator bool() const { return !weighings.empty(); }

  /// At the kernel's entry: stack buffers, W's transposed copies, an empty
  /// window, and the end of the table's rows from the kernel's `n`
  /// segments (softmax: `n` groups of segments).
  void begin(Value n, bool groupsOfSegments);
  /// Before row `row`'s MapProgram: moves the window to the row if it is
  /// outside (backward: after finishing the old one) and points `map` at
  /// the row's products (and their gradients).
  void enter(Value row, MapProgram &map);
  /// Backward, after the last row: the last window's gradients.
  void finish();

private:
  struct Weighing {
    WeighOp op;
    int32_t position;   // of the weighed atom among the body's atoms
    int64_t rows, cols; // W is rows x cols
    int64_t weightOffset;
    bool weightLearns, atomNeedsGradient;
    Value wT;              // W's transposed copy, cols x rows
    Value x, y, dy, atoms; // window buffers: X, W X, dY, atom offsets
    bool needsGradient() const { return weightLearns || atomNeedsGradient; }
  };

  Value idx(int64_t v) { return kb.constantIndex(v); }
  Value add(Value x, Value y);
  Value mul(Value x, Value y);
  /// The end of the last row any of the `n` segments (or groups) covers.
  Value endOfRows(Value n, bool groupsOfSegments);
  void fill(Value first, Value count);
  void flush(Value count);

  /// Whether the rule's backward pass reads the values of the products:
  /// not when the body only sums them (and atoms), without a head weight,
  /// under a sum or an average, into a relation that adds its rules'
  /// contributions: none of those gradients depends on a value.
  static bool backwardReadsProducts(RuleOp rule);

  KernelBuilder &kb;
  ImplicitLocOpBuilder &b;
  WindowArgs args;
  bool backward;
  /// Whether the windows compute their products Y = X W^T: always in
  /// forward; in backward only where backwardReadsProducts (else Y is
  /// zeroed, which saves a third of the windows' work).
  bool computesProducts = true;
  int64_t windowRows = 0;
  llvm::SmallVector<Weighing> weighings;
  Value bounds;  // memref<2xindex>: the window's first and end row
  Value rowsEnd; // where windows stop
};

} // namespace mlir::nlogic::kernels

#endif // NLOGIC_LIB_CONVERSION_NLOGICTOLINALG_WEIGHWINDOWS_H
