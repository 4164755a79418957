//===- Tensor.cpp - dense values of the reference runtime -----------------===//
//
// Gradient accumulation (with scalar broadcast) and the text form of
// reference tensors used in JSON output and diagnostics.
//
//===----------------------------------------------------------------------===//

#include "nlogic/Runtime/Tensor.h"

#include "llvm/ADT/Twine.h"
#include "llvm/Support/ErrorHandling.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

using namespace mlir::nlogic::runtime;

void Tensor::accumulate(const Tensor &o) {
  if (sameShape(o)) {
    for (size_t i = 0, e = data.size(); i < e; ++i)
      data[i] += o.data[i];
    return;
  }
  // A scalar contribution (e.g. the gradient of a broadcast operand seen from
  // the other side) adds to every element.
  if (o.isScalar()) {
    double v = o.scalarValue();
    for (double &d : data)
      d += v;
    return;
  }
  // The other direction would need a reduction the caller must decide on
  // (summing into a scalar is a gradient rule, not an accumulation).
  llvm::report_fatal_error(llvm::Twine("nlogic runtime: cannot accumulate a ") +
                               llvm::Twine(o.rows) + "x" + llvm::Twine(o.cols) +
                               " tensor into a " + llvm::Twine(rows) + "x" +
                               llvm::Twine(cols) + " tensor",
                           /*gen_crash_diag=*/false);
}

/// The shortest of %.15g, %.16g and %.17g that reads back as the same double,
/// so that `0.1` prints as `0.1` yet every value round-trips. Non-finite
/// values use the spellings Python's json module accepts.
static std::string formatNumber(double v) {
  if (std::isnan(v))
    return "NaN";
  if (std::isinf(v))
    return v > 0 ? "Infinity" : "-Infinity";
  char buf[32];
  for (int precision = 15; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof(buf), "%.*g", precision, v);
    if (std::strtod(buf, nullptr) == v)
      break;
  }
  return buf;
}

/// `[a, b, ...]` of `n` consecutive elements starting at `first`.
static std::string formatRow(const std::vector<double> &data, size_t first,
                             size_t n) {
  std::string s = "[";
  for (size_t i = 0; i < n; ++i) {
    if (i)
      s += ", ";
    s += formatNumber(data[first + i]);
  }
  return s + "]";
}

std::string Tensor::str() const {
  if (isScalar())
    return formatNumber(data[0]);
  // Column vectors are the common non-scalar value: print them flat.
  if (cols == 1)
    return formatRow(data, 0, rows);
  std::string s = "[";
  for (int64_t r = 0; r < rows; ++r) {
    if (r)
      s += ", ";
    s += formatRow(data, r * cols, cols);
  }
  return s + "]";
}
