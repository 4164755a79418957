// RUN: nlogic-opt %s --convert-nlogic-to-linalg | FileCheck %s
// RUN: nlogic-opt %s --convert-nlogic-to-linalg="reassociate=true" --canonicalize --cse | FileCheck %s --check-prefix=FAST

// A rule whose head weight W (4x8) multiplies the aggregate of each head
// atom: its gradient dW += dy agg^T is a rank-1 update of all of W per
// segment. The backward kernel accumulates it eight segments at a time:
// the segments' dy and aggregate rows are gathered into 8-row tiles (the
// tail's rows left zero) and one product adds them, with the 8-long
// reduction innermost (unrolled by LLVM) inside the loop along W's rows.
// The per-segment part no longer touches dW (the grads arena, %arg6).

nlogic.template @t {
  nlogic.relation @x arity 1 : tensor<8xf64>
  nlogic.relation @h arity 1 : tensor<4xf64> transform identity combine sum
  nlogic.weight @w : tensor<4x8xf64>
  nlogic.rule @h vars(%I) aggregate sum weight @w {
    %0 = nlogic.atom @x(%I) : tensor<8xf64>
    nlogic.head(%I) = %0 : tensor<8xf64>
  }
}

// CHECK-DAG: #[[DYT:[a-z0-9]+]] = affine_map<(d0, d1, d2) -> (d2, d0)>
// CHECK-DAG: #[[AGG:[a-z0-9]+]] = affine_map<(d0, d1, d2) -> (d2, d1)>
// CHECK-DAG: #[[DW:[a-z0-9]+]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @nlogic_rule0_backward(
// CHECK-DAG: %[[DY_TILE:.*]] = memref.alloca() : memref<8x4xf64>
// CHECK-DAG: %[[AGG_TILE:.*]] = memref.alloca() : memref<8x8xf64>
// CHECK-DAG: %[[C4:.*]] = arith.constant 8 : index
// CHECK: scf.for %[[FIRST:.*]] = %{{.*}} to %arg11 step %[[C4]] {
// CHECK: %[[END:.*]] = arith.minsi
// CHECK: linalg.fill {{.*}} outs(%[[DY_TILE]]
// CHECK: linalg.fill {{.*}} outs(%[[AGG_TILE]]
// CHECK: scf.for %[[S:.*]] = %[[FIRST]] to %[[END]]
// CHECK: %[[SLOT:.*]] = arith.subi %[[S]], %[[FIRST]]
// CHECK: memref.subview %[[DY_TILE]][%[[SLOT]], 0] [1, 4] [1, 1]
// CHECK: memref.subview %[[AGG_TILE]][%[[SLOT]], 0] [1, 8] [1, 1]
// CHECK: }
// CHECK: %[[GRAD:.*]] = memref.reinterpret_cast %arg6 to offset: [0], sizes: [4, 8]
// CHECK: linalg.generic {indexing_maps = [#[[DYT]], #[[AGG]], #[[DW]]], iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[DY_TILE]], %[[AGG_TILE]] : memref<8x4xf64>, memref<8x8xf64>) outs(%[[GRAD]] :
// CHECK: }
// The per-segment loop: dAggregate = W^T dy only.
// CHECK: scf.for
// CHECK-NOT: %arg6
// CHECK: return

// Fast-math gathers 32 segments and adds them with RowProducts' kernel:
// four rows of dW by its 8 columns summed in registers over the block's
// segments, then added into dW (%arg6): dW loaded and stored once per
// block.
// FAST-LABEL: func.func @nlogic_rule0_backward(
// FAST-SAME: ["prefer-vector-width", "512"]
// FAST-DAG: %[[DY_TILE:.*]] = memref.alloca() : memref<32x4xf64>
// FAST-DAG: %[[AGG_TILE:.*]] = memref.alloca() : memref<32x8xf64>
// FAST: scf.for %[[FIRST:.*]] = %{{.*}} to %arg11 step %c32 {
// FAST: scf.for {{.*}} iter_args
// FAST: vector.load %[[AGG_TILE]]
// FAST-COUNT-4: vector.fma {{.*}} : vector<8xf64>
// FAST: scf.yield
// FAST-COUNT-4: vector.store {{.*}} : memref<4x8xf64, strided<[8, 1]>>, vector<8xf64>
