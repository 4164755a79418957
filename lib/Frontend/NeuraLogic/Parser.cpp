//===- Parser.cpp - parser of NeuraLogic's text format --------------------===//
//
// Recursive descent over the token vector of one file. Statement forms
// (Neuralogic.g4's templateLine): rule, fact, conjunction of facts,
// predicate offset `p/1 {3}`, predicate metadata `p/1 [...]`, weight
// metadata `$w [...]`, template metadata `[...]`, and `import FILE`.
//
//===----------------------------------------------------------------------===//

#include "nlogic/Frontend/NeuraLogic/Parser.h"
#include "nlogic/Frontend/NeuraLogic/Lexer.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"

using namespace mlir::nlogic::neuralogic;
using llvm::SMLoc;
using llvm::StringRef;
using llvm::Twine;

namespace {
class Parser {
public:
  Parser(llvm::SourceMgr &sourceMgr, unsigned bufferId, TemplateAst &ast,
         const ErrorFn &onError, std::vector<std::string> &importStack)
      : sourceMgr(sourceMgr), bufferId(bufferId), ast(ast), onError(onError),
        importStack(importStack),
        buffer(sourceMgr.getMemoryBuffer(bufferId)->getBuffer()),
        tokens(tokenize(buffer)) {}

  bool parseFile() {
    while (!cur().is(TokenKind::Eof))
      if (!parseStatement())
        return false;
    return true;
  }

  /// Examples and queries: `literals :- literals.` or `literals.`; a
  /// lone `.` (or `literals :- .`) is an example without facts, as a
  /// sample of a dataset may be.
  bool parseExampleFile(std::vector<ExampleStatement> &out) {
    while (!cur().is(TokenKind::Eof)) {
      if (cur().is(TokenKind::Error))
        return error(cur().loc, cur().text);
      ExampleStatement stmt;
      stmt.loc = cur().loc;
      if (!cur().is(TokenKind::Dot) && !parseLiteralList(stmt.body))
        return false;
      if (consumeIf(TokenKind::ImpliedBy)) {
        stmt.hasLabel = true;
        stmt.label = std::move(stmt.body);
        stmt.body.clear();
        if (!cur().is(TokenKind::Dot) && !parseLiteralList(stmt.body))
          return false;
      }
      if (!expect(TokenKind::Dot, " at the end of the example"))
        return false;
      out.push_back(std::move(stmt));
    }
    return true;
  }

private:
  //===--------------------------------------------------------------------===//
  // Token helpers
  //===--------------------------------------------------------------------===//

  const Token &cur() const { return tokens[pos]; }
  const Token &peek(size_t n = 1) const {
    return tokens[std::min(pos + n, tokens.size() - 1)];
  }
  void advance() {
    if (pos + 1 < tokens.size())
      ++pos;
  }
  bool consumeIf(TokenKind kind) {
    if (!cur().is(kind))
      return false;
    advance();
    return true;
  }
  bool error(SMLoc loc, const Twine &message) {
    onError(loc, message);
    return false;
  }
  /// Reports "expected X" at the current token.
  bool expected(const Twine &what) {
    if (cur().is(TokenKind::Error))
      return error(cur().loc, cur().text);
    // At the end of the input, point just after the last token: that is
    // where the missing piece belongs.
    SMLoc loc = cur().loc;
    if (cur().is(TokenKind::Eof) && pos > 0)
      loc = SMLoc::getFromPointer(tokens[pos - 1].end());
    return error(loc,
                 "expected " + what + ", found " +
                     (cur().is(TokenKind::Eof) ? spell(TokenKind::Eof).str()
                                               : "'" + cur().text.str() + "'"));
  }
  bool expect(TokenKind kind, const Twine &context = "") {
    if (consumeIf(kind))
      return true;
    return expected(spell(kind) + context);
  }

  //===--------------------------------------------------------------------===//
  // Statements
  //===--------------------------------------------------------------------===//

