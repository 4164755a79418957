//===- Dataset.cpp - samples: facts and queries with targets --------------===//
//
// Reuses the NeuraLogic parser for examples and queries files and pairs
// their statements into samples (see Dataset.h for the layouts).
//
//===----------------------------------------------------------------------===//

#include "nlogic/Runtime/Dataset.h"
#include "nlogic/Frontend/NeuraLogic/Parser.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/WithColor.h"

using namespace mlir;
using namespace mlir::nlogic::runtime;
namespace nl = mlir::nlogic::neuralogic;

namespace {
class DatasetReader {
public:
  DatasetReader(TemplateModel &model, llvm::raw_ostream &diagnostics)
      : model(model), diagnostics(diagnostics) {}

  /// Parses one file.
  LogicalResult parse(llvm::StringRef path,
                      std::vector<nl::ExampleStatement> &statements) {
    auto file = llvm::MemoryBuffer::getFile(path);
    if (!file) {
      llvm::WithColor::error(diagnostics)
          << path << ": cannot read: " << file.getError().message() << "\n";
      return failure();
    }
    return parse(std::move(*file), statements);
  }

  /// Parses one buffer (its name is the file name diagnostics give).
  LogicalResult parse(std::unique_ptr<llvm::MemoryBuffer> buffer,
                      std::vector<nl::ExampleStatement> &statements) {
    sourceMgr.AddNewSourceBuffer(std::move(buffer), llvm::SMLoc());
    bool ok = nl::parseExamples(
        sourceMgr, sourceMgr.getNumBuffers(), statements,
        [&](llvm::SMLoc loc, const llvm::Twine &msg) { error(loc, msg); });
    return success(ok && !failed);
  }

