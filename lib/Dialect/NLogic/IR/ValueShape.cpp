//===- ValueShape.cpp - shapes of neuron values ---------------------------===//
//
// Implements the shape algebra of NeuraLogic values. Vectors are columns;
// a transposed vector is a 1xN matrix; single-element values stand in for
// scalars wherever NeuraLogic lets them.
//
//===----------------------------------------------------------------------===//

#include "nlogic/Dialect/NLogic/IR/ValueShape.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::nlogic;

ValueShape ValueShape::fromDims(ArrayRef<int64_t> dims) {
  // NeuraLogic's `{1}` is a scalar, `{n}` a vector, `{r,c}` a matrix
  // (`{n,1}` is a column vector and is kept as the vector `{n}`).
  if (dims.empty() || (dims.size() == 1 && dims[0] == 1))
    return scalar();
  if (dims.size() == 1)
    return vector(dims[0]);
  if (dims[1] == 1)
    return vector(dims[0]);
  return matrix(dims[0], dims[1]);
}

ValueShape ValueShape::fromType(Type type) {
  if (auto ranked = dyn_cast<RankedTensorType>(type)) {
    if (ranked.getRank() == 0)
      return scalar();
    return ValueShape(true, SmallVector<int64_t, 2>(ranked.getShape()));
  }
  if (isa<UnrankedTensorType>(type))
    return unknown();
  return scalar();
}

Type ValueShape::toType(MLIRContext *ctx) const {
  Type f64 = Float64Type::get(ctx);
  if (!known)
    return UnrankedTensorType::get(f64);
  if (dims.empty())
    return f64;
  return RankedTensorType::get(dims, f64);
}

int64_t ValueShape::getNumElements() const {
  int64_t n = 1;
  for (int64_t d : dims)
    n *= d;
  return n;
}

bool ValueShape::isCompatibleWith(const ValueShape &other) const {
  if (!known || !other.known)
    return true;
  if (isScalarLike() && other.isScalarLike())
    return true;
  return dims == other.dims;
}

std::string ValueShape::str() const {
  if (!known)
    return "unknown";
  if (dims.empty())
    return "scalar";
  std::string s;
  llvm::raw_string_ostream os(s);
  os << "{";
  llvm::interleave(dims, os, ",");
  os << "}";
  return s;
}

/// A matrix shape from rows x cols, written back as a vector when it has one
/// column.
static ValueShape fromRowsCols(int64_t rows, int64_t cols) {
  if (cols == 1)
    return ValueShape::vector(rows);
  return ValueShape::matrix(rows, cols);
}

ShapeResult mlir::nlogic::weighShape(const ValueShape &weight,
                                     const ValueShape &value) {
  if (!weight.isKnown())
    return ShapeResult::success(ValueShape::unknown());
  if (weight.isScalarLike())
    return ShapeResult::success(value);
  if (!value.isKnown()) {
    // A data-given value may be a scalar (NeuraLogic's default fact value)
    // or a vector: a vector weight gives its own shape either way (scaling
    // or elementwise), a matrix weight depends on which it is.
    if (weight.getRank() == 1)
      return ShapeResult::success(weight);
    return ShapeResult::success(ValueShape::unknown());
  }
  if (value.isScalar())
    return ShapeResult::success(weight);
  if (weight.getRank() == 1) {
    if (value.getDims() == weight.getDims() ||
        (value.getRank() == 1 && value.getNumElements() == 1))
      return ShapeResult::success(weight);
    return ShapeResult::failure("a vector weight of shape " + weight.str() +
                                " cannot multiply a value of shape " +
                                value.str());
  }
  // Matrix weight: matrix product with the value viewed as rows x cols.
  if (weight.cols() == value.rows())
    return ShapeResult::success(fromRowsCols(weight.rows(), value.cols()));
  if (value.isScalarLike())
    return ShapeResult::success(weight);
  return ShapeResult::failure("weight of shape " + weight.str() +
                              " cannot multiply a value of shape " +
                              value.str());
}