  bool parseStatement() {
    const Token &tok = cur();
    if (tok.is(TokenKind::Error))
      return error(tok.loc, tok.text);
    if (tok.is(TokenKind::LBracket) && isMetadataStart(pos)) {
      return parseMetadataList(ast.templateMetadata);
    }
    if (tok.is(TokenKind::Name) && tok.text == "import" && isImport())
      return parseImport();
    if (tok.is(TokenKind::Dollar) && peek().is(TokenKind::Name) &&
        peek(2).is(TokenKind::LBracket)) {
      WeightSetting setting;
      setting.loc = tok.loc;
      advance();
      setting.name = cur().text.str();
      advance();
      if (!parseMetadataList(setting.metadata))
        return false;
      ast.weightSettings.push_back(std::move(setting));
      return true;
    }

    Literal first;
    if (!parseLiteral(first, /*allowWeight=*/true))
      return false;
    if (cur().is(TokenKind::Slash))
      return parsePredicateSetting(std::move(first));
    if (cur().is(TokenKind::ImpliedBy))
      return parseRule(std::move(first));

    // A fact or a conjunction of facts.
    ast.facts.push_back(std::move(first));
    while (consumeIf(TokenKind::Comma)) {
      Literal fact;
      if (!parseLiteral(fact, /*allowWeight=*/true))
        return false;
      ast.facts.push_back(std::move(fact));
    }
    return expect(TokenKind::Dot, " after a fact");
  }

  /// `[` followed by `]` or by `name =`: a metadata list rather than a
  /// vector weight.
  bool isMetadataStart(size_t at) const {
    const Token &a = tokens[std::min(at + 1, tokens.size() - 1)];
    const Token &b = tokens[std::min(at + 2, tokens.size() - 1)];
    return a.is(TokenKind::RBracket) ||
           (a.is(TokenKind::Name) && b.is(TokenKind::Assign));
  }

  /// `import path` is a statement when `import` is not used as a predicate.
  bool isImport() const {
    const Token &next = peek();
    return !(next.is(TokenKind::LParen) || next.is(TokenKind::ImpliedBy) ||
             next.is(TokenKind::Comma) || next.is(TokenKind::Slash) ||
             next.is(TokenKind::LBracket) ||
             (next.is(TokenKind::Dot) && next.text.begin() == cur().end()));
  }

  bool parseImport() {
    const Token &tok = cur();
    StringRef path = restOfLine(buffer, tok.end());
    if (path.empty())
      return error(tok.loc, "expected a file name after 'import'");
    // Skip the tokens of the path (everything on this line).
    const char *lineEnd = path.end();
    while (!cur().is(TokenKind::Eof) && cur().text.begin() < lineEnd)
      advance();

    llvm::SmallString<256> resolved;
    if (llvm::sys::path::is_absolute(path)) {
      resolved = path;
    } else {
      StringRef importer =
          sourceMgr.getMemoryBuffer(bufferId)->getBufferIdentifier();
      resolved = llvm::sys::path::parent_path(importer);
      llvm::sys::path::append(resolved, path);
    }
    llvm::sys::path::remove_dots(resolved, /*remove_dot_dot=*/true);
    for (const std::string &open : importStack)
      if (open == resolved)
        return error(tok.loc,
                     "import cycle: '" + resolved + "' imports itself");
    auto file = llvm::MemoryBuffer::getFile(resolved);
    if (!file)
      return error(tok.loc, "cannot import '" + resolved +
                                "': " + file.getError().message());
    unsigned id = sourceMgr.AddNewSourceBuffer(std::move(*file), tok.loc);
    importStack.push_back(resolved.str().str());
    Parser nested(sourceMgr, id, ast, onError, importStack);
    bool ok = nested.parseFile();
    importStack.pop_back();
    return ok;
  }

  bool parsePredicateSetting(Literal pred) {
    if (pred.weight || pred.softNegated || pred.hardNegated ||
        !pred.terms.empty() || pred.transposed || !pred.wrappers.empty())
      return error(pred.loc, "expected 'name/arity' before '/'");
    advance(); // '/'
    if (!cur().is(TokenKind::Int))
      return expected("the arity after '/'");
    PredicateSetting setting;
    setting.loc = pred.loc;
    setting.predicate = pred.predicate;
    setting.hidden = pred.hidden;
    if (cur().text.getAsInteger(10, setting.arity) || setting.arity < 0)
      return error(cur().loc, "invalid arity '" + cur().text + "'");
    advance();
    if (cur().is(TokenKind::LBracket) && isMetadataStart(pos)) {
      if (!parseMetadataList(setting.metadata))
        return false;
    } else {
      WeightSpec offset;
      if (!parseWeight(offset))
        return false;
      setting.offset = std::move(offset);
    }
    consumeIf(TokenKind::Dot); // tolerated
    ast.predicateSettings.push_back(std::move(setting));
    return true;
  }

