//===- NLogicOps.cpp - nlogic operations ----------------------------------===//
//
// Custom assembly, builders and verifiers of the nlogic operations: symbol
// resolution (relations, weights), arity, shapes, rule safety and
// stratification.
//
//===----------------------------------------------------------------------===//

#include "nlogic/Dialect/NLogic/IR/NLogicOps.h"
#include "nlogic/Dialect/NLogic/IR/Stratification.h"
#include "nlogic/Dialect/NLogic/IR/ValueShape.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SetVector.h"

using namespace mlir;
using namespace mlir::nlogic;

//===----------------------------------------------------------------------===//
// Custom directives
//===----------------------------------------------------------------------===//

/// Parses one constant term: a string, an integer (i64) or a float (f64).
static ParseResult parseTerm(OpAsmParser &parser, Attribute &term) {
  SMLoc loc = parser.getCurrentLocation();
  if (parser.parseAttribute(term))
    return failure();
  if (!isa<StringAttr, IntegerAttr, FloatAttr>(term))
    return parser.emitError(loc, "a term must be a string or a number");
  return success();
}

/// Prints a constant term without its (default) type.
static void printTerm(OpAsmPrinter &printer, Operation *, Attribute term) {
  printer.printAttributeWithoutType(term);
}

/// `(term, term, ...)` where a term is a string, an integer or a float.
static ParseResult parseTermList(OpAsmParser &parser, ArrayAttr &terms) {
  SmallVector<Attribute> elems;
  if (parser.parseCommaSeparatedList(OpAsmParser::Delimiter::Paren,
                                     [&]() -> ParseResult {
                                       Attribute attr;
                                       if (parseTerm(parser, attr))
                                         return failure();
                                       elems.push_back(attr);
                                       return success();
                                     }))
    return failure();
  terms = parser.getBuilder().getArrayAttr(elems);
  return success();
}

static void printTermList(OpAsmPrinter &printer, Operation *op,
                          ArrayAttr terms) {
  printer << "(";
  llvm::interleaveComma(terms, printer,
                        [&](Attribute a) { printTerm(printer, op, a); });
  printer << ")";
}

#define GET_OP_CLASSES
#include "nlogic/Dialect/NLogic/IR/NLogicOps.cpp.inc"

//===----------------------------------------------------------------------===//
// Shared helpers
//===----------------------------------------------------------------------===//

static RelationOp lookupRelation(Operation *user, SymbolTableCollection &tables,
                                 FlatSymbolRefAttr ref) {
  auto rel = tables.lookupNearestSymbolFrom<RelationOp>(user, ref);
  if (!rel)
    user->emitOpError() << "refers to unknown relation " << ref;
  return rel;
}

static WeightOp lookupWeight(Operation *user, SymbolTableCollection &tables,
                             FlatSymbolRefAttr ref) {
  auto weight = tables.lookupNearestSymbolFrom<WeightOp>(user, ref);
  if (!weight)
    user->emitOpError() << "refers to unknown weight " << ref;
  return weight;
}

static LogicalResult checkArity(Operation *user, RelationOp rel,
                                size_t numTerms) {
  if (numTerms == rel.getArity())
    return success();
  return user->emitOpError()
         << "uses relation @" << rel.getSymName() << " with " << numTerms
         << " terms, but its arity is " << rel.getArity();
}

/// Resolves a relation reference used with `numTerms` terms; reports an
/// unknown relation or an arity mismatch on `user`.
static RelationOp lookupRelationOfArity(Operation *user,
                                        SymbolTableCollection &tables,
                                        FlatSymbolRefAttr ref,
                                        size_t numTerms) {
  RelationOp rel = lookupRelation(user, tables, ref);
  if (!rel || failed(checkArity(user, rel, numTerms)))
    return nullptr;
  return rel;
}

/// Checks that a computed shape result is valid and matches `actual`.
static LogicalResult checkComputedType(Operation *op, const ShapeResult &shape,
                                       Type actual) {
  if (!shape.ok())
    return op->emitOpError() << "shape mismatch: " << shape.error;
  if (!shape.shape.isKnown())
    return success();
  Type expected = shape.shape.toType(op->getContext());
  if (expected != actual)
    return op->emitOpError() << "shape mismatch: result type " << actual
                             << " should be " << expected;
  return success();
}

