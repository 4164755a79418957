//===- RelOps.cpp - relational plan operations ----------------------------===//
//
// Custom syntax (`@bond(%X, ?, ?)` for scans, bare constants) and the
// verifiers: a scan's keys, positions and body arguments agree; every
// relation a plan reads exists in the module's template with the arity the
// plan assumes; every emit records one row per positive body atom.
//
//===----------------------------------------------------------------------===//

#include "nlogic/Dialect/Rel/IR/RelOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"

using namespace mlir;
using namespace mlir::nlogic;
using namespace mlir::nlogic::rel;

//===----------------------------------------------------------------------===//
// Custom directives
//===----------------------------------------------------------------------===//

/// `(%key, ?, %key)`: the arity is the number of entries, `?` marks a free
/// position.
static ParseResult
parseScanTerms(OpAsmParser &parser,
               SmallVectorImpl<OpAsmParser::UnresolvedOperand> &keys,
               DenseI64ArrayAttr &bound, IntegerAttr &arity) {
  SmallVector<int64_t> positions;
  int64_t count = 0;
  if (parser.parseCommaSeparatedList(
          OpAsmParser::Delimiter::Paren, [&]() -> ParseResult {
            int64_t pos = count++;
            if (succeeded(parser.parseOptionalQuestion()))
              return success();
            positions.push_back(pos);
            return parser.parseOperand(keys.emplace_back());
          }))
    return failure();
  bound = parser.getBuilder().getDenseI64ArrayAttr(positions);
  arity = parser.getBuilder().getI64IntegerAttr(count);
  return success();
}

static void printScanTerms(OpAsmPrinter &printer, Operation *,
                           OperandRange keys, DenseI64ArrayAttr bound,
                           IntegerAttr arity) {
  printer << "(";
  ArrayRef<int64_t> positions = bound.asArrayRef();
  size_t next = 0;
  for (int64_t pos = 0; pos < arity.getInt(); ++pos) {
    if (pos)
      printer << ", ";
    if (next < positions.size() && positions[next] == pos && next < keys.size())
      printer << keys[next++];
    else
      printer << "?";
  }
  printer << ")";
}

static ParseResult parseConstTerm(OpAsmParser &parser, Attribute &value) {
  SMLoc loc = parser.getCurrentLocation();
  if (parser.parseAttribute(value, parser.getBuilder().getI64Type()))
    return failure();
  if (!isa<StringAttr, IntegerAttr>(value))
    return parser.emitError(loc, "a term must be a string or an integer");
  return success();
}

static void printConstTerm(OpAsmPrinter &printer, Operation *,
                           Attribute value) {
  printer.printAttributeWithoutType(value);
}

#define GET_OP_CLASSES
#include "nlogic/Dialect/Rel/IR/RelOps.cpp.inc"

//===----------------------------------------------------------------------===//
// PlanOp
//===----------------------------------------------------------------------===//

/// The arity of `relation` in the template of the module holding `plan`;
/// reports an error (and returns nullopt) when it does not exist.
static std::optional<int64_t> relationArity(PlanOp plan, Operation *user,
                                            FlatSymbolRefAttr relation) {
  auto module = plan->getParentOfType<ModuleOp>();
  if (!module)
    return std::nullopt; // nothing to check against
  for (auto templ : module.getOps<TemplateOp>())
    if (auto rel = templ.lookupSymbol<RelationOp>(relation.getAttr()))
      return rel.getArity();
  user->emitOpError() << "reads relation " << relation
                      << ", which no template of the module declares";
  return -1;
}