  bool parseRule(Literal head) {
    Rule rule;
    rule.loc = head.loc;
    if (head.softNegated || head.hardNegated || !head.wrappers.empty() ||
        head.transposed)
      return error(head.loc, "a rule head cannot be negated or transformed");
    if (head.special)
      return error(head.loc, "a rule head cannot be a special predicate");
    rule.head = std::move(head);
    advance(); // ':-'
    while (true) {
      if (isWeightStart() && isOffsetAhead()) {
        WeightSpec offset;
        if (!parseWeight(offset))
          return false;
        if (rule.offset)
          return error(offset.loc, "a rule has at most one offset");
        rule.offset = std::move(offset);
      } else {
        Literal lit;
        if (!parseLiteral(lit, /*allowWeight=*/true))
          return false;
        rule.body.push_back(std::move(lit));
      }
      if (consumeIf(TokenKind::Comma))
        continue;
      if (consumeIf(TokenKind::Dot))
        break;
      return expected("',' or '.' in the rule body");
    }
    if (cur().is(TokenKind::LBracket) && isMetadataStart(pos))
      if (!parseMetadataList(rule.metadata))
        return false;
    ast.rules.push_back(std::move(rule));
    return true;
  }

  //===--------------------------------------------------------------------===//
  // Literals
  //===--------------------------------------------------------------------===//

  /// One or more comma-separated (valued) literals.
  bool parseLiteralList(std::vector<Literal> &out) {
    do {
      Literal lit;
      if (!parseLiteral(lit, /*allowWeight=*/true))
        return false;
      out.push_back(std::move(lit));
    } while (consumeIf(TokenKind::Comma));
    return true;
  }

  bool isWeightStart() const {
    switch (cur().kind) {
    case TokenKind::Dollar:
    case TokenKind::LAngle:
    case TokenKind::LCurl:
    case TokenKind::LBracket:
    case TokenKind::Int:
    case TokenKind::Float:
      return true;
    default:
      return false;
    }
  }

  /// Whether the weight starting here ends the body (an offset) instead of
  /// preceding a literal: scans to the matching end of the weight.
  bool isOffsetAhead() const {
    size_t i = pos;
    int depth = 0;
    if (tokens[i].is(TokenKind::Dollar))
      i += 3; // $ name =
    for (; i < tokens.size(); ++i) {
      TokenKind k = tokens[i].kind;
      if (k == TokenKind::LAngle || k == TokenKind::LBracket ||
          k == TokenKind::LCurl)
        ++depth;
      else if (k == TokenKind::RAngle || k == TokenKind::RBracket ||
               k == TokenKind::RCurl)
        --depth;
      else if (k == TokenKind::Eof)
        return false;
      if (depth == 0)
        break;
    }
    const Token &after = tokens[std::min(i + 1, tokens.size() - 1)];
    return after.is(TokenKind::Dot) || after.is(TokenKind::Comma);
  }

  /// `name(` followed by a literal start and its own `(`: a function applied
  /// to a literal (`sigmoid(b(X))`, `transpose(k(J))`).
  bool isWrapperAhead() const {
    if (!peek().is(TokenKind::LParen))
      return false;
    size_t i = pos + 2;
    if (i < tokens.size() &&
        (tokens[i].is(TokenKind::Tilde) || tokens[i].is(TokenKind::Bang) ||
         tokens[i].is(TokenKind::Star) || tokens[i].is(TokenKind::At)))
      return true;
    return i + 1 < tokens.size() && tokens[i].is(TokenKind::Name) &&
           tokens[i + 1].is(TokenKind::LParen);
  }

