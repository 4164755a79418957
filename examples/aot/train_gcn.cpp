//===- train_gcn.cpp - training an ahead-of-time compiled model -----------===//
//
// The GCN of examples/gnn/gcn.txt, compiled ahead of time by
//
//   nlogic-compile examples/gnn/gcn.txt --shape node_feature=7 --prefix gcn \
//       -o gcn_model.o --header gcn_model.h
//
// and linked into this program with the nlogic runtime. The runtime reads
// the template (for grounding) and the graphs, lays them out as ground
// tables, and the kernels of gcn_model.o compute forward and backward
// passes: no JIT, no compiler at run time.
//
//   nlogic-aot-gcn TEMPLATE GRAPHS.jsonl [EPOCHS]
//
//===----------------------------------------------------------------------===//

#include "gcn_model.h"

#include "nlogic/Frontend/NeuraLogic/Importer.h"
#include "nlogic/InitAll.h"
#include "nlogic/Runtime/CompiledEngine.h"
#include "nlogic/Runtime/Dataset.h"
#include "nlogic/Runtime/Grounder.h"
#include "nlogic/Runtime/Training.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdlib>

using namespace mlir;
using namespace mlir::nlogic;
using namespace mlir::nlogic::runtime;

static int fail(const llvm::Twine &message) {
  llvm::errs() << "nlogic-aot-gcn: " << message << "\n";
  return 1;
}

int main(int argc, char **argv) {
  if (argc < 3)
    return fail("usage: nlogic-aot-gcn TEMPLATE GRAPHS.jsonl [EPOCHS]");
  unsigned epochs = argc > 3 ? std::atoi(argv[3]) : 20;

  DialectRegistry registry;
  registerAllDialects(registry);
  MLIRContext ctx(registry);
  OwningOpRef<ModuleOp> module = neuralogic::importTemplateFile(argv[1], &ctx);
  if (!module || failed(verify(*module)))
    return fail("cannot load the template");
  TemplateOp templ = *module->getOps<TemplateOp>().begin();
  FailureOr<TemplateModel> model = buildModel(templ);
  if (failed(model))
    return 1;

  Dataset dataset;
  if (failed(loadTensorDataset(*model, argv[2], dataset)))
    return 1;
  Grounder grounder(*model);
  std::vector<GroundNetwork> nets(dataset.samples.size());
  for (size_t i = 0; i < nets.size(); ++i) {
    std::string error;
    if (failed(grounder.ground(dataset.samples[i], nets[i], error)))
      return fail(error);
  }

  // The ahead-of-time kernels, checked against the template and the data.
  std::string error;
  FailureOr<std::unique_ptr<Engine>> engine =
      createCompiledEngine(gcn_kernel_table, *model, nets, error);
  if (failed(engine))
    return fail(error);

  Parameters params = initializeWeights(*model, /*seed=*/1);
  Optimizer adam(OptimizerKind::Adam, 0.01, *model);
  std::vector<int> batches;
  for (const GroundNetwork &net : nets) {
    FailureOr<int> id = (*engine)->addBatch({&net}, error);
    if (failed(id))
      return fail(error);
    batches.push_back(*id);
  }
  std::vector<Tensor> grads;
  for (const Tensor &p : params)
    grads.push_back(Tensor::zerosLike(p));

  for (unsigned epoch = 1; epoch <= epochs; ++epoch) {
    std::vector<Tensor> outputs, targets;
    for (size_t i = 0; i < batches.size(); ++i) {
      auto out = (*engine)->forward(batches[i], params);
      std::vector<std::vector<Tensor>> dOut(1);
      for (auto [q, o] : llvm::zip(dataset.samples[i].queries, out[0])) {
        lossAndGrad(Loss::MSE, o, q.target, dOut[0].emplace_back());
        outputs.push_back(o);
        targets.push_back(q.target);
      }
      (*engine)->backward(batches[i], params, dOut, grads);
      (*engine)->optimizerStep(adam, params, grads);
      for (Tensor &g : grads)
        std::fill(g.data.begin(), g.data.end(), 0.0);
    }
    Metrics m = computeMetrics(Loss::MSE, outputs, targets);
    if (epoch == 1 || epoch == epochs)
      llvm::outs() << llvm::format("epoch %u: loss %.6f accuracy %.4f\n", epoch,
                                   m.loss, m.accuracy);
  }
  return 0;
}