LogicalResult PlanOp::verify() {
  if (getRule() < 0)
    return emitOpError("rule must be a non-negative rule index");
  if (getAtoms() < 0)
    return emitOpError("atoms must be non-negative");
  bool hasModule = (*this)->getParentOfType<ModuleOp>() != nullptr;
  auto checkArity = [&](Operation *user, FlatSymbolRefAttr relation,
                        int64_t arity) -> LogicalResult {
    if (!hasModule)
      return success();
    std::optional<int64_t> declared = relationArity(*this, user, relation);
    if (declared && *declared < 0)
      return failure();
    if (declared && *declared != arity)
      return user->emitOpError() << "reads " << relation << " with " << arity
                                 << " terms, but it has arity " << *declared;
    return success();
  };
  llvm::DenseSet<Attribute> dense;
  if (auto denseRelations = getDense())
    for (Attribute a : *denseRelations) {
      auto ref = cast<FlatSymbolRefAttr>(a);
      dense.insert(ref.getAttr());
      if (failed(checkArity(*this, ref, 1)))
        return failure();
    }
  WalkResult result = getBody().walk([&](Operation *op) {
    if (auto scan = dyn_cast<ScanOp>(op)) {
      if (scan.getAtom() >= getAtoms())
        return scan.emitOpError("scans atom ")
                   << scan.getAtom() << " of a plan with " << getAtoms()
                   << " atoms",
               WalkResult::interrupt();
      if (failed(checkArity(op, scan.getRelationAttr(), scan.getArity())))
        return WalkResult::interrupt();
    } else if (auto scan = dyn_cast<DenseScanOp>(op)) {
      if (scan.getAtom() >= getAtoms())
        return scan.emitOpError("scans atom ")
                   << scan.getAtom() << " of a plan with " << getAtoms()
                   << " atoms",
               WalkResult::interrupt();
      if (!dense.contains(scan.getRelationAttr().getAttr()))
        return scan.emitOpError("scans ")
                   << scan.getRelationAttr()
                   << " as dense, but the plan does not list it as dense",
               WalkResult::interrupt();
    } else if (auto absent = dyn_cast<AbsentOp>(op)) {
      if (failed(checkArity(op, absent.getRelationAttr(),
                            absent.getTerms().size())))
        return WalkResult::interrupt();
    } else if (auto emit = dyn_cast<EmitOp>(op)) {
      if (int64_t(emit.getRows().size()) != getAtoms())
        return emit.emitOpError("records ")
                   << emit.getRows().size() << " rows in a plan with "
                   << getAtoms() << " atoms",
               WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return failure(result.wasInterrupted());
}

//===----------------------------------------------------------------------===//
// ScanOp
//===----------------------------------------------------------------------===//

void ScanOp::build(OpBuilder &builder, OperationState &state,
                   StringRef relation, int64_t atom, int64_t arity,
                   ArrayRef<int64_t> bound, ValueRange keys) {
  state.addAttribute(getRelationAttrName(state.name),
                     FlatSymbolRefAttr::get(builder.getContext(), relation));
  state.addAttribute(getAtomAttrName(state.name),
                     builder.getI64IntegerAttr(atom));
  state.addAttribute(getArityAttrName(state.name),
                     builder.getI64IntegerAttr(arity));
  state.addAttribute(getBoundAttrName(state.name),
                     builder.getDenseI64ArrayAttr(bound));
  state.addOperands(keys);
  Region *body = state.addRegion();
  Block *block = new Block();
  body->push_back(block);
  block->addArgument(builder.getIndexType(), state.location);
  for (int64_t i = 0, e = arity - bound.size(); i < e; ++i)
    block->addArgument(builder.getI64Type(), state.location);
}

LogicalResult ScanOp::verify() {
  ArrayRef<int64_t> bound = getBound();
  if (bound.size() != getKeys().size())
    return emitOpError("has ") << getKeys().size() << " keys for "
                               << bound.size() << " bound positions";
  for (auto [i, pos] : llvm::enumerate(bound)) {
    if (pos < 0 || pos >= getArity())
      return emitOpError("binds position ")
             << pos << " of a relation of arity " << getArity();
    if (i > 0 && bound[i - 1] >= pos)
      return emitOpError("bound positions must be increasing");
  }
  Block &body = getBodyBlock();
  int64_t free = getArity() - bound.size();
  if (int64_t(body.getNumArguments()) != 1 + free)
    return emitOpError("body must take the row and ")
           << free << " free terms, not " << body.getNumArguments()
           << " arguments";
  if (!body.getArgument(0).getType().isIndex())
    return emitOpError("body's first argument (the row) must be an index");
  for (BlockArgument arg : body.getArguments().drop_front())
    if (!arg.getType().isInteger(64))
      return emitOpError("body's term arguments must be i64");
  return success();
}

void ScanOp::getAsmBlockArgumentNames(Region &region,
                                      OpAsmSetValueNameFn setNameFn) {
  setNameFn(region.front().getArgument(0), "row");
}

//===----------------------------------------------------------------------===//
// DenseScanOp
//===----------------------------------------------------------------------===//

void DenseScanOp::build(OpBuilder &builder, OperationState &state,
                        StringRef relation, int64_t atom, Value lower,
                        Value upper) {
  state.addAttribute(getRelationAttrName(state.name),
                     FlatSymbolRefAttr::get(builder.getContext(), relation));
  state.addAttribute(getAtomAttrName(state.name),
                     builder.getI64IntegerAttr(atom));
  state.addAttribute(getStepAttrName(state.name), builder.getI64IntegerAttr(1));
  if (lower)
    state.addOperands(lower);
  if (upper)
    state.addOperands(upper);
  state.addAttribute(
      getOperandSegmentSizesAttrName(state.name),
      builder.getDenseI32ArrayAttr({lower ? 1 : 0, upper ? 1 : 0}));
  Region *body = state.addRegion();
  Block *block = new Block();
  body->push_back(block);
  block->addArgument(builder.getIndexType(), state.location);
  block->addArgument(builder.getI64Type(), state.location);
}

LogicalResult DenseScanOp::verify() {
  if (getStep() < 1)
    return emitOpError("step must be positive");
  Block &body = getBodyBlock();
  if (body.getNumArguments() != 2 || !body.getArgument(0).getType().isIndex() ||
      !body.getArgument(1).getType().isInteger(64))
    return emitOpError("body must take the position (index) and the term "
                       "(i64)");
  return success();
}

void DenseScanOp::getAsmBlockArgumentNames(Region &region,
                                           OpAsmSetValueNameFn setNameFn) {
  setNameFn(region.front().getArgument(0), "pos");
}

//===----------------------------------------------------------------------===//
// CheckOp, EmitOp
//===----------------------------------------------------------------------===//

LogicalResult CheckOp::verify() {
  size_t n = getTerms().size();
  if (getKind() == ConstraintKind::alldiff ? n < 2 : n != 2)
    return emitOpError("'") << stringifyConstraintKind(getKind())
                            << "' cannot take " << n << " terms";
  return success();
}

LogicalResult EmitOp::verify() {
  if (!(*this)->getParentOfType<PlanOp>())
    return emitOpError("must be inside a rel.plan");
  return success();
}