  bool parseLiteral(Literal &lit, bool allowWeight) {
    lit.loc = cur().loc;
    if (allowWeight && isWeightStart()) {
      WeightSpec weight;
      if (!parseWeight(weight))
        return false;
      lit.weight = std::move(weight);
      lit.loc = cur().loc;
    }
    if (consumeIf(TokenKind::Tilde))
      lit.softNegated = true;
    else if (consumeIf(TokenKind::Bang))
      lit.hardNegated = true;
    if (consumeIf(TokenKind::Star))
      lit.hidden = true;
    if (consumeIf(TokenKind::At))
      lit.special = true;
    if (!cur().is(TokenKind::Name))
      return expected("a predicate name");
    if (!lit.special && !lit.hidden && isWrapperAhead()) {
      std::string fn = cur().text.str();
      SMLoc fnLoc = cur().loc;
      advance(); // name
      advance(); // '('
      Literal inner;
      if (!parseLiteral(inner, /*allowWeight=*/false))
        return false;
      if (!expect(TokenKind::RParen, " after the wrapped literal"))
        return false;
      inner.loc = lit.loc;
      inner.weight = std::move(lit.weight);
      inner.softNegated |= lit.softNegated;
      inner.hardNegated |= lit.hardNegated;
      inner.wrappers.insert(inner.wrappers.begin(), fn);
      inner.wrapperLocs.insert(inner.wrapperLocs.begin(), fnLoc);
      lit = std::move(inner);
      return parseTransposition(lit);
    }
    lit.predicate = cur().text.str();
    advance();
    if (consumeIf(TokenKind::LParen)) {
      if (!consumeIf(TokenKind::RParen)) {
        while (true) {
          Term term;
          if (!parseTerm(term))
            return false;
          lit.terms.push_back(std::move(term));
          if (consumeIf(TokenKind::Comma))
            continue;
          if (consumeIf(TokenKind::RParen))
            break;
          return expected("',' or ')' in the term list");
        }
      }
    }
    return parseTransposition(lit);
  }

  /// `^T` after a literal.
  bool parseTransposition(Literal &lit) {
    if (!consumeIf(TokenKind::Caret))
      return true;
    if (!cur().is(TokenKind::Variable) || cur().text != "T")
      return expected("'T' after '^'");
    advance();
    lit.transposed = true;
    return true;
  }

  bool parseTerm(Term &term) {
    const Token &tok = cur();
    term.loc = tok.loc;
    term.text = tok.text.str();
    switch (tok.kind) {
    case TokenKind::Variable:
      term.kind = Term::Variable;
      break;
    case TokenKind::Name:
      term.kind = Term::Name;
      break;
    case TokenKind::Int:
      term.kind = Term::Int;
      if (tok.text.getAsInteger(10, term.intValue))
        return error(tok.loc, "integer '" + tok.text + "' is out of range");
      break;
    case TokenKind::Float:
      term.kind = Term::Float;
      if (!llvm::to_float(tok.text, term.floatValue))
        return error(tok.loc, "invalid number '" + tok.text + "'");
      break;
    default:
      return expected("a term (a variable, a constant or a number)");
    }
    advance();
    return true;
  }

  //===--------------------------------------------------------------------===//
  // Weights and values
  //===--------------------------------------------------------------------===//

  bool parseNumber(double &value) {
    const Token &tok = cur();
    if (!tok.is(TokenKind::Int) && !tok.is(TokenKind::Float))
      return expected("a number");
    if (!llvm::to_float(tok.text, value))
      return error(tok.loc, "invalid number '" + tok.text + "'");
    advance();
    return true;
  }

  bool parseInt(int64_t &value, const Twine &what) {
    if (!cur().is(TokenKind::Int))
      return expected(what);
    if (cur().text.getAsInteger(10, value))
      return error(cur().loc, "integer '" + cur().text + "' is out of range");
    advance();
    return true;
  }

  bool parseWeight(WeightSpec &weight) {
    weight.loc = cur().loc;
    if (consumeIf(TokenKind::Dollar)) {
      if (!cur().is(TokenKind::Name))
        return expected("a weight name after '$'");
      weight.name = cur().text.str();
      advance();
      if (!expect(TokenKind::Assign, " after the weight name"))
        return false;
    }
    if (consumeIf(TokenKind::LAngle)) {
      weight.fixed = true;
      if (!parseValue(weight))
        return false;
      return expect(TokenKind::RAngle, " to close the fixed value");
    }
    return parseValue(weight);
  }

  bool parseValue(WeightSpec &weight) {
    SMLoc loc = cur().loc;
    if (cur().is(TokenKind::Int) || cur().is(TokenKind::Float)) {
      double v;
      if (!parseNumber(v))
        return false;
      weight.values = {v};
      return true;
    }
    if (consumeIf(TokenKind::LCurl)) {
      while (true) {
        int64_t d;
        if (!parseInt(d, "an integer dimension"))
          return false;
        if (d <= 0)
          return error(loc, "weight dimensions must be positive");
        weight.dims.push_back(d);
        if (consumeIf(TokenKind::Comma))
          continue;
        if (consumeIf(TokenKind::RCurl))
          break;
        return expected("',' or '}' in the dimensions");
      }
      if (weight.dims.size() > 2)
        return error(loc, "weights have at most two dimensions");
      return true;
    }
    if (!consumeIf(TokenKind::LBracket))
      return expected("a weight value (a number, [vector], {dims})");
    if (cur().is(TokenKind::LBracket))
      return parseMatrixRows(weight, loc);
    if (cur().is(TokenKind::Int) &&
        (peek().is(TokenKind::Pipe) || peek().is(TokenKind::Comma)) &&
        hasPipeBeforeBracket())
      return parseSparse(weight, loc);
    std::vector<double> row;
    if (!parseNumberList(row))
      return false;
    weight.values = row;
    weight.valueShape = {static_cast<int64_t>(row.size())};
    return true;
  }

