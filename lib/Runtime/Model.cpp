//===- Model.cpp - a verified template as plain runtime data --------------===//
//
// Walks a verified `nlogic.template` once: relations and weights become
// indexed tables, each rule's body becomes term expressions, atoms,
// negations and constraints (the join) and a register program (the map).
//
//===----------------------------------------------------------------------===//

#include "nlogic/Runtime/Model.h"
#include "nlogic/Dialect/NLogic/IR/NLogicOps.h"
#include "nlogic/Dialect/NLogic/IR/PassThrough.h"
#include "nlogic/Dialect/NLogic/IR/Stratification.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdio>

using namespace mlir;
using namespace mlir::nlogic;
using namespace mlir::nlogic::runtime;

//===----------------------------------------------------------------------===//
// Names
//===----------------------------------------------------------------------===//

Const Names::intern(llvm::StringRef name) {
  auto [it, inserted] = ids.try_emplace(name, spellings.size());
  if (inserted)
    spellings.push_back(name.str());
  return Const::ofName(it->second);
}

/// Floats are names spelled canonically, so `2.5` in a template and `2.50`
/// in a dataset are the same constant.
static std::string canonicalFloat(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.17g", v);
  return buf;
}

std::optional<Const> Names::find(llvm::StringRef name) const {
  auto it = ids.find(name);
  if (it == ids.end())
    return std::nullopt;
  return Const::ofName(it->second);
}

Const Names::fromText(llvm::StringRef text, bool isInteger) {
  if (isInteger) {
    int64_t v;
    if (!text.getAsInteger(10, v))
      return Const::ofInt(v);
  }
  double d;
  if (!isInteger && llvm::to_float(text, d) &&
      (llvm::isDigit(text.front()) || text.front() == '-' ||
       text.front() == '+'))
    return intern(canonicalFloat(d));
  return intern(text);
}

std::string Names::str(Const c) const {
  if (c.isInt())
    return std::to_string(c.intValue());
  return spellings[c.nameId()];
}

std::optional<double> Names::number(Const c) const {
  if (c.isInt())
    return static_cast<double>(c.intValue());
  double d;
  if (llvm::to_float(spellings[c.nameId()], d))
    return d;
  return std::nullopt;
}

int TemplateModel::relationFor(llvm::StringRef predicate, int64_t arity) {
  auto key = std::make_pair(predicate.str(), arity);
  auto it = relationByPredicate.find(key);
  if (it != relationByPredicate.end())
    return it->second;
  // A relation only the data mentions: it can never match a rule, but its
  // facts are still part of the sample.
  RelationModel rel;
  rel.predicate = predicate.str();
  rel.arity = arity;
  rel.symbol = rel.display();
  int id = relations.size();
  relations.push_back(rel);
  relationBySymbol[rel.symbol] = id;
  relationByPredicate[key] = id;
  return id;
}

//===----------------------------------------------------------------------===//
// Reading the IR
//===----------------------------------------------------------------------===//

static std::pair<int64_t, int64_t> rowsCols(Type type) {
  if (auto ranked = dyn_cast<RankedTensorType>(type)) {
    if (ranked.getRank() == 1)
      return {ranked.getDimSize(0), 1};
    if (ranked.getRank() == 2)
      return {ranked.getDimSize(0), ranked.getDimSize(1)};
  }
  return {1, 1};
}

static Tensor tensorOf(ElementsAttr attr, int64_t rows, int64_t cols) {
  std::vector<double> values;
  for (APFloat v : cast<DenseElementsAttr>(attr).getValues<APFloat>())
    values.push_back(v.convertToDouble());
  if (static_cast<int64_t>(values.size()) != rows * cols) {
    rows = values.size();
    cols = 1;
  }
  return Tensor(rows, cols, std::move(values));
}

static std::string locationString(Location loc) {
  if (auto file = dyn_cast<FileLineColLoc>(loc))
    return (file.getFilename().getValue() + ":" + Twine(file.getLine()) + ":" +
            Twine(file.getColumn()))
        .str();
  std::string s;
  llvm::raw_string_ostream os(s);
  loc.print(os);
  return s;
}

namespace {
/// Per-rule translation state.
class RuleReader {
public:
  RuleReader(TemplateModel &model, RuleModel &out) : model(model), out(out) {}

  LogicalResult read(RuleOp rule) {
    Block &body = rule.getBodyBlock();
    for (auto [arg, name] :
         llvm::zip(body.getArguments(), rule.getVarNames())) {
      TermExpr e;
      e.kind = TermExpr::Variable;
      e.slot = out.varNames.size();
      out.varNames.push_back(cast<StringAttr>(name).str());
      terms[arg] = out.exprs.size();
      out.exprs.push_back(e);
    }
    for (Operation &op : body)
      if (failed(readOp(op)))
        return failure();
    return success();
  }

private:
  int termOf(Value v) { return terms.lookup(v); }

