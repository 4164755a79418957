//===- RelDialect.cpp - rel dialect registration --------------------------===//

#include "nlogic/Dialect/Rel/IR/RelDialect.h"
#include "nlogic/Dialect/Rel/IR/RelOps.h"

using namespace mlir;
using namespace mlir::nlogic::rel;

#include "nlogic/Dialect/Rel/IR/RelOpsDialect.cpp.inc"

void RelDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "nlogic/Dialect/Rel/IR/RelOps.cpp.inc"
      >();
}
