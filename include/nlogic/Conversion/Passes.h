//===- Passes.h - conversions out of the nlogic dialect -----------*- C++
//-*-===//

#ifndef NLOGIC_CONVERSION_PASSES_H
#define NLOGIC_CONVERSION_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"
#include "nlogic/Dialect/Rel/IR/RelDialect.h"

namespace mlir::nlogic {

#define GEN_PASS_DECL
#include "nlogic/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "nlogic/Conversion/Passes.h.inc"

} // namespace mlir::nlogic

#endif // NLOGIC_CONVERSION_PASSES_H
