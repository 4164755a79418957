//===- RelDialect.h - relational plan dialect ---------------------*- C++
//-*-===//
//
// The `rel` dialect: join plans that ground a template's rules.
//
//===----------------------------------------------------------------------===//

#ifndef NLOGIC_DIALECT_REL_IR_RELDIALECT_H
#define NLOGIC_DIALECT_REL_IR_RELDIALECT_H

#include "nlogic/Dialect/NLogic/IR/NLogicDialect.h"

#include "mlir/IR/Dialect.h"

#include "nlogic/Dialect/Rel/IR/RelOpsDialect.h.inc"

#endif // NLOGIC_DIALECT_REL_IR_RELDIALECT_H
