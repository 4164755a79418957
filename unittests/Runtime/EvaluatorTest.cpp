//===- EvaluatorTest.cpp - whole-network gradients of the evaluator -------===//
//
// Builds small templates from NeuraLogic text, grounds them on hand-made
// samples, and checks the evaluator's backward pass against central finite
// differences of its forward pass, for every weight element: offsets, head
// weights, shared weights, softmax aggregation groups, recursion.
//
//===----------------------------------------------------------------------===//

#include "nlogic/Runtime/Evaluator.h"
#include "nlogic/Dialect/NLogic/IR/NLogicOps.h"
#include "nlogic/Frontend/NeuraLogic/Importer.h"
#include "nlogic/InitAll.h"
#include "nlogic/Runtime/Grounder.h"
#include "nlogic/Runtime/Training.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

#include "gtest/gtest.h"

#include <cmath>

using namespace mlir;
using namespace mlir::nlogic;
using namespace mlir::nlogic::runtime;

namespace {

/// A template imported from text, with a helper to add facts and queries.
struct Fixture {
  MLIRContext ctx;
  TemplateModel model;
  Sample sample;
  std::vector<SampleFact> facts;

  explicit Fixture(llvm::StringRef text) {
    DialectRegistry registry;
    registerAllDialects(registry);
    ctx.appendDialectRegistry(registry);
    llvm::SourceMgr sourceMgr;
    sourceMgr.AddNewSourceBuffer(
        llvm::MemoryBuffer::getMemBufferCopy(text, "test.txt"), llvm::SMLoc());
    auto module = neuralogic::importTemplate(sourceMgr, &ctx);
    EXPECT_TRUE(module && succeeded(verify(*module)));
    TemplateOp templ;
    module->walk([&](TemplateOp t) { templ = t; });
    FailureOr<TemplateModel> built = buildModel(templ);
    EXPECT_TRUE(succeeded(built));
    model = std::move(*built);
  }

  std::vector<Const> terms(std::initializer_list<int64_t> ints) {
    std::vector<Const> out;
    for (int64_t i : ints)
      out.push_back(Const::ofInt(i));
    return out;
  }
  void fact(llvm::StringRef rel, std::initializer_list<int64_t> args,
            Tensor value) {
    facts.push_back(
        {model.relationFor(rel, int64_t(args.size())), terms(args), value});
  }
  void query(llvm::StringRef rel, std::initializer_list<int64_t> args,
             Tensor target) {
    sample.queries.push_back({model.relationFor(rel, int64_t(args.size())),
                              terms(args), target, rel.str()});
  }

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
    sample.facts = std::make_shared<std::vector<SampleFact>>(facts);
    Grounder grounder(model);
    GroundNetwork net;
    std::string error;
    ASSERT_TRUE(succeeded(grounder.ground(sample, net, error))) << error;
    for (int q : net.queryAtoms)
      ASSERT_GE(q, 0) << "a query was not derived";
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

    const double h = 1e-6;
    for (size_t w = 0; w < params.size(); ++w)
      for (int64_t i = 0; i < params[w].size(); ++i) {
        Parameters plus = params, minus = params;
        plus[w].data[i] += h;
        minus[w].data[i] -= h;
        double numeric =
            (loss(eval, net, plus) - loss(eval, net, minus)) / (2 * h);
        EXPECT_NEAR(grads[w].data[i], numeric, 1e-6 * (1 + std::abs(numeric)))
            << "weight " << model.weights[w].name << "[" << i << "]";
      }
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
