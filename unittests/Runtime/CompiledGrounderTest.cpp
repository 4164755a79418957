//===- CompiledGrounderTest.cpp - compiled join plans vs the reference ----===//
//
// The compiled grounder (join plans compiled to host code) builds exactly
// the reference grounder's networks: same atoms, ground rules, order,
// softmax groups and queries, on the engines' test templates and on a
// template whose dense variant applies to some samples and not to others.
//
//===----------------------------------------------------------------------===//

#include "TemplateFixture.h"

using namespace nlogic_test;

namespace {

/// Grounds the fixture's sample with both grounders and compares.
void expectSameNetworks(TemplateFixture &f) {
  GroundNetwork reference = f.ground();
  FailureOr<std::shared_ptr<const GroundingCode>> code =
      createGroundingCode(f.templ, f.model);
  ASSERT_TRUE(succeeded(code));
  Grounder grounder(f.model, *code);
  GroundNetwork compiled;
  std::string error;
  ASSERT_TRUE(succeeded(grounder.ground(f.sample, compiled, error))) << error;
  EXPECT_EQ(describeDifference(f.model, reference, compiled), "");
  EXPECT_GT(compiled.rules().size(), 0u);
}

void checkCase(const GradientCase &c) {
  TemplateFixture f(c.text);
  c.populate(f);
  expectSameNetworks(f);
}

} // namespace

TEST(CompiledGrounder, OffsetsHeadWeightsAndSharing) {
  checkCase(offsetsAndSharing());
}
TEST(CompiledGrounder, SoftmaxGroups) { checkCase(softmaxGroups()); }
TEST(CompiledGrounder, RecursionThroughNext) { checkCase(causalRecursion()); }
TEST(CompiledGrounder, VectorFunctions) { checkCase(vectorFunctions()); }
TEST(CompiledGrounder, CrossSumAndCosineSimilarity) {
  checkCase(crossSumCosSim());
}

/// One grounder, several samples: positions in order (the dense plan runs),
/// out of order and with a gap (the general plan runs); both give the
/// reference networks.
TEST(CompiledGrounder, DenseAndGeneralPlansAcrossSamples) {
  const char *text = R"(
    s(I, J) :- tok(I), tok(J), @lt(J, I), @sub(I, J, D), @leq(D, 2).
    t(I) :- tok(I), @next(I, J), tok(J).
    {1,1} out :- s(I, J), t(I). [aggregation=avg]
  )";
  TemplateFixture f(text);
  FailureOr<std::shared_ptr<const GroundingCode>> code =
      createGroundingCode(f.templ, f.model);
  ASSERT_TRUE(succeeded(code));
  Grounder compiledGrounder(f.model, *code);
  Grounder referenceGrounder(f.model);
  for (std::vector<int64_t> positions : {std::vector<int64_t>{0, 1, 2, 3, 4, 5},
                                         {3, 0, 2, 1, 5, 4},
                                         {0, 1, 3, 4, 5},
                                         {0}}) {
    f.facts.clear();
    f.sample.queries.clear();
    for (int64_t p : positions)
      f.facts.push_back({f.model.relationFor("tok", 1),
                         {Const::ofInt(p)},
                         Tensor::scalar(1.0 + p)});
    f.sample.queries.push_back(
        {f.model.relationFor("out", 0), {}, Tensor::scalar(0.5), "out"});
    f.sample.facts = std::make_shared<std::vector<SampleFact>>(f.facts);
    GroundNetwork a, b;
    std::string error;
    ASSERT_TRUE(succeeded(referenceGrounder.ground(f.sample, a, error)));
    ASSERT_TRUE(succeeded(compiledGrounder.ground(f.sample, b, error)));
    EXPECT_EQ(describeDifference(f.model, a, b), "")
        << positions.size() << " positions";
  }
}
