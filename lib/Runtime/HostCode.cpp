//===- HostCode.cpp - load compiled code into the running process ---------===//

#include "nlogic/Runtime/HostCode.h"
#include "nlogic/Compiler/KernelCache.h"

#include "llvm/ExecutionEngine/Orc/AbsoluteSymbols.h"
#include "llvm/ExecutionEngine/Orc/ExecutionUtils.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/TargetSelect.h"

using namespace mlir;
using namespace mlir::nlogic;

FailureOr<std::unique_ptr<llvm::orc::LLJIT>> runtime::loadHostCode(
    ModuleOp module, llvm::StringRef probe,
    llvm::ArrayRef<std::pair<llvm::StringRef, void *>> hostSymbols,
    std::string &error) {
  FailureOr<HostObject> object = hostObjectFor(module, error);
  if (failed(object)) {
    error = "code generation failed: " + error;
    return failure();
  }
  static bool targetsReady = [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    return true;
  }();
  (void)targetsReady;
  auto link = [&](std::unique_ptr<llvm::MemoryBuffer> code)
      -> llvm::Expected<std::unique_ptr<llvm::orc::LLJIT>> {
    auto jit = llvm::orc::LLJITBuilder().create();
    if (!jit)
      return jit.takeError();
    llvm::orc::JITDylib &lib = (*jit)->getMainJITDylib();
    if (!hostSymbols.empty()) {
      llvm::orc::SymbolMap symbols;
      for (auto [name, address] : hostSymbols)
        symbols[(*jit)->mangleAndIntern(name)] = {
            llvm::orc::ExecutorAddr::fromPtr(address),
            llvm::JITSymbolFlags::Exported | llvm::JITSymbolFlags::Callable};
      if (llvm::Error e =
              lib.define(llvm::orc::absoluteSymbols(std::move(symbols))))
        return std::move(e);
    }
    // Kernels call libm (tanh, exp, ...): resolve from the process.
    auto process =
        llvm::orc::DynamicLibrarySearchGenerator::GetForCurrentProcess(
            (*jit)->getDataLayout().getGlobalPrefix());
    if (!process)
      return process.takeError();
    lib.addGenerator(std::move(*process));
    if (llvm::Error e = (*jit)->addObjectFile(std::move(code)))
      return std::move(e);
    if (auto sym = (*jit)->lookup(probe); !sym)
      return sym.takeError();
    return std::move(*jit);
  };
  auto jit = link(std::move(object->object));
  if (!jit && object->fromCache) {
    // A damaged cache entry: drop it and generate the code again.
    llvm::consumeError(jit.takeError());
    llvm::sys::fs::remove(object->path);
    object = hostObjectFor(module, error);
    if (failed(object)) {
      error = "code generation failed: " + error;
      return failure();
    }
    jit = link(std::move(object->object));
  }
  if (!jit) {
    error = "cannot load the compiled code: " + llvm::toString(jit.takeError());
    return failure();
  }
  return std::move(*jit);
}
