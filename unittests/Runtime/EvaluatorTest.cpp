//===- EvaluatorTest.cpp - whole-network gradients of the evaluator -------===//
//
// Builds small templates from NeuraLogic text, grounds them on hand-made
// samples, and checks the evaluator's backward pass against central finite
// differences of its forward pass, for every weight element: offsets, head
// weights, shared weights, softmax aggregation groups, recursion.
//
//===----------------------------------------------------------------------===//

#include "TemplateFixture.h"

#include "nlogic/Runtime/Evaluator.h"

#include <cmath>

using namespace mlir;
using namespace mlir::nlogic;
using namespace mlir::nlogic::runtime;

namespace {

/// The evaluator's side of the fixture: losses and finite differences.
struct Fixture : nlogic_test::TemplateFixture {
  using TemplateFixture::TemplateFixture;

  /// Total MSE over the queries.
  double loss(Evaluator &eval, const GroundNetwork &net,
              const Parameters &params) {
    std::vector<Tensor> out = eval.forward(net, params);
    double total = 0;
    for (auto [q, o] : llvm::zip(sample.queries, out)) {
      Tensor d;
      total += lossAndGrad(Loss::MSE, o, q.target, d);
    }
    return total;
  }

  /// Checks backward() against central differences for every weight.
  void checkGradients(uint64_t seed = 7) {
    GroundNetwork net = ground();
    Parameters params = initializeWeights(model, seed);
    Evaluator eval(model);
    std::vector<Tensor> out = eval.forward(net, params);
    std::vector<Tensor> dOut;
    for (auto [q, o] : llvm::zip(sample.queries, out)) {
      Tensor d;
      lossAndGrad(Loss::MSE, o, q.target, d);
      dOut.push_back(d);
    }
    std::vector<Tensor> grads;
    for (const Tensor &p : params)
      grads.push_back(Tensor::zerosLike(p));
    eval.backward(net, params, dOut, grads);

    expectFiniteDifferences(params, grads, [&](const Parameters &p) {
      return loss(eval, net, p);
    });
  }
};

} // namespace

TEST(EvaluatorGradient, OffsetsHeadWeightsAndSharing) {
  Fixture f(R"(
    h(X) :- $w={2,2} e(X), 0.3. [transformation=tanh]
    h / 1 {2}
    h / 1 [transformation=sigmoid]
    {1,2} out :- $w={2,2} h(X), e(X). [aggregation=avg, transformation=tanh]
  )");
  f.fact("e", {0}, Tensor::vector({0.5, -1.0}));
  f.fact("e", {1}, Tensor::vector({1.5, 0.25}));
  f.query("out", {}, Tensor::scalar(0.7));
  f.checkGradients();
}

TEST(EvaluatorGradient, SoftmaxAggregationGroups) {
  // Scaled dot-product attention over positions, normalised over J.
  Fixture f(R"(
    score(I, J) :- k(J)^T, {2,2} q(I). [combination=product, aggregation=softmax(agg_terms=[J])]
    att(I) :- score(I, J), {2,2} v(J). [combination=product, aggregation=sum]
  )");
  for (int i = 0; i < 3; ++i) {
    f.fact("q", {i}, Tensor::vector({0.2 * i - 0.1, 0.3}));
    f.fact("k", {i}, Tensor::vector({0.5, -0.4 * i}));
    f.fact("v", {i}, Tensor::vector({1.0 + i, -0.5 * i}));
  }
  f.query("att", {0}, Tensor::vector({0.1, 0.2}));
  f.query("att", {2}, Tensor::vector({-0.3, 0.4}));
  f.checkGradients();
}

TEST(EvaluatorGradient, CausalConstraintAndRecursion) {
  Fixture f(R"(
    acc(0) :- {2} x(0).
    acc(J) :- {2,2} acc(I), {2} x(J), @next(I, J). [transformation=tanh]
    pair(I, J) :- acc(I), acc(J), @leq(J, I). [combination=elproduct, aggregation=avg]
    {1,2} out :- pair(I, J). [aggregation=max]
  )");
  for (int i = 0; i < 3; ++i)
    f.fact("x", {i}, Tensor::scalar(0.5 + i));
  f.query("out", {}, Tensor::scalar(0.25));
  f.checkGradients();
}

TEST(EvaluatorForward, SoftmaxAggregationValues) {
  Fixture f(R"(
    w(I, J) :- s(I, J). [aggregation=softmax(agg_terms=[J])]
    out(I) :- w(I, J), v(J). [combination=product, aggregation=sum]
  )");
  f.fact("s", {0, 0}, Tensor::scalar(1.0));
  f.fact("s", {0, 1}, Tensor::scalar(2.0));
  f.fact("v", {0}, Tensor::scalar(10.0));
  f.fact("v", {1}, Tensor::scalar(20.0));
  f.query("out", {0}, Tensor::scalar(0.0));
  f.sample.facts = std::make_shared<std::vector<SampleFact>>(f.facts);
  Grounder grounder(f.model);
  GroundNetwork net;
  std::string error;
  ASSERT_TRUE(succeeded(grounder.ground(f.sample, net, error))) << error;
  Evaluator eval(f.model);
  std::vector<Tensor> out = eval.forward(net, {});
  double a = std::exp(1.0) / (std::exp(1.0) + std::exp(2.0));
  EXPECT_NEAR(out[0].scalarValue(), a * 10 + (1 - a) * 20, 1e-12);
}
