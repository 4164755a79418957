//===- Importer.cpp - NeuraLogic templates to the nlogic dialect ----------===//
//
// Turns the syntax tree of a NeuraLogic template into an `nlogic.template`:
//
//   1. names every relation (`name`, or `"name/arity"` when one name is used
//      with several arities) and every weight;
//   2. infers relation value shapes to a fixpoint (data relations stay
//      `tensor<*xf64>`);
//   3. emits relations, weights, template facts and rules, each rule as
//      atoms / constraints (join), weigh / combine / transform (map) and
//      an aggregation attribute (reduce).
//
// Every NeuraLogic default is written out explicitly.
//
//===----------------------------------------------------------------------===//

#include "nlogic/Frontend/NeuraLogic/Importer.h"
#include "nlogic/Dialect/NLogic/IR/NLogicOps.h"
#include "nlogic/Dialect/NLogic/IR/ValueShape.h"
#include "nlogic/Frontend/NeuraLogic/Parser.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include <deque>

using namespace mlir;
using namespace mlir::nlogic;
using namespace mlir::nlogic::neuralogic;
using llvm::SMLoc;
using llvm::StringRef;

//===----------------------------------------------------------------------===//
// Function names
//===----------------------------------------------------------------------===//

std::optional<Transformation>
mlir::nlogic::neuralogic::parseTransformationName(StringRef name) {
  std::string lower = name.lower();
  StringRef n = lower;
  if (n == "sigm")
    return Transformation::sigmoid;
  if (n == "leakyrelu")
    return Transformation::leaky_relu;
  if (n == "layernorm")
    return Transformation::norm;
  if (n == "transp")
    return Transformation::transpose;
  return symbolizeTransformation(n);
}

std::optional<Combination>
mlir::nlogic::neuralogic::parseCombinationName(StringRef name) {
  std::string lower = name.lower();
  StringRef n = lower;
  if (n == "elementproduct" || n == "element_product")
    return Combination::elproduct;
  if (n == "crossum")
    return Combination::crosssum;
  return symbolizeCombination(n);
}

std::optional<Aggregation>
mlir::nlogic::neuralogic::parseAggregationName(StringRef name) {
  std::string lower = name.lower();
  return symbolizeAggregation(lower);
}

namespace {

/// The resolved meaning of `activation=` / `transformation=`: NeuraLogic's
/// older composites `crosssum-tanh`, `elementproduct-sigmoid` and
/// `product-tanh` also set the combination.
struct ActivationSpec {
  std::optional<Combination> combination;
  Transformation transformation;
};

/// Everything known about one relation before IR is emitted.
struct RelationInfo {
  std::string predicate;
  int64_t arity = 0;
  std::string symbol;
  bool visible = false; // some mention is not starred (`*name`)
  bool derived = false; // head of some rule
  SMLoc firstLoc;
  unsigned order = 0; // first appearance in parse order
  ValueShape shape = ValueShape::unknown();
  std::optional<Transformation> transformation;
  std::optional<Combination> combination;
  const WeightSpec *offset = nullptr;
};

/// One weight symbol and the spec that defined it.
struct WeightInfo {
  std::string symbol;
  const WeightSpec *spec;
  ValueShape shape = ValueShape::unknown();
  bool fixed = false;
  std::vector<double> values;
  std::vector<int64_t> valueShape;
};

/// Settings a rule's metadata list resolves to.
struct RuleSettings {
  Transformation transformation;
  Combination combination;
  /// `combination=concat(axis=k)`.
  std::optional<int64_t> axis;
  Aggregation aggregation;
  std::vector<std::string> aggTerms;
  std::optional<double> alpha;
  std::vector<int64_t> rows, cols, shape;
  const WeightSpec *offset = nullptr;
  bool learnable = true;
  std::optional<bool> duplicitGrounding;
};

/// The relation of all constants of a sample (see liftNonGroundStatements).
constexpr const char *kDomainPredicate = "__domain";

class Importer {
public:
  Importer(llvm::SourceMgr &sourceMgr, MLIRContext *ctx,
           const ImportOptions &options)
      : sourceMgr(sourceMgr), ctx(ctx), options(options), builder(ctx) {}

  OwningOpRef<ModuleOp> run() {
    bool parsed = parseTemplate(
        sourceMgr, sourceMgr.getMainFileID(), ast,
        [&](SMLoc loc, const llvm::Twine &msg) { emitError(toLoc(loc), msg); });
    if (!parsed)
      return nullptr;
    if (!ast.templateMetadata.empty()) {
      emitError(toLoc(ast.templateMetadata.front().loc),
                "template-level metadata is not supported; set it per rule "
                "or per relation");
      return nullptr;
    }
    liftNonGroundStatements();
    if (failed(collectRelations()) || failed(collectWeights()) ||
        failed(resolveRuleSettings()) || failed(inferShapes()))
      return nullptr;

    Location fileLoc = toLoc(SMLoc::getFromPointer(
        sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID())
            ->getBufferStart()));
    OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc);
    builder.setInsertionPointToEnd(module->getBody());
    auto templ = TemplateOp::create(
        builder, fileLoc, builder.getStringAttr(options.templateName));
    templ.getBody().push_back(new Block());
    builder.setInsertionPointToEnd(&templ.getBody().front());
    if (failed(emitRelations()) || failed(emitWeights()) ||
        failed(emitFacts()) || failed(emitRules()))
      return nullptr;
    return module;
  }

