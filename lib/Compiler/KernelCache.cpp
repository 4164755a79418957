//===- KernelCache.cpp - host object code of compiled templates -----------===//

#include "nlogic/Compiler/KernelCache.h"
#include "nlogic/Compiler/AheadOfTime.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/xxhash.h"
#include "llvm/TargetParser/Host.h"

using namespace mlir;
using namespace mlir::nlogic;

/// The cache directory, or empty when caching is off or impossible.
static std::string cacheDirectory() {
  llvm::SmallString<256> dir;
  if (std::optional<std::string> env =
          llvm::sys::Process::GetEnv("NLOGIC_CACHE_DIR")) {
    if (*env == "off")
      return "";
    dir = *env;
  } else if (std::optional<std::string> xdg =
                 llvm::sys::Process::GetEnv("XDG_CACHE_HOME")) {
    dir = *xdg;
    llvm::sys::path::append(dir, "nlogic");
  } else if (std::optional<std::string> home =
                 llvm::sys::Process::GetEnv("HOME")) {
    dir = *home;
    llvm::sys::path::append(dir, ".cache", "nlogic");
  } else {
    return "";
  }
  if (llvm::sys::fs::create_directories(dir))
    return "";
  return std::string(dir);
}

FailureOr<HostObject> nlogic::hostObjectFor(ModuleOp module,
                                            std::string &error) {
  std::string text;
  llvm::raw_string_ostream os(text);
  module.print(os);
  // The object is specialised to the host CPU and its features.
  std::string cpu = llvm::sys::getHostCPUName().str();
  std::vector<std::string> features;
  for (const auto &[name, enabled] : llvm::sys::getHostCPUFeatures())
    if (enabled)
      features.push_back(name.str());
  llvm::sort(features); // a map's order is not stable
  for (const std::string &f : features)
    cpu += "," + f;
  uint64_t key = llvm::xxh3_64bits(text + "\n" + cpu + "\nLLVM " +
                                   LLVM_VERSION_STRING + "\nnlogic-kernels-3");

  HostObject result;
  std::string dir = cacheDirectory();
  llvm::SmallString<256> path;
  if (!dir.empty()) {
    path = dir;
    llvm::sys::path::append(path, llvm::utohexstr(key) + ".o");
    if (auto buffer = llvm::MemoryBuffer::getFile(path)) {
      result.object = std::move(*buffer);
      result.fromCache = true;
      result.path = std::string(path);
      return result;
    }
  }

  // Generate into a unique temporary, then rename it into place (or read
  // it back and delete it when there is no cache).
  llvm::SmallString<256> tmp;
  std::error_code ec =
      dir.empty() ? llvm::sys::fs::createTemporaryFile("nlogic-kernels", "o",
                                                       tmp)
                  : llvm::sys::fs::createUniqueFile(
                        dir + "/partial-%%%%%%%%.o", tmp);
  if (ec) {
    error = "cannot create a temporary file: " + ec.message();
    return failure();
  }
  if (failed(writeObjectFile(module, tmp, "native", error))) {
    llvm::sys::fs::remove(tmp);
    return failure();
  }
  auto buffer = llvm::MemoryBuffer::getFile(tmp);
  if (!buffer) {
    error = "cannot read back the object file: " + buffer.getError().message();
    llvm::sys::fs::remove(tmp);
    return failure();
  }
  result.object = std::move(*buffer);
  if (!path.empty() && !llvm::sys::fs::rename(tmp, path))
    result.path = std::string(path);
  else
    llvm::sys::fs::remove(tmp);
  return result;
}
