//===- RelToSCF.cpp - join plans as loops over the runtime's tables -------===//
//
// Every plan becomes a function of the grounding ABI
// (include/nlogic/Runtime/GroundingABI.h); each rel op is replaced in place
// (outer ops first), scans by scf.for loops into which their bodies are
// inlined. Table views and the context are read with LLVM dialect loads at
// the byte offsets of the ABI's structs.
//
//===----------------------------------------------------------------------===//

#include "nlogic/Conversion/Passes.h"
#include "nlogic/Dialect/NLogic/IR/NLogicOps.h"
#include "nlogic/Dialect/Rel/IR/RelOps.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::nlogic {
#define GEN_PASS_DEF_CONVERTRELTOSCFPASS
#include "nlogic/Conversion/Passes.h.inc"
} // namespace mlir::nlogic

using namespace mlir;
using namespace mlir::nlogic;

namespace {

// Byte offsets of the ABI's structs (all fields are 8 bytes).
constexpr int64_t kContextTables = 0, kContextRanges = 8, kContextNames = 16;
constexpr int64_t kTableTuples = 0, kTableSize = 8, kTableDense = 16,
                  kTableBytes = 24;

const char *const kLookup = "nlogic_ground_lookup";
const char *const kContains = "nlogic_ground_contains";
const char *const kCompare = "nlogic_ground_compare";
const char *const kEmit = "nlogic_ground_emit";

/// Builds the loads, calls and arithmetic of one function.
class Emitter {
public:
  Emitter(IRRewriter &rewriter, Value ctx) : b(rewriter), ctx(ctx) {
    MLIRContext *mc = rewriter.getContext();
    i64 = b.getI64Type();
    i8 = b.getI8Type();
    ptr = LLVM::LLVMPointerType::get(mc);
  }

  IRRewriter &b;
  Value ctx;
  Type i64, i8, ptr;

  Value constI64(Location loc, int64_t v) {
    return arith::ConstantIntOp::create(b, loc, i64, v);
  }
  Value constIndex(Location loc, int64_t v) {
    return arith::ConstantIndexOp::create(b, loc, v);
  }
  Value toIndex(Location loc, Value v) {
    return arith::IndexCastOp::create(b, loc, b.getIndexType(), v);
  }
  Value toI64(Location loc, Value v) {
    return arith::IndexCastOp::create(b, loc, i64, v);
  }

  /// `*(type *)((char *)base + offset)`.
  Value loadAt(Location loc, Value base, int64_t offset, Type type) {
    Value addr = LLVM::GEPOp::create(b, loc, ptr, i8, base,
                                     ArrayRef<LLVM::GEPArg>{int32_t(offset)});
    return LLVM::LoadOp::create(b, loc, type, addr);
  }
  /// `&base[index]` for an array of i64 (or pointers).
  Value element(Location loc, Value base, Value index) {
    return LLVM::GEPOp::create(b, loc, ptr, i64, base, ValueRange{index});
  }

  Value table(Location loc, int64_t relation) {
    Value tables = loadAt(loc, ctx, kContextTables, ptr);
    return LLVM::GEPOp::create(
        b, loc, ptr, i8, tables,
        ArrayRef<LLVM::GEPArg>{int32_t(relation * kTableBytes)});
  }
  Value tableSize(Location loc, int64_t relation) {
    return loadAt(loc, table(loc, relation), kTableSize, i64);
  }
  Value tableDense(Location loc, int64_t relation) {
    return loadAt(loc, table(loc, relation), kTableDense, i64);
  }
  /// The term at `pos` of row `row` (i64) of a table of `arity`.
  Value tupleTerm(Location loc, int64_t relation, Value row, int64_t arity,
                  int64_t pos) {
    Value tuples = loadAt(loc, table(loc, relation), kTableTuples, ptr);
    Value index = arith::AddIOp::create(
        b, loc, arith::MulIOp::create(b, loc, row, constI64(loc, arity)),
        constI64(loc, pos));
    return LLVM::LoadOp::create(b, loc, i64, element(loc, tuples, index));
  }
  /// [lo, hi) of body atom `atom`, as i64.
  std::pair<Value, Value> range(Location loc, int64_t atom) {
    Value ranges = loadAt(loc, ctx, kContextRanges, ptr);
    return {loadAt(loc, ranges, 16 * atom, i64),
            loadAt(loc, ranges, 16 * atom + 8, i64)};
  }

