//===- nlogic-compile.cpp - ahead-of-time compilation of templates --------===//
//
//   nlogic-compile TEMPLATE -o model.o [--header model.h]
//                  [--shape relation=dims ...] [--prefix name]
//                  [--mcpu generic|native|<cpu>] [--emit obj|kernels|llvm]
//
// Compiles a template (nlogic IR or NeuraLogic text) into an object file
// with one forward and one backward kernel per rule and derived relation,
// and a C header declaring them and a `nlogic_kernel_table` (the C ABI of
// nlogic/Runtime/KernelTable.h). Data relations need their value shapes:
// `--shape node_feature=7`. Errors are reported as file:line:col; nothing
// is written unless compilation succeeds.
//
//===----------------------------------------------------------------------===//

#include "nlogic/Compiler/AheadOfTime.h"
#include "nlogic/Frontend/NeuraLogic/Importer.h"
#include "nlogic/InitAll.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/WithColor.h"

using namespace mlir;
using namespace mlir::nlogic;
namespace cl = llvm::cl;

static cl::OptionCategory category("nlogic-compile options");
static cl::opt<std::string> templatePath(cl::Positional, cl::Required,
                                         cl::desc("<template .mlir|.txt>"),
                                         cl::cat(category));
static cl::opt<std::string> outputPath("o", cl::desc("output file"),
                                       cl::value_desc("file"), cl::Required,
                                       cl::cat(category));
static cl::opt<std::string> headerPath("header",
                                       cl::desc("also write the C header"),
                                       cl::value_desc("file"),
                                       cl::cat(category));
static cl::list<std::string>
    shapes("shape",
           cl::desc("shape of a data relation: symbol=dims (7, 3x3 "
                    "or scalar)"),
           cl::value_desc("relation=dims"), cl::CommaSeparated,
           cl::cat(category));
static cl::opt<std::string>
    prefix("prefix", cl::desc("prefix of the kernel and table symbols"),
           cl::init("nlogic"), cl::cat(category));
static cl::opt<std::string>
    cpu("mcpu",
        cl::desc("target CPU: generic (portable), native, or an "
                 "LLVM CPU name"),
        cl::init("generic"), cl::cat(category));
static cl::opt<bool> fastMath(
    "fast-math",
    cl::desc("let reductions reassociate, as `nlogic --fast-math` does: "
             "vectorised sums, register tiles for attention's products, "
             "windows of matrix products (rounding differs from the "
             "reference evaluator's summation order)"),
    cl::init(false), cl::cat(category));
static cl::opt<std::string>
    emit("emit",
         cl::desc("obj (object file), kernels (rule kernels as MLIR), "
                  "llvm (LLVM dialect)"),
         cl::init("obj"), cl::cat(category));

static OwningOpRef<ModuleOp> loadTemplate(MLIRContext &ctx,
                                          llvm::SourceMgr &sourceMgr) {
  std::string error;
  auto file = openInputFile(templatePath, &error);
  if (!file) {
    llvm::WithColor::error(llvm::errs(), "nlogic-compile") << error << "\n";
    return nullptr;
  }
  sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  if (llvm::StringRef(templatePath).ends_with(".txt")) {
    auto module = neuralogic::importTemplate(sourceMgr, &ctx,
                                             neuralogic::ImportOptions());
    if (module && failed(verify(*module)))
      return nullptr;
    return module;
  }
  return parseSourceFile<ModuleOp>(sourceMgr, &ctx);
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(argc, argv,
                              "nlogic-compile: ahead-of-time compilation of "
                              "templates into object files\n");
  if (emit != "obj" && emit != "kernels" && emit != "llvm") {
    llvm::errs() << "nlogic-compile: unknown --emit '" << emit
                 << "' (expected obj, kernels or llvm)\n";
    return 2;
  }

  DialectRegistry registry;
  registerAllDialects(registry);
  MLIRContext ctx(registry);
  ctx.printOpOnDiagnostic(false);
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler handler(sourceMgr, &ctx);
  OwningOpRef<ModuleOp> module = loadTemplate(ctx, sourceMgr);
  if (!module)
    return 1;
  SmallVector<TemplateOp> templates(module->getOps<TemplateOp>());
  if (templates.size() != 1) {
    llvm::WithColor::error(llvm::errs(), "nlogic-compile")
        << templatePath << ": expected one nlogic.template, found "
        << templates.size() << "\n";
    return 1;
  }
  CompileOptions options;
  options.shapes.assign(shapes.begin(), shapes.end());
  options.prefix = prefix;
  options.warnUnknownShapes = true;
  options.stopAtKernels = emit == "kernels";
  options.reassociate = fastMath;
  FailureOr<CompiledTemplate> compiled =
      compileTemplate(templates.front(), options);
  if (failed(compiled))
    return 1;

  std::string error;
  if (emit == "obj") {
    if (failed(writeObjectFile(*compiled->module, outputPath, cpu, error))) {
      llvm::WithColor::error(llvm::errs(), "nlogic-compile") << error << "\n";
      return 1;
    }
  } else {
    std::error_code ec;
    llvm::ToolOutputFile out(outputPath, ec, llvm::sys::fs::OF_Text);
    if (ec) {
      llvm::WithColor::error(llvm::errs(), "nlogic-compile")
          << "cannot write '" << outputPath << "': " << ec.message() << "\n";
      return 1;
    }
    compiled->module->print(out.os());
    out.keep();
  }
  if (!headerPath.empty()) {
    std::error_code ec;
    llvm::ToolOutputFile out(headerPath, ec, llvm::sys::fs::OF_Text);
    if (ec) {
      llvm::WithColor::error(llvm::errs(), "nlogic-compile")
          << "cannot write '" << headerPath << "': " << ec.message() << "\n";
      return 1;
    }
    out.os() << kernelHeader(templates.front(), *compiled, prefix);
    out.keep();
  }
  return 0;
}
