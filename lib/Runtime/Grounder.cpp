//===- Grounder.cpp - bottom-up grounding of a template on a sample -------===//
//
// Each relation is an append-only table of tuples with lazily built hash
// indexes per set of bound positions. Each rule has a static join plan: the
// positive atoms in body order, with every builtin and negation placed at
// the first step where its variables are bound. Recursive components run
// semi-naively: in each round, one recursive atom reads only the previous
// round's new rows, earlier ones the rows before them, later ones all rows,
// so every substitution is found exactly once.
//
//===----------------------------------------------------------------------===//

#include "nlogic/Runtime/Grounder.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/Hashing.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"

#include <cstring>
#include <unordered_map>

using namespace mlir;
using namespace mlir::nlogic::runtime;

namespace {

uint64_t hashConsts(const Const *begin, size_t n) {
  uint64_t h = 0x9e3779b97f4a7c15ull + n;
  for (size_t i = 0; i < n; ++i)
    h = llvm::hash_combine(h, begin[i].raw());
  return h;
}

/// Values grouped by 64-bit hash: chains threaded through arrays (bucket
/// heads, one link per entry), so inserting allocates nothing but amortised
/// array growth and clearing keeps the capacity. The tables, indexes and
/// the duplicate check of the grounder all use it.
class HashChains {
public:
  void clear() {
    std::fill(heads.begin(), heads.end(), -1);
    links.clear();
  }

  void insert(uint64_t hash, int value) {
    if (links.size() >= heads.size())
      grow();
    int &head = heads[hash & (heads.size() - 1)];
    links.push_back({hash, value, head});
    head = int(links.size()) - 1;
  }

  /// Calls `f(value)` for the values inserted with `hash`, newest first,
  /// until it returns true.
  template <typename F> void find(uint64_t hash, F f) const {
    if (heads.empty())
      return;
    for (int i = heads[hash & (heads.size() - 1)]; i >= 0; i = links[i].next)
      if (links[i].hash == hash && f(links[i].value))
        return;
  }

private:
  struct Link {
    uint64_t hash;
    int value;
    int next;
  };
  std::vector<int> heads; // a power of two, at least the number of links
  std::vector<Link> links;

  void grow() {
    heads.assign(std::max<size_t>(16, 2 * heads.size()), -1);
    for (size_t i = 0; i < links.size(); ++i) {
      int &head = heads[links[i].hash & (heads.size() - 1)];
      links[i].next = head;
      head = int(i);
    }
  }
};

/// One relation's tuples for one sample.
struct Table {
  int arity = 0;
  /// Row p holds the integer p for every row (token positions): compiled
  /// plans then scan positions instead of rows.
  bool dense = true;
  std::vector<Const> tuples; // row-major, arity per row
  std::vector<int> atoms;    // row -> ground atom id
  HashChains rowsByHash;

  struct Index {
    HashChains rows;
    int indexedUpTo = 0;
  };
  std::unordered_map<uint32_t, Index> indexes; // bound-position mask -> index

  int size() const { return atoms.size(); }
  const Const *row(int r) const { return tuples.data() + size_t(r) * arity; }

  int find(const Const *tuple) const {
    int found = -1;
    rowsByHash.find(hashConsts(tuple, arity), [&](int r) {
      if (!std::equal(tuple, tuple + arity, row(r)))
        return false;
      found = r;
      return true;
    });
    return found;
  }

  /// Appends a tuple, returning its row (existing rows are reused).
  int insert(const Const *tuple, int atom, bool &inserted) {
    int existing = find(tuple);
    inserted = existing < 0;
    if (!inserted)
      return existing;
    int r = size();
    dense = dense && arity == 1 && tuple[0] == Const::ofInt(r);
    tuples.insert(tuples.end(), tuple, tuple + arity);
    atoms.push_back(atom);
    rowsByHash.insert(hashConsts(tuple, arity), r);
    return r;
  }

  static uint64_t maskedHash(const Const *values, uint32_t mask, int arity) {
    uint64_t h = 0x51ed270b27a4f3c1ull;
    for (int p = 0; p < arity; ++p)
      if (mask & (1u << p))
        h = llvm::hash_combine(h, values[p].raw());
    return h;
  }

  /// The index of `mask`, brought up to date with appended rows.
  Index &indexFor(uint32_t mask) {
    Index &index = indexes[mask];
    for (; index.indexedUpTo < size(); ++index.indexedUpTo)
      index.rows.insert(maskedHash(row(index.indexedUpTo), mask, arity),
                        index.indexedUpTo);
    return index;
  }
};

/// One step of a rule's join plan.
struct Step {
  enum Kind { Scan, Check, Generate, Negation } kind;
  Step(Kind kind, int index) : kind(kind), index(index) {}
  int index = -1; // atom, constraint or negated-atom index
  /// Scan: positions whose term is known before the scan.
  uint32_t boundMask = 0;
  /// Scan: (position, variable slot) bound by the row, and repeated
  /// variables of the atom checked against their first position.
  std::vector<std::pair<int, int>> binds, repeats;
  /// Generate: the variable slot bound and the term it is computed from.
  int slot = -1;
  int source = -1;
  int offset = 0; // next(A, B): B = A + offset
};

struct RulePlan {
  std::vector<Step> steps;
  /// Atoms whose relation is in the head's recursive component.
  std::vector<bool> recursiveAtom;
  /// Atoms that contribute a neuron (not hidden relations).
  std::vector<bool> valueAtom;
  /// Whether two substitutions can have the same head and value atoms:
  /// only when some variable appears in neither (join-only variables).
  /// Otherwise the duplicate check is skipped.
  bool mayRepeatInputs = true;
};

} // namespace

