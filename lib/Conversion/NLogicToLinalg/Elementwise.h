//===- Elementwise.h - scalar bodies of transformations -----------*- C++
//-*-===//
//
// The elementwise transformations of the catalogue as scalar arith/math
// code, and their derivatives, for the bodies of linalg.generic ops. They
// follow the reference runtime's definitions (lib/Runtime/Functions.cpp)
// case by case, including its conventions at kinks (relu'(0) = 0).
//
//===----------------------------------------------------------------------===//

#ifndef NLOGIC_LIB_CONVERSION_NLOGICTOLINALG_ELEMENTWISE_H
#define NLOGIC_LIB_CONVERSION_NLOGICTOLINALG_ELEMENTWISE_H

#include "nlogic/Dialect/NLogic/IR/NLogicTypes.h"

#include "mlir/IR/ImplicitLocOpBuilder.h"

namespace mlir::nlogic::kernels {

/// Whether the kernels implement `kind` elementwise (identity included).
bool isElementwiseTransformation(Transformation kind);

/// y = f(x).
Value applyTransformation(ImplicitLocOpBuilder &b, Transformation kind, Value x,
                          double alpha);

/// dy/dx at x, given y = f(x) (whichever is more accurate is used).
Value transformationDerivative(ImplicitLocOpBuilder &b, Transformation kind,
                               Value x, Value y, double alpha);

} // namespace mlir::nlogic::kernels

#endif // NLOGIC_LIB_CONVERSION_NLOGICTOLINALG_ELEMENTWISE_H
