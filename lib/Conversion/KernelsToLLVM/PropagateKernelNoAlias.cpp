//===- PropagateKernelNoAlias.cpp - noalias on lowered arena pointers -----===//
//
// After convert-func-to-llvm, the `llvm.noalias` of a memref argument only
// survives on the C interface wrapper's descriptor pointer. This pass puts
// it back where LLVM's alias analysis can use it: on the aligned data
// pointer parameter of the wrapped kernel.
//
//===----------------------------------------------------------------------===//

#include "nlogic/Conversion/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"

namespace mlir::nlogic {
#define GEN_PASS_DEF_PROPAGATEKERNELNOALIASPASS
#include "nlogic/Conversion/Passes.h.inc"
} // namespace mlir::nlogic

using namespace mlir;

namespace {
/// Field 1 of a memref descriptor is its aligned pointer.
constexpr int64_t kAlignedPointerField = 1;

struct PropagateKernelNoAliasPass
    : nlogic::impl::PropagateKernelNoAliasPassBase<PropagateKernelNoAliasPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    StringRef noAlias = LLVM::LLVMDialect::getNoAliasAttrName();
    auto unit = UnitAttr::get(&getContext());
    for (auto wrapper : module.getOps<LLVM::LLVMFuncOp>()) {
      if (!wrapper.getName().starts_with("_mlir_ciface_") ||
          wrapper.isExternal())
        continue;
      wrapper.walk([&](LLVM::CallOp call) {
        auto callee = call.getCallee();
        if (!callee)
          return;
        auto wrapped = module.lookupSymbol<LLVM::LLVMFuncOp>(*callee);
        if (!wrapped || wrapped.isExternal())
          return;
        for (auto [i, operand] : llvm::enumerate(call.getArgOperands())) {
          auto field = operand.getDefiningOp<LLVM::ExtractValueOp>();
          if (!field ||
              field.getPosition() != ArrayRef<int64_t>{kAlignedPointerField})
            continue;
          auto descriptor = field.getContainer().getDefiningOp<LLVM::LoadOp>();
          if (!descriptor)
            continue;
          auto arg = dyn_cast<BlockArgument>(descriptor.getAddr());
          if (!arg || arg.getOwner() != &wrapper.getBody().front() ||
              !wrapper.getArgAttr(arg.getArgNumber(), noAlias))
            continue;
          wrapped.setArgAttr(i, noAlias, unit);
        }
      });
    }
  }
};
} // namespace
