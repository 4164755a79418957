// RUN: nlogic-opt %s --convert-nlogic-to-linalg | FileCheck %s --check-prefix=EXACT
// RUN: nlogic-opt %s --convert-nlogic-to-linalg="reassociate=true" | FileCheck %s --check-prefix=FAST

// A dot product k(J)^T q(I): by default its sum keeps the reference
// evaluator's order (plain arith ops); with `reassociate`, the reduction's
// multiply and add carry fastmath<reassoc,contract>, so LLVM vectorises it
// (and may fuse them into FMAs).

nlogic.template @t {
  nlogic.relation @k arity 1 : tensor<8xf64>
  nlogic.relation @q arity 1 : tensor<8xf64>
  nlogic.relation @s arity 2 : tensor<1xf64> transform identity combine sum
  nlogic.rule @s vars(%I, %J) aggregate sum {
    %0 = nlogic.atom @k(%J) transposed : tensor<1x8xf64>
    %1 = nlogic.atom @q(%I) : tensor<8xf64>
    %2 = nlogic.combine product(%0, %1) : (tensor<1x8xf64>, tensor<8xf64>) -> tensor<1xf64>
    nlogic.head(%I, %J) = %2 : tensor<1xf64>
  }
}

// EXACT-LABEL: func.func @nlogic_rule0_forward(
// EXACT: linalg.generic
// EXACT: arith.mulf %{{[^ ]*}}, %{{[^ ]*}} : f64
// EXACT-NEXT: arith.addf %{{[^ ]*}}, %{{[^ ]*}} : f64
// EXACT-NOT: fastmath

// FAST-LABEL: func.func @nlogic_rule0_forward(
// FAST: linalg.generic
// FAST: arith.mulf %{{.*}} fastmath<reassoc,contract> : f64
// FAST-NEXT: arith.addf %{{.*}} fastmath<reassoc,contract> : f64
