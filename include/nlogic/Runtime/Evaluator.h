//===- Evaluator.h - the reference evaluator with gradients -------*- C++
//-*-===//
//
// Evaluates a ground network plainly, atom by atom, in double precision, and
// back-propagates through it (reverse mode, exact vector-Jacobian products
// of every function). It is the oracle every compiled path is compared
// against: clarity over speed.
//
//===----------------------------------------------------------------------===//

#ifndef NLOGIC_RUNTIME_EVALUATOR_H
#define NLOGIC_RUNTIME_EVALUATOR_H

#include "nlogic/Runtime/GroundNetwork.h"

namespace mlir::nlogic::runtime {

/// The value of every template weight (learnable or fixed), by weight index.
using Parameters = std::vector<Tensor>;

class Evaluator {
public:
  explicit Evaluator(const TemplateModel &model) : model(model) {}

  /// Computes every reached atom; returns the value of each query (a 1x1
  /// zero for a query the grounding did not derive).
  std::vector<Tensor> forward(const GroundNetwork &net,
                              const Parameters &params);

  /// After forward(): given dLoss/dOutput per query, adds dLoss/dWeight
  /// into `grads` (one tensor per weight, shaped like the weight).
  void backward(const GroundNetwork &net, const Parameters &params,
                const std::vector<Tensor> &dOutputs,
                std::vector<Tensor> &grads);

  /// The weights backward() propagated into (even with a zero gradient)
  /// since the last clearUsedWeights(): an optimizer step leaves the others
  /// alone, as NeuraLogic does.
  const std::vector<bool> &usedWeights() const { return used; }
  void clearUsedWeights() { used.assign(used.size(), false); }

private:
  void addGrad(std::vector<Tensor> &grads, int weight, const Tensor &g) {
    grads[weight].accumulate(g);
    used[weight] = true;
  }
  struct RuleState {
    int rule = -1;
    std::vector<int> groundRules;
    Tensor aggregated;   // after aggregation (or softmax normalisation)
    Tensor contribution; // after the head weight
  };
  struct AtomState {
    std::vector<RuleState> rules;
    std::vector<Tensor> inputs; // offset (if any) then contributions
    Tensor combined;
  };

  void evaluateRuleNeuron(int groundRule, const GroundNetwork &net,
                          const Parameters &params);
  void backwardRuleNeuron(int groundRule, const Tensor &dValue,
                          const GroundNetwork &net, const Parameters &params,
                          std::vector<Tensor> &grads);
  const Tensor &softmaxValue(int group, int atom, const GroundNetwork &net);

  const TemplateModel &model;
  std::vector<Tensor> values;                 // per atom
  std::vector<Tensor> dValues;                // per atom
  std::vector<AtomState> atomStates;          // per atom
  std::vector<std::vector<Tensor>> registers; // per ground rule
  // Softmax groups: raw (summed) value and normalised value per member.
  std::vector<std::vector<Tensor>> groupRaw, groupNorm;
  std::vector<bool> groupDone;
  std::vector<std::vector<Tensor>> groupGrad;
  std::vector<int> groupPending;
  std::vector<bool> used;
};

} // namespace mlir::nlogic::runtime

#endif // NLOGIC_RUNTIME_EVALUATOR_H
