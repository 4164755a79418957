//===- Lexer.h - tokens of NeuraLogic's text format ---------------*- C++
//-*-===//
//
// Splits a NeuraLogic template (or examples / queries) file into tokens,
// following the lexer rules of NeuraLogic's grammar (Neuralogic.g4):
// whitespace and `%` / `/* */` comments are skipped; `:-` and `<=` both
// mean "implied by".
//
//===----------------------------------------------------------------------===//

#ifndef NLOGIC_FRONTEND_NEURALOGIC_LEXER_H
#define NLOGIC_FRONTEND_NEURALOGIC_LEXER_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/SMLoc.h"
#include <string>
#include <vector>

namespace mlir::nlogic::neuralogic {

enum class TokenKind {
  Eof,
  Error,     // an unexpected character; text holds the message
  Variable,  // X, Foo, _, _x
  Name,      // atom names and constants: foo, u_shaped, elementproduct-tanh
  Int,       // [+-]?[0-9]+
  Float,     // [+-]?[0-9]+.[0-9]+([eE][+-]?[0-9]+)?
  ImpliedBy, // :- or <=
  Dot,
  Comma,
  Colon,
  Assign, // =
  LParen,
  RParen,
  LBracket,
  RBracket,
  LCurl,
  RCurl,
  LAngle,
  RAngle,
  Slash,
  Caret,
  Dollar,
  Tilde, // soft negation
  Bang,  // hard negation (negation as failure)
  At,    // special (builtin) predicate prefix
  Star,  // private (hidden) predicate prefix
  Pipe,
};

struct Token {
  TokenKind kind;
  llvm::StringRef text;
  llvm::SMLoc loc;
  bool is(TokenKind k) const { return kind == k; }
  /// Whether the token is directly followed by the next one (no blank or
  /// comment between them); used to read `import` paths.
  const char *end() const { return text.end(); }
};

/// Tokenizes `buffer` completely. The last token is Eof (or Error).
std::vector<Token> tokenize(llvm::StringRef buffer);

/// The raw text from `from` to the end of its line, trimmed: used for the
/// path of an `import` statement.
llvm::StringRef restOfLine(llvm::StringRef buffer, const char *from);

llvm::StringRef spell(TokenKind kind);

} // namespace mlir::nlogic::neuralogic

#endif // NLOGIC_FRONTEND_NEURALOGIC_LEXER_H
