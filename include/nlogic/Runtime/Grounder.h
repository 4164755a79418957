//===- Grounder.h - bottom-up grounding of a template on a sample -*- C++
//-*-===//
//
// Semi-naive bottom-up evaluation with hash-indexed joins: builtins filter
// (or generate, for `eq` and `next` with one side unbound), negation reads
// completed lower strata, hidden relations join but make no neurons, and
// only what the queries reach becomes part of the network.
//
//===----------------------------------------------------------------------===//

#ifndef NLOGIC_RUNTIME_GROUNDER_H
#define NLOGIC_RUNTIME_GROUNDER_H

#include "nlogic/Runtime/Dataset.h"
#include "nlogic/Runtime/GroundNetwork.h"

#include <memory>

namespace mlir::nlogic::runtime {

class Grounder {
public:
  explicit Grounder(const TemplateModel &model);
  ~Grounder();

  /// Grounds `sample`. Fails (with a message in `error`) when the ground
  /// network has a cycle, which no evaluation order can compute.
  mlir::LogicalResult ground(const Sample &sample, GroundNetwork &network,
                             std::string &error);

private:
  struct Impl;
  std::unique_ptr<Impl> impl;
};

} // namespace mlir::nlogic::runtime

#endif // NLOGIC_RUNTIME_GROUNDER_H
