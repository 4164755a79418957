//===- TemplateFixture.h - small templates and samples for tests -*- C++
//-*-===//
//
// A template imported from NeuraLogic text plus hand-made facts and
// queries, grounded into one network: what the evaluator and compiled
// engine tests start from.
//
//===----------------------------------------------------------------------===//

#ifndef NLOGIC_UNITTESTS_RUNTIME_TEMPLATEFIXTURE_H
#define NLOGIC_UNITTESTS_RUNTIME_TEMPLATEFIXTURE_H

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

namespace nlogic_test {

using namespace mlir;
using namespace mlir::nlogic;
using namespace mlir::nlogic::runtime;

struct TemplateFixture {
  MLIRContext ctx;
  OwningOpRef<ModuleOp> module;
  TemplateOp templ;
  TemplateModel model;
  Sample sample;
  std::vector<SampleFact> facts;

  explicit TemplateFixture(llvm::StringRef text) {
    DialectRegistry registry;
    registerAllDialects(registry);
    ctx.appendDialectRegistry(registry);
    llvm::SourceMgr sourceMgr;
    sourceMgr.AddNewSourceBuffer(
        llvm::MemoryBuffer::getMemBufferCopy(text, "test.txt"), llvm::SMLoc());
    module = neuralogic::importTemplate(sourceMgr, &ctx);
    EXPECT_TRUE(module && succeeded(verify(*module)));
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

  /// Grounds the sample with the facts added so far.
  GroundNetwork ground() {
    sample.facts = std::make_shared<std::vector<SampleFact>>(facts);
    Grounder grounder(model);
    GroundNetwork net;
    std::string error;
    EXPECT_TRUE(succeeded(grounder.ground(sample, net, error))) << error;
    for (int q : net.queryAtoms)
      EXPECT_GE(q, 0) << "a query was not derived";
    return net;
  }

  /// dLoss/dOutput of the MSE of `outputs` against the query targets, and
  /// the total loss.
  double lossGrads(const std::vector<Tensor> &outputs,
                   std::vector<Tensor> &dOut) {
    double total = 0;
    dOut.clear();
    for (auto [q, o] : llvm::zip(sample.queries, outputs))
      total += lossAndGrad(Loss::MSE, o, q.target, dOut.emplace_back());
    return total;
  }

  /// Expects `grads` to match central differences of `loss` for every
  /// element of every learnable weight (and fixed ones too, unless
  /// `skipFixed`).
  template <typename LossFn>
  void expectFiniteDifferences(const Parameters &params,
                               const std::vector<Tensor> &grads, LossFn loss,
                               bool skipFixed = false) {
    const double h = 1e-6;
    for (size_t w = 0; w < params.size(); ++w) {
      if (skipFixed && model.weights[w].fixed)
        continue;
      for (int64_t i = 0; i < params[w].size(); ++i) {
        Parameters plus = params, minus = params;
        plus[w].data[i] += h;
        minus[w].data[i] -= h;
        double numeric = (loss(plus) - loss(minus)) / (2 * h);
        EXPECT_NEAR(grads[w].data[i], numeric, 1e-6 * (1 + std::abs(numeric)))
            << "weight " << model.weights[w].name << "[" << i << "]";
      }
    }
  }
};

/// Cases both engines' gradient tests run: a template and a sample.
struct GradientCase {
  const char *text;
  void (*populate)(TemplateFixture &f);
};

/// Offsets, head weights and a weight shared by two rules.
inline GradientCase offsetsAndSharing() {
  return {R"(
    h(X) :- $w={2,2} e(X), 0.3. [transformation=tanh]
    h / 1 {2}
    h / 1 [transformation=sigmoid]
    {1,2} out :- $w={2,2} h(X), e(X). [aggregation=avg, transformation=tanh]
  )",
          [](TemplateFixture &f) {
            f.fact("e", {0}, Tensor::vector({0.5, -1.0}));
            f.fact("e", {1}, Tensor::vector({1.5, 0.25}));
            f.query("out", {}, Tensor::scalar(0.7));
          }};
}

/// Scaled dot-product attention over positions, normalised over J.
inline GradientCase softmaxGroups() {
  return {R"(
    score(I, J) :- k(J)^T, {2,2} q(I). [combination=product, aggregation=softmax(agg_terms=[J])]
    att(I) :- score(I, J), {2,2} v(J). [combination=product, aggregation=sum]
  )",
          [](TemplateFixture &f) {
            for (int i = 0; i < 3; ++i) {
              f.fact("q", {i}, Tensor::vector({0.2 * i - 0.1, 0.3}));
              f.fact("k", {i}, Tensor::vector({0.5, -0.4 * i}));
              f.fact("v", {i}, Tensor::vector({1.0 + i, -0.5 * i}));
            }
            f.query("att", {0}, Tensor::vector({0.1, 0.2}));
            f.query("att", {2}, Tensor::vector({-0.3, 0.4}));
          }};
}

/// A causal constraint over a recursive relation (acc(J) reads acc(J-1)),
/// element products and a max.
inline GradientCase causalRecursion() {
  return {R"(
    acc(0) :- {2} x(0).
    acc(J) :- {2,2} acc(I), {2} x(J), @next(I, J). [transformation=tanh]
    pair(I, J) :- acc(I), acc(J), @leq(J, I). [combination=elproduct, aggregation=avg]
    {1,2} out :- pair(I, J). [aggregation=max]
  )",
          [](TemplateFixture &f) {
            for (int i = 0; i < 4; ++i)
              f.fact("x", {i}, Tensor::scalar(0.5 + i));
            f.query("out", {}, Tensor::scalar(0.25));
          }};
}

/// Functions of whole vectors: slice, concatenation, softmax, layer norm.
inline GradientCase vectorFunctions() {
  return {R"(
    h(X) :- {4,3} e(X), {2,3} e(X). [combination=concat, transformation=norm]
    g(X) :- {3,6} h(X). [transformation=slice(rows=[1,3])]
    s(X) :- {3,2} g(X), {3,3} e(X). [transformation=softmax]
    {1,3} out :- s(X). [aggregation=sum]
  )",
          [](TemplateFixture &f) {
            f.fact("e", {0}, Tensor::vector({0.5, -1.0, 0.25}));
            f.fact("e", {1}, Tensor::vector({1.5, 0.25, -0.75}));
            f.query("out", {}, Tensor::scalar(0.3));
          }};
}

/// Cross sums and cosine similarity.
inline GradientCase crossSumCosSim() {
  return {R"(
    c(X) :- {2,3} e(X), {3,3} e(X). [combination=crosssum, transformation=tanh]
    s(X) :- {4,3} e(X), {4,6} c(X). [combination=cossim]
    {1,1} out :- s(X). [aggregation=avg]
  )",
          [](TemplateFixture &f) {
            f.fact("e", {0}, Tensor::vector({0.5, -1.0, 0.25}));
            f.fact("e", {1}, Tensor::vector({1.5, 0.25, -0.75}));
            f.query("out", {}, Tensor::scalar(0.3));
          }};
}

} // namespace nlogic_test

#endif // NLOGIC_UNITTESTS_RUNTIME_TEMPLATEFIXTURE_H
