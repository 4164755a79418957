// RUN: nlogic-opt %s --pass-pipeline='builtin.module(nlogic.template(nlogic-hoist-weights))' | FileCheck %s

nlogic.template @t {
  nlogic.relation @x arity 1 : tensor<7xf64>
  nlogic.relation @edge arity 2 : f64
  nlogic.relation @h arity 1 : tensor<10xf64>
  nlogic.weight @w : tensor<10x7xf64>
  nlogic.weight @v : tensor<10x7xf64>
  nlogic.weight @u : tensor<10x10xf64>
  nlogic.weight @b : tensor<10xf64>

  // avg_J(W x(J)) = W avg_J(x(J)): the weight becomes the head weight and
  // the identity ops between it and the head go.
  // CHECK: nlogic.rule @h vars(%I, %J) aggregate avg weight @w {
  // CHECK-NEXT: %[[X:.*]] = nlogic.atom @x(%J) : tensor<7xf64>
  // CHECK-NEXT: nlogic.atom @edge(%J, %I) : f64
  // CHECK-NEXT: nlogic.head(%I) = %[[X]] : tensor<7xf64>
  nlogic.rule @h vars(%I, %J) aggregate avg {
    %0 = nlogic.atom @x(%J) : tensor<7xf64>
    %1 = nlogic.weigh @w, %0 : tensor<7xf64> -> tensor<10xf64>
    %2 = nlogic.atom @edge(%J, %I) : f64
    %3 = nlogic.combine sum(%1) : (tensor<10xf64>) -> tensor<10xf64>
    %4 = nlogic.transform identity %3 : tensor<10xf64> -> tensor<10xf64>
    nlogic.head(%I) = %4 : tensor<10xf64>
  }

  // max does not commute with the weight: unchanged.
  // CHECK: nlogic.rule @h vars(%I, %J) aggregate max {
  // CHECK: nlogic.weigh @v
  nlogic.rule @h vars(%I, %J) aggregate max {
    %0 = nlogic.atom @x(%J) : tensor<7xf64>
    %1 = nlogic.weigh @v, %0 : tensor<7xf64> -> tensor<10xf64>
    %2 = nlogic.atom @edge(%J, %I) : f64
    nlogic.head(%I) = %1 : tensor<10xf64>
  }

  // An offset is added per substitution: unchanged.
  // CHECK: nlogic.rule @h vars(%I, %J) aggregate sum {
  // CHECK: nlogic.weigh @v
  // CHECK: offset @b
  nlogic.rule @h vars(%I, %J) aggregate sum {
    %0 = nlogic.atom @x(%J) : tensor<7xf64>
    %1 = nlogic.weigh @v, %0 : tensor<7xf64> -> tensor<10xf64>
    %2 = nlogic.atom @edge(%J, %I) : f64
    %3 = nlogic.combine sum(%1) offset @b : (tensor<10xf64>) -> tensor<10xf64>
    nlogic.head(%I) = %3 : tensor<10xf64>
  }

  // A nonlinear transformation and an existing head weight: unchanged.
  // CHECK: nlogic.rule @h vars(%I) aggregate sum {
  // CHECK: nlogic.transform tanh
  nlogic.rule @h vars(%I) aggregate sum {
    %0 = nlogic.atom @x(%I) : tensor<7xf64>
    %1 = nlogic.weigh @v, %0 : tensor<7xf64> -> tensor<10xf64>
    %2 = nlogic.transform tanh %1 : tensor<10xf64> -> tensor<10xf64>
    nlogic.head(%I) = %2 : tensor<10xf64>
  }
  // CHECK: nlogic.rule @h vars(%I) aggregate sum weight @u {
  // CHECK: nlogic.weigh @w
  nlogic.rule @h vars(%I) aggregate sum weight @u {
    %0 = nlogic.atom @x(%I) : tensor<7xf64>
    %1 = nlogic.weigh @w, %0 : tensor<7xf64> -> tensor<10xf64>
    nlogic.head(%I) = %1 : tensor<10xf64>
  }
}
