//===- nlogic.cpp - the user-facing command line
//---------------------------===//
//
//   nlogic train  TEMPLATE --examples F [--queries F] [training options]
//   nlogic eval   TEMPLATE --examples F [--queries F] [--weights W] [--json]
//   nlogic ground TEMPLATE --examples F [--queries F] [--dot OUT] [--stats]
//   nlogic check  TEMPLATE --examples F [--queries F] [--epochs N]
//
// TEMPLATE is nlogic IR (.mlir) or NeuraLogic text (.txt). Bad input files
// report `file:line:col: error:` and exit 1; bad command lines and missing
// files exit 2.
//
//===----------------------------------------------------------------------===//

#include "nlogic/Frontend/NeuraLogic/Importer.h"
#include "nlogic/InitAll.h"
#include "nlogic/Runtime/CompiledEngine.h"
#include "nlogic/Runtime/Dataset.h"
#include "nlogic/Runtime/Engine.h"
#include "nlogic/Runtime/Grounder.h"
#include "nlogic/Runtime/Training.h"
#include "nlogic/Runtime/TrainingLoop.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <cstdio>
#include <limits>

using namespace mlir;
using namespace mlir::nlogic;
using namespace mlir::nlogic::runtime;
namespace cl = llvm::cl;

//===----------------------------------------------------------------------===//
// Command line
//===----------------------------------------------------------------------===//

static cl::SubCommand trainCmd("train", "Train a template's weights");
static cl::SubCommand evalCmd("eval", "Evaluate a template on samples");
static cl::SubCommand groundCmd("ground",
                                "Ground a template and report its network");
static cl::SubCommand
    checkCmd("check", "Differential test: run both engines on the samples and "
                      "compare outputs, gradients and trained weights");

static cl::OptionCategory category("nlogic options");

static cl::opt<std::string> templatePath(cl::Positional, cl::Required,
                                         cl::desc("<template .mlir|.txt>"),
                                         cl::sub(trainCmd), cl::sub(checkCmd),
                                         cl::sub(evalCmd), cl::sub(groundCmd),
                                         cl::cat(category));
static cl::opt<std::string>
    examplesPath("examples", cl::Required, cl::desc("NeuraLogic examples file"),
                 cl::value_desc("file"), cl::sub(trainCmd), cl::sub(checkCmd),
                 cl::sub(evalCmd), cl::sub(groundCmd), cl::cat(category));
static cl::opt<std::string>
    queriesPath("queries", cl::desc("NeuraLogic queries file"),
                cl::value_desc("file"), cl::sub(trainCmd), cl::sub(checkCmd),
                cl::sub(evalCmd), cl::sub(groundCmd), cl::cat(category));
static cl::opt<std::string>
    engine("engine",
           cl::desc("compiled (JIT-compiled kernels) | reference (the "
                    "double-precision oracle)"),
           cl::init("compiled"), cl::sub(trainCmd), cl::sub(checkCmd),
           cl::sub(evalCmd), cl::sub(groundCmd), cl::cat(category));

static cl::opt<bool> fastMath(
    "fast-math",
    cl::desc("let the compiled kernels reassociate sums (vectorised dot "
             "products; results differ from the reference by rounding)"),
    cl::init(false), cl::sub(trainCmd), cl::sub(evalCmd), cl::sub(checkCmd),
    cl::cat(category));
static cl::opt<unsigned> epochs("epochs", cl::desc("training epochs"),
                                cl::init(100), cl::sub(trainCmd),
                                cl::sub(checkCmd), cl::cat(category));
static cl::opt<std::string> optimizerName("optimizer", cl::desc("sgd | adam"),
                                          cl::init("adam"), cl::sub(trainCmd),
                                          cl::sub(checkCmd), cl::cat(category));
static cl::opt<double> learningRate("lr", cl::desc("learning rate"),
                                    cl::init(0.1), cl::sub(trainCmd),
                                    cl::sub(checkCmd), cl::cat(category));
static cl::opt<std::string>
    lossName("loss", cl::desc("mse | crossentropy | softentropy"),
             cl::init("mse"), cl::sub(trainCmd), cl::sub(checkCmd),
             cl::sub(evalCmd), cl::cat(category));