/// Checks a constant value (of a fact or weight) against a value shape.
static LogicalResult checkConstantShape(Operation *op, ElementsAttr value,
                                        const ValueShape &shape,
                                        StringRef what) {
  ValueShape given = ValueShape::fromType(value.getType());
  if (isa<RankedTensorType>(value.getType()) &&
      cast<RankedTensorType>(value.getType()).getRank() == 1 &&
      value.getNumElements() == 1)
    given = ValueShape::scalar();
  if (given.isCompatibleWith(shape))
    return success();
  return op->emitOpError() << "shape mismatch: " << what << " of shape "
                           << given.str() << " for a value of shape "
                           << shape.str();
}

//===----------------------------------------------------------------------===//
// TemplateOp
//===----------------------------------------------------------------------===//

LogicalResult TemplateOp::verifyRegions() {
  Stratification strata = computeStratification(*this);
  if (Operation *literal = strata.negativeCycle) {
    auto neg = cast<NotOp>(literal);
    return literal->emitError()
           << "negation through recursion: " << neg.getRelationAttr()
           << " is read negated by a rule that it depends on itself; the "
              "template is not stratifiable";
  }
  return success();
}

//===----------------------------------------------------------------------===//
// RelationOp
//===----------------------------------------------------------------------===//

LogicalResult RelationOp::verify() {
  if (getPredicate() && getPredicate()->empty())
    return emitOpError("predicate name must not be empty");
  return success();
}

LogicalResult RelationOp::verifySymbolUses(SymbolTableCollection &tables) {
  if (!getOffsetAttr())
    return success();
  WeightOp offset = lookupWeight(*this, tables, getOffsetAttr());
  if (!offset)
    return failure();
  ValueShape offsetShape = ValueShape::fromType(offset.getType());
  ValueShape valueShape = ValueShape::fromType(getValueType());
  if (!offsetShape.isCompatibleWith(valueShape))
    return emitOpError() << "shape mismatch: offset @" << offset.getSymName()
                         << " of shape " << offsetShape.str()
                         << " for values of shape " << valueShape.str();
  return success();
}

//===----------------------------------------------------------------------===//
// WeightOp
//===----------------------------------------------------------------------===//

LogicalResult WeightOp::verify() {
  if (isa<UnrankedTensorType>(getType()))
    return emitOpError("a weight must have a known shape");
  if (getFixed() && !getValue())
    return emitOpError("a fixed weight needs a value");
  if (getValue() && getInitializer())
    return emitOpError("a weight with a value cannot also name an initializer");
  if (getValue())
    return checkConstantShape(*this, *getValue(),
                              ValueShape::fromType(getType()), "value");
  return success();
}

//===----------------------------------------------------------------------===//
// FactOp
//===----------------------------------------------------------------------===//

LogicalResult FactOp::verify() {
  if (getWeight() && getValue())
    return emitOpError("a fact has either a weight or an inline value");
  return success();
}

LogicalResult FactOp::verifySymbolUses(SymbolTableCollection &tables) {
  RelationOp rel = lookupRelationOfArity(*this, tables, getRelationAttr(),
                                         getTerms().size());
  if (!rel)
    return failure();
  ValueShape shape = ValueShape::fromType(rel.getValueType());
  if (getValue())
    return checkConstantShape(*this, *getValue(), shape, "value");
  if (getWeightAttr()) {
    WeightOp weight = lookupWeight(*this, tables, getWeightAttr());
    if (!weight)
      return failure();
    ValueShape weightShape = ValueShape::fromType(weight.getType());
    if (!weightShape.isCompatibleWith(shape))
      return emitOpError() << "shape mismatch: weight @" << weight.getSymName()
                           << " of shape " << weightShape.str()
                           << " as the value of a fact of shape "
                           << shape.str();
  }
  return success();
}

//===----------------------------------------------------------------------===//
// RuleOp
//===----------------------------------------------------------------------===//

void RuleOp::build(OpBuilder &builder, OperationState &state, StringRef head,
                   ArrayRef<std::string> varNames) {
  state.addAttribute(getHeadAttrName(state.name),
                     FlatSymbolRefAttr::get(builder.getContext(), head));
  SmallVector<StringRef> names(varNames.begin(), varNames.end());
  state.addAttribute(getVarNamesAttrName(state.name),
                     builder.getStrArrayAttr(names));
  Region *body = state.addRegion();
  Block *block = new Block();
  body->push_back(block);
  Type term = TermType::get(builder.getContext());
  for (size_t i = 0; i < varNames.size(); ++i)
    block->addArgument(term, state.location);
}

