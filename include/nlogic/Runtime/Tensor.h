//===- Tensor.h - dense values of the reference runtime -----------*- C++
//-*-===//
//
// The value of a neuron in the reference evaluator: a dense row-major
// matrix of doubles. A scalar is 1x1, a (column) vector is Nx1, a transposed
// vector 1xN. Clarity over speed: this is the oracle's data type.
//
//===----------------------------------------------------------------------===//

#ifndef NLOGIC_RUNTIME_TENSOR_H
#define NLOGIC_RUNTIME_TENSOR_H

#include <cstdint>
#include <string>
#include <vector>

namespace mlir::nlogic::runtime {

struct Tensor {
  int64_t rows = 1;
  int64_t cols = 1;
  std::vector<double> data{0.0}; // row-major, rows * cols entries

  Tensor() = default;
  Tensor(int64_t rows, int64_t cols, double fill = 0.0)
      : rows(rows), cols(cols), data(rows * cols, fill) {}
  Tensor(int64_t rows, int64_t cols, std::vector<double> values)
      : rows(rows), cols(cols), data(std::move(values)) {}

  static Tensor scalar(double v) { return Tensor(1, 1, v); }
  /// A column vector.
  static Tensor vector(std::vector<double> v) {
    int64_t n = v.size();
    return Tensor(n, 1, std::move(v));
  }
  static Tensor zerosLike(const Tensor &t) { return Tensor(t.rows, t.cols); }

  int64_t size() const { return rows * cols; }
  /// A single element: acts as a scalar in every operation.
  bool isScalar() const { return size() == 1; }
  bool sameShape(const Tensor &o) const {
    return rows == o.rows && cols == o.cols;
  }
  double &operator()(int64_t r, int64_t c) { return data[r * cols + c]; }
  double operator()(int64_t r, int64_t c) const { return data[r * cols + c]; }
  double scalarValue() const { return data[0]; }

  /// Adds `o` into this tensor (same shape, or `o` a scalar broadcast).
  void accumulate(const Tensor &o);

  /// `[1, 2]`, `[[1, 2], [3, 4]]` or `0.5` (for JSON and diagnostics).
  std::string str() const;
};

} // namespace mlir::nlogic::runtime

#endif // NLOGIC_RUNTIME_TENSOR_H
