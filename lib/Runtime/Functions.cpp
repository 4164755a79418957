//===- Functions.cpp - the function catalogue with gradients --------------===//
//
// Forward functions and exact vector-Jacobian products of every
// transformation, combination and aggregation, and of NeuraLogic's weight
// multiplication, on reference tensors. Shapes follow the dialect's shape
// algebra (lib/Dialect/NLogic/IR/ValueShape.cpp); callers verify them
// beforehand, so a shape that does not fit is a bug and fatal here.
//
// This is the oracle the compiled code is checked against: every function is
// written for clarity and exactness (products of the other factors rather
// than divisions, stable softmax), not speed.
//
//===----------------------------------------------------------------------===//

#include "nlogic/Runtime/Functions.h"

#include "llvm/ADT/Twine.h"
#include "llvm/Support/ErrorHandling.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <string>

using namespace mlir::nlogic::runtime;
using llvm::StringRef;
using llvm::Twine;

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

[[noreturn]] static void fail(const Twine &msg) {
  // Not a crash of the runtime itself but a caller that skipped the
  // verifier: no crash diagnostics.
  llvm::report_fatal_error("nlogic runtime: " + msg, /*gen_crash_diag=*/false);
}

static std::string shapeStr(const Tensor &t) {
  return std::to_string(t.rows) + "x" + std::to_string(t.cols);
}

static void requireSameShape(const Tensor &a, const Tensor &b, StringRef what) {
  if (!a.sameShape(b))
    fail(what + ": expected a " + shapeStr(a) + " tensor, got " + shapeStr(b));
}

static double sumOf(const Tensor &t) {
  double s = 0;
  for (double v : t.data)
    s += v;
  return s;
}

/// Sum of the elementwise product of two tensors with as many elements.
static double dot(const Tensor &a, const Tensor &b) {
  double s = 0;
  for (size_t i = 0, e = a.data.size(); i < e; ++i)
    s += a.data[i] * b.data[i];
  return s;
}

static Tensor scaled(Tensor t, double s) {
  for (double &v : t.data)
    v *= s;
  return t;
}

static Tensor transposed(const Tensor &a) {
  Tensor t(a.cols, a.rows);
  for (int64_t r = 0; r < a.rows; ++r)
    for (int64_t c = 0; c < a.cols; ++c)
      t(c, r) = a(r, c);
  return t;
}

static Tensor matmul(const Tensor &a, const Tensor &b) {
  if (a.cols != b.rows)
    fail("matrix product of a " + shapeStr(a) + " and a " + shapeStr(b) +
         " tensor");
  Tensor m(a.rows, b.cols);
  for (int64_t r = 0; r < a.rows; ++r)
    for (int64_t k = 0; k < a.cols; ++k)
      for (int64_t c = 0; c < b.cols; ++c)
        m(r, c) += a(r, k) * b(k, c);
  return m;
}

template <typename F> static Tensor mapElements(const Tensor &x, F f) {
  Tensor y = Tensor::zerosLike(x);
  for (size_t i = 0, e = x.data.size(); i < e; ++i)
    y.data[i] = f(x.data[i]);
  return y;
}

/// dx = dy * f'(x) for an elementwise f whose derivative is given in terms of
/// the input and the output (whichever is more accurate).
template <typename F>
static Tensor elementwiseGrad(const Tensor &x, const Tensor &y,
                              const Tensor &dy, F derivative) {
  Tensor dx = Tensor::zerosLike(x);
  for (size_t i = 0, e = x.data.size(); i < e; ++i)
    dx.data[i] = dy.data[i] * derivative(x.data[i], y.data[i]);
  return dx;
}

//===----------------------------------------------------------------------===//
// Vector transformations: softmax, sparsemax, norm
//===----------------------------------------------------------------------===//

// These normalise over all elements; the verifier only admits vectors, but
// nothing here depends on the shape, which is kept.

static Tensor softmax(const Tensor &x) {
  if (x.data.empty())
    return x;
  // Shifting by the maximum keeps exp from overflowing without changing the
  // result.
  double m = *std::max_element(x.data.begin(), x.data.end());
  Tensor y = mapElements(x, [m](double v) { return std::exp(v - m); });
  double z = sumOf(y);
  for (double &v : y.data)
    v /= z;
  return y;
}

/// dx = y * (dy - <y, dy>), the softmax Jacobian applied to dy.
static Tensor softmaxGrad(const Tensor &y, const Tensor &dy) {
  double s = dot(y, dy);
  Tensor dx = Tensor::zerosLike(y);
  for (size_t i = 0, e = y.data.size(); i < e; ++i)
    dx.data[i] = y.data[i] * (dy.data[i] - s);
  return dx;
}