HeadOp RuleOp::getHeadOp() {
  return cast<HeadOp>(getBodyBlock().getTerminator());
}

void RuleOp::getAsmBlockArgumentNames(Region &region,
                                      OpAsmSetValueNameFn setNameFn) {
  ArrayAttr names = getVarNames();
  for (auto [arg, name] : llvm::zip(region.getArguments(), names))
    setNameFn(arg, cast<StringAttr>(name).getValue());
}

// nlogic.rule @head vars(%X, %Y) [aggregate <agg> [over ["X"]]]
//     [weight @w] attr-dict-with-keyword region
ParseResult RuleOp::parse(OpAsmParser &parser, OperationState &result) {
  MLIRContext *ctx = parser.getContext();
  FlatSymbolRefAttr head;
  if (parser.parseAttribute(head, getHeadAttrName(result.name).getValue(),
                            result.attributes) ||
      parser.parseKeyword("vars"))
    return failure();
  SmallVector<OpAsmParser::Argument> vars;
  if (parser.parseArgumentList(vars, OpAsmParser::Delimiter::Paren,
                               /*allowType=*/false))
    return failure();
  SmallVector<StringRef> names;
  Type term = TermType::get(ctx);
  for (OpAsmParser::Argument &var : vars) {
    var.type = term;
    names.push_back(var.ssaName.name.drop_front()); // drop the '%'
  }
  result.addAttribute(getVarNamesAttrName(result.name),
                      parser.getBuilder().getStrArrayAttr(names));

  if (succeeded(parser.parseOptionalKeyword("aggregate"))) {
    std::string kind;
    SMLoc loc = parser.getCurrentLocation();
    if (parser.parseKeywordOrString(&kind))
      return failure();
    std::optional<Aggregation> agg = symbolizeAggregation(kind);
    if (!agg)
      return parser.emitError(loc, "unknown aggregation '") << kind << "'";
    result.addAttribute(getAggregationAttrName(result.name),
                        AggregationAttr::get(ctx, *agg));
    if (succeeded(parser.parseOptionalKeyword("over"))) {
      ArrayAttr terms;
      if (parser.parseAttribute(terms))
        return failure();
      result.addAttribute(getAggTermsAttrName(result.name), terms);
    }
  }
  if (succeeded(parser.parseOptionalKeyword("weight"))) {
    FlatSymbolRefAttr weight;
    if (parser.parseAttribute(weight, getWeightAttrName(result.name).getValue(),
                              result.attributes))
      return failure();
  }
  if (parser.parseOptionalAttrDictWithKeyword(result.attributes))
    return failure();
  Region *body = result.addRegion();
  if (parser.parseRegion(*body, vars))
    return failure();
  if (body->empty())
    return parser.emitError(parser.getCurrentLocation(),
                            "a rule needs a body ending in nlogic.head");
  return success();
}

void RuleOp::print(OpAsmPrinter &p) {
  p << " ";
  p.printAttributeWithoutType(getHeadAttr());
  p << " vars(";
  llvm::interleaveComma(getBody().getArguments(), p,
                        [&](BlockArgument arg) { p << arg; });
  p << ")";
  if (auto agg = getAggregation()) {
    p << " aggregate " << stringifyAggregation(*agg);
    if (auto terms = getAggTerms()) {
      p << " over ";
      p.printAttribute(*terms);
    }
  }
  if (getWeightAttr()) {
    p << " weight ";
    p.printAttributeWithoutType(getWeightAttr());
  }
  p.printOptionalAttrDictWithKeyword(
      (*this)->getAttrs(),
      {getHeadAttrName(), getVarNamesAttrName(), getAggregationAttrName(),
       getAggTermsAttrName(), getWeightAttrName()});
  p << " ";
  p.printRegion(getBody(), /*printEntryBlockArgs=*/false,
                /*printBlockTerminators=*/true);
}

/// Collects the logic variables (block arguments) a term depends on,
/// looking through `nlogic.arith`.
static void collectVariables(Value term, llvm::SetVector<Value> &vars) {
  if (isa<BlockArgument>(term)) {
    vars.insert(term);
    return;
  }
  if (auto arith = term.getDefiningOp<ArithOp>()) {
    collectVariables(arith.getLhs(), vars);
    collectVariables(arith.getRhs(), vars);
  }
}

