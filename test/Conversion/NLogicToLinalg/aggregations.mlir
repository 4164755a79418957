// RUN: nlogic-opt %s --split-input-file --convert-nlogic-to-linalg --canonicalize --cse | FileCheck %s

// Softmax over J: for each group (a range of segments), the members' sums
// are normalised in place: running max, exp(v - max), sum, divide. Only
// then are they weighted into their heads.
// CHECK-LABEL: func.func @nlogic_rule0_forward(
// CHECK-SAME: %[[GROUPS:[a-z0-9]+]]: memref<?xi32> {llvm.noalias}, %[[TILES:[a-z0-9]+]]: memref<?xi32> {llvm.noalias}, %[[N:[a-z0-9]+]]: index)
// CHECK: scf.for %[[G:.*]] = %{{.*}} to %[[N]]
// CHECK: memref.load %[[GROUPS]]
// CHECK: memref.load %[[GROUPS]]
// CHECK: scf.for
// CHECK: scf.for
// CHECK: arith.cmpf ogt
// CHECK: scf.for
// CHECK: math.exp
// CHECK: scf.for
// CHECK: arith.divf
// Backward: d raw = norm * (d norm - sum(norm * d norm)).
// CHECK-LABEL: func.func @nlogic_rule0_backward(
// CHECK: scf.for
// CHECK: scf.for
// CHECK: scf.for
// CHECK: arith.subf
// CHECK: arith.mulf
nlogic.template @attention {
  nlogic.relation @x arity 1 : tensor<2xf64>
  nlogic.relation @score arity 2 : tensor<1xf64>
  nlogic.weight @w : tensor<1x2xf64>
  nlogic.rule @score vars(%I, %J) aggregate softmax over ["J"] {
    %0 = nlogic.atom @x(%J) : tensor<2xf64>
    %1 = nlogic.weigh @w, %0 : tensor<2xf64> -> tensor<1xf64>
    %2 = nlogic.atom @x(%I) : tensor<2xf64>
    nlogic.constrain leq(%J, %I)
    nlogic.head(%I, %J) = %1 : tensor<1xf64>
  }
}

// -----

// Max: the forward reduction keeps the first largest value; the backward
// kernel routes each element's gradient to the first substitution that
// reached it (a "claimed" mask per element).
// CHECK-LABEL: func.func @nlogic_rule0_forward(
// CHECK: scf.for
// CHECK: scf.for
// CHECK: arith.cmpf ogt
// CHECK: arith.select
// CHECK-LABEL: func.func @nlogic_rule0_backward(
// CHECK: scf.for
// CHECK: arith.cmpf oeq
// CHECK: arith.cmpf oeq
// CHECK: arith.andi
// CHECK: arith.select
nlogic.template @max {
  nlogic.relation @x arity 1 : tensor<2xf64>
  nlogic.relation @edge arity 2 : f64
  nlogic.relation @h arity 1 : tensor<2xf64>
  nlogic.weight @w : tensor<2x2xf64>
  nlogic.rule @h vars(%I, %J) aggregate max {
    %0 = nlogic.atom @x(%J) : tensor<2xf64>
    %1 = nlogic.weigh @w, %0 : tensor<2xf64> -> tensor<2xf64>
    %2 = nlogic.atom @edge(%J, %I) : f64
    nlogic.head(%I) = %1 : tensor<2xf64>
  }
}

// -----

// Count: the aggregate is the segment's number of rows; nothing is
// recomputed backward.
// CHECK-LABEL: func.func @nlogic_rule0_forward(
// CHECK: scf.for
// CHECK-NOT: scf.for
// CHECK: arith.sitofp
// CHECK: linalg.fill
// CHECK-LABEL: func.func @nlogic_rule0_backward(
// CHECK: scf.for
// CHECK-NOT: scf.for
// CHECK: return
nlogic.template @count {
  nlogic.relation @edge arity 2 : f64
  nlogic.relation @degree arity 1 : f64
  nlogic.weight @w : f64
  nlogic.rule @degree vars(%I, %J) aggregate count weight @w {
    %0 = nlogic.atom @edge(%J, %I) : f64
    nlogic.head(%I) = %0 : f64
  }
}