  Value isInteger(Location loc, Value term) {
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, term,
                                 constI64(loc, 0));
  }
  Value untag(Location loc, Value term) {
    Value one = constI64(loc, 1);
    return arith::ShRSIOp::create(
        b, loc, arith::ShLIOp::create(b, loc, term, one), one);
  }
  Value tag(Location loc, Value value) {
    return arith::OrIOp::create(b, loc, value,
                                constI64(loc, int64_t(rel::kIntegerTag)));
  }
  Value defined(Location loc, Value term) {
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, term,
                                 constI64(loc, int64_t(rel::kUndefinedTerm)));
  }
  Value call(Location loc, StringRef callee, TypeRange results,
             ValueRange args) {
    auto op = func::CallOp::create(b, loc, callee, results, args);
    return results.empty() ? Value() : op.getResult(0);
  }
};

struct ConvertRelToSCF
    : nlogic::impl::ConvertRelToSCFPassBase<ConvertRelToSCF> {
  using Base::Base;

  DenseMap<StringAttr, int64_t> relationIndex;
  llvm::StringMap<int64_t> nameIndex;
  SmallVector<Attribute> names;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto templates = llvm::to_vector(module.getOps<TemplateOp>());
    auto plans = llvm::to_vector(module.getOps<rel::PlanOp>());
    if (plans.empty() && templates.empty())
      return;
    if (templates.size() != 1) {
      module.emitError("join plans need exactly one nlogic.template in the "
                       "module (their relations are its relations)");
      return signalPassFailure();
    }
    for (auto [i, r] : llvm::enumerate(templates[0].getRelations()))
      relationIndex[r.getSymNameAttr()] = i;

    IRRewriter rewriter(module.getContext());
    declareRuntime(rewriter, module);
    std::map<int64_t, std::pair<func::FuncOp, rel::PlanOp>> general, dense;
    for (rel::PlanOp plan : plans) {
      func::FuncOp fn = lowerPlan(rewriter, plan);
      if (!fn)
        return signalPassFailure();
      (plan.getDense() ? dense : general)[plan.getRule()] = {fn, plan};
    }
    for (auto &[rule, entry] : general)
      emitDispatcher(rewriter, module, rule, entry.first,
                     dense.count(rule) ? dense[rule].second : rel::PlanOp(),
                     dense.count(rule) ? dense[rule].first : func::FuncOp());
    for (rel::PlanOp plan : plans)
      rewriter.eraseOp(plan);
    rewriter.eraseOp(templates[0]);
    module->setAttr("rel.names", rewriter.getArrayAttr(names));
  }

  void declareRuntime(IRRewriter &rewriter, ModuleOp module) {
    OpBuilder::InsertionGuard g(rewriter);
    rewriter.setInsertionPointToStart(module.getBody());
    Type i64 = rewriter.getI64Type();
    Type ptr = LLVM::LLVMPointerType::get(module.getContext());
    auto declare = [&](StringRef name, TypeRange args, TypeRange results) {
      auto fn = func::FuncOp::create(rewriter, module.getLoc(), name,
                                     rewriter.getFunctionType(args, results));
      fn.setPrivate();
    };
    declare(kLookup, {ptr, i64, i64, ptr, i64, i64, ptr}, {i64});
    declare(kContains, {ptr, i64, ptr}, {i64});
    declare(kCompare, {ptr, i64, i64, i64}, {i64});
    declare(kEmit, {ptr, i64, ptr, ptr}, {});
  }

  int64_t nameId(StringRef name) {
    auto [it, inserted] = nameIndex.try_emplace(name, names.size());
    if (inserted)
      names.push_back(StringAttr::get(&getContext(), name));
    return it->second;
  }

  func::FuncOp lowerPlan(IRRewriter &rewriter, rel::PlanOp plan) {
    Location loc = plan.getLoc();
    Type ptr = LLVM::LLVMPointerType::get(&getContext());
    rewriter.setInsertionPoint(plan);
    auto fn = func::FuncOp::create(rewriter, loc,
                                   prefix + "_plan_" + plan.getSymName().str(),
                                   rewriter.getFunctionType({ptr}, {}));
    fn.setPrivate();
    // Only the dispatchers are entry points of the object code.
    fn->setAttr("llvm.linkage",
                LLVM::LinkageAttr::get(&getContext(), LLVM::Linkage::Internal));
    Block *entry = fn.addEntryBlock();
    Emitter e(rewriter, entry->getArgument(0));

    // Scratch buffers: terms for lookups, negations and emits (consumed by
    // the call right away, so one buffer serves all), rows for emits, and
    // the lookup's result pointer.
    int64_t maxTerms = 1;
    plan.walk([&](Operation *op) {
      if (auto scan = dyn_cast<rel::ScanOp>(op))
        maxTerms = std::max<int64_t>(maxTerms, scan.getArity());
      else if (auto absent = dyn_cast<rel::AbsentOp>(op))
        maxTerms = std::max<int64_t>(maxTerms, absent.getTerms().size());
      else if (auto emit = dyn_cast<rel::EmitOp>(op))
        maxTerms = std::max<int64_t>(maxTerms, emit.getHead().size());
    });
    rewriter.setInsertionPointToStart(entry);
    auto stackBuffer = [&](int64_t n, Type elem) -> Value {
      return LLVM::AllocaOp::create(rewriter, loc, ptr, elem,
                                    e.constI64(loc, n), 8);
    };
    Value termsBuf = stackBuffer(maxTerms, e.i64);
    Value rowsBuf = stackBuffer(std::max<int64_t>(plan.getAtoms(), 1), e.i64);
    Value rowsOut = stackBuffer(1, ptr);

    // The plan's body becomes the function's.
    entry->getOperations().splice(entry->end(),
                                  plan.getBodyBlock().getOperations());
    rewriter.setInsertionPointToEnd(entry);
    func::ReturnOp::create(rewriter, loc);

    // Outer ops first; a scan's depth indexes its lookup buffer.
    SmallVector<std::pair<Operation *, int64_t>> work;
    fn.walk<WalkOrder::PreOrder>([&](Operation *op) {
      if (!isa<rel::RelDialect>(op->getDialect()))
        return;
      int64_t depth = 0;
      for (Operation *p = op->getParentOp(); p != fn; p = p->getParentOp())
        depth += isa<rel::ScanOp, rel::DenseScanOp>(p);
      work.push_back({op, depth});
    });
    for (auto [op, depth] : work) {
      rewriter.setInsertionPoint(op);
      if (failed(lowerOp(e, op, depth, termsBuf, rowsBuf, rowsOut,
                         plan.getRule())))
        return nullptr;
    }
    return fn;
  }

  int64_t relation(FlatSymbolRefAttr ref) {
    return relationIndex.lookup(ref.getAttr());
  }

  /// Stores `terms` at buf[0..n).
  void storeTerms(Emitter &e, Location loc, Value buf, ValueRange terms) {
    for (auto [i, t] : llvm::enumerate(terms))
      LLVM::StoreOp::create(e.b, loc, t,
                            e.element(loc, buf, e.constI64(loc, i)));
  }

  LogicalResult lowerOp(Emitter &e, Operation *op, int64_t depth,
                        Value termsBuf, Value rowsBuf, Value rowsOut,
                        int64_t rule) {
    IRRewriter &b = e.b;
    Location loc = op->getLoc();
    if (auto c = dyn_cast<rel::ConstOp>(op)) {
      Value v;
      if (auto i = dyn_cast<IntegerAttr>(c.getValue())) {
        uint64_t bits =
            (uint64_t(i.getInt()) & ~rel::kIntegerTag) | rel::kIntegerTag;
        v = e.constI64(loc, int64_t(bits));
      } else {
        Value namesPtr = e.loadAt(loc, e.ctx, kContextNames, e.ptr);
        int64_t id = nameId(cast<StringAttr>(c.getValue()).getValue());
        v = e.loadAt(loc, namesPtr, 8 * id, e.i64);
      }
      b.replaceOp(op, v);
      return success();
    }
    if (auto a = dyn_cast<rel::ArithOp>(op)) {
      b.replaceOp(op, lowerArith(e, loc, a));
      return success();
    }
    if (auto p = dyn_cast<rel::PositionOp>(op)) {
      Value t = p.getTerm();
      Value pos = arith::SelectOp::create(b, loc, e.isInteger(loc, t),
                                          e.untag(loc, t), e.constI64(loc, -1));
      b.replaceOp(op, e.toIndex(loc, pos));
      return success();
    }
    if (auto d = dyn_cast<rel::DefinedOp>(op)) {
      b.replaceOp(op, e.defined(loc, d.getTerm()));
      return success();
    }
    if (auto c = dyn_cast<rel::CheckOp>(op)) {
      b.replaceOp(op, lowerCheck(e, loc, c));
      return success();
    }
    if (auto a = dyn_cast<rel::AbsentOp>(op)) {
      Value ok = arith::ConstantIntOp::create(b, loc, b.getI1Type(), 1);
      for (Value t : a.getTerms())
        ok = arith::AndIOp::create(b, loc, ok, e.defined(loc, t));
      storeTerms(e, loc, termsBuf, a.getTerms());
      Value found = e.call(
          loc, kContains, {e.i64},
          {e.ctx, e.constI64(loc, relation(a.getRelationAttr())), termsBuf});
      Value missing = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                            found, e.constI64(loc, 0));
      b.replaceOp(op, arith::AndIOp::create(b, loc, ok, missing));
      return success();
    }
    if (auto emit = dyn_cast<rel::EmitOp>(op)) {
      storeTerms(e, loc, termsBuf, emit.getHead());
      SmallVector<Value> rows;
      for (Value r : emit.getRows())
        rows.push_back(e.toI64(loc, r));
      storeTerms(e, loc, rowsBuf, rows);
      e.call(loc, kEmit, {}, {e.ctx, e.constI64(loc, rule), termsBuf, rowsBuf});
      b.eraseOp(op);
      return success();
    }
    if (auto scan = dyn_cast<rel::ScanOp>(op))
      return lowerScan(e, scan, depth, termsBuf, rowsOut);
    if (auto scan = dyn_cast<rel::DenseScanOp>(op))
      return lowerDenseScan(e, scan);
    return op->emitOpError("cannot be lowered outside a rel.plan");
  }

  Value lowerArith(Emitter &e, Location loc, rel::ArithOp a) {
    IRRewriter &b = e.b;
    Value lhs = a.getLhs(), rhs = a.getRhs();
    Value x = e.untag(loc, lhs), y = e.untag(loc, rhs);
    Value valid = arith::AndIOp::create(b, loc, e.isInteger(loc, lhs),
                                        e.isInteger(loc, rhs));
    Value zero = e.constI64(loc, 0);
    bool divides =
        a.getKind() == ArithKind::div || a.getKind() == ArithKind::mod;
    if (divides) {
      Value nonzero =
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, y, zero);
      valid = arith::AndIOp::create(b, loc, valid, nonzero);
      // Never divide by zero, even where the result is discarded.
      y = arith::SelectOp::create(b, loc, nonzero, y, e.constI64(loc, 1));
    }
    Value r;
    switch (a.getKind()) {
    case ArithKind::add:
      r = arith::AddIOp::create(b, loc, x, y);
      break;
    case ArithKind::sub:
      r = arith::SubIOp::create(b, loc, x, y);
      break;
    case ArithKind::mul:
      r = arith::MulIOp::create(b, loc, x, y);
      break;
    case ArithKind::div:
      r = arith::DivSIOp::create(b, loc, x, y);
      break;
    case ArithKind::mod: {
      // The non-negative remainder: ((x % y) + y) % y.
      Value rem = arith::RemSIOp::create(b, loc, x, y);
      r = arith::RemSIOp::create(b, loc, arith::AddIOp::create(b, loc, rem, y),
                                 y);
      break;
    }
    }
    return arith::SelectOp::create(
        b, loc, valid, e.tag(loc, r),
        e.constI64(loc, int64_t(rel::kUndefinedTerm)));
  }

  Value lowerCheck(Emitter &e, Location loc, rel::CheckOp c) {
    IRRewriter &b = e.b;
    ValueRange terms = c.getTerms();
    if (c.getKind() == ConstraintKind::alldiff) {
      // Identity of encodings, as the reference grounder compares.
      Value ok = arith::ConstantIntOp::create(b, loc, b.getI1Type(), 1);
      for (Value t : terms)
        ok = arith::AndIOp::create(b, loc, ok, e.defined(loc, t));
      for (size_t i = 0; i < terms.size(); ++i)
        for (size_t j = i + 1; j < terms.size(); ++j)
          ok = arith::AndIOp::create(
              b, loc, ok,
              arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, terms[i],
                                    terms[j]));
      return ok;
    }
    Value lhs = terms[0], rhs = terms[1];
    // Both integers (both top bits set): compare inline; anything else
    // (names, numbers spelled as names, undefined terms) asks the runtime.
    Value both = e.isInteger(loc, arith::AndIOp::create(b, loc, lhs, rhs));
    auto ifOp = scf::IfOp::create(b, loc, TypeRange{b.getI1Type()}, both,
                                  /*withElseRegion=*/true);
    {
      OpBuilder::InsertionGuard g(b);
      b.setInsertionPointToStart(ifOp.thenBlock());
      Value x = e.untag(loc, lhs), y = e.untag(loc, rhs);
      Value holds;
      auto cmp = [&](arith::CmpIPredicate p, Value u, Value v) {
        return arith::CmpIOp::create(b, loc, p, u, v);
      };
      switch (c.getKind()) {
      case ConstraintKind::leq:
        holds = cmp(arith::CmpIPredicate::sle, x, y);
        break;
      case ConstraintKind::lt:
        holds = cmp(arith::CmpIPredicate::slt, x, y);
        break;
      case ConstraintKind::geq:
        holds = cmp(arith::CmpIPredicate::sge, x, y);
        break;
      case ConstraintKind::gt:
        holds = cmp(arith::CmpIPredicate::sgt, x, y);
        break;
      case ConstraintKind::eq:
        holds = cmp(arith::CmpIPredicate::eq, x, y);
        break;
      case ConstraintKind::neq:
        holds = cmp(arith::CmpIPredicate::ne, x, y);
        break;
      case ConstraintKind::next:
        holds = cmp(arith::CmpIPredicate::eq, y,
                    arith::AddIOp::create(b, loc, x, e.constI64(loc, 1)));
        break;
      case ConstraintKind::alldiff:
        llvm_unreachable("handled above");
      }
      scf::YieldOp::create(b, loc, holds);
      b.setInsertionPointToStart(ifOp.elseBlock());
      Value r =
          e.call(loc, kCompare, {e.i64},
                 {e.ctx, e.constI64(loc, int64_t(c.getKind())), lhs, rhs});
      scf::YieldOp::create(
          b, loc,
          Value(arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, r,
                                      e.constI64(loc, 0))));
    }
    return ifOp.getResult(0);
  }

  LogicalResult lowerScan(Emitter &e, rel::ScanOp scan, int64_t depth,
                          Value termsBuf, Value rowsOut) {
    IRRewriter &b = e.b;
    Location loc = scan.getLoc();
    int64_t rel = relation(scan.getRelationAttr());
    int64_t arity = scan.getArity();
    ArrayRef<int64_t> bound = scan.getBound();
    Value one = e.constIndex(loc, 1);
    scf::ForOp loop;
    Value rowsPtr;
    if (bound.empty()) {
      auto [lo, hiRange] = e.range(loc, scan.getAtom());
      Value hi = arith::MinSIOp::create(b, loc, hiRange, e.tableSize(loc, rel));
      loop = scf::ForOp::create(b, loc, e.toIndex(loc, lo), e.toIndex(loc, hi),
                                one);
    } else {
      int64_t mask = 0;
      for (auto [k, pos] : llvm::enumerate(bound)) {
        mask |= int64_t(1) << pos;
        LLVM::StoreOp::create(b, loc, scan.getKeys()[k],
                              e.element(loc, termsBuf, e.constI64(loc, pos)));
      }
      Value count = e.call(loc, kLookup, {e.i64},
                           {e.ctx, e.constI64(loc, depth), e.constI64(loc, rel),
                            termsBuf, e.constI64(loc, mask),
                            e.constI64(loc, scan.getAtom()), rowsOut});
      rowsPtr = LLVM::LoadOp::create(b, loc, e.ptr, rowsOut);
      loop = scf::ForOp::create(b, loc, e.constIndex(loc, 0),
                                e.toIndex(loc, count), one);
    }
    b.setInsertionPoint(loop.getBody()->getTerminator());
    Value iv = loop.getInductionVar();
    Value row = e.toI64(loc, iv);
    if (rowsPtr)
      row = LLVM::LoadOp::create(b, loc, e.i64,
                                 e.element(loc, rowsPtr, e.toI64(loc, iv)));
    SmallVector<Value> args = {e.toIndex(loc, row)};
    for (int64_t pos = 0; pos < arity; ++pos)
      if (!llvm::is_contained(bound, pos))
        args.push_back(e.tupleTerm(loc, rel, row, arity, pos));
    b.inlineBlockBefore(&scan.getBodyBlock(), loop.getBody()->getTerminator(),
                        args);
    b.eraseOp(scan);
    return success();
  }

  LogicalResult lowerDenseScan(Emitter &e, rel::DenseScanOp scan) {
    IRRewriter &b = e.b;
    Location loc = scan.getLoc();
    int64_t rel = relation(scan.getRelationAttr());
    auto [rangeLo, rangeHi] = e.range(loc, scan.getAtom());
    Value size = e.tableSize(loc, rel);
    Value lower = scan.getLower() ? scan.getLower() : e.constIndex(loc, 0);
    Value upper = scan.getUpper() ? scan.getUpper() : e.toIndex(loc, size);
    // Positions are rows: clamp the plan's bounds to the atom's rows.
    Value lo = arith::MaxSIOp::create(
        b, loc, arith::MaxSIOp::create(b, loc, lower, e.toIndex(loc, rangeLo)),
        e.constIndex(loc, 0));
    Value hi = arith::MinSIOp::create(
        b, loc, arith::MinSIOp::create(b, loc, upper, e.toIndex(loc, rangeHi)),
        e.toIndex(loc, size));
    int64_t stepValue = scan.getStep();
    Value step = e.constIndex(loc, stepValue);
    if (stepValue != 1) {
      // The first position at or after `lo` that is `lower` plus a
      // multiple of the step.
      Value skip = arith::MaxSIOp::create(
          b, loc, arith::SubIOp::create(b, loc, lo, lower),
          e.constIndex(loc, 0));
      Value steps = arith::CeilDivSIOp::create(b, loc, skip, step);
      lo = arith::AddIOp::create(b, loc, lower,
                                 arith::MulIOp::create(b, loc, steps, step));
    }
    auto loop = scf::ForOp::create(b, loc, lo, hi, step);
    b.setInsertionPoint(loop.getBody()->getTerminator());
    Value p = loop.getInductionVar();
    Value term = e.tag(loc, e.toI64(loc, p));
    b.inlineBlockBefore(&scan.getBodyBlock(), loop.getBody()->getTerminator(),
                        {p, term});
    b.eraseOp(scan);
    return success();
  }

  /// `<prefix>_ground_rule<k>`: the dense variant when its relations are
  /// dense for this sample, the general plan otherwise.
  void emitDispatcher(IRRewriter &rewriter, ModuleOp module, int64_t rule,
                      func::FuncOp general, rel::PlanOp densePlan,
                      func::FuncOp denseFn) {
    Location loc = general.getLoc();
    Type ptr = LLVM::LLVMPointerType::get(&getContext());
    rewriter.setInsertionPointToEnd(module.getBody());
    auto fn = func::FuncOp::create(
        rewriter, loc, prefix + "_ground_rule" + std::to_string(rule),
        rewriter.getFunctionType({ptr}, {}));
    Block *entry = fn.addEntryBlock();
    rewriter.setInsertionPointToStart(entry);
    Value ctx = entry->getArgument(0);
    Emitter e(rewriter, ctx);
    if (!densePlan) {
      func::CallOp::create(rewriter, loc, general, ValueRange{ctx});
    } else {
      Value all =
          arith::ConstantIntOp::create(rewriter, loc, rewriter.getI1Type(), 1);
      ArrayAttr denseRelations = densePlan.getDenseAttr();
      for (Attribute a : denseRelations) {
        Value d = e.tableDense(loc, relation(cast<FlatSymbolRefAttr>(a)));
        all = arith::AndIOp::create(
            rewriter, loc, all,
            arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::ne, d,
                                  e.constI64(loc, 0)));
      }
      scf::IfOp::create(
          rewriter, loc, all,
          [&](OpBuilder &tb, Location l) {
            func::CallOp::create(tb, l, denseFn, ValueRange{ctx});
            scf::YieldOp::create(tb, l);
          },
          [&](OpBuilder &eb, Location l) {
            func::CallOp::create(eb, l, general, ValueRange{ctx});
            scf::YieldOp::create(eb, l);
          });
    }
    func::ReturnOp::create(rewriter, loc);
  }
};

} // namespace
