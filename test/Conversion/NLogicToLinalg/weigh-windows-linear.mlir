// RUN: nlogic-opt %s --convert-nlogic-to-linalg="reassociate=true" --canonicalize --cse | FileCheck %s

// A rule whose body only sums its weighed atom and another atom, averaged:
// no gradient depends on a value, so the backward kernel's windows do not
// compute Y = X W^T again (the forward kernel's do); Y's buffer is zeroed
// for the body's replay, and only dW and dX are products.
// CHECK-LABEL: func.func @nlogic_rule0_forward(
// CHECK: %[[WT:.*]] = memref.alloca() : memref<8x4xf64>
// CHECK: scf.if
// CHECK: vector.load %[[WT]]
// CHECK: vector.fma
// CHECK-LABEL: func.func @nlogic_rule0_backward(
// CHECK-NOT: memref<8x4xf64>
// CHECK: scf.if
// CHECK-NOT: memref<8x4xf64>
// CHECK: linalg.fill
// CHECK-NOT: memref<8x4xf64>
// CHECK-LABEL: func.func @nlogic_relation2_forward(

nlogic.template @t {
  nlogic.relation @x arity 1 : tensor<8xf64>
  nlogic.relation @y arity 1 : tensor<4xf64>
  nlogic.relation @h arity 1 : tensor<4xf64> transform tanh combine sum
  nlogic.weight @w : tensor<4x8xf64>
  nlogic.rule @h vars(%I) aggregate avg {
    %0 = nlogic.atom @x(%I) : tensor<8xf64>
    %1 = nlogic.weigh @w, %0 : tensor<8xf64> -> tensor<4xf64>
    %2 = nlogic.atom @y(%I) : tensor<4xf64>
    %3 = nlogic.combine sum(%1, %2) : (tensor<4xf64>, tensor<4xf64>) -> tensor<4xf64>
    nlogic.head(%I) = %3 : tensor<4xf64>
  }
}
