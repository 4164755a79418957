// RUN: nlogic-opt %s --pass-pipeline='builtin.module(nlogic-compile-template{shapes=x=2})' | FileCheck %s
// RUN: nlogic-opt %s --pass-pipeline='builtin.module(nlogic-compile-template{shapes=x=2})' | mlir-translate --mlir-to-llvmir | FileCheck %s --check-prefix=LLVM

// The whole pipeline: data shapes, kernels, LLVM dialect. Every kernel has
// a C entry point taking memref descriptors.
// CHECK: module attributes {nlogic.parameters = 6 : i64, nlogic.rule_tiling = array<i32: 0, -1, -1, 0>}
// CHECK-NOT: nlogic.{{[a-z]+}} @
// CHECK-DAG: llvm.func @_mlir_ciface_nlogic_rule0_forward(
// CHECK-DAG: llvm.func @_mlir_ciface_nlogic_rule0_backward(
// CHECK-DAG: llvm.func @_mlir_ciface_nlogic_relation1_forward(
// CHECK-DAG: llvm.func @_mlir_ciface_nlogic_relation1_backward(
// Transcendentals become LLVM intrinsics (libm calls in the object).
// CHECK-DAG: llvm.intr.tanh
// CHECK-DAG: llvm.intr.exp
// LLVM: define void @_mlir_ciface_nlogic_rule0_forward(ptr
nlogic.template @t {
  nlogic.relation @x arity 1 : tensor<*xf64>
  nlogic.relation @h arity 1 : tensor<*xf64> transform tanh
  nlogic.weight @w : tensor<3x2xf64>
  nlogic.rule @h vars(%I) aggregate sum {
    %0 = nlogic.atom @x(%I) : tensor<*xf64>
    %1 = nlogic.weigh @w, %0 : tensor<*xf64> -> tensor<*xf64>
    %2 = nlogic.transform sigmoid %1 : tensor<*xf64> -> tensor<*xf64>
    nlogic.head(%I) = %2 : tensor<*xf64>
  }
}
