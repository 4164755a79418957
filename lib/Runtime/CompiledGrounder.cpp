//===- CompiledGrounder.cpp - join plans as host code ---------------------===//
//
// Compiles a template's join plans (nlogic/Compiler/Pipeline.h), links them
// with the grounder's callbacks, and resolves one function per rule.
//
//===----------------------------------------------------------------------===//

#include "nlogic/Compiler/Pipeline.h"
#include "nlogic/Dialect/NLogic/IR/NLogicOps.h"
#include "nlogic/Runtime/Grounder.h"
#include "nlogic/Runtime/HostCode.h"

using namespace mlir;
using namespace mlir::nlogic;
using namespace mlir::nlogic::runtime;

GroundingCode::~GroundingCode() = default;

FailureOr<std::shared_ptr<const GroundingCode>>
runtime::createGroundingCode(TemplateOp templ, const TemplateModel &model) {
  auto code = std::make_shared<GroundingCode>();
  // Nothing to join: the facts are the whole network.
  if (model.rules.empty())
    return std::shared_ptr<const GroundingCode>(std::move(code));
  FailureOr<CompiledGrounding> compiled = compileGrounding(templ);
  if (failed(compiled))
    return failure();
  if (compiled->numRules != int64_t(model.rules.size()))
    return templ.emitError()
           << "the compiled grounding has " << compiled->numRules
           << " rules, the model " << model.rules.size();

  // Every name a plan mentions is a constant of the template, interned when
  // the model was read.
  for (const std::string &name : compiled->names) {
    std::optional<Const> c = model.names.find(name);
    if (!c)
      return templ.emitError() << "the join plans mention the name '" << name
                               << "', which the template does not";
    code->names.push_back(c->raw());
  }
  // Never an empty array: the context's pointer must be valid.
  code->names.push_back(0);

  std::string error;
  std::pair<llvm::StringRef, void *> callbacks[] = {
      {"nlogic_ground_lookup", (void *)&nlogic_ground_lookup},
      {"nlogic_ground_contains", (void *)&nlogic_ground_contains},
      {"nlogic_ground_compare", (void *)&nlogic_ground_compare},
      {"nlogic_ground_emit", (void *)&nlogic_ground_emit},
  };
  FailureOr<std::unique_ptr<llvm::orc::LLJIT>> jit =
      loadHostCode(*compiled->module, "nlogic_ground_rule0", callbacks, error);
  if (failed(jit))
    return templ.emitError() << error;
  code->jit = std::move(*jit);
  for (size_t k = 0; k < model.rules.size(); ++k) {
    auto sym = code->jit->lookup("nlogic_ground_rule" + std::to_string(k));
    if (!sym)
      return templ.emitError() << "cannot load the join plans: "
                               << llvm::toString(sym.takeError());
    code->rules.push_back(sym->toPtr<nlogic_ground_rule_fn>());
  }
  return std::shared_ptr<const GroundingCode>(std::move(code));
}

FailureOr<std::unique_ptr<Grounder>>
runtime::createGrounder(TemplateOp templ, const TemplateModel &model,
                        bool compiled) {
  if (!compiled)
    return std::make_unique<Grounder>(model);
  FailureOr<std::shared_ptr<const GroundingCode>> code =
      createGroundingCode(templ, model);
  if (failed(code))
    return failure();
  return std::make_unique<Grounder>(model, std::move(*code));
}
