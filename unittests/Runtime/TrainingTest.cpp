//===- TrainingTest.cpp - losses, optimizers, initialisers, metrics -------===//
//
// The training pieces shared by every engine (Training.h): each loss's
// value on a few hand-computed cases and its gradient against central finite
// differences; SGD and Adam steps computed by hand (fixed weights, partial
// updates with `used`); weight initialisation (determinism, bounds,
// initial values); metrics (accuracy thresholds, AUROC with ties and its
// undefined cases); and weight checkpoints (exact round trip, atomic
// writes, errors that name the offending weight).
//
//===----------------------------------------------------------------------===//

#include "nlogic/Runtime/Training.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include "TensorAssertions.h"

#include "gtest/gtest.h"

#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <vector>

using namespace mlir::nlogic::runtime;
using mlir::nlogic::runtime::testing::expectTensor;

namespace {

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

/// Central-difference step and the relative+absolute tolerance it supports.
constexpr double kStep = 1e-6;
constexpr double kTolerance = 1e-6;

// Adam's constants, as documented in Training.cpp.
constexpr double kBeta1 = 0.9, kBeta2 = 0.999, kEps = 1e-8;

Tensor vec(std::vector<double> values) {
  return Tensor::vector(std::move(values));
}
Tensor scalar(double v) { return Tensor::scalar(v); }

bool contains(const std::string &haystack, const std::string &needle) {
  return haystack.find(needle) != std::string::npos;
}

/// A weight declaration as buildModel would produce it.
WeightModel weight(std::string name, int64_t rows, int64_t cols,
                   std::optional<Initializer> init = std::nullopt,
                   bool fixed = false,
                   std::optional<Tensor> initialValue = std::nullopt) {
  WeightModel w;
  w.name = std::move(name);
  w.rows = rows;
  w.cols = cols;
  w.fixed = fixed;
  w.initializer = init;
  w.initialValue = std::move(initialValue);
  return w;
}

TemplateModel modelWith(std::vector<WeightModel> weights) {
  TemplateModel model;
  model.weights = std::move(weights);
  return model;
}

double lossOf(Loss loss, const Tensor &output, const Tensor &target) {
  Tensor d;
  return lossAndGrad(loss, output, target, d);
}

/// Compares lossAndGrad's gradient with central differences of its value in
/// every element of `output`.
void expectLossGradient(Loss loss, Tensor output, const Tensor &target) {
  Tensor grad;
  double value = lossAndGrad(loss, output, target, grad);
  ASSERT_TRUE(std::isfinite(value));
  ASSERT_TRUE(grad.sameShape(output))
      << "gradient is " << grad.rows << "x" << grad.cols << ", output is "
      << output.rows << "x" << output.cols;
  for (size_t e = 0; e < output.data.size(); ++e) {
    double saved = output.data[e];
    output.data[e] = saved + kStep;
    double plus = lossOf(loss, output, target);
    output.data[e] = saved - kStep;
    double minus = lossOf(loss, output, target);
    output.data[e] = saved;
    double numeric = (plus - minus) / (2 * kStep);
    EXPECT_NEAR(grad.data[e], numeric, kTolerance * (1 + std::abs(numeric)))
        << "element " << e << " of output " << output.str() << ", target "
        << target.str();
  }
}

std::vector<Tensor> scalars(std::vector<double> values) {
  std::vector<Tensor> result;
  for (double v : values)
    result.push_back(scalar(v));
  return result;
}

//===----------------------------------------------------------------------===//
// Losses
//===----------------------------------------------------------------------===//

TEST(Loss, MSEExactValues) {
  Tensor d;
  EXPECT_DOUBLE_EQ(lossAndGrad(Loss::MSE, scalar(0.5), scalar(1), d), 0.25);
  expectTensor(d, 1, 1, {-1});

  // Mean over elements: (0 + 4 + 9) / 3, gradient 2 (o - t) / n.
  EXPECT_DOUBLE_EQ(lossAndGrad(Loss::MSE, vec({1, 2, 3}), vec({1, 0, 0}), d),
                   13.0 / 3);
  expectTensor(d, 3, 1, {0, 4.0 / 3, 2});

  // A scalar target is broadcast over a vector output.
  EXPECT_DOUBLE_EQ(lossAndGrad(Loss::MSE, vec({0, 2}), scalar(1), d), 1.0);
  expectTensor(d, 2, 1, {-1, 1});
}

TEST(Loss, MSEGradient) {
  expectLossGradient(Loss::MSE, scalar(0.3), scalar(1));
  expectLossGradient(Loss::MSE, scalar(-2.5), scalar(-1));
  expectLossGradient(Loss::MSE, vec({0.5, -1.2, 2.0}), vec({1, 0, -1}));
  expectLossGradient(Loss::MSE, Tensor(2, 3, {0.5, -1.2, 2.0, 0.3, 1.1, -0.7}),
                     Tensor(2, 3, {1, 0, 0, 0, 1, 0}));
  expectLossGradient(Loss::MSE, vec({0.5, -1.2, 2.0}), scalar(0.25));
}

TEST(Loss, CrossEntropyExactValues) {
  Tensor d;
  // Single logit: sigmoid cross-entropy.
  EXPECT_DOUBLE_EQ(lossAndGrad(Loss::CrossEntropy, scalar(0), scalar(1), d),
                   std::log(2.0));
  expectTensor(d, 1, 1, {-0.5});
  EXPECT_DOUBLE_EQ(lossAndGrad(Loss::CrossEntropy, scalar(0), scalar(0), d),
                   std::log(2.0));
  expectTensor(d, 1, 1, {0.5});
  // sigmoid(log 3) = 3/4.
  EXPECT_NEAR(
      lossAndGrad(Loss::CrossEntropy, scalar(std::log(3.0)), scalar(1), d),
      std::log(4.0 / 3), 1e-15);
  expectTensor(d, 1, 1, {-0.25});

  // Large logits stay finite.
  EXPECT_DOUBLE_EQ(lossAndGrad(Loss::CrossEntropy, scalar(1000), scalar(0), d),
                   1000);
  expectTensor(d, 1, 1, {1});
  EXPECT_DOUBLE_EQ(lossAndGrad(Loss::CrossEntropy, scalar(-1000), scalar(1), d),
                   1000);
  expectTensor(d, 1, 1, {-1});
  EXPECT_NEAR(lossAndGrad(Loss::CrossEntropy, scalar(1000), scalar(1), d), 0,
              1e-300);
  expectTensor(d, 1, 1, {0});

  // Vector: softmax cross-entropy; equal logits give p = 1/3.
  EXPECT_NEAR(
      lossAndGrad(Loss::CrossEntropy, vec({0, 0, 0}), vec({0, 1, 0}), d),
      std::log(3.0), 1e-15);
  expectTensor(d, 3, 1, {1.0 / 3, 1.0 / 3 - 1, 1.0 / 3});
  // Shifting every logit changes nothing.
  EXPECT_NEAR(
      lossAndGrad(Loss::CrossEntropy, vec({500, 500, 500}), vec({0, 1, 0}), d),
      std::log(3.0), 1e-12);
  expectTensor(d, 3, 1, {1.0 / 3, 1.0 / 3 - 1, 1.0 / 3});
  // Large logits stay finite.
  double v =
      lossAndGrad(Loss::CrossEntropy, vec({1000, 0, -1000}), vec({1, 0, 0}), d);
  EXPECT_NEAR(v, 0, 1e-300);
  expectTensor(d, 3, 1, {0, 0, 0});
  v = lossAndGrad(Loss::CrossEntropy, vec({1000, 0, -1000}), vec({0, 0, 1}), d);
  EXPECT_DOUBLE_EQ(v, 2000);
  expectTensor(d, 3, 1, {1, 0, -1});
}

TEST(Loss, CrossEntropyGradient) {
  // Single logit.
  expectLossGradient(Loss::CrossEntropy, scalar(0.7), scalar(1));
  expectLossGradient(Loss::CrossEntropy, scalar(-1.3), scalar(0));
  expectLossGradient(Loss::CrossEntropy, scalar(2.2), scalar(0.3));
  // A 3-vector with a one-hot target.
  expectLossGradient(Loss::CrossEntropy, vec({0.5, -1.2, 2.0}), vec({0, 1, 0}));
  expectLossGradient(Loss::CrossEntropy, vec({0.5, -1.2, 2.0}), vec({0, 0, 1}));
  // A soft target that sums to one.
  expectLossGradient(Loss::CrossEntropy, vec({0.5, -1.2, 2.0}),
                     vec({0.2, 0.5, 0.3}));
}

// Regression: for a vector output the loss is -sum_i t_i log p_i, whose
// gradient is p_i * sum_j t_j - t_i; it once was p_i - t_i, right only when
// the targets sum to one (not for multi-hot or broadcast scalar targets).
TEST(Loss, CrossEntropyGradientTargetNotSummingToOne) {
  expectLossGradient(Loss::CrossEntropy, vec({0.5, -1.2, 2.0}), vec({1, 1, 0}));
  expectLossGradient(Loss::CrossEntropy, vec({0.5, -1.2, 2.0}), scalar(1));
}

TEST(Loss, SoftEntropyExactValues) {
  Tensor d;
  EXPECT_DOUBLE_EQ(lossAndGrad(Loss::SoftEntropy, scalar(0.5), scalar(1), d),
                   std::log(2.0));
  expectTensor(d, 1, 1, {-2});
  EXPECT_DOUBLE_EQ(lossAndGrad(Loss::SoftEntropy, scalar(0.8), scalar(1), d),
                   -std::log(0.8));
  expectTensor(d, 1, 1, {-1.25});
  EXPECT_DOUBLE_EQ(lossAndGrad(Loss::SoftEntropy, scalar(0.8), scalar(0), d),
                   -std::log(0.2));
  expectTensor(d, 1, 1, {5});
  // Mean over elements.
  EXPECT_DOUBLE_EQ(
      lossAndGrad(Loss::SoftEntropy, vec({0.5, 0.8}), vec({1, 0}), d),
      (std::log(2.0) - std::log(0.2)) / 2);
  expectTensor(d, 2, 1, {-1, 2.5});
  // Outputs of exactly 0 or 1 are clamped: finite value and gradient.
  double v = lossAndGrad(Loss::SoftEntropy, scalar(0), scalar(1), d);
  EXPECT_TRUE(std::isfinite(v));
  EXPECT_TRUE(std::isfinite(d.data[0]));
  EXPECT_NEAR(v, -std::log(1e-12), 1e-9);
  v = lossAndGrad(Loss::SoftEntropy, scalar(1), scalar(0), d);
  EXPECT_TRUE(std::isfinite(v));
  EXPECT_TRUE(std::isfinite(d.data[0]));
}

TEST(Loss, SoftEntropyGradient) {
  expectLossGradient(Loss::SoftEntropy, scalar(0.3), scalar(1));
  expectLossGradient(Loss::SoftEntropy, scalar(0.7), scalar(0));
  expectLossGradient(Loss::SoftEntropy, scalar(0.4), scalar(0.25));
  expectLossGradient(Loss::SoftEntropy, vec({0.2, 0.55, 0.9}), vec({1, 0, 1}));
  expectLossGradient(Loss::SoftEntropy, vec({0.2, 0.55, 0.9}), scalar(0.6));
}

//===----------------------------------------------------------------------===//
// Optimizer
//===----------------------------------------------------------------------===//

TEST(Optimizer, SGDStepIsExact) {
  TemplateModel model = modelWith({weight("a", 1, 1), weight("b", 2, 2)});
  Parameters params = {scalar(0.5), Tensor(2, 2, {1, -2, 3, 0.25})};
  std::vector<Tensor> grads = {scalar(0.3), Tensor(2, 2, {-1, 0, 2.5, 0.1})};
  const double lr = 0.1;
  Optimizer opt(OptimizerKind::SGD, lr, model);

  Parameters expected = params;
  for (int step = 0; step < 2; ++step) {
    opt.step(params, grads);
    for (size_t w = 0; w < expected.size(); ++w)
      for (size_t i = 0; i < expected[w].data.size(); ++i)
        expected[w].data[i] -= lr * grads[w].data[i];
    for (size_t w = 0; w < expected.size(); ++w)
      EXPECT_EQ(params[w].data, expected[w].data)
          << "weight " << w << " after step " << step + 1;
  }
  // Spot-check the first element by hand: 0.5 - 2 * 0.1 * 0.3.
  EXPECT_DOUBLE_EQ(params[0].data[0], 0.44);
}

TEST(Optimizer, FixedWeightsNeverChange) {
  for (OptimizerKind kind : {OptimizerKind::SGD, OptimizerKind::Adam}) {
    TemplateModel model = modelWith(
        {weight("fixed", 2, 1, std::nullopt, true), weight("learnable", 1, 1)});
    Parameters params = {vec({1.5, -2}), scalar(0.5)};
    std::vector<Tensor> grads = {vec({100, -100}), scalar(1)};
    Optimizer opt(kind, 0.1, model);
    for (int step = 0; step < 3; ++step) {
      opt.step(params, grads);
      std::vector<bool> all = {true, true};
      opt.step(params, grads, &all);
    }
    EXPECT_EQ(params[0].data, (std::vector<double>{1.5, -2}))
        << "kind " << int(kind);
    EXPECT_NE(params[1].data[0], 0.5) << "kind " << int(kind);
  }
}

TEST(Optimizer, AdamFirstStepMovesByLearningRate) {
  TemplateModel model = modelWith({weight("w", 5, 1)});
  Parameters params = {vec({0, 1, -1, 2, 0.5})};
  std::vector<Tensor> grads = {vec({3, -0.02, 1e3, -7, 0})};
  const double lr = 0.01;
  Optimizer opt(OptimizerKind::Adam, lr, model);
  opt.step(params, grads);
  // mHat = g and vHat = g^2 after one step: the move is lr * g / (|g| + eps)
  // (relative error eps/|g| <= 5e-7 here); a zero gradient does not move.
  expectTensor(params[0], 5, 1, {-lr, 1 + lr, -1 - lr, 2 + lr, 0.5}, lr * 1e-6);
  EXPECT_EQ(params[0].data[4], 0.5);
}

TEST(Optimizer, AdamSecondStepWithBiasCorrection) {
  TemplateModel model = modelWith({weight("w", 1, 1)});
  Parameters params = {scalar(1.0)};
  const double lr = 0.1;
  Optimizer opt(OptimizerKind::Adam, lr, model);

  // Step 1, g = 0.5: m = 0.05, v = 0.00025, mHat = 0.5, vHat = 0.25,
  // w = 1 - 0.1 * 0.5 / (0.5 + 1e-8) = 0.900000002.
  opt.step(params, {scalar(0.5)});
  EXPECT_NEAR(params[0].data[0], 0.900000002, 1e-12);

  // Step 2, g = -1: m = 0.9 * 0.05 - 0.1 = -0.055,
  // v = 0.999 * 0.00025 + 0.001 = 0.00124975,
  // mHat = -0.055 / (1 - 0.81) = -0.289473684...,
  // vHat = 0.00124975 / (1 - 0.998001) = 0.625187593...,
  // w = 0.900000002 + 0.1 * 0.289473684 / (0.790688... + 1e-8)
  //   = 0.93661035424...
  opt.step(params, {scalar(-1.0)});
  double m = -0.055, v = 0.00124975;
  double mHat = m / (1 - kBeta1 * kBeta1), vHat = v / (1 - kBeta2 * kBeta2);
  EXPECT_NEAR(mHat, -0.2894736842105263, 1e-15);
  EXPECT_NEAR(vHat, 0.6251875937969075, 1e-15);
  EXPECT_NEAR(params[0].data[0],
              0.900000002 - lr * mHat / (std::sqrt(vHat) + kEps), 1e-12);
  EXPECT_NEAR(params[0].data[0], 0.9366103542405654, 1e-12);
}

TEST(Optimizer, UnusedWeightsAndMomentsAreUntouched) {
  TemplateModel model = modelWith({weight("a", 1, 1), weight("b", 1, 1)});
  Parameters params = {scalar(1.0), scalar(2.0)};
  const double lr = 0.1;
  Optimizer opt(OptimizerKind::Adam, lr, model);

  // Step 1 uses only `a`; `b`'s large gradient must be ignored entirely.
  std::vector<bool> onlyA = {true, false};
  opt.step(params, {scalar(0.5), scalar(2.0)}, &onlyA);
  EXPECT_NEAR(params[0].data[0], 0.900000002, 1e-12);
  EXPECT_EQ(params[1].data[0], 2.0);

  // Step 2 uses both. For `b` this is its first update, with zero moments,
  // but the global step count t = 2:
  //   m = 0.1 * -1 = -0.1, v = 0.001 * 1 = 0.001,
  //   mHat = -0.1 / (1 - 0.81) = -0.526315789...,
  //   vHat = 0.001 / (1 - 0.998001) = 0.500250125...,
  //   b = 2 + 0.1 * 0.526315789 / (0.707283624 + 1e-8) = 2.0744136813...
  // (Had step 1 updated b's moments with g = 2, m would be +0.08 and b
  // would move down instead.)
  std::vector<bool> both = {true, true};
  opt.step(params, {scalar(0.5), scalar(-1.0)}, &both);
  double mHat = -0.1 / (1 - kBeta1 * kBeta1);
  double vHat = 0.001 / (1 - kBeta2 * kBeta2);
  EXPECT_NEAR(params[1].data[0], 2.0 - lr * mHat / (std::sqrt(vHat) + kEps),
              1e-12);
  EXPECT_NEAR(params[1].data[0], 2.074413681304593, 1e-12);
}

TEST(Optimizer, SGDUnusedWeightsAreUntouched) {
  TemplateModel model = modelWith({weight("a", 1, 1), weight("b", 2, 1)});
  Parameters params = {scalar(1.0), vec({2.0, 3.0})};
  Optimizer opt(OptimizerKind::SGD, 0.5, model);
  std::vector<bool> onlyB = {false, true};
  opt.step(params, {scalar(4.0), vec({1.0, -1.0})}, &onlyB);
  EXPECT_EQ(params[0].data[0], 1.0);
  EXPECT_EQ(params[1].data, (std::vector<double>{1.5, 3.5}));
}

//===----------------------------------------------------------------------===//
// initializeWeights
//===----------------------------------------------------------------------===//

TemplateModel mixedModel() {
  return modelWith({weight("u", 3, 2, Initializer::uniform),
                    weight("n", 2, 2, Initializer::normal),
                    weight("g", 4, 3, Initializer::glorot),
                    weight("h", 2, 5, Initializer::he),
                    weight("l", 3, 3, Initializer::longtail),
                    weight("d", 2, 1) /* default initialiser */,
                    weight("f", 1, 3, Initializer::normal, /*fixed=*/true)});
}

TEST(InitializeWeights, ShapesMatchDeclarations) {
  TemplateModel model = mixedModel();
  Parameters params = initializeWeights(model, 1);
  ASSERT_EQ(params.size(), model.weights.size());
  for (size_t w = 0; w < params.size(); ++w) {
    EXPECT_EQ(params[w].rows, model.weights[w].rows) << model.weights[w].name;
    EXPECT_EQ(params[w].cols, model.weights[w].cols) << model.weights[w].name;
    EXPECT_EQ(int64_t(params[w].data.size()),
              model.weights[w].rows * model.weights[w].cols)
        << model.weights[w].name;
    for (double x : params[w].data)
      EXPECT_TRUE(std::isfinite(x)) << model.weights[w].name;
  }
}

TEST(InitializeWeights, SameSeedSameValuesOtherSeedDiffers) {
  TemplateModel model = mixedModel();
  Parameters a = initializeWeights(model, 42);
  Parameters b = initializeWeights(model, 42);
  Parameters c = initializeWeights(model, 43);
  ASSERT_EQ(a.size(), b.size());
  ASSERT_EQ(a.size(), c.size());
  for (size_t w = 0; w < a.size(); ++w) {
    EXPECT_EQ(a[w].data, b[w].data) << model.weights[w].name;
    EXPECT_NE(a[w].data, c[w].data) << model.weights[w].name;
  }
}

TEST(InitializeWeights, InitialValuesAreKept) {
  Tensor value(2, 1, {0.25, -4});
  TemplateModel model = modelWith(
      {weight("v", 2, 1, Initializer::glorot, false, value),
       weight("fv", 1, 1, std::nullopt, true, scalar(3)), weight("x", 2, 2)});
  for (uint64_t seed : {0, 1, 12345}) {
    Parameters params = initializeWeights(model, seed);
    ASSERT_EQ(params.size(), 3u);
    expectTensor(params[0], 2, 1, {0.25, -4}, 0);
    expectTensor(params[1], 1, 1, {3}, 0);
  }
  // A weight with a value draws nothing: the weights after it get the same
  // values as without it.
  TemplateModel without = modelWith({weight("x", 2, 2)});
  EXPECT_EQ(initializeWeights(model, 7)[2].data,
            initializeWeights(without, 7)[0].data);
}

TEST(InitializeWeights, GlorotWithinBound) {
  TemplateModel model = modelWith({weight("small", 4, 3, Initializer::glorot),
                                   weight("big", 20, 30, Initializer::glorot),
                                   weight("one", 1, 1, Initializer::glorot)});
  for (uint64_t seed : {1, 2, 3}) {
    Parameters params = initializeWeights(model, seed);
    for (size_t w = 0; w < params.size(); ++w) {
      const WeightModel &wm = model.weights[w];
      double bound = std::sqrt(6.0 / (wm.rows + wm.cols));
      for (double x : params[w].data)
        EXPECT_LE(std::abs(x), bound) << wm.name << " seed " << seed;
    }
    // With 600 draws the range is actually used, not a narrower one.
    double maxAbs = 0;
    for (double x : params[1].data)
      maxAbs = std::max(maxAbs, std::abs(x));
    EXPECT_GT(maxAbs, 0.9 * std::sqrt(6.0 / 50));
  }
}

TEST(InitializeWeights, UniformWithinUnitRange) {
  TemplateModel model = modelWith({weight("u", 10, 10, Initializer::uniform)});
  Parameters params = initializeWeights(model, 5);
  for (double x : params[0].data) {
    EXPECT_GE(x, -1.0);
    EXPECT_LE(x, 1.0);
  }
}

TEST(InitializeWeights, ConstantIsPointOne) {
  TemplateModel model =
      modelWith({weight("c", 3, 2, Initializer::constant), weight("d", 2, 2),
                 weight("n", 1, 2, Initializer::normal)});
  Parameters params = initializeWeights(model, 9);
  for (double x : params[0].data)
    EXPECT_EQ(x, 0.1);
  // With the default initialiser also `constant`, only the weights without
  // an initialiser of their own take it.
  params = initializeWeights(model, 9, Initializer::constant);
  for (double x : params[0].data)
    EXPECT_EQ(x, 0.1);
  for (double x : params[1].data)
    EXPECT_EQ(x, 0.1);
  for (double x : params[2].data)
    EXPECT_NE(x, 0.1);
}

//===----------------------------------------------------------------------===//
// computeMetrics
//===----------------------------------------------------------------------===//

TEST(Metrics, EmptyGivesDefaults) {
  Metrics m = computeMetrics(Loss::MSE, {}, {});
  EXPECT_EQ(m.loss, 0);
  EXPECT_EQ(m.accuracy, 0);
  EXPECT_EQ(m.mse, 0);
  EXPECT_EQ(m.auroc, -1);
}

TEST(Metrics, AccuracyZeroOneTargets) {
  // Threshold 0.5: 0.2->0 right, 0.7->1 right, 0.6->0 wrong, 0.9->1 right.
  Metrics m = computeMetrics(Loss::MSE, scalars({0.2, 0.7, 0.6, 0.9}),
                             scalars({0, 1, 0, 1}));
  EXPECT_DOUBLE_EQ(m.accuracy, 0.75);
  // (0.04 + 0.09 + 0.36 + 0.01) / 4.
  EXPECT_NEAR(m.mse, 0.125, 1e-15);
  EXPECT_NEAR(m.loss, 0.125, 1e-15);
  // Pairs (pos, neg): (0.7,0.2) (0.7,0.6) (0.9,0.2) (0.9,0.6) all ranked
  // right.
  EXPECT_DOUBLE_EQ(m.auroc, 1.0);
}

TEST(Metrics, AccuracyMinusOneOneTargets) {
  // Threshold 0 (a threshold of 0.5 would give 0.5 here).
  Metrics m = computeMetrics(Loss::MSE, scalars({-0.3, 0.2, 0.1, 0.4}),
                             scalars({-1, 1, -1, 1}));
  EXPECT_DOUBLE_EQ(m.accuracy, 0.75);
  // (0.49 + 0.64 + 1.21 + 0.36) / 4.
  EXPECT_NEAR(m.mse, 0.675, 1e-15);
}

TEST(Metrics, AccuracyOnLogitsThresholdsAtZero) {
  // Cross-entropy outputs are logits: positive logit means class 1.
  std::vector<Tensor> outputs = scalars({0.3, -0.2, 0.4, -1});
  std::vector<Tensor> targets = scalars({1, 0, 1, 0});
  Metrics m = computeMetrics(Loss::CrossEntropy, outputs, targets);
  EXPECT_DOUBLE_EQ(m.accuracy, 1.0);
  double loss = 0;
  for (size_t i = 0; i < outputs.size(); ++i)
    loss += lossOf(Loss::CrossEntropy, outputs[i], targets[i]);
  EXPECT_NEAR(m.loss, loss / 4, 1e-15);
}

// Regression: on cross-entropy logits the threshold is 0 even when every
// target has the same value (it once fell back to 0.5 there, so the same
// outputs scored differently depending on the other class's presence).
TEST(Metrics, AccuracyOnLogitsSingleClassBatch) {
  Metrics m =
      computeMetrics(Loss::CrossEntropy, scalars({0.3, 0.4}), scalars({1, 1}));
  EXPECT_DOUBLE_EQ(m.accuracy, 1.0);
  m = computeMetrics(Loss::CrossEntropy, scalars({0.3, -0.2}), scalars({0, 0}));
  EXPECT_DOUBLE_EQ(m.accuracy, 0.5);
}

TEST(Metrics, AurocHandExample) {
  // Sorted: 0.1(-) 0.35(+) 0.4(-) 0.8(+): positive ranks 2 + 4 = 6,
  // (6 - 3) / (2 * 2) = 0.75.
  Metrics m = computeMetrics(Loss::MSE, scalars({0.1, 0.4, 0.35, 0.8}),
                             scalars({0, 0, 1, 1}));
  EXPECT_DOUBLE_EQ(m.auroc, 0.75);
  // Same ranking with {-1, 1} labels.
  m = computeMetrics(Loss::MSE, scalars({0.1, 0.4, 0.35, 0.8}),
                     scalars({-1, -1, 1, 1}));
  EXPECT_DOUBLE_EQ(m.auroc, 0.75);
  // Perfectly reversed.
  m = computeMetrics(Loss::MSE, scalars({0.9, 0.8, 0.2, 0.1}),
                     scalars({0, 0, 1, 1}));
  EXPECT_DOUBLE_EQ(m.auroc, 0.0);
}

TEST(Metrics, AurocTiesCountHalf) {
  Metrics m = computeMetrics(Loss::MSE, scalars({0.5, 0.5}), scalars({0, 1}));
  EXPECT_DOUBLE_EQ(m.auroc, 0.5);
  // Pairs (pos, neg): (0.5,0.2)=1 (0.5,0.5)=1/2 (0.9,0.2)=1 (0.9,0.5)=1.
  m = computeMetrics(Loss::MSE, scalars({0.2, 0.5, 0.5, 0.9}),
                     scalars({0, 0, 1, 1}));
  EXPECT_DOUBLE_EQ(m.auroc, 3.5 / 4);
  // Everything tied.
  m = computeMetrics(Loss::MSE, scalars({0.3, 0.3, 0.3, 0.3, 0.3}),
                     scalars({0, 1, 1, 0, 1}));
  EXPECT_DOUBLE_EQ(m.auroc, 0.5);
}

TEST(Metrics, AurocUndefinedForOneClass) {
  Metrics m =
      computeMetrics(Loss::MSE, scalars({0.1, 0.7, 0.4}), scalars({1, 1, 1}));
  EXPECT_EQ(m.auroc, -1);
  EXPECT_DOUBLE_EQ(m.accuracy, 1.0 / 3);
  m = computeMetrics(Loss::MSE, scalars({0.1, 0.7, 0.4}), scalars({0, 0, 0}));
  EXPECT_EQ(m.auroc, -1);
  EXPECT_DOUBLE_EQ(m.accuracy, 2.0 / 3);
}

TEST(Metrics, AurocUndefinedForNonFiniteOutputs) {
  // Must terminate (NaN breaks the ordering a sort relies on) and say -1.
  Metrics m = computeMetrics(Loss::MSE, scalars({0.1, NAN, 0.35, 0.8}),
                             scalars({0, 0, 1, 1}));
  EXPECT_EQ(m.auroc, -1);
  m = computeMetrics(Loss::MSE, scalars({NAN, NAN, NAN, NAN}),
                     scalars({0, 1, 0, 1}));
  EXPECT_EQ(m.auroc, -1);
  m = computeMetrics(Loss::MSE, scalars({0.1, INFINITY, 0.35, 0.8}),
                     scalars({0, 0, 1, 1}));
  EXPECT_EQ(m.auroc, -1);
}

TEST(Metrics, VectorOutputsUseArgmax) {
  std::vector<Tensor> outputs = {vec({0.1, 0.7, 0.2}), vec({0.5, 0.3, 0.2}),
                                 vec({0.2, 0.2, 0.6})};
  std::vector<Tensor> targets = {vec({0, 1, 0}), vec({1, 0, 0}),
                                 vec({0, 1, 0})};
  Metrics m = computeMetrics(Loss::MSE, outputs, targets);
  EXPECT_DOUBLE_EQ(m.accuracy, 2.0 / 3);
  EXPECT_EQ(m.auroc, -1);
  // Per query mean squared error, then the mean over queries:
  // (0.01+0.09+0.04)/3, (0.25+0.09+0.04)/3, (0.04+0.64+0.36)/3.
  EXPECT_NEAR(m.mse, (0.14 + 0.38 + 1.04) / 9, 1e-15);
  EXPECT_NEAR(m.loss, m.mse, 1e-15);
}

//===----------------------------------------------------------------------===//
// saveWeights / loadWeights
//===----------------------------------------------------------------------===//

class Checkpoint : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("nlogic-training", dir));
  }
  void TearDown() override {
    if (!dir.empty())
      EXPECT_FALSE(llvm::sys::fs::remove_directories(dir));
  }

  std::string file(llvm::StringRef a, llvm::StringRef b = "") const {
    llvm::SmallString<128> p(dir);
    llvm::sys::path::append(p, a);
    if (!b.empty())
      llvm::sys::path::append(p, b);
    return std::string(p);
  }
  static bool exists(const std::string &path) {
    return llvm::sys::fs::exists(path);
  }
  static std::string read(const std::string &path) {
    auto buf = llvm::MemoryBuffer::getFile(path);
    return buf ? (*buf)->getBuffer().str() : std::string("<unreadable>");
  }
  static void write(const std::string &path, llvm::StringRef text) {
    std::error_code ec;
    llvm::raw_fd_ostream os(path, ec);
    ASSERT_FALSE(ec) << ec.message();
    os << text;
  }
  /// Number of entries in the temporary directory.
  int entries() const {
    int n = 0;
    std::error_code ec;
    for (llvm::sys::fs::directory_iterator it(dir, ec), end; !ec && it != end;
         it.increment(ec))
      ++n;
    return n;
  }

  llvm::SmallString<128> dir;
};

