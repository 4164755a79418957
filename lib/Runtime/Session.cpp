//===- Session.cpp - a template, its data and weights, as one object ------===//

#include "nlogic/Runtime/Session.h"
#include "nlogic/Frontend/NeuraLogic/Importer.h"
#include "nlogic/InitAll.h"
#include "nlogic/Runtime/CompiledEngine.h"
#include "nlogic/Runtime/Grounder.h"
#include "nlogic/Runtime/TrainingLoop.h"
#include "nlogic/Target/TemplateToDot.h"

#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"

using namespace mlir;
using namespace mlir::nlogic;
using namespace mlir::nlogic::runtime;

Session::Session() {
  DialectRegistry registry;
  registerAllDialects(registry);
  context.appendDialectRegistry(registry);
  context.loadAllAvailableDialects();
  context.printOpOnDiagnostic(false);
  diagnosticStream = std::make_unique<llvm::raw_string_ostream>(diagnostics);
  handler = std::make_unique<SourceMgrDiagnosticHandler>(sourceMgr, &context,
                                                         *diagnosticStream);
}

Session::~Session() = default;

std::string Session::takeDiagnostics(llvm::StringRef fallback) {
  std::string text = llvm::StringRef(diagnostics).rtrim().str();
  diagnostics.clear();
  return text.empty() ? fallback.str() : text;
}

FailureOr<std::unique_ptr<Session>> Session::create(llvm::StringRef text,
                                                    llvm::StringRef name,
                                                    bool isIR,
                                                    std::string &error) {
  std::unique_ptr<Session> s(new Session());
  s->sourceMgr.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(text, name), llvm::SMLoc());
  if (isIR) {
    s->module = parseSourceFile<ModuleOp>(s->sourceMgr, &s->context);
  } else {
    s->module = neuralogic::importTemplate(s->sourceMgr, &s->context);
    if (s->module && failed(verify(*s->module)))
      s->module = nullptr;
  }
  if (!s->module) {
    error = s->takeDiagnostics("cannot read the template");
    return failure();
  }
  s->module->walk([&](TemplateOp t) {
    if (!s->templ)
      s->templ = t;
  });
  if (!s->templ) {
    error = name.str() + ": no nlogic.template";
    return failure();
  }
  FailureOr<TemplateModel> model = buildModel(s->templ);
  if (failed(model)) {
    error = s->takeDiagnostics("cannot read the template");
    return failure();
  }
  s->templateModel = std::make_unique<TemplateModel>(std::move(*model));
  s->initialize(1);
  return s;
}

std::string Session::templateIR() {
  std::string text;
  llvm::raw_string_ostream os(text);
  module->print(os);
  return text;
}

std::string Session::templateDot() {
  std::string text;
  llvm::raw_string_ostream os(text);
  (void)exportTemplateDot(*module, os);
  return text;
}

FailureOr<std::string> Session::networkDot(size_t sample, std::string &error) {
  if (sample >= nets.size()) {
    error = "sample " + std::to_string(sample) + " but " +
            std::to_string(nets.size()) + " samples are loaded";
    return failure();
  }
  std::string text;
  llvm::raw_string_ostream os(text);
  nets[sample].writeDot(*templateModel, os);
  return text;
}

void Session::initialize(uint64_t seed, Initializer init) {
  params = initializeWeights(*templateModel, seed, init);
  optimizer.reset();
}

LogicalResult Session::load(llvm::StringRef examples,
                            std::optional<llvm::StringRef> queries,
                            llvm::StringRef engineName, std::string &error,
                            llvm::StringRef examplesName,
                            llvm::StringRef queriesName, bool fastMath) {
  // Warnings of earlier calls are not this call's error.
  diagnostics.clear();
  if (succeeded(loadData(examples, queries, engineName, error, examplesName,
                         queriesName, fastMath)))
    return success();
  // Nothing half loaded stays behind.
  data = Dataset();
  nets.clear();
  engine.reset();
  batchesBySize.clear();
  return failure();
}

LogicalResult Session::loadData(llvm::StringRef examples,
                                std::optional<llvm::StringRef> queries,
                                llvm::StringRef engineName, std::string &error,
                                llvm::StringRef examplesName,
                                llvm::StringRef queriesName, bool fastMath) {
  std::optional<EngineKind> kind = engineKindNamed(engineName);
  if (!kind) {
    error = "unknown engine '" + engineName.str() +
            "' (expected compiled or reference)";
    return failure();
  }
  data = Dataset();
  nets.clear();
  engine.reset();
  batchesBySize.clear();
  optimizer.reset();
  std::string text;
  llvm::raw_string_ostream os(text);
  if (failed(loadDatasetText(*templateModel, examples, queries, data, os,
                             examplesName, queriesName))) {
    error = llvm::StringRef(text).rtrim().str();
    return failure();
  }
  // Data files may name relations the template does not: their weights do
  // not change, but the model has more relations now.
  FailureOr<std::unique_ptr<Grounder>> grounder =
      createGrounder(templ, *templateModel, *kind == EngineKind::Compiled);
  if (failed(grounder)) {
    error = takeDiagnostics("cannot compile the join plans");
    return failure();
  }
  if (failed(groundDataset(**grounder, data, nets, error)))
    return failure();
  FailureOr<std::unique_ptr<Engine>> made =
      createEngine(*kind, templ, *templateModel, nets, fastMath);
  if (failed(made)) {
    error = takeDiagnostics("cannot compile the template");
    return failure();
  }
  engine = std::move(*made);
  return success();
}

FailureOr<std::vector<int>> Session::batches(size_t size, std::string &error) {
  if (!engine) {
    error = "no data: load a dataset first";
    return failure();
  }
  auto it = batchesBySize.find(size);
  if (it != batchesBySize.end())
    return it->second;
  FailureOr<std::vector<int>> ids = addBatches(*engine, nets, size, error);
  if (failed(ids))
    return failure();
  return batchesBySize[size] = std::move(*ids);
}

FailureOr<std::vector<std::vector<Tensor>>>
Session::evaluate(std::string &error) {
  // Every layout gives the same outputs: after training, evaluate in the
  // training batches rather than lay the samples out a second time (as
  // long and as large as the first, seconds and gigabytes for a long
  // sequence's attention).
  if (!batchesBySize.empty() && !batchesBySize.count(kEvalBatchSize))
    return evaluateBatches(*engine, batchesBySize.begin()->second, params);
  FailureOr<std::vector<int>> ids = batches(kEvalBatchSize, error);
  if (failed(ids))
    return failure();
  return evaluateBatches(*engine, *ids, params);
}

FailureOr<Metrics>
Session::train(const TrainOptions &options, std::string &error,
               llvm::function_ref<void(unsigned, const Metrics &)> onEpoch) {
  if (options.batchSize == 0) {
    error = "the batch size must be at least 1";
    return failure();
  }
  FailureOr<std::vector<int>> ids = batches(options.batchSize, error);
  if (failed(ids))
    return failure();
  if (!optimizer || optimizer->getKind() != options.optimizer ||
      optimizer->getLearningRate() != options.learningRate)
    optimizer = std::make_unique<Optimizer>(
        options.optimizer, options.learningRate, *templateModel);
  Metrics last;
  for (unsigned epoch = 1; epoch <= options.epochs; ++epoch) {
    std::vector<Tensor> outputs, targets;
    trainEpoch(*engine, *ids, data, params, *optimizer, options.loss, outputs,
               targets);
    last = computeMetrics(options.loss, outputs, targets);
    if (onEpoch)
      onEpoch(epoch, last);
  }
  return last;
}
