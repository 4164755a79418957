//===- CompiledEngine.cpp - JIT-compiled kernels over ground tables -------===//
//
// Layout of a batch (see docs/Compiler.md):
// * every atom the batch's queries reach gets an offset in the value arena
//   (samples that share a knowledge-base graph share its atoms); the
//   accumulator, gradient and aggregate arenas use the same offsets;
// * fact values are written once; kernels only ever write derived atoms;
// * per rule, one segment per head atom it derives (in the order atoms were
//   placed, so dependencies come first) with that atom's substitutions as
//   consecutive rows of body-atom offsets.
// Evaluation runs the rule and relation kernels in a dependency order fixed
// at creation; backward runs the backward kernels in the reverse order.
//
//===----------------------------------------------------------------------===//

#include "nlogic/Runtime/CompiledEngine.h"

#include "nlogic/Compiler/Pipeline.h"
#include "nlogic/Dialect/NLogic/IR/NLogicOps.h"

#include "nlogic/Runtime/HostCode.h"

#include "ContractionTiles.h"

#include "mlir/ExecutionEngine/CRunnerUtils.h"
#include "llvm/ExecutionEngine/Orc/LLJIT.h"

#include "llvm/ADT/DenseSet.h"
#include <cmath>
#include <cstring>

#include <map>
#include <numeric>

using namespace mlir;
using namespace mlir::nlogic;
using namespace mlir::nlogic::runtime;

/// The compiler's tiling of each rule (4 int32 per rule; none without).
static std::vector<TilingForm> tilingForms(const int32_t *table,
                                           size_t numRules) {
  std::vector<TilingForm> forms(numRules);
  for (size_t k = 0; table && k < numRules; ++k)
    forms[k] = {table[4 * k], table[4 * k + 1], table[4 * k + 2],
                table[4 * k + 3]};
  return forms;
}

namespace {

using Arena = nlogic_arena;
using IndexArena = nlogic_index_arena;
static_assert(sizeof(nlogic_arena) == sizeof(StridedMemRefType<double, 1>),
              "the C ABI's descriptor is MLIR's");

// The C interface of the kernels (`_mlir_ciface_<prefix>_...`), as
// nlogic/Runtime/KernelTable.h declares it. For a softmax rule `n` counts
// groups of segments.
using RuleForwardFn = nlogic_rule_forward_fn;
using RuleBackwardFn = nlogic_rule_backward_fn;
using RelationForwardFn = nlogic_relation_forward_fn;
using RelationBackwardFn = nlogic_relation_backward_fn;

Arena descriptor(std::vector<double> &v) {
  return {v.data(), v.data(), 0, int64_t(v.size()), 1};
}
IndexArena descriptor(std::vector<int32_t> &v) {
  return {v.data(), v.data(), 0, int64_t(v.size()), 1};
}

/// `count` records of `width` elements from record `first` on.
IndexArena descriptor(std::vector<int32_t> &v, int64_t first, int64_t count,
                      int64_t width) {
  int32_t *data = v.data() + first * width;
  return {data, data, 0, count * width, 1};
}

struct RuleTable {
  std::vector<int32_t> segments; // begin, end, head offset, aggregate offset
  std::vector<int32_t> index;    // body atom offsets, one row per ground rule
  std::vector<int32_t> groups;   // softmax: first and end segment per group
  std::vector<int32_t> tiles;    // register tiles (ContractionTiles.h)
  int64_t numSegments = 0;
  int32_t numRows = 0;
  /// Recursive rules: segments of recursion level L are
  /// [levelStart[L-1], levelStart[L]).
  std::vector<int64_t> levelStart;
};

struct Batch {
  std::vector<double> values, acc, aggs, dvalues, dacc;
  std::vector<RuleTable> rules;                   // per rule
  std::vector<std::vector<int32_t>> derivedAtoms; // per relation
  /// What relation kernels take: runs of consecutive atoms (first offset,
  /// count), per relation; one run per atom of a recursive relation, so
  /// that relationLevelStart counts runs too.
  std::vector<std::vector<int32_t>> atomRuns;
  /// Recursive relations: atoms of level L are
  /// derivedAtoms[levelStart[L-1], levelStart[L]).
  std::vector<std::vector<int64_t>> relationLevelStart;
  std::vector<int> componentLevels; // per schedule step: recursion depth
  std::vector<std::pair<int32_t, int>> weightFacts; // value offset, weight
  /// Per sample, per query: value offset (or -1) and relation.
  std::vector<std::vector<std::pair<int64_t, int>>> queries;
  std::vector<bool> used;
};

/// The rules and the relations of one strongly connected component of the
/// relation graph, run together; a recursive component runs level by level
/// (an atom's level is one more than that of the atoms of the component it
/// depends on).
struct Step {
  std::vector<int> rules, relations;
  bool recursive = false;
};

class CompiledEngine : public Engine {
public:
  CompiledEngine(const TemplateModel &model,
                 std::vector<std::pair<int64_t, int64_t>> shapes,
                 std::vector<int64_t> aggregateSizes,
                 std::vector<TilingForm> tiling, int64_t numParameters,
                 std::unique_ptr<llvm::orc::LLJIT> jit)
      : model(model), shapes(std::move(shapes)),
        aggregateSizes(std::move(aggregateSizes)), tiling(std::move(tiling)),
        numParameters(numParameters), jit(std::move(jit)) {
    used.assign(model.weights.size(), false);
    int64_t offset = 0;
    for (const WeightModel &w : model.weights) {
      paramOffsets.push_back(offset);
      offset += w.rows * w.cols;
    }
    flatParams.assign(offset, 0.0);
    flatGrads.assign(offset, 0.0);
  }

