//===- TrainingLoop.h - batches, epochs and evaluation over an engine -*- C++
//-*-===//
//
// The loop every front end shares (the nlogic CLI, the Python bindings):
// samples laid out as batches once, an epoch of forward / loss / backward /
// optimizer step per batch, and evaluation of every sample.
//
//===----------------------------------------------------------------------===//

#ifndef NLOGIC_RUNTIME_TRAININGLOOP_H
#define NLOGIC_RUNTIME_TRAININGLOOP_H

#include "nlogic/Runtime/Dataset.h"
#include "nlogic/Runtime/Engine.h"
#include "nlogic/Runtime/Training.h"

#include "nlogic/Dialect/NLogic/IR/NLogicOps.h"

#include "llvm/ADT/STLFunctionalExtras.h"

#include <memory>
#include <optional>

namespace mlir::nlogic::runtime {

/// The engines a front end chooses by name.
enum class EngineKind { Compiled, Reference };

/// "compiled" or "reference"; nothing for another name.
std::optional<EngineKind> engineKindNamed(llvm::StringRef name);

/// An engine of `kind` for `nets`: the reference evaluator, or `templ`
/// compiled for the shapes of the nets' facts (`fastMath`: reductions may
/// reassociate). Compilation errors go to the context's diagnostics.
mlir::FailureOr<std::unique_ptr<Engine>>
createEngine(EngineKind kind, mlir::nlogic::TemplateOp templ,
             const TemplateModel &model, llvm::ArrayRef<GroundNetwork> nets,
             bool fastMath);

/// Samples per batch when only evaluating: results do not depend on it.
constexpr size_t kEvalBatchSize = 256;

/// Lays out `networks` as batches of `size` consecutive samples (the last
/// may be smaller); returns the engine's batch ids.
mlir::FailureOr<std::vector<int>>
addBatches(Engine &engine, llvm::ArrayRef<GroundNetwork> networks, size_t size,
           std::string &error);

/// One epoch: per batch, forward, the loss's gradient for every query,
/// backward and an optimizer step. `outputs` and `targets` receive every
/// query's output (before the batch's step) and target, in sample order;
/// `onBatch(samplesDone)` runs after each batch.
void trainEpoch(Engine &engine, llvm::ArrayRef<int> batches,
                const Dataset &dataset, Parameters &params,
                Optimizer &optimizer, Loss loss, std::vector<Tensor> &outputs,
                std::vector<Tensor> &targets,
                llvm::function_ref<void(size_t)> onBatch = {});

/// Outputs of every query of every sample (batches in sample order).
std::vector<std::vector<Tensor>> evaluateBatches(Engine &engine,
                                                 llvm::ArrayRef<int> batches,
                                                 const Parameters &params);

} // namespace mlir::nlogic::runtime

#endif // NLOGIC_RUNTIME_TRAININGLOOP_H
