//===- Stratification.cpp - relation dependency strata --------------------===//
//
// Tarjan's strongly connected components over the relation dependency graph,
// then a longest-path layering of the component DAG where negated edges
// count one.
//
//===----------------------------------------------------------------------===//

#include "nlogic/Dialect/NLogic/IR/Stratification.h"
#include "nlogic/Dialect/NLogic/IR/NLogicOps.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include <tuple>

using namespace mlir;
using namespace mlir::nlogic;

namespace {
struct Edge {
  unsigned to;
  bool negated;
  Operation *literal;
};

/// Iterative-enough Tarjan for the small graphs templates make.
class SccFinder {
public:
  explicit SccFinder(ArrayRef<SmallVector<Edge>> graph)
      : graph(graph), index(graph.size(), -1), low(graph.size(), 0),
        onStack(graph.size(), false), component(graph.size(), 0) {}

  /// Returns the component of each node; components are numbered in reverse
  /// topological order (a component's successors have smaller numbers).
  SmallVector<unsigned> run() {
    for (unsigned v = 0; v < graph.size(); ++v)
      if (index[v] < 0)
        visit(v);
    return component;
  }
  unsigned numComponents() const { return nextComponent; }

private:
  void visit(unsigned v) {
    index[v] = low[v] = nextIndex++;
    stack.push_back(v);
    onStack[v] = true;
    for (const Edge &e : graph[v]) {
      if (index[e.to] < 0) {
        visit(e.to);
        low[v] = std::min(low[v], low[e.to]);
      } else if (onStack[e.to]) {
        low[v] = std::min(low[v], index[e.to]);
      }
    }
    if (low[v] != index[v])
      return;
    unsigned w;
    do {
      w = stack.pop_back_val();
      onStack[w] = false;
      component[w] = nextComponent;
    } while (w != v);
    ++nextComponent;
  }

  ArrayRef<SmallVector<Edge>> graph;
  SmallVector<int> index, low;
  SmallVector<bool> onStack;
  SmallVector<unsigned> component;
  SmallVector<unsigned> stack;
  int nextIndex = 0;
  unsigned nextComponent = 0;
};
} // namespace

Stratification mlir::nlogic::computeStratification(TemplateOp templ) {
  Stratification result;
  SmallVector<StringAttr> names;
  llvm::DenseMap<StringAttr, unsigned> ids;
  for (RelationOp rel : templ.getRelations()) {
    ids.try_emplace(rel.getSymNameAttr(), names.size());
    if (names.size() < ids.size())
      names.push_back(rel.getSymNameAttr());
  }

  // Edges point from a head to the relations its rules read.
  SmallVector<SmallVector<Edge>> graph(names.size());
  for (RuleOp rule : templ.getRules()) {
    auto head = ids.find(rule.getHeadAttr().getAttr());
    if (head == ids.end())
      continue;
    rule.getBody().walk([&](Operation *op) {
      FlatSymbolRefAttr ref;
      bool negated = false;
      if (auto atom = dyn_cast<AtomOp>(op))
        ref = atom.getRelationAttr();
      else if (auto neg = dyn_cast<NotOp>(op)) {
        ref = neg.getRelationAttr();
        negated = true;
      }
      if (!ref)
        return;
      auto body = ids.find(ref.getAttr());
      if (body != ids.end())
        graph[head->second].push_back({body->second, negated, op});
    });
  }

  SccFinder finder(graph);
  SmallVector<unsigned> comp = finder.run();

  // Components come out in reverse topological order, so every component's
  // dependencies are numbered lower and already have their stratum.
  SmallVector<unsigned> compStratum(finder.numComponents(), 0);
  SmallVector<SmallVector<unsigned>> members(finder.numComponents());
  for (unsigned v = 0; v < names.size(); ++v)
    members[comp[v]].push_back(v);
  for (unsigned c = 0; c < finder.numComponents(); ++c) {
    unsigned s = 0;
    for (unsigned v : members[c]) {
      for (const Edge &e : graph[v]) {
        if (comp[e.to] == c) {
          result.recursive.insert(names[v]);
          if (e.negated && !result.negativeCycle)
            result.negativeCycle = e.literal;
          continue;
        }
        s = std::max(s, compStratum[comp[e.to]] + (e.negated ? 1 : 0));
      }
    }
    compStratum[c] = s;
  }
  for (unsigned v = 0; v < names.size(); ++v) {
    result.stratum[names[v]] = compStratum[comp[v]];
    result.component[names[v]] = comp[v];
  }
  return result;
}

SmallVector<RuleOp>
mlir::nlogic::rulesInEvaluationOrder(TemplateOp templ,
                                     const Stratification &strata) {
  SmallVector<RuleOp> rules(templ.getRules());
  llvm::DenseMap<Operation *, unsigned> sourceOrder;
  for (auto [i, rule] : llvm::enumerate(rules))
    sourceOrder[rule] = i;
  // Components are numbered in reverse topological order, so a component's
  // dependencies sort first within a stratum.
  auto key = [&](RuleOp rule) {
    StringAttr head = rule.getHeadAttr().getAttr();
    return std::make_tuple(strata.stratum.lookup(head),
                           strata.component.lookup(head),
                           sourceOrder.lookup(rule));
  };
  llvm::sort(rules, [&](RuleOp a, RuleOp b) { return key(a) < key(b); });
  return rules;
}
