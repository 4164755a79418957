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

#include "mlir/ExecutionEngine/CRunnerUtils.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "llvm/Support/TargetSelect.h"

#include <cstring>
#include <map>

using namespace mlir;
using namespace mlir::nlogic;
using namespace mlir::nlogic::runtime;

namespace {

using Arena = StridedMemRefType<double, 1>;
using IndexArena = StridedMemRefType<int32_t, 1>;

// The C interface of the kernels (`_mlir_ciface_<prefix>_...`).
using RuleForwardFn = void (*)(Arena *values, Arena *acc, Arena *aggs,
                               Arena *params, IndexArena *segments,
                               IndexArena *index, int64_t numSegments);
using RuleBackwardFn = void (*)(Arena *values, Arena *acc, Arena *aggs,
                                Arena *params, Arena *dvalues, Arena *dacc,
                                Arena *grads, IndexArena *segments,
                                IndexArena *index, int64_t numSegments);
using RelationForwardFn = void (*)(Arena *values, Arena *acc, Arena *params,
                                   IndexArena *atoms, int64_t n);
using RelationBackwardFn = void (*)(Arena *values, Arena *acc, Arena *params,
                                    Arena *dvalues, Arena *dacc, Arena *grads,
                                    IndexArena *atoms, int64_t n);

template <typename T> StridedMemRefType<T, 1> descriptor(std::vector<T> &v) {
  return {v.data(), v.data(), 0, {int64_t(v.size())}, {1}};
}

struct RuleTable {
  std::vector<int32_t> segments; // begin, end, head offset, aggregate offset
  std::vector<int32_t> index;    // body atom offsets, one row per ground rule
  int64_t numSegments = 0;
  int32_t numRows = 0;
};

struct Batch {
  std::vector<double> values, acc, aggs, dvalues, dacc;
  std::vector<RuleTable> rules;                    // per rule
  std::vector<std::vector<int32_t>> derivedAtoms; // per relation
  std::vector<std::pair<int32_t, int>> weightFacts; // value offset, weight
  /// Per sample, per query: value offset (or -1) and relation.
  std::vector<std::vector<std::pair<int64_t, int>>> queries;
  std::vector<bool> used;
};

struct Step {
  bool isRule;
  int id; // rule or relation index
};

class CompiledEngine : public Engine {
public:
  CompiledEngine(const TemplateModel &model, CompiledTemplate compiled,
                 std::unique_ptr<ExecutionEngine> jit)
      : model(model), shapes(std::move(compiled.relationShapes)),
        aggregateSizes(std::move(compiled.aggregateSizes)),
        numParameters(compiled.numParameters), jit(std::move(jit)) {
    used.assign(model.weights.size(), false);
    int64_t offset = 0;
    for (const WeightModel &w : model.weights) {
      paramOffsets.push_back(offset);
      offset += w.rows * w.cols;
    }
    flatParams.assign(offset, 0.0);
    flatGrads.assign(offset, 0.0);
  }

  LogicalResult link(std::string &error);
  FailureOr<int> layout(ArrayRef<const GroundNetwork *> nets,
                        std::string &error);

  int addBatch(ArrayRef<const GroundNetwork *> nets) override {
    std::string error;
    FailureOr<int> id = layout(nets, error);
    if (failed(id))
      llvm::report_fatal_error(llvm::Twine("compiled engine: ") + error);
    return *id;
  }

  std::vector<std::vector<Tensor>> forward(int batch,
                                           const Parameters &params) override;
  void backward(int batch, const Parameters &params,
                const std::vector<std::vector<Tensor>> &dOutputs,
                std::vector<Tensor> &grads) override;
  const std::vector<bool> &usedWeights() const override { return used; }
  void clearUsedWeights() override { used.assign(used.size(), false); }
  llvm::StringRef name() const override { return "compiled"; }

private:
  int64_t relationSize(int r) const {
    return shapes[r].first * shapes[r].second;
  }

  const TemplateModel &model;
  std::vector<std::pair<int64_t, int64_t>> shapes;
  std::vector<int64_t> aggregateSizes;
  int64_t numParameters;
  std::unique_ptr<ExecutionEngine> jit;
  std::vector<RuleForwardFn> ruleForward;
  std::vector<RuleBackwardFn> ruleBackward;
  std::vector<RelationForwardFn> relationForward;
  std::vector<RelationBackwardFn> relationBackward;
  std::vector<Step> schedule;
  std::vector<int64_t> paramOffsets;
  std::vector<double> flatParams, flatGrads;
  std::vector<Batch> batches;
  std::vector<bool> used;
};

} // namespace