  void error(llvm::SMLoc loc, const llvm::Twine &msg) {
    sourceMgr.PrintMessage(diagnostics, loc, llvm::SourceMgr::DK_Error, msg);
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
  llvm::raw_ostream &diagnostics;
  bool failed = false;
};
} // namespace

/// Samples from parsed example and query statements.
static LogicalResult
samplesOf(DatasetReader &reader, llvm::StringRef examplesName,
          const std::vector<nl::ExampleStatement> &examples,
          const std::vector<nl::ExampleStatement> &queries, Dataset &out);

LogicalResult mlir::nlogic::runtime::loadDataset(
    TemplateModel &model, llvm::StringRef examplesPath,
    std::optional<llvm::StringRef> queriesPath, Dataset &out) {
  DatasetReader reader(model, llvm::errs());
  std::vector<nl::ExampleStatement> examples, queries;
  if (failed(reader.parse(examplesPath, examples)))
    return failure();
  if (queriesPath && failed(reader.parse(*queriesPath, queries)))
    return failure();
  return samplesOf(reader, examplesPath, examples, queries, out);
}

LogicalResult mlir::nlogic::runtime::loadDatasetText(
    TemplateModel &model, llvm::StringRef examples,
    std::optional<llvm::StringRef> queries, Dataset &out,
    llvm::raw_ostream &diagnostics, llvm::StringRef examplesName,
    llvm::StringRef queriesName) {
  DatasetReader reader(model, diagnostics);
  std::vector<nl::ExampleStatement> exampleStatements, queryStatements;
  if (failed(reader.parse(
          llvm::MemoryBuffer::getMemBufferCopy(examples, examplesName),
          exampleStatements)))
    return failure();
  if (queries && failed(reader.parse(llvm::MemoryBuffer::getMemBufferCopy(
                                         *queries, queriesName),
                                     queryStatements)))
    return failure();
  return samplesOf(reader, examplesName, exampleStatements, queryStatements,
                   out);
}

static LogicalResult
samplesOf(DatasetReader &reader, llvm::StringRef examplesPath,
          const std::vector<nl::ExampleStatement> &examples,
          const std::vector<nl::ExampleStatement> &queries, Dataset &out) {
  for (const nl::ExampleStatement &q : queries) {
    if (q.hasLabel)
      reader.error(q.loc, "a queries file holds `value query.` statements, "
                          "not rules");
    else if (q.body.empty())
      reader.error(q.loc, "a query statement without a query");
  }
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

//===----------------------------------------------------------------------===//
// Tensor graph datasets (JSON lines)
//===----------------------------------------------------------------------===//

namespace {
/// Reads one JSON-lines graph file, reporting `file:line:col` errors.
class TensorReader {
public:
  TensorReader(TemplateModel &model, llvm::StringRef path)
      : model(model), path(path) {
    nodeFeature = model.relationFor("node_feature", 1);
    edge = model.relationFor("edge", 2);
    predictGraph = model.relationFor("predict", 0);
    predictNode = model.relationFor("predict", 1);
  }

  bool error(unsigned line, unsigned col, const llvm::Twine &msg) {
    llvm::errs() << path << ":" << line << ":" << col << ": ";
    llvm::WithColor::error(llvm::errs()) << msg << "\n";
    return false;
  }

  /// A number or a (nested) list of numbers as a tensor.
  std::optional<Tensor> tensorOf(const llvm::json::Value &v) {
    if (std::optional<double> x = v.getAsNumber())
      return Tensor::scalar(*x);
    const llvm::json::Array *a = v.getAsArray();
    if (!a || a->empty())
      return std::nullopt;
    std::vector<double> values;
    int64_t rows = a->size(), cols = 0;
    for (const llvm::json::Value &e : *a) {
      if (std::optional<double> x = e.getAsNumber()) {
        if (cols > 1)
          return std::nullopt;
        values.push_back(*x);
        cols = 1;
        continue;
      }
      const llvm::json::Array *row = e.getAsArray();
      if (!row || (cols && int64_t(row->size()) != cols))
        return std::nullopt;
      cols = row->size();
      for (const llvm::json::Value &x : *row) {
        std::optional<double> d = x.getAsNumber();
        if (!d)
          return std::nullopt;
        values.push_back(*d);
      }
    }
    if (values.size() == 1)
      return Tensor::scalar(values[0]);
    return Tensor(rows, cols, std::move(values));
  }

  bool readLine(llvm::StringRef text, unsigned line, Dataset &out) {
    llvm::Expected<llvm::json::Value> json = llvm::json::parse(text);
    if (!json) {
      std::string msg = llvm::toString(json.takeError());
      // llvm::json reports "[line:col, byte=N]: message".
      unsigned col = 1;
      llvm::StringRef rest = msg;
      if (rest.consume_front("[")) {
        llvm::StringRef pos = rest.split(',').first;
        pos.split(':').second.getAsInteger(10, col);
        msg = rest.split("]: ").second.str();
      }
      return error(line, col, "invalid JSON: " + msg);
    }
    const llvm::json::Object *graph = json->getAsObject();
    if (!graph)
      return error(line, 1, "expected a JSON object per line");
    const llvm::json::Array *x = graph->getArray("x");
    if (!x)
      return error(line, 1, "the graph has no \"x\" (node features)");
    auto facts = std::make_shared<std::vector<SampleFact>>();
    for (auto [i, features] : llvm::enumerate(*x)) {
      std::optional<Tensor> value = tensorOf(features);
      if (!value)
        return error(line, 1,
                     "x[" + llvm::Twine(i) +
                         "] must be a number or a list of numbers");
      if (!value->isScalar())
        *value = Tensor::vector(value->data);
      facts->push_back({nodeFeature, {Const::ofInt(i)}, *value});
    }
    const llvm::json::Array *index = graph->getArray("edge_index");
    const llvm::json::Array *attrs = graph->getArray("edge_attr");
    if (index) {
      const llvm::json::Array *src =
          index->size() == 2 ? (*index)[0].getAsArray() : nullptr;
      const llvm::json::Array *dst =
          index->size() == 2 ? (*index)[1].getAsArray() : nullptr;
      if (!src || !dst || src->size() != dst->size())
        return error(line, 1,
                     "\"edge_index\" must be two lists of equal length");
      if (attrs && attrs->size() != src->size())
        return error(line, 1, "\"edge_attr\" needs one entry per edge");
      for (size_t e = 0; e < src->size(); ++e) {
        std::optional<int64_t> s = (*src)[e].getAsInteger(),
                               d = (*dst)[e].getAsInteger();
        if (!s || !d || *s < 0 || *d < 0 || *s >= int64_t(x->size()) ||
            *d >= int64_t(x->size()))
          return error(line, 1,
                       "edge " + llvm::Twine(e) +
                           " does not connect two nodes of x");
        Tensor value = Tensor::scalar(1.0);
        if (attrs) {
          std::optional<Tensor> a = tensorOf((*attrs)[e]);
          if (!a)
            return error(line, 1,
                         "edge_attr[" + llvm::Twine(e) + "] must be numbers");
          value = a->isScalar() ? *a : Tensor::vector(a->data);
        }
        facts->push_back(
            {edge, {Const::ofInt(*s), Const::ofInt(*d)}, std::move(value)});
      }
    }
    Sample sample;
    sample.id = std::to_string(out.samples.size());
    sample.facts = facts;
    if (const llvm::json::Value *y = graph->get("y")) {
      std::optional<Tensor> target = tensorOf(*y);
      if (!target)
        return error(line, 1, "\"y\" must be a number or a list");
      if (!target->isScalar())
        *target = Tensor::vector(target->data);
      sample.queries.push_back({predictGraph, {}, *target, "predict"});
    } else if (const llvm::json::Array *ny = graph->getArray("node_y")) {
      for (auto [i, y] : llvm::enumerate(*ny)) {
        std::optional<Tensor> target = tensorOf(y);
        if (!target)
          return error(line, 1,
                       "node_y[" + llvm::Twine(i) +
                           "] must be a number or a list");
        sample.queries.push_back({predictNode,
                                  {Const::ofInt(i)},
                                  *target,
                                  "predict(" + std::to_string(i) + ")"});
      }
    } else {
      return error(line, 1, "the graph has no target (\"y\" or \"node_y\")");
    }
    out.samples.push_back(std::move(sample));
    return true;
  }

private:
  TemplateModel &model;
  llvm::StringRef path;
  int nodeFeature, edge, predictGraph, predictNode;
};
} // namespace

LogicalResult mlir::nlogic::runtime::loadTensorDataset(TemplateModel &model,
                                                       llvm::StringRef path,
                                                       Dataset &out) {
  auto file = llvm::MemoryBuffer::getFile(path);
  if (!file) {
    llvm::WithColor::error(llvm::errs())
        << path << ": cannot read: " << file.getError().message() << "\n";
    return failure();
  }
  TensorReader reader(model, path);
  Dataset loaded;
  llvm::StringRef rest = (*file)->getBuffer();
  unsigned line = 0;
  while (!rest.empty()) {
    auto [text, next] = rest.split('\n');
    rest = next;
    ++line;
    if (text.trim().empty())
      continue;
    if (!reader.readLine(text, line, loaded))
      return failure();
  }
  if (loaded.samples.empty()) {
    llvm::WithColor::error(llvm::errs()) << path << ": no graphs\n";
    return failure();
  }
  out = std::move(loaded);
  return success();
}
