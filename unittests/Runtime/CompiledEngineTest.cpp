//===- CompiledEngineTest.cpp - the JIT-compiled kernels ------------------===//
//
// The compiled engine on small templates: its outputs equal the reference
// evaluator's, its gradients match central finite differences of its own
// forward pass for every weight element, its optimizer steps give the
// reference optimizer's bits, and a kernel table that does not fit the
// template is refused.
//
//===----------------------------------------------------------------------===//

#include "TemplateFixture.h"

#include "nlogic/Runtime/CompiledEngine.h"

#include <cmath>

using namespace nlogic_test;

namespace {

struct Compiled : TemplateFixture {
  using TemplateFixture::TemplateFixture;

  GroundNetwork net;
  std::unique_ptr<Engine> compiled, reference;
  int compiledBatch = -1, referenceBatch = -1;

  void prepare() {
    net = ground();
    auto engine = createCompiledEngine(templ, model, {net});
    ASSERT_TRUE(succeeded(engine));
    compiled = std::move(*engine);
    reference = createReferenceEngine(model);
    std::string error;
    FailureOr<int> c = compiled->addBatch({&net}, error);
    FailureOr<int> r = reference->addBatch({&net}, error);
    ASSERT_TRUE(succeeded(c) && succeeded(r)) << error;
    compiledBatch = *c;
    referenceBatch = *r;
  }

  double loss(const Parameters &params) {
    std::vector<Tensor> dOut;
    return lossGrads(compiled->forward(compiledBatch, params)[0], dOut);
  }

  void checkAgainstReferenceAndFiniteDifferences(uint64_t seed = 7) {
    prepare();
    Parameters params = initializeWeights(model, seed);
    std::vector<Tensor> out = compiled->forward(compiledBatch, params)[0];
    std::vector<Tensor> ref = reference->forward(referenceBatch, params)[0];
    for (auto [a, b] : llvm::zip(out, ref)) {
      ASSERT_TRUE(a.sameShape(b));
      for (auto [x, y] : llvm::zip(a.data, b.data))
        EXPECT_NEAR(x, y, 1e-12 * (1 + std::abs(y)));
    }

    std::vector<Tensor> dOut;
    lossGrads(out, dOut);
    std::vector<Tensor> grads;
    for (const Tensor &p : params)
      grads.push_back(Tensor::zerosLike(p));
    compiled->backward(compiledBatch, params, {dOut}, grads);
    expectFiniteDifferences(
        params, grads, [&](const Parameters &p) { return loss(p); },
        /*skipFixed=*/true);
  }
};

} // namespace

static void checkCase(const GradientCase &c) {
  Compiled f(c.text);
  c.populate(f);
  f.checkAgainstReferenceAndFiniteDifferences();
}

TEST(CompiledEngine, OffsetsHeadWeightsAndSharing) {
  checkCase(offsetsAndSharing());
}

TEST(CompiledEngine, SoftmaxAggregationGroups) { checkCase(softmaxGroups()); }

// The recursive component runs level by level.
TEST(CompiledEngine, RecursionLevelsMaxAndElementProducts) {
  checkCase(causalRecursion());
}

TEST(CompiledEngine, SliceConcatSoftmaxNorm) { checkCase(vectorFunctions()); }

TEST(CompiledEngine, CrossSumAndCosineSimilarity) {
  checkCase(crossSumCosSim());
}

TEST(CompiledEngine, OptimizerStepsMatchTheReferenceBitForBit) {
  for (OptimizerKind kind : {OptimizerKind::SGD, OptimizerKind::Adam}) {
    Compiled f(R"(
      h(X) :- {3,2} e(X), {3} g(X). [transformation=relu]
      {1,3} out :- h(X). [aggregation=sum]
    )");
    f.fact("e", {0}, Tensor::vector({0.5, -1.0}));
    f.fact("g", {0}, Tensor::scalar(2.0));
    f.query("out", {}, Tensor::scalar(0.7));
    f.prepare();
    Parameters compiledParams = initializeWeights(f.model, 3);
    Parameters referenceParams = compiledParams;
    Optimizer compiledOpt(kind, 0.05, f.model),
        referenceOpt(kind, 0.05, f.model);
    for (int step = 0; step < 5; ++step) {
      for (auto [e, b, p, opt] :
           {std::tuple{f.compiled.get(), f.compiledBatch, &compiledParams,
                       &compiledOpt},
            std::tuple{f.reference.get(), f.referenceBatch, &referenceParams,
                       &referenceOpt}}) {
        std::vector<Tensor> dOut, grads;
        f.lossGrads(e->forward(b, *p)[0], dOut);
        for (const Tensor &t : *p)
          grads.push_back(Tensor::zerosLike(t));
        e->backward(b, *p, {dOut}, grads);
        e->optimizerStep(*opt, *p, grads);
      }
      for (auto [a, b] : llvm::zip(compiledParams, referenceParams))
        for (auto [x, y] : llvm::zip(a.data, b.data))
          EXPECT_NEAR(x, y, 1e-14 * (1 + std::abs(y)));
    }
  }
}

TEST(CompiledEngine, RefusesAKernelTableOfAnotherTemplate) {
  TemplateFixture f(R"(
    h(X) :- {2,2} e(X).
  )");
  f.fact("e", {0}, Tensor::vector({0.5, -1.0}));
  f.query("h", {0}, Tensor::vector({0.0, 0.0}));
  GroundNetwork net = f.ground();
  // A table claiming two rules for a one-rule template.
  nlogic_kernel_table table = {};
  table.num_rules = 2;
  table.num_relations = 2;
  std::string error;
  EXPECT_TRUE(failed(createCompiledEngine(table, f.model, {net}, error)));
  EXPECT_NE(error.find("does not match the template: 2 rules"),
            std::string::npos)
      << error;
}
