//===- Pipeline.cpp - from a template to LLVM -----------------------------===//

#include "nlogic/Compiler/Pipeline.h"
#include "nlogic/Conversion/Passes.h"
#include "nlogic/Dialect/NLogic/IR/Stratification.h"
#include "nlogic/Dialect/NLogic/IR/ValueShape.h"
#include "nlogic/Dialect/NLogic/Transforms/Passes.h"

#include "mlir/Conversion/AffineToStandard/AffineToStandard.h"
#include "mlir/Conversion/ArithToLLVM/ArithToLLVM.h"
#include "mlir/Conversion/ControlFlowToLLVM/ControlFlowToLLVM.h"
#include "mlir/Conversion/FuncToLLVM/ConvertFuncToLLVMPass.h"
#include "mlir/Conversion/IndexToLLVM/IndexToLLVM.h"
#include "mlir/Conversion/MathToLLVM/MathToLLVM.h"
#include "mlir/Conversion/MathToLibm/MathToLibm.h"
#include "mlir/Conversion/MemRefToLLVM/MemRefToLLVM.h"
#include "mlir/Conversion/ReconcileUnrealizedCasts/ReconcileUnrealizedCasts.h"
#include "mlir/Conversion/SCFToControlFlow/SCFToControlFlow.h"
#include "mlir/Conversion/VectorToLLVM/ConvertVectorToLLVMPass.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;
using namespace mlir::nlogic;