struct Grounder::Impl {
  const TemplateModel &model;
  std::vector<RulePlan> plans;
  /// Compiled join plans, when the grounder runs them.
  std::shared_ptr<const GroundingCode> code;
  /// What compiled plans read: a view of every table, the row ranges of
  /// the current rule's atoms, and the rows of each depth's last lookup.
  std::vector<nlogic_ground_table> views;
  std::vector<int64_t> flatRanges;
  std::vector<std::vector<int64_t>> lookupRows;

  // Per-sample state.
  std::vector<Table> tables;
  GroundGraph *graph = nullptr;
  /// The graph of the last facts grounded; samples sharing those facts
  /// (knowledge-base datasets) reuse it and the tables.
  const void *cachedFacts = nullptr;
  std::shared_ptr<GroundGraph> cachedGraph;
  std::vector<Const> subst;
  /// Row ranges per body atom for the current semi-naive evaluation.
  std::vector<std::pair<int, int>> ranges;
  HashChains groundRuleByKey;

  Impl(const TemplateModel &model, std::shared_ptr<const GroundingCode> code)
      : model(model), code(std::move(code)) {
    for (const RuleModel &rule : model.rules)
      plans.push_back(plan(rule));
    auto domain = model.relationByPredicate.find({"__domain", 1});
    if (domain != model.relationByPredicate.end())
      domainRelation = domain->second;
  }

  /// `__domain/1`, the relation of every constant of a sample, when the
  /// template has non-ground statements (the importer's lifting).
  int domainRelation = -1;

  void refreshView(int relation) {
    const Table &t = tables[relation];
    static_assert(sizeof(Const) == sizeof(uint64_t));
    views[relation] = {reinterpret_cast<const uint64_t *>(t.tuples.data()),
                       t.size(), t.arity == 1 && t.dense};
  }

  //===------------------------------------------------------------------===//
  // Planning
  //===------------------------------------------------------------------===//

  /// Variable slots a term depends on.
  void slotsOf(const RuleModel &rule, int term, std::vector<int> &out) const {
    const TermExpr &e = rule.exprs[term];
    if (e.kind == TermExpr::Variable)
      out.push_back(e.slot);
    else if (e.kind == TermExpr::Arith) {
      slotsOf(rule, e.lhs, out);
      slotsOf(rule, e.rhs, out);
    }
  }

  bool termBound(const RuleModel &rule, int term,
                 const std::vector<bool> &bound) const {
    std::vector<int> slots;
    slotsOf(rule, term, slots);
    return llvm::all_of(slots, [&](int s) { return bound[s]; });
  }