static cl::opt<unsigned> batchSize(
    "batch-size", cl::desc("samples per update (1 = online, in file order)"),
    cl::init(1), cl::sub(trainCmd), cl::sub(checkCmd), cl::cat(category));
static cl::opt<uint64_t> seed("seed", cl::desc("weight initialisation seed"),
                              cl::init(1), cl::sub(trainCmd), cl::sub(checkCmd),
                              cl::sub(evalCmd), cl::sub(groundCmd),
                              cl::cat(category));
static cl::opt<std::string>
    initName("init",
             cl::desc("default initialiser: uniform | normal | glorot | he | "
                      "constant | longtail"),
             cl::init("uniform"), cl::sub(trainCmd), cl::sub(checkCmd),
             cl::sub(evalCmd), cl::cat(category));
static cl::opt<std::string> savePath("save",
                                     cl::desc("write the trained weights"),
                                     cl::value_desc("file"), cl::sub(trainCmd),
                                     cl::cat(category));
static cl::opt<std::string>
    weightsPath("weights", cl::desc("start from these weights (from --save)"),
                cl::value_desc("file"), cl::sub(trainCmd), cl::sub(checkCmd),
                cl::sub(evalCmd), cl::cat(category));
static cl::opt<double> tolerance(
    "tolerance",
    cl::desc("largest difference check accepts, relative to the largest "
             "magnitude among the compared outputs, gradients or weights"),
    cl::init(1e-9), cl::sub(checkCmd), cl::cat(category));
static cl::opt<unsigned> repeat(
    "repeat",
    cl::desc("time N forward passes over the samples (laid out once) and "
             "print the fastest"),
    cl::init(0), cl::sub(evalCmd), cl::cat(category));
static cl::opt<bool> json("json", cl::desc("one JSON object per query"),
                          cl::sub(evalCmd), cl::cat(category));
static cl::opt<std::string> dotPath("dot", cl::desc("write the network as DOT"),
                                    cl::value_desc("file"), cl::sub(groundCmd),
                                    cl::cat(category));
static cl::opt<unsigned> dotSample("sample",
                                   cl::desc("which sample --dot draws"),
                                   cl::init(0), cl::sub(groundCmd),
                                   cl::cat(category));
static cl::opt<bool> stats("stats", cl::desc("print network sizes"),
                           cl::sub(groundCmd), cl::cat(category));

// Defaults for NeuraLogic text templates (PyNeuraLogic's Settings).
static cl::opt<std::string> ruleTransformation(
    "rule-transformation",
    cl::desc("default rule transformation of .txt templates (PyNeuraLogic "
             "0.9: identity; NeuraLogic: tanh)"),
    cl::init("identity"), cl::sub(trainCmd), cl::sub(checkCmd),
    cl::sub(evalCmd), cl::sub(groundCmd), cl::cat(category));
static cl::opt<std::string> relationTransformation(
    "relation-transformation",
    cl::desc("default relation transformation of .txt templates"),
    cl::init("identity"), cl::sub(trainCmd), cl::sub(checkCmd),
    cl::sub(evalCmd), cl::sub(groundCmd), cl::cat(category));
static cl::opt<std::string>
    ruleAggregation("aggregation",
                    cl::desc("default rule aggregation of .txt templates"),
                    cl::init("avg"), cl::sub(trainCmd), cl::sub(checkCmd),
                    cl::sub(evalCmd), cl::sub(groundCmd), cl::cat(category));

/// Usage errors: one clear line, exit 2.
[[noreturn]] static void usageError(const llvm::Twine &msg) {
  llvm::WithColor::error(llvm::errs(), "nlogic") << msg << "\n";
  std::exit(2);
}

//===----------------------------------------------------------------------===//
// Loading
//===----------------------------------------------------------------------===//

