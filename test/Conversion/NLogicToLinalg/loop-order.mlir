// RUN: nlogic-opt %s --convert-nlogic-to-linalg | FileCheck %s --check-prefix=EXACT
// RUN: nlogic-opt %s --convert-nlogic-to-linalg="reassociate=true" | FileCheck %s --check-prefix=FAST

// Loop orders of matrix products. The innermost loop of `y = W x` decides
// what LLVM vectorises; every order gives each output element the same
// sum in the same k order, so the choice never changes the bits.
//
// Exact mode: the rows i are the vectorised loop, read from a transposed
// copy of the weight made once at the kernel's entry (so that a column of
// W is contiguous); the reduction over k, only 8 long, goes inside it,
// where LLVM unrolls it (each y element loaded and stored once). A dot
// product per row of W (k innermost) would cost more in horizontal sums
// than in products at attention's width of 64.

nlogic.template @t {
  nlogic.relation @x arity 1 : tensor<8xf64>
  nlogic.relation @h arity 1 : tensor<4xf64> transform identity combine sum
  nlogic.relation @k arity 1 : tensor<8xf64>
  nlogic.relation @s arity 2 : tensor<1xf64> transform identity combine sum
  nlogic.relation @d arity 0 : f64
  nlogic.weight @w : tensor<4x8xf64>
  nlogic.rule @h vars(%I) aggregate sum {
    %0 = nlogic.atom @x(%I) : tensor<8xf64>
    %1 = nlogic.weigh @w, %0 : tensor<8xf64> -> tensor<4xf64>
    nlogic.head(%I) = %1 : tensor<4xf64>
  }
  nlogic.rule @s vars(%I, %J) aggregate sum {
    %0 = nlogic.atom @d() : f64
    %1 = nlogic.atom @k(%J) transposed : tensor<1x8xf64>
    %2 = nlogic.atom @x(%I) : tensor<8xf64>
    %3 = nlogic.combine product(%0, %1, %2) : (f64, tensor<1x8xf64>, tensor<8xf64>) -> tensor<1xf64>
    nlogic.head(%I, %J) = %3 : tensor<1xf64>
  }
}

// EXACT-DAG: #[[WT_KI:[a-z0-9]+]] = affine_map<(d0, d1, d2) -> (d2, d1)>
// EXACT-DAG: #[[X_KJ:[a-z0-9]+]] = affine_map<(d0, d1, d2) -> (d2, d0)>
// EXACT-DAG: #[[Y_IJ:[a-z0-9]+]] = affine_map<(d0, d1, d2) -> (d1, d0)>
// EXACT-LABEL: func.func @nlogic_rule0_forward(
// EXACT: %[[WT:.*]] = memref.alloca() : memref<8x4xf64>
// EXACT-NEXT: %[[W:.*]] = memref.reinterpret_cast %arg3 to offset: [0], sizes: [4, 8], strides: [8, 1]
// EXACT-NEXT: linalg.generic {{.*}} ins(%[[W]] : {{.*}}) outs(%[[WT]] : memref<8x4xf64>)
// EXACT: scf.for
// EXACT: linalg.generic {indexing_maps = [#[[WT_KI]], #[[X_KJ]], #[[Y_IJ]]], iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[WT]],

// Fast-math makes this product for a window of rows at a time instead
// (weigh-windows.mlir).
// FAST-LABEL: func.func @nlogic_rule0_forward(
// FAST: memref.alloca() : memref<2xindex>

// A product with a scalar: exact keeps the reference's order, d * k^T
// (a scaled copy of k) and then the dot product with x; fast-math takes
// the dot product first and multiplies the scalar in last.
// EXACT-LABEL: func.func @nlogic_rule1_forward(
// EXACT: scf.for
// EXACT: linalg.generic {{.*}}iterator_types = ["parallel", "parallel"]{{.*}}outs(%[[SCALED:.*]] : memref<1x8xf64>)
// EXACT: arith.mulf
// EXACT: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction"]{{.*}}ins(%[[SCALED]],

// FAST-LABEL: func.func @nlogic_rule1_forward(
// FAST: scf.for
// FAST-NOT: memref<1x8xf64>
// FAST: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction"]{{.*}}outs(%[[DOT:.*]] : memref<1x1xf64>)
// FAST: linalg.generic {{.*}}ins(%{{[^,]*}}, %[[DOT]] : memref<1x1xf64, strided<{{.*}}>>, memref<1x1xf64>)
// FAST: arith.mulf
// FAST-LABEL: func.func @nlogic_rule1_backward(