/// Euclidean projection onto the probability simplex (Martins & Astudillo,
/// 2016): y = max(x - tau, 0) with tau chosen so that y sums to one.
static Tensor sparsemax(const Tensor &x) {
  if (x.data.empty())
    return x;
  std::vector<double> z = x.data;
  std::sort(z.begin(), z.end(), std::greater<double>());
  // The support size k(z) is the largest k with 1 + k z_(k) > sum_{j<=k}
  // z_(j); the condition holds for a prefix of k, and always for k = 1.
  double cumulative = 0, supportSum = 0;
  int64_t k = 0;
  for (size_t j = 0, e = z.size(); j < e; ++j) {
    cumulative += z[j];
    if (1 + double(j + 1) * z[j] > cumulative) {
      k = j + 1;
      supportSum = cumulative;
    }
  }
  double tau = (supportSum - 1) / double(k);
  return mapElements(x, [tau](double v) { return std::max(v - tau, 0.0); });
}

/// dx = s * (dy - mean of dy over the support), s the support indicator.
static Tensor sparsemaxGrad(const Tensor &y, const Tensor &dy) {
  double sum = 0;
  int64_t support = 0;
  for (size_t i = 0, e = y.data.size(); i < e; ++i) {
    if (y.data[i] > 0) {
      sum += dy.data[i];
      ++support;
    }
  }
  double mean = support ? sum / double(support) : 0;
  Tensor dx = Tensor::zerosLike(y);
  for (size_t i = 0, e = y.data.size(); i < e; ++i)
    if (y.data[i] > 0)
      dx.data[i] = dy.data[i] - mean;
  return dx;
}

/// Keeps the variance away from zero, as layer normalisation does.
static constexpr double kNormEpsilon = 1e-5;

/// sqrt(population variance + epsilon) over all elements.
static double normScale(const Tensor &x) {
  double n = double(x.data.size());
  double mean = sumOf(x) / n;
  double var = 0;
  for (double v : x.data)
    var += (v - mean) * (v - mean);
  return std::sqrt(var / n + kNormEpsilon);
}

static Tensor norm(const Tensor &x) {
  if (x.data.empty())
    return x;
  double mean = sumOf(x) / double(x.data.size());
  double sigma = normScale(x);
  return mapElements(x, [=](double v) { return (v - mean) / sigma; });
}

/// dx = (dy - mean(dy) - y * mean(dy * y)) / sigma: the mean and the
/// variance both depend on every element.
static Tensor normGrad(const Tensor &x, const Tensor &y, const Tensor &dy) {
  if (x.data.empty())
    return x;
  double n = double(x.data.size());
  double sigma = normScale(x);
  double meanDy = sumOf(dy) / n;
  double meanDyY = dot(dy, y) / n;
  Tensor dx = Tensor::zerosLike(x);
  for (size_t i = 0, e = x.data.size(); i < e; ++i)
    dx.data[i] = (dy.data[i] - meanDy - y.data[i] * meanDyY) / sigma;
  return dx;
}

//===----------------------------------------------------------------------===//
// Slice and reshape
//===----------------------------------------------------------------------===//

namespace {
/// The half-open block [r0, r1) x [c0, c1) a slice keeps.
struct SliceBlock {
  int64_t r0, r1, c0, c1;
};
} // namespace

static void checkRange(StringRef what, const std::vector<int64_t> &range,
                       int64_t dim) {
  if (range.size() != 2)
    fail("slice " + what + " must be a [begin, end) pair");
  if (range[0] < 0 || range[0] >= range[1] || range[1] > dim)
    fail("slice " + what + " [" + Twine(range[0]) + ", " + Twine(range[1]) +
         ") is out of bounds for a dimension of " + Twine(dim));
}

static SliceBlock sliceBlock(const Tensor &x, const TransformParams &params) {
  checkRange("rows", params.rows, x.rows);
  SliceBlock b{params.rows[0], params.rows[1], 0, x.cols};
  if (!params.cols.empty()) {
    checkRange("cols", params.cols, x.cols);
    b.c0 = params.cols[0];
    b.c1 = params.cols[1];
  }
  return b;
}

static Tensor slice(const Tensor &x, const TransformParams &params) {
  SliceBlock b = sliceBlock(x, params);
  Tensor y(b.r1 - b.r0, b.c1 - b.c0);
  for (int64_t r = b.r0; r < b.r1; ++r)
    for (int64_t c = b.c0; c < b.c1; ++c)
      y(r - b.r0, c - b.c0) = x(r, c);
  return y;
}

