//===- KernelBuilder.h - small-tensor linalg building blocks ------*- C++
//-*-===//
//
// The kernels of a template compute on small static-shape values (a
// neuron's vector, a weight matrix) that live either in one of the flat
// arenas the runtime passes in (values, accumulators, parameters, their
// gradients) or in stack buffers of the kernel. `Buf` is such a value; the
// builder emits linalg.generic ops over them. Every value is a 2-D row-major
// memref (a scalar is 1x1, a vector a column); transposition and scalar
// broadcasting are expressed in indexing maps, never by copying.
//
//===----------------------------------------------------------------------===//

#ifndef NLOGIC_LIB_CONVERSION_NLOGICTOLINALG_KERNELBUILDER_H
#define NLOGIC_LIB_CONVERSION_NLOGICTOLINALG_KERNELBUILDER_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"

#include <functional>
#include <map>
#include <tuple>

namespace mlir::nlogic::kernels {

/// A 2-D value: `mem` is stored rows x cols; `transposed` reads it as
/// cols x rows.
struct Buf {
  Value mem;
  int64_t rows = 1, cols = 1;
  bool transposed = false;

  int64_t logicalRows() const { return transposed ? cols : rows; }
  int64_t logicalCols() const { return transposed ? rows : cols; }
  int64_t size() const { return rows * cols; }
  bool isScalarLike() const { return size() == 1; }
  bool sameLogicalShape(const Buf &o) const {
    return logicalRows() == o.logicalRows() && logicalCols() == o.logicalCols();
  }
  Buf t() const {
    Buf b = *this;
    b.transposed = !transposed;
    return b;
  }
  explicit operator bool() const { return static_cast<bool>(mem); }
};

/// Scalar body of an elementwise op: receives the input elements (in order)
/// and the current output element, returns the new output element.
using ElementFn =
    std::function<Value(ImplicitLocOpBuilder &, ValueRange ins, Value out)>;

/// How the register kernels (tiles, RowProducts) split rows of `length`
/// f64 elements: vectors of `width` elements, the largest of 8, 4, 2, 1
/// dividing `length`, taken `perChunk` at a time, the largest of 4, 2, 1
/// dividing the number of vectors.
struct VectorChunks {
  int64_t width, perChunk;
};
VectorChunks vectorChunks(int64_t length);

class KernelBuilder {
public:
  /// Stack buffers are created at the start of `entry` so that loops do
  /// not grow the stack.
  KernelBuilder(ImplicitLocOpBuilder &b, Block *entry, Type elementType)
      : b(b), entry(entry), elementType(elementType) {}

  ImplicitLocOpBuilder &builder() { return b; }
  /// Lets reductions (dot products, sums of a buffer) reassociate and
  /// contract to FMAs, so LLVM vectorises them; results then differ from
  /// the reference's fixed summation order by rounding.
  void setReassociation(bool on) {
    reductionFlags =
        on ? arith::FastMathFlags::reassoc | arith::FastMathFlags::contract
           : arith::FastMathFlags::none;
  }
  bool reassociates() const {
    return reductionFlags != arith::FastMathFlags::none;
  }
  Type getElementType() const { return elementType; }

  /// A stack buffer of rows x cols elements.
  Buf alloc(int64_t rows, int64_t cols);
  /// A stack buffer of any static type, made at the kernel's entry.
  Value allocAtEntry(MemRefType type);
  /// For a matrix read in place from a kernel argument at a constant
  /// offset (a weight: it does not change while the kernel runs), a copy
  /// stored transposed, made once at the kernel's entry; null otherwise or
  /// when the kernel's copies would not fit comfortably on the stack.
  Buf transposedAtEntry(const Buf &m);
  /// A rows x cols view of a flat arena at element offset `offset` (an
  /// index value) or `staticOffset`.
  Buf view(Value arena, Value offset, int64_t rows, int64_t cols);
  Buf view(Value arena, int64_t staticOffset, int64_t rows, int64_t cols);

  /// The block [r0, r0 + rows) x [c0, c0 + cols) of `b`'s logical shape,
  /// as a strided view (no copy).
  Buf subview(const Buf &b, int64_t r0, int64_t c0, int64_t rows, int64_t cols);
  /// Row `row` (an index value) of an untransposed buffer, as a 1 x cols
  /// view.
  Buf row(const Buf &b, Value row);

  Value constant(double v);
  Value constantIndex(int64_t v);
  /// Entry `i` of an i32 table (segments, ground-table rows, tiles) as an
  /// index.
  Value loadIndex(Value table, Value i);

  /// for (iv = lo; iv < hi; iv += step) body(iv), emitted where the
  /// builder is; the builder is back after the loop when it returns.
  void forLoop(Value lo, Value hi, int64_t step,
               const std::function<void(Value)> &body);
  /// The same with loop-carried values (body returns their next values);
  /// returns their final values.
  SmallVector<Value>
  forLoop(Value lo, Value hi, int64_t step, ValueRange inits,
          const std::function<SmallVector<Value>(Value, ValueRange)> &body);
  void fill(const Buf &out, double v);
  void fill(const Buf &out, Value v);

  /// out = fn(ins..., out) elementwise over out's logical shape; inputs of
  /// one element are broadcast. With `extraOuts`, the body sees those
  /// outputs' elements after `out` and must return all outputs (use
  /// genericMulti).
  void elementwise(const Buf &out, ArrayRef<Buf> ins, const ElementFn &fn);
  /// Several outputs of one shape updated together.
  void genericMulti(
      ArrayRef<Buf> outs, ArrayRef<Buf> ins,
      const std::function<SmallVector<Value>(
          ImplicitLocOpBuilder &, ValueRange ins, ValueRange outs)> &fn);
  /// out(0,0) = fn(ins..., out(0,0)) folded over the logical shape of
  /// ins[0] (a reduction of every element into a scalar-like `out`).
  void reduceAll(const Buf &out, ArrayRef<Buf> ins, const ElementFn &fn);
  /// c += a * b (matrix product of logical shapes).
  void matmulAcc(const Buf &a, const Buf &b, const Buf &c);

  /// out = in (elementwise, broadcasting a scalar-like input).
  void copy(const Buf &in, const Buf &out);
  /// out += in; a scalar-like `out` receives the sum of `in`'s elements.
  void accumulate(const Buf &in, const Buf &out);
  /// out += scale * in (scale scalar-like).
  void accumulateScaled(const Buf &in, const Buf &scale, const Buf &out);

  // Scalar arithmetic in the element type.
  Value add(Value x, Value y);
  Value sub(Value x, Value y);
  Value mul(Value x, Value y);
  Value div(Value x, Value y);

private:
  AffineMap mapFor(const Buf &in, const Buf &out, unsigned numDims);
  /// `acc + x * y` with the reduction's fast-math flags.
  Value multiplyAdd(ImplicitLocOpBuilder &ib, Value acc, Value x, Value y);
  Value reductionAdd(ImplicitLocOpBuilder &ib, Value acc, Value x);
  arith::FastMathFlags reductionFlags = arith::FastMathFlags::none;
  ImplicitLocOpBuilder &b;
  Block *entry;
  /// transposedAtEntry's copies by (argument, offset, rows, cols).
  std::map<std::tuple<void *, int64_t, int64_t, int64_t>, Value> transposed;
  int64_t transposedElements = 0;
  Type elementType;
};

} // namespace mlir::nlogic::kernels

#endif // NLOGIC_LIB_CONVERSION_NLOGICTOLINALG_KERNELBUILDER_H