  RulePlan plan(const RuleModel &rule) const {
    RulePlan p;
    const RelationModel &head = model.relations[rule.head];
    for (const BodyAtom &atom : rule.atoms) {
      const RelationModel &rel = model.relations[atom.relation];
      p.recursiveAtom.push_back(rule.recursive &&
                                rel.component == head.component &&
                                rel.stratum == head.stratum);
      // Literals whose value the rule reads (hidden literals `*b` join
      // only); only those make ground rules distinct and feed neurons.
      p.valueAtom.push_back(llvm::any_of(rule.program, [&](const MapInstr &m) {
        return m.kind == MapInstr::Atom && m.atom == int(p.valueAtom.size());
      }));
    }
    // Every variable in the head or a value atom: distinct substitutions
    // (the plan enumerates each once) have distinct neural inputs.
    std::vector<bool> seen(rule.varNames.size(), false);
    auto see = [&](int term) {
      if (rule.exprs[term].kind == TermExpr::Variable)
        seen[rule.exprs[term].slot] = true;
    };
    llvm::for_each(rule.headTerms, see);
    for (auto [i, atom] : llvm::enumerate(rule.atoms))
      if (p.valueAtom[i])
        llvm::for_each(atom.terms, see);
    p.mayRepeatInputs = llvm::is_contained(seen, false);

    std::vector<bool> bound(rule.varNames.size(), false);
    std::vector<bool> constraintDone(rule.constraints.size(), false);
    std::vector<bool> negationDone(rule.negated.size(), false);

    // Places every builtin and negation whose terms are now bound, and
    // generators that can fire, until nothing changes.
    auto placeReady = [&]() {
      bool changed = true;
      while (changed) {
        changed = false;
        for (auto [i, c] : llvm::enumerate(rule.constraints)) {
          if (constraintDone[i])
            continue;
          bool allBound = llvm::all_of(
              c.terms, [&](int t) { return termBound(rule, t, bound); });
          if (allBound) {
            p.steps.push_back({Step::Check, int(i)});
            constraintDone[i] = changed = true;
            continue;
          }
          if (c.kind != ConstraintKind::eq && c.kind != ConstraintKind::next)
            continue;
          for (int side = 0; side < 2; ++side) {
            int target = c.terms[side], source = c.terms[1 - side];
            const TermExpr &t = rule.exprs[target];
            if (t.kind != TermExpr::Variable || bound[t.slot] ||
                !termBound(rule, source, bound))
              continue;
            Step s{Step::Generate, int(i)};
            s.slot = t.slot;
            s.source = source;
            if (c.kind == ConstraintKind::next)
              s.offset = side == 1 ? 1 : -1; // next(A, B): B = A + 1
            p.steps.push_back(s);
            bound[t.slot] = true;
            constraintDone[i] = changed = true;
            break;
          }
        }
        for (auto [i, n] : llvm::enumerate(rule.negated)) {
          if (negationDone[i] || !llvm::all_of(n.terms, [&](int t) {
                return termBound(rule, t, bound);
              }))
            continue;
          p.steps.push_back({Step::Negation, int(i)});
          negationDone[i] = changed = true;
        }
      }
    };

    placeReady();
    for (auto [i, atom] : llvm::enumerate(rule.atoms)) {
      Step s{Step::Scan, int(i)};
      for (auto [pos, term] : llvm::enumerate(atom.terms))
        if (termBound(rule, term, bound))
          s.boundMask |= 1u << pos;
      std::vector<bool> seen(rule.varNames.size(), false);
      for (auto [pos, term] : llvm::enumerate(atom.terms)) {
        if (s.boundMask & (1u << pos))
          continue;
        int slot = rule.exprs[term].slot;
        (seen[slot] ? s.repeats : s.binds).push_back({int(pos), slot});
        seen[slot] = true;
      }
      p.steps.push_back(s);
      for (int term : atom.terms) {
        const TermExpr &t = rule.exprs[term];
        if (t.kind == TermExpr::Variable)
          bound[t.slot] = true;
      }
      placeReady();
    }
    return p;
  }

  //===------------------------------------------------------------------===//
  // Terms and builtins
  //===------------------------------------------------------------------===//

  /// The value of a bound term; arithmetic needs integers.
  std::optional<Const> eval(const RuleModel &rule, int term) const {
    const TermExpr &e = rule.exprs[term];
    switch (e.kind) {
    case TermExpr::Variable:
      return subst[e.slot];
    case TermExpr::Constant:
      return e.constant;
    case TermExpr::Arith: {
      std::optional<Const> l = eval(rule, e.lhs), r = eval(rule, e.rhs);
      if (!l || !r || !l->isInt() || !r->isInt())
        return std::nullopt;
      int64_t a = l->intValue(), b = r->intValue();
      switch (e.op) {
      case ArithKind::add:
        return Const::ofInt(a + b);
      case ArithKind::sub:
        return Const::ofInt(a - b);
      case ArithKind::mul:
        return Const::ofInt(a * b);
      case ArithKind::div:
        if (b == 0)
          return std::nullopt;
        return Const::ofInt(a / b);
      case ArithKind::mod:
        if (b == 0)
          return std::nullopt;
        return Const::ofInt(((a % b) + b) % b);
      }
    }
    }
    return std::nullopt;
  }

  /// Compares numerically when both are numbers, else by spelling (as
  /// NeuraLogic does).
  int compare(Const a, Const b) const {
    if (a.isInt() && b.isInt())
      return a.intValue() < b.intValue() ? -1 : a.intValue() > b.intValue();
    std::optional<double> x = model.names.number(a), y = model.names.number(b);
    if (x && y)
      return *x < *y ? -1 : *x > *y;
    std::string s = model.names.str(a), t = model.names.str(b);
    return s < t ? -1 : s > t;
  }

  bool check(const RuleModel &rule, const ConstraintModel &c) const {
    std::vector<Const> v;
    for (int t : c.terms) {
      std::optional<Const> value = eval(rule, t);
      if (!value)
        return false;
      v.push_back(*value);
    }
    return holds(c.kind, v);
  }