/// Parses or imports the template and verifies it; diagnostics print with
/// their source locations.
static OwningOpRef<ModuleOp> loadTemplate(MLIRContext &ctx,
                                          llvm::SourceMgr &sourceMgr) {
  auto file = llvm::MemoryBuffer::getFile(templatePath);
  if (!file)
    usageError("cannot read '" + templatePath +
               "': " + file.getError().message());
  sourceMgr.AddNewSourceBuffer(std::move(*file), llvm::SMLoc());
  if (llvm::StringRef(templatePath).ends_with(".txt")) {
    neuralogic::ImportOptions options;
    auto transformation = [](llvm::StringRef flag, const std::string &name) {
      std::optional<Transformation> t =
          neuralogic::parseTransformationName(name);
      if (!t)
        usageError("unknown --" + flag + " '" + name + "'");
      return *t;
    };
    options.ruleTransformation =
        transformation("rule-transformation", ruleTransformation);
    options.relationTransformation =
        transformation("relation-transformation", relationTransformation);
    std::optional<Aggregation> agg =
        neuralogic::parseAggregationName(ruleAggregation);
    if (!agg)
      usageError("unknown --aggregation '" + ruleAggregation + "'");
    options.ruleAggregation = *agg;
    auto module = neuralogic::importTemplate(sourceMgr, &ctx, options);
    if (module && failed(verify(*module)))
      return nullptr;
    return module;
  }
  return parseSourceFile<ModuleOp>(sourceMgr, &ctx);
}

static TemplateOp findTemplate(ModuleOp module) {
  TemplateOp found;
  module.walk([&](TemplateOp t) {
    if (!found)
      found = t;
  });
  return found;
}

static Loss parseLoss() {
  if (lossName == "mse")
    return Loss::MSE;
  if (lossName == "crossentropy")
    return Loss::CrossEntropy;
  if (lossName == "softentropy")
    return Loss::SoftEntropy;
  usageError("unknown --loss '" + lossName +
             "' (expected mse, crossentropy or softentropy)");
}

static Initializer parseInit() {
  std::optional<Initializer> init = symbolizeInitializer(initName);
  if (!init)
    usageError("unknown --init '" + initName + "'");
  return *init;
}

static std::string valueJson(const Tensor &t) {
  if (t.isScalar())
    return llvm::formatv("{0}", llvm::json::Value(t.data[0])).str();
  llvm::json::Array values;
  for (double x : t.data)
    values.push_back(x);
  return llvm::formatv("{0}", llvm::json::Value(std::move(values))).str();
}

//===----------------------------------------------------------------------===//
// Progress
//===----------------------------------------------------------------------===//

namespace {
/// A progress bar on a terminal, one plain line per epoch otherwise.
class Progress {
public:
  Progress() : terminal(llvm::sys::Process::StandardErrIsDisplayed()) {}

  void sample(unsigned epoch, size_t done, size_t total) {
    if (!terminal)
      return;
    auto now = std::chrono::steady_clock::now();
    if (done != total && now - lastDraw < std::chrono::milliseconds(100))
      return;
    lastDraw = now;
    int width = 30, filled = total ? int(width * done / total) : width;
    llvm::errs() << "\repoch " << epoch << "/" << epochs << " ["
                 << std::string(filled, '#') << std::string(width - filled, '.')
                 << "] " << done << "/" << total;
  }

  void epochDone(unsigned epoch, const Metrics &m, double samplesPerSec) {
    if (terminal)
      llvm::errs() << "\r\033[K";
    llvm::errs() << llvm::format("epoch %u/%u  loss %.6f  acc %.4f", epoch,
                                 unsigned(epochs), m.loss, m.accuracy);
    if (m.auroc >= 0)
      llvm::errs() << llvm::format("  auroc %.4f", m.auroc);
    // Three significant digits where whole samples would round away most
    // of the figure (large samples, one per epoch).
    llvm::errs() << llvm::format(samplesPerSec >= 100 ? "  %.0f samples/s\n"
                                                      : "  %.3g samples/s\n",
                                 samplesPerSec);
  }

private:
  bool terminal;
  std::chrono::steady_clock::time_point lastDraw;
};
} // namespace

//===----------------------------------------------------------------------===//
// Subcommands
//===----------------------------------------------------------------------===//

