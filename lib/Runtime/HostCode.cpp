//===- HostCode.cpp - load compiled code into the running process ---------===//

#include "nlogic/Runtime/HostCode.h"
#include "nlogic/Compiler/KernelCache.h"

#include "llvm/ExecutionEngine/Orc/AbsoluteSymbols.h"
#include "llvm/ExecutionEngine/Orc/ExecutionUtils.h"
#include "llvm/Object/ELFObjectFile.h"
#include "llvm/Object/ObjectFile.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::nlogic;

/// With NLOGIC_PERF_MAP set, appends the address range of every function of
/// the linked object to /tmp/perf-<pid>.map, the file `perf report` reads
/// to name code it cannot find in a binary: kernels then show up by name
/// in profiles instead of as bare addresses.
static void writePerfMap(llvm::orc::LLJIT &jit, llvm::MemoryBufferRef code) {
  auto object = llvm::object::ObjectFile::createObjectFile(code);
  if (!object) {
    llvm::consumeError(object.takeError());
    return;
  }
  // Symbol sizes come from the ELF symbol table (the host objects here).
  auto *elf = llvm::dyn_cast<llvm::object::ELFObjectFileBase>(object->get());
  if (!elf)
    return;
  std::error_code ec;
  llvm::raw_fd_ostream map(
      "/tmp/perf-" + std::to_string(llvm::sys::Process::getProcessId()) +
          ".map",
      ec, llvm::sys::fs::OF_Append);
  if (ec)
    return;
  for (const llvm::object::ELFSymbolRef &symbol : elf->symbols()) {
    auto type = symbol.getType();
    auto name = symbol.getName();
    auto flags = symbol.getFlags();
    // Only functions this object defines and exports: looking up anything
    // else could find an unrelated symbol of the process.
    bool wanted = type && name && flags &&
                  *type == llvm::object::SymbolRef::ST_Function &&
                  (*flags & llvm::object::SymbolRef::SF_Global) &&
                  !(*flags & llvm::object::SymbolRef::SF_Undefined);
    if (!type)
      llvm::consumeError(type.takeError());
    if (!name)
      llvm::consumeError(name.takeError());
    if (!flags)
      llvm::consumeError(flags.takeError());
    if (!wanted)
      continue;
    auto address = jit.lookup(*name);
    if (!address) {
      llvm::consumeError(address.takeError());
      continue;
    }
    uint64_t size = symbol.getSize();
    map << llvm::format_hex_no_prefix(address->getValue(), 1) << ' '
        << llvm::format_hex_no_prefix(size, 1) << ' ' << *name << '\n';
  }
}

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
    // The linker may free the object once linked: keep a copy to name
    // its functions for profilers.
    std::unique_ptr<llvm::MemoryBuffer> copy;
    if (llvm::sys::Process::GetEnv("NLOGIC_PERF_MAP"))
      copy = llvm::MemoryBuffer::getMemBufferCopy(code->getBuffer());
    if (llvm::Error e = (*jit)->addObjectFile(std::move(code)))
      return std::move(e);
    if (auto sym = (*jit)->lookup(probe); !sym)
      return sym.takeError();
    if (copy)
      writePerfMap(**jit, copy->getMemBufferRef());
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
