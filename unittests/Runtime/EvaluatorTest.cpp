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

    expectFiniteDifferences(
        params, grads, [&](const Parameters &p) { return loss(eval, net, p); });
  }
};

} // namespace

static void checkCase(const nlogic_test::GradientCase &c) {
  Fixture f(c.text);
  c.populate(f);
  f.checkGradients();
}

TEST(EvaluatorGradient, OffsetsHeadWeightsAndSharing) {
  checkCase(nlogic_test::offsetsAndSharing());
}

TEST(EvaluatorGradient, SoftmaxAggregationGroups) {
  checkCase(nlogic_test::softmaxGroups());
}

TEST(EvaluatorGradient, CausalConstraintAndRecursion) {
  checkCase(nlogic_test::causalRecursion());
}

TEST(EvaluatorGradient, SliceConcatSoftmaxNorm) {
  checkCase(nlogic_test::vectorFunctions());
}

TEST(EvaluatorGradient, CrossSumAndCosineSimilarity) {
  checkCase(nlogic_test::crossSumCosSim());
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
