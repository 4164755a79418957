// RUN: nlogic-opt %s | nlogic-opt | FileCheck %s
// RUN: nlogic-opt %s --mlir-print-op-generic | nlogic-opt | FileCheck %s

/// Every op of the dialect, printed and parsed back.

// CHECK-LABEL: nlogic.template @all_ops
nlogic.template @all_ops {
  // CHECK: nlogic.relation @edge arity 2 : tensor<*xf64>
  nlogic.relation @edge arity 2 : tensor<*xf64>
  // CHECK: nlogic.relation @feat arity 1 : tensor<3xf64>
  nlogic.relation @feat arity 1 : tensor<3xf64>
  // CHECK: nlogic.relation @next arity 2 hidden : f64
  nlogic.relation @next arity 2 hidden : f64
  // CHECK: nlogic.relation @h arity 1 : tensor<3xf64> transform tanh combine sum offset @bias
  nlogic.relation @h arity 1 : tensor<3xf64> transform tanh combine sum offset @bias
  // CHECK: nlogic.relation @"shape/3" arity 3 : f64 {predicate = "shape"}
  nlogic.relation @"shape/3" arity 3 : f64 {predicate = "shape"}
  // CHECK: nlogic.weight @w : tensor<3x3xf64> init glorot
  nlogic.weight @w : tensor<3x3xf64> init glorot
  // CHECK: nlogic.weight @bias : tensor<3xf64> = dense<[1.000000e+00, 0.000000e+00, -1.000000e+00]> : tensor<3xf64>
  nlogic.weight @bias : tensor<3xf64> = dense<[1.0, 0.0, -1.0]> : tensor<3xf64>
  // CHECK: nlogic.weight @one : f64 = dense<1.000000e+00> : tensor<f64> fixed
  nlogic.weight @one : f64 = dense<1.0> : tensor<f64> fixed
  // CHECK: nlogic.weight @emb : tensor<3xf64>{{$}}
  nlogic.weight @emb : tensor<3xf64>
  // CHECK: nlogic.fact @next(0, 1)
  nlogic.fact @next(0, 1)
  // CHECK: nlogic.fact @feat("a") weight @emb
  nlogic.fact @feat("a") weight @emb
  // CHECK: nlogic.fact @"shape/3"("c1", "t", 2.500000e+00)
  nlogic.fact @"shape/3"("c1", "t", 2.5)

  // CHECK: nlogic.rule @h vars(%X, %Y, %Z) aggregate avg weight @one {
  nlogic.rule @h vars(%X, %Y, %Z) aggregate avg weight @one {
    // CHECK-NEXT: %[[C:.*]] = nlogic.constant "a"
    %c = nlogic.constant "a"
    // CHECK-NEXT: %[[E:.*]] = nlogic.atom @edge(%X, %Y) : tensor<*xf64>
    %e = nlogic.atom @edge(%X, %Y) : tensor<*xf64>
    // CHECK-NEXT: %[[F:.*]] = nlogic.atom @feat(%Y) : tensor<3xf64>
    %f = nlogic.atom @feat(%Y) : tensor<3xf64>
    // CHECK-NEXT: %[[T:.*]] = nlogic.atom @feat(%Y) transposed : tensor<1x3xf64>
    %t = nlogic.atom @feat(%Y) transposed : tensor<1x3xf64>
    // CHECK-NEXT: nlogic.not @edge(%Y, %X)
    nlogic.not @edge(%Y, %X)
    // CHECK-NEXT: nlogic.not @"shape/3"(%X, %[[C]], %Y)
    nlogic.not @"shape/3"(%X, %c, %Y)
    // CHECK-NEXT: %[[D:.*]] = nlogic.arith sub %X, %Y
    %d = nlogic.arith sub %X, %Y
    // CHECK-NEXT: nlogic.constrain eq(%Z, %[[D]])
    nlogic.constrain eq(%Z, %d)
    // CHECK-NEXT: nlogic.constrain neq(%X, %Y)
    nlogic.constrain neq(%X, %Y)
    // CHECK-NEXT: %[[W:.*]] = nlogic.weigh @w, %[[F]] : tensor<3xf64> -> tensor<3xf64>
    %wf = nlogic.weigh @w, %f : tensor<3xf64> -> tensor<3xf64>
    // CHECK-NEXT: %[[S:.*]] = nlogic.combine sum(%[[W]], %[[E]]) offset @bias : (tensor<3xf64>, tensor<*xf64>) -> tensor<3xf64>
    %s = nlogic.combine sum(%wf, %e) offset @bias : (tensor<3xf64>, tensor<*xf64>) -> tensor<3xf64>
    // CHECK-NEXT: %[[P:.*]] = nlogic.combine product(%[[T]], %[[S]]) : (tensor<1x3xf64>, tensor<3xf64>) -> tensor<1xf64>
    %p = nlogic.combine product(%t, %s) : (tensor<1x3xf64>, tensor<3xf64>) -> tensor<1xf64>
    // CHECK-NEXT: %[[M:.*]] = nlogic.combine elproduct(%[[P]], %[[S]]) : (tensor<1xf64>, tensor<3xf64>) -> tensor<3xf64>
    %m = nlogic.combine elproduct(%p, %s) : (tensor<1xf64>, tensor<3xf64>) -> tensor<3xf64>
    // CHECK-NEXT: %[[R:.*]] = nlogic.transform tanh %[[M]] : tensor<3xf64> -> tensor<3xf64>
    %r = nlogic.transform tanh %m : tensor<3xf64> -> tensor<3xf64>
    // CHECK-NEXT: nlogic.head(%X) = %[[R]] : tensor<3xf64>
    nlogic.head(%X) = %r : tensor<3xf64>
  }

  // CHECK: nlogic.sample "s0" {
  nlogic.sample "s0" {
    // CHECK-NEXT: nlogic.fact @edge("a", "b") value dense<2.000000e+00> : tensor<f64>
    nlogic.fact @edge("a", "b") value dense<2.0> : tensor<f64>
    // CHECK-NEXT: nlogic.query @h("a") target dense<[1.000000e+00, 0.000000e+00, 0.000000e+00]> : tensor<3xf64>
    nlogic.query @h("a") target dense<[1.0, 0.0, 0.0]> : tensor<3xf64>
    // CHECK-NEXT: nlogic.query @h("b")
    nlogic.query @h("b")
  }
}
