//===- GroundNetwork.cpp - printing and drawing ground networks -----------===//
//
// Text of ground atoms and the Graphviz picture of a sample's network.
//
//===----------------------------------------------------------------------===//

#include "nlogic/Runtime/GroundNetwork.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLExtras.h"

using namespace mlir::nlogic::runtime;

std::string GroundNetwork::atomText(const TemplateModel &model,
                                    int atom) const {
  const GroundAtom &a = atoms()[atom];
  std::string text = model.relations[a.relation].predicate;
  if (!a.terms.empty()) {
    text += "(";
    for (size_t i = 0; i < a.terms.size(); ++i)
      text += (i ? ", " : "") + model.names.str(a.terms[i]);
    text += ")";
  }
  return text;
}

/// Escapes a label for a double-quoted DOT string.
static std::string escape(llvm::StringRef s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\')
      out += '\\';
    out += c;
  }
  return out;
}

void GroundNetwork::writeDot(const TemplateModel &model,
                             llvm::raw_ostream &os) const {
  // Node names: a<i> atoms (facts as boxes), r<i> rule neurons, g<i>_<r>
  // aggregation neurons, as PyNeuraLogic's drawing distinguishes them.
  os << "digraph ground_network {\n  rankdir=BT;\n"
     << "  node [fontname=\"Helvetica\", fontsize=10];\n";
  llvm::DenseSet<int> reached(order.begin(), order.end());
  for (int a : order) {
    const GroundAtom &atom = atoms()[a];
    bool fact = atom.groundRules.empty();
    os << "  a" << a << " [label=\"" << escape(atomText(model, a)) << "\""
       << (fact ? ", shape=box, style=filled, fillcolor=\"#e8f0fe\""
                : ", shape=ellipse, style=filled, fillcolor=\"#fde7e9\"")
       << "];\n";
  }
  for (int a : order) {
    const GroundAtom &atom = atoms()[a];
    int lastRule = -1;
    for (int g : atom.groundRules) {
      const GroundRule &gr = rules()[g];
      const RuleModel &rule = model.rules[gr.rule];
      if (gr.rule != lastRule) {
        lastRule = gr.rule;
        os << "  g" << a << "_" << gr.rule << " [label=\""
           << mlir::nlogic::stringifyAggregation(rule.aggregation)
           << "\", shape=diamond];\n";
        os << "  g" << a << "_" << gr.rule << " -> a" << a << ";\n";
      }
      os << "  r" << g << " [label=\"rule " << gr.rule << "\\n"
         << escape(rule.location) << "\", shape=hexagon];\n";
      os << "  r" << g << " -> g" << a << "_" << gr.rule << ";\n";
      for (int b : gr.body)
        if (reached.contains(b))
          os << "  a" << b << " -> r" << g << ";\n";
    }
  }
  os << "}\n";
}

std::string
mlir::nlogic::runtime::describeDifference(const TemplateModel &model,
                                          const GroundNetwork &a,
                                          const GroundNetwork &b) {
  auto count = [](llvm::StringRef what, size_t x, size_t y) {
    return std::string(what) + ": " + std::to_string(x) + " vs " +
           std::to_string(y);
  };
  if (a.atoms().size() != b.atoms().size())
    return count("ground atoms", a.atoms().size(), b.atoms().size());
  for (size_t i = 0; i < a.atoms().size(); ++i) {
    const GroundAtom &x = a.atoms()[i], &y = b.atoms()[i];
    if (x.relation != y.relation || x.terms != y.terms)
      return "atom " + std::to_string(i) + " is " + a.atomText(model, i) +
             " vs " + b.atomText(model, i);
    if (x.isFact != y.isFact || x.factWeight != y.factWeight ||
        x.factValue.data != y.factValue.data)
      return "atom " + a.atomText(model, i) + " has different fact values";
    if (x.groundRules != y.groundRules)
      return "atom " + a.atomText(model, i) + " has different ground rules";
  }
  if (a.rules().size() != b.rules().size())
    return count("ground rules", a.rules().size(), b.rules().size());
  for (size_t i = 0; i < a.rules().size(); ++i) {
    const GroundRule &x = a.rules()[i], &y = b.rules()[i];
    if (x.rule != y.rule || x.head != y.head || x.body != y.body)
      return "ground rule " + std::to_string(i) + " of " +
             a.atomText(model, x.head) + " differs";
  }
  if (a.groups().size() != b.groups().size())
    return count("softmax groups", a.groups().size(), b.groups().size());
  for (size_t i = 0; i < a.groups().size(); ++i)
    if (a.groups()[i].rule != b.groups()[i].rule ||
        a.groups()[i].members != b.groups()[i].members)
      return "softmax group " + std::to_string(i) + " differs";
  if (a.order != b.order)
    return "the evaluation orders differ";
  if (a.queryAtoms != b.queryAtoms)
    return "the query atoms differ";
  return "";
}