  /// Whether builtin `kind` holds for defined terms.
  bool holds(ConstraintKind kind, llvm::ArrayRef<Const> v) const {
    switch (kind) {
    case ConstraintKind::leq:
      return compare(v[0], v[1]) <= 0;
    case ConstraintKind::lt:
      return compare(v[0], v[1]) < 0;
    case ConstraintKind::geq:
      return compare(v[0], v[1]) >= 0;
    case ConstraintKind::gt:
      return compare(v[0], v[1]) > 0;
    case ConstraintKind::eq:
      return v[0] == v[1] || compare(v[0], v[1]) == 0;
    case ConstraintKind::neq:
      return !(v[0] == v[1] || compare(v[0], v[1]) == 0);
    case ConstraintKind::next: {
      if (v[0].isInt() && v[1].isInt()) // exact, also beyond 2^53
        return v[1].intValue() == v[0].intValue() + 1;
      std::optional<double> a = model.names.number(v[0]),
                            b = model.names.number(v[1]);
      return a && b && *b == *a + 1;
    }
    case ConstraintKind::alldiff:
      for (size_t i = 0; i < v.size(); ++i)
        for (size_t j = i + 1; j < v.size(); ++j)
          if (v[i] == v[j])
            return false;
      return true;
    }
    return false;
  }

  //===------------------------------------------------------------------===//
  // Atoms
  //===------------------------------------------------------------------===//

  /// The atom id of `tuple` in `relation`, creating it when new.
  int atomFor(int relation, const Const *tuple, bool &inserted) {
    Table &table = tables[relation];
    int existing = table.find(tuple);
    if (existing >= 0) {
      inserted = false;
      return table.atoms[existing];
    }
    int id = graph->atoms.size();
    GroundAtom atom;
    atom.relation = relation;
    atom.terms.assign(tuple, tuple + table.arity);
    graph->atoms.push_back(std::move(atom));
    table.insert(tuple, id, inserted);
    refreshView(relation);
    return id;
  }

  void addFact(int relation, const std::vector<Const> &terms,
               const Tensor &value, int weight) {
    bool inserted;
    int id = atomFor(relation, terms.data(), inserted);
    GroundAtom &atom = graph->atoms[id];
    // A fact given twice keeps its first value.
    if (!atom.isFact) {
      atom.isFact = true;
      atom.factValue = value;
      atom.factWeight = weight;
    }
  }

  //===------------------------------------------------------------------===//
  // Joins
  //===------------------------------------------------------------------===//

  void run(int ruleIndex, size_t step) {
    const RuleModel &rule = model.rules[ruleIndex];
    const RulePlan &p = plans[ruleIndex];
    if (step == p.steps.size()) {
      emitGroundRule(ruleIndex);
      return;
    }
    const Step &s = p.steps[step];
    switch (s.kind) {
    case Step::Check:
      if (check(rule, rule.constraints[s.index]))
        run(ruleIndex, step + 1);
      return;
    case Step::Generate: {
      std::optional<Const> source = eval(rule, s.source);
      if (!source)
        return;
      if (s.offset != 0) {
        if (!source->isInt())
          return;
        subst[s.slot] = Const::ofInt(source->intValue() + s.offset);
      } else {
        subst[s.slot] = *source;
      }
      run(ruleIndex, step + 1);
      return;
    }
    case Step::Negation: {
      const BodyAtom &neg = rule.negated[s.index];
      std::vector<Const> tuple;
      for (int t : neg.terms) {
        std::optional<Const> v = eval(rule, t);
        if (!v)
          return;
        tuple.push_back(*v);
      }
      if (tables[neg.relation].find(tuple.data()) < 0)
        run(ruleIndex, step + 1);
      return;
    }
    case Step::Scan:
      scan(ruleIndex, step, s);
      return;
    }
  }

  void scan(int ruleIndex, size_t step, const Step &s) {
    const RuleModel &rule = model.rules[ruleIndex];
    const BodyAtom &atom = rule.atoms[s.index];
    Table &table = tables[atom.relation];
    int lo = ranges[s.index].first;
    int hi = std::min(ranges[s.index].second, table.size());
    if (lo >= hi)
      return;
    int arity = table.arity;
    llvm::SmallVector<Const, 8> key(arity);
    for (int pos = 0; pos < arity; ++pos)
      if (s.boundMask & (1u << pos)) {
        std::optional<Const> v = eval(rule, atom.terms[pos]);
        if (!v)
          return;
        key[pos] = *v;
      }

    auto tryRow = [&](int r) {
      const Const *row = table.row(r);
      for (int pos = 0; pos < arity; ++pos)
        if ((s.boundMask & (1u << pos)) && key[pos] != row[pos])
          return;
      for (auto [pos, slot] : s.binds)
        subst[slot] = row[pos];
      for (auto [pos, slot] : s.repeats)
        if (subst[slot] != row[pos])
          return;
      rowChosen[s.index] = r;
      run(ruleIndex, step + 1);
    };

    if (s.boundMask == 0) {
      for (int r = lo; r < hi; ++r)
        tryRow(r);
      return;
    }
    Table::Index &index = table.indexFor(s.boundMask);
    // Collect first: deeper steps may append rows to this table (recursion)
    // and so rehash the index.
    llvm::SmallVector<int, 16> rows;
    index.rows.find(Table::maskedHash(key.data(), s.boundMask, arity),
                    [&](int r) {
                      if (r >= lo && r < hi)
                        rows.push_back(r);
                      return false;
                    });
    std::sort(rows.begin(), rows.end());
    for (int r : rows)
      tryRow(r);
  }

  std::vector<int> rowChosen;

