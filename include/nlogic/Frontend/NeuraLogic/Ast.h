//===- Ast.h - syntax tree of NeuraLogic's text format ------------*- C++
//-*-===//
//
// What the NeuraLogic parser produces: weights, literals, rules, facts and
// relation settings, each with the source location it came from. The
// importer turns it into the nlogic dialect.
//
//===----------------------------------------------------------------------===//

#ifndef NLOGIC_FRONTEND_NEURALOGIC_AST_H
#define NLOGIC_FRONTEND_NEURALOGIC_AST_H

#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/SMLoc.h"
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mlir::nlogic::neuralogic {

/// A weight as written before a literal, as an offset, or in metadata:
/// `{3,3}` (shape, initialised randomly), `0.5`, `[1,0]`, `[[1,0],[0,1]]`
/// (initial values), `<...>` (fixed), `$name=...` (shared by name).
struct WeightSpec {
  llvm::SMLoc loc;
  std::optional<std::string> name;
  bool fixed = false;
  /// A `$name` reference from metadata (`offset=$w`): no value of its own.
  bool isReference = false;
  /// Dimensions from `{...}` (then `values` is empty).
  std::vector<int64_t> dims;
  /// Row-major initial values and their shape ({} scalar, {n}, {r,c}).
  std::vector<double> values;
  std::vector<int64_t> valueShape;
  bool hasValues() const { return !values.empty(); }
};

struct Term {
  enum Kind { Variable, Name, Int, Float } kind;
  std::string text;
  llvm::SMLoc loc;
  int64_t intValue = 0;
  double floatValue = 0;
};

/// One literal of a rule body, a rule head or a fact.
struct Literal {
  llvm::SMLoc loc;
  std::optional<WeightSpec> weight;
  bool softNegated = false; // `~a`: value 1 - a
  bool hardNegated = false; // `!a`: negation as failure
  bool hidden = false;      // `*a`
  bool special = false;     // `@a`: builtin
  std::string predicate;
  std::vector<Term> terms;
  bool transposed = false;           // `a(X)^T`
  std::vector<std::string> wrappers; // `sigmoid(a(X))`: outermost first
  std::vector<llvm::SMLoc> wrapperLocs;
};

/// A metadata value: a number, a vector, a `$weight` reference, or a name
/// with optional arguments (`softmax(agg_terms=[J])`, `leakyrelu(0.2)`).
struct MetaValue {
  llvm::SMLoc loc;
  enum Kind { Name, Number, Vector, WeightRef } kind = Name;
  std::string name;
  double number = 0;
  std::vector<double> vector;
  /// Arguments of a function form: positional ones under "" (numbers).
  std::vector<std::pair<std::string, std::vector<std::string>>> args;
};

struct MetaEntry {
  llvm::SMLoc loc;
  std::string key;
  MetaValue value;
};

struct Rule {
  llvm::SMLoc loc;
  Literal head;
  std::vector<Literal> body;
  std::optional<WeightSpec> offset;
  std::vector<MetaEntry> metadata;
  /// A non-ground fact rewritten as a rule over `__domain` by the importer.
  bool liftedFact = false;
};

/// `name / arity {3,1}` (offset) or `name / arity [metadata]`.
struct PredicateSetting {
  llvm::SMLoc loc;
  std::string predicate;
  bool hidden = false;
  int64_t arity = 0;
  std::optional<WeightSpec> offset;
  std::vector<MetaEntry> metadata;
};

/// `$name [metadata]`.
struct WeightSetting {
  llvm::SMLoc loc;
  std::string name;
  std::vector<MetaEntry> metadata;
};

/// A whole template: every statement of the file and its imports, in order.
struct TemplateAst {
  std::vector<Rule> rules;
  std::vector<Literal> facts;
  std::vector<PredicateSetting> predicateSettings;
  std::vector<WeightSetting> weightSettings;
  std::vector<MetaEntry> templateMetadata;
};

} // namespace mlir::nlogic::neuralogic

#endif // NLOGIC_FRONTEND_NEURALOGIC_AST_H