  std::vector<int> termsOf(ValueRange values) {
    std::vector<int> result;
    for (Value v : values)
      result.push_back(termOf(v));
    return result;
  }

  int relationOf(FlatSymbolRefAttr ref) {
    return model.relationBySymbol.lookup(ref.getValue());
  }

  int weightOf(FlatSymbolRefAttr ref) {
    if (!ref)
      return -1;
    return weightIds.lookup(ref.getValue());
  }

  int emit(Value result, MapInstr instr) {
    int reg = out.program.size();
    out.program.push_back(std::move(instr));
    registers[result] = reg;
    return reg;
  }

  LogicalResult readOp(Operation &op) {
    if (auto c = dyn_cast<ConstantOp>(op)) {
      TermExpr e;
      e.kind = TermExpr::Constant;
      Attribute v = c.getValue();
      if (auto i = dyn_cast<IntegerAttr>(v))
        e.constant = Const::ofInt(i.getInt());
      else if (auto f = dyn_cast<FloatAttr>(v))
        e.constant = model.names.fromText(canonicalFloat(f.getValueAsDouble()),
                                          /*isInteger=*/false);
      else
        e.constant = model.names.intern(cast<StringAttr>(v).getValue());
      terms[c] = out.exprs.size();
      out.exprs.push_back(e);
      return success();
    }
    if (auto a = dyn_cast<ArithOp>(op)) {
      TermExpr e;
      e.kind = TermExpr::Arith;
      e.op = a.getKind();
      e.lhs = termOf(a.getLhs());
      e.rhs = termOf(a.getRhs());
      terms[a] = out.exprs.size();
      out.exprs.push_back(e);
      return success();
    }
    if (auto atom = dyn_cast<AtomOp>(op)) {
      int index = out.atoms.size();
      out.atoms.push_back(
          {relationOf(atom.getRelationAttr()), termsOf(atom.getTerms())});
      // Atoms whose value nothing reads (hidden relations, join-only
      // literals) contribute no input.
      if (!atom.getResult().use_empty()) {
        MapInstr instr{MapInstr::Atom};
        instr.atom = index;
        instr.transposed = atom.getTransposed();
        emit(atom.getResult(), instr);
      }
      return success();
    }
    if (auto neg = dyn_cast<NotOp>(op)) {
      out.negated.push_back(
          {relationOf(neg.getRelationAttr()), termsOf(neg.getTerms())});
      return success();
    }
    if (auto c = dyn_cast<ConstrainOp>(op)) {
      out.constraints.push_back({c.getKind(), termsOf(c.getTerms())});
      return success();
    }
    if (auto w = dyn_cast<WeighOp>(op)) {
      MapInstr instr{MapInstr::Weigh};
      instr.weight = weightOf(w.getWeightAttr());
      instr.operands = {registers.lookup(w.getInput())};
      emit(w.getResult(), instr);
      return success();
    }
    if (auto c = dyn_cast<CombineOp>(op)) {
      MapInstr instr{MapInstr::Combine};
      instr.combination = c.getKind();
      instr.weight = weightOf(c.getOffsetAttr());
      instr.axis = c.getAxis();
      for (Value in : c.getInputs())
        instr.operands.push_back(registers.lookup(in));
      emit(c.getResult(), instr);
      return success();
    }
    if (auto t = dyn_cast<TransformOp>(op)) {
      MapInstr instr{MapInstr::Transform};
      instr.transformation = t.getKind();
      instr.operands = {registers.lookup(t.getInput())};
      if (auto alpha = t.getAlpha())
        instr.params.alpha = alpha->convertToDouble();
      if (auto rows = t.getRows())
        instr.params.rows.assign(rows->begin(), rows->end());
      if (auto cols = t.getCols())
        instr.params.cols.assign(cols->begin(), cols->end());
      if (auto shape = t.getShape())
        instr.params.shape.assign(shape->begin(), shape->end());
      emit(t.getResult(), instr);
      return success();
    }
    if (auto head = dyn_cast<HeadOp>(op)) {
      out.headTerms = termsOf(head.getTerms());
      auto it = registers.find(head.getValue());
      if (it == registers.end())
        return op.emitError("the head value must be computed in the rule");
      out.result = it->second;
      return success();
    }
    return op.emitError("the runtime does not support this operation");
  }

public:
  llvm::StringMap<int> weightIds;

private:
  TemplateModel &model;
  RuleModel &out;
  llvm::DenseMap<Value, int> terms;
  llvm::DenseMap<Value, int> registers;
};
} // namespace

