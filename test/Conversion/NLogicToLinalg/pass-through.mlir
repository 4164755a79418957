// RUN: nlogic-opt %s --convert-nlogic-to-linalg --canonicalize --cse | FileCheck %s
// RUN: nlogic-opt %s --convert-nlogic-to-linalg="reassociate=true" --canonicalize --cse | FileCheck %s --check-prefix=FAST

// A relation whose value is its one rule's contribution as it is (no
// transformation, offset, product combination or template facts, not
// recursive) passes it through: each of its atoms receives one
// contribution, so the rule kernel stores it straight into the value
// arena (%arg0) instead of adding it to the accumulators (%arg1), reads
// the values' gradients (%arg4) instead of the accumulators' (%arg5), and
// the relation's kernels are empty. `two` has two rules: its atoms sum two
// contributions, through the accumulators and its relation kernels.

nlogic.template @t {
  nlogic.relation @x arity 1 : tensor<8xf64>
  nlogic.relation @h arity 1 : tensor<4xf64> transform identity combine sum
  nlogic.relation @two arity 1 : tensor<4xf64> transform identity combine sum
  nlogic.weight @w : tensor<4x8xf64>
  nlogic.rule @h vars(%I) aggregate sum weight @w {
    %0 = nlogic.atom @x(%I) : tensor<8xf64>
    nlogic.head(%I) = %0 : tensor<8xf64>
  }
  nlogic.rule @two vars(%I) aggregate sum {
    %0 = nlogic.atom @h(%I) : tensor<4xf64>
    nlogic.head(%I) = %0 : tensor<4xf64>
  }
  nlogic.rule @two vars(%I) aggregate max {
    %0 = nlogic.atom @h(%I) : tensor<4xf64>
    nlogic.head(%I) = %0 : tensor<4xf64>
  }
}

// CHECK-LABEL: func.func @nlogic_rule0_forward(
// CHECK-SAME: {llvm.emit_c_interface} {
// CHECK-NOT: %arg1{{[^0-9]}}
// CHECK: %[[HEAD:.*]] = memref.reinterpret_cast %arg0 to offset: [%{{.*}}], sizes: [4, 1]
// CHECK-NEXT: linalg.generic {{.*}} outs(%[[HEAD]] :
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f64, %{{.*}}: f64):
// CHECK-NEXT: linalg.yield %[[IN]] : f64
// CHECK-NOT: %arg1{{[^0-9]}}
// CHECK: return

// CHECK-LABEL: func.func @nlogic_rule0_backward(
// CHECK-SAME: {llvm.emit_c_interface} {
// CHECK-NOT: %arg5{{[^0-9]}}
// CHECK: memref.reinterpret_cast %arg4 to offset: [%{{.*}}], sizes: [4, 1]
// CHECK-NOT: %arg5{{[^0-9]}}
// CHECK: return

// `two`'s rules add into the accumulators.
// CHECK-LABEL: func.func @nlogic_rule1_forward(
// CHECK: %[[ACC:.*]] = memref.reinterpret_cast %arg1 to offset: [%{{.*}}], sizes: [4, 1]
// CHECK-NEXT: linalg.generic {{.*}} outs(%[[ACC]] :
// CHECK: arith.addf

// CHECK-LABEL: func.func @nlogic_relation1_forward(
// CHECK-NEXT: return
// CHECK-LABEL: func.func @nlogic_relation1_backward(
// CHECK-NEXT: return
// CHECK-LABEL: func.func @nlogic_relation2_forward(
// CHECK: scf.for
// CHECK-LABEL: func.func @nlogic_relation2_backward(
// CHECK: scf.for

// Fast-math's projection four segments at a time stores the four heads'
// values without loading them.
// FAST-LABEL: func.func @nlogic_rule0_forward(
// FAST-NOT: vector.load %arg0
// FAST-COUNT-4: vector.store {{.*}}, %arg0
// FAST: return