  /// Kernels from the JIT, or from an ahead-of-time object's table.
  LogicalResult linkJit(std::string &error);
  LogicalResult linkTable(const nlogic_kernel_table &table, std::string &error);
  /// Orders the template's components (after linking).
  LogicalResult buildSchedule(std::string &error);
  /// Calls `rule(k, call)` and `relation(j, atoms, count)` for every
  /// component and recursion level of the batch, in evaluation order or,
  /// for `backward`, in reverse.
  template <typename RuleFn, typename RelationFn>
  void runSchedule(Batch &batch, bool backward, RuleFn rule,
                   RelationFn relation);
  FailureOr<int> layout(ArrayRef<const GroundNetwork *> nets,
                        std::string &error);

  FailureOr<int> addBatch(ArrayRef<const GroundNetwork *> nets,
                          std::string &error) override {
    return layout(nets, error);
  }

  std::vector<std::vector<Tensor>> forward(int batch,
                                           const Parameters &params) override;
  void backward(int batch, const Parameters &params,
                const std::vector<std::vector<Tensor>> &dOutputs,
                std::vector<Tensor> &grads) override;
  const std::vector<bool> &usedWeights() const override { return used; }
  void clearUsedWeights() override { used.assign(used.size(), false); }
  llvm::StringRef name() const override { return "compiled"; }
  std::string describeLayout() const override;
  void optimizerStep(Optimizer &opt, Parameters &params,
                     const std::vector<Tensor> &grads) override;

private:
  int64_t relationSize(int r) const {
    return shapes[r].first * shapes[r].second;
  }

  const TemplateModel &model;
  std::vector<std::pair<int64_t, int64_t>> shapes;
  std::vector<int64_t> aggregateSizes;
  std::vector<TilingForm> tiling; // per rule
  /// Per rule, over all batches: tiles of 16 lanes and of one, the rows
  /// the tiles compute of all rows, and the rows of the wide tiles' whole
  /// blocks (those of a packed panel) and how many of them are packed (the
  /// rest are reused from the previous wide tile's panel).
  struct TileCounts {
    int64_t wide = 0, oneLane = 0, tiledRows = 0, rows = 0;
    int64_t panelRows = 0, packedRows = 0;
  };
  std::vector<TileCounts> tileCounts;
  int64_t numParameters;
  /// Links the kernels' object code into the process (null for AOT).
  std::unique_ptr<llvm::orc::LLJIT> jit;
  std::vector<RuleForwardFn> ruleForward;
  std::vector<RuleBackwardFn> ruleBackward;
  std::vector<RelationForwardFn> relationForward;
  std::vector<RelationBackwardFn> relationBackward;
  nlogic_sgd_step_fn sgdStep = nullptr;
  nlogic_adam_step_fn adamStep = nullptr;
  // The compiled optimizer's state: Adam's moments and step count, and
  // which elements a step updates.
  std::vector<double> adamM, adamV, stepMask;
  int64_t adamT = 0;
  std::vector<Step> schedule;
  std::vector<int64_t> paramOffsets;
  std::vector<double> flatParams, flatGrads;
  std::vector<Batch> batches;
  std::vector<bool> used;
};

} // namespace

LogicalResult CompiledEngine::linkJit(std::string &error) {
  if (numParameters != int64_t(flatParams.size())) {
    error = "the kernels' parameter layout differs from the runtime's";
    return failure();
  }
  auto lookup = [&](const std::string &name, void *&fn) {
    auto sym = jit->lookup("_mlir_ciface_nlogic_" + name);
    if (!sym) {
      error = "missing kernel " + name + ": " + llvm::toString(sym.takeError());
      return false;
    }
    fn = sym->toPtr<void *>();
    return true;
  };
  size_t numRules = model.rules.size();
  ruleForward.resize(numRules);
  ruleBackward.resize(numRules);
  for (size_t k = 0; k < numRules; ++k) {
    void *f, *b;
    std::string n = "rule" + std::to_string(k);
    if (!lookup(n + "_forward", f) || !lookup(n + "_backward", b))
      return failure();
    ruleForward[k] = reinterpret_cast<RuleForwardFn>(f);
    ruleBackward[k] = reinterpret_cast<RuleBackwardFn>(b);
  }
  relationForward.assign(model.relations.size(), nullptr);
  relationBackward.assign(model.relations.size(), nullptr);
  for (size_t j = 0; j < model.relations.size(); ++j) {
    if (!model.relations[j].derived)
      continue;
    void *f, *b;
    std::string n = "relation" + std::to_string(j);
    if (!lookup(n + "_forward", f) || !lookup(n + "_backward", b))
      return failure();
    relationForward[j] = reinterpret_cast<RelationForwardFn>(f);
    relationBackward[j] = reinterpret_cast<RelationBackwardFn>(b);
  }
  void *sgd, *adam;
  if (!lookup("sgd_step", sgd) || !lookup("adam_step", adam))
    return failure();
  sgdStep = reinterpret_cast<nlogic_sgd_step_fn>(sgd);
  adamStep = reinterpret_cast<nlogic_adam_step_fn>(adam);
  return success();
}