struct Loaded {
  // Diagnostics of later stages (compilation) still point into the file.
  llvm::SourceMgr sourceMgr;
  std::unique_ptr<SourceMgrDiagnosticHandler> handler;
  OwningOpRef<ModuleOp> module;
  TemplateOp templ;
  TemplateModel model;
  Dataset dataset;
  std::vector<GroundNetwork> networks;
  double groundSeconds = 0;
  /// Compiling the join plans (compiled engine only; cached on disk).
  double grounderCompileSeconds = 0;
};

/// Grounds every sample of `data`; exits on error.
static void groundAll(Grounder &grounder, const Loaded &data,
                      std::vector<GroundNetwork> &networks) {
  std::string error;
  if (failed(groundDataset(grounder, data.dataset, networks, error))) {
    llvm::WithColor::error(llvm::errs(), "nlogic") << error << "\n";
    std::exit(1);
  }
}

/// Loads template and data and grounds every sample; exits on error.
static void loadAndGround(MLIRContext &ctx, Loaded &out) {
  if (!engineKindNamed(engine))
    usageError("unknown --engine '" + engine +
               "' (expected compiled or reference)");
  if (!llvm::sys::fs::exists(examplesPath))
    usageError("cannot read '" + examplesPath + "': no such file");
  if (!queriesPath.empty() && !llvm::sys::fs::exists(queriesPath))
    usageError("cannot read '" + queriesPath + "': no such file");

  out.handler =
      std::make_unique<SourceMgrDiagnosticHandler>(out.sourceMgr, &ctx);
  out.module = loadTemplate(ctx, out.sourceMgr);
  if (!out.module)
    std::exit(1);
  TemplateOp templ = findTemplate(*out.module);
  out.templ = templ;
  if (!templ) {
    llvm::WithColor::error(llvm::errs(), "nlogic")
        << templatePath << ": no nlogic.template in the file\n";
    std::exit(1);
  }
  FailureOr<TemplateModel> model = buildModel(templ);
  if (failed(model))
    std::exit(1);
  out.model = std::move(*model);

  std::optional<llvm::StringRef> queries;
  if (!queriesPath.empty())
    queries = queriesPath;
  bool tensorData = llvm::StringRef(examplesPath).ends_with(".jsonl");
  if (tensorData && queries)
    usageError("--queries does not apply to a .jsonl graph dataset");
  if (failed(tensorData
                 ? loadTensorDataset(out.model, examplesPath, out.dataset)
                 : loadDataset(out.model, examplesPath, queries, out.dataset)))
    std::exit(1);

  // The compiled engine grounds with compiled join plans, the reference
  // engine with the interpreted ones (the oracle).
  auto compileStart = std::chrono::steady_clock::now();
  FailureOr<std::unique_ptr<Grounder>> grounder = createGrounder(
      templ, out.model, engineKindNamed(engine) == EngineKind::Compiled);
  if (failed(grounder)) {
    llvm::WithColor::note(llvm::errs(), "nlogic")
        << "the reference engine runs every template: add --engine "
           "reference\n";
    std::exit(1);
  }
  out.grounderCompileSeconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                    compileStart)
          .count();
  auto start = std::chrono::steady_clock::now();
  groundAll(**grounder, out, out.networks);
  out.groundSeconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
}

static Parameters initialParameters(const TemplateModel &model) {
  Parameters params = initializeWeights(model, seed, parseInit());
  if (!weightsPath.empty()) {
    std::string error;
    if (failed(loadWeights(model, params, weightsPath, error))) {
      llvm::WithColor::error(llvm::errs(), "nlogic") << error << "\n";
      std::exit(1);
    }
  }
  return params;
}

static OptimizerKind parseOptimizer() {
  if (optimizerName == "sgd")
    return OptimizerKind::SGD;
  if (optimizerName != "adam")
    usageError("unknown --optimizer '" + optimizerName +
               "' (expected sgd or adam)");
  return OptimizerKind::Adam;
}

static std::unique_ptr<Engine> makeEngine(Loaded &data) {
  FailureOr<std::unique_ptr<Engine>> made =
      createEngine(*engineKindNamed(engine), data.templ, data.model,
                   data.networks, fastMath);
  if (failed(made)) {
    llvm::WithColor::note(llvm::errs(), "nlogic")
        << "the reference engine runs every template: add --engine "
           "reference\n";
    std::exit(1);
  }
  return std::move(*made);
}