/// Shape of an elementwise combination: scalars broadcast, every other
/// operand must agree.
static ShapeResult elementwiseShape(StringRef name,
                                    ArrayRef<ValueShape> inputs) {
  std::optional<ValueShape> result;
  bool anyUnknown = false;
  for (const ValueShape &in : inputs) {
    if (!in.isKnown()) {
      anyUnknown = true;
      continue;
    }
    if (in.isScalarLike())
      continue;
    if (result && !(*result == in))
      return ShapeResult::failure((name + " combination of values of shapes " +
                                   result->str() + " and " + in.str())
                                      .str());
    result = in;
  }
  if (result)
    return ShapeResult::success(*result);
  if (anyUnknown)
    return ShapeResult::success(ValueShape::unknown());
  // Only single-element inputs: keep the first one's form.
  return ShapeResult::success(inputs.empty() ? ValueShape::scalar()
                                             : inputs.front());
}

/// Concatenation of vectors and scalars into one vector; matrices join along
/// `axis`.
static ShapeResult concatShape(ArrayRef<ValueShape> inputs,
                               std::optional<int64_t> axis) {
  bool anyMatrix = false;
  for (const ValueShape &in : inputs) {
    if (!in.isKnown())
      return ShapeResult::success(ValueShape::unknown());
    anyMatrix |= in.getRank() == 2;
  }
  if (!anyMatrix) {
    int64_t n = 0;
    for (const ValueShape &in : inputs)
      n += in.getNumElements();
    return ShapeResult::success(ValueShape::vector(n));
  }
  int64_t ax = axis.value_or(0);
  if (ax != 0 && ax != 1)
    return ShapeResult::failure("concat axis must be 0 or 1");
  int64_t rows = 0, cols = 0;
  for (const ValueShape &in : inputs) {
    int64_t r = in.rows(), c = in.cols();
    if (ax == 0) {
      if (cols && c != cols)
        return ShapeResult::failure("concat along axis 0 of values with " +
                                    std::to_string(cols) + " and " +
                                    std::to_string(c) + " columns");
      cols = c;
      rows += r;
    } else {
      if (rows && r != rows)
        return ShapeResult::failure("concat along axis 1 of values with " +
                                    std::to_string(rows) + " and " +
                                    std::to_string(r) + " rows");
      rows = r;
      cols += c;
    }
  }
  return ShapeResult::success(fromRowsCols(rows, cols));
}

/// Matrix product of the inputs in order; scalars only scale.
static ShapeResult productShape(ArrayRef<ValueShape> inputs) {
  std::optional<std::pair<int64_t, int64_t>> acc;
  std::optional<ValueShape> single;
  for (const ValueShape &in : inputs) {
    if (!in.isKnown())
      return ShapeResult::success(ValueShape::unknown());
    if (in.isScalarLike())
      continue; // single elements scale, as NeuraLogic's scalar values do
    if (!acc) {
      acc = {in.rows(), in.cols()};
      single = in;
      continue;
    }
    single.reset();
    if (acc->second != in.rows())
      return ShapeResult::failure("product chain multiplies a " +
                                  std::to_string(acc->first) + "x" +
                                  std::to_string(acc->second) +
                                  " value by a value of shape " + in.str());
    acc->second = in.cols();
  }
  if (!acc)
    return ShapeResult::success(inputs.size() == 1 ? inputs.front()
                                                   : ValueShape::scalar());
  if (single)
    return ShapeResult::success(*single);
  return ShapeResult::success(fromRowsCols(acc->first, acc->second));
}