LogicalResult CompiledEngine::linkTable(const nlogic_kernel_table &table,
                                        std::string &error) {
  size_t numDeclared = table.num_relations;
  auto mismatch = [&](const std::string &what) {
    error = "the compiled model does not match the template: " + what;
    return failure();
  };
  if (table.num_rules != int64_t(model.rules.size()))
    return mismatch(std::to_string(table.num_rules) +
                    " rules, the template "
                    "has " +
                    std::to_string(model.rules.size()));
  if (numDeclared > model.relations.size())
    return mismatch("more relations than the template declares");
  if (table.num_weights != int64_t(model.weights.size()) ||
      table.num_parameters != int64_t(flatParams.size()))
    return mismatch("different weights");
  for (size_t w = 0; w < model.weights.size(); ++w)
    if (table.parameter_offsets[w] != paramOffsets[w] ||
        model.weights[w].name != table.weight_names[w])
      return mismatch("weight " + model.weights[w].name);
  for (size_t j = 0; j < numDeclared; ++j)
    if (model.relations[j].derived != (table.relation_forward[j] != nullptr))
      return mismatch("relation " + model.relations[j].display());
  ruleForward.assign(table.rule_forward, table.rule_forward + table.num_rules);
  ruleBackward.assign(table.rule_backward,
                      table.rule_backward + table.num_rules);
  relationForward.assign(model.relations.size(), nullptr);
  relationBackward.assign(model.relations.size(), nullptr);
  for (size_t j = 0; j < numDeclared; ++j) {
    relationForward[j] = table.relation_forward[j];
    relationBackward[j] = table.relation_backward[j];
  }
  sgdStep = table.sgd_step;
  adamStep = table.adam_step;
  return success();
}

LogicalResult CompiledEngine::buildSchedule(std::string &error) {
  // Components in dependency order: one runs once every derived relation
  // its rules read outside itself is final.
  std::map<int, Step> components;
  for (auto [k, rule] : llvm::enumerate(model.rules)) {
    Step &c = components[model.relations[rule.head].component];
    c.rules.push_back(k);
    c.recursive |= rule.recursive;
  }
  for (auto [j, rel] : llvm::enumerate(model.relations))
    if (rel.derived)
      components[rel.component].relations.push_back(j);
  std::vector<bool> relDone(model.relations.size());
  for (size_t j = 0; j < model.relations.size(); ++j)
    relDone[j] = !model.relations[j].derived;
  while (!components.empty()) {
    bool progress = false;
    for (auto it = components.begin(); it != components.end();) {
      int id = it->first;
      Step &c = it->second;
      bool ready = llvm::all_of(c.rules, [&](int k) {
        return llvm::all_of(model.rules[k].atoms, [&](const BodyAtom &a) {
          return relDone[a.relation] ||
                 model.relations[a.relation].component == id;
        });
      });
      if (!ready) {
        ++it;
        continue;
      }
      for (int j : c.relations)
        relDone[j] = true;
      schedule.push_back(std::move(c));
      it = components.erase(it);
      progress = true;
    }
    if (!progress) {
      error = "the compiled engine cannot order the template's components";
      return failure();
    }
  }
  return success();
}