/// Splits the samples into batches of `size` consecutive samples; exits on
/// error.
static std::vector<int>
addBatches(Engine &e, const std::vector<GroundNetwork> &networks, size_t size) {
  std::string error;
  FailureOr<std::vector<int>> ids =
      runtime::addBatches(e, networks, size, error);
  if (failed(ids)) {
    llvm::WithColor::error(llvm::errs(), "nlogic") << error << "\n";
    std::exit(1);
  }
  return std::move(*ids);
}

/// Evaluates every sample (laid out in `batches`, or now when empty):
/// outputs and targets per query.
static void evaluateAll(Engine &e, const Loaded &data, const Parameters &params,
                        std::vector<Tensor> &outputs,
                        std::vector<Tensor> &targets,
                        std::vector<int> batches = {}) {
  if (batches.empty())
    batches = addBatches(e, data.networks, kEvalBatchSize);
  std::vector<std::vector<Tensor>> all = evaluateBatches(e, batches, params);
  for (auto [s, out] : llvm::zip(data.dataset.samples, all))
    for (auto [q, o] : llvm::zip(s.queries, out)) {
      outputs.push_back(o);
      targets.push_back(q.target);
    }
}

static int runTrain(MLIRContext &ctx) {
  Loss loss = parseLoss();
  OptimizerKind kind = parseOptimizer();
  if (batchSize == 0)
    usageError("--batch-size must be at least 1");
  if (!savePath.empty()) {
    // Fail before training, not after.
    llvm::StringRef dir = llvm::sys::path::parent_path(savePath);
    if (!dir.empty() && !llvm::sys::fs::is_directory(dir))
      usageError("cannot write '" + savePath + "': no directory '" + dir + "'");
  }

  Loaded data;
  loadAndGround(ctx, data);
  Parameters params = initialParameters(data.model);
  Optimizer optimizer(kind, learningRate, data.model);
  std::unique_ptr<Engine> eng = makeEngine(data);

  // Batches are consecutive samples in file order: laid out once, reused
  // every epoch.
  std::vector<int> batches = addBatches(*eng, data.networks, batchSize);
  Progress progress;
  size_t total = data.dataset.samples.size();
  for (unsigned epoch = 1; epoch <= epochs; ++epoch) {
    auto start = std::chrono::steady_clock::now();
    std::vector<Tensor> outputs, targets;
    trainEpoch(*eng, batches, data.dataset, params, optimizer, loss, outputs,
               targets,
               [&](size_t done) { progress.sample(epoch, done, total); });
    double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
    progress.epochDone(epoch, computeMetrics(loss, outputs, targets),
                       total / std::max(secs, 1e-9));
  }

  // The final evaluation reuses the training layout: a second one (in
  // evaluation batches) would cost as long as the first and as much
  // memory, seconds and gigabytes for a long sequence's attention.
  std::vector<Tensor> outputs, targets;
  evaluateAll(*eng, data, params, outputs, targets, batches);
  Metrics final = computeMetrics(loss, outputs, targets);
  llvm::outs() << llvm::format("trained %u epochs on %zu samples: loss %.6f  "
                               "accuracy %.4f  mse %.6f",
                               unsigned(epochs), total, final.loss,
                               final.accuracy, final.mse);
  if (final.auroc >= 0)
    llvm::outs() << llvm::format("  auroc %.4f", final.auroc);
  llvm::outs() << "\n";

  if (!savePath.empty()) {
    std::string error;
    if (failed(saveWeights(data.model, params, savePath, error))) {
      llvm::WithColor::error(llvm::errs(), "nlogic") << error << "\n";
      return 1;
    }
    llvm::outs() << "weights written to " << savePath << "\n";
  }
  return 0;
}

