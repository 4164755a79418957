//===- NLogicDialect.cpp - nlogic dialect registration --------------------===//
//
// Registers the nlogic dialect's operations, types and attributes.
//
//===----------------------------------------------------------------------===//

#include "nlogic/Dialect/NLogic/IR/NLogicDialect.h"
#include "nlogic/Dialect/NLogic/IR/NLogicOps.h"
#include "nlogic/Dialect/NLogic/IR/NLogicTypes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::nlogic;

#include "nlogic/Dialect/NLogic/IR/NLogicEnums.cpp.inc"
#include "nlogic/Dialect/NLogic/IR/NLogicOpsDialect.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "nlogic/Dialect/NLogic/IR/NLogicAttrs.cpp.inc"

#define GET_TYPEDEF_CLASSES
#include "nlogic/Dialect/NLogic/IR/NLogicOpsTypes.cpp.inc"

void NLogicDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "nlogic/Dialect/NLogic/IR/NLogicOps.cpp.inc"
      >();
  addTypes<
#define GET_TYPEDEF_LIST
#include "nlogic/Dialect/NLogic/IR/NLogicOpsTypes.cpp.inc"
      >();
  addAttributes<
#define GET_ATTRDEF_LIST
#include "nlogic/Dialect/NLogic/IR/NLogicAttrs.cpp.inc"
      >();
}