FailureOr<int> CompiledEngine::layout(ArrayRef<const GroundNetwork *> nets,
                                      std::string &error) {
  Batch batch;
  std::map<const GroundGraph *, std::vector<int64_t>> offsets;
  // (graph, atom) in placement order.
  std::vector<std::pair<const GroundGraph *, int>> placed;
  std::vector<const GroundGraph *> graphs;
  int64_t next = 0;
  for (const GroundNetwork *net : nets) {
    const GroundGraph *graph = net->graph.get();
    std::vector<int64_t> &offs = offsets[graph];
    if (offs.empty()) {
      offs.assign(graph->atoms.size(), -1);
      graphs.push_back(graph);
    }
    auto place = [&](int a) {
      int r = graph->atoms[a].relation;
      if (r >= int(shapes.size())) {
        error = "an atom of a relation the template does not declare";
        return false;
      }
      offs[a] = next;
      next += relationSize(r);
      placed.push_back({graph, a});
      return true;
    };
    for (int a : net->order) {
      if (offs[a] >= 0)
        continue;
      if (!place(a))
        return failure();
      // The other members of a's softmax groups go right after it: a Dot
      // tile needs a group's heads consecutive, and in the order the first
      // group's members are interleaved with other inputs of the rule that
      // reads them (attention's v(J) between weights(0, J) and
      // weights(0, J + 1)). Placement is not evaluation order: the levels
      // below follow the networks' orders.
      int lastRule = -1;
      for (int gr : graph->atoms[a].groundRules) {
        int k = graph->rules[gr].rule;
        if (k == lastRule || model.rules[k].aggregation != Aggregation::softmax)
          continue;
        lastRule = k;
        auto it = graph->groupOf.find({a, k});
        if (it == graph->groupOf.end())
          continue;
        for (int m : graph->groups[it->second].members)
          if (offs[m] < 0 && !place(m))
            return failure();
      }
    }
  }
  if (next > INT32_MAX) {
    error = "the batch is too large for 32-bit offsets; use a smaller "
            "--batch-size";
    return failure();
  }
  batch.values.assign(next, 0.0);
  batch.acc.assign(next, 0.0);
  batch.dvalues.assign(next, 0.0);
  batch.dacc.assign(next, 0.0);
  batch.derivedAtoms.resize(model.relations.size());
  batch.rules.resize(model.rules.size());
  batch.used.assign(model.weights.size(), false);

  // The rule of each ground rule, densely: the loops below ask it of every
  // placed atom's ground rules, and GroundRule records are 40 bytes apart
  // (a cache miss each on attention's million ground rules).
  std::map<const GroundGraph *, std::vector<int32_t>> ruleOfGroundRule;
  for (const GroundGraph *g : graphs) {
    std::vector<int32_t> &ruleOf = ruleOfGroundRule[g];
    ruleOf.reserve(g->rules.size());
    for (const GroundRule &gr : g->rules)
      ruleOf.push_back(gr.rule);
  }

  // Recursion levels of the atoms of recursive relations, in the networks'
  // evaluation orders (which put dependencies first; placement may not).
  std::map<const GroundGraph *, std::vector<int>> levels;
  for (const GroundGraph *g : graphs)
    levels[g].assign(g->atoms.size(), 0);
  // (Only templates with recursive rules have any: the pass is skipped
  // otherwise.)
  bool anyRecursive = llvm::any_of(
      model.rules, [](const RuleModel &rule) { return rule.recursive; });
  auto setLevel = [&](const GroundGraph *graph, int a) {
    const GroundAtom &atom = graph->atoms[a];
    const std::vector<int32_t> &ruleOf = ruleOfGroundRule[graph];
    int comp = model.relations[atom.relation].component;
    bool recursive = llvm::any_of(atom.groundRules, [&](int gr) {
      return model.rules[ruleOf[gr]].recursive;
    });
    if (atom.groundRules.empty() || !recursive)
      return;
    std::vector<int> &levelOf = levels[graph];
    int level = 1;
    for (int gr : atom.groundRules)
      for (int b : graph->rules[gr].body)
        if (model.relations[graph->atoms[b].relation].component == comp)
          level = std::max(level, levelOf[b] + 1);
    levelOf[a] = level;
  };
  for (const GroundNetwork *net : nets) {
    if (!anyRecursive)
      break; // no atom has a level above 1
    for (int a : net->order)
      setLevel(net->graph.get(), a);
  }

  int64_t aggNext = 0;
  std::vector<std::vector<int>> segmentLevels(model.rules.size());
  // One segment: the ground rules of `atom` for rule k (consecutive, since
  // an atom's ground rules are grouped by rule).
  auto addSegment = [&](const GroundGraph *graph, int a, int k) {
    const GroundAtom &atom = graph->atoms[a];
    const std::vector<int64_t> &offs = offsets[graph];
    const std::vector<int32_t> &ruleOf = ruleOfGroundRule[graph];
    RuleTable &table = batch.rules[k];
    int32_t begin = table.numRows, rows = 0;
    for (int gr : atom.groundRules) {
      if (ruleOf[gr] != k)
        continue;
      ++rows;
      // Atoms outside the reached order only join (hidden literals): the
      // kernels never read their values.
      for (int b : graph->rules[gr].body)
        table.index.push_back(int32_t(std::max<int64_t>(0, offs[b])));
    }
    table.numRows += rows;
    table.segments.insert(
        table.segments.end(),
        {begin, begin + rows, int32_t(offs[a]), int32_t(aggNext)});
    segmentLevels[k].push_back(levels[graph][a]);
    aggNext += aggregateSizes[k];
    ++table.numSegments;
  };

  for (auto [graph, a] : placed) {
    const GroundAtom &atom = graph->atoms[a];
    int64_t off = offsets[graph][a];
    int r = atom.relation;
    if (atom.groundRules.empty()) {
      if (atom.factWeight >= 0) {
        batch.weightFacts.push_back({int32_t(off), atom.factWeight});
        batch.used[atom.factWeight] = true;
        continue;
      }
      if (atom.factValue.size() != relationSize(r)) {
        error = "a fact of " + model.relations[r].display() + " has " +
                std::to_string(atom.factValue.size()) +
                " elements where the compiled template expects " +
                std::to_string(relationSize(r));
        return failure();
      }
      std::copy(atom.factValue.data.begin(), atom.factValue.data.end(),
                batch.values.begin() + off);
      continue;
    }
    batch.derivedAtoms[r].push_back(int32_t(off));
    if (model.relations[r].offsetWeight >= 0)
      batch.used[model.relations[r].offsetWeight] = true;
    int last = -1;
    const std::vector<int32_t> &ruleOf = ruleOfGroundRule[graph];
    for (int gr : atom.groundRules) {
      int k = ruleOf[gr];
      if (k == last || model.rules[k].aggregation == Aggregation::softmax)
        continue;
      last = k;
      addSegment(graph, a, k);
    }
  }

  // Softmax rules: the members of each group are consecutive segments.
  for (auto [k, rule] : llvm::enumerate(model.rules)) {
    if (rule.aggregation != Aggregation::softmax)
      continue;
    RuleTable &table = batch.rules[k];
    for (const GroundGraph *graph : graphs)
      for (const SoftmaxGroup &group : graph->groups) {
        if (group.rule != int(k))
          continue;
        const std::vector<int64_t> &offs = offsets[graph];
        auto isPlaced = [&](int m) { return offs[m] >= 0; };
        if (llvm::none_of(group.members, isPlaced))
          continue;
        // The grounder's order reaches whole groups (and, transitively,
        // the groups of their members' other softmax rules).
        if (!llvm::all_of(group.members, isPlaced)) {
          error = "internal error: a softmax group is only partly in the "
                  "evaluation order";
          return failure();
        }
        int32_t first = table.numSegments;
        for (int m : group.members)
          addSegment(graph, m, k);
        table.groups.insert(table.groups.end(),
                            {first, int32_t(table.numSegments)});
      }
  }
  batch.aggs.assign(aggNext, 0.0);

  // Register tiles of the product rules the kernels tile.
  tileCounts.resize(model.rules.size());
  for (auto [k, table] : llvm::enumerate(batch.rules)) {
    if (table.numRows == 0 || tiling[k].kind == NLOGIC_TILING_NONE)
      continue;
    table.tiles =
        buildTiles(tiling[k], table.segments, table.index, table.groups,
                   int(table.index.size() / table.numRows));
    // A Scale tile covers `rows` of each lane; a Dot tile's lanes say how
    // many rows each owns.
    TileCounts &c = tileCounts[k];
    c.rows += table.numRows;
    int32_t previousWhole = 0;
    for (size_t t = 0; t < table.tiles.size(); t += NLOGIC_TILE_RECORD) {
      int32_t lanes = table.tiles[t];
      if (lanes == NLOGIC_TILE_LANES) {
        int32_t rows = table.tiles[t + 1], reused = table.tiles[t + 4];
        int32_t whole = rows / NLOGIC_TILE_ROW_BLOCK * NLOGIC_TILE_ROW_BLOCK;
        c.panelRows += whole;
        c.packedRows += whole - std::min({reused, previousWhole, whole});
        previousWhole = whole;
      }
      ++(lanes == NLOGIC_TILE_LANES ? c.wide : c.oneLane);
      for (int32_t m = 0; m < lanes; ++m)
        c.tiledRows += tiling[k].kind == NLOGIC_TILING_SCALE
                           ? table.tiles[t + 1]
                           : table.tiles[t + NLOGIC_TILE_HEADER + 1 + 2 * m];
    }
  }

  // Recursive components run level by level: order their segments and
  // atoms by level.
  batch.relationLevelStart.resize(model.relations.size());
  for (const Step &step : schedule) {
    int maxLevel = 1;
    if (step.recursive) {
      for (int k : step.rules)
        for (int l : segmentLevels[k])
          maxLevel = std::max(maxLevel, l);
      for (int k : step.rules) {
        RuleTable &t = batch.rules[k];
        std::vector<int64_t> order(t.numSegments);
        std::iota(order.begin(), order.end(), 0);
        // By level, then in placement order (std::sort with the index as
        // tie-break: a stable order without a temporary buffer).
        llvm::sort(order, [&](int64_t x, int64_t y) {
          return std::make_pair(segmentLevels[k][x], x) <
                 std::make_pair(segmentLevels[k][y], y);
        });
        std::vector<int32_t> sorted;
        for (int64_t i : order)
          sorted.insert(sorted.end(), t.segments.begin() + 4 * i,
                        t.segments.begin() + 4 * i + 4);
        t.segments = std::move(sorted);
        t.levelStart.assign(maxLevel + 1, 0);
        for (int l : segmentLevels[k])
          ++t.levelStart[l];
        for (int l = 1; l <= maxLevel; ++l)
          t.levelStart[l] += t.levelStart[l - 1];
      }
      for (int j : step.relations) {
        std::vector<int32_t> &atoms = batch.derivedAtoms[j];
        // Offsets grow in placement order: (level, offset) is stable.
        std::vector<std::pair<int, int32_t>> byLevel;
        for (auto [graph, a] : placed)
          if (graph->atoms[a].relation == j &&
              !graph->atoms[a].groundRules.empty())
            byLevel.push_back({levels[graph][a], int32_t(offsets[graph][a])});
        llvm::sort(byLevel);
        atoms.clear();
        std::vector<int64_t> &starts = batch.relationLevelStart[j];
        starts.assign(maxLevel + 1, 0);
        for (auto [l, off] : byLevel) {
          atoms.push_back(off);
          ++starts[l];
        }
        for (int l = 1; l <= maxLevel; ++l)
          starts[l] += starts[l - 1];
      }
    }
    batch.componentLevels.push_back(maxLevel);
  }

  batch.atomRuns.resize(model.relations.size());
  for (auto [j, atoms] : llvm::enumerate(batch.derivedAtoms)) {
    std::vector<int32_t> &runs = batch.atomRuns[j];
    bool byLevel = !batch.relationLevelStart[j].empty();
    int32_t size = int32_t(relationSize(j));
    for (int32_t off : atoms) {
      if (!byLevel && !runs.empty() &&
          runs[runs.size() - 2] + runs.back() * size == off) {
        ++runs.back();
        continue;
      }
      runs.insert(runs.end(), {off, 1});
    }
  }

  // The weights each batch depends on.
  for (auto [k, table] : llvm::enumerate(batch.rules)) {
    if (table.numSegments == 0)
      continue;
    const RuleModel &rule = model.rules[k];
    if (rule.headWeight >= 0)
      batch.used[rule.headWeight] = true;
    for (const MapInstr &instr : rule.program)
      if (instr.weight >= 0)
        batch.used[instr.weight] = true;
  }

  for (const GroundNetwork *net : nets) {
    std::vector<std::pair<int64_t, int>> qs;
    for (int q : net->queryAtoms)
      qs.push_back(q >= 0 ? std::make_pair(offsets[net->graph.get()][q],
                                           net->atoms()[q].relation)
                          : std::make_pair(int64_t(-1), -1));
    batch.queries.push_back(std::move(qs));
  }
  batches.push_back(std::move(batch));
  return int(batches.size() - 1);
}

