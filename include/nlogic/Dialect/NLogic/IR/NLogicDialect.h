//===- NLogicDialect.h - nlogic dialect declaration ---------------*- C++
//-*-===//
//
// Declares the nlogic dialect class.
//
//===----------------------------------------------------------------------===//

#ifndef NLOGIC_DIALECT_NLOGIC_IR_NLOGICDIALECT_H
#define NLOGIC_DIALECT_NLOGIC_IR_NLOGICDIALECT_H

#include "mlir/IR/Dialect.h"

#include "nlogic/Dialect/NLogic/IR/NLogicOpsDialect.h.inc"

#endif // NLOGIC_DIALECT_NLOGIC_IR_NLOGICDIALECT_H