ShapeResult mlir::nlogic::combineShape(Combination kind,
                                       ArrayRef<ValueShape> inputs,
                                       std::optional<int64_t> axis) {
  switch (kind) {
  case Combination::sum:
  case Combination::avg:
  case Combination::max:
  case Combination::min:
  case Combination::elproduct:
    return elementwiseShape(stringifyCombination(kind), inputs);
  case Combination::count:
    return ShapeResult::success(ValueShape::scalar());
  case Combination::product:
    return productShape(inputs);
  case Combination::concat:
  case Combination::softmax:
  case Combination::sparsemax:
    return concatShape(inputs, axis);
  case Combination::crosssum: {
    int64_t n = 1;
    for (const ValueShape &in : inputs) {
      if (!in.isKnown())
        return ShapeResult::success(ValueShape::unknown());
      n *= in.getNumElements();
    }
    return ShapeResult::success(n == 1 ? ValueShape::scalar()
                                       : ValueShape::vector(n));
  }
  case Combination::cossim: {
    if (inputs.size() != 2)
      return ShapeResult::failure("cossim combines exactly two values, got " +
                                  std::to_string(inputs.size()));
    if (inputs[0].isKnown() && inputs[1].isKnown() &&
        inputs[0].getNumElements() != inputs[1].getNumElements())
      return ShapeResult::failure("cossim of values of shapes " +
                                  inputs[0].str() + " and " + inputs[1].str());
    return ShapeResult::success(ValueShape::scalar());
  }
  }
  llvm_unreachable("unknown combination");
}

ValueShape mlir::nlogic::transposeShape(const ValueShape &input) {
  if (!input.isKnown() || input.isScalar())
    return input;
  if (input.getRank() == 1)
    return ValueShape::matrix(1, input.getDims()[0]);
  return fromRowsCols(input.cols(), input.rows());
}

/// Checks a half-open `[begin, end]` range against a dimension.
static std::string checkRange(StringRef what, ArrayRef<int64_t> range,
                              int64_t dim) {
  if (range.size() != 2)
    return (what + " must be a [begin, end] pair").str();
  if (range[0] < 0 || range[0] >= range[1] || range[1] > dim)
    return (what + " [" + Twine(range[0]) + ", " + Twine(range[1]) +
            ") is out of bounds for a dimension of " + Twine(dim))
        .str();
  return "";
}

ShapeResult mlir::nlogic::transformShape(Transformation kind,
                                         const ValueShape &input,
                                         ArrayRef<int64_t> rows,
                                         ArrayRef<int64_t> cols,
                                         ArrayRef<int64_t> reshape) {
  switch (kind) {
  case Transformation::softmax:
  case Transformation::sparsemax:
  case Transformation::norm:
    if (input.isKnown() && input.getRank() != 1)
      return ShapeResult::failure(
          (stringifyTransformation(kind) +
           " transformation needs a vector operand, got " + input.str())
              .str());
    return ShapeResult::success(input);
  case Transformation::transpose:
    return ShapeResult::success(transposeShape(input));
  case Transformation::slice: {
    if (rows.empty())
      return ShapeResult::failure("slice needs a `rows` range");
    if (!input.isKnown())
      return ShapeResult::success(input);
    if (input.isScalar())
      return ShapeResult::failure("cannot slice a scalar");
    std::string err = checkRange("slice rows", rows, input.rows());
    if (err.empty() && !cols.empty())
      err = checkRange("slice cols", cols, input.cols());
    if (!err.empty())
      return ShapeResult::failure(err);
    int64_t r = rows[1] - rows[0];
    int64_t c = cols.empty() ? input.cols() : cols[1] - cols[0];
    if (input.getRank() == 1)
      return ShapeResult::success(ValueShape::vector(r));
    return ShapeResult::success(ValueShape::matrix(r, c));
  }
  case Transformation::reshape: {
    if (reshape.empty() || reshape.size() > 2)
      return ShapeResult::failure("reshape needs a `shape` of one or two dims");
    ValueShape target = reshape.size() == 1
                            ? ValueShape::vector(reshape[0])
                            : ValueShape::matrix(reshape[0], reshape[1]);
    if (input.isKnown() && input.getNumElements() != target.getNumElements())
      return ShapeResult::failure("reshape of a value of shape " + input.str() +
                                  " to " + target.str() +
                                  " changes the element count");
    return ShapeResult::success(target);
  }
  default:
    return ShapeResult::success(input);
  }
}
