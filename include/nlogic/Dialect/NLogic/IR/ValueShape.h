//===- ValueShape.h - shapes of neuron values ---------------------*- C++
//-*-===//
//
// The shape algebra of NeuraLogic values (scalars, column vectors, matrices)
// shared by the verifiers, the importer and later the lowering: what shape a
// weight times a value has, what a combination or transformation produces.
//
//===----------------------------------------------------------------------===//

#ifndef NLOGIC_DIALECT_NLOGIC_IR_VALUESHAPE_H
#define NLOGIC_DIALECT_NLOGIC_IR_VALUESHAPE_H

#include "nlogic/Dialect/NLogic/IR/NLogicTypes.h"

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/SmallVector.h"
#include <string>

namespace mlir::nlogic {

/// The shape of a neuron value: unknown (depends on the data), a scalar
/// (no dims), a column vector (one dim) or a matrix (two dims).
class ValueShape {
public:
  static ValueShape unknown() { return ValueShape(false, {}); }
  static ValueShape scalar() { return ValueShape(true, {}); }
  static ValueShape vector(int64_t n) { return ValueShape(true, {n}); }
  static ValueShape matrix(int64_t m, int64_t n) {
    return ValueShape(true, {m, n});
  }
  /// Shape from the `{3,3}` style dimension list of NeuraLogic (`{1}` and
  /// `{}` are scalars only when `scalarIfOne` is set).
  static ValueShape fromDims(ArrayRef<int64_t> dims);
  static ValueShape fromType(Type type);

  /// f64, tensor<..xf64> or tensor<*xf64>.
  Type toType(MLIRContext *ctx) const;

  bool isKnown() const { return known; }
  bool isScalar() const { return known && dims.empty(); }
  /// A scalar, or a tensor with exactly one element.
  bool isScalarLike() const { return known && getNumElements() == 1; }
  unsigned getRank() const { return dims.size(); }
  ArrayRef<int64_t> getDims() const { return dims; }
  int64_t getNumElements() const;

  /// Rows and columns when viewed as a matrix (a vector is a column).
  int64_t rows() const { return dims.empty() ? 1 : dims[0]; }
  int64_t cols() const { return dims.size() < 2 ? 1 : dims[1]; }

  /// Equal, or one of them unknown, or both single-element values.
  bool isCompatibleWith(const ValueShape &other) const;
  bool operator==(const ValueShape &other) const {
    return known == other.known && dims == other.dims;
  }

  /// `{3,3}`, `{3}`, `scalar` or `unknown`, for diagnostics.
  std::string str() const;

private:
  ValueShape(bool known, SmallVector<int64_t, 2> dims)
      : known(known), dims(std::move(dims)) {}
  bool known;
  SmallVector<int64_t, 2> dims;
};

/// A computed shape or the reason it cannot be computed.
struct ShapeResult {
  ValueShape shape = ValueShape::unknown();
  std::string error;
  bool ok() const { return error.empty(); }
  static ShapeResult failure(std::string msg) {
    ShapeResult r;
    r.error = std::move(msg);
    return r;
  }
  static ShapeResult success(ValueShape s) {
    ShapeResult r;
    r.shape = std::move(s);
    return r;
  }
};

/// The shape of `weight * value` under NeuraLogic's multiplication.
ShapeResult weighShape(const ValueShape &weight, const ValueShape &value);

/// The shape a combination function produces from its inputs (in order).
ShapeResult combineShape(Combination kind, ArrayRef<ValueShape> inputs,
                         std::optional<int64_t> axis = std::nullopt);

/// The shape a transformation produces; `rows`, `cols` are half-open slice
/// ranges, `reshape` the target shape.
ShapeResult transformShape(Transformation kind, const ValueShape &input,
                           ArrayRef<int64_t> rows = {},
                           ArrayRef<int64_t> cols = {},
                           ArrayRef<int64_t> reshape = {});

/// The shape of a transposed value (`k(J)^T`).
ValueShape transposeShape(const ValueShape &input);

} // namespace mlir::nlogic

#endif // NLOGIC_DIALECT_NLOGIC_IR_VALUESHAPE_H