/// Scatters dy back into the sliced block; the rest gets no gradient.
static Tensor sliceGrad(const Tensor &x, const Tensor &dy,
                        const TransformParams &params) {
  SliceBlock b = sliceBlock(x, params);
  Tensor dx = Tensor::zerosLike(x);
  for (int64_t r = b.r0; r < b.r1; ++r)
    for (int64_t c = b.c0; c < b.c1; ++c)
      dx(r, c) = dy(r - b.r0, c - b.c0);
  return dx;
}

static Tensor reshape(const Tensor &x, const TransformParams &params) {
  const std::vector<int64_t> &shape = params.shape;
  if (shape.empty() || shape.size() > 2)
    fail("reshape needs a shape of one or two dims");
  // `{n}` is a column vector, as everywhere in NeuraLogic.
  int64_t rows = shape[0], cols = shape.size() == 2 ? shape[1] : 1;
  if (rows * cols != x.size())
    fail("reshape of a " + shapeStr(x) + " tensor to " + Twine(rows) + "x" +
         Twine(cols) + " changes the element count");
  // Row-major data stays in order; only the view changes.
  return Tensor(rows, cols, x.data);
}

//===----------------------------------------------------------------------===//
// Transformations
//===----------------------------------------------------------------------===//

static double sigmoid(double v) {
  // Both branches avoid exp of a large positive number.
  if (v >= 0)
    return 1 / (1 + std::exp(-v));
  double e = std::exp(v);
  return e / (1 + e);
}

Tensor mlir::nlogic::runtime::transform(Transformation kind, const Tensor &x,
                                        const TransformParams &params) {
  switch (kind) {
  case Transformation::identity:
    return x;
  case Transformation::sigmoid:
    return mapElements(x, sigmoid);
  case Transformation::tanh:
    return mapElements(x, [](double v) { return std::tanh(v); });
  case Transformation::signum:
    return mapElements(
        x, [](double v) { return v > 0 ? 1.0 : (v < 0 ? -1.0 : 0.0); });
  case Transformation::relu:
    return mapElements(x, [](double v) { return v > 0 ? v : 0.0; });
  case Transformation::leaky_relu: {
    double alpha = params.alpha;
    return mapElements(x, [alpha](double v) { return v > 0 ? v : alpha * v; });
  }
  case Transformation::lukasiewicz:
    return mapElements(
        x, [](double v) { return std::min(1.0, std::max(0.0, v)); });
  case Transformation::exp:
    return mapElements(x, [](double v) { return std::exp(v); });
  case Transformation::sqrt:
    return mapElements(x, [](double v) { return std::sqrt(v); });
  case Transformation::inverse:
    return mapElements(x, [](double v) { return 1 / v; });
  case Transformation::reverse:
    return mapElements(x, [](double v) { return 1 - v; });
  case Transformation::log:
    return mapElements(x, [](double v) { return std::log(v); });
  case Transformation::transpose:
    return transposed(x);
  case Transformation::softmax:
    return softmax(x);
  case Transformation::sparsemax:
    return sparsemax(x);
  case Transformation::norm:
    return norm(x);
  case Transformation::slice:
    return slice(x, params);
  case Transformation::reshape:
    return reshape(x, params);
  }
  llvm_unreachable("unknown transformation");
}

Tensor mlir::nlogic::runtime::transformGrad(Transformation kind,
                                            const Tensor &x, const Tensor &y,
                                            const Tensor &dy,
                                            const TransformParams &params) {
  requireSameShape(y, dy, "gradient of a transformation's output");
  switch (kind) {
  case Transformation::identity:
    return dy;
  case Transformation::sigmoid:
    return elementwiseGrad(x, y, dy,
                           [](double, double s) { return s * (1 - s); });
  case Transformation::tanh:
    return elementwiseGrad(x, y, dy,
                           [](double, double t) { return 1 - t * t; });
  case Transformation::signum:
    // Piecewise constant: zero almost everywhere (and by convention at 0).
    return Tensor::zerosLike(x);
  case Transformation::relu:
    return elementwiseGrad(x, y, dy,
                           [](double v, double) { return v > 0 ? 1.0 : 0.0; });
  case Transformation::leaky_relu: {
    double alpha = params.alpha;
    return elementwiseGrad(
        x, y, dy, [alpha](double v, double) { return v > 0 ? 1.0 : alpha; });
  }
  case Transformation::lukasiewicz:
    // Clamped outside (0, 1); the kinks at 0 and 1 get the clamped side.
    return elementwiseGrad(
        x, y, dy, [](double v, double) { return v > 0 && v < 1 ? 1.0 : 0.0; });
  case Transformation::exp:
    return elementwiseGrad(x, y, dy, [](double, double e) { return e; });
  case Transformation::sqrt:
    return elementwiseGrad(x, y, dy, [](double, double s) { return 0.5 / s; });
  case Transformation::inverse:
    // d(1/x) = -1/x^2 = -y^2.
    return elementwiseGrad(x, y, dy, [](double, double i) { return -i * i; });
  case Transformation::reverse:
    return scaled(dy, -1);
  case Transformation::log:
    return elementwiseGrad(x, y, dy, [](double v, double) { return 1 / v; });
  case Transformation::transpose:
    return transposed(dy);
  case Transformation::softmax:
    return softmaxGrad(y, dy);
  case Transformation::sparsemax:
    return sparsemaxGrad(y, dy);
  case Transformation::norm:
    return normGrad(x, y, dy);
  case Transformation::slice:
    return sliceGrad(x, dy, params);
  case Transformation::reshape:
    return Tensor(x.rows, x.cols, dy.data);
  }
  llvm_unreachable("unknown transformation");
}