TEST_F(Checkpoint, RoundTripIsExact) {
  TemplateModel model =
      modelWith({weight("a", 1, 1), weight("b", 2, 3),
                 weight("c", 3, 1, std::nullopt, /*fixed=*/true)});
  Parameters params = {scalar(0.1),
                       Tensor(2, 3,
                              {1e-300, -2.5e17, 1.0 / 3, 0.1 + 0.2,
                               std::numeric_limits<double>::denorm_min(),
                               std::numeric_limits<double>::max()}),
                       vec({0, -7, M_PI})};
  std::string path = file("w.json");
  std::string error;
  ASSERT_TRUE(mlir::succeeded(saveWeights(model, params, path, error)))
      << error;
  EXPECT_TRUE(exists(path));
  EXPECT_FALSE(exists(path + ".tmp"));
  EXPECT_EQ(entries(), 1);

  Parameters loaded = {scalar(0), Tensor(2, 3), Tensor(3, 1)};
  ASSERT_TRUE(mlir::succeeded(loadWeights(model, loaded, path, error)))
      << error;
  ASSERT_EQ(loaded.size(), params.size());
  for (size_t w = 0; w < params.size(); ++w) {
    EXPECT_EQ(loaded[w].rows, params[w].rows);
    EXPECT_EQ(loaded[w].cols, params[w].cols);
    EXPECT_EQ(loaded[w].data, params[w].data) << model.weights[w].name;
  }

  // Saving again replaces the file.
  params[0] = scalar(-0.75);
  ASSERT_TRUE(mlir::succeeded(saveWeights(model, params, path, error)))
      << error;
  ASSERT_TRUE(mlir::succeeded(loadWeights(model, loaded, path, error)))
      << error;
  EXPECT_EQ(loaded[0].data[0], -0.75);
  EXPECT_EQ(entries(), 1);
}