private:
  //===--------------------------------------------------------------------===//
  // Locations and diagnostics
  //===--------------------------------------------------------------------===//

  Location toLoc(SMLoc loc) {
    unsigned id = sourceMgr.FindBufferContainingLoc(loc);
    if (!id)
      return UnknownLoc::get(ctx);
    auto [line, col] = sourceMgr.getLineAndColumn(loc, id);
    return FileLineColLoc::get(
        ctx, sourceMgr.getMemoryBuffer(id)->getBufferIdentifier(), line, col);
  }

  LogicalResult error(SMLoc loc, const llvm::Twine &msg) {
    emitError(toLoc(loc), msg);
    return failure();
  }

  //===--------------------------------------------------------------------===//
  // Relations
  //===--------------------------------------------------------------------===//

  static std::string key(StringRef predicate, int64_t arity) {
    return (predicate + "/" + llvm::Twine(arity)).str();
  }

  void noteRelation(StringRef predicate, int64_t arity, bool hidden,
                    SMLoc loc) {
    auto [it, inserted] = relations.try_emplace(key(predicate, arity));
    RelationInfo &info = it->second;
    if (inserted) {
      info.predicate = predicate.str();
      info.arity = arity;
      info.firstLoc = loc;
      info.order = relations.size() - 1;
    }
    // `*b(X)` is a hidden *literal* (join only, no neuron input); the
    // relation itself is hidden only when every mention is starred.
    info.visible |= !hidden;
  }

  void noteLiteral(const Literal &lit) {
    if (!lit.special)
      noteRelation(lit.predicate, lit.terms.size(), lit.hidden, lit.loc);
  }

  LogicalResult collectRelations() {
    for (const Rule &rule : ast.rules) {
      noteLiteral(rule.head);
      for (const Literal &lit : rule.body)
        noteLiteral(lit);
    }
    for (const Literal &fact : ast.facts) {
      if (fact.special || fact.softNegated || fact.hardNegated ||
          !fact.wrappers.empty() || fact.transposed)
        return error(fact.loc, "a fact must be a plain atom");
      noteLiteral(fact);
    }
    for (const PredicateSetting &setting : ast.predicateSettings)
      noteRelation(setting.predicate, setting.arity, setting.hidden,
                   setting.loc);
    for (const Rule &rule : ast.rules)
      relations[key(rule.head.predicate, rule.head.terms.size())].derived =
          true;

    // Symbols: the predicate name, or "name/arity" when overloaded.
    llvm::StringMap<unsigned> arities;
    for (auto &entry : relations)
      ++arities[entry.second.predicate];
    for (auto &entry : relations) {
      RelationInfo &info = entry.second;
      info.symbol = arities[info.predicate] > 1 ? entry.first : info.predicate;
      usedSymbols.insert(info.symbol);
    }

    // Relation settings: offsets and metadata.
    for (const PredicateSetting &setting : ast.predicateSettings) {
      RelationInfo &info = relations[key(setting.predicate, setting.arity)];
      if (setting.offset)
        info.offset = &*setting.offset;
      for (const MetaEntry &entry : setting.metadata) {
        // A relation's functions take no arguments (nothing would carry
        // them): refuse them rather than drop them.
        if (!entry.value.args.empty())
          return (void)error(entry.value.loc,
                             "a relation setting's " + entry.key +
                                 " takes no arguments (give them on the "
                                 "rules instead)"),
                 failure();
        if (entry.key == "activation" || entry.key == "transformation") {
          auto act = parseActivation(entry.value);
          if (failed(act))
            return failure();
          info.transformation = act->transformation;
          if (act->combination)
            info.combination = act->combination;
        } else if (entry.key == "combination") {
          auto comb = parseCombinationValue(entry.value);
          if (failed(comb))
            return failure();
          info.combination = *comb;
        } else if (entry.key == "offset") {
          auto offset = weightFromMeta(entry.value);
          if (failed(offset))
            return failure();
          info.offset = *offset;
        } else {
          return error(entry.loc, "unknown relation setting '" + entry.key +
                                      "' (expected activation, "
                                      "transformation, combination or offset)");
        }
      }
    }
    return success();
  }

  RelationInfo &relationOf(const Literal &lit) {
    return relations[key(lit.predicate, lit.terms.size())];
  }

  //===--------------------------------------------------------------------===//
  // Metadata values
  //===--------------------------------------------------------------------===//

  FailureOr<ActivationSpec> parseActivation(const MetaValue &value) {
    if (value.kind != MetaValue::Name)
      return (void)error(value.loc, "expected a transformation name"),
             failure();
    StringRef name = value.name;
    ActivationSpec spec;
    for (auto [prefix, comb] :
         {std::pair<StringRef, Combination>{"crosssum-", Combination::crosssum},
          {"elementproduct-", Combination::elproduct},
          {"elproduct-", Combination::elproduct},
          {"product-", Combination::product}}) {
      if (name.consume_front(prefix)) {
        spec.combination = comb;
        break;
      }
    }
    std::optional<Transformation> t = parseTransformationName(name);
    if (!t)
      return (void)error(value.loc,
                         "unknown transformation '" + value.name + "'"),
             failure();
    spec.transformation = *t;
    return spec;
  }

  FailureOr<Combination> parseCombinationValue(const MetaValue &value) {
    std::optional<Combination> c;
    if (value.kind == MetaValue::Name)
      c = parseCombinationName(value.name);
    if (!c)
      return (void)error(value.loc, "unknown combination '" + value.name + "'"),
             failure();
    return *c;
  }

  /// `offset=0.5`, `offset=[1,0]` or `offset=$w` as a weight spec.
  FailureOr<const WeightSpec *> weightFromMeta(const MetaValue &value) {
    WeightSpec &spec = synthesized.emplace_back();
    spec.loc = value.loc;
    switch (value.kind) {
    case MetaValue::Number:
      spec.values = {value.number};
      return &spec;
    case MetaValue::Vector:
      spec.values = value.vector;
      spec.valueShape = {static_cast<int64_t>(value.vector.size())};
      return &spec;
    case MetaValue::WeightRef:
      spec.name = value.name;
      spec.isReference = true;
      return &spec;
    case MetaValue::Name:
      break;
    }
    return (void)error(value.loc, "expected a number, a vector or a $weight"),
           failure();
  }

  //===--------------------------------------------------------------------===//
  // Weights
  //===--------------------------------------------------------------------===//

  LogicalResult collectWeights() {
    // Named weights get their names first so anonymous ones avoid them.
    auto reserve = [&](const WeightSpec &spec) {
      if (spec.name && !namedWeights.count(*spec.name)) {
        std::string symbol = uniqueSymbol(*spec.name);
        namedWeights[*spec.name] = symbol;
      }
    };
    forEachWeight(reserve);
    LogicalResult result = success();
    forEachWeight([&](const WeightSpec &spec) {
      if (succeeded(result))
        result = defineWeight(spec);
    });
    if (failed(result))
      return failure();
    for (const WeightSetting &setting : ast.weightSettings) {
      auto it = namedWeights.find(setting.name);
      if (it == namedWeights.end())
        return error(setting.loc, "unknown weight $" + setting.name);
      WeightInfo &info = weights[weightIndex[it->second]];
      for (const MetaEntry &entry : setting.metadata) {
        if (entry.key == "learnable" && entry.value.kind == MetaValue::Name &&
            (entry.value.name == "true" || entry.value.name == "false")) {
          info.fixed = entry.value.name == "false";
        } else if ((entry.key == "value" || entry.key == "initValue") &&
                   (entry.value.kind == MetaValue::Number ||
                    entry.value.kind == MetaValue::Vector)) {
          info.values = entry.value.kind == MetaValue::Number
                            ? std::vector<double>{entry.value.number}
                            : entry.value.vector;
          info.valueShape = entry.value.kind == MetaValue::Number
                                ? std::vector<int64_t>{}
                                : std::vector<int64_t>{static_cast<int64_t>(
                                      entry.value.vector.size())};
        } else {
          return error(entry.loc, "unsupported weight setting '" + entry.key +
                                      "' (expected learnable=true|false or "
                                      "value=...)");
        }
      }
    }
    return success();
  }

  template <typename Fn> void forEachWeight(Fn fn) {
    for (const PredicateSetting &s : ast.predicateSettings)
      if (s.offset)
        fn(*s.offset);
    for (const Literal &fact : ast.facts)
      if (fact.weight)
        fn(*fact.weight);
    for (const Rule &rule : ast.rules) {
      if (rule.head.weight)
        fn(*rule.head.weight);
      for (const Literal &lit : rule.body)
        if (lit.weight)
          fn(*lit.weight);
      if (rule.offset)
        fn(*rule.offset);
    }
    for (const WeightSpec &spec : synthesized)
      fn(spec);
  }

  std::string uniqueSymbol(StringRef base) {
    std::string candidate = base.str();
    for (unsigned i = 1; usedSymbols.contains(candidate); ++i)
      candidate = (base + "_" + llvm::Twine(i)).str();
    usedSymbols.insert(candidate);
    return candidate;
  }

  static ValueShape shapeOfSpec(const WeightSpec &spec) {
    if (!spec.dims.empty())
      return ValueShape::fromDims(spec.dims);
    if (spec.valueShape.empty())
      return ValueShape::scalar();
    return ValueShape::fromDims(spec.valueShape);
  }

  LogicalResult defineWeight(const WeightSpec &spec) {
    if (spec.name) {
      std::string symbol = namedWeights[*spec.name];
      auto existing = weightIndex.find(symbol);
      if (existing != weightIndex.end()) {
        WeightInfo &info = weights[existing->second];
        specSymbols[&spec] = symbol;
        if (spec.isReference)
          return success();
        // A later mention of a shared weight must agree with the first.
        if (!(shapeOfSpec(spec) == info.shape) &&
            !(shapeOfSpec(spec).isScalarLike() && info.shape.isScalarLike()))
          return error(spec.loc, "weight $" + *spec.name + " of shape " +
                                     shapeOfSpec(spec).str() +
                                     " was first given shape " +
                                     info.shape.str());
        return success();
      }
      if (spec.isReference)
        return error(spec.loc, "unknown weight $" + *spec.name);
    }
    if (spec.fixed && !spec.hasValues())
      return error(spec.loc, "a fixed weight <...> needs a value, not only "
                             "dimensions");
    WeightInfo info;
    info.symbol =
        spec.name ? namedWeights[*spec.name] : uniqueSymbol(nextAnonymous());
    info.spec = &spec;
    info.shape = shapeOfSpec(spec);
    info.fixed = spec.fixed;
    info.values = spec.values;
    info.valueShape = spec.valueShape;
    weightIndex[info.symbol] = weights.size();
    specSymbols[&spec] = info.symbol;
    weights.push_back(std::move(info));
    return success();
  }

  std::string nextAnonymous() {
    std::string name;
    do {
      name = "w" + std::to_string(anonymousCounter++);
    } while (usedSymbols.contains(name));
    return name;
  }

  const WeightInfo &weightOf(const WeightSpec &spec) {
    return weights[weightIndex[specSymbols[&spec]]];
  }

  //===--------------------------------------------------------------------===//
  // Rule metadata
  //===--------------------------------------------------------------------===//

  LogicalResult resolveRuleSettings() {
    for (const Rule &rule : ast.rules) {
      RuleSettings settings;
      settings.transformation = options.ruleTransformation;
      settings.combination = options.ruleCombination;
      settings.aggregation = options.ruleAggregation;
      for (const MetaEntry &entry : rule.metadata)
        if (failed(applyRuleMeta(entry, settings)))
          return failure();
      if (rule.offset) {
        if (settings.offset)
          return error(rule.offset->loc,
                       "the rule has both an offset literal and offset=");
        settings.offset = &*rule.offset;
      }
      ruleSettings.push_back(std::move(settings));
    }
    // `offset=` metadata created weight specs: define them now.
    LogicalResult result = success();
    for (const WeightSpec &spec : synthesized)
      if (!specSymbols.count(&spec) && succeeded(result))
        result = defineWeight(spec);
    return result;
  }

  /// Integer list argument `name=[a, b]` of a function-form value.
  LogicalResult intArgs(const MetaValue &value, StringRef name,
                        std::vector<int64_t> &out) {
    for (auto &[key, items] : value.args) {
      if (key != name)
        continue;
      for (const std::string &item : items) {
        int64_t v;
        if (StringRef(item).getAsInteger(10, v))
          return error(value.loc, "'" + name + "' expects integers");
        out.push_back(v);
      }
    }
    return success();
  }

  LogicalResult applyRuleMeta(const MetaEntry &entry, RuleSettings &s) {
    const MetaValue &v = entry.value;
    if (entry.key == "activation" || entry.key == "transformation") {
      auto act = parseActivation(v);
      if (failed(act))
        return failure();
      s.transformation = act->transformation;
      if (act->combination)
        s.combination = *act->combination;
      for (auto &[argKey, items] : v.args) {
        if ((argKey.empty() || argKey == "alpha" || argKey == "slope") &&
            s.transformation == Transformation::leaky_relu &&
            items.size() == 1) {
          double alpha;
          if (!llvm::to_float(items[0], alpha))
            return error(v.loc, "leaky_relu slope must be a number");
          s.alpha = alpha;
        } else if (!(argKey == "rows" || argKey == "cols" ||
                     argKey == "shape")) {
          return error(v.loc,
                       "unexpected argument '" + argKey + "' of " + v.name);
        }
      }
      if (failed(intArgs(v, "rows", s.rows)) ||
          failed(intArgs(v, "cols", s.cols)) ||
          failed(intArgs(v, "shape", s.shape)))
        return failure();
      return success();
    }
    if (entry.key == "combination") {
      auto comb = parseCombinationValue(v);
      if (failed(comb))
        return failure();
      s.combination = *comb;
      s.axis.reset();
      for (auto &[argKey, items] : v.args) {
        int64_t axis;
        if (argKey != "axis" || *comb != Combination::concat ||
            items.size() != 1 ||
            llvm::StringRef(items[0]).getAsInteger(10, axis))
          return error(v.loc, "unexpected argument '" + argKey + "' of " +
                                  v.name + " (only concat takes axis=N)");
        s.axis = axis;
      }
      return success();
    }
    if (entry.key == "aggregation") {
      std::optional<Aggregation> agg;
      if (v.kind == MetaValue::Name)
        agg = parseAggregationName(v.name);
      if (!agg)
        return error(v.loc, "unknown aggregation '" + v.name + "'");
      s.aggregation = *agg;
      for (auto &[argKey, items] : v.args) {
        if (argKey != "agg_terms" || *agg != Aggregation::softmax)
          return error(v.loc,
                       "unexpected argument '" + argKey + "' of " + v.name);
        s.aggTerms = items;
      }
      return success();
    }
    if (entry.key == "offset") {
      auto offset = weightFromMeta(v);
      if (failed(offset))
        return failure();
      s.offset = *offset;
      return success();
    }
    if (entry.key == "learnable" || entry.key == "duplicit_grounding") {
      if (v.kind != MetaValue::Name ||
          !(StringRef(v.name).equals_insensitive("true") ||
            StringRef(v.name).equals_insensitive("false")))
        return error(v.loc, "'" + entry.key + "' expects true or false");
      bool flag = StringRef(v.name).equals_insensitive("true");
      if (entry.key == "learnable")
        s.learnable = flag;
      else
        s.duplicitGrounding = flag;
      return success();
    }
    return error(entry.loc, "unknown rule setting '" + entry.key +
                                "' (expected activation, transformation, "
                                "combination, aggregation, offset, "
                                "learnable or duplicit_grounding)");
  }

  //===--------------------------------------------------------------------===//
  // Shapes
  //===--------------------------------------------------------------------===//

  /// Shape of one body literal's contribution (after ^T, wrappers, soft
  /// negation and its weight).
  FailureOr<ValueShape> literalShape(const Literal &lit) {
    ValueShape shape = relationOf(lit).shape;
    if (lit.transposed)
      shape = transposeShape(shape);
    for (auto [fn, loc] :
         llvm::reverse(llvm::zip(lit.wrappers, lit.wrapperLocs))) {
      std::optional<Transformation> t = parseTransformationName(fn);
      if (!t)
        return (void)error(loc, "unknown transformation '" + fn + "'"),
               failure();
      ShapeResult r = transformShape(*t, shape);
      if (!r.ok())
        return (void)error(loc, r.error), failure();
      shape = r.shape;
    }
    if (lit.weight) {
      ShapeResult r = weighShape(weightOf(*lit.weight).shape, shape);
      if (!r.ok())
        return (void)error(lit.weight->loc, "shape mismatch: " + r.error),
               failure();
      shape = r.shape;
    }
    return shape;
  }

  /// Shape of the rule's value per substitution and, after the head
  /// weight, of its contribution to the head atom.
  FailureOr<std::pair<ValueShape, ValueShape>>
  ruleShapes(const Rule &rule, const RuleSettings &s) {
    SmallVector<ValueShape> inputs;
    if (s.offset)
      inputs.push_back(weightOf(*s.offset).shape);
    for (const Literal &lit : rule.body) {
      if (lit.special || lit.hardNegated)
        continue;
      if (lit.hidden) {
        if (lit.weight || !lit.wrappers.empty() || lit.softNegated)
          return (void)error(lit.loc, "a hidden literal gives no value: it "
                                      "cannot be weighted or transformed"),
                 failure();
        continue;
      }
      auto shape = literalShape(lit);
      if (failed(shape))
        return failure();
      inputs.push_back(*shape);
    }
    if (inputs.empty())
      return (void)error(rule.loc, "the rule body has no literal that gives a "
                                   "value (only builtins or negations)"),
             failure();
    ShapeResult combined = combineShape(s.combination, inputs, s.axis);
    if (!combined.ok())
      return (void)error(rule.loc, "shape mismatch: " + combined.error),
             failure();
    ShapeResult transformed = transformShape(s.transformation, combined.shape,
                                             s.rows, s.cols, s.shape);
    if (!transformed.ok())
      return (void)error(rule.loc, transformed.error), failure();
    ValueShape value = transformed.shape, contribution = value;
    // A count is a number whatever the substitutions' values are.
    ValueShape aggregated =
        s.aggregation == Aggregation::count ? ValueShape::scalar() : value;
    contribution = aggregated;
    if (rule.head.weight) {
      ShapeResult r = weighShape(weightOf(*rule.head.weight).shape, aggregated);
      if (!r.ok())
        return (void)error(rule.head.loc, "shape mismatch: head " + r.error),
               failure();
      contribution = r.shape;
    }
    return std::make_pair(value, contribution);
  }

  /// Relation shapes to a fixpoint: offsets and template facts first, then
  /// rules (recursive templates need several rounds).
  LogicalResult inferShapes() {
    for (auto &entry : relations)
      if (entry.second.offset)
        entry.second.shape = weightOf(*entry.second.offset).shape;
    for (const Literal &fact : ast.facts) {
      RelationInfo &info = relationOf(fact);
      if (!info.shape.isKnown())
        info.shape =
            fact.weight ? weightOf(*fact.weight).shape : ValueShape::scalar();
    }
    for (unsigned round = 0; round <= ast.rules.size() + 1; ++round) {
      bool changed = false;
      for (auto [rule, settings] : llvm::zip(ast.rules, ruleSettings)) {
        RelationInfo &head = relationOf(rule.head);
        if (head.shape.isKnown())
          continue;
        auto shapes = ruleShapes(rule, settings);
        if (failed(shapes))
          return failure();
        if (shapes->second.isKnown()) {
          head.shape = shapes->second;
          changed = true;
        }
      }
      if (!changed)
        break;
    }
    return success();
  }

  //===--------------------------------------------------------------------===//
  // Emission
  //===--------------------------------------------------------------------===//

  FlatSymbolRefAttr symbolRef(StringRef name) {
    return FlatSymbolRefAttr::get(ctx, name);
  }

  LogicalResult emitRelations() {
    // Parse order of first appearance (imports first, as they are read).
    SmallVector<RelationInfo *> ordered;
    for (auto &entry : relations)
      ordered.push_back(&entry.second);
    llvm::sort(ordered, [](RelationInfo *a, RelationInfo *b) {
      return a->order < b->order;
    });
    for (RelationInfo *info : ordered) {
      auto rel = RelationOp::create(
          builder, toLoc(info->firstLoc), builder.getStringAttr(info->symbol),
          builder.getI64IntegerAttr(info->arity),
          TypeAttr::get(info->shape.toType(ctx)),
          !info->visible ? builder.getUnitAttr() : UnitAttr(),
          /*transformation=*/nullptr, /*combination=*/nullptr,
          /*offset=*/nullptr, /*predicate=*/nullptr);
      if (info->symbol != info->predicate)
        rel.setPredicateAttr(builder.getStringAttr(info->predicate));
      if (info->derived || info->transformation)
        rel.setTransformationAttr(TransformationAttr::get(
            ctx,
            info->transformation.value_or(options.relationTransformation)));
      if (info->derived || info->combination)
        rel.setCombinationAttr(CombinationAttr::get(
            ctx, info->combination.value_or(options.relationCombination)));
      if (info->offset)
        rel.setOffsetAttr(symbolRef(weightOf(*info->offset).symbol));
    }
    return success();
  }

  LogicalResult emitWeights() {
    for (const WeightInfo &info : weights) {
      Type type = info.shape.toType(ctx);
      ElementsAttr value;
      if (!info.values.empty()) {
        SmallVector<int64_t> shape(info.valueShape.begin(),
                                   info.valueShape.end());
        if (info.shape.isScalar())
          shape.clear();
        if (info.shape.isKnown() && !info.shape.isScalar() &&
            info.shape.getNumElements() ==
                static_cast<int64_t>(info.values.size()))
          shape.assign(info.shape.getDims().begin(),
                       info.shape.getDims().end());
        auto tensorType = RankedTensorType::get(shape, builder.getF64Type());
        value =
            DenseElementsAttr::get(tensorType, ArrayRef<double>(info.values));
      }
      if (info.fixed && !value)
        return error(info.spec->loc, "weight " + info.symbol +
                                         " is fixed (learnable=false) but "
                                         "has no value");
      WeightOp::create(builder, toLoc(info.spec->loc),
                       builder.getStringAttr(info.symbol), TypeAttr::get(type),
                       value, /*initializer=*/nullptr,
                       info.fixed ? builder.getUnitAttr() : UnitAttr());
    }
    return success();
  }

  /// NeuraLogic's non-ground statements, over the active domain: a fact
  /// with variables (`<1.0> e(I, I).`, a self-loop on every node) holds for
  /// every constant, and a head variable that no body literal mentions
  /// (`c(I, J) :- e(X, J).`) ranges over every constant. Both become rules
  /// over `__domain/1`, the relation of all constants of a sample, which
  /// the runtime fills when a template declares it. A lifted fact's value
  /// is its weight times the domain fact's 1 (identity, one input).
  void liftNonGroundStatements() {
    auto domainLiteral = [](const Term &var, SMLoc loc, bool hidden) {
      Literal l;
      l.loc = loc;
      l.predicate = kDomainPredicate;
      l.terms = {var};
      l.hidden = hidden;
      return l;
    };
    auto meta = [](SMLoc loc, StringRef key, StringRef name) {
      MetaEntry e;
      e.loc = loc;
      e.key = key.str();
      e.value.loc = loc;
      e.value.kind = MetaValue::Name;
      e.value.name = name.str();
      return e;
    };
    std::vector<Literal> groundFacts;
    unsigned anonymous = 0;
    for (Literal &fact : ast.facts) {
      // Each `_` is its own variable: name it, so that the head and the
      // domain literal below mean the same one.
      for (Term &t : fact.terms)
        if (t.kind == Term::Variable && t.text == "_")
          t.text = "_anonymous" + std::to_string(anonymous++);
      std::vector<const Term *> vars;
      for (const Term &t : fact.terms)
        if (t.kind == Term::Variable && llvm::none_of(vars, [&](const Term *v) {
              return v->text == t.text;
            }))
          vars.push_back(&t);
      if (vars.empty()) {
        groundFacts.push_back(std::move(fact));
        continue;
      }
      Rule rule;
      rule.loc = fact.loc;
      rule.head = fact;
      rule.head.weight.reset();
      for (auto [i, v] : llvm::enumerate(vars)) {
        Literal d = domainLiteral(*v, fact.loc, /*hidden=*/i > 0);
        if (i == 0)
          d.weight = fact.weight;
        rule.body.push_back(std::move(d));
      }
      rule.metadata = {meta(fact.loc, "transformation", "identity"),
                       meta(fact.loc, "aggregation", "sum")};
      rule.liftedFact = true;
      ast.rules.push_back(std::move(rule));
    }
    ast.facts = std::move(groundFacts);

    for (Rule &rule : ast.rules) {
      // Variables that a positive literal binds or a builtin may generate;
      // one mentioned only under `!` is still unbound.
      llvm::StringSet<> mentioned;
      for (const Literal &l : rule.body)
        if (!l.hardNegated)
          for (const Term &t : l.terms)
            if (t.kind == Term::Variable)
              mentioned.insert(t.text);
      for (const Term &t : rule.head.terms)
        if (t.kind == Term::Variable && t.text != "_" &&
            mentioned.insert(t.text).second)
          rule.body.push_back(domainLiteral(t, t.loc, /*hidden=*/true));
    }
  }

  FailureOr<Attribute> constantTerm(const Term &term) {
    switch (term.kind) {
    case Term::Variable:
      return (void)error(term.loc, "a fact cannot contain the variable '" +
                                       term.text + "'"),
             failure();
    case Term::Name:
      return Attribute(builder.getStringAttr(term.text));
    case Term::Int:
      return Attribute(builder.getI64IntegerAttr(term.intValue));
    case Term::Float:
      return Attribute(builder.getF64FloatAttr(term.floatValue));
    }
    return failure();
  }

  LogicalResult emitFacts() {
    for (const Literal &fact : ast.facts) {
      SmallVector<Attribute> terms;
      for (const Term &term : fact.terms) {
        auto attr = constantTerm(term);
        if (failed(attr))
          return failure();
        terms.push_back(*attr);
      }
      auto op = FactOp::create(builder, toLoc(fact.loc),
                               symbolRef(relationOf(fact).symbol),
                               builder.getArrayAttr(terms),
                               /*weight=*/nullptr, /*value=*/nullptr);
      if (fact.weight)
        op.setWeightAttr(symbolRef(weightOf(*fact.weight).symbol));
    }
    return success();
  }

  /// Per-rule state while emitting its body.
  struct RuleScope {
    llvm::StringMap<Value> variables;
    /// The fresh name of each anonymous `_` occurrence.
    llvm::DenseMap<const Term *, std::string> anonymous;
    llvm::StringMap<Value> constants;
  };

  Value termValue(const Term &term, RuleScope &scope, OpBuilder &b) {
    if (term.kind == Term::Variable)
      return scope.variables.lookup(
          term.text == "_" ? scope.anonymous.lookup(&term) : term.text);
    std::string cacheKey = std::to_string(term.kind) + ":" + term.text;
    Value &cached = scope.constants[cacheKey];
    if (!cached) {
      Attribute attr = term.kind == Term::Name
                           ? Attribute(b.getStringAttr(term.text))
                       : term.kind == Term::Int
                           ? Attribute(b.getI64IntegerAttr(term.intValue))
                           : Attribute(b.getF64FloatAttr(term.floatValue));
      cached = ConstantOp::create(b, toLoc(term.loc), TermType::get(ctx), attr)
                   .getResult();
    }
    return cached;
  }

  /// Builtin predicates: comparisons, `@next`, `@alldiff`, and the ternary
  /// arithmetic tests `@add(A,B,C)` (C = A+B), `@sub`, `@mod`.
  LogicalResult emitSpecial(const Literal &lit, RuleScope &scope,
                            OpBuilder &b) {
    Location loc = toLoc(lit.loc);
    if (lit.weight || !lit.wrappers.empty() || lit.transposed ||
        lit.softNegated)
      return error(lit.loc, "builtin @" + lit.predicate +
                                " gives no value: it cannot be weighted or "
                                "transformed");
    SmallVector<Value> terms;
    for (const Term &t : lit.terms)
      terms.push_back(termValue(t, scope, b));
    StringRef name = lit.predicate;
    if (name == "true" && terms.empty() && !lit.hardNegated)
      return success();
    std::optional<ConstraintKind> kind =
        llvm::StringSwitch<std::optional<ConstraintKind>>(name)
            .Case("leq", ConstraintKind::leq)
            .Case("lt", ConstraintKind::lt)
            .Case("geq", ConstraintKind::geq)
            .Case("gt", ConstraintKind::gt)
            .Case("eq", ConstraintKind::eq)
            .Case("neq", ConstraintKind::neq)
            .Case("next", ConstraintKind::next)
            .Case("alldiff", ConstraintKind::alldiff)
            .Default(std::nullopt);
    std::optional<ArithKind> arith =
        llvm::StringSwitch<std::optional<ArithKind>>(name)
            .Case("add", ArithKind::add)
            .Case("sub", ArithKind::sub)
            .Case("mul", ArithKind::mul)
            .Case("div", ArithKind::div)
            .Case("mod", ArithKind::mod)
            .Default(std::nullopt);
    if (arith) {
      if (terms.size() != 3)
        return error(lit.loc, "@" + name + " takes three terms (@" + name +
                                  "(A, B, C) holds when C = A " + name + " B)");
      Value result = ArithOp::create(b, loc, TermType::get(ctx), *arith,
                                     terms[0], terms[1]);
      terms = {terms[2], result};
      kind = ConstraintKind::eq;
    }
    if (!kind)
      return error(lit.loc, "builtin @" + name + " is not supported yet");
    if (lit.hardNegated) {
      // !@leq(A, B) is @gt(A, B), and so on.
      std::optional<ConstraintKind> negated;
      switch (*kind) {
      case ConstraintKind::leq:
        negated = ConstraintKind::gt;
        break;
      case ConstraintKind::lt:
        negated = ConstraintKind::geq;
        break;
      case ConstraintKind::geq:
        negated = ConstraintKind::lt;
        break;
      case ConstraintKind::gt:
        negated = ConstraintKind::leq;
        break;
      case ConstraintKind::eq:
        negated = ConstraintKind::neq;
        break;
      case ConstraintKind::neq:
        negated = ConstraintKind::eq;
        break;
      default:
        break;
      }
      if (!negated)
        return error(lit.loc, "negated builtin @" + name + " is not supported");
      kind = negated;
    }
    if (*kind == ConstraintKind::alldiff ? terms.size() < 2 : terms.size() != 2)
      return error(lit.loc,
                   "builtin @" + name + " takes " +
                       (*kind == ConstraintKind::alldiff ? "two or more terms"
                                                         : "two terms"));
    ConstrainOp::create(b, loc, *kind, terms);
    return success();
  }

  /// Emits a positive literal's value: atom, wrappers, soft negation, weight.
  FailureOr<Value> emitLiteralValue(const Literal &lit, RuleScope &scope,
                                    OpBuilder &b) {
    Location loc = toLoc(lit.loc);
    RelationInfo &rel = relationOf(lit);
    SmallVector<Value> terms;
    for (const Term &t : lit.terms)
      terms.push_back(termValue(t, scope, b));
    ValueShape shape = rel.shape;
    if (lit.transposed)
      shape = transposeShape(shape);
    Value value =
        AtomOp::create(b, loc, shape.toType(ctx), symbolRef(rel.symbol), terms,
                       lit.transposed ? b.getUnitAttr() : UnitAttr());
    auto transform = [&](Transformation kind, Location at) {
      ShapeResult r = transformShape(kind, shape);
      shape = r.shape;
      value = TransformOp::create(b, at, shape.toType(ctx), kind, value,
                                  nullptr, nullptr, nullptr, nullptr);
    };
    for (auto [fn, fnLoc] :
         llvm::reverse(llvm::zip(lit.wrappers, lit.wrapperLocs)))
      transform(*parseTransformationName(fn), toLoc(fnLoc));
    if (lit.softNegated)
      transform(Transformation::reverse, loc);
    if (lit.weight) {
      const WeightInfo &w = weightOf(*lit.weight);
      ShapeResult r = weighShape(w.shape, shape);
      if (!r.ok())
        return (void)error(lit.weight->loc, "shape mismatch: " + r.error),
               failure();
      shape = r.shape;
      value = WeighOp::create(b, loc, shape.toType(ctx), symbolRef(w.symbol),
                              value);
    }
    return value;
  }

  LogicalResult emitRules() {
    for (auto [rule, settings] : llvm::zip(ast.rules, ruleSettings))
      if (failed(emitRule(rule, settings)))
        return failure();
    return success();
  }

  LogicalResult emitRule(const Rule &rule, const RuleSettings &s) {
    // Variables in order of first appearance; each `_` is a fresh one.
    RuleScope scope;
    std::vector<std::string> varNames;
    llvm::StringSet<> seen;
    auto visit = [&](const Literal &lit) {
      for (const Term &t : lit.terms) {
        if (t.kind != Term::Variable)
          continue;
        if (t.text == "_") {
          std::string fresh = "_" + std::to_string(scope.anonymous.size());
          scope.anonymous[&t] = fresh;
          varNames.push_back(fresh);
        } else if (seen.insert(t.text).second) {
          varNames.push_back(t.text);
        }
      }
    };
    visit(rule.head);
    for (const Literal &lit : rule.body)
      visit(lit);

    // Validates every shape (and function name) before any op is built.
    auto shapes = ruleShapes(rule, s);
    if (failed(shapes))
      return failure();

    Location loc = toLoc(rule.loc);
    RelationInfo &headRel = relationOf(rule.head);
    auto ruleOp = RuleOp::create(builder, loc, headRel.symbol, varNames);
    Block &body = ruleOp.getBodyBlock();
    for (auto [name, arg] : llvm::zip(varNames, body.getArguments()))
      scope.variables[name] = arg;
    OpBuilder b = OpBuilder::atBlockEnd(&body);

    SmallVector<Value> inputs;
    for (const Literal &lit : rule.body) {
      if (lit.special) {
        if (failed(emitSpecial(lit, scope, b)))
          return failure();
        continue;
      }
      if (lit.hardNegated) {
        if (lit.weight || !lit.wrappers.empty() || lit.transposed)
          return error(lit.loc, "a literal negated with '!' gives no value: "
                                "it cannot be weighted or transformed");
        SmallVector<Value> terms;
        for (const Term &t : lit.terms)
          terms.push_back(termValue(t, scope, b));
        NotOp::create(b, toLoc(lit.loc), symbolRef(relationOf(lit).symbol),
                      terms);
        continue;
      }
      auto value = emitLiteralValue(lit, scope, b);
      if (failed(value))
        return failure();
      // Hidden relations take part in the join only: no neuron, no input.
      if (!lit.hidden)
        inputs.push_back(*value);
    }

    SmallVector<ValueShape> inputShapes;
    if (s.offset)
      inputShapes.push_back(weightOf(*s.offset).shape);
    for (Value in : inputs)
      inputShapes.push_back(ValueShape::fromType(in.getType()));
    ValueShape combined =
        combineShape(s.combination, inputShapes, s.axis).shape;
    auto combine = CombineOp::create(
        b, loc, combined.toType(ctx), s.combination, inputs,
        s.offset ? symbolRef(weightOf(*s.offset).symbol) : FlatSymbolRefAttr(),
        s.axis ? b.getI64IntegerAttr(*s.axis) : IntegerAttr());
    auto toArray = [&](const std::vector<int64_t> &v) {
      return v.empty() ? DenseI64ArrayAttr() : b.getDenseI64ArrayAttr(v);
    };
    Value value = TransformOp::create(
        b, loc, shapes->first.toType(ctx), s.transformation, combine,
        s.alpha ? b.getF64FloatAttr(*s.alpha) : FloatAttr(), toArray(s.rows),
        toArray(s.cols), toArray(s.shape));
    SmallVector<Value> headTerms;
    for (const Term &t : rule.head.terms)
      headTerms.push_back(termValue(t, scope, b));
    HeadOp::create(b, toLoc(rule.head.loc), headTerms, value);

    ruleOp.setAggregationAttr(AggregationAttr::get(ctx, s.aggregation));
    if (!s.aggTerms.empty()) {
      SmallVector<StringRef> names(s.aggTerms.begin(), s.aggTerms.end());
      ruleOp.setAggTermsAttr(builder.getStrArrayAttr(names));
    }
    if (rule.head.weight)
      ruleOp.setWeightAttr(symbolRef(weightOf(*rule.head.weight).symbol));
    if (s.duplicitGrounding)
      ruleOp->setAttr("nlogic.duplicit_grounding",
                      builder.getBoolAttr(*s.duplicitGrounding));
    // The runtime instantiates it as facts, not ground rules.
    if (rule.liftedFact)
      ruleOp->setAttr("nlogic.lifted_fact", builder.getUnitAttr());
    if (!s.learnable)
      if (failed(fixRuleWeights(rule, s)))
        return failure();
    return success();
  }

  /// `learnable=false`: every weight the rule names becomes fixed.
  LogicalResult fixRuleWeights(const Rule &rule, const RuleSettings &s) {
    auto fix = [&](const WeightSpec &spec) -> LogicalResult {
      StringRef symbol = weightOf(spec).symbol;
      auto weight = SymbolTable::lookupSymbolIn(
          builder.getInsertionBlock()->getParentOp(),
          builder.getStringAttr(symbol));
      auto op = cast<WeightOp>(weight);
      if (!op.getValue())
        return error(spec.loc, "learnable=false needs weights with values, "
                               "but this one only has dimensions");
      op.setFixed(true);
      return success();
    };
    if (rule.head.weight && failed(fix(*rule.head.weight)))
      return failure();
    for (const Literal &lit : rule.body)
      if (lit.weight && failed(fix(*lit.weight)))
        return failure();
    if (s.offset && failed(fix(*s.offset)))
      return failure();
    return success();
  }

  llvm::SourceMgr &sourceMgr;
  MLIRContext *ctx;
  const ImportOptions &options;
  OpBuilder builder;
  TemplateAst ast;
  std::deque<WeightSpec> synthesized;
  std::map<std::string, RelationInfo> relations;
  llvm::StringSet<> usedSymbols;
  std::map<std::string, std::string> namedWeights;
  std::vector<WeightInfo> weights;
  llvm::StringMap<size_t> weightIndex;
  llvm::DenseMap<const WeightSpec *, std::string> specSymbols;
  std::vector<RuleSettings> ruleSettings;
  unsigned anonymousCounter = 0;
};
} // namespace

OwningOpRef<ModuleOp>
mlir::nlogic::neuralogic::importTemplate(llvm::SourceMgr &sourceMgr,
                                         MLIRContext *context,
                                         const ImportOptions &options) {
  context->loadDialect<NLogicDialect>();
  Importer importer(sourceMgr, context, options);
  return importer.run();
}

OwningOpRef<ModuleOp> mlir::nlogic::neuralogic::importTemplateFile(
    StringRef path, MLIRContext *context, const ImportOptions &options) {
  auto file = llvm::MemoryBuffer::getFile(path);
  if (!file) {
    emitError(UnknownLoc::get(context))
        << "cannot read '" << path << "': " << file.getError().message();
    return nullptr;
  }
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(std::move(*file), SMLoc());
  return importTemplate(sourceMgr, context, options);
}
