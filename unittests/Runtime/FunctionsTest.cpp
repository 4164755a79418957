//===- FunctionsTest.cpp - the function catalogue and its gradients -------===//
//
// Every transformation, combination, aggregation and `weigh` on a few values
// computed by hand, and every analytic gradient against central finite
// differences of L = <dy, f(inputs)> for a random upstream gradient dy. The
// inputs stay away from kinks (relu at 0, ties in max, support changes of
// sparsemax) so that the finite differences are meaningful.
//
//===----------------------------------------------------------------------===//

#include "nlogic/Runtime/Functions.h"

#include "TensorAssertions.h"

#include "gtest/gtest.h"

#include <cmath>
#include <cstdlib>
#include <functional>
#include <random>

using namespace mlir::nlogic::runtime;
using mlir::nlogic::runtime::testing::expectTensor;

namespace {

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

/// Central-difference step and the relative+absolute tolerance it supports
/// (truncation error ~h^2, rounding error ~1e-16 / h).
constexpr double kStep = 1e-6;
constexpr double kTolerance = 1e-6;

Tensor mat(int64_t rows, int64_t cols, std::vector<double> values) {
  return Tensor(rows, cols, std::move(values));
}
Tensor vec(std::vector<double> values) {
  return Tensor::vector(std::move(values));
}
Tensor scalar(double v) { return Tensor::scalar(v); }

double innerProduct(const Tensor &a, const Tensor &b) {
  EXPECT_TRUE(a.sameShape(b));
  double s = 0;
  for (size_t i = 0; i < a.data.size(); ++i)
    s += a.data[i] * b.data[i];
  return s;
}

using Forward = std::function<Tensor(const std::vector<Tensor> &)>;
using Backward = std::function<std::vector<Tensor>(
    const std::vector<Tensor> &, const Tensor &y, const Tensor &dy)>;

/// Compares `backward`'s gradients with central differences of
/// L(inputs) = <dy, forward(inputs)> in every element of every input, for a
/// random dy (fixed seed, so failures reproduce).
void expectGradients(const Forward &forward, const Backward &backward,
                     std::vector<Tensor> inputs, unsigned seed = 7) {
  Tensor y = forward(inputs);
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> uniform(-1.0, 1.0);
  Tensor dy = Tensor::zerosLike(y);
  for (double &v : dy.data)
    v = uniform(rng);

  std::vector<Tensor> grads = backward(inputs, y, dy);
  ASSERT_EQ(grads.size(), inputs.size());
  for (size_t k = 0; k < inputs.size(); ++k) {
    ASSERT_TRUE(grads[k].sameShape(inputs[k]))
        << "gradient of input " << k << " is " << grads[k].rows << "x"
        << grads[k].cols << ", input is " << inputs[k].rows << "x"
        << inputs[k].cols;
    for (size_t e = 0; e < inputs[k].data.size(); ++e) {
      double saved = inputs[k].data[e];
      inputs[k].data[e] = saved + kStep;
      double plus = innerProduct(dy, forward(inputs));
      inputs[k].data[e] = saved - kStep;
      double minus = innerProduct(dy, forward(inputs));
      inputs[k].data[e] = saved;
      double numeric = (plus - minus) / (2 * kStep);
      EXPECT_NEAR(grads[k].data[e], numeric,
                  kTolerance * (1 + std::abs(numeric)))
          << "input " << k << ", element " << e;
    }
  }
}

void expectTransformGradient(Transformation kind, const Tensor &x,
                             const TransformParams &params = {}) {
  expectGradients(
      [&](const std::vector<Tensor> &in) {
        return transform(kind, in[0], params);
      },
      [&](const std::vector<Tensor> &in, const Tensor &y, const Tensor &dy) {
        return std::vector<Tensor>{transformGrad(kind, in[0], y, dy, params)};
      },
      {x});
}

void expectCombineGradient(Combination kind, std::vector<Tensor> inputs,
                           std::optional<int64_t> axis = std::nullopt) {
  expectGradients(
      [&](const std::vector<Tensor> &in) { return combine(kind, in, axis); },
      [&](const std::vector<Tensor> &in, const Tensor &y, const Tensor &dy) {
        return combineGrad(kind, in, y, dy, axis);
      },
      std::move(inputs));
}

void expectAggregateGradient(Aggregation kind, std::vector<Tensor> values) {
  expectGradients(
      [&](const std::vector<Tensor> &in) { return aggregate(kind, in); },
      [&](const std::vector<Tensor> &in, const Tensor &y, const Tensor &dy) {
        return aggregateGrad(kind, in, y, dy);
      },
      std::move(values));
}

/// Both the weight's and the value's gradient.
void expectWeighGradient(const Tensor &w, const Tensor &x) {
  expectGradients(
      [](const std::vector<Tensor> &in) { return weigh(in[0], in[1]); },
      [](const std::vector<Tensor> &in, const Tensor &, const Tensor &dy) {
        std::vector<Tensor> grads(2);
        weighGrad(in[0], in[1], dy, grads[0], grads[1]);
        return grads;
      },
      {w, x});
}

/// A 2x3 matrix with distinct values for the matrix cases.
Tensor sampleMatrix() { return mat(2, 3, {0.5, -1.2, 2.0, 0.3, 1.1, -0.7}); }

//===----------------------------------------------------------------------===//
// Tensor
//===----------------------------------------------------------------------===//

TEST(Tensor, AccumulateSameShape) {
  Tensor t = vec({1, 2});
  t.accumulate(vec({0.5, -3}));
  expectTensor(t, 2, 1, {1.5, -1});
}

TEST(Tensor, AccumulateBroadcastsScalar) {
  Tensor t = mat(2, 2, {1, 2, 3, 4});
  t.accumulate(scalar(10));
  expectTensor(t, 2, 2, {11, 12, 13, 14});
}

TEST(TensorDeathTest, AccumulateIntoScalarIsFatal) {
  Tensor t = scalar(1);
  EXPECT_DEATH(t.accumulate(vec({1, 2})), "cannot accumulate");
}

TEST(Tensor, Str) {
  EXPECT_EQ(scalar(0.5).str(), "0.5");
  EXPECT_EQ(scalar(0.1).str(), "0.1");
  EXPECT_EQ(scalar(-3).str(), "-3");
  EXPECT_EQ(vec({1, 2}).str(), "[1, 2]");
  EXPECT_EQ(mat(2, 2, {1, 2, 3, 4}).str(), "[[1, 2], [3, 4]]");
  EXPECT_EQ(mat(1, 3, {1, 2, 3}).str(), "[[1, 2, 3]]");
  EXPECT_EQ(scalar(NAN).str(), "NaN");
  // Every double reads back exactly.
  for (double v : {1.0 / 3, M_PI, 1e-300, -2.5e17, 0.1 + 0.2})
    EXPECT_EQ(std::strtod(scalar(v).str().c_str(), nullptr), v);
}

//===----------------------------------------------------------------------===//
// Transformations
//===----------------------------------------------------------------------===//

TEST(Transformation, Identity) {
  expectTensor(transform(Transformation::identity, vec({1, -2})), 2, 1,
               {1, -2});
  expectTransformGradient(Transformation::identity, sampleMatrix());
}

TEST(Transformation, Sigmoid) {
  expectTensor(
      transform(Transformation::sigmoid, vec({0, std::log(3.0), -800})), 3, 1,
      {0.5, 0.75, 0});
  expectTransformGradient(Transformation::sigmoid, sampleMatrix());
}

TEST(Transformation, Tanh) {
  expectTensor(transform(Transformation::tanh, vec({0, std::log(2.0)})), 2, 1,
               {0, 0.6});
  expectTransformGradient(Transformation::tanh, sampleMatrix());
}

TEST(Transformation, Signum) {
  expectTensor(transform(Transformation::signum, vec({-2, 0, 3})), 3, 1,
               {-1, 0, 1});
  expectTransformGradient(Transformation::signum, vec({-2, 0.5, 3}));
}

TEST(Transformation, Relu) {
  expectTensor(transform(Transformation::relu, vec({-1, 2})), 2, 1, {0, 2});
  expectTransformGradient(Transformation::relu, sampleMatrix());
}

TEST(Transformation, LeakyRelu) {
  TransformParams params;
  params.alpha = 0.1;
  expectTensor(transform(Transformation::leaky_relu, vec({-2, 3}), params), 2,
               1, {-0.2, 3});
  // The default slope.
  expectTensor(transform(Transformation::leaky_relu, vec({-2})), 1, 1, {-0.02});
  expectTransformGradient(Transformation::leaky_relu, sampleMatrix(), params);
}

TEST(Transformation, Lukasiewicz) {
  expectTensor(transform(Transformation::lukasiewicz, vec({-0.5, 0.25, 1.5})),
               3, 1, {0, 0.25, 1});
  expectTransformGradient(Transformation::lukasiewicz,
                          vec({-0.5, 0.25, 0.8, 1.5}));
}

TEST(Transformation, Exp) {
  expectTensor(transform(Transformation::exp, vec({0, std::log(2.0)})), 2, 1,
               {1, 2});
  expectTransformGradient(Transformation::exp, sampleMatrix());
}

TEST(Transformation, Sqrt) {
  expectTensor(transform(Transformation::sqrt, vec({4, 0.25})), 2, 1, {2, 0.5});
  expectTransformGradient(Transformation::sqrt, vec({4, 0.25, 1.7}));
}

TEST(Transformation, Log) {
  expectTensor(transform(Transformation::log, vec({1, std::exp(1.0)})), 2, 1,
               {0, 1});
  expectTransformGradient(Transformation::log, vec({0.5, 1, 3.2}));
}

TEST(Transformation, Inverse) {
  expectTensor(transform(Transformation::inverse, vec({2, -0.5})), 2, 1,
               {0.5, -2});
  expectTransformGradient(Transformation::inverse, vec({2, -0.5, 1.3}));
}

TEST(Transformation, Reverse) {
  expectTensor(transform(Transformation::reverse, vec({0.25, 2})), 2, 1,
               {0.75, -1});
  expectTransformGradient(Transformation::reverse, sampleMatrix());
}

TEST(Transformation, Transpose) {
  expectTensor(
      transform(Transformation::transpose, mat(2, 3, {1, 2, 3, 4, 5, 6})), 3, 2,
      {1, 4, 2, 5, 3, 6});
  // A column vector becomes a 1xN row and back.
  expectTensor(transform(Transformation::transpose, vec({1, 2, 3})), 1, 3,
               {1, 2, 3});
  expectTensor(transform(Transformation::transpose, mat(1, 2, {1, 2})), 2, 1,
               {1, 2});
  expectTransformGradient(Transformation::transpose, sampleMatrix());
  expectTransformGradient(Transformation::transpose, vec({0.3, -0.2}));
}

TEST(Transformation, Softmax) {
  expectTensor(transform(Transformation::softmax,
                         vec({0, std::log(2.0), std::log(3.0)})),
               3, 1, {1.0 / 6, 1.0 / 3, 1.0 / 2});
  // Stable for large inputs.
  expectTensor(transform(Transformation::softmax, vec({1000, 1000})), 2, 1,
               {0.5, 0.5});
  expectTransformGradient(Transformation::softmax, vec({0.5, -1.2, 2.0, 0.3}));
}

TEST(Transformation, Sparsemax) {
  // Support {0, 1}: tau = (0.5 + 0.3 - 1) / 2 = -0.1.
  expectTensor(transform(Transformation::sparsemax, vec({0.5, 0.3, -1})), 3, 1,
               {0.6, 0.4, 0});
  // One dominant element takes everything.
  expectTensor(transform(Transformation::sparsemax, vec({3, 0, -1})), 3, 1,
               {1, 0, 0});
  // Support of three out of four, with margins far beyond the FD step.
  expectTransformGradient(Transformation::sparsemax, vec({0.5, 0.3, -1, 0.1}));
}

TEST(Transformation, Norm) {
  double sigma = std::sqrt(2.0 / 3 + 1e-5);
  expectTensor(transform(Transformation::norm, vec({1, 2, 3})), 3, 1,
               {-1 / sigma, 0, 1 / sigma});
  expectTransformGradient(Transformation::norm, vec({0.3, -1.2, 2.0, 0.7}));
}

TEST(Transformation, Slice) {
  Tensor m = mat(3, 3, {1, 2, 3, 4, 5, 6, 7, 8, 9});
  TransformParams block;
  block.rows = {1, 3};
  block.cols = {0, 2};
  expectTensor(transform(Transformation::slice, m, block), 2, 2, {4, 5, 7, 8});
  // Without cols every column stays.
  TransformParams firstRow;
  firstRow.rows = {0, 1};
  expectTensor(transform(Transformation::slice, m, firstRow), 1, 3, {1, 2, 3});
  TransformParams middle;
  middle.rows = {1, 4};
  expectTensor(transform(Transformation::slice, vec({1, 2, 3, 4, 5}), middle),
               3, 1, {2, 3, 4});
  expectTransformGradient(Transformation::slice, m, block);
  expectTransformGradient(Transformation::slice, vec({1, 2, 3, 4, 5}), middle);
}

TEST(Transformation, Reshape) {
  TransformParams toMatrix;
  toMatrix.shape = {2, 3};
  expectTensor(
      transform(Transformation::reshape, vec({1, 2, 3, 4, 5, 6}), toMatrix), 2,
      3, {1, 2, 3, 4, 5, 6});
  TransformParams toVector;
  toVector.shape = {6};
  expectTensor(transform(Transformation::reshape, mat(2, 3, {1, 2, 3, 4, 5, 6}),
                         toVector),
               6, 1, {1, 2, 3, 4, 5, 6});
  TransformParams toColumns;
  toColumns.shape = {3, 2};
  expectTransformGradient(Transformation::reshape, sampleMatrix(), toColumns);
  expectTransformGradient(Transformation::reshape, sampleMatrix(), toVector);
}

//===----------------------------------------------------------------------===//
// Combinations
//===----------------------------------------------------------------------===//

TEST(Combination, Sum) {
  expectTensor(combine(Combination::sum, {vec({1, 2}), vec({3, 4})}), 2, 1,
               {4, 6});
  expectTensor(combine(Combination::sum, {scalar(1), scalar(2)}), 1, 1, {3});
  // A scalar broadcasts.
  expectTensor(
      combine(Combination::sum, {vec({1, 2}), scalar(10), vec({3, 4})}), 2, 1,
      {14, 16});
  expectCombineGradient(Combination::sum,
                        {vec({1, 2}), scalar(10), vec({3, 4})});
}

TEST(Combination, Avg) {
  expectTensor(combine(Combination::avg, {vec({1, 2}), vec({3, 4})}), 2, 1,
               {2, 3});
  expectTensor(combine(Combination::avg, {sampleMatrix(), scalar(1),
                                          Tensor::zerosLike(sampleMatrix())}),
               2, 3, {0.5, -0.2 / 3, 1, 1.3 / 3, 0.7, 0.1});
  expectCombineGradient(Combination::avg,
                        {sampleMatrix(), scalar(1), sampleMatrix()});
}

TEST(Combination, Max) {
  expectTensor(combine(Combination::max, {vec({1, 5, 3}), vec({4, 2, 3.5})}), 3,
               1, {4, 5, 3.5});
  // Ties go to the first input.
  Tensor a = vec({1, 2}), b = vec({1, 0});
  Tensor y = combine(Combination::max, {a, b});
  std::vector<Tensor> grads =
      combineGrad(Combination::max, {a, b}, y, vec({1, 1}));
  expectTensor(grads[0], 2, 1, {1, 1});
  expectTensor(grads[1], 2, 1, {0, 0});
  expectCombineGradient(Combination::max,
                        {vec({1, 5, 3}), vec({4, 2, 3.5}), vec({0, 1, 4})});
}

TEST(Combination, MaxWithBroadcastScalar) {
  // The scalar wins elements 0 and 2 and collects both their gradients.
  Tensor x = vec({1, 5, 0}), s = scalar(2.5);
  Tensor y = combine(Combination::max, {x, s});
  expectTensor(y, 3, 1, {2.5, 5, 2.5});
  std::vector<Tensor> grads =
      combineGrad(Combination::max, {x, s}, y, vec({0.1, 0.2, 0.4}));
  expectTensor(grads[0], 3, 1, {0, 0.2, 0});
  expectTensor(grads[1], 1, 1, {0.5});
  expectCombineGradient(Combination::max, {x, s});
}

TEST(Combination, Min) {
  expectTensor(combine(Combination::min, {vec({1, 5, 3}), vec({4, 2, 3.5})}), 3,
               1, {1, 2, 3});
  expectCombineGradient(Combination::min,
                        {vec({1, 5, 3}), vec({4, 2, 3.5}), vec({0, 1, 4})});
}

TEST(Combination, MinWithBroadcastScalar) {
  Tensor x = vec({1, 5, 0, 7}), s = scalar(2.5);
  Tensor y = combine(Combination::min, {s, x});
  expectTensor(y, 4, 1, {1, 2.5, 0, 2.5});
  std::vector<Tensor> grads =
      combineGrad(Combination::min, {s, x}, y, vec({1, 2, 4, 8}));
  expectTensor(grads[0], 1, 1, {10});
  expectTensor(grads[1], 4, 1, {1, 0, 4, 0});
  expectCombineGradient(Combination::min, {s, x});
}

TEST(Combination, ElProduct) {
  expectTensor(combine(Combination::elproduct,
                       {vec({1, 2, 3}), vec({2, 3, 4}), scalar(0.5)}),
               3, 1, {1, 3, 6});
  // A zero factor still gives the others their exact gradient.
  Tensor y =
      combine(Combination::elproduct, {vec({0, 2}), vec({3, 4}), scalar(2)});
  std::vector<Tensor> grads =
      combineGrad(Combination::elproduct, {vec({0, 2}), vec({3, 4}), scalar(2)},
                  y, vec({1, 1}));
  expectTensor(grads[0], 2, 1, {6, 8});
  expectTensor(grads[1], 2, 1, {0, 4});
  expectTensor(grads[2], 1, 1, {8});
  expectCombineGradient(Combination::elproduct,
                        {vec({1, -2, 3}), scalar(0.5), vec({2, 3, -4})});
}

TEST(Combination, Product) {
  Tensor a = mat(2, 3, {1, 2, 3, 4, 5, 6});
  Tensor b = mat(3, 2, {1, 0, 0, 1, 1, 1});
  expectTensor(combine(Combination::product, {a, b}), 2, 2, {4, 5, 10, 11});
  expectCombineGradient(Combination::product, {a, b, vec({0.5, -1})});
  expectCombineGradient(Combination::product, {sampleMatrix(), b});
}

TEST(Combination, ProductChainWithScalars) {
  Tensor a = mat(2, 3, {1, 2, 3, 4, 5, 6});
  Tensor b = mat(3, 2, {1, 0, 0, 1, 1, 1});
  // 2 * A * 3 * B * v, with A B = [[4, 5], [10, 11]] and v = [1, -1].
  expectTensor(
      combine(Combination::product, {scalar(2), a, scalar(3), b, vec({1, -1})}),
      2, 1, {-6, -6});
  expectCombineGradient(
      Combination::product,
      {scalar(2), sampleMatrix(), scalar(-0.5), b, vec({1, -1}), scalar(1.5)});
  // A zero scalar still passes its co-factors' gradients exactly.
  std::vector<Tensor> in = {scalar(0), scalar(3), vec({1, 2})};
  Tensor y = combine(Combination::product, in);
  expectTensor(y, 2, 1, {0, 0});
  std::vector<Tensor> grads =
      combineGrad(Combination::product, in, y, vec({1, 1}));
  expectTensor(grads[0], 1, 1, {9});
  expectTensor(grads[1], 1, 1, {0});
  expectTensor(grads[2], 2, 1, {0, 0});
}

TEST(Combination, ProductSingleMatrixIsScaled) {
  expectTensor(
      combine(Combination::product, {scalar(3), mat(2, 2, {1, 2, 3, 4})}), 2, 2,
      {3, 6, 9, 12});
  expectTensor(combine(Combination::product, {vec({1, 2})}), 2, 1, {1, 2});
  expectCombineGradient(Combination::product,
                        {scalar(3), sampleMatrix(), scalar(-0.5)});
}

TEST(Combination, ProductOfScalars) {
  expectTensor(combine(Combination::product, {scalar(2), scalar(3)}), 1, 1,
               {6});
  expectCombineGradient(Combination::product,
                        {scalar(2), scalar(3), scalar(-0.5)});
}

TEST(Combination, Count) {
  expectTensor(
      combine(Combination::count, {vec({1, 2}), scalar(3), vec({4, 5})}), 1, 1,
      {3});
  expectCombineGradient(Combination::count,
                        {vec({1, 2}), scalar(3), vec({4, 5})});
}

TEST(Combination, ConcatVectors) {
  expectTensor(
      combine(Combination::concat, {vec({1, 2}), scalar(3), vec({4, 5, 6})}), 6,
      1, {1, 2, 3, 4, 5, 6});
  // The axis only matters for matrices.
  expectTensor(combine(Combination::concat, {vec({1, 2}), scalar(3)}, 1), 3, 1,
               {1, 2, 3});
  expectCombineGradient(Combination::concat,
                        {vec({1, 2}), scalar(3), vec({4, 5, 6})});
}

TEST(Combination, ConcatMatricesAxis0) {
  Tensor m = mat(2, 2, {1, 2, 3, 4});
  expectTensor(combine(Combination::concat, {m, mat(1, 2, {5, 6})}, 0), 3, 2,
               {1, 2, 3, 4, 5, 6});
  // Axis 0 is the default.
  expectTensor(combine(Combination::concat, {mat(1, 2, {5, 6}), m}), 3, 2,
               {5, 6, 1, 2, 3, 4});
  expectCombineGradient(Combination::concat,
                        {sampleMatrix(), mat(1, 3, {7, 8, 9})}, 0);
}

TEST(Combination, ConcatMatricesAxis1) {
  Tensor m = mat(2, 2, {1, 2, 3, 4});
  expectTensor(combine(Combination::concat, {m, vec({7, 8})}, 1), 2, 3,
               {1, 2, 7, 3, 4, 8});
  expectCombineGradient(Combination::concat, {vec({7, 8}), sampleMatrix(), m},
                        1);
}

TEST(Combination, CrossSum) {
  expectTensor(combine(Combination::crosssum, {vec({1, 2}), vec({10, 20, 30})}),
               6, 1, {11, 21, 31, 12, 22, 32});
  expectTensor(combine(Combination::crosssum, {vec({1, 2}), scalar(100)}), 2, 1,
               {101, 102});
  expectTensor(combine(Combination::crosssum, {scalar(1), scalar(2)}), 1, 1,
               {3});
  expectCombineGradient(
      Combination::crosssum,
      {vec({1, 2}), scalar(0.5), mat(2, 2, {10, 20, 30, 40}), vec({-1, 1})});
}

TEST(Combination, CosSim) {
  expectTensor(combine(Combination::cossim, {vec({1, 0}), vec({0, 1})}), 1, 1,
               {0});
  expectTensor(combine(Combination::cossim, {vec({1, 2, 2}), vec({2, 4, 4})}),
               1, 1, {1});
  expectTensor(combine(Combination::cossim, {vec({3, 4}), vec({4, 3})}), 1, 1,
               {24.0 / 25});
  expectCombineGradient(Combination::cossim,
                        {vec({0.5, -1.2, 2.0}), vec({0.3, 1.1, -0.7})});
  // Equal element counts suffice.
  expectCombineGradient(Combination::cossim,
                        {vec({0.5, -1.2, 2.0}), mat(1, 3, {0.3, 1.1, 0.7})});
}

TEST(Combination, Softmax) {
  expectTensor(combine(Combination::softmax,
                       {scalar(0), vec({std::log(2.0), std::log(3.0)})}),
               3, 1, {1.0 / 6, 1.0 / 3, 1.0 / 2});
  expectCombineGradient(Combination::softmax,
                        {scalar(0.5), vec({-1.2, 2.0}), vec({0.3})});
}

TEST(Combination, Sparsemax) {
  expectTensor(
      combine(Combination::sparsemax, {scalar(0.5), vec({0.3, -1, 0.1})}), 4, 1,
      {0.5 + 1.0 / 30, 0.3 + 1.0 / 30, 0, 0.1 + 1.0 / 30});
  expectCombineGradient(Combination::sparsemax,
                        {scalar(0.5), vec({0.3, -1}), vec({0.1})});
}

//===----------------------------------------------------------------------===//
// Aggregations
//===----------------------------------------------------------------------===//

TEST(Aggregation, Sum) {
  expectTensor(
      aggregate(Aggregation::sum, {vec({1, 2}), vec({3, 4}), vec({5, 6})}), 2,
      1, {9, 12});
  expectAggregateGradient(Aggregation::sum,
                          {sampleMatrix(), sampleMatrix(), sampleMatrix()});
}

TEST(Aggregation, Avg) {
  expectTensor(
      aggregate(Aggregation::avg, {vec({1, 2}), vec({3, 4}), vec({5, 6})}), 2,
      1, {3, 4});
  expectAggregateGradient(Aggregation::avg,
                          {vec({1, 2}), vec({3, 4}), vec({5, 6})});
}

TEST(Aggregation, Max) {
  Tensor a = vec({1, 5}), b = vec({4, 5}), c = vec({2, 0});
  Tensor y = aggregate(Aggregation::max, {a, b, c});
  expectTensor(y, 2, 1, {4, 5});
  // The tie in element 1 goes to the first value.
  std::vector<Tensor> grads =
      aggregateGrad(Aggregation::max, {a, b, c}, y, vec({1, 2}));
  expectTensor(grads[0], 2, 1, {0, 2});
  expectTensor(grads[1], 2, 1, {1, 0});
  expectTensor(grads[2], 2, 1, {0, 0});
  expectAggregateGradient(Aggregation::max,
                          {vec({1, 5, 0}), vec({4, 2, 1}), vec({2, 0, 3})});
}

TEST(Aggregation, Min) {
  expectTensor(aggregate(Aggregation::min, {vec({1, 5}), vec({4, 2})}), 2, 1,
               {1, 2});
  expectAggregateGradient(Aggregation::min,
                          {vec({1, 5, 0}), vec({4, 2, 1}), vec({2, 0, 3})});
}

TEST(Aggregation, Count) {
  expectTensor(aggregate(Aggregation::count, {scalar(1), scalar(2), scalar(3)}),
               1, 1, {3});
  expectAggregateGradient(Aggregation::count, {vec({1, 2}), vec({3, 4})});
}

TEST(Aggregation, Concat) {
  // Everything flattens, matrices included.
  expectTensor(aggregate(Aggregation::concat,
                         {vec({1, 2}), mat(2, 2, {3, 4, 5, 6}), scalar(7)}),
               7, 1, {1, 2, 3, 4, 5, 6, 7});
  expectAggregateGradient(Aggregation::concat,
                          {vec({1, 2}), sampleMatrix(), scalar(7)});
}

TEST(AggregationDeathTest, SoftmaxIsFatal) {
  EXPECT_DEATH(aggregate(Aggregation::softmax, {scalar(1), scalar(2)}),
               "softmax aggregation");
}

//===----------------------------------------------------------------------===//
// Weight multiplication
//===----------------------------------------------------------------------===//

TEST(Weigh, ScalarWeight) {
  expectTensor(weigh(scalar(2), vec({1, 2, 3})), 3, 1, {2, 4, 6});
  expectTensor(weigh(scalar(2), scalar(3)), 1, 1, {6});
  expectWeighGradient(scalar(-1.5), sampleMatrix());
  expectWeighGradient(scalar(-1.5), scalar(0.7));
}

TEST(Weigh, ScalarValue) {
  expectTensor(weigh(mat(2, 2, {1, 2, 3, 4}), scalar(0.5)), 2, 2,
               {0.5, 1, 1.5, 2});
  expectTensor(weigh(vec({1, 2}), scalar(3)), 2, 1, {3, 6});
  expectWeighGradient(sampleMatrix(), scalar(0.7));
}

TEST(Weigh, ElementwiseVector) {
  expectTensor(weigh(vec({1, 2, 3}), vec({4, 5, 6})), 3, 1, {4, 10, 18});
  expectWeighGradient(vec({0.5, -1.2, 2.0}), vec({0.3, 1.1, -0.7}));
}

TEST(Weigh, MatrixProduct) {
  expectTensor(weigh(mat(2, 3, {1, 2, 3, 4, 5, 6}), vec({1, 0, -1})), 2, 1,
               {-2, -2});
  // A transposed vector times a vector is their dot product.
  expectTensor(weigh(mat(1, 3, {1, 2, 3}), vec({4, 5, 6})), 1, 1, {32});
  expectWeighGradient(sampleMatrix(), vec({0.3, 1.1, -0.7}));
  expectWeighGradient(sampleMatrix(), mat(3, 2, {1, 0.5, -1, 2, 0.3, -0.4}));
  expectWeighGradient(mat(1, 3, {1, 2, 3}), vec({4, 5, 6}));
}

} // namespace
