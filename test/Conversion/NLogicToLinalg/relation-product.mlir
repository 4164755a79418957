// RUN: nlogic-opt %s --convert-nlogic-to-linalg --canonicalize --cse | FileCheck %s

// A scalar relation whose two rules' contributions multiply, with an
// offset: value = sigmoid(b * (W a(X)) * (u c(X))). Each rule's forward
// kernel keeps the accumulator's value before it (the earlier rules'
// product) in the slot after its aggregate and multiplies its
// contribution in; the relation's forward kernel multiplies the offset
// in without changing the accumulator; its backward kernel restarts the
// accumulator at 1, so that the rules' backward kernels (in reverse
// order) find there the product of the later contributions, and each
// multiplies its own back in.
nlogic.template @t {
  nlogic.relation @a arity 1 : tensor<2xf64>
  nlogic.relation @c arity 1 : f64
  nlogic.relation @p arity 1 : f64 transform sigmoid combine product offset @b
  nlogic.weight @w : tensor<1x2xf64>
  nlogic.weight @u : f64
  nlogic.weight @b : f64
  nlogic.rule @p vars(%X) aggregate sum {
    %0 = nlogic.atom @a(%X) : tensor<2xf64>
    %1 = nlogic.weigh @w, %0 : tensor<2xf64> -> tensor<1xf64>
    nlogic.head(%X) = %1 : tensor<1xf64>
  }
  nlogic.rule @p vars(%X) aggregate sum weight @u {
    %0 = nlogic.atom @c(%X) : f64
    nlogic.head(%X) = %0 : f64
  }
}

// CHECK-LABEL: func.func @nlogic_rule1_forward(
// CHECK-SAME: %[[VALUES:[a-z0-9]+]]: memref<?xf64> {llvm.noalias}, %[[ACC:[a-z0-9]+]]: memref<?xf64> {llvm.noalias}, %[[AGGS:[a-z0-9]+]]: memref<?xf64> {llvm.noalias}
// The contribution u * aggregate:
// CHECK: %[[U:.*]] = memref.reinterpret_cast %arg3 to offset: [2], sizes: [1, 1]
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[U]] : {{.*}}) outs(%[[CONTRIB:.*]] : memref<1x1xf64>)
// CHECK: arith.mulf
// The accumulator before this rule goes to the slot after the aggregate:
// CHECK: %[[HEAD:.*]] = memref.reinterpret_cast %[[ACC]] to offset: [%{{.*}}], sizes: [1, 1]
// CHECK: %[[PREFIX:.*]] = memref.reinterpret_cast %[[AGGS]] to offset: [%{{.*}}], sizes: [1, 1]
// CHECK: linalg.generic {{.*}} ins(%[[HEAD]] : {{.*}}) outs(%[[PREFIX]] :
// CHECK: linalg.generic {{.*}} ins(%[[CONTRIB]] : memref<1x1xf64>) outs(%[[HEAD]] :
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f64, %[[OUT:.*]]: f64):
// CHECK-NEXT: arith.mulf %[[OUT]], %[[IN]] : f64

// CHECK-LABEL: func.func @nlogic_rule1_backward(
// d contribution = dacc * prefix * acc (the later contributions), then
// acc *= contribution:
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}}, %{{.*}} : {{.*}}) outs(%[[D:.*]] : memref<1x1xf64>)
// CHECK: arith.mulf
// CHECK-NEXT: arith.mulf
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : memref<1x1xf64, strided<[1, 1], offset: ?>>)
// CHECK: arith.mulf

// CHECK-LABEL: func.func @nlogic_relation2_forward(
// CHECK-NOT: outs(%{{.*}} : memref<1x1xf64, strided<[1, 1], offset: ?>>) {{.*}}%arg1
// CHECK: arith.mulf
// CHECK: math.exp
// CHECK-LABEL: func.func @nlogic_relation2_backward(
// The offset's gradient is d combined * acc; then acc restarts at 1.
// CHECK: %[[ONE:.*]] = arith.constant 1.000000e+00 : f64
// CHECK: linalg.fill ins(%[[ONE]] : f64) outs(%{{.*}} : memref<1x1xf64, strided<[1, 1], offset: ?>>)
// CHECK: return