std::string CompiledEngine::describeLayout() const {
  std::string text;
  llvm::raw_string_ostream os(text);
  for (auto [k, c] : llvm::enumerate(tileCounts)) {
    if (c.rows == 0)
      continue;
    os << "register tiles of rule " << k << " ("
       << model.relations[model.rules[k].head].display() << ", "
       << (tiling[k].kind == NLOGIC_TILING_DOT ? "dot products"
                                               : "scaled vectors")
       << "): " << c.wide << " of " << NLOGIC_TILE_LANES << " lanes, "
       << c.oneLane << " of one; " << c.tiledRows << " of " << c.rows
       << " rows; packed panels: " << c.packedRows << " of " << c.panelRows
       << " rows\n";
  }
  return text;
}

/// The records of recursion level `level` (all of them without levels).
static std::pair<int64_t, int64_t>
levelRange(const std::vector<int64_t> &starts, int level, int64_t total) {
  if (starts.empty())
    return {0, total};
  return {starts[level - 1], starts[level] - starts[level - 1]};
}

/// Segments [first, first + count) of rule table `t`, as the kernel
/// arguments (for a softmax rule, all of its groups).
struct RuleCall {
  IndexArena segments, index, groups, tiles;
  int64_t n;
};
static RuleCall ruleCall(RuleTable &t, bool softmax, int64_t first,
                         int64_t count) {
  if (softmax)
    return {descriptor(t.segments), descriptor(t.index), descriptor(t.groups),
            descriptor(t.tiles), int64_t(t.groups.size() / 2)};
  return {descriptor(t.segments, first, count, 4), descriptor(t.index),
          descriptor(t.groups), descriptor(t.tiles), count};
}