LogicalResult CompiledEngine::link(std::string &error) {
  if (numParameters != int64_t(flatParams.size())) {
    error = "the kernels' parameter layout differs from the runtime's";
    return failure();
  }
  auto lookup = [&](const std::string &name, void *&fn) {
    llvm::Expected<void *> sym = jit->lookup("_mlir_ciface_nlogic_" + name);
    if (!sym) {
      error = "missing kernel " + name + ": " + llvm::toString(sym.takeError());
      return false;
    }
    fn = *sym;
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

  // Dependency order: a rule runs once every derived relation it reads is
  // final; a relation is final once all its rules ran.
  std::vector<int> pendingRules(model.relations.size(), 0);
  for (const RuleModel &rule : model.rules)
    ++pendingRules[rule.head];
  std::vector<bool> ruleDone(numRules, false), relDone(model.relations.size());
  for (size_t j = 0; j < model.relations.size(); ++j)
    relDone[j] = !model.relations[j].derived;
  size_t done = 0;
  while (done < numRules) {
    bool progress = false;
    for (size_t k = 0; k < numRules; ++k) {
      if (ruleDone[k])
        continue;
      const RuleModel &rule = model.rules[k];
      if (!llvm::all_of(rule.atoms,
                        [&](const BodyAtom &a) { return relDone[a.relation]; }))
        continue;
      schedule.push_back({true, int(k)});
      ruleDone[k] = true;
      ++done;
      progress = true;
      if (--pendingRules[rule.head] == 0) {
        schedule.push_back({false, rule.head});
        relDone[rule.head] = true;
      }
    }
    if (!progress) {
      error = "the rules are recursive; the compiled engine cannot order them";
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
  int64_t next = 0;
  for (const GroundNetwork *net : nets) {
    const GroundGraph *graph = net->graph.get();
    std::vector<int64_t> &offs = offsets[graph];
    if (offs.empty())
      offs.assign(graph->atoms.size(), -1);
    for (int a : net->order) {
      if (offs[a] >= 0)
        continue;
      int r = graph->atoms[a].relation;
      if (r >= int(shapes.size())) {
        error = "an atom of a relation the template does not declare";
        return failure();
      }
      offs[a] = next;
      next += relationSize(r);
      placed.push_back({graph, a});
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

  int64_t aggNext = 0;
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
    // Ground rules are grouped by rule: one segment per run.
    const std::vector<int> &grs = atom.groundRules;
    for (size_t i = 0; i < grs.size();) {
      int k = graph->rules[grs[i]].rule;
      RuleTable &table = batch.rules[k];
      int32_t begin = table.numRows;
      int32_t rows = 0;
      for (; i < grs.size() && graph->rules[grs[i]].rule == k; ++i, ++rows)
        for (int b : graph->rules[grs[i]].body) {
          // Atoms outside the reached order only join (hidden literals):
          // the kernels never read their values.
          table.index.push_back(int32_t(std::max<int64_t>(0, offsets[graph][b])));
        }
      table.numRows += rows;
      table.segments.insert(table.segments.end(),
                            {begin, begin + rows, int32_t(off),
                             int32_t(aggNext)});
      aggNext += aggregateSizes[k];
      ++table.numSegments;
    }
  }
  batch.aggs.assign(aggNext, 0.0);

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

std::vector<std::vector<Tensor>>
CompiledEngine::forward(int id, const Parameters &params) {
  Batch &batch = batches[id];
  for (auto [w, p] : llvm::enumerate(params))
    std::copy(p.data.begin(), p.data.end(),
              flatParams.begin() + paramOffsets[w]);
  for (auto [off, w] : batch.weightFacts)
    std::copy(params[w].data.begin(), params[w].data.end(),
              batch.values.begin() + off);
  std::fill(batch.acc.begin(), batch.acc.end(), 0.0);

  Arena values = descriptor(batch.values), acc = descriptor(batch.acc),
        aggs = descriptor(batch.aggs), ps = descriptor(flatParams);
  for (Step step : schedule) {
    if (step.isRule) {
      RuleTable &t = batch.rules[step.id];
      if (t.numSegments == 0)
        continue;
      IndexArena segs = descriptor(t.segments), index = descriptor(t.index);
      ruleForward[step.id](&values, &acc, &aggs, &ps, &segs, &index,
                           t.numSegments);
    } else {
      std::vector<int32_t> &atoms = batch.derivedAtoms[step.id];
      if (atoms.empty())
        continue;
      IndexArena as = descriptor(atoms);
      relationForward[step.id](&values, &acc, &ps, &as, atoms.size());
    }
  }

  std::vector<std::vector<Tensor>> outputs;
  for (const auto &qs : batch.queries) {
    std::vector<Tensor> out;
    for (auto [off, r] : qs) {
      if (off < 0) {
        out.push_back(Tensor::scalar(0.0));
        continue;
      }
      auto [rows, cols] = shapes[r];
      out.emplace_back(rows, cols,
                       std::vector<double>(batch.values.begin() + off,
                                           batch.values.begin() + off +
                                               rows * cols));
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
  std::fill(batch.dacc.begin(), batch.dacc.end(), 0.0);
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
  for (Step step : llvm::reverse(schedule)) {
    if (step.isRule) {
      RuleTable &t = batch.rules[step.id];
      if (t.numSegments == 0)
        continue;
      IndexArena segs = descriptor(t.segments), index = descriptor(t.index);
      ruleBackward[step.id](&values, &acc, &aggs, &ps, &dvalues, &dacc, &gs,
                            &segs, &index, t.numSegments);
    } else {
      std::vector<int32_t> &atoms = batch.derivedAtoms[step.id];
      if (atoms.empty())
        continue;
      IndexArena as = descriptor(atoms);
      relationBackward[step.id](&values, &acc, &ps, &dvalues, &dacc, &gs, &as,
                                atoms.size());
    }
  }
  for (auto [off, w] : batch.weightFacts)
    for (int64_t e = 0, n = params[w].size(); e < n; ++e)
      flatGrads[paramOffsets[w] + e] += batch.dvalues[off + e];
  for (auto [w, g] : llvm::enumerate(grads))
    for (int64_t e = 0, n = g.size(); e < n; ++e)
      g.data[e] += flatGrads[paramOffsets[w] + e];
  for (auto [u, b] : llvm::zip(used, batch.used))
    u = u || b;
}

/// `7`, `3x3` or `scalar` for the specialize-shapes option.
static std::string dimsText(int64_t rows, int64_t cols) {
  if (rows * cols == 1)
    return "scalar";
  if (cols == 1)
    return std::to_string(rows);
  return std::to_string(rows) + "x" + std::to_string(cols);
}

FailureOr<std::unique_ptr<Engine>>
runtime::createCompiledEngine(TemplateOp templ, const TemplateModel &model,
                              ArrayRef<GroundNetwork> nets) {
  // Shapes of the data relations, from the facts the samples reach.
  size_t numDeclared = llvm::range_size(templ.getRelations());
  std::map<int, std::pair<int64_t, int64_t>> factShapes;
  for (const GroundNetwork &net : nets)
    for (int a : net.order) {
      const GroundAtom &atom = net.atoms()[a];
      if (!atom.groundRules.empty() || atom.factWeight >= 0 ||
          atom.relation >= int(numDeclared))
        continue;
      std::pair<int64_t, int64_t> s = {atom.factValue.rows,
                                       atom.factValue.cols};
      auto [it, inserted] = factShapes.try_emplace(atom.relation, s);
      if (!inserted && it->second != s &&
          it->second.first * it->second.second != s.first * s.second)
        return templ.emitError()
               << "the compiled engine needs one value shape per relation, "
                  "but facts of "
               << model.relations[atom.relation].display() << " have shapes "
               << dimsText(it->second.first, it->second.second) << " and "
               << dimsText(s.first, s.second)
               << " (run it with --engine reference)";
    }
  CompileOptions options;
  for (auto [r, s] : factShapes)
    if (!model.relations[r].derived)
      options.shapes.push_back(model.relations[r].symbol + "=" +
                               dimsText(s.first, s.second));

  MLIRContext *ctx = templ.getContext();
  DialectRegistry registry;
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  ctx->appendDialectRegistry(registry);
  FailureOr<CompiledTemplate> compiled = compileTemplate(templ, options);
  if (failed(compiled))
    return failure();

  static bool targetsReady = [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    return true;
  }();
  (void)targetsReady;
  auto transformer = makeOptimizingTransformer(/*optLevel=*/3,
                                               /*sizeLevel=*/0, nullptr);
  ExecutionEngineOptions jitOptions;
  jitOptions.transformer = transformer;
  jitOptions.jitCodeGenOptLevel = llvm::CodeGenOptLevel::Aggressive;
  auto jit = ExecutionEngine::create(*compiled->module, jitOptions);
  if (!jit)
    return templ.emitError() << "JIT compilation failed: "
                             << llvm::toString(jit.takeError());
  auto engine = std::make_unique<CompiledEngine>(model, std::move(*compiled),
                                                 std::move(*jit));
  std::string error;
  if (failed(engine->link(error)))
    return templ.emitError() << error;
  return std::unique_ptr<Engine>(std::move(engine));
}
