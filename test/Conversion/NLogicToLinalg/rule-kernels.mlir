// RUN: nlogic-opt %s --convert-nlogic-to-linalg --canonicalize --cse | FileCheck %s

// h(I) :- w * x(J), edge(J, I) with an offset, averaged over J, tanh.
// The forward kernel loops over segments (head atoms) and, inside, over
// the rows of the ground table: the body value is read in place from the
// value arena, multiplied by the weight's view of the parameter arena, and
// reduced into a stack buffer; nothing per substitution is stored.

// Loop orders of the matrix products (see loop-order.mlir): the forward
// W x loops (j, i, k) over a transposed copy of W (the short reduction
// innermost), the backward dW += dy x^T loops (k, i, j).
// CHECK-DAG: #[[WT_KI:[a-z0-9]+]] = affine_map<(d0, d1, d2) -> (d2, d1)>
// CHECK-DAG: #[[DY_KIJ:[a-z0-9]+]] = affine_map<(d0, d1, d2) -> (d1, d0)>
// CHECK-DAG: #[[XT_KJ:[a-z0-9]+]] = affine_map<(d0, d1, d2) -> (d2, d0)>
// CHECK-DAG: #[[DW_KIJ:[a-z0-9]+]] = affine_map<(d0, d1, d2) -> (d1, d2)>

// CHECK-LABEL: func.func @nlogic_rule0_forward(
// CHECK-SAME: %[[VALUES:[a-z0-9]+]]: memref<?xf64> {llvm.noalias}, %[[ACC:[a-z0-9]+]]: memref<?xf64> {llvm.noalias}, %[[AGGS:[a-z0-9]+]]: memref<?xf64> {llvm.noalias}, %[[PARAMS:[a-z0-9]+]]: memref<?xf64> {llvm.noalias}, %[[SEGS:[a-z0-9]+]]: memref<?xi32> {llvm.noalias}, %[[INDEX:[a-z0-9]+]]: memref<?xi32> {llvm.noalias}, %{{.*}}: memref<?xi32> {llvm.noalias}, %[[N:[a-z0-9]+]]: index)
// CHECK-SAME: attributes {llvm.emit_c_interface}
// CHECK: scf.for %[[S:.*]] = %{{.*}} to %[[N]]
// CHECK: memref.load %[[SEGS]]
// CHECK: linalg.fill ins(%{{.*}} : f64) outs(%[[AGG:.*]] : memref<3x1xf64>)
// CHECK: scf.for %[[ROW:.*]] = %[[BEGIN:.*]] to %[[END:.*]] step
// CHECK: %[[OFF:.*]] = memref.load %[[INDEX]]
// CHECK: %[[OFFIDX:.*]] = arith.index_cast %[[OFF]] : i32 to index
// CHECK: %[[X:.*]] = memref.reinterpret_cast %[[VALUES]] to offset: [%[[OFFIDX]]], sizes: [2, 1], strides: [1, 1]
// CHECK: linalg.generic {indexing_maps = [#[[WT_KI]], #{{.*}}, #{{.*}}], iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[WT:.*]], %[[X]] :
// CHECK: memref.reinterpret_cast %[[PARAMS]] to offset: [6], sizes: [3, 1]
// CHECK: outs(%[[AGG]] : memref<3x1xf64>)
// CHECK: arith.addf
// CHECK: }
// The average divides by the segment's row count.
// CHECK: arith.sitofp
// CHECK: arith.divf
// The aggregate is kept for the backward kernel and added to the head.
// CHECK: memref.reinterpret_cast %[[AGGS]]
// CHECK: memref.reinterpret_cast %[[ACC]]
// CHECK: return

// The backward kernel recomputes each row and accumulates dW += dy x^T
// straight into the gradient arena (the transposed operand is an indexing
// map, not a copy); the fixed offset @b gets no gradient.
// The arguments: values, acc, aggs, params, dvalues, dacc, grads (%arg6),
// segments, index, groups, n.
// CHECK-LABEL: func.func @nlogic_rule0_backward(
// CHECK: %[[DW:.*]] = memref.reinterpret_cast %arg6 to offset: [0], sizes: [3, 2], strides: [2, 1]
// CHECK: linalg.generic {indexing_maps = [#[[DY_KIJ]], #[[XT_KJ]], #[[DW_KIJ]]], iterator_types = ["reduction", "parallel", "parallel"]} ins({{.*}}) outs(%[[DW]] :
// CHECK-NOT: offset: [6]
// CHECK: return

// The relation applies its transformation to each derived atom, run by
// run: a run is a first offset and a count of consecutive atoms (3
// elements apart here).
// CHECK-LABEL: func.func @nlogic_relation2_forward(
// CHECK-SAME: %[[RUNS:[a-z0-9]+]]: memref<?xi32> {llvm.noalias}, %[[N:[a-z0-9]+]]: index)
// CHECK: scf.for %[[R:.*]] = %{{.*}} to %[[N]]
// CHECK: %[[REC:.*]] = arith.muli %[[R]], %c2
// CHECK: memref.load %[[RUNS]][%[[REC]]]
// CHECK: %[[NEXT:.*]] = arith.addi %[[REC]], %c1
// CHECK: %[[COUNT32:.*]] = memref.load %[[RUNS]][%[[NEXT]]]
// CHECK: %[[COUNT:.*]] = arith.index_cast %[[COUNT32]]
// CHECK: scf.for %[[A:.*]] = %{{.*}} to %[[COUNT]]
// CHECK: arith.muli %[[A]], %c3
// CHECK: math.tanh
// CHECK-LABEL: func.func @nlogic_relation2_backward(
// CHECK: arith.mulf
// CHECK: arith.subf
nlogic.template @t {
  nlogic.relation @x arity 1 : tensor<2xf64>
  nlogic.relation @edge arity 2 : f64
  nlogic.relation @h arity 1 : tensor<3xf64> transform tanh
  nlogic.weight @w : tensor<3x2xf64>
  nlogic.weight @b : tensor<3xf64> = dense<[1.0, 2.0, 3.0]> : tensor<3xf64> fixed
  nlogic.rule @h vars(%I, %J) aggregate avg {
    %0 = nlogic.atom @x(%J) : tensor<2xf64>
    %1 = nlogic.weigh @w, %0 : tensor<2xf64> -> tensor<3xf64>
    %2 = nlogic.atom @edge(%J, %I) : f64
    %3 = nlogic.combine sum(%1) offset @b : (tensor<3xf64>) -> tensor<3xf64>
    nlogic.head(%I) = %3 : tensor<3xf64>
  }
}
