//===- nlogic-translate.cpp - translations into and out of nlogic ---------===//
//
// The mlir-translate of nlogic. `--import-neuralogic FILE` reads a template
// in NeuraLogic's text format and prints the verified nlogic IR; errors
// are reported as `file:line:col: error: ...` with exit code 1.
// `--export-dot` draws the templates of an nlogic module as a Graphviz
// digraph.
//
//===----------------------------------------------------------------------===//

#include "nlogic/Frontend/NeuraLogic/Importer.h"
#include "nlogic/InitAll.h"
#include "nlogic/Target/TemplateToDot.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/Support/CommandLine.h"

using namespace mlir;

static llvm::cl::opt<std::string>
    templateName("template-name",
                 llvm::cl::desc("symbol of the imported nlogic.template"),
                 llvm::cl::init("template"));

static void registerImportNeuraLogic() {
  static TranslateToMLIRRegistration importNeuraLogic(
      "import-neuralogic",
      "import a NeuraLogic text-format template as nlogic IR",
      [](llvm::SourceMgr &sourceMgr,
         MLIRContext *context) -> OwningOpRef<Operation *> {
        mlir::nlogic::neuralogic::ImportOptions options;
        options.templateName = templateName;
        return mlir::nlogic::neuralogic::importTemplate(sourceMgr, context,
                                                        options);
      },
      [](DialectRegistry &registry) {
        mlir::nlogic::registerAllDialects(registry);
      });
}

int main(int argc, char **argv) {
  registerImportNeuraLogic();
  mlir::nlogic::registerExportTemplateDot();
  return failed(mlirTranslateMain(argc, argv, "nlogic translation driver")) ? 1
                                                                            : 0;
}
