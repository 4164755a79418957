//===- TemplateToDot.cpp - a template drawn as a Graphviz graph -----------===//
//
// The template-level picture of a LRNN: relations and rules as nodes, so a
// user sees which relations feed which rules (the network of one sample is
// drawn by `nlogic ground --dot`).
//
//===----------------------------------------------------------------------===//

#include "nlogic/Target/TemplateToDot.h"
#include "nlogic/Dialect/NLogic/IR/NLogicOps.h"
#include "nlogic/InitAll.h"

#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/ADT/StringExtras.h"

using namespace mlir;
using namespace mlir::nlogic;

namespace {

/// Escapes a label for a double-quoted DOT string (line breaks as `\n`).
std::string quoted(llvm::StringRef s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    if (c == '"' || c == '\\')
      out += '\\';
    out += c;
  }
  return out + "\"";
}

/// A term as the user wrote it: a variable's name, or the constant.
std::string termText(Value v, RuleOp rule) {
  if (auto arg = dyn_cast<BlockArgument>(v))
    return cast<StringAttr>(rule.getVarNames()[arg.getArgNumber()]).str();
  if (auto c = v.getDefiningOp<ConstantOp>()) {
    std::string s;
    llvm::raw_string_ostream os(s);
    if (auto str = dyn_cast<StringAttr>(c.getValue()))
      os << str.getValue();
    else
      c.getValue().print(os, /*elideType=*/true);
    return s;
  }
  if (auto a = v.getDefiningOp<ArithOp>())
    return "(" + termText(a.getLhs(), rule) + " " +
           stringifyArithKind(a.getKind()).str() + " " +
           termText(a.getRhs(), rule) + ")";
  return "?";
}

std::string termsText(ValueRange terms, RuleOp rule) {
  return "(" +
         llvm::join(
             llvm::map_range(terms, [&](Value t) { return termText(t, rule); }),
             ", ") +
         ")";
}

/// The weight applied to an atom's value, if one weighs it directly.
std::string weightOf(AtomOp atom) {
  for (Operation *user : atom->getUsers())
    if (auto w = dyn_cast<WeighOp>(user))
      return w.getWeight().str() + " ";
  return "";
}

} // namespace

LogicalResult mlir::nlogic::exportTemplateDot(ModuleOp module,
                                              llvm::raw_ostream &os) {
  os << "digraph template {\n  rankdir=LR;\n"
        "  node [fontname=\"Helvetica\", fontsize=10];\n"
        "  edge [fontname=\"Helvetica\", fontsize=9];\n";
  unsigned ruleId = 0;
  for (TemplateOp templ : module.getOps<TemplateOp>()) {
    std::string prefix = templ.getSymName().str() + ".";
    for (RelationOp rel : templ.getRelations()) {
      std::string label =
          rel.getPredicateName().str() + "/" + std::to_string(rel.getArity());
      if (auto t = rel.getTransformation(); t && *t != Transformation::identity)
        label += "\n" + stringifyTransformation(*t).str();
      os << "  " << quoted(prefix + rel.getSymName().str())
         << " [shape=box, label=" << quoted(label)
         << (rel.getHidden() ? ", style=dashed" : "") << "];\n";
    }
    for (RuleOp rule : templ.getRules()) {
      std::string node = "rule" + std::to_string(ruleId++);
      HeadOp head = rule.getHeadOp();
      std::string label =
          (rule.getWeight() ? rule.getWeight()->str() + " " : std::string()) +
          rule.getHead().str() + termsText(head.getTerms(), rule) + " :-";
      Aggregation agg = rule.getAggregation().value_or(Aggregation::sum);
      label += "\n" + stringifyAggregation(agg).str();
      if (auto over = rule.getAggTerms()) {
        label += " over";
        for (Attribute a : *over)
          label += " " + cast<StringAttr>(a).str();
      }
      for (auto c : rule.getBodyBlock().getOps<ConstrainOp>())
        label += "\n" + stringifyConstraintKind(c.getKind()).str() +
                 termsText(c.getTerms(), rule);
      os << "  " << node << " [shape=ellipse, label=" << quoted(label)
         << "];\n";
      for (Operation &op : rule.getBodyBlock()) {
        if (auto atom = dyn_cast<AtomOp>(op))
          os << "  " << quoted(prefix + atom.getRelation().str()) << " -> "
             << node << " [label="
             << quoted(weightOf(atom) + termsText(atom.getTerms(), rule) +
                       (atom.getTransposed() ? "^T" : ""))
             << (atom.getResult().use_empty() ? ", style=dotted" : "")
             << "];\n";
        else if (auto neg = dyn_cast<NotOp>(op))
          os << "  " << quoted(prefix + neg.getRelation().str()) << " -> "
             << node
             << " [label=" << quoted("not " + termsText(neg.getTerms(), rule))
             << ", style=dashed, arrowhead=odot];\n";
      }
      os << "  " << node << " -> " << quoted(prefix + rule.getHead().str())
         << ";\n";
    }
  }
  os << "}\n";
  return success();
}

void mlir::nlogic::registerExportTemplateDot() {
  static TranslateFromMLIRRegistration exportDot(
      "export-dot", "draw the templates as a Graphviz digraph",
      [](Operation *op, llvm::raw_ostream &os) -> LogicalResult {
        auto module = dyn_cast<ModuleOp>(op);
        if (!module)
          return op->emitError("expected a module");
        return exportTemplateDot(module, os);
      },
      [](DialectRegistry &registry) { registerAllDialects(registry); });
}
