//===- RelOps.h - relational plan operations ----------------------*- C++
//-*-===//

#ifndef NLOGIC_DIALECT_REL_IR_RELOPS_H
#define NLOGIC_DIALECT_REL_IR_RELOPS_H

#include "nlogic/Dialect/NLogic/IR/NLogicOps.h"
#include "nlogic/Dialect/Rel/IR/RelDialect.h"

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/RegionKindInterface.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace mlir::nlogic::rel {
/// The term arithmetic on names (or a zero divisor) yields: no ground
/// constant has this encoding (names are 32-bit ids, integers carry the top
/// bit).
constexpr uint64_t kUndefinedTerm = 0x7fffffffffffffffull;
/// The tag bit of an integer term.
constexpr uint64_t kIntegerTag = uint64_t(1) << 63;
} // namespace mlir::nlogic::rel

#define GET_OP_CLASSES
#include "nlogic/Dialect/Rel/IR/RelOps.h.inc"

#endif // NLOGIC_DIALECT_REL_IR_RELOPS_H
