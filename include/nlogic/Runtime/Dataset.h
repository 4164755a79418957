//===- Dataset.h - samples: facts and queries with targets --------*- C++
//-*-===//
//
// Loads NeuraLogic's examples and queries files into samples. Supported
// layouts (as PyNeuraLogic reads them):
//   - examples only, each `label :- facts.` statement a sample whose label
//     literals are its queries (`<1> xor :- <0> a, <1> b.`);
//   - examples and queries with the same number of statements, paired in
//     order (one sample per line, e.g. mutagenesis);
//   - one example and many queries: every query statement is a sample over
//     the same shared facts (knowledge-base style, e.g. trains, nations).
//
//===----------------------------------------------------------------------===//

#ifndef NLOGIC_RUNTIME_DATASET_H
#define NLOGIC_RUNTIME_DATASET_H

#include "nlogic/Runtime/Model.h"

#include <memory>
#include <optional>

namespace mlir::nlogic::runtime {

struct SampleFact {
  int relation = -1;
  std::vector<Const> terms;
  Tensor value = Tensor::scalar(1.0);
};

struct Query {
  int relation = -1;
  std::vector<Const> terms;
  /// The training target (NeuraLogic's default for an unvalued query: 1).
  Tensor target = Tensor::scalar(1.0);
  /// As written, for reports: `predict`, `direction(11)`.
  std::string text;
};

struct Sample {
  std::string id;
  /// Shared between samples of a knowledge-base dataset.
  std::shared_ptr<const std::vector<SampleFact>> facts;
  std::vector<Query> queries;
};

struct Dataset {
  std::vector<Sample> samples;
};

/// Reads a tensor graph dataset: JSON lines, one graph per line,
///   {"x": [[node features], ...], "edge_index": [[src...], [dst...]],
///    "edge_attr": [[edge features], ...], "y": target}
/// mapped to facts as PyNeuraLogic's TensorDataset does: node i is the fact
/// `node_feature(i)` valued x[i], edge e is `edge(src, dst)` valued
/// edge_attr[e] (or 1), and the graph's query is `predict` with target y.
/// With "node_y" instead of "y", each node i has the query `predict(i)`.
mlir::LogicalResult loadTensorDataset(TemplateModel &model,
                                      llvm::StringRef path, Dataset &out);

/// Reads the examples file and, if given, the queries file. Relations the
/// template does not know are added to `model` as data relations. Errors are
/// printed as `file:line:col: error: ...` and the result is failure.
mlir::LogicalResult loadDataset(TemplateModel &model,
                                llvm::StringRef examplesPath,
                                std::optional<llvm::StringRef> queriesPath,
                                Dataset &out);

/// loadDataset from text in memory (the Python front end's datasets);
/// diagnostics name the buffers `examplesName` and `queriesName`.
mlir::LogicalResult loadDatasetText(TemplateModel &model,
                                    llvm::StringRef examples,
                                    std::optional<llvm::StringRef> queries,
                                    Dataset &out,
                                    llvm::raw_ostream &diagnostics,
                                    llvm::StringRef examplesName = "examples",
                                    llvm::StringRef queriesName = "queries");

} // namespace mlir::nlogic::runtime

#endif // NLOGIC_RUNTIME_DATASET_H
