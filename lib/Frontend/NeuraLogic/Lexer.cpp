//===- Lexer.cpp - tokens of NeuraLogic's text format ---------------------===//
//
// A hand-written lexer for NeuraLogic's token set (see Neuralogic.g4):
// names may contain '-' and '_' after the first letter, numbers may carry
// a sign, comments nest.
//
//===----------------------------------------------------------------------===//

#include "nlogic/Frontend/NeuraLogic/Lexer.h"

#include "llvm/ADT/StringExtras.h"

using namespace mlir::nlogic::neuralogic;
using llvm::StringRef;

static bool isNameChar(char c) {
  return llvm::isAlnum(c) || c == '_' || c == '-';
}

namespace {
class Lexer {
public:
  explicit Lexer(StringRef buffer)
      : buffer(buffer), cur(buffer.begin()), end(buffer.end()) {}

  std::vector<Token> run() {
    std::vector<Token> tokens;
    while (true) {
      Token tok = next();
      tokens.push_back(tok);
      if (tok.is(TokenKind::Eof) || tok.is(TokenKind::Error))
        return tokens;
    }
  }

private:
  Token make(TokenKind kind, const char *start) {
    return Token{kind, StringRef(start, cur - start),
                 llvm::SMLoc::getFromPointer(start)};
  }
  Token error(const char *start, const char *message) {
    // `message` is a string literal: the token may outlive the lexer.
    return Token{TokenKind::Error, StringRef(message),
                 llvm::SMLoc::getFromPointer(start)};
  }

  /// Skips blanks, `%` line comments and nested `/* */` comments.
  bool skipTrivia(Token &err) {
    while (cur < end) {
      char c = *cur;
      if (llvm::isSpace(c)) {
        ++cur;
      } else if (c == '%') {
        while (cur < end && *cur != '\n' && *cur != '\r')
          ++cur;
      } else if (c == '/' && cur + 1 < end && cur[1] == '*') {
        const char *start = cur;
        int depth = 0;
        while (cur < end) {
          if (cur + 1 < end && cur[0] == '/' && cur[1] == '*') {
            ++depth;
            cur += 2;
          } else if (cur + 1 < end && cur[0] == '*' && cur[1] == '/') {
            cur += 2;
            if (--depth == 0)
              break;
          } else {
            ++cur;
          }
        }
        if (depth != 0) {
          err = error(start, "unterminated /* comment");
          return false;
        }
      } else {
        return true;
      }
    }
    return true;
  }

  Token lexNumber(const char *start) {
    if (*cur == '+' || *cur == '-')
      ++cur;
    while (cur < end && llvm::isDigit(*cur))
      ++cur;
    bool isFloat = false;
    if (cur + 1 < end && *cur == '.' && llvm::isDigit(cur[1])) {
      isFloat = true;
      ++cur;
      while (cur < end && llvm::isDigit(*cur))
        ++cur;
    }
    if (cur < end && (*cur == 'e' || *cur == 'E')) {
      const char *exp = cur + 1;
      if (exp < end && (*exp == '+' || *exp == '-'))
        ++exp;
      if (exp < end && llvm::isDigit(*exp)) {
        isFloat = true;
        cur = exp;
        while (cur < end && llvm::isDigit(*cur))
          ++cur;
      }
    }
    return make(isFloat ? TokenKind::Float : TokenKind::Int, start);
  }

  Token next() {
    Token err{TokenKind::Error, "", {}};
    if (!skipTrivia(err))
      return err;
    const char *start = cur;
    if (cur == end)
      return make(TokenKind::Eof, start);
    char c = *cur;
    if (llvm::isDigit(c) ||
        ((c == '-' || c == '+') && cur + 1 < end && llvm::isDigit(cur[1])))
      return lexNumber(start);
    if (llvm::isAlpha(c) || c == '_') {
      ++cur;
      while (cur < end && isNameChar(*cur))
        ++cur;
      bool variable = llvm::isUpper(c) || c == '_';
      return make(variable ? TokenKind::Variable : TokenKind::Name, start);
    }
    ++cur;
    switch (c) {
    case ':':
      if (cur < end && *cur == '-') {
        ++cur;
        return make(TokenKind::ImpliedBy, start);
      }
      return make(TokenKind::Colon, start);
    case '<':
      if (cur < end && *cur == '=') {
        ++cur;
        return make(TokenKind::ImpliedBy, start);
      }
      return make(TokenKind::LAngle, start);
    case '.':
      return make(TokenKind::Dot, start);
    case ',':
      return make(TokenKind::Comma, start);
    case '=':
      return make(TokenKind::Assign, start);
    case '(':
      return make(TokenKind::LParen, start);
    case ')':
      return make(TokenKind::RParen, start);
    case '[':
      return make(TokenKind::LBracket, start);
    case ']':
      return make(TokenKind::RBracket, start);
    case '{':
      return make(TokenKind::LCurl, start);
    case '}':
      return make(TokenKind::RCurl, start);
    case '>':
      return make(TokenKind::RAngle, start);
    case '/':
      return make(TokenKind::Slash, start);
    case '^':
      return make(TokenKind::Caret, start);
    case '$':
      return make(TokenKind::Dollar, start);
    case '~':
      return make(TokenKind::Tilde, start);
    case '!':
      return make(TokenKind::Bang, start);
    case '@':
      return make(TokenKind::At, start);
    case '*':
      return make(TokenKind::Star, start);
    case '|':
      return make(TokenKind::Pipe, start);
    default:
      cur = start;
      return error(start, "unexpected character");
    }
  }

  StringRef buffer;
  const char *cur;
  const char *end;
};
} // namespace

std::vector<Token> mlir::nlogic::neuralogic::tokenize(StringRef buffer) {
  Lexer lexer(buffer);
  std::vector<Token> tokens = lexer.run();
  return tokens;
}

StringRef mlir::nlogic::neuralogic::restOfLine(StringRef buffer,
                                               const char *from) {
  StringRef rest = buffer.substr(from - buffer.begin());
  return rest.take_until([](char c) { return c == '\n' || c == '\r'; }).trim();
}

StringRef mlir::nlogic::neuralogic::spell(TokenKind kind) {
  switch (kind) {
  case TokenKind::Eof:
    return "end of file";
  case TokenKind::Error:
    return "invalid token";
  case TokenKind::Variable:
    return "a variable";
  case TokenKind::Name:
    return "a name";
  case TokenKind::Int:
    return "an integer";
  case TokenKind::Float:
    return "a number";
  case TokenKind::ImpliedBy:
    return "':-'";
  case TokenKind::Dot:
    return "'.'";
  case TokenKind::Comma:
    return "','";
  case TokenKind::Colon:
    return "':'";
  case TokenKind::Assign:
    return "'='";
  case TokenKind::LParen:
    return "'('";
  case TokenKind::RParen:
    return "')'";
  case TokenKind::LBracket:
    return "'['";
  case TokenKind::RBracket:
    return "']'";
  case TokenKind::LCurl:
    return "'{'";
  case TokenKind::RCurl:
    return "'}'";
  case TokenKind::LAngle:
    return "'<'";
  case TokenKind::RAngle:
    return "'>'";
  case TokenKind::Slash:
    return "'/'";
  case TokenKind::Caret:
    return "'^'";
  case TokenKind::Dollar:
    return "'$'";
  case TokenKind::Tilde:
    return "'~'";
  case TokenKind::Bang:
    return "'!'";
  case TokenKind::At:
    return "'@'";
  case TokenKind::Star:
    return "'*'";
  case TokenKind::Pipe:
    return "'|'";
  }
  return "token";
}
