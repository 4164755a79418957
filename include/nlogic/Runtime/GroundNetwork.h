//===- GroundNetwork.h - one sample's neural network --------------*- C++
//-*-===//
//
// The result of grounding a template on a sample: ground atoms (fact or
// derived), ground rules (one per kept substitution), softmax groups, and
// the evaluation order of the atoms the queries reach. The neurons of
// NeuraLogic's picture map onto it as: fact neurons = fact atoms, rule
// neurons = ground rules, aggregation neurons = (atom, rule) pairs, atom
// neurons = derived atoms; weight neurons are the template's weights.
//
//===----------------------------------------------------------------------===//

#ifndef NLOGIC_RUNTIME_GROUNDNETWORK_H
#define NLOGIC_RUNTIME_GROUNDNETWORK_H

#include "nlogic/Runtime/Model.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>

namespace mlir::nlogic::runtime {

struct GroundAtom {
  int relation = -1;
  std::vector<Const> terms;
  bool isFact = false;
  Tensor factValue = Tensor::scalar(1.0);
  int factWeight = -1; // a template fact valued by a (learnable) weight
  /// Ground rules deriving this atom, grouped by rule (ascending rule index).
  std::vector<int> groundRules;
};

struct GroundRule {
  int rule = -1;
  int head = -1;
  /// The atom matched by each positive body literal (RuleModel::atoms);
  /// inline up to four atoms (no allocation per ground rule).
  llvm::SmallVector<int, 4> body;
};

/// Head atoms of one softmax-aggregated rule that are normalised together
/// (equal terms outside the `over` positions).
struct SoftmaxGroup {
  int rule = -1;
  std::vector<int> members;
};

/// The ground atoms and rules of one set of facts. Samples of a
/// knowledge-base dataset share one graph: they differ only in their
/// queries (and so in what those queries reach).
struct GroundGraph {
  std::vector<GroundAtom> atoms;
  std::vector<GroundRule> rules;
  std::vector<SoftmaxGroup> groups;
  /// (atom, rule) -> softmax group.
  llvm::DenseMap<std::pair<int, int>, int> groupOf;
};

struct GroundNetwork {
  std::shared_ptr<const GroundGraph> graph;
  /// Atoms the queries reach, each after everything it depends on.
  std::vector<int> order;
  /// Atom of each query of the sample; -1 if the query was not derived.
  std::vector<int> queryAtoms;

  const std::vector<GroundAtom> &atoms() const { return graph->atoms; }
  const std::vector<GroundRule> &rules() const { return graph->rules; }
  const std::vector<SoftmaxGroup> &groups() const { return graph->groups; }
  int groupOf(int atom, int rule) const {
    return graph->groupOf.lookup({atom, rule});
  }

  struct Stats {
    size_t groundRules = 0;  // substitutions kept by the grounder
    size_t factAtoms = 0;    // fact neurons reached by the queries
    size_t derivedAtoms = 0; // atom neurons reached by the queries
    size_t ruleNeurons = 0;  // ground rules reached by the queries
    size_t aggregationNeurons = 0;
  } stats;

  /// `relation(terms)` as NeuraLogic prints an atom.
  std::string atomText(const TemplateModel &model, int atom) const;
  /// Writes the reached network as Graphviz DOT, labelled the way
  /// PyNeuraLogic draws neurons.
  void writeDot(const TemplateModel &model, llvm::raw_ostream &os) const;
};

/// Empty when `a` and `b` are the same network (same atoms with the same
/// facts, the same ground rules in the same order, the same softmax
/// groups, evaluation order and query atoms); otherwise the first
/// difference, in words. Differential tests of groundings use it.
std::string describeDifference(const TemplateModel &model,
                               const GroundNetwork &a, const GroundNetwork &b);

} // namespace mlir::nlogic::runtime

#endif // NLOGIC_RUNTIME_GROUNDNETWORK_H
