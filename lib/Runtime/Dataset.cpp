//===- Dataset.cpp - samples: facts and queries with targets --------------===//
//
// Reuses the NeuraLogic parser for examples and queries files and pairs
// their statements into samples (see Dataset.h for the layouts).
//
//===----------------------------------------------------------------------===//

#include "nlogic/Runtime/Dataset.h"
#include "nlogic/Frontend/NeuraLogic/Parser.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/WithColor.h"

using namespace mlir;
using namespace mlir::nlogic::runtime;
namespace nl = mlir::nlogic::neuralogic;

namespace {
class DatasetReader {
public:
  explicit DatasetReader(TemplateModel &model) : model(model) {}

  /// Parses one file; diagnostics go to stderr.
  LogicalResult parse(llvm::StringRef path,
                      std::vector<nl::ExampleStatement> &statements) {
    auto file = llvm::MemoryBuffer::getFile(path);
    if (!file) {
      llvm::WithColor::error(llvm::errs())
          << path << ": cannot read: " << file.getError().message() << "\n";
      return failure();
    }
    sourceMgr.AddNewSourceBuffer(std::move(*file), llvm::SMLoc());
    bool ok = nl::parseExamples(
        sourceMgr, sourceMgr.getNumBuffers(), statements,
        [&](llvm::SMLoc loc, const llvm::Twine &msg) { error(loc, msg); });
    return success(ok && !failed);
  }

  void error(llvm::SMLoc loc, const llvm::Twine &msg) {
    sourceMgr.PrintMessage(llvm::errs(), loc, llvm::SourceMgr::DK_Error, msg);
    failed = true;
  }

  /// The value written before a literal (`<1.0>`, `[1,0]`, `0.5`), or 1.
  Tensor valueOf(const nl::Literal &lit) {
    if (!lit.weight)
      return Tensor::scalar(1.0);
    const nl::WeightSpec &w = *lit.weight;
    if (!w.hasValues()) {
      error(w.loc, "a data value must be a number or a vector, not "
                   "dimensions");
      return Tensor::scalar(1.0);
    }
    if (w.valueShape.size() == 2)
      return Tensor(w.valueShape[0], w.valueShape[1], w.values);
    if (w.values.size() == 1)
      return Tensor::scalar(w.values[0]);
    return Tensor::vector(w.values);
  }

  /// Checks a literal is a plain ground atom and resolves it.
  bool ground(const nl::Literal &lit, int &relation, std::vector<Const> &terms,
              llvm::StringRef what) {
    if (lit.special || lit.softNegated || lit.hardNegated ||
        !lit.wrappers.empty() || lit.transposed) {
      error(lit.loc, "a " + what + " must be a plain atom");
      return false;
    }
    relation = model.relationFor(lit.predicate, lit.terms.size());
    for (const nl::Term &t : lit.terms) {
      switch (t.kind) {
      case nl::Term::Variable:
        error(t.loc,
              "a " + what + " cannot contain the variable '" + t.text + "'");
        return false;
      case nl::Term::Int:
        terms.push_back(Const::ofInt(t.intValue));
        break;
      case nl::Term::Float:
        terms.push_back(model.names.fromText(t.text, /*isInteger=*/false));
        break;
      case nl::Term::Name:
        terms.push_back(model.names.intern(t.text));
        break;
      }
    }
    return true;
  }

  std::shared_ptr<std::vector<SampleFact>>
  factsOf(const std::vector<nl::Literal> &literals) {
    auto facts = std::make_shared<std::vector<SampleFact>>();
    for (const nl::Literal &lit : literals) {
      SampleFact fact;
      if (!ground(lit, fact.relation, fact.terms, "fact"))
        continue;
      fact.value = valueOf(lit);
      facts->push_back(std::move(fact));
    }
    return facts;
  }

  std::vector<Query> queriesOf(const std::vector<nl::Literal> &literals) {
    std::vector<Query> queries;
    for (const nl::Literal &lit : literals) {
      Query q;
      if (!ground(lit, q.relation, q.terms, "query"))
        continue;
      q.target = valueOf(lit);
      q.text = lit.predicate;
      if (!lit.terms.empty()) {
        q.text += "(";
        for (size_t i = 0; i < lit.terms.size(); ++i)
          q.text += (i ? ", " : "") + lit.terms[i].text;
        q.text += ")";
      }
      queries.push_back(std::move(q));
    }
    return queries;
  }

  bool hasFailed() const { return failed; }
  llvm::SourceMgr sourceMgr;

private:
  TemplateModel &model;
  bool failed = false;
};
} // namespace

LogicalResult mlir::nlogic::runtime::loadDataset(
    TemplateModel &model, llvm::StringRef examplesPath,
    std::optional<llvm::StringRef> queriesPath, Dataset &out) {
  DatasetReader reader(model);
  std::vector<nl::ExampleStatement> examples, queries;
  if (failed(reader.parse(examplesPath, examples)))
    return failure();
  if (queriesPath && failed(reader.parse(*queriesPath, queries)))
    return failure();
  for (const nl::ExampleStatement &q : queries)
    if (q.hasLabel)
      reader.error(q.loc, "a queries file holds `value query.` statements, "
                          "not rules");
  if (examples.empty())
    reader.error(llvm::SMLoc(), "no examples in " + examplesPath);

  auto sampleId = [](size_t i) { return std::to_string(i); };
  if (queries.empty()) {
    // Labelled examples: each statement carries its own queries.
    for (auto [i, ex] : llvm::enumerate(examples)) {
      if (!ex.hasLabel) {
        reader.error(ex.loc, "this example has no query: give a queries file "
                             "or write `target query :- facts.`");
        break;
      }
      out.samples.push_back(
          {sampleId(i), reader.factsOf(ex.body), reader.queriesOf(ex.label)});
    }
  } else if (examples.size() == 1 || examples.size() == queries.size()) {
    bool shared = examples.size() == 1 && queries.size() > 1;
    std::shared_ptr<const std::vector<SampleFact>> sharedFacts;
    if (shared)
      sharedFacts = reader.factsOf(examples[0].body);
    for (auto [i, q] : llvm::enumerate(queries)) {
      Sample s;
      s.id = sampleId(i);
      s.facts = shared ? sharedFacts : reader.factsOf(examples[i].body);
      s.queries = reader.queriesOf(q.body);
      if (!shared && examples[i].hasLabel) {
        std::vector<Query> more = reader.queriesOf(examples[i].label);
        s.queries.insert(s.queries.end(), more.begin(), more.end());
      }
      out.samples.push_back(std::move(s));
    }
  } else {
    reader.error(queries.front().loc,
                 "the queries file has " + llvm::Twine(queries.size()) +
                     " statements but the examples file has " +
                     llvm::Twine(examples.size()) +
                     " (expected the same number, or a single example)");
  }
  return success(!reader.hasFailed());
}