//===----------------------------------------------------------------------===//
// Elementwise combinations with scalar broadcast
//===----------------------------------------------------------------------===//

/// The shape of an elementwise combination: that of the non-scalar inputs
/// (which must agree), or 1x1 when every input is a single element.
static Tensor broadcastResult(StringRef name,
                              const std::vector<Tensor> &inputs) {
  if (inputs.empty())
    fail(name + " of no values");
  const Tensor *shape = nullptr;
  for (const Tensor &in : inputs) {
    if (in.isScalar())
      continue;
    if (shape && !shape->sameShape(in))
      fail(name + " of a " + shapeStr(*shape) + " and a " + shapeStr(in) +
           " tensor");
    shape = &in;
  }
  return shape ? Tensor::zerosLike(*shape) : Tensor::scalar(0);
}

/// Element `i` of an operand, a scalar standing for every element.
static double elementAt(const Tensor &t, size_t i) {
  return t.isScalar() ? t.data[0] : t.data[i];
}

/// Adds a contribution to element `i` of an operand's gradient; a broadcast
/// scalar collects the contributions of every element.
static void addAt(Tensor &grad, size_t i, double v) {
  grad.data[grad.isScalar() ? 0 : i] += v;
}

static std::vector<Tensor> zerosLikeEach(const std::vector<Tensor> &inputs) {
  std::vector<Tensor> grads;
  grads.reserve(inputs.size());
  for (const Tensor &in : inputs)
    grads.push_back(Tensor::zerosLike(in));
  return grads;
}

static Tensor elementwiseSum(StringRef name,
                             const std::vector<Tensor> &inputs) {
  Tensor y = broadcastResult(name, inputs);
  for (size_t i = 0, e = y.data.size(); i < e; ++i)
    for (const Tensor &in : inputs)
      y.data[i] += elementAt(in, i);
  return y;
}

/// Each input gets `scale * dy` (summed when broadcast).
static std::vector<Tensor> elementwiseSumGrad(const std::vector<Tensor> &inputs,
                                              const Tensor &dy, double scale) {
  std::vector<Tensor> grads = zerosLikeEach(inputs);
  for (size_t i = 0, e = dy.data.size(); i < e; ++i)
    for (Tensor &g : grads)
      addAt(g, i, scale * dy.data[i]);
  return grads;
}

/// The index of the first input attaining the maximum (or minimum) of
/// element `i`, so that ties always favour the earliest input.
static size_t extremeIndex(const std::vector<Tensor> &inputs, size_t i,
                           bool isMax) {
  size_t best = 0;
  for (size_t j = 1, e = inputs.size(); j < e; ++j) {
    double v = elementAt(inputs[j], i), b = elementAt(inputs[best], i);
    if (isMax ? v > b : v < b)
      best = j;
  }
  return best;
}

static Tensor elementwiseExtreme(StringRef name,
                                 const std::vector<Tensor> &inputs,
                                 bool isMax) {
  Tensor y = broadcastResult(name, inputs);
  for (size_t i = 0, e = y.data.size(); i < e; ++i)
    y.data[i] = elementAt(inputs[extremeIndex(inputs, i, isMax)], i);
  return y;
}

/// Routes each element's gradient to the input that won it.
static std::vector<Tensor>
elementwiseExtremeGrad(const std::vector<Tensor> &inputs, const Tensor &dy,
                       bool isMax) {
  std::vector<Tensor> grads = zerosLikeEach(inputs);
  for (size_t i = 0, e = dy.data.size(); i < e; ++i)
    addAt(grads[extremeIndex(inputs, i, isMax)], i, dy.data[i]);
  return grads;
}

