// RUN: nlogic-opt %s --convert-nlogic-to-linalg --canonicalize --cse | FileCheck %s

// Functions of a whole vector inside a rule's map: a slice is a strided
// view of its input (no copy, and backward the gradient lands in the same
// block); a concatenation copies its inputs into blocks of the result;
// softmax and layer norm reduce over the vector first.
// CHECK-LABEL: func.func @nlogic_rule0_forward(
// CHECK: %[[X:.*]] = memref.reinterpret_cast %arg0 to offset: [%{{.*}}], sizes: [4, 1]
// CHECK: memref.subview %[[X]][1, 0] [2, 1] [1, 1]
// CHECK: memref.subview %[[CAT:.*]][0, 0] [2, 1] [1, 1]
// CHECK: memref.subview %[[CAT]][2, 0] [4, 1] [1, 1]
// Softmax: max, exp(x - max), sum, divide.
// CHECK: arith.cmpf ogt
// CHECK: math.exp
// CHECK: arith.divf
// Norm: mean, variance, sqrt(var + 1e-5).
// CHECK: math.sqrt
// CHECK-LABEL: func.func @nlogic_rule0_backward(
// CHECK: memref.subview %{{.*}}[1, 0] [2, 1] [1, 1]
// CHECK: return
nlogic.template @t {
  nlogic.relation @x arity 1 : tensor<4xf64>
  nlogic.relation @h arity 1 : tensor<6xf64>
  nlogic.weight @w : tensor<6x6xf64>
  nlogic.rule @h vars(%I) aggregate sum {
    %0 = nlogic.atom @x(%I) : tensor<4xf64>
    %1 = nlogic.transform slice %0 {rows = array<i64: 1, 3>} : tensor<4xf64> -> tensor<2xf64>
    %2 = nlogic.combine concat(%1, %0) : (tensor<2xf64>, tensor<4xf64>) -> tensor<6xf64>
    %3 = nlogic.transform softmax %2 : tensor<6xf64> -> tensor<6xf64>
    %4 = nlogic.weigh @w, %3 : tensor<6xf64> -> tensor<6xf64>
    %5 = nlogic.transform norm %4 : tensor<6xf64> -> tensor<6xf64>
    nlogic.head(%I) = %5 : tensor<6xf64>
  }
}
