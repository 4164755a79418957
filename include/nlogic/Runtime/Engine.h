//===- Engine.h - evaluating batches of ground networks -----------*- C++
//-*-===//
//
// What the training loop and the CLI see of an engine: batches of grounded
// samples are prepared once and then evaluated (and differentiated) as
// often as needed with changing weights. Two engines implement it:
//
// * the reference engine, the double-precision oracle (Evaluator.h), one
//   sample at a time;
// * the compiled engine (CompiledEngine.h), which runs the template's JIT-
//   compiled kernels over a whole batch at once.
//
// Both give the same numbers; the differential tests hold them to it.
//
//===----------------------------------------------------------------------===//

#ifndef NLOGIC_RUNTIME_ENGINE_H
#define NLOGIC_RUNTIME_ENGINE_H

#include "nlogic/Runtime/Evaluator.h"
#include "nlogic/Runtime/Training.h"

#include <memory>

namespace mlir::nlogic::runtime {

class Engine {
public:
  virtual ~Engine() = default;

  /// Prepares `nets` (which must outlive the engine) as one batch; returns
  /// its id, or fails with a message (a batch too large to lay out).
  virtual FailureOr<int> addBatch(ArrayRef<const GroundNetwork *> nets,
                                  std::string &error) = 0;

  /// The value of every query of every sample of the batch (a 1x1 zero for
  /// a query the grounding did not derive).
  virtual std::vector<std::vector<Tensor>>
  forward(int batch, const Parameters &params) = 0;

  /// After forward(batch) with the same parameters: adds dLoss/dWeight
  /// into `grads`, given dLoss/dOutput per sample and query. Once per
  /// forward: the compiled engine's tiled kernels keep gradients where the
  /// forward pass kept its aggregates.
  virtual void backward(int batch, const Parameters &params,
                        const std::vector<std::vector<Tensor>> &dOutputs,
                        std::vector<Tensor> &grads) = 0;

  /// Weights the batches differentiated since clearUsedWeights() depend on
  /// (an optimizer step leaves the others alone, as NeuraLogic does).
  virtual const std::vector<bool> &usedWeights() const = 0;
  virtual void clearUsedWeights() = 0;

  /// Applies `opt` to the learnable weights the batches since the last
  /// step used, then forgets them (clearUsedWeights). The compiled engine
  /// runs a compiled step and keeps Adam's moments itself.
  virtual void optimizerStep(Optimizer &opt, Parameters &params,
                             const std::vector<Tensor> &grads) {
    opt.step(params, grads, &usedWeights());
    clearUsedWeights();
  }

  /// Short name for reports: "reference" or "compiled".
  virtual llvm::StringRef name() const = 0;

  /// What the engine made of the batches added so far, one line per fact
  /// worth reporting (the compiled engine: its register tiles); empty when
  /// there is nothing to say.
  virtual std::string describeLayout() const { return {}; }
};

/// The reference evaluator behind the Engine interface.
std::unique_ptr<Engine> createReferenceEngine(const TemplateModel &model);

} // namespace mlir::nlogic::runtime

#endif // NLOGIC_RUNTIME_ENGINE_H