  void emitGroundRule(int ruleIndex) {
    const RuleModel &rule = model.rules[ruleIndex];
    llvm::SmallVector<Const, 8> head;
    for (int t : rule.headTerms) {
      std::optional<Const> v = eval(rule, t);
      if (!v)
        return;
      head.push_back(*v);
    }
    emitGroundRule(ruleIndex, head);
  }

  /// Records the substitution whose body rows are `rowChosen`.
  void emitGroundRule(int ruleIndex, llvm::ArrayRef<Const> head) {
    const RuleModel &rule = model.rules[ruleIndex];
    const RulePlan &p = plans[ruleIndex];
    if (rule.liftedFact) {
      // A non-ground fact instantiated: a fact atom (a fact already there,
      // from the sample or an earlier statement, keeps its value).
      addFact(rule.head, std::vector<Const>(head.begin(), head.end()),
              Tensor::scalar(1.0), rule.liftedFactWeight);
      return;
    }
    GroundRule gr;
    gr.rule = ruleIndex;
    for (auto [i, atom] : llvm::enumerate(rule.atoms))
      gr.body.push_back(tables[atom.relation].atoms[rowChosen[i]]);
    bool inserted;
    gr.head = atomFor(rule.head, head.data(), inserted);

    // Substitutions with the same neural inputs are one ground rule unless
    // the rule keeps duplicates.
    if (!rule.duplicitGrounding && p.mayRepeatInputs) {
      uint64_t h = llvm::hash_combine(ruleIndex, gr.head);
      for (auto [i, atom] : llvm::enumerate(gr.body))
        if (p.valueAtom[i])
          h = llvm::hash_combine(h, atom);
      bool duplicate = false;
      groundRuleByKey.find(h, [&](int id) {
        const GroundRule &other = graph->rules[id];
        if (other.rule != ruleIndex || other.head != gr.head)
          return false;
        bool same = true;
        for (size_t i = 0; i < gr.body.size() && same; ++i)
          same = !p.valueAtom[i] || other.body[i] == gr.body[i];
        return duplicate = same;
      });
      if (duplicate)
        return;
      groundRuleByKey.insert(h, graph->rules.size());
    }
    graph->atoms[gr.head].groundRules.push_back(graph->rules.size());
    graph->rules.push_back(std::move(gr));
  }

  /// Runs `ruleIndex` once with the current `ranges`.
  void evaluate(int ruleIndex) {
    const RuleModel &rule = model.rules[ruleIndex];
    if (code) {
      flatRanges.clear();
      for (auto [lo, hi] : ranges) {
        flatRanges.push_back(lo);
        flatRanges.push_back(hi);
      }
      rowChosen.assign(rule.atoms.size(), -1);
      nlogic_ground_context ctx{views.data(), flatRanges.data(),
                                code->names.data(), this};
      code->rules[ruleIndex](&ctx);
      return;
    }
    subst.assign(rule.varNames.size(), Const());
    rowChosen.assign(rule.atoms.size(), -1);
    run(ruleIndex, 0);
  }

  void setFullRanges(const RuleModel &rule) {
    ranges.assign(rule.atoms.size(), {0, INT32_MAX});
  }

  /// Grounds the rules [begin, end) of one component.
  void groundComponent(size_t begin, size_t end) {
    bool recursive = model.rules[begin].recursive;
    if (!recursive) {
      for (size_t r = begin; r < end; ++r) {
        setFullRanges(model.rules[r]);
        evaluate(r);
      }
      return;
    }
    // Semi-naive: [0, oldEnd) was seen by every rule, [oldEnd, deltaEnd) is
    // new since the last round.
    // Each relation once: several rules may share a head.
    std::vector<int> compRelations;
    for (size_t r = begin; r < end; ++r)
      if (!llvm::is_contained(compRelations, model.rules[r].head))
        compRelations.push_back(model.rules[r].head);
    std::vector<int> oldEnd(tables.size(), 0), deltaEnd(tables.size(), 0);
    for (int rel : compRelations)
      deltaEnd[rel] = tables[rel].size();
    bool first = true;
    while (true) {
      for (size_t r = begin; r < end; ++r) {
        const RuleModel &rule = model.rules[r];
        const RulePlan &p = plans[r];
        bool anyRecursive = llvm::is_contained(p.recursiveAtom, true);
        if (!anyRecursive) {
          if (first) {
            setFullRanges(rule);
            evaluate(r);
          }
          continue;
        }
        for (size_t i = 0; i < rule.atoms.size(); ++i) {
          if (!p.recursiveAtom[i])
            continue;
          setFullRanges(rule);
          for (size_t j = 0; j < rule.atoms.size(); ++j) {
            if (!p.recursiveAtom[j])
              continue;
            int rel = rule.atoms[j].relation;
            if (j < i)
              ranges[j] = {0, oldEnd[rel]};
            else if (j == i)
              ranges[j] = {oldEnd[rel], deltaEnd[rel]};
            else
              ranges[j] = {0, deltaEnd[rel]};
          }
          evaluate(r);
        }
      }
      first = false;
      bool grew = false;
      for (int rel : compRelations) {
        oldEnd[rel] = deltaEnd[rel];
        grew |= tables[rel].size() > deltaEnd[rel];
        deltaEnd[rel] = tables[rel].size();
      }
      if (!grew)
        break;
    }
    // Rounds interleave the component's rules: a head can collect ground
    // rules B, C, B, C. Keep each atom's ground rules grouped by rule (in
    // rule order, each rule's in the order found: ids grow as they are
    // found), as GroundAtom promises and the layout's segments (one per
    // atom and rule) need.
    for (int rel : compRelations)
      for (int atomId : tables[rel].atoms) {
        std::vector<int> &rules = graph->atoms[atomId].groundRules;
        auto before = [&](int x, int y) {
          return std::make_pair(graph->rules[x].rule, x) <
                 std::make_pair(graph->rules[y].rule, y);
        };
        if (!llvm::is_sorted(rules, before))
          llvm::sort(rules, before);
      }
  }