template <typename RuleFn, typename RelationFn>
void CompiledEngine::runSchedule(Batch &batch, bool backward, RuleFn rule,
                                 RelationFn relation) {
  auto runRule = [&](int k, int level) {
    RuleTable &t = batch.rules[k];
    auto [first, count] = levelRange(t.levelStart, level, t.numSegments);
    if (count == 0)
      return;
    RuleCall c = ruleCall(t, model.rules[k].aggregation == Aggregation::softmax,
                          first, count);
    rule(k, c);
  };
  auto runRelation = [&](int j, int level) {
    std::vector<int32_t> &runs = batch.atomRuns[j];
    auto [first, count] =
        levelRange(batch.relationLevelStart[j], level, runs.size() / 2);
    if (count == 0)
      return;
    IndexArena as = descriptor(runs, first, count, 2);
    relation(j, as, count);
  };
  // Forward: components in order, at each level the rules then the
  // relations; backward: all of it in reverse.
  size_t numSteps = schedule.size();
  for (size_t i = 0; i < numSteps; ++i) {
    size_t s = backward ? numSteps - 1 - i : i;
    const Step &step = schedule[s];
    int levels = batch.componentLevels[s];
    for (int l = 1; l <= levels; ++l) {
      int level = backward ? levels + 1 - l : l;
      if (backward) {
        for (int j : llvm::reverse(step.relations))
          runRelation(j, level);
        for (int k : llvm::reverse(step.rules))
          runRule(k, level);
      } else {
        for (int k : step.rules)
          runRule(k, level);
        for (int j : step.relations)
          runRelation(j, level);
      }
    }
  }
}

std::vector<std::vector<Tensor>>
CompiledEngine::forward(int id, const Parameters &params) {
  Batch &batch = batches[id];
  for (auto [w, p] : llvm::enumerate(params))
    std::copy(p.data.begin(), p.data.end(),
              flatParams.begin() + paramOffsets[w]);
  for (auto [off, w] : batch.weightFacts)
    std::copy(params[w].data.begin(), params[w].data.end(),
              batch.values.begin() + off);
  // Accumulators start at zero, a product relation's at one (its rules
  // multiply their contributions in); a relation that passes its rule's
  // contributions through has its values stored by the rule kernel and
  // uses none (attention's N^2 weights: no 8 MB memset per step at 1024
  // tokens).
  for (auto [r, runs] : llvm::enumerate(batch.atomRuns)) {
    const RelationModel &rel = model.relations[r];
    if (rel.passesThrough)
      continue;
    double start = rel.combination == Combination::product ? 1.0 : 0.0;
    int64_t size = relationSize(r);
    for (size_t i = 0; i + 1 < runs.size(); i += 2)
      std::fill_n(batch.acc.begin() + runs[i], runs[i + 1] * size, start);
  }

  Arena values = descriptor(batch.values), acc = descriptor(batch.acc),
        aggs = descriptor(batch.aggs), ps = descriptor(flatParams);
  runSchedule(
      batch, /*backward=*/false,
      [&](int k, RuleCall &c) {
        ruleForward[k](&values, &acc, &aggs, &ps, &c.segments, &c.index,
                       &c.groups, &c.tiles, c.n);
      },
      [&](int j, IndexArena &atoms, int64_t count) {
        relationForward[j](&values, &acc, &ps, &atoms, count);
      });

  std::vector<std::vector<Tensor>> outputs;
  for (const auto &qs : batch.queries) {
    std::vector<Tensor> out;
    for (auto [off, r] : qs) {
      if (off < 0) {
        out.push_back(Tensor::scalar(0.0));
        continue;
      }
      auto [rows, cols] = shapes[r];
      out.emplace_back(
          rows, cols,
          std::vector<double>(batch.values.begin() + off,
                              batch.values.begin() + off + rows * cols));
    }
    outputs.push_back(std::move(out));
  }
  return outputs;
}