TEST_F(Checkpoint, MissingDirectoryFails) {
  TemplateModel model = modelWith({weight("a", 1, 1)});
  std::string path = file("missing", "w.json");
  std::string error;
  EXPECT_TRUE(mlir::failed(saveWeights(model, {scalar(1)}, path, error)));
  EXPECT_FALSE(error.empty());
  EXPECT_TRUE(contains(error, "w.json")) << error;
  EXPECT_FALSE(exists(path));
  EXPECT_FALSE(exists(path + ".tmp"));
  EXPECT_FALSE(exists(file("missing")));
  EXPECT_EQ(entries(), 0);
}

TEST_F(Checkpoint, PathIsDirectoryFailsWithoutLeftovers) {
  TemplateModel model = modelWith({weight("a", 1, 1)});
  std::string path = file("adir");
  ASSERT_FALSE(llvm::sys::fs::create_directory(path));
  std::string error;
  EXPECT_TRUE(mlir::failed(saveWeights(model, {scalar(1)}, path, error)));
  EXPECT_FALSE(error.empty());
  EXPECT_FALSE(exists(path + ".tmp"));
  EXPECT_TRUE(llvm::sys::fs::is_directory(path));
  EXPECT_EQ(entries(), 1);
}

TEST_F(Checkpoint, NonFiniteWeightIsRefused) {
  TemplateModel model = modelWith({weight("good", 1, 1), weight("bad", 2, 1)});
  std::string path = file("w.json");
  for (double bad : {double(NAN), double(INFINITY), -double(INFINITY)}) {
    std::string error;
    EXPECT_TRUE(mlir::failed(
        saveWeights(model, {scalar(1), vec({0.5, bad})}, path, error)));
    EXPECT_TRUE(contains(error, "'bad'")) << error;
    EXPECT_TRUE(contains(error, "not finite")) << error;
    EXPECT_FALSE(exists(path));
    EXPECT_FALSE(exists(path + ".tmp"));
    EXPECT_EQ(entries(), 0);
  }

  // An existing checkpoint survives a refused save unchanged.
  std::string error;
  ASSERT_TRUE(mlir::succeeded(
      saveWeights(model, {scalar(1), vec({0.5, 2})}, path, error)))
      << error;
  std::string before = read(path);
  EXPECT_TRUE(mlir::failed(
      saveWeights(model, {scalar(1), vec({NAN, 2})}, path, error)));
  EXPECT_EQ(read(path), before);
  EXPECT_FALSE(exists(path + ".tmp"));
  EXPECT_EQ(entries(), 1);
}