  //===------------------------------------------------------------------===//
  // Reachability and order
  //===------------------------------------------------------------------===//

  /// Softmax groups of the graph (computed once per graph).
  void computeGroups() {
    GroundGraph &n = *graph;
    // Softmax groups: head atoms of a softmax rule that share the terms
    // outside the normalised positions.
    HashChains groupsByKey;
    llvm::SmallVector<uint64_t, 4> key;
    auto keyOf = [&](const RuleModel &rule, const GroundAtom &atom) {
      key.clear();
      for (size_t pos = 0; pos < atom.terms.size(); ++pos)
        if (!llvm::is_contained(rule.softmaxOver, int(pos)))
          key.push_back(atom.terms[pos].raw());
    };
    for (auto [atomId, atom] : llvm::enumerate(n.atoms)) {
      int lastRule = -1;
      for (int g : atom.groundRules) {
        int r = n.rules[g].rule;
        if (r == lastRule)
          continue;
        lastRule = r;
        const RuleModel &rule = model.rules[r];
        if (rule.aggregation != Aggregation::softmax)
          continue;
        keyOf(rule, atom);
        uint64_t hash = llvm::hash_combine(
            r, llvm::hash_combine_range(key.begin(), key.end()));
        // A group's key is that of its first member.
        int group = -1;
        llvm::SmallVector<uint64_t, 4> own(key.begin(), key.end());
        groupsByKey.find(hash, [&](int g) {
          if (n.groups[g].rule != r)
            return false;
          keyOf(rule, n.atoms[n.groups[g].members.front()]);
          if (key != own)
            return false;
          group = g;
          return true;
        });
        if (group < 0) {
          group = n.groups.size();
          n.groups.push_back({r, {}});
          groupsByKey.insert(hash, group);
        }
        n.groups[group].members.push_back(atomId);
        n.groupOf[{int(atomId), r}] = group;
      }
    }
  }

