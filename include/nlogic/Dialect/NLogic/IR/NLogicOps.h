//===- NLogicOps.h - nlogic operations ----------------------------*- C++
//-*-===//
//
// Declares the operations of the nlogic dialect.
//
//===----------------------------------------------------------------------===//

#ifndef NLOGIC_DIALECT_NLOGIC_IR_NLOGICOPS_H
#define NLOGIC_DIALECT_NLOGIC_IR_NLOGICOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/RegionKindInterface.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "nlogic/Dialect/NLogic/IR/NLogicDialect.h"
#include "nlogic/Dialect/NLogic/IR/NLogicTypes.h"

#define GET_OP_CLASSES
#include "nlogic/Dialect/NLogic/IR/NLogicOps.h.inc"

#endif // NLOGIC_DIALECT_NLOGIC_IR_NLOGICOPS_H
