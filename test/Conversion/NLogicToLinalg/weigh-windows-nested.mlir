// RUN: nlogic-opt %s --convert-nlogic-to-linalg="reassociate=true" --canonicalize --cse | FileCheck %s

// A weighing of a windowed product (V (W x)): V's gradient reads W x, so
// the backward kernel's windows compute their products again (with W's
// transposed copy), unlike a body that only sums weighed atoms
// (weigh-windows-linear.mlir).
// CHECK-LABEL: func.func @nlogic_rule0_backward(
// CHECK: %[[WT:.*]] = memref.alloca() : memref<8x4xf64>
// CHECK: scf.if
// CHECK: vector.load %[[WT]]
// CHECK: vector.fma
// CHECK-LABEL: func.func @nlogic_relation1_forward(

nlogic.template @t {
  nlogic.relation @x arity 1 : tensor<8xf64>
  nlogic.relation @h arity 1 : tensor<4xf64> transform tanh combine sum
  nlogic.weight @w : tensor<4x8xf64>
  nlogic.weight @v : tensor<4x4xf64>
  nlogic.rule @h vars(%I) aggregate avg {
    %0 = nlogic.atom @x(%I) : tensor<8xf64>
    %1 = nlogic.weigh @w, %0 : tensor<8xf64> -> tensor<4xf64>
    %2 = nlogic.weigh @v, %1 : tensor<4xf64> -> tensor<4xf64>
    nlogic.head(%I) = %2 : tensor<4xf64>
  }
}