TEST_F(Checkpoint, LoadMissingWeightNamesIt) {
  std::string path = file("w.json");
  std::string error;
  ASSERT_TRUE(mlir::succeeded(
      saveWeights(modelWith({weight("a", 1, 1), weight("b", 1, 1)}),
                  {scalar(1), scalar(2)}, path, error)))
      << error;
  TemplateModel other = modelWith({weight("a", 1, 1), weight("c", 1, 1)});
  Parameters params = {scalar(5), scalar(6)};
  EXPECT_TRUE(mlir::failed(loadWeights(other, params, path, error)));
  EXPECT_TRUE(contains(error, "'c'")) << error;
  EXPECT_TRUE(contains(error, "missing")) << error;
  // Nothing is loaded on failure, not even the weights that matched.
  EXPECT_EQ(params[0].data[0], 5);
  EXPECT_EQ(params[1].data[0], 6);
}

TEST_F(Checkpoint, LoadWrongCountNamesIt) {
  std::string path = file("w.json");
  std::string error;
  ASSERT_TRUE(mlir::succeeded(
      saveWeights(modelWith({weight("a", 1, 1), weight("m", 2, 2)}),
                  {scalar(1), Tensor(2, 2, {1, 2, 3, 4})}, path, error)))
      << error;
  TemplateModel other = modelWith({weight("a", 1, 1), weight("m", 3, 1)});
  Parameters params = {scalar(5), vec({7, 8, 9})};
  EXPECT_TRUE(mlir::failed(loadWeights(other, params, path, error)));
  EXPECT_TRUE(contains(error, "'m'")) << error;
  // The saved shape no longer matches either, which is reported first.
  EXPECT_TRUE(contains(error, "shape [3, 1]") || contains(error, "3 values"))
      << error;
  EXPECT_EQ(params[0].data[0], 5);
  EXPECT_EQ(params[1].data, (std::vector<double>{7, 8, 9}));
}