void nlogic::buildKernelLoweringPipeline(OpPassManager &pm) {
  pm.addPass(createConvertLinalgToLoopsPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  pm.addPass(createLoopInvariantCodeMotionPass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  // Register tiles are written in the vector dialect (ContractionTiles).
  pm.addPass(createConvertVectorToLLVMPass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  // Transcendentals become LLVM intrinsics; whatever math op has none
  // (none of those the kernels use today) falls back to libm.
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createConvertMathToLibmPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  // Arenas are distinct buffers: tell LLVM on the pointers it sees.
  pm.addPass(createPropagateKernelNoAliasPass());
}

/// Template level: static shapes, weights moved after aggregations.
static void addTemplatePasses(OpPassManager &pm,
                              const CompileOptions &options) {
  NLogicSpecializeShapesPassOptions shapes;
  shapes.shapes.assign(options.shapes.begin(), options.shapes.end());
  shapes.warnUnknown = options.warnUnknownShapes;
  pm.addNestedPass<TemplateOp>(createNLogicSpecializeShapesPass(shapes));
  pm.addNestedPass<TemplateOp>(createNLogicHoistWeightsPass());
}

/// Kernels, and unless asked to stop there, their lowering to LLVM.
static void addKernelPasses(OpPassManager &pm, const CompileOptions &options) {
  ConvertNLogicToLinalgPassOptions kernels;
  kernels.prefix = options.prefix;
  kernels.reassociate = options.reassociate;
  pm.addPass(createConvertNLogicToLinalgPass(kernels));
  if (!options.stopAtKernels)
    buildKernelLoweringPipeline(pm);
}

/// Join plans, and their lowering to functions of the grounding ABI.
static void buildGroundingPipeline(OpPassManager &pm, StringRef prefix) {
  pm.addPass(createConvertNLogicToRelPass());
  ConvertRelToSCFPassOptions lowering;
  lowering.prefix = prefix.str();
  pm.addPass(createConvertRelToSCFPass(lowering));
  buildKernelLoweringPipeline(pm);
}

static void buildTemplatePipeline(OpPassManager &pm,
                                  const CompileOptions &options) {
  addTemplatePasses(pm, options);
  addKernelPasses(pm, options);
}

namespace {
struct TemplatePipelineOptions
    : public PassPipelineOptions<TemplatePipelineOptions> {
  ListOption<std::string> shapes{
      *this, "shapes", llvm::cl::desc("shapes of data relations: symbol=dims")};
  Option<std::string> prefix{*this, "prefix",
                             llvm::cl::desc("kernel symbol prefix"),
                             llvm::cl::init("nlogic")};
};
} // namespace

void nlogic::registerNLogicPipelines() {
  PassPipelineRegistration<>(
      "nlogic-lower-kernels-to-llvm",
      "Lowers rule kernels (linalg, scf, memref, math) to the LLVM dialect",
      buildKernelLoweringPipeline);
  PassPipelineRegistration<TemplatePipelineOptions>(
      "nlogic-compile-template",
      "Specialises shapes, builds the rule kernels and lowers them to LLVM",
      [](OpPassManager &pm, const TemplatePipelineOptions &opts) {
        CompileOptions options;
        options.shapes.assign(opts.shapes.begin(), opts.shapes.end());
        options.prefix = opts.prefix;
        buildTemplatePipeline(pm, options);
      });
  PassPipelineRegistration<TemplatePipelineOptions>(
      "nlogic-compile-grounding",
      "Plans the joins of every rule and lowers the plans to LLVM",
      [](OpPassManager &pm, const TemplatePipelineOptions &opts) {
        buildGroundingPipeline(pm, opts.prefix);
      });
}

FailureOr<CompiledGrounding> nlogic::compileGrounding(TemplateOp templ,
                                                      StringRef prefix) {
  OpBuilder builder(templ.getContext());
  CompiledGrounding result;
  result.module = ModuleOp::create(templ.getLoc());
  builder.setInsertionPointToEnd(result.module->getBody());
  auto copy = cast<TemplateOp>(builder.clone(*templ));
  result.numRules = llvm::range_size(copy.getRules());
  PassManager pm(templ.getContext());
  buildGroundingPipeline(pm, prefix);
  if (failed(pm.run(*result.module)))
    return failure();
  if (auto names =
          result.module->getOperation()->getAttrOfType<ArrayAttr>("rel.names"))
    for (Attribute name : names)
      result.names.push_back(cast<StringAttr>(name).str());
  return result;
}

FailureOr<CompiledTemplate>
nlogic::compileTemplate(TemplateOp templ, const CompileOptions &options) {
  OpBuilder builder(templ.getContext());
  CompiledTemplate result;
  result.module = ModuleOp::create(templ.getLoc());
  builder.setInsertionPointToEnd(result.module->getBody());
  auto copy = cast<TemplateOp>(builder.clone(*templ));

  // Shapes first: the runtime lays out its arenas by them.
  PassManager shapes(templ.getContext());
  addTemplatePasses(shapes, options);
  if (failed(shapes.run(*result.module)))
    return failure();
  for (RelationOp rel : copy.getRelations()) {
    ValueShape s = ValueShape::fromType(rel.getValueType());
    result.relationShapes.push_back({s.rows(), s.cols()});
  }
  SymbolTable symbols(copy);
  for (RuleOp rule :
       rulesInEvaluationOrder(copy, computeStratification(copy))) {
    ValueShape s = ValueShape::fromType(rule.getHeadOp().getValue().getType());
    int64_t size =
        rule.getAggregation() == Aggregation::count ? 1 : s.getNumElements();
    // A rule of a product relation also keeps the product of the earlier
    // rules' contributions (convert-nlogic-to-linalg).
    auto head = symbols.lookup<RelationOp>(rule.getHead());
    if (head.multipliesContributions())
      ++size;
    result.aggregateSizes.push_back(size);
  }

  PassManager pm(templ.getContext());
  addKernelPasses(pm, options);
  if (failed(pm.run(*result.module)))
    return failure();
  if (auto n = result.module->getOperation()->getAttrOfType<IntegerAttr>(
          options.prefix + ".parameters"))
    result.numParameters = n.getInt();
  if (auto tiling =
          result.module->getOperation()->getAttrOfType<DenseI32ArrayAttr>(
              options.prefix + ".rule_tiling"))
    result.ruleTiling.assign(tiling.asArrayRef().begin(),
                             tiling.asArrayRef().end());
  return result;
}
