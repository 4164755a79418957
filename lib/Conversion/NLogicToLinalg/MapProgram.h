//===- MapProgram.h - one substitution's value, forward and backward --*- C++
//-*-===//
//
// A rule's body computes the value of one substitution from its body atoms
// and weights (nlogic.atom / weigh / combine / transform). MapProgram emits
// that computation for one row of a ground table as linalg ops on small
// buffers, recording a tape of primitive steps; emitBackward() then walks
// the tape in reverse and accumulates vector-Jacobian products into the
// gradient arenas (body atoms' values, weights). The backward kernel
// recomputes the forward of each row instead of storing per-substitution
// values, so no per-substitution tensor is ever materialised.
//
//===----------------------------------------------------------------------===//

#ifndef NLOGIC_LIB_CONVERSION_NLOGICTOLINALG_MAPPROGRAM_H
#define NLOGIC_LIB_CONVERSION_NLOGICTOLINALG_MAPPROGRAM_H

#include "KernelBuilder.h"

#include "nlogic/Dialect/NLogic/IR/NLogicOps.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"

#include <array>
#include <optional>

namespace mlir::nlogic::kernels {

/// Where the template's weights live in the flat parameter arena.
struct ParameterLayout {
  struct Entry {
    int64_t offset = 0, rows = 1, cols = 1;
    bool learnable = true;
  };
  llvm::DenseMap<StringAttr, Entry> weights;
  int64_t size = 0;
};

/// The arenas a kernel reads and writes; gradients are null in forward
/// kernels.
struct Arenas {
  Value values, params;
  Value dvalues, grads;
};

class MapProgram {
public:
  MapProgram(RuleOp rule, KernelBuilder &kb, const ParameterLayout &layout,
             const Arenas &arenas,
             const llvm::DenseSet<StringAttr> &relationsWithGradient)
      : rule(rule), kb(kb), layout(layout), arenas(arenas),
        relationsWithGradient(relationsWithGradient) {}

  /// Emits the forward computation of one substitution whose k-th positive
  /// body atom sits at `atomOffsets[k]` of the value arena; returns the
  /// substitution's value (the head op's operand). Fails with a diagnostic
  /// on constructs the kernels cannot compute.
  FailureOr<Buf> emitForward(ArrayRef<Value> atomOffsets);

  /// After emitForward (in the same loop body): given dLoss/dValue of the
  /// substitution, accumulates the gradients of body atoms and weights.
  void emitBackward(const Buf &dResult);

  /// Whether the substitution's value depends on anything with a gradient.
  bool resultNeedsGradient() const;

  /// Checks without emitting anything that every map op is supported.
  static LogicalResult checkSupported(RuleOp rule);

  /// NeuraLogic's `weight * value` (scale, elementwise or matrix product)
  /// into a new stack buffer, and its vector-Jacobian product accumulated
  /// into `dW` and `dX` (either may be null).
  static Buf weighForward(KernelBuilder &kb, const Buf &W, const Buf &X);
  static void weighBackward(KernelBuilder &kb, const Buf &W, const Buf &X,
                            const Buf &dY, const Buf &dW, const Buf &dX);

  /// Before emitForward: the product of `weigh` for this substitution is
  /// already in `product` (WeighWindows.h); emitBackward then adds the
  /// product's gradient into `productGradient` instead of making dW and
  /// dX itself.
  void usePrecomputedWeigh(WeighOp weigh, const Buf &product,
                           const Buf &productGradient) {
    precomputed[weigh.getOperation()] = {product, productGradient};
  }

  /// A view of weight `sym` in the parameter (or gradient) arena.
  static Buf weightView(KernelBuilder &kb, Value arena,
                        const ParameterLayout &layout, StringAttr sym);

private:
  enum class SlotKind { Atom, Weight, Temp };
  struct Slot {
    SlotKind kind = SlotKind::Temp;
    Buf value, grad;
    bool needsGradient = false;
    int aliasOf = -1; // shares storage with another slot
    /// For a slice of `aliasOf`: the block's row, column, rows, columns.
    std::optional<std::array<int64_t, 4>> sliceOf;
    Value atomOffset; // Atom: offset in the value arena
    StringAttr weight;
  };
  enum class StepKind {
    Weigh,
    Sum,
    ElProduct,
    Extreme,
    Product2,
    Transform,
    Softmax,
    Norm,
    Concat,
    CrossSum,
    CosSim
  };
  struct Step {
    Step(StepKind kind, SmallVector<int> ins, int out)
        : kind(kind), ins(std::move(ins)), out(out) {}
    StepKind kind;
    SmallVector<int> ins;
    int out = -1;
    double scale = 1.0; // Sum: 1 or 1/n (avg)
    bool isMax = false; // Extreme
    Transformation transformation = Transformation::identity;
    double alpha = 0.01;
    Buf aux;                // Norm: the standard deviation; CosSim: a.a
    Buf aux2;               // CosSim: b.b
    bool alongCols = false; // Concat: side by side instead of stacked
    Buf deferred;           // Weigh: precomputed, its gradient goes here
  };

  int addSlot(Slot s) {
    slots.push_back(std::move(s));
    return slots.size() - 1;
  }
  int temp(int64_t rows, int64_t cols, ArrayRef<int> ins);
  int weightSlot(StringAttr sym);
  FailureOr<int> emitOp(Operation &op);
  int emitWeigh(int w, int x);
  int emitProduct2(int a, int b);
  int emitSoftmax(int in);
  int emitNorm(int in);
  int emitConcat(CombineOp op, ArrayRef<int> ins);
  int emitCrossSum(ArrayRef<int> ins);
  int emitCosSim(ArrayRef<int> ins);
  /// A generic over one loop per input of a cross sum.
  void crossSumGeneric(ArrayRef<Buf> vectors, const Buf &whole, int gradOf,
                       const Buf &grad);
  /// Where input k of a concatenation sits in the result.
  Buf concatBlock(const Buf &whole, ArrayRef<int> ins, size_t k,
                  bool alongCols);
  void backwardStep(const Step &step);

  RuleOp rule;
  KernelBuilder &kb;
  const ParameterLayout &layout;
  Arenas arenas;
  const llvm::DenseSet<StringAttr> &relationsWithGradient;
  SmallVector<Slot> slots;
  SmallVector<Step> tape;
  llvm::DenseMap<Value, int> slotOf;
  llvm::DenseMap<Operation *, std::pair<Buf, Buf>> precomputed;
  int result = -1;
};

} // namespace mlir::nlogic::kernels

#endif // NLOGIC_LIB_CONVERSION_NLOGICTOLINALG_MAPPROGRAM_H
