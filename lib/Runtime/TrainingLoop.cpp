//===- TrainingLoop.cpp - batches, epochs and evaluation ------------------===//

#include "nlogic/Runtime/TrainingLoop.h"
#include "nlogic/Runtime/CompiledEngine.h"

using namespace mlir;
using namespace mlir::nlogic::runtime;

std::optional<EngineKind>
mlir::nlogic::runtime::engineKindNamed(llvm::StringRef name) {
  if (name == "compiled")
    return EngineKind::Compiled;
  if (name == "reference")
    return EngineKind::Reference;
  return std::nullopt;
}

FailureOr<std::unique_ptr<Engine>> mlir::nlogic::runtime::createEngine(
    EngineKind kind, TemplateOp templ, const TemplateModel &model,
    llvm::ArrayRef<GroundNetwork> nets, bool fastMath) {
  if (kind == EngineKind::Reference)
    return createReferenceEngine(model);
  return createCompiledEngine(templ, model, nets, fastMath);
}

FailureOr<std::vector<int>>
mlir::nlogic::runtime::addBatches(Engine &engine,
                                  llvm::ArrayRef<GroundNetwork> networks,
                                  size_t size, std::string &error) {
  std::vector<int> ids;
  for (size_t i = 0, n = networks.size(); i < n; i += size) {
    std::vector<const GroundNetwork *> batch;
    for (size_t j = i; j < std::min(n, i + size); ++j)
      batch.push_back(&networks[j]);
    FailureOr<int> id = engine.addBatch(batch, error);
    if (failed(id))
      return failure();
    ids.push_back(*id);
  }
  return ids;
}

void mlir::nlogic::runtime::trainEpoch(
    Engine &engine, llvm::ArrayRef<int> batches, const Dataset &dataset,
    Parameters &params, Optimizer &optimizer, Loss loss,
    std::vector<Tensor> &outputs, std::vector<Tensor> &targets,
    llvm::function_ref<void(size_t)> onBatch) {
  std::vector<Tensor> grads;
  for (const Tensor &p : params)
    grads.push_back(Tensor::zerosLike(p));
  size_t sample = 0;
  for (int b : batches) {
    std::vector<std::vector<Tensor>> out = engine.forward(b, params);
    std::vector<std::vector<Tensor>> dOut;
    for (std::vector<Tensor> &o : out) {
      const Sample &s = dataset.samples[sample++];
      std::vector<Tensor> d;
      for (auto [q, v] : llvm::zip(s.queries, o)) {
        lossAndGrad(loss, v, q.target, d.emplace_back());
        outputs.push_back(std::move(v)); // the batch's outputs are not kept
        targets.push_back(q.target);
      }
      dOut.push_back(std::move(d));
    }
    engine.backward(b, params, dOut, grads);
    engine.optimizerStep(optimizer, params, grads);
    for (Tensor &g : grads)
      std::fill(g.data.begin(), g.data.end(), 0.0);
    if (onBatch)
      onBatch(sample);
  }
}

std::vector<std::vector<Tensor>> mlir::nlogic::runtime::evaluateBatches(
    Engine &engine, llvm::ArrayRef<int> batches, const Parameters &params) {
  std::vector<std::vector<Tensor>> result;
  for (int b : batches)
    for (std::vector<Tensor> &out : engine.forward(b, params))
      result.push_back(std::move(out));
  return result;
}
