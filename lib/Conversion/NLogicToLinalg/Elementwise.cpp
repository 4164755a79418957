//===- Elementwise.cpp - scalar bodies of transformations -----------------===//

#include "Elementwise.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;
using namespace mlir::nlogic;
using namespace mlir::nlogic::kernels;

bool kernels::isElementwiseTransformation(Transformation kind) {
  switch (kind) {
  case Transformation::identity:
  case Transformation::sigmoid:
  case Transformation::tanh:
  case Transformation::signum:
  case Transformation::relu:
  case Transformation::leaky_relu:
  case Transformation::lukasiewicz:
  case Transformation::exp:
  case Transformation::sqrt:
  case Transformation::inverse:
  case Transformation::reverse:
  case Transformation::log:
    return true;
  default:
    return false;
  }
}

static Value cst(ImplicitLocOpBuilder &b, Type t, double v) {
  return arith::ConstantOp::create(b, b.getFloatAttr(t, v));
}

static Value greater(ImplicitLocOpBuilder &b, Value x, Value y) {
  return arith::CmpFOp::create(b, arith::CmpFPredicate::OGT, x, y);
}

static Value select(ImplicitLocOpBuilder &b, Value c, Value x, Value y) {
  return arith::SelectOp::create(b, c, x, y);
}

Value kernels::applyTransformation(ImplicitLocOpBuilder &b, Transformation kind,
                                   Value x, double alpha) {
  Type t = x.getType();
  Value zero = cst(b, t, 0), one = cst(b, t, 1);
  switch (kind) {
  case Transformation::identity:
    return x;
  case Transformation::sigmoid: {
    // 1 / (1 + exp(-x)), as the reference computes it for x >= 0; for
    // x < 0 it uses exp(x) / (1 + exp(x)): both are the same function and
    // agree to the last bits in double precision.
    Value e = math::ExpOp::create(b, arith::NegFOp::create(b, x));
    return arith::DivFOp::create(b, one, arith::AddFOp::create(b, one, e));
  }
  case Transformation::tanh:
    return math::TanhOp::create(b, x);
  case Transformation::signum: {
    Value neg = arith::CmpFOp::create(b, arith::CmpFPredicate::OLT, x, zero);
    return select(b, greater(b, x, zero), one,
                  select(b, neg, cst(b, t, -1), zero));
  }
  case Transformation::relu:
    return select(b, greater(b, x, zero), x, zero);
  case Transformation::leaky_relu:
    return select(b, greater(b, x, zero), x,
                  arith::MulFOp::create(b, cst(b, t, alpha), x));
  case Transformation::lukasiewicz: {
    Value lo = select(b, greater(b, x, zero), x, zero);
    return select(b, greater(b, lo, one), one, lo);
  }
  case Transformation::exp:
    return math::ExpOp::create(b, x);
  case Transformation::sqrt:
    return math::SqrtOp::create(b, x);
  case Transformation::inverse:
    return arith::DivFOp::create(b, one, x);
  case Transformation::reverse:
    return arith::SubFOp::create(b, one, x);
  case Transformation::log:
    return math::LogOp::create(b, x);
  default:
    llvm_unreachable("not an elementwise transformation");
  }
}

Value kernels::transformationDerivative(ImplicitLocOpBuilder &b,
                                        Transformation kind, Value x, Value y,
                                        double alpha) {
  Type t = x.getType();
  Value zero = cst(b, t, 0), one = cst(b, t, 1);
  switch (kind) {
  case Transformation::identity:
    return one;
  case Transformation::sigmoid:
    return arith::MulFOp::create(b, y, arith::SubFOp::create(b, one, y));
  case Transformation::tanh:
    return arith::SubFOp::create(b, one, arith::MulFOp::create(b, y, y));
  case Transformation::signum:
    return zero;
  case Transformation::relu:
    return select(b, greater(b, x, zero), one, zero);
  case Transformation::leaky_relu:
    return select(b, greater(b, x, zero), one, cst(b, t, alpha));
  case Transformation::lukasiewicz: {
    Value below = arith::CmpFOp::create(b, arith::CmpFPredicate::OLT, x, one);
    Value inside = arith::AndIOp::create(b, greater(b, x, zero), below);
    return select(b, inside, one, zero);
  }
  case Transformation::exp:
    return y;
  case Transformation::sqrt:
    return arith::DivFOp::create(b, cst(b, t, 0.5), y);
  case Transformation::inverse:
    return arith::NegFOp::create(b, arith::MulFOp::create(b, y, y));
  case Transformation::reverse:
    return cst(b, t, -1);
  case Transformation::log:
    return arith::DivFOp::create(b, one, x);
  default:
    llvm_unreachable("not an elementwise transformation");
  }
}