static Tensor elementwiseProduct(const std::vector<Tensor> &inputs) {
  Tensor y = broadcastResult("elproduct", inputs);
  for (size_t i = 0, e = y.data.size(); i < e; ++i) {
    double p = 1;
    for (const Tensor &in : inputs)
      p *= elementAt(in, i);
    y.data[i] = p;
  }
  return y;
}

/// dx_j = dy * product of the other inputs, multiplied out rather than
/// divided from the result so that zeros stay exact.
static std::vector<Tensor>
elementwiseProductGrad(const std::vector<Tensor> &inputs, const Tensor &dy) {
  std::vector<Tensor> grads = zerosLikeEach(inputs);
  for (size_t i = 0, e = dy.data.size(); i < e; ++i) {
    for (size_t j = 0, n = inputs.size(); j < n; ++j) {
      double p = dy.data[i];
      for (size_t k = 0; k < n; ++k)
        if (k != j)
          p *= elementAt(inputs[k], i);
      addAt(grads[j], i, p);
    }
  }
  return grads;
}

//===----------------------------------------------------------------------===//
// Matrix product chains
//===----------------------------------------------------------------------===//

/// The product of the single-element inputs other than `skip`.
static double scalarFactor(const std::vector<Tensor> &inputs,
                           size_t skip = SIZE_MAX) {
  double s = 1;
  for (size_t j = 0, e = inputs.size(); j < e; ++j)
    if (j != skip && inputs[j].isScalar())
      s *= inputs[j].data[0];
  return s;
}

/// The matrix product of the non-scalar inputs with indices in [begin, end)
/// (in order), or nothing when there are none.
static std::optional<Tensor> chain(const std::vector<Tensor> &inputs,
                                   size_t begin, size_t end) {
  std::optional<Tensor> acc;
  for (size_t j = begin; j < end; ++j) {
    if (inputs[j].isScalar())
      continue;
    acc = acc ? matmul(*acc, inputs[j]) : inputs[j];
  }
  return acc;
}

static Tensor product(const std::vector<Tensor> &inputs) {
  if (inputs.empty())
    fail("product of no values");
  // Single elements are NeuraLogic scalars: they scale the chain instead of
  // taking part in it as 1x1 matrices.
  double s = scalarFactor(inputs);
  std::optional<Tensor> m = chain(inputs, 0, inputs.size());
  return m ? scaled(std::move(*m), s) : Tensor::scalar(s);
}

/// For Y = s M_1 ... M_k: dM_i = s (M_1..M_{i-1})^T dY (M_{i+1}..M_k)^T, and a
/// scalar factor gets <dY, Y / s_j> computed as the product of the other
/// scalars times <dY, M_1 ... M_k>.
static std::vector<Tensor> productGrad(const std::vector<Tensor> &inputs,
                                       const Tensor &dy) {
  size_t n = inputs.size();
  std::vector<Tensor> grads = zerosLikeEach(inputs);
  std::optional<Tensor> all = chain(inputs, 0, n);
  double s = scalarFactor(inputs);
  for (size_t j = 0; j < n; ++j) {
    if (inputs[j].isScalar()) {
      double others = scalarFactor(inputs, j);
      grads[j].data[0] = others * (all ? dot(dy, *all) : dy.data[0]);
      continue;
    }
    Tensor g = scaled(dy, s);
    if (std::optional<Tensor> before = chain(inputs, 0, j))
      g = matmul(transposed(*before), g);
    if (std::optional<Tensor> after = chain(inputs, j + 1, n))
      g = matmul(g, transposed(*after));
    grads[j] = std::move(g);
  }
  return grads;
}

//===----------------------------------------------------------------------===//
// Concatenation
//===----------------------------------------------------------------------===//

/// Whether the inputs join as matrices along an axis rather than flattening
/// into one vector. Like the shape algebra, anything with more than one
/// column (a transposed vector too) is a matrix.
static bool anyMatrix(const std::vector<Tensor> &inputs) {
  return std::any_of(inputs.begin(), inputs.end(),
                     [](const Tensor &t) { return t.cols > 1; });
}

static Tensor flatten(const std::vector<Tensor> &inputs) {
  std::vector<double> data;
  for (const Tensor &in : inputs)
    data.insert(data.end(), in.data.begin(), in.data.end());
  return Tensor::vector(std::move(data));
}