static bool allBound(Value term, const llvm::DenseSet<Value> &bound) {
  llvm::SetVector<Value> vars;
  collectVariables(term, vars);
  return llvm::all_of(vars, [&](Value v) { return bound.contains(v); });
}

/// The variables bound by positive atoms, then by `eq` and `next`
/// constraints whose other side is bound (generators), to a fixpoint.
static llvm::DenseSet<Value> computeBoundVariables(Block &body) {
  llvm::DenseSet<Value> bound;
  for (AtomOp atom : body.getOps<AtomOp>())
    for (Value term : atom.getTerms())
      if (isa<BlockArgument>(term))
        bound.insert(term);
  bool changed = true;
  while (changed) {
    changed = false;
    for (ConstrainOp c : body.getOps<ConstrainOp>()) {
      if (c.getKind() != ConstraintKind::eq &&
          c.getKind() != ConstraintKind::next)
        continue;
      Value lhs = c.getTerms()[0], rhs = c.getTerms()[1];
      for (auto [target, source] : {std::pair{lhs, rhs}, std::pair{rhs, lhs}})
        if (isa<BlockArgument>(target) && !bound.contains(target) &&
            allBound(source, bound)) {
          bound.insert(target);
          changed = true;
        }
    }
  }
  return bound;
}

LogicalResult RuleOp::verifyRegions() {
  Block &body = getBodyBlock();
  if (getVarNames().size() != body.getNumArguments())
    return emitOpError() << "has " << body.getNumArguments()
                         << " variables but " << getVarNames().size()
                         << " variable names";
  if (!llvm::all_of(body.getArgumentTypes(), llvm::IsaPred<TermType>))
    return emitOpError("variables must have type !nlogic.term");
  if (body.empty() || !isa<HeadOp>(body.back()))
    return emitOpError("body must end with nlogic.head");

  // Safety: head variables, variables of negated atoms and of constraints
  // must be bound by positive atoms (or generated from bound terms).
  llvm::DenseSet<Value> bound = computeBoundVariables(body);
  auto nameOf = [&](Value v) {
    return cast<StringAttr>(
               getVarNames()[cast<BlockArgument>(v).getArgNumber()])
        .getValue();
  };
  auto checkSafe = [&](Operation *user, ValueRange terms,
                       StringRef what) -> LogicalResult {
    llvm::SetVector<Value> vars;
    for (Value t : terms)
      collectVariables(t, vars);
    for (Value v : vars)
      if (!bound.contains(v))
        return user->emitError()
               << "unsafe rule: " << what << " variable '" << nameOf(v)
               << "' is not bound by a positive body atom";
    return success();
  };
  HeadOp head = getHeadOp();
  if (failed(checkSafe(head, head.getTerms(), "head")))
    return failure();
  for (NotOp neg : body.getOps<NotOp>())
    if (failed(checkSafe(neg, neg.getTerms(), "negated atom")))
      return failure();
  for (ConstrainOp c : body.getOps<ConstrainOp>())
    if (failed(checkSafe(c, c.getTerms(), "constraint")))
      return failure();

  // Softmax aggregation normalises over head variables.
  if (auto terms = getAggTerms()) {
    if (getAggregation() != Aggregation::softmax)
      return emitOpError("'over' variables are only meaningful for softmax "
                         "aggregation");
    llvm::DenseSet<StringRef> headVars;
    for (Value t : head.getTerms())
      if (isa<BlockArgument>(t))
        headVars.insert(nameOf(t));
    for (Attribute a : *terms) {
      StringRef name = cast<StringAttr>(a).getValue();
      if (!headVars.contains(name))
        return emitOpError() << "softmax aggregation over '" << name
                             << "', which is not a head variable";
    }
  }
  return success();
}

LogicalResult RuleOp::verifySymbolUses(SymbolTableCollection &tables) {
  RelationOp rel = lookupRelation(*this, tables, getHeadAttr());
  if (!rel)
    return failure();
  HeadOp head = getHeadOp();
  if (failed(checkArity(head, rel, head.getTerms().size())))
    return failure();
  ValueShape value = ValueShape::fromType(head.getValue().getType());
  // A count is a number whatever the substitutions' values are.
  if (getAggregation() == Aggregation::count)
    value = ValueShape::scalar();
  if (getWeightAttr()) {
    WeightOp weight = lookupWeight(*this, tables, getWeightAttr());
    if (!weight)
      return failure();
    ShapeResult weighted =
        weighShape(ValueShape::fromType(weight.getType()), value);
    if (!weighted.ok())
      return emitOpError() << "shape mismatch: head " << weighted.error;
    value = weighted.shape;
  }
  ValueShape expected = ValueShape::fromType(rel.getValueType());
  if (!value.isCompatibleWith(expected))
    return emitOpError() << "shape mismatch: the rule gives @"
                         << rel.getSymName() << " values of shape "
                         << value.str() << ", but the relation's values have "
                         << "shape " << expected.str();
  return success();
}

