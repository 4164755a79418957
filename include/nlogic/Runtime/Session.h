//===- Session.h - a template, its data and weights, as one object -*- C++
//-*-===//
//
// What the Python front end drives: a template read from text, a dataset
// loaded from text and grounded, an engine, the weights, training and
// evaluation. Errors come back as text (`file:line:col: error: ...`, as the
// CLI prints them) instead of going to stderr.
//
//===----------------------------------------------------------------------===//

#ifndef NLOGIC_RUNTIME_SESSION_H
#define NLOGIC_RUNTIME_SESSION_H

#include "nlogic/Dialect/NLogic/IR/NLogicOps.h"
#include "nlogic/Runtime/Dataset.h"
#include "nlogic/Runtime/Engine.h"
#include "nlogic/Runtime/GroundNetwork.h"
#include "nlogic/Runtime/Training.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/Support/SourceMgr.h"

#include <memory>
#include <string>

namespace mlir::nlogic::runtime {

struct TrainOptions {
  unsigned epochs = 1;
  OptimizerKind optimizer = OptimizerKind::Adam;
  double learningRate = 0.01;
  Loss loss = Loss::MSE;
  size_t batchSize = 1;
};

class Session {
public:
  /// Reads a template in NeuraLogic text (`isIR` false) or nlogic IR.
  /// `name` is the buffer name diagnostics give.
  static mlir::FailureOr<std::unique_ptr<Session>> create(llvm::StringRef text,
                                                          llvm::StringRef name,
                                                          bool isIR,
                                                          std::string &error);
  ~Session();

  /// The template as nlogic IR text.
  std::string templateIR();
  /// The template drawn as a Graphviz digraph (relations and rules).
  std::string templateDot();
  /// The ground network of sample `sample` as a Graphviz digraph.
  mlir::FailureOr<std::string> networkDot(size_t sample, std::string &error);
  const TemplateModel &model() const { return *templateModel; }

  /// Loads a dataset (NeuraLogic examples, and optionally queries; the
  /// names are those diagnostics give), grounds it and prepares the engine
  /// (`compiled` or `reference`).
  mlir::LogicalResult load(llvm::StringRef examples,
                           std::optional<llvm::StringRef> queries,
                           llvm::StringRef engine, std::string &error,
                           llvm::StringRef examplesName = "examples",
                           llvm::StringRef queriesName = "queries",
                           bool fastMath = false);
  const Dataset &dataset() const { return data; }
  const std::vector<GroundNetwork> &networks() const { return nets; }

  /// Every query's output, per sample.
  mlir::FailureOr<std::vector<std::vector<Tensor>>>
  evaluate(std::string &error);

  /// Trains the weights; `onEpoch(epoch, metrics)` after each epoch (the
  /// metrics of the outputs seen during that epoch). Successive calls
  /// continue one optimisation (Adam's moments carry over).
  mlir::FailureOr<Metrics>
  train(const TrainOptions &options, std::string &error,
        llvm::function_ref<void(unsigned, const Metrics &)> onEpoch = {});

  Parameters &parameters() { return params; }
  /// Re-initialises the weights (they depend only on the seed).
  void initialize(uint64_t seed, Initializer init = Initializer::uniform);

private:
  Session();
  mlir::MLIRContext context;
  llvm::SourceMgr sourceMgr;
  std::string diagnostics;
  std::unique_ptr<llvm::raw_string_ostream> diagnosticStream;
  std::unique_ptr<mlir::SourceMgrDiagnosticHandler> handler;
  mlir::OwningOpRef<mlir::ModuleOp> module;
  mlir::nlogic::TemplateOp templ;
  std::unique_ptr<TemplateModel> templateModel;
  Dataset data;
  std::vector<GroundNetwork> nets;
  std::unique_ptr<Engine> engine;
  std::map<size_t, std::vector<int>> batchesBySize;
  Parameters params;
  /// Kept across train() calls (Adam's moments), until the optimizer or
  /// its learning rate change, the weights are re-initialised or new data
  /// is loaded.
  std::unique_ptr<Optimizer> optimizer;

  /// The diagnostics collected since the last call, as error text.
  std::string takeDiagnostics(llvm::StringRef fallback);
  mlir::FailureOr<std::vector<int>> batches(size_t size, std::string &error);
  mlir::LogicalResult loadData(llvm::StringRef examples,
                               std::optional<llvm::StringRef> queries,
                               llvm::StringRef engine, std::string &error,
                               llvm::StringRef examplesName,
                               llvm::StringRef queriesName, bool fastMath);
};

} // namespace mlir::nlogic::runtime

#endif // NLOGIC_RUNTIME_SESSION_H