  /// Numbers separated by commas up to and including ']'.
  bool parseNumberList(std::vector<double> &out) {
    while (true) {
      double v;
      if (!parseNumber(v))
        return false;
      out.push_back(v);
      if (consumeIf(TokenKind::Comma))
        continue;
      if (consumeIf(TokenKind::RBracket))
        return true;
      return expected("',' or ']' in the vector");
    }
  }

  /// `[[1,0],[0,1]]` (PyNeuraLogic) or `[[1,0][0,1]]` (NeuraLogic).
  bool parseMatrixRows(WeightSpec &weight, SMLoc loc) {
    size_t cols = 0, rows = 0;
    while (consumeIf(TokenKind::LBracket)) {
      std::vector<double> row;
      if (!parseNumberList(row))
        return false;
      if (rows && row.size() != cols)
        return error(loc, "matrix rows have different lengths (" + Twine(cols) +
                              " and " + Twine(row.size()) + ")");
      cols = row.size();
      ++rows;
      weight.values.insert(weight.values.end(), row.begin(), row.end());
      consumeIf(TokenKind::Comma);
    }
    if (!expect(TokenKind::RBracket, " to close the matrix"))
      return false;
    weight.valueShape = {static_cast<int64_t>(rows),
                         static_cast<int64_t>(cols)};
    return true;
  }

  bool hasPipeBeforeBracket() const {
    for (size_t i = pos; i < tokens.size(); ++i) {
      if (tokens[i].is(TokenKind::Pipe))
        return true;
      if (tokens[i].is(TokenKind::RBracket) || tokens[i].is(TokenKind::Eof))
        return false;
    }
    return false;
  }

  /// `[n| i:v, ...]` or `[r,c| i,j:v, ...]`, entries optionally in parens.
  bool parseSparse(WeightSpec &weight, SMLoc loc) {
    std::vector<int64_t> shape;
    int64_t d;
    if (!parseInt(d, "a dimension"))
      return false;
    shape.push_back(d);
    if (consumeIf(TokenKind::Comma)) {
      if (!parseInt(d, "a dimension"))
        return false;
      shape.push_back(d);
    }
    if (!expect(TokenKind::Pipe, " in the sparse value"))
      return false;
    for (int64_t s : shape)
      if (s <= 0)
        return error(loc, "sparse value dimensions must be positive");
    int64_t total = shape.size() == 2 ? shape[0] * shape[1] : shape[0];
    weight.values.assign(total, 0.0);
    weight.valueShape = shape;
    if (consumeIf(TokenKind::RBracket))
      return true;
    while (true) {
      bool paren = consumeIf(TokenKind::LParen);
      SMLoc entryLoc = cur().loc;
      int64_t i = 0, j = 0;
      if (!parseInt(i, "an index"))
        return false;
      if (shape.size() == 2) {
        if (!expect(TokenKind::Comma, " between the indices") ||
            !parseInt(j, "an index"))
          return false;
      }
      // `2:-1` lexes as `2`, `:-`, `1`: the sign belongs to the value.
      bool negate = cur().is(TokenKind::ImpliedBy) && cur().text == ":-";
      if (negate)
        advance();
      else if (!expect(TokenKind::Colon, " before the entry's value"))
        return false;
      double v;
      if (!parseNumber(v))
        return false;
      if (negate)
        v = -v;
      if (paren && !expect(TokenKind::RParen))
        return false;
      int64_t cols = shape.size() == 2 ? shape[1] : 1;
      if (i < 0 || i >= shape[0] || j < 0 || j >= cols)
        return error(entryLoc, "sparse index out of bounds");
      weight.values[i * cols + j] = v;
      if (consumeIf(TokenKind::Comma))
        continue;
      if (consumeIf(TokenKind::RBracket))
        return true;
      return expected("',' or ']' in the sparse value");
    }
  }