// Regression: shapes must match, not only element counts (a 2x3 checkpoint
// once loaded silently into a 3x2 weight).
TEST_F(Checkpoint, LoadWrongShapeSameCountFails) {
  std::string path = file("w.json");
  std::string error;
  ASSERT_TRUE(mlir::succeeded(saveWeights(modelWith({weight("m", 2, 3)}),
                                          {Tensor(2, 3, {1, 2, 3, 4, 5, 6})},
                                          path, error)))
      << error;
  TemplateModel other = modelWith({weight("m", 3, 2)});
  Parameters params = {Tensor(3, 2)};
  EXPECT_TRUE(mlir::failed(loadWeights(other, params, path, error)));
  EXPECT_TRUE(contains(error, "'m'")) << error;
}

TEST_F(Checkpoint, LoadMalformedFilesFails) {
  TemplateModel model = modelWith({weight("a", 1, 2)});
  Parameters params = {Tensor(1, 2, {5, 6})};
  std::string error;

  EXPECT_TRUE(
      mlir::failed(loadWeights(model, params, file("absent.json"), error)));
  EXPECT_TRUE(contains(error, "absent.json")) << error;

  std::string notJson = file("bad.json");
  write(notJson, "{ not json");
  EXPECT_TRUE(mlir::failed(loadWeights(model, params, notJson, error)));
  EXPECT_FALSE(error.empty());

  std::string noWeights = file("noweights.json");
  write(noWeights, R"({"format": "nlogic-weights-1"})");
  EXPECT_TRUE(mlir::failed(loadWeights(model, params, noWeights, error)));
  EXPECT_TRUE(contains(error, "weights")) << error;

  std::string nonNumber = file("nonnumber.json");
  write(nonNumber,
        R"({"weights": {"a": {"shape": [1, 2], "values": [1, "x"]}}})");
  EXPECT_TRUE(mlir::failed(loadWeights(model, params, nonNumber, error)));
  EXPECT_TRUE(contains(error, "'a'")) << error;

  EXPECT_EQ(params[0].data, (std::vector<double>{5, 6}));

  // A hand-written file with integer spellings loads.
  std::string ok = file("ok.json");
  write(ok, R"({"weights": {"a": {"shape": [1, 2], "values": [3, -0.5]}}})");
  ASSERT_TRUE(mlir::succeeded(loadWeights(model, params, ok, error))) << error;
  EXPECT_EQ(params[0].data, (std::vector<double>{3, -0.5}));
}

} // namespace