  /// The evaluation order of what the sample's queries reach.
  LogicalResult orderNetwork(GroundNetwork &sampleNet, std::string &error) {
    const GroundGraph &n = *graph;
    // Depth-first post-order from the queries; a node on the stack reached
    // again is a cycle.
    enum { Unseen, Active, Done };
    std::vector<char> state(n.atoms.size(), Unseen);
    // A softmax head depends on the inputs of its whole group. Once one
    // member is done, so are those inputs: later members list only their
    // own (otherwise a group of N members costs N^2, attention N^3).
    std::vector<char> groupInputsDone(n.groups.size(), false);
    llvm::DenseMap<int, llvm::SmallVector<int, 1>> groupsExpandedBy;
    // The other members of an expanded group: reached too (the softmax
    // normalises over them), so they are ordered after the queries' atoms
    // with their own inputs, and their groups of other softmax rules are
    // expanded in turn. (A group left partial would otherwise depend on
    // raw values nobody computes.)
    std::vector<int> membersToReach;
    auto inputsOf = [&](int atomId, std::vector<int> &out) {
      int lastRule = -1;
      for (int g : n.atoms[atomId].groundRules) {
        const GroundRule &gr = n.rules[g];
        if (gr.rule == lastRule)
          continue; // one pass per rule covers all its ground rules
        lastRule = gr.rule;
        auto groupIt = n.groupOf.find({atomId, gr.rule});
        // Once a member that expanded the group is done, so are the
        // inputs of every member for this rule, this atom's included.
        if (groupIt != n.groupOf.end() && groupInputsDone[groupIt->second])
          continue;
        llvm::SmallVector<int, 1> own = {atomId};
        llvm::ArrayRef<int> members = own;
        if (groupIt != n.groupOf.end()) {
          members = n.groups[groupIt->second].members;
          groupsExpandedBy[atomId].push_back(groupIt->second);
          for (int m : members)
            if (m != atomId && state[m] == Unseen)
              membersToReach.push_back(m);
        }
        for (int m : members)
          for (int g2 : n.atoms[m].groundRules) {
            const GroundRule &r2 = n.rules[g2];
            if (r2.rule != gr.rule)
              continue;
            for (auto [i, b] : llvm::enumerate(r2.body))
              if (plans[r2.rule].valueAtom[i])
                out.push_back(b);
          }
      }
    };
    // One flat stack of pending inputs for the whole search: a frame is an
    // atom and where its inputs start; a child's inputs sit above its
    // parent's and are used up first. (A vector per frame cost a heap
    // allocation per atom: attention reaches a million.)
    struct Frame {
      int atom;
      size_t inputs;
    };
    std::vector<Frame> frames;
    std::vector<int> pending;
    auto push = [&](int a) {
      state[a] = Active;
      size_t start = pending.size();
      inputsOf(a, pending);
      std::reverse(pending.begin() + start, pending.end());
      frames.push_back({a, start});
    };
    auto nextRoot = [&, q = size_t(0)]() mutable {
      while (q < sampleNet.queryAtoms.size()) {
        int root = sampleNet.queryAtoms[q++];
        if (root >= 0 && state[root] == Unseen)
          return root;
      }
      while (!membersToReach.empty()) {
        int m = membersToReach.back();
        membersToReach.pop_back();
        if (state[m] == Unseen)
          return m;
      }
      return -1;
    };
    for (int root = nextRoot(); root >= 0; root = nextRoot()) {
      push(root);
      while (!frames.empty()) {
        Frame &frame = frames.back();
        if (pending.size() == frame.inputs) {
          int a = frame.atom;
          state[a] = Done;
          if (auto it = groupsExpandedBy.find(a); it != groupsExpandedBy.end())
            for (int g : it->second)
              groupInputsDone[g] = true;
          sampleNet.order.push_back(a);
          frames.pop_back();
          continue;
        }
        int next = pending.back();
        pending.pop_back();
        if (state[next] == Done)
          continue;
        if (state[next] == Active) {
          error = "the ground network has a cycle through " +
                  sampleNet.atomText(model, next) +
                  "; recursive rules must not derive an atom from itself";
          return failure();
        }
        push(next);
      }
    }

    // Aggregation neurons: the distinct (atom, rule) pairs; an atom's
    // ground rules are grouped by rule.
    size_t aggregations = 0;
    for (int a : sampleNet.order) {
      const GroundAtom &atom = n.atoms[a];
      if (atom.groundRules.empty() || atom.isFact)
        ++sampleNet.stats.factAtoms;
      if (!atom.groundRules.empty())
        ++sampleNet.stats.derivedAtoms;
      sampleNet.stats.ruleNeurons += atom.groundRules.size();
      int lastRule = -1;
      for (int g : atom.groundRules)
        if (int r = n.rules[g].rule; r != lastRule) {
          ++aggregations;
          lastRule = r;
        }
    }
    sampleNet.stats.aggregationNeurons = aggregations;
    sampleNet.stats.groundRules = n.rules.size();
    return success();
  }

  LogicalResult ground(const Sample &sample, GroundNetwork &network,
                       std::string &error) {
    network = GroundNetwork();
    bool reuse =
        sample.facts && sample.facts.get() == cachedFacts && cachedGraph;
    if (!reuse) {
      cachedGraph = std::make_shared<GroundGraph>();
      cachedFacts = sample.facts.get();
      graph = cachedGraph.get();
      groundFacts(sample);
      computeGroups();
    }
    graph = cachedGraph.get();
    network.graph = cachedGraph;

    for (const Query &q : sample.queries) {
      int atom = -1;
      if (q.relation < int(tables.size())) {
        int row = tables[q.relation].find(q.terms.data());
        if (row >= 0)
          atom = tables[q.relation].atoms[row];
      }
      network.queryAtoms.push_back(atom);
    }
    return orderNetwork(network, error);
  }

  /// Grounds every rule on the template's and the sample's facts.
  void groundFacts(const Sample &sample) {
    groundRuleByKey.clear();
    // Tables are reused across samples: clearing keeps their buckets.
    tables.resize(model.relations.size());
    for (auto [i, rel] : llvm::enumerate(model.relations)) {
      Table &t = tables[i];
      t.arity = rel.arity;
      t.tuples.clear();
      t.atoms.clear();
      t.dense = true;
      t.rowsByHash.clear();
      for (auto &[mask, index] : t.indexes) {
        index.rows.clear();
        index.indexedUpTo = 0;
      }
    }

    views.resize(tables.size());
    for (size_t r = 0; r < tables.size(); ++r)
      refreshView(r);
    for (const FactModel &f : model.facts)
      addFact(f.relation, f.terms, f.value, f.weight);
    if (sample.facts)
      for (const SampleFact &f : *sample.facts)
        if (f.relation < int(tables.size()))
          addFact(f.relation, f.terms, f.value, -1);
    if (domainRelation >= 0) {
      // Every constant of the facts, in order of first appearance.
      auto addDomain = [&](const std::vector<Const> &terms) {
        for (Const c : terms)
          addFact(domainRelation, {c}, Tensor::scalar(1.0), -1);
      };
      for (const FactModel &f : model.facts)
        addDomain(f.terms);
      if (sample.facts)
        for (const SampleFact &f : *sample.facts)
          addDomain(f.terms);
    }

    for (size_t begin = 0; begin < model.rules.size();) {
      size_t end = begin + 1;
      int comp = model.relations[model.rules[begin].head].component;
      while (end < model.rules.size() &&
             model.relations[model.rules[end].head].component == comp)
        ++end;
      groundComponent(begin, end);
      begin = end;
    }
  }
};