/// Cuts a flattened (or row-stacked) gradient back into the inputs' pieces.
static std::vector<Tensor> unflatten(const std::vector<Tensor> &inputs,
                                     const Tensor &dy) {
  std::vector<Tensor> grads = zerosLikeEach(inputs);
  size_t offset = 0;
  for (Tensor &g : grads) {
    std::copy_n(dy.data.begin() + offset, g.data.size(), g.data.begin());
    offset += g.data.size();
  }
  return grads;
}

static int64_t concatAxis(std::optional<int64_t> axis) {
  int64_t ax = axis.value_or(0);
  if (ax != 0 && ax != 1)
    fail("concat axis must be 0 or 1, got " + Twine(ax));
  return ax;
}

static Tensor concat(const std::vector<Tensor> &inputs,
                     std::optional<int64_t> axis) {
  if (!anyMatrix(inputs))
    return flatten(inputs);
  int64_t ax = concatAxis(axis);
  int64_t rows = 0, cols = 0;
  for (const Tensor &in : inputs) {
    int64_t &sum = ax == 0 ? rows : cols;
    int64_t &common = ax == 0 ? cols : rows;
    int64_t along = ax == 0 ? in.rows : in.cols;
    int64_t across = ax == 0 ? in.cols : in.rows;
    if (common && across != common)
      fail("concat along axis " + Twine(ax) + " of a " + shapeStr(in) +
           " tensor with tensors of " + Twine(common) +
           (ax == 0 ? " columns" : " rows"));
    common = across;
    sum += along;
  }
  // Stacking rows of row-major matrices is plain concatenation of the data.
  if (ax == 0) {
    Tensor y = flatten(inputs);
    return Tensor(rows, cols, std::move(y.data));
  }
  Tensor y(rows, cols);
  int64_t offset = 0;
  for (const Tensor &in : inputs) {
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t c = 0; c < in.cols; ++c)
        y(r, offset + c) = in(r, c);
    offset += in.cols;
  }
  return y;
}

static std::vector<Tensor> concatGrad(const std::vector<Tensor> &inputs,
                                      const Tensor &dy,
                                      std::optional<int64_t> axis) {
  if (!anyMatrix(inputs) || concatAxis(axis) == 0)
    return unflatten(inputs, dy);
  std::vector<Tensor> grads = zerosLikeEach(inputs);
  int64_t offset = 0;
  for (Tensor &g : grads) {
    for (int64_t r = 0; r < g.rows; ++r)
      for (int64_t c = 0; c < g.cols; ++c)
        g(r, c) = dy(r, offset + c);
    offset += g.cols;
  }
  return grads;
}

//===----------------------------------------------------------------------===//
// Cross sum and cosine similarity
//===----------------------------------------------------------------------===//

/// Calls `f(index, digits)` for every index of the cross product of the
/// inputs' elements, the last input's element varying fastest.
template <typename F>
static void forEachCrossIndex(const std::vector<Tensor> &inputs, F f) {
  int64_t total = 1;
  for (const Tensor &in : inputs)
    total *= in.size();
  std::vector<int64_t> digits(inputs.size(), 0);
  for (int64_t index = 0; index < total; ++index) {
    f(index, digits);
    for (size_t j = inputs.size(); j-- > 0;) {
      if (++digits[j] < inputs[j].size())
        break;
      digits[j] = 0;
    }
  }
}

static Tensor crossSum(const std::vector<Tensor> &inputs) {
  int64_t total = 1;
  for (const Tensor &in : inputs)
    total *= in.size();
  // n x 1 is already 1x1 when the total is one.
  Tensor y(total, 1);
  forEachCrossIndex(inputs,
                    [&](int64_t index, const std::vector<int64_t> &digits) {
                      for (size_t j = 0, e = inputs.size(); j < e; ++j)
                        y.data[index] += inputs[j].data[digits[j]];
                    });
  return y;
}

static std::vector<Tensor> crossSumGrad(const std::vector<Tensor> &inputs,
                                        const Tensor &dy) {
  std::vector<Tensor> grads = zerosLikeEach(inputs);
  forEachCrossIndex(inputs,
                    [&](int64_t index, const std::vector<int64_t> &digits) {
                      for (size_t j = 0, e = inputs.size(); j < e; ++j)
                        grads[j].data[digits[j]] += dy.data[index];
                    });
  return grads;
}

static void checkCosSim(const std::vector<Tensor> &inputs) {
  if (inputs.size() != 2)
    fail("cossim combines exactly two values, got " + Twine(inputs.size()));
  if (inputs[0].size() != inputs[1].size())
    fail("cossim of a " + shapeStr(inputs[0]) + " and a " +
         shapeStr(inputs[1]) + " tensor");
}