FailureOr<TemplateModel> mlir::nlogic::runtime::buildModel(TemplateOp templ) {
  TemplateModel model;
  Stratification strata = computeStratification(templ);
  if (strata.negativeCycle)
    return strata.negativeCycle->emitError("template is not stratifiable");

  llvm::StringMap<int> weightIds;
  for (WeightOp w : templ.getBody().getOps<WeightOp>()) {
    WeightModel wm;
    wm.name = w.getSymName().str();
    std::tie(wm.rows, wm.cols) = rowsCols(w.getType());
    wm.fixed = w.getFixed();
    if (auto value = w.getValue())
      wm.initialValue = tensorOf(*value, wm.rows, wm.cols);
    wm.initializer = w.getInitializer();
    weightIds[wm.name] = model.weights.size();
    model.weights.push_back(std::move(wm));
  }

  llvm::DenseSet<StringAttr> derived;
  for (RuleOp rule : templ.getRules())
    derived.insert(rule.getHeadAttr().getAttr());
  for (RelationOp r : templ.getRelations()) {
    RelationModel rel;
    rel.symbol = r.getSymName().str();
    rel.predicate = r.getPredicateName().str();
    rel.arity = r.getArity();
    rel.hidden = r.getHidden();
    rel.derived = derived.contains(r.getSymNameAttr());
    rel.transformation =
        r.getTransformation().value_or(Transformation::identity);
    rel.combination = r.getCombination().value_or(Combination::sum);
    if (auto offset = r.getOffsetAttr())
      rel.offsetWeight = weightIds.lookup(offset.getValue());
    rel.stratum = strata.stratum.lookup(r.getSymNameAttr());
    rel.component = strata.component.lookup(r.getSymNameAttr());
    rel.passesThrough = passesContributionsThrough(templ, r, strata);
    int id = model.relations.size();
    model.relationBySymbol[rel.symbol] = id;
    model.relationByPredicate[{rel.predicate, rel.arity}] = id;
    model.relations.push_back(std::move(rel));
  }

  for (FactOp f : templ.getBody().getOps<FactOp>()) {
    FactModel fact;
    fact.relation = model.relationBySymbol.lookup(f.getRelation());
    for (Attribute t : f.getTerms()) {
      if (auto i = dyn_cast<IntegerAttr>(t))
        fact.terms.push_back(Const::ofInt(i.getInt()));
      else if (auto fl = dyn_cast<FloatAttr>(t))
        fact.terms.push_back(model.names.fromText(
            canonicalFloat(fl.getValueAsDouble()), /*isInteger=*/false));
      else
        fact.terms.push_back(model.names.intern(cast<StringAttr>(t)));
    }
    if (auto w = f.getWeightAttr())
      fact.weight = weightIds.lookup(w.getValue());
    if (auto v = f.getValue()) {
      auto [rows, cols] = rowsCols(v->getType());
      fact.value = tensorOf(*v, rows, cols);
    }
    model.facts.push_back(std::move(fact));
  }

  for (RuleOp rule : rulesInEvaluationOrder(templ, strata)) {
    RuleModel rm;
    rm.head = model.relationBySymbol.lookup(rule.getHead());
    rm.aggregation = rule.getAggregation().value_or(Aggregation::sum);
    rm.recursive = strata.recursive.contains(rule.getHeadAttr().getAttr());
    rm.location = locationString(rule.getLoc());
    if (auto dup = rule->getAttrOfType<BoolAttr>("nlogic.duplicit_grounding"))
      rm.duplicitGrounding = dup.getValue();
    rm.liftedFact = rule->hasAttr("nlogic.lifted_fact");
    if (auto w = rule.getWeightAttr())
      rm.headWeight = weightIds.lookup(w.getValue());
    RuleReader reader(model, rm);
    reader.weightIds = weightIds;
    if (failed(reader.read(rule)))
      return failure();
    if (rm.liftedFact)
      for (const MapInstr &instr : rm.program)
        if (instr.kind == MapInstr::Weigh) {
          rm.liftedFactWeight = instr.weight;
          break;
        }
    if (auto over = rule.getAggTerms()) {
      HeadOp head = rule.getHeadOp();
      for (Attribute a : *over) {
        StringRef name = cast<StringAttr>(a).getValue();
        for (auto [pos, term] : llvm::enumerate(head.getTerms()))
          if (auto arg = dyn_cast<BlockArgument>(term))
            if (rm.varNames[arg.getArgNumber()] == name)
              rm.softmaxOver.push_back(pos);
      }
    }
    model.rules.push_back(std::move(rm));
  }
  return model;
}