Grounder::Grounder(const TemplateModel &model)
    : impl(std::make_unique<Impl>(model, nullptr)) {}
Grounder::Grounder(const TemplateModel &model,
                   std::shared_ptr<const GroundingCode> code)
    : impl(std::make_unique<Impl>(model, std::move(code))) {}
Grounder::~Grounder() = default;

LogicalResult Grounder::ground(const Sample &sample, GroundNetwork &network,
                               std::string &error) {
  return impl->ground(sample, network, error);
}

LogicalResult
mlir::nlogic::runtime::groundDataset(Grounder &grounder, const Dataset &dataset,
                                     std::vector<GroundNetwork> &networks,
                                     std::string &error) {
  networks.resize(dataset.samples.size());
  for (auto [sample, net] : llvm::zip(dataset.samples, networks))
    if (failed(grounder.ground(sample, net, error))) {
      error = "sample " + sample.id + ": " + error;
      return failure();
    }
  return success();
}

//===----------------------------------------------------------------------===//
// Callbacks of compiled join plans (GroundingABI.h)
//===----------------------------------------------------------------------===//

static Grounder::Impl &grounderOf(nlogic_ground_context *ctx) {
  return *static_cast<Grounder::Impl *>(ctx->grounder);
}

static Const constOf(uint64_t bits) {
  Const c;
  static_assert(sizeof(Const) == sizeof(uint64_t));
  std::memcpy(&c, &bits, sizeof(bits));
  return c;
}

// The undefined term of integer arithmetic on names (see the rel dialect).
static constexpr uint64_t kUndefinedTerm = 0x7fffffffffffffffull;

extern "C" int64_t nlogic_ground_lookup(nlogic_ground_context *ctx,
                                        int64_t depth, int64_t relation,
                                        const uint64_t *key, int64_t mask,
                                        int64_t atom, const int64_t **rows) {
  Grounder::Impl &g = grounderOf(ctx);
  Table &table = g.tables[relation];
  int64_t lo = ctx->ranges[2 * atom];
  int64_t hi = std::min<int64_t>(ctx->ranges[2 * atom + 1], table.size());
  if (size_t(depth) >= g.lookupRows.size())
    g.lookupRows.resize(depth + 1);
  std::vector<int64_t> &out = g.lookupRows[depth];
  out.clear();
  *rows = out.data();
  if (lo >= hi)
    return 0;
  const Const *values = reinterpret_cast<const Const *>(key);
  Table::Index &index = table.indexFor(uint32_t(mask));
  index.rows.find(
      Table::maskedHash(values, uint32_t(mask), table.arity), [&](int r) {
        if (r < lo || r >= hi)
          return false;
        const Const *row = table.row(r);
        bool match = true;
        for (int pos = 0; pos < table.arity && match; ++pos)
          match = !(mask & (int64_t(1) << pos)) || row[pos] == values[pos];
        if (match)
          out.push_back(r);
        return false;
      });
  std::sort(out.begin(), out.end());
  *rows = out.data();
  return out.size();
}

extern "C" int64_t nlogic_ground_contains(nlogic_ground_context *ctx,
                                          int64_t relation,
                                          const uint64_t *tuple) {
  return grounderOf(ctx).tables[relation].find(
             reinterpret_cast<const Const *>(tuple)) >= 0;
}

extern "C" int64_t nlogic_ground_compare(nlogic_ground_context *ctx,
                                         int64_t kind, uint64_t lhs,
                                         uint64_t rhs) {
  if (lhs == kUndefinedTerm || rhs == kUndefinedTerm)
    return 0;
  Const terms[2] = {constOf(lhs), constOf(rhs)};
  return grounderOf(ctx).holds(ConstraintKind(kind), terms);
}

extern "C" void nlogic_ground_emit(nlogic_ground_context *ctx, int64_t rule,
                                   const uint64_t *head, const int64_t *rows) {
  Grounder::Impl &g = grounderOf(ctx);
  const RuleModel &r = g.model.rules[rule];
  llvm::SmallVector<Const, 8> terms;
  for (size_t i = 0; i < r.headTerms.size(); ++i) {
    if (head[i] == kUndefinedTerm)
      return;
    terms.push_back(constOf(head[i]));
  }
  for (size_t i = 0; i < r.atoms.size(); ++i)
    g.rowChosen[i] = int(rows[i]);
  g.emitGroundRule(int(rule), terms);
}
