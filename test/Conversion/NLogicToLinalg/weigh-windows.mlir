// RUN: nlogic-opt %s --convert-nlogic-to-linalg="reassociate=true" --canonicalize --cse | FileCheck %s
// RUN: nlogic-opt %s --convert-nlogic-to-linalg --canonicalize --cse | FileCheck %s --check-prefix=EXACT

// A weight in a rule's body next to a skip connection, `h(I) :- W x(I),
// y(I). [relu]`, cannot move to the head. Under fast-math its products are
// made for windows of rows (WeighWindows.h): the window's bounds live in a
// memref<2xindex>, a row outside it gathers the next rows' x vectors (up
// to 32; the budget allows 32 here) and multiplies them by W's transposed
// copy in register blocks of four rows; the row's own code reads its
// product from the window.
// CHECK-LABEL: func.func @nlogic_rule1_forward(
// CHECK-SAME: ["prefer-vector-width", "512"]
// CHECK-DAG: %[[WT:.*]] = memref.alloca() : memref<8x4xf64>
// CHECK-DAG: %[[X:.*]] = memref.alloca() : memref<256xf64>
// CHECK-DAG: %[[Y:.*]] = memref.alloca() : memref<128xf64>
// CHECK-DAG: %[[BOUNDS:.*]] = memref.alloca() : memref<2xindex>
// The end of the table's rows: the largest segment end.
// CHECK: scf.for {{.*}} iter_args
// CHECK: arith.maxui
// CHECK: scf.for %[[S:.*]] =
// CHECK: scf.for %[[ROW:.*]] =
// CHECK: %[[FIRST:.*]] = memref.load %[[BOUNDS]]
// CHECK: %[[END:.*]] = memref.load %[[BOUNDS]]
// CHECK: %[[BEFORE:.*]] = arith.cmpi ult, %[[ROW]], %[[FIRST]]
// CHECK: %[[AFTER:.*]] = arith.cmpi uge, %[[ROW]], %[[END]]
// CHECK: %[[OUTSIDE:.*]] = arith.ori %[[BEFORE]], %[[AFTER]]
// CHECK: scf.if %[[OUTSIDE]] {
// CHECK: arith.minui
// Gather the window's x vectors...
// CHECK: scf.for
// CHECK: linalg.generic
// ...then Y = X W^T, four rows by four outputs of registers.
// CHECK: scf.for {{.*}} iter_args
// CHECK: vector.load %[[WT]]
// CHECK-COUNT-4: vector.fma {{.*}} : vector<4xf64>
// CHECK: vector.store {{.*}}, %[[Y]]
// CHECK: memref.store %[[ROW]], %[[BOUNDS]]
// CHECK: }
// The row reads its product from the window: no product with W per row.
// CHECK: memref.reinterpret_cast %[[Y]]
// CHECK-NOT: %[[WT]]
// CHECK: return

// Backward: a row leaves its product's gradient in the window; leaving a
// window (and after the last row) makes dW += dY^T X into the gradient
// arena (%arg6) and dX = dY W into X's rows, then adds those to the atoms'
// gradients (%arg4) one row at a time.
// CHECK-LABEL: func.func @nlogic_rule1_backward(
// CHECK-DAG: %[[DX:.*]] = memref.alloca() : memref<256xf64>
// CHECK-DAG: %[[DY:.*]] = memref.alloca() : memref<128xf64>
// CHECK: scf.if
// CHECK: vector.load %arg6
// CHECK: vector.store {{.*}}, %arg6
// CHECK: vector.load %arg3
// CHECK: vector.store {{.*}}, %[[DX]]
// CHECK: memref.reinterpret_cast %arg4
// CHECK: linalg.fill {{.*}} outs(
// CHECK: }
// CHECK: memref.reinterpret_cast %[[DY]]
// CHECK: scf.for
// CHECK: vector.store {{.*}}, %arg6
// CHECK: vector.store {{.*}}, %[[DX]]
// CHECK: return

// Exact mode keeps one product per row, in the reference's order.
// EXACT-LABEL: func.func @nlogic_rule1_forward(
// EXACT-NOT: memref<2xindex>
// EXACT: return

nlogic.template @t {
  nlogic.relation @z arity 1 : tensor<8xf64>
  nlogic.relation @x arity 1 : tensor<8xf64> transform identity combine sum
  nlogic.relation @y arity 1 : tensor<4xf64>
  nlogic.relation @h arity 1 : tensor<4xf64> transform identity combine sum
  nlogic.weight @v : tensor<8x8xf64>
  nlogic.weight @w : tensor<4x8xf64>
  nlogic.rule @x vars(%I) aggregate sum weight @v {
    %0 = nlogic.atom @z(%I) : tensor<8xf64>
    nlogic.head(%I) = %0 : tensor<8xf64>
  }
  nlogic.rule @h vars(%I) aggregate avg {
    %0 = nlogic.atom @x(%I) : tensor<8xf64>
    %1 = nlogic.weigh @w, %0 : tensor<8xf64> -> tensor<4xf64>
    %2 = nlogic.atom @y(%I) : tensor<4xf64>
    %3 = nlogic.combine sum(%1, %2) : (tensor<4xf64>, tensor<4xf64>) -> tensor<4xf64>
    %4 = nlogic.transform relu %3 : tensor<4xf64> -> tensor<4xf64>
    nlogic.head(%I) = %4 : tensor<4xf64>
  }
}
