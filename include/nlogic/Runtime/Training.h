//===- Training.h - losses, optimizers, initialisers, metrics -----*- C++
//-*-===//
//
// The pieces of a training loop shared by every engine: weight
// initialisation (depends only on the seed), losses with their gradients,
// SGD and Adam, metrics, and weight checkpoints written atomically.
//
//===----------------------------------------------------------------------===//

#ifndef NLOGIC_RUNTIME_TRAINING_H
#define NLOGIC_RUNTIME_TRAINING_H

#include "nlogic/Runtime/Evaluator.h"

#include <random>

namespace mlir::nlogic::runtime {

enum class Loss { MSE, CrossEntropy, SoftEntropy };
enum class OptimizerKind { SGD, Adam };

/// Draws every weight without an initial value from its initialiser (or
/// `defaultInit`), in declaration order, from one generator seeded with
/// `seed`; weights with values start from them.
Parameters initializeWeights(const TemplateModel &model, uint64_t seed,
                             Initializer defaultInit = Initializer::uniform);

/// Loss of one query output against its target, and dLoss/dOutput.
///   MSE:          mean over elements of (o - t)^2
///   CrossEntropy: on logits: sigmoid for single values, softmax for vectors
///   SoftEntropy:  on probabilities: -(t log o + (1 - t) log(1 - o))
double lossAndGrad(Loss loss, const Tensor &output, const Tensor &target,
                   Tensor &dOutput);

/// Applies accumulated gradients to the learnable weights.
class Optimizer {
public:
  Optimizer(OptimizerKind kind, double lr, const TemplateModel &model);
  /// Updates the learnable weights; with `used`, only those marked (the
  /// others keep their Adam moments too).
  void step(Parameters &params, const std::vector<Tensor> &grads,
            const std::vector<bool> *used = nullptr);

  OptimizerKind getKind() const { return kind; }
  double getLearningRate() const { return lr; }

private:
  OptimizerKind kind;
  double lr;
  const TemplateModel &model;
  // Adam's moments and step count.
  std::vector<Tensor> m, v;
  int64_t t = 0;
};

/// Prediction quality over a set of (output, target) pairs.
struct Metrics {
  double loss = 0;     // mean loss per query
  double accuracy = 0; // binary: threshold at the middle of the target range
  double mse = 0;
  double auroc = -1; // binary scalar targets only; -1 when undefined
};
Metrics computeMetrics(Loss loss, const std::vector<Tensor> &outputs,
                       const std::vector<Tensor> &targets);

/// Writes the weights as JSON, atomically (a temporary file renamed over
/// `path`).
mlir::LogicalResult saveWeights(const TemplateModel &model,
                                const Parameters &params, llvm::StringRef path,
                                std::string &error);
/// Reads weights written by saveWeights; names and shapes must match.
mlir::LogicalResult loadWeights(const TemplateModel &model, Parameters &params,
                                llvm::StringRef path, std::string &error);

} // namespace mlir::nlogic::runtime

#endif // NLOGIC_RUNTIME_TRAINING_H