  //===--------------------------------------------------------------------===//
  // Metadata
  //===--------------------------------------------------------------------===//

  bool parseMetadataList(std::vector<MetaEntry> &out) {
    if (!expect(TokenKind::LBracket))
      return false;
    if (consumeIf(TokenKind::RBracket))
      return true;
    while (true) {
      MetaEntry entry;
      entry.loc = cur().loc;
      if (!cur().is(TokenKind::Name))
        return expected("a metadata key");
      entry.key = cur().text.str();
      advance();
      if (!expect(TokenKind::Assign, " after the metadata key") ||
          !parseMetaValue(entry.value))
        return false;
      out.push_back(std::move(entry));
      if (consumeIf(TokenKind::Comma))
        continue;
      if (consumeIf(TokenKind::RBracket))
        return true;
      return expected("',' or ']' in the metadata");
    }
  }

  bool parseMetaValue(MetaValue &value) {
    value.loc = cur().loc;
    if (cur().is(TokenKind::Int) || cur().is(TokenKind::Float)) {
      value.kind = MetaValue::Number;
      return parseNumber(value.number);
    }
    if (consumeIf(TokenKind::LBracket)) {
      value.kind = MetaValue::Vector;
      return parseNumberList(value.vector);
    }
    if (consumeIf(TokenKind::Dollar)) {
      if (!cur().is(TokenKind::Name))
        return expected("a weight name after '$'");
      value.kind = MetaValue::WeightRef;
      value.name = cur().text.str();
      advance();
      return true;
    }
    if (!cur().is(TokenKind::Name))
      return expected("a metadata value");
    value.kind = MetaValue::Name;
    value.name = cur().text.str();
    advance();
    if (!consumeIf(TokenKind::LParen))
      return true;
    // Function form: `softmax(agg_terms=[J])`, `leakyrelu(0.2)`.
    if (consumeIf(TokenKind::RParen))
      return true;
    while (true) {
      std::string key;
      if (cur().is(TokenKind::Name) && peek().is(TokenKind::Assign)) {
        key = cur().text.str();
        advance();
        advance();
      }
      std::vector<std::string> items;
      if (cur().is(TokenKind::LBracket) || cur().is(TokenKind::LParen)) {
        TokenKind close = cur().is(TokenKind::LBracket) ? TokenKind::RBracket
                                                        : TokenKind::RParen;
        advance();
        while (!consumeIf(close)) {
          if (!isAtomicItem())
            return expected("a number or a name in the argument list");
          items.push_back(cur().text.str());
          advance();
          if (!cur().is(close) && !expect(TokenKind::Comma))
            return false;
        }
      } else {
        if (!isAtomicItem())
          return expected("an argument value");
        items.push_back(cur().text.str());
        advance();
      }
      value.args.emplace_back(key, std::move(items));
      if (consumeIf(TokenKind::Comma))
        continue;
      return expect(TokenKind::RParen, " to close the arguments");
    }
  }

  bool isAtomicItem() const {
    TokenKind k = cur().kind;
    return k == TokenKind::Int || k == TokenKind::Float ||
           k == TokenKind::Name || k == TokenKind::Variable;
  }

  llvm::SourceMgr &sourceMgr;
  unsigned bufferId;
  TemplateAst &ast;
  const ErrorFn &onError;
  std::vector<std::string> &importStack;
  StringRef buffer;
  std::vector<Token> tokens;
  size_t pos = 0;
};
} // namespace

bool mlir::nlogic::neuralogic::parseTemplate(llvm::SourceMgr &sourceMgr,
                                             unsigned bufferId,
                                             TemplateAst &ast,
                                             const ErrorFn &onError) {
  llvm::SmallString<256> self(
      sourceMgr.getMemoryBuffer(bufferId)->getBufferIdentifier());
  llvm::sys::path::remove_dots(self, /*remove_dot_dot=*/true);
  std::vector<std::string> importStack{self.str().str()};
  Parser parser(sourceMgr, bufferId, ast, onError, importStack);
  return parser.parseFile();
}

bool mlir::nlogic::neuralogic::parseExamples(
    llvm::SourceMgr &sourceMgr, unsigned bufferId,
    std::vector<ExampleStatement> &statements, const ErrorFn &onError) {
  TemplateAst unused;
  std::vector<std::string> importStack;
  Parser parser(sourceMgr, bufferId, unused, onError, importStack);
  return parser.parseExampleFile(statements);
}