//===----------------------------------------------------------------------===//
// Literals
//===----------------------------------------------------------------------===//

LogicalResult AtomOp::verifySymbolUses(SymbolTableCollection &tables) {
  RelationOp rel = lookupRelationOfArity(*this, tables, getRelationAttr(),
                                         getTerms().size());
  if (!rel)
    return failure();
  Type expected = rel.getValueType();
  if (getTransposed())
    expected =
        transposeShape(ValueShape::fromType(expected)).toType(getContext());
  if (getType() != expected)
    return emitOpError() << "shape mismatch: yields " << getType() << " but @"
                         << rel.getSymName()
                         << (getTransposed() ? " transposed" : "")
                         << " has values of type " << expected;
  return success();
}

LogicalResult NotOp::verifySymbolUses(SymbolTableCollection &tables) {
  return success(lookupRelationOfArity(*this, tables, getRelationAttr(),
                                       getTerms().size()) != nullptr);
}

LogicalResult ConstrainOp::verify() {
  size_t n = getTerms().size();
  if (getKind() == ConstraintKind::alldiff) {
    if (n < 2)
      return emitOpError("alldiff needs at least two terms");
    return success();
  }
  if (n != 2)
    return emitOpError() << stringifyConstraintKind(getKind())
                         << " needs exactly two terms, got " << n;
  return success();
}

//===----------------------------------------------------------------------===//
// Map ops
//===----------------------------------------------------------------------===//

LogicalResult WeighOp::verifySymbolUses(SymbolTableCollection &tables) {
  WeightOp weight = lookupWeight(*this, tables, getWeightAttr());
  if (!weight)
    return failure();
  ShapeResult shape = weighShape(ValueShape::fromType(weight.getType()),
                                 ValueShape::fromType(getInput().getType()));
  if (!shape.ok())
    return emitOpError() << "shape mismatch: @" << weight.getSymName() << ": "
                         << shape.error;
  return checkComputedType(*this, shape, getType());
}

LogicalResult CombineOp::verifySymbolUses(SymbolTableCollection &tables) {
  SmallVector<ValueShape> inputs;
  if (getOffsetAttr()) {
    WeightOp offset = lookupWeight(*this, tables, getOffsetAttr());
    if (!offset)
      return failure();
    inputs.push_back(ValueShape::fromType(offset.getType()));
  }
  for (Value in : getInputs())
    inputs.push_back(ValueShape::fromType(in.getType()));
  if (inputs.empty())
    return emitOpError("needs at least one input or an offset");
  ShapeResult shape = combineShape(getKind(), inputs, getAxis());
  return checkComputedType(*this, shape, getType());
}

LogicalResult TransformOp::verify() {
  Transformation kind = getKind();
  if (getAlpha() && kind != Transformation::leaky_relu)
    return emitOpError("'alpha' is only meaningful for leaky_relu");
  if ((getRows() || getCols()) && kind != Transformation::slice)
    return emitOpError("'rows' and 'cols' are only meaningful for slice");
  if (getShape() && kind != Transformation::reshape)
    return emitOpError("'shape' is only meaningful for reshape");
  ShapeResult shape =
      transformShape(kind, ValueShape::fromType(getInput().getType()),
                     getRows().value_or(ArrayRef<int64_t>()),
                     getCols().value_or(ArrayRef<int64_t>()),
                     getShape().value_or(ArrayRef<int64_t>()));
  return checkComputedType(*this, shape, getType());
}

//===----------------------------------------------------------------------===//
// QueryOp
//===----------------------------------------------------------------------===//

LogicalResult QueryOp::verifySymbolUses(SymbolTableCollection &tables) {
  RelationOp rel = lookupRelationOfArity(*this, tables, getRelationAttr(),
                                         getTerms().size());
  if (!rel)
    return failure();
  if (getTarget())
    return checkConstantShape(*this, *getTarget(),
                              ValueShape::fromType(rel.getValueType()),
                              "target");
  return success();
}
