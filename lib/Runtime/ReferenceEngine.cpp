//===- ReferenceEngine.cpp - the oracle behind the Engine interface -------===//
//
// One Evaluator per sample of the largest batch, so that backward() finds
// every sample's forward state without recomputing it.
//
//===----------------------------------------------------------------------===//

#include "nlogic/Runtime/Engine.h"

using namespace mlir::nlogic::runtime;

namespace {
class ReferenceEngine : public Engine {
public:
  explicit ReferenceEngine(const TemplateModel &model) : model(model) {
    used.assign(model.weights.size(), false);
  }

  mlir::FailureOr<int> addBatch(llvm::ArrayRef<const GroundNetwork *> nets,
                                std::string &) override {
    batches.emplace_back(nets.begin(), nets.end());
    while (evaluators.size() < nets.size())
      evaluators.emplace_back(model);
    return batches.size() - 1;
  }

  std::vector<std::vector<Tensor>> forward(int batch,
                                           const Parameters &params) override {
    std::vector<std::vector<Tensor>> outputs;
    for (auto [i, net] : llvm::enumerate(batches[batch]))
      outputs.push_back(evaluators[i].forward(*net, params));
    return outputs;
  }

  void backward(int batch, const Parameters &params,
                const std::vector<std::vector<Tensor>> &dOutputs,
                std::vector<Tensor> &grads) override {
    for (auto [i, net] : llvm::enumerate(batches[batch])) {
      Evaluator &e = evaluators[i];
      e.clearUsedWeights();
      e.backward(*net, params, dOutputs[i], grads);
      for (auto [u, v] : llvm::zip(used, e.usedWeights()))
        u = u || v;
    }
  }

  const std::vector<bool> &usedWeights() const override { return used; }
  void clearUsedWeights() override { used.assign(used.size(), false); }
  llvm::StringRef name() const override { return "reference"; }

private:
  const TemplateModel &model;
  std::vector<std::vector<const GroundNetwork *>> batches;
  std::vector<Evaluator> evaluators;
  std::vector<bool> used;
};
} // namespace

std::unique_ptr<Engine>
mlir::nlogic::runtime::createReferenceEngine(const TemplateModel &model) {
  return std::make_unique<ReferenceEngine>(model);
}
