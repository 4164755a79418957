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
#include "nlogic/Runtime/GroundingABI.h"

#include <memory>

namespace llvm::orc {
class LLJIT;
} // namespace llvm::orc

namespace mlir::nlogic {
class TemplateOp;
} // namespace mlir::nlogic

namespace mlir::nlogic::runtime {

/// A template's join plans compiled to host code (convert-nlogic-to-rel,
/// convert-rel-to-scf): one function per rule, see GroundingABI.h.
struct GroundingCode {
  ~GroundingCode();
  /// By rule, in evaluation order.
  std::vector<nlogic_ground_rule_fn> rules;
  /// The encodings of the plans' name constants.
  std::vector<uint64_t> names;
  std::unique_ptr<llvm::orc::LLJIT> jit;
};

/// Compiles the join plans of `templ` (from which `model` was built) and
/// links them into the process. Errors are reported at the template.
mlir::FailureOr<std::shared_ptr<const GroundingCode>>
createGroundingCode(mlir::nlogic::TemplateOp templ, const TemplateModel &model);

class Grounder {
public:
  /// The reference grounder: join plans interpreted.
  explicit Grounder(const TemplateModel &model);
  /// Runs every rule's compiled join plan instead; the tables, indexes and
  /// the network built are the reference grounder's, and so are the ground
  /// rules found and their order.
  Grounder(const TemplateModel &model,
           std::shared_ptr<const GroundingCode> code);
  ~Grounder();

  /// Grounds `sample`. Fails (with a message in `error`) when the ground
  /// network has a cycle, which no evaluation order can compute.
  mlir::LogicalResult ground(const Sample &sample, GroundNetwork &network,
                             std::string &error);

  /// The grounder's state (opaque; public for the ABI's callbacks).
  struct Impl;

private:
  std::unique_ptr<Impl> impl;
};

/// The grounder an engine uses: the compiled join plans of `templ`
/// (`compiled`), or the interpreted ones. Errors (compiling the plans) are
/// reported at the template.
mlir::FailureOr<std::unique_ptr<Grounder>>
createGrounder(mlir::nlogic::TemplateOp templ, const TemplateModel &model,
               bool compiled);

/// Grounds every sample of `dataset` into `networks`; an error names the
/// sample.
mlir::LogicalResult groundDataset(Grounder &grounder, const Dataset &dataset,
                                  std::vector<GroundNetwork> &networks,
                                  std::string &error);

} // namespace mlir::nlogic::runtime

#endif // NLOGIC_RUNTIME_GROUNDER_H
