//===- NLogicTypes.h - nlogic types and attributes ----------------*- C++
//-*-===//
//
// Declares the nlogic term type and the enum attributes of the function
// catalogues.
//
//===----------------------------------------------------------------------===//

#ifndef NLOGIC_DIALECT_NLOGIC_IR_NLOGICTYPES_H
#define NLOGIC_DIALECT_NLOGIC_IR_NLOGICTYPES_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Types.h"

#include "nlogic/Dialect/NLogic/IR/NLogicEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "nlogic/Dialect/NLogic/IR/NLogicAttrs.h.inc"

#define GET_TYPEDEF_CLASSES
#include "nlogic/Dialect/NLogic/IR/NLogicOpsTypes.h.inc"

#endif // NLOGIC_DIALECT_NLOGIC_IR_NLOGICTYPES_H
