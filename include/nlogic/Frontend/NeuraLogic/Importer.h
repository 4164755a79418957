//===- Importer.h - NeuraLogic templates to the nlogic dialect ----*- C++
//-*-===//
//
// Entry point of the NeuraLogic front end: reads a template in NeuraLogic's
// text format and builds an `nlogic.template`, making every default of
// NeuraLogic explicit in the IR (rule and relation transformations,
// combinations, aggregations).
//
//===----------------------------------------------------------------------===//

#ifndef NLOGIC_FRONTEND_NEURALOGIC_IMPORTER_H
#define NLOGIC_FRONTEND_NEURALOGIC_IMPORTER_H

#include "nlogic/Dialect/NLogic/IR/NLogicTypes.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include <string>

namespace llvm {
class SourceMgr;
} // namespace llvm

namespace mlir::nlogic::neuralogic {

/// The defaults PyNeuraLogic 0.9 applies when a template does not say
/// otherwise (measured against PyNeuraLogic 0.9.2, see
/// docs/LanguageReference.md): identity transformations, sum combinations,
/// avg aggregation. NeuraLogic's Java command line defaults to tanh instead.
struct ImportOptions {
  mlir::nlogic::Transformation ruleTransformation =
      mlir::nlogic::Transformation::identity;
  mlir::nlogic::Combination ruleCombination = mlir::nlogic::Combination::sum;
  mlir::nlogic::Aggregation ruleAggregation = mlir::nlogic::Aggregation::avg;
  mlir::nlogic::Transformation relationTransformation =
      mlir::nlogic::Transformation::identity;
  mlir::nlogic::Combination relationCombination =
      mlir::nlogic::Combination::sum;
  /// Symbol of the created `nlogic.template`.
  std::string templateName = "template";
};

/// Imports the template in the main buffer of `sourceMgr` (imports are
/// added to it). Errors are reported as MLIR diagnostics located in the
/// source files; the result is null on error. The result is not verified.
mlir::OwningOpRef<mlir::ModuleOp>
importTemplate(llvm::SourceMgr &sourceMgr, mlir::MLIRContext *context,
               const ImportOptions &options = {});

/// Reads `path` and imports it (see above).
mlir::OwningOpRef<mlir::ModuleOp>
importTemplateFile(llvm::StringRef path, mlir::MLIRContext *context,
                   const ImportOptions &options = {});

/// Parses a NeuraLogic function name (`tanh`, `sigm`, `leakyrelu`, ...).
std::optional<mlir::nlogic::Transformation>
parseTransformationName(llvm::StringRef name);
std::optional<mlir::nlogic::Combination>
parseCombinationName(llvm::StringRef name);
std::optional<mlir::nlogic::Aggregation>
parseAggregationName(llvm::StringRef name);

} // namespace mlir::nlogic::neuralogic

#endif // NLOGIC_FRONTEND_NEURALOGIC_IMPORTER_H