static Tensor cosSim(const std::vector<Tensor> &inputs) {
  checkCosSim(inputs);
  const Tensor &a = inputs[0], &b = inputs[1];
  double denom = std::sqrt(dot(a, a)) * std::sqrt(dot(b, b));
  // A zero vector has no direction: similarity 0 rather than NaN, which
  // would poison every gradient downstream.
  return Tensor::scalar(denom > 0 ? dot(a, b) / denom : 0.0);
}

/// d/da [a.b / (|a||b|)] = b / (|a||b|) - y a / |a|^2, symmetrically for b.
static std::vector<Tensor> cosSimGrad(const std::vector<Tensor> &inputs,
                                      const Tensor &y, const Tensor &dy) {
  checkCosSim(inputs);
  const Tensor &a = inputs[0], &b = inputs[1];
  std::vector<Tensor> grads = zerosLikeEach(inputs);
  double aa = dot(a, a), bb = dot(b, b);
  double denom = std::sqrt(aa) * std::sqrt(bb);
  if (!(denom > 0))
    return grads;
  double sim = y.data[0], g = dy.data[0];
  for (size_t i = 0, e = a.data.size(); i < e; ++i) {
    grads[0].data[i] = g * (b.data[i] / denom - sim * a.data[i] / aa);
    grads[1].data[i] = g * (a.data[i] / denom - sim * b.data[i] / bb);
  }
  return grads;
}

//===----------------------------------------------------------------------===//
// Combinations
//===----------------------------------------------------------------------===//

Tensor mlir::nlogic::runtime::combine(Combination kind,
                                      const std::vector<Tensor> &inputs,
                                      std::optional<int64_t> axis) {
  switch (kind) {
  case Combination::sum:
    return elementwiseSum("sum", inputs);
  case Combination::avg:
    return scaled(elementwiseSum("avg", inputs), 1.0 / double(inputs.size()));
  case Combination::max:
    return elementwiseExtreme("max", inputs, /*isMax=*/true);
  case Combination::min:
    return elementwiseExtreme("min", inputs, /*isMax=*/false);
  case Combination::elproduct:
    return elementwiseProduct(inputs);
  case Combination::product:
    return product(inputs);
  case Combination::count:
    return Tensor::scalar(double(inputs.size()));
  case Combination::concat:
    return concat(inputs, axis);
  case Combination::crosssum:
    return crossSum(inputs);
  case Combination::cossim:
    return cosSim(inputs);
  case Combination::softmax:
    return softmax(concat(inputs, axis));
  case Combination::sparsemax:
    return sparsemax(concat(inputs, axis));
  }
  llvm_unreachable("unknown combination");
}

std::vector<Tensor> mlir::nlogic::runtime::combineGrad(
    Combination kind, const std::vector<Tensor> &inputs, const Tensor &y,
    const Tensor &dy, std::optional<int64_t> axis) {
  requireSameShape(y, dy, "gradient of a combination's output");
  switch (kind) {
  case Combination::sum:
    return elementwiseSumGrad(inputs, dy, 1.0);
  case Combination::avg:
    return elementwiseSumGrad(inputs, dy, 1.0 / double(inputs.size()));
  case Combination::max:
    return elementwiseExtremeGrad(inputs, dy, /*isMax=*/true);
  case Combination::min:
    return elementwiseExtremeGrad(inputs, dy, /*isMax=*/false);
  case Combination::elproduct:
    return elementwiseProductGrad(inputs, dy);
  case Combination::product:
    return productGrad(inputs, dy);
  case Combination::count:
    return zerosLikeEach(inputs);
  case Combination::concat:
    return concatGrad(inputs, dy, axis);
  case Combination::crosssum:
    return crossSumGrad(inputs, dy);
  case Combination::cossim:
    return cosSimGrad(inputs, y, dy);
  case Combination::softmax:
    return concatGrad(inputs, softmaxGrad(y, dy), axis);
  case Combination::sparsemax:
    return concatGrad(inputs, sparsemaxGrad(y, dy), axis);
  }
  llvm_unreachable("unknown combination");
}

//===----------------------------------------------------------------------===//
// Aggregations
//===----------------------------------------------------------------------===//

// The values of one head atom's substitutions share a shape; the elementwise
// helpers also broadcast single elements, which changes nothing for them.

[[noreturn]] static void failSoftmaxAggregation() {
  fail("softmax aggregation normalises across head atoms and is computed by "
       "the evaluator, not per atom");
}