void CompiledEngine::backward(int id, const Parameters &params,
                              const std::vector<std::vector<Tensor>> &dOutputs,
                              std::vector<Tensor> &grads) {
  Batch &batch = batches[id];
  std::fill(batch.dvalues.begin(), batch.dvalues.end(), 0.0);
  // dacc needs no zeroing: each derived atom's relation kernel writes it
  // (once per step) before the rule kernels read it.
  std::fill(flatGrads.begin(), flatGrads.end(), 0.0);
  for (auto [qs, ds] : llvm::zip(batch.queries, dOutputs))
    for (auto [q, d] : llvm::zip(qs, ds)) {
      auto [off, r] = q;
      if (off < 0)
        continue;
      if (d.size() != relationSize(r))
        llvm::report_fatal_error("compiled engine: gradient of a query has "
                                 "the wrong shape");
      for (int64_t e = 0; e < d.size(); ++e)
        batch.dvalues[off + e] += d.data[e];
    }

  Arena values = descriptor(batch.values), acc = descriptor(batch.acc),
        aggs = descriptor(batch.aggs), ps = descriptor(flatParams),
        dvalues = descriptor(batch.dvalues), dacc = descriptor(batch.dacc),
        gs = descriptor(flatGrads);
  runSchedule(
      batch, /*backward=*/true,
      [&](int k, RuleCall &c) {
        ruleBackward[k](&values, &acc, &aggs, &ps, &dvalues, &dacc, &gs,
                        &c.segments, &c.index, &c.groups, &c.tiles, c.n);
      },
      [&](int j, IndexArena &atoms, int64_t count) {
        relationBackward[j](&values, &acc, &ps, &dvalues, &dacc, &gs, &atoms,
                            count);
      });
  for (auto [off, w] : batch.weightFacts)
    for (int64_t e = 0, n = params[w].size(); e < n; ++e)
      flatGrads[paramOffsets[w] + e] += batch.dvalues[off + e];
  for (auto [w, g] : llvm::enumerate(grads))
    for (int64_t e = 0, n = g.size(); e < n; ++e)
      g.data[e] += flatGrads[paramOffsets[w] + e];
  for (auto [u, b] : llvm::zip(used, batch.used))
    u = u || b;
}

void CompiledEngine::optimizerStep(Optimizer &opt, Parameters &params,
                                   const std::vector<Tensor> &grads) {
  size_t n = flatParams.size();
  stepMask.assign(n, 0.0);
  for (auto [w, p] : llvm::enumerate(params)) {
    int64_t base = paramOffsets[w];
    std::copy(p.data.begin(), p.data.end(), flatParams.begin() + base);
    std::copy(grads[w].data.begin(), grads[w].data.end(),
              flatGrads.begin() + base);
    if (used[w] && !model.weights[w].fixed)
      std::fill(stepMask.begin() + base, stepMask.begin() + base + p.size(),
                1.0);
  }
  Arena ps = descriptor(flatParams), gs = descriptor(flatGrads),
        mask = descriptor(stepMask);
  if (opt.getKind() == OptimizerKind::SGD) {
    sgdStep(&ps, &gs, &mask, opt.getLearningRate());
  } else {
    if (adamM.size() != n) {
      adamM.assign(n, 0.0);
      adamV.assign(n, 0.0);
    }
    ++adamT;
    Arena m = descriptor(adamM), v = descriptor(adamV);
    adamStep(&ps, &gs, &mask, &m, &v, opt.getLearningRate(),
             1 - std::pow(0.9, adamT), 1 - std::pow(0.999, adamT));
  }
  for (auto [w, p] : llvm::enumerate(params))
    std::copy(flatParams.begin() + paramOffsets[w],
              flatParams.begin() + paramOffsets[w] + p.size(), p.data.begin());
  clearUsedWeights();
}

/// `7`, `3x3` or `scalar` for the specialize-shapes option.
static std::string dimsText(int64_t rows, int64_t cols) {
  if (rows * cols == 1)
    return "scalar";
  if (cols == 1)
    return std::to_string(rows);
  return std::to_string(rows) + "x" + std::to_string(cols);
}

