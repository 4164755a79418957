//===- Model.h - a verified template as plain runtime data --------*- C++
//-*-===//
//
// The runtime does not walk MLIR while grounding or evaluating: it reads a
// verified `nlogic.template` once into these structures (relations,
// weights, facts, and each rule as a join plan plus a small map program).
//
//===----------------------------------------------------------------------===//

#ifndef NLOGIC_RUNTIME_MODEL_H
#define NLOGIC_RUNTIME_MODEL_H

#include "nlogic/Dialect/NLogic/IR/NLogicTypes.h"
#include "nlogic/Runtime/Functions.h"
#include "nlogic/Runtime/Tensor.h"

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mlir::nlogic {
class TemplateOp;
} // namespace mlir::nlogic

namespace mlir::nlogic::runtime {

using mlir::nlogic::ArithKind;
using mlir::nlogic::ConstraintKind;
using mlir::nlogic::Initializer;

/// A ground constant: an integer (top bit set, value in the low 63 bits) or
/// an interned name (anything else, including floats, by their spelling).
class Const {
public:
  Const() = default;
  static Const ofInt(int64_t v) {
    return Const((static_cast<uint64_t>(v) & ~kIntTag) | kIntTag);
  }
  static Const ofName(uint32_t id) { return Const(id); }
  bool isInt() const { return bits & kIntTag; }
  int64_t intValue() const {
    // Sign-extend the 63-bit payload.
    return static_cast<int64_t>(bits << 1) >> 1;
  }
  uint32_t nameId() const { return static_cast<uint32_t>(bits); }
  uint64_t raw() const { return bits; }
  bool operator==(Const o) const { return bits == o.bits; }
  bool operator!=(Const o) const { return bits != o.bits; }

private:
  static constexpr uint64_t kIntTag = uint64_t(1) << 63;
  explicit Const(uint64_t bits) : bits(bits) {}
  uint64_t bits = 0;
};

/// Interns constant names; shared by the template and every dataset.
class Names {
public:
  Const intern(llvm::StringRef name);
  /// The constant of an interned name, if it was interned.
  std::optional<Const> find(llvm::StringRef name) const;
  /// The constant for an attribute of the dialect (string, integer, float).
  Const fromText(llvm::StringRef text, bool isInteger);
  std::string str(Const c) const;
  /// Numeric value of an integer or of a name that spells a number.
  std::optional<double> number(Const c) const;

private:
  llvm::StringMap<uint32_t> ids;
  std::vector<std::string> spellings;
};

struct RelationModel {
  std::string symbol;    // the IR symbol
  std::string predicate; // the name as written
  int64_t arity = 0;
  bool hidden = false;
  bool derived = false; // head of some rule
  Transformation transformation = Transformation::identity;
  Combination combination = Combination::sum;
  int offsetWeight = -1;
  int stratum = 0;
  int component = -1; // relations of one component are mutually recursive
  /// The value is its one rule's contribution as it is (PassThrough.h):
  /// compiled kernels store it into the values and leave the accumulators
  /// alone.
  bool passesThrough = false;
  /// "name/arity" as users write it.
  std::string display() const {
    return predicate + "/" + std::to_string(arity);
  }
};

struct WeightModel {
  std::string name;
  int64_t rows = 1, cols = 1;
  bool fixed = false;
  std::optional<Tensor> initialValue;
  std::optional<Initializer> initializer;
};

/// A ground fact of the template or of a sample.
struct FactModel {
  int relation = -1;
  std::vector<Const> terms;
  int weight = -1; // template facts valued by a weight
  Tensor value = Tensor::scalar(1.0);
};

/// A term of a rule: a variable slot, a constant, or integer arithmetic on
/// two other terms.
struct TermExpr {
  enum Kind { Variable, Constant, Arith } kind = Variable;
  int slot = -1;
  Const constant;
  ArithKind op = ArithKind::add;
  int lhs = -1, rhs = -1;
};

struct BodyAtom {
  int relation = -1;
  std::vector<int> terms; // TermExpr indices
};

struct ConstraintModel {
  ConstraintKind kind;
  std::vector<int> terms;
};

/// One instruction of a rule's map program; registers are instruction
/// indices.
struct MapInstr {
  enum Kind { Atom, Weigh, Combine, Transform } kind;
  int atom = -1; // Atom: index into RuleModel::atoms
  bool transposed = false;
  int weight = -1; // Weigh: weight; Combine: offset weight (or -1)
  std::vector<int> operands;
  Combination combination = Combination::sum;
  std::optional<int64_t> axis;
  Transformation transformation = Transformation::identity;
  TransformParams params;
};

struct RuleModel {
  int head = -1;
  std::vector<int> headTerms;
  std::vector<std::string> varNames;
  std::vector<TermExpr> exprs;
  std::vector<BodyAtom> atoms;   // positive literals, in body order
  std::vector<BodyAtom> negated; // negation as failure
  std::vector<ConstraintModel> constraints;
  std::vector<MapInstr> program;
  int result = -1; // register holding the rule neuron value
  Aggregation aggregation = Aggregation::sum;
  std::vector<int> softmaxOver; // head positions normalised over
  int headWeight = -1;
  bool recursive = false;
  /// Keep substitutions whose neural inputs are identical (NeuraLogic's
  /// `duplicit_grounding`); by default such duplicates are merged.
  bool duplicitGrounding = false;
  /// A non-ground fact lifted over the active domain (the importer's
  /// `nlogic.lifted_fact` rules): its substitutions make fact atoms valued
  /// by `liftedFactWeight` (or 1), not ground rules.
  bool liftedFact = false;
  int liftedFactWeight = -1;
  std::string location; // "file:line:col" of the rule
};

struct TemplateModel {
  std::vector<RelationModel> relations;
  std::vector<WeightModel> weights;
  std::vector<FactModel> facts;
  /// In evaluation order (stratum, then dependencies first).
  std::vector<RuleModel> rules;
  Names names;
  llvm::StringMap<int> relationBySymbol;
  /// (predicate, arity) as written in datasets.
  std::map<std::pair<std::string, int64_t>, int> relationByPredicate;

  /// Finds a relation by name and arity; data files may name relations the
  /// template does not mention (they are added as data relations).
  int relationFor(llvm::StringRef predicate, int64_t arity);
};

/// Reads a verified template. Runs stratification itself; reports
/// constructs the runtime cannot handle as diagnostics on `templ`.
mlir::FailureOr<TemplateModel> buildModel(mlir::nlogic::TemplateOp templ);

} // namespace mlir::nlogic::runtime

#endif // NLOGIC_RUNTIME_MODEL_H