Tensor mlir::nlogic::runtime::aggregate(Aggregation kind,
                                        const std::vector<Tensor> &values) {
  switch (kind) {
  case Aggregation::sum:
    return elementwiseSum("sum aggregation", values);
  case Aggregation::avg:
    return scaled(elementwiseSum("avg aggregation", values),
                  1.0 / double(values.size()));
  case Aggregation::max:
    return elementwiseExtreme("max aggregation", values, /*isMax=*/true);
  case Aggregation::min:
    return elementwiseExtreme("min aggregation", values, /*isMax=*/false);
  case Aggregation::count:
    return Tensor::scalar(double(values.size()));
  case Aggregation::concat:
    return flatten(values);
  case Aggregation::softmax:
    failSoftmaxAggregation();
  }
  llvm_unreachable("unknown aggregation");
}

std::vector<Tensor>
mlir::nlogic::runtime::aggregateGrad(Aggregation kind,
                                     const std::vector<Tensor> &values,
                                     const Tensor &y, const Tensor &dy) {
  requireSameShape(y, dy, "gradient of an aggregation's output");
  switch (kind) {
  case Aggregation::sum:
    return elementwiseSumGrad(values, dy, 1.0);
  case Aggregation::avg:
    return elementwiseSumGrad(values, dy, 1.0 / double(values.size()));
  case Aggregation::max:
    return elementwiseExtremeGrad(values, dy, /*isMax=*/true);
  case Aggregation::min:
    return elementwiseExtremeGrad(values, dy, /*isMax=*/false);
  case Aggregation::count:
    return zerosLikeEach(values);
  case Aggregation::concat:
    return unflatten(values, dy);
  case Aggregation::softmax:
    failSoftmaxAggregation();
  }
  llvm_unreachable("unknown aggregation");
}

//===----------------------------------------------------------------------===//
// Weight multiplication
//===----------------------------------------------------------------------===//

namespace {
/// The four ways NeuraLogic multiplies a weight and a value, in the order
/// they are tried.
enum class WeighCase { ScaleValue, ScaleWeight, Elementwise, MatrixProduct };
} // namespace

static WeighCase weighCase(const Tensor &w, const Tensor &x) {
  if (w.isScalar())
    return WeighCase::ScaleValue;
  if (x.isScalar())
    return WeighCase::ScaleWeight;
  if (w.cols == 1 && w.sameShape(x))
    return WeighCase::Elementwise;
  if (w.cols == x.rows)
    return WeighCase::MatrixProduct;
  fail("a " + shapeStr(w) + " weight cannot multiply a " + shapeStr(x) +
       " value");
}

Tensor mlir::nlogic::runtime::weigh(const Tensor &w, const Tensor &x) {
  switch (weighCase(w, x)) {
  case WeighCase::ScaleValue:
    return scaled(x, w.data[0]);
  case WeighCase::ScaleWeight:
    return scaled(w, x.data[0]);
  case WeighCase::Elementwise: {
    Tensor y = w;
    for (size_t i = 0, e = y.data.size(); i < e; ++i)
      y.data[i] *= x.data[i];
    return y;
  }
  case WeighCase::MatrixProduct:
    return matmul(w, x);
  }
  llvm_unreachable("unknown weigh case");
}

void mlir::nlogic::runtime::weighGrad(const Tensor &w, const Tensor &x,
                                      const Tensor &dy, Tensor &dw,
                                      Tensor &dx) {
  switch (weighCase(w, x)) {
  case WeighCase::ScaleValue:
    requireSameShape(x, dy, "gradient of weight * value");
    dw = Tensor::scalar(dot(dy, x));
    dx = scaled(dy, w.data[0]);
    return;
  case WeighCase::ScaleWeight:
    requireSameShape(w, dy, "gradient of weight * value");
    dw = scaled(dy, x.data[0]);
    dx = Tensor::scalar(dot(dy, w));
    return;
  case WeighCase::Elementwise:
    requireSameShape(w, dy, "gradient of weight * value");
    dw = dy;
    dx = dy;
    for (size_t i = 0, e = dy.data.size(); i < e; ++i) {
      dw.data[i] *= x.data[i];
      dx.data[i] *= w.data[i];
    }
    return;
  case WeighCase::MatrixProduct:
    if (dy.rows != w.rows || dy.cols != x.cols)
      fail("gradient of weight * value: expected a " + Twine(w.rows) + "x" +
           Twine(x.cols) + " tensor, got " + shapeStr(dy));
    dw = matmul(dy, transposed(x));
    dx = matmul(transposed(w), dy);
    return;
  }
  llvm_unreachable("unknown weigh case");
}
