// RUN: nlogic-opt %s --convert-nlogic-to-linalg | FileCheck %s

// Which facts get gradients: one valued by a learnable weight does (a
// learnable input, an embedding); one valued by a fixed weight (attention's
// 1/sqrt(d)) does not, and neither does a plain data fact. The backward
// kernel's arguments: values, acc, aggs, params, dvalues (%arg4), dacc,
// grads, segments, index, groups, n.

nlogic.template @t {
  nlogic.relation @x arity 1 : tensor<4xf64>
  nlogic.relation @fixed arity 0 : f64
  nlogic.relation @learned arity 0 : f64
  nlogic.relation @h arity 1 : tensor<4xf64> transform identity combine sum
  nlogic.relation @g arity 1 : tensor<4xf64> transform identity combine sum
  nlogic.weight @scale : f64 = dense<2.0> : tensor<f64> fixed
  nlogic.weight @embedding : f64 = dense<3.0> : tensor<f64>
  nlogic.fact @fixed() weight @scale
  nlogic.fact @learned() weight @embedding
  nlogic.rule @h vars(%I) aggregate sum {
    %0 = nlogic.atom @fixed() : f64
    %1 = nlogic.atom @x(%I) : tensor<4xf64>
    %2 = nlogic.combine product(%0, %1) : (f64, tensor<4xf64>) -> tensor<4xf64>
    nlogic.head(%I) = %2 : tensor<4xf64>
  }
  nlogic.rule @g vars(%I) aggregate sum {
    %0 = nlogic.atom @learned() : f64
    %1 = nlogic.atom @x(%I) : tensor<4xf64>
    %2 = nlogic.combine product(%0, %1) : (f64, tensor<4xf64>) -> tensor<4xf64>
    nlogic.head(%I) = %2 : tensor<4xf64>
  }
}

// (A 4x1 view of %arg4 is the head's gradient: h passes its rule's
// contributions through, so its rule reads its values' gradients.)
// CHECK-LABEL: func.func @nlogic_rule0_backward(
// CHECK-NOT: memref.reinterpret_cast %arg4 to offset: [%{{.*}}], sizes: [1, 1]
// CHECK: return

// CHECK-LABEL: func.func @nlogic_rule1_backward(
// CHECK: %[[D:.*]] = memref.reinterpret_cast %arg4 to offset: [%{{.*}}], sizes: [1, 1]
// CHECK: outs(%[[D]] :
// CHECK: return