static int runEval(MLIRContext &ctx) {
  Loss loss = parseLoss();
  Loaded data;
  loadAndGround(ctx, data);
  Parameters params = initialParameters(data.model);
  std::unique_ptr<Engine> eng = makeEngine(data);
  std::vector<int> batches;
  if (repeat > 0) {
    // Forward passes only: the layout and the code are made once, as a
    // model serving requests would.
    batches = addBatches(*eng, data.networks, kEvalBatchSize);
    double best = std::numeric_limits<double>::infinity();
    for (unsigned i = 0; i < repeat; ++i) {
      auto start = std::chrono::steady_clock::now();
      evaluateBatches(*eng, batches, params);
      best = std::min(best, std::chrono::duration<double>(
                                std::chrono::steady_clock::now() - start)
                                .count());
    }
    llvm::errs() << llvm::format("forward: %.4f ms per pass over %zu samples "
                                 "(fastest of %u)\n",
                                 best * 1e3, data.networks.size(),
                                 unsigned(repeat));
  }
  std::vector<Tensor> outputs, targets;
  evaluateAll(*eng, data, params, outputs, targets, std::move(batches));
  if (json) {
    size_t k = 0;
    for (auto [i, sample] : llvm::enumerate(data.dataset.samples))
      for (const Query &q : sample.queries) {
        llvm::outs() << "{\"sample\": " << i << ", \"query\": "
                     << llvm::formatv("{0}", llvm::json::Value(q.text))
                     << ", \"target\": " << valueJson(q.target)
                     << ", \"output\": " << valueJson(outputs[k++]) << "}\n";
      }
  }
  if (!json) {
    Metrics m = computeMetrics(loss, outputs, targets);
    llvm::outs() << llvm::format("%zu queries: loss %.6f  accuracy %.4f  "
                                 "mse %.6f",
                                 outputs.size(), m.loss, m.accuracy, m.mse);
    if (m.auroc >= 0)
      llvm::outs() << llvm::format("  auroc %.4f", m.auroc);
    llvm::outs() << "\n";
  }
  return 0;
}

static int runGround(MLIRContext &ctx) {
  Loaded data;
  loadAndGround(ctx, data);
  if (!dotPath.empty()) {
    if (dotSample >= data.networks.size())
      usageError("--sample " + llvm::Twine(dotSample) + " but there are " +
                 llvm::Twine(data.networks.size()) + " samples");
    // Written to a temporary file and renamed: never half a drawing.
    if (llvm::Error err =
            llvm::writeToOutput(dotPath, [&](llvm::raw_ostream &os) {
              data.networks[dotSample].writeDot(data.model, os);
              return llvm::Error::success();
            }))
      usageError("cannot write " + llvm::toString(std::move(err)));
  }
  GroundNetwork::Stats total;
  size_t queries = 0, missing = 0;
  // Samples of a knowledge-base dataset share one ground graph: count its
  // ground rules once.
  llvm::DenseSet<const GroundGraph *> graphs;
  for (const GroundNetwork &net : data.networks) {
    if (graphs.insert(net.graph.get()).second)
      total.groundRules += net.stats.groundRules;
    total.factAtoms += net.stats.factAtoms;
    total.derivedAtoms += net.stats.derivedAtoms;
    total.ruleNeurons += net.stats.ruleNeurons;
    total.aggregationNeurons += net.stats.aggregationNeurons;
    queries += net.queryAtoms.size();
    missing += llvm::count(net.queryAtoms, -1);
  }
  if (stats || dotPath.empty()) {
    llvm::outs() << "samples:             " << data.networks.size() << "\n"
                 << "queries:             " << queries << " (" << missing
                 << " not derived)\n"
                 << "ground rules:        " << total.groundRules << " (in "
                 << graphs.size() << " ground graphs)\n"
                 << "fact neurons:        " << total.factAtoms << "\n"
                 << "atom neurons:        " << total.derivedAtoms << "\n"
                 << "rule neurons:        " << total.ruleNeurons << "\n"
                 << "aggregation neurons: " << total.aggregationNeurons << "\n"
                 << llvm::format("grounding:           %.6f s, %.0f ground "
                                 "rules/s\n",
                                 data.groundSeconds,
                                 total.groundRules /
                                     std::max(data.groundSeconds, 1e-9));
    if (engine == "compiled")
      llvm::outs() << llvm::format("join plans compiled: %.3f s\n",
                                   data.grounderCompileSeconds);
    // Substitutions per derived relation: what the constraints let through
    // (a causal head over N tokens: N(N+1)/2 scores).
    std::vector<size_t> perRelation(data.model.relations.size(), 0);
    for (const GroundGraph *graph : graphs)
      for (const GroundRule &rule : graph->rules)
        ++perRelation[data.model.rules[rule.rule].head];
    llvm::outs() << "ground rules per relation:";
    for (auto [r, count] : llvm::enumerate(perRelation))
      if (count)
        llvm::outs() << " " << data.model.relations[r].display() << "="
                     << count;
    llvm::outs() << "\n";
  }
  return 0;
}

