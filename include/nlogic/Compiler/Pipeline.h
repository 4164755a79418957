//===- Pipeline.h - from a template to LLVM -----------------------*- C++
//-*-===//
//
// The compiler's pipeline, shared by nlogic-opt (as registered pipelines),
// the JIT of the runtime and the ahead-of-time driver nlogic-compile:
//
//   nlogic template --nlogic-specialize-shapes--> static shapes
//     --convert-nlogic-to-linalg--> rule kernels (scf + linalg + memref)
//     --nlogic-lower-kernels-to-llvm--> LLVM dialect
//
// and, for grounding (shape independent):
//
//   nlogic template --convert-nlogic-to-rel--> join plans (rel)
//     --convert-rel-to-scf--> loops over the runtime's tables
//     --nlogic-lower-kernels-to-llvm--> LLVM dialect
//
//===----------------------------------------------------------------------===//

#ifndef NLOGIC_COMPILER_PIPELINE_H
#define NLOGIC_COMPILER_PIPELINE_H

#include "nlogic/Dialect/NLogic/IR/NLogicOps.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "mlir/Pass/PassManager.h"

#include <string>
#include <vector>

namespace mlir::nlogic {

/// Kernels (linalg on memrefs, scf loops) down to the LLVM dialect.
void buildKernelLoweringPipeline(OpPassManager &pm);

/// Registers `nlogic-lower-kernels-to-llvm`, `nlogic-compile-template` and
/// `nlogic-compile-grounding`.
void registerNLogicPipelines();

struct CompileOptions {
  /// Shapes of the data relations, as `symbol=dims`
  /// (see nlogic-specialize-shapes).
  std::vector<std::string> shapes;
  std::string prefix = "nlogic";
  /// Warn when a data relation used as a value has no shape (scalars are
  /// assumed): right for nlogic-compile, noise for a JIT that sees the data.
  bool warnUnknownShapes = false;
  /// Stop after convert-nlogic-to-linalg (for inspection).
  bool stopAtKernels = false;
  /// Reductions may reassociate (vectorised dot products; rounding differs
  /// from the reference evaluator's).
  bool reassociate = false;
};

struct CompiledTemplate {
  /// The kernels, in the LLVM dialect (or before lowering, with
  /// `stopAtKernels`).
  OwningOpRef<ModuleOp> module;
  /// The static shape of every relation, in declaration order (rows and
  /// columns; a vector is a column).
  std::vector<std::pair<int64_t, int64_t>> relationShapes;
  /// Elements of each rule's aggregated value (before its head weight), for
  /// the rules in evaluation order.
  std::vector<int64_t> aggregateSizes;
  /// Per rule (evaluation order), NLOGIC_TILING_* and the body positions of
  /// its vector atoms (nlogic/Runtime/KernelTable.h).
  std::vector<int32_t> ruleTiling;
  /// Elements of the parameter arena.
  int64_t numParameters = 0;
};

/// Compiles a copy of `templ`. Diagnostics go to the context's handler;
/// the template itself is not modified.
FailureOr<CompiledTemplate> compileTemplate(TemplateOp templ,
                                            const CompileOptions &options);

/// The grounding of a template as code: one function per rule
/// (`<prefix>_ground_rule<k>`, see nlogic/Runtime/GroundingABI.h).
struct CompiledGrounding {
  /// The functions, in the LLVM dialect.
  OwningOpRef<ModuleOp> module;
  /// Spellings of the name constants, in the order of the context's
  /// `names` array.
  std::vector<std::string> names;
  int64_t numRules = 0;
};

/// Plans the joins of a copy of `templ` (convert-nlogic-to-rel) and lowers
/// them (convert-rel-to-scf, then the kernels' lowering to LLVM).
FailureOr<CompiledGrounding> compileGrounding(TemplateOp templ,
                                              StringRef prefix = "nlogic");

} // namespace mlir::nlogic

#endif // NLOGIC_COMPILER_PIPELINE_H