/// The value shape of every data relation with facts in `nets` (reached by
/// a query or not: kernels are compiled once for all samples).
static LogicalResult
factShapes(const TemplateModel &model, ArrayRef<GroundNetwork> nets,
           size_t numDeclared,
           std::map<int, std::pair<int64_t, int64_t>> &shapes,
           std::string &error) {
  // Samples of a knowledge-base dataset share one graph: read it once.
  llvm::DenseSet<const GroundGraph *> seen;
  for (const GroundNetwork &net : nets) {
    if (!seen.insert(net.graph.get()).second)
      continue;
    for (const GroundAtom &atom : net.atoms()) {
      if (!atom.groundRules.empty() || atom.factWeight >= 0 ||
          atom.relation >= int(numDeclared) ||
          model.relations[atom.relation].derived)
        continue;
      std::pair<int64_t, int64_t> s = {atom.factValue.rows,
                                       atom.factValue.cols};
      auto [it, inserted] = shapes.try_emplace(atom.relation, s);
      if (!inserted &&
          it->second.first * it->second.second != s.first * s.second) {
        error = "the compiled engine needs one value shape per relation, "
                "but facts of " +
                model.relations[atom.relation].display() + " have shapes " +
                dimsText(it->second.first, it->second.second) + " and " +
                dimsText(s.first, s.second);
        return failure();
      }
    }
  }
  return success();
}

FailureOr<std::unique_ptr<Engine>>
runtime::createCompiledEngine(TemplateOp templ, const TemplateModel &model,
                              ArrayRef<GroundNetwork> nets, bool reassociate) {
  size_t numDeclared = llvm::range_size(templ.getRelations());
  std::map<int, std::pair<int64_t, int64_t>> shapes;
  std::string error;
  if (failed(factShapes(model, nets, numDeclared, shapes, error)))
    return templ.emitError() << error << " (run it with --engine reference)";
  CompileOptions options;
  options.reassociate = reassociate;
  for (auto [r, s] : shapes)
    options.shapes.push_back(model.relations[r].symbol + "=" +
                             dimsText(s.first, s.second));

  FailureOr<CompiledTemplate> compiled = compileTemplate(templ, options);
  if (failed(compiled))
    return failure();

  // Object code for the host (cached across runs), linked in by ORC.
  FailureOr<std::unique_ptr<llvm::orc::LLJIT>> jit = loadHostCode(
      *compiled->module, "_mlir_ciface_nlogic_sgd_step", {}, error);
  if (failed(jit))
    return templ.emitError() << error;
  auto engine = std::make_unique<CompiledEngine>(
      model, std::move(compiled->relationShapes),
      std::move(compiled->aggregateSizes),
      tilingForms(compiled->ruleTiling.data(), model.rules.size()),
      compiled->numParameters, std::move(*jit));
  if (failed(engine->linkJit(error)) || failed(engine->buildSchedule(error)))
    return templ.emitError() << error;
  return std::unique_ptr<Engine>(std::move(engine));
}

FailureOr<std::unique_ptr<Engine>> runtime::createCompiledEngine(
    const nlogic_kernel_table &kernels, const TemplateModel &model,
    ArrayRef<GroundNetwork> nets, std::string &error) {
  // The counts first: the arrays are only read once they fit.
  if (kernels.num_rules != int64_t(model.rules.size()) ||
      kernels.num_relations < 0 ||
      kernels.num_relations > int64_t(model.relations.size()) ||
      kernels.num_weights != int64_t(model.weights.size())) {
    error = "the compiled model does not match the template: " +
            std::to_string(kernels.num_rules) + " rules, " +
            std::to_string(kernels.num_relations) + " relations, " +
            std::to_string(kernels.num_weights) +
            " weights; the template has " + std::to_string(model.rules.size()) +
            " rules and " + std::to_string(model.weights.size()) + " weights";
    return failure();
  }
  if (!kernels.rule_forward || !kernels.rule_backward ||
      !kernels.relation_forward || !kernels.relation_backward ||
      !kernels.relation_shapes || !kernels.aggregate_sizes ||
      !kernels.parameter_offsets || !kernels.weight_names ||
      !kernels.rule_tiling || !kernels.sgd_step || !kernels.adam_step) {
    error = "the kernel table is incomplete";
    return failure();
  }
  std::vector<std::pair<int64_t, int64_t>> relationShapes;
  for (int64_t j = 0; j < kernels.num_relations; ++j)
    relationShapes.push_back(
        {kernels.relation_shapes[2 * j], kernels.relation_shapes[2 * j + 1]});
  std::map<int, std::pair<int64_t, int64_t>> shapes;
  if (failed(factShapes(model, nets, kernels.num_relations, shapes, error)))
    return failure();
  for (auto [r, s] : shapes) {
    auto [rows, cols] = relationShapes[r];
    if (rows * cols != s.first * s.second) {
      error = "facts of " + model.relations[r].display() + " have shape " +
              dimsText(s.first, s.second) + ", the model was compiled for " +
              dimsText(rows, cols);
      return failure();
    }
  }
  auto engine = std::make_unique<CompiledEngine>(
      model, std::move(relationShapes),
      std::vector<int64_t>(kernels.aggregate_sizes,
                           kernels.aggregate_sizes + kernels.num_rules),
      tilingForms(kernels.rule_tiling, kernels.num_rules),
      kernels.num_parameters, nullptr);
  if (failed(engine->linkTable(kernels, error)) ||
      failed(engine->buildSchedule(error)))
    return failure();
  return std::unique_ptr<Engine>(std::move(engine));
}