/// Compares tensors of one kind (all outputs, all gradients): the largest
/// absolute difference relative to the largest magnitude among the
/// reference tensors. Round-off is relative to the large values flowing
/// through a network, so a gradient that is zero up to 1e-18 in both
/// engines is not a disagreement. A shape mismatch is infinitely different.
class Comparison {
public:
  void add(const Tensor &ref, const Tensor &other, llvm::StringRef name) {
    ++count;
    if (!ref.sameShape(other)) {
      diff = INFINITY;
      worst = name.str() + ": shapes differ";
      return;
    }
    for (auto [a, b] : llvm::zip(ref.data, other.data)) {
      scale = std::max(scale, std::fabs(a));
      if (std::fabs(a - b) > diff) {
        diff = std::fabs(a - b);
        worst = name.str() + ": reference " + ref.str() + ", compiled " +
                other.str();
      }
    }
  }
  double relative() const { return diff / std::max(scale, 1e-300); }
  size_t count = 0;
  std::string worst;

private:
  double diff = 0, scale = 0;
};

static int runCheck(MLIRContext &ctx) {
  Loss loss = parseLoss();
  OptimizerKind kind = parseOptimizer();
  // The compiled side grounds with compiled join plans, the reference side
  // with the interpreted ones: their networks must be identical.
  engine = "compiled";
  Loaded data;
  loadAndGround(ctx, data);
  std::vector<GroundNetwork> referenceNets;
  {
    Grounder grounder(data.model);
    groundAll(grounder, data, referenceNets);
  }
  size_t differing = 0;
  std::string firstDifference;
  for (auto [i, ref, comp] : llvm::enumerate(referenceNets, data.networks)) {
    std::string d = describeDifference(data.model, ref, comp);
    if (d.empty())
      continue;
    if (!differing++)
      firstDifference = "sample " + data.dataset.samples[i].id + ": " + d;
  }
  llvm::outs() << llvm::format("%-26s %6zu networks %s\n", "ground networks",
                               referenceNets.size(),
                               differing ? "DIFFER" : "identical  ok");
  if (differing)
    llvm::outs() << "  first difference: " << firstDifference << "\n";
  Parameters params = initialParameters(data.model);
  std::unique_ptr<Engine> reference = createReferenceEngine(data.model);
  FailureOr<std::unique_ptr<Engine>> compiled =
      createCompiledEngine(data.templ, data.model, data.networks, fastMath);
  if (failed(compiled))
    return 1;
  bool ok = differing == 0;
  auto report = [&](llvm::StringRef what, const Comparison &c) {
    double diff = c.relative();
    bool good = diff <= tolerance;
    ok &= good;
    llvm::outs() << llvm::format("%-26s %6zu tensors  max relative "
                                 "difference %.3g  %s\n",
                                 what.str().c_str(), c.count, diff,
                                 good ? "ok" : "MISMATCH");
    if (!good)
      llvm::outs() << "  largest difference: " << c.worst << "\n";
  };

  // Outputs and gradients of the whole dataset in batches of kEvalBatchSize
  // samples (the reference evaluates them sample by sample), laid out once
  // for both comparisons.
  std::vector<int> rb = addBatches(*reference, referenceNets, kEvalBatchSize);
  std::vector<int> cb = addBatches(**compiled, data.networks, kEvalBatchSize);
  llvm::outs() << (*compiled)->describeLayout();
  auto compareOnce = [&](const Parameters &p, llvm::StringRef label) {
    Comparison outputs, gradients;
    std::vector<Tensor> refGrads, compGrads;
    for (const Tensor &w : p) {
      refGrads.push_back(Tensor::zerosLike(w));
      compGrads.push_back(Tensor::zerosLike(w));
    }
    size_t sample = 0;
    for (auto [r, c] : llvm::zip(rb, cb)) {
      auto refOut = reference->forward(r, p);
      auto compOut = (*compiled)->forward(c, p);
      std::vector<std::vector<Tensor>> dOut;
      for (auto [ro, co] : llvm::zip(refOut, compOut)) {
        const Sample &s = data.dataset.samples[sample++];
        std::vector<Tensor> d;
        for (auto [q, a, b] : llvm::zip(s.queries, ro, co)) {
          outputs.add(a, b, q.text);
          lossAndGrad(loss, a, q.target, d.emplace_back());
        }
        dOut.push_back(std::move(d));
      }
      reference->backward(r, p, dOut, refGrads);
      (*compiled)->backward(c, p, dOut, compGrads);
    }
    // Fixed weights never change: their gradients are not computed by the
    // compiled kernels.
    for (auto [w, a, b] : llvm::zip(data.model.weights, refGrads, compGrads))
      if (!w.fixed)
        gradients.add(a, b, w.name);
    if (reference->usedWeights() != (*compiled)->usedWeights()) {
      llvm::outs() << label << ": the engines used different weights\n";
      ok = false;
    }
    reference->clearUsedWeights();
    (*compiled)->clearUsedWeights();
    report((label + " outputs").str(), outputs);
    report((label + " gradients").str(), gradients);
  };
  compareOnce(params, "initial");

  // Training with the same batches on both engines.
  unsigned numEpochs = epochs.getNumOccurrences() ? unsigned(epochs) : 2;
  Parameters refParams = params, compParams = params;
  Optimizer refOpt(kind, learningRate, data.model),
      compOpt(kind, learningRate, data.model);
  auto trainOn = [&](Engine &e, const std::vector<GroundNetwork> &nets,
                     Parameters &p, Optimizer &opt) {
    std::vector<int> batches = addBatches(e, nets, batchSize);
    for (unsigned epoch = 0; epoch < numEpochs; ++epoch) {
      std::vector<Tensor> outputs, targets;
      trainEpoch(e, batches, data.dataset, p, opt, loss, outputs, targets);
    }
  };
  trainOn(*reference, referenceNets, refParams, refOpt);
  trainOn(**compiled, data.networks, compParams, compOpt);
  Comparison weights;
  for (auto [w, a, b] : llvm::zip(data.model.weights, refParams, compParams))
    weights.add(a, b, w.name);
  report(llvm::formatv("weights after {0} epochs", numEpochs).str(), weights);
  compareOnce(refParams, "trained");
  if (!ok) {
    llvm::errs() << "nlogic: the compiled engine disagrees with the "
                    "reference evaluator\n";
    return 1;
  }
  return 0;
}

int main(int argc, char **argv) {
  cl::HideUnrelatedOptions(category);
  std::string errors;
  llvm::raw_string_ostream errs(errors);
  if (!cl::ParseCommandLineOptions(
          argc, argv,
          "nlogic: train, evaluate and ground differentiable logic programs\n",
          &errs)) {
    // One clear line, exit 2.
    llvm::StringRef first = llvm::StringRef(errors).trim().split('\n').first;
    llvm::errs() << first << "\n";
    return 2;
  }
  DialectRegistry registry;
  registerAllDialects(registry);
  MLIRContext ctx(registry);
  // Diagnostics point at the template source; the op dump would only add
  // noise for users.
  ctx.printOpOnDiagnostic(false);
  ctx.loadAllAvailableDialects();

  if (trainCmd)
    return runTrain(ctx);
  if (evalCmd)
    return runEval(ctx);
  if (groundCmd)
    return runGround(ctx);
  if (checkCmd)
    return runCheck(ctx);
  llvm::errs() << "nlogic: expected a subcommand: train, eval, ground or check "
                  "(see nlogic --help)\n";
  return 2;
}
