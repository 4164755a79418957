//===- Parser.h - parser of NeuraLogic's text format --------------*- C++
//-*-===//
//
// A recursive-descent parser for NeuraLogic templates, written from the
// grammar of NeuraLogic's Neuralogic.g4 (no ANTLR runtime). `import FILE`
// statements are followed relative to the importing file; every file read
// is added to the SourceMgr so diagnostics point into it.
//
//===----------------------------------------------------------------------===//

#ifndef NLOGIC_FRONTEND_NEURALOGIC_PARSER_H
#define NLOGIC_FRONTEND_NEURALOGIC_PARSER_H

#include "nlogic/Frontend/NeuraLogic/Ast.h"

#include "llvm/ADT/Twine.h"
#include "llvm/Support/SMLoc.h"
#include <functional>

namespace llvm {
class SourceMgr;
} // namespace llvm

namespace mlir::nlogic::neuralogic {

using ErrorFn = std::function<void(llvm::SMLoc, const llvm::Twine &)>;

/// Parses the template in buffer `bufferId` of `sourceMgr`, following its
/// imports, appending every statement to `ast`. Reports the first syntax
/// error through `onError` and returns false.
bool parseTemplate(llvm::SourceMgr &sourceMgr, unsigned bufferId,
                   TemplateAst &ast, const ErrorFn &onError);

/// One statement of an examples or queries file: `label :- facts.` (a
/// labelled example: the label literals are queries with their values as
/// targets) or `facts.` (a conjunction of valued literals).
struct ExampleStatement {
  llvm::SMLoc loc;
  bool hasLabel = false;
  std::vector<Literal> label;
  std::vector<Literal> body;
};

/// Parses an examples or queries file (NeuraLogic's examplesFile and
/// queriesFile rules) into statements.
bool parseExamples(llvm::SourceMgr &sourceMgr, unsigned bufferId,
                   std::vector<ExampleStatement> &statements,
                   const ErrorFn &onError);

} // namespace mlir::nlogic::neuralogic

#endif // NLOGIC_FRONTEND_NEURALOGIC_PARSER_H
