// RUN: nlogic-opt %s --convert-nlogic-to-linalg=reassociate=true --canonicalize --cse | FileCheck %s
// RUN: nlogic-opt %s --convert-nlogic-to-linalg --canonicalize --cse | FileCheck %s --check-prefix=EXACT

// Under fast-math attention's rules get register tiles: the module records
// each rule's form (1: dot products aggregated by softmax, with the body
// positions of both vectors; 2: scaled vectors aggregated by sum) and a
// mask of its scalars' positions.
// CHECK: module attributes {{{.*}}nlogic.rule_tiling = array<i32: 1, 1, 2, 1, 2, 1, -1, 1>}
// EXACT: nlogic.rule_tiling = array<i32: 0, -1, -1, 0, 0, -1, -1, 0>
// EXACT-NOT: vector.fma

// Forward of the scores: before the per-row loop, a loop over the tile
// records; four lanes by four keys of dot products (16 accumulators of
// vector<8xf64>), reduced and scaled by d_k into the aggregate slots; then
// the group's softmax in the tile.
// CHECK-LABEL: func.func @nlogic_rule0_forward(
// CHECK-SAME: %[[TILES:[a-z0-9]+]]: memref<?xi32> {llvm.noalias}, %{{[a-z0-9]+}}: index)
// CHECK: memref.dim %[[TILES]]
// CHECK: scf.if
// CHECK: scf.for {{.*}} iter_args({{.*}}) -> (vector<8xf64>, vector<8xf64>, vector<8xf64>, vector<8xf64>, vector<8xf64>, vector<8xf64>, vector<8xf64>, vector<8xf64>, vector<8xf64>, vector<8xf64>, vector<8xf64>, vector<8xf64>, vector<8xf64>, vector<8xf64>, vector<8xf64>, vector<8xf64>)
// CHECK-COUNT-16: vector.fma
// CHECK: vector.reduction <add>, {{.*}} fastmath<reassoc,contract>
// CHECK: math.exp
// CHECK-LABEL: func.func @nlogic_rule0_backward(
// Backward: the per-row loop first, then the tiles; data vectors need no
// gradients, so the tiles only turn score gradients into the slots.
// CHECK: memref.dim
// CHECK-NOT: vector.fma
// CHECK-LABEL: func.func @nlogic_rule1_forward(
// CHECK: memref.dim
// CHECK: vector.broadcast
// CHECK: vector.fma
// The weighted sum's backward: the scores' gradients are dot products of
// the aggregate's gradient with the shared vectors, four by four.
// CHECK-LABEL: func.func @nlogic_rule1_backward(
// CHECK: memref.dim
// CHECK-COUNT-16: vector.fma
// CHECK: vector.reduction <add>

nlogic.template @attention {
  nlogic.relation @x arity 1 : tensor<16xf64>
  nlogic.relation @d_k arity 0 : f64
  nlogic.relation @weights arity 2 : f64 transform identity combine sum
  nlogic.relation @attention arity 1 : tensor<16xf64> transform identity combine sum
  nlogic.weight @w0 : f64 = dense<2.500000e-01> : tensor<f64> fixed
  nlogic.fact @d_k() weight @w0
  nlogic.rule @weights vars(%I, %J) aggregate softmax over ["J"] {
    %0 = nlogic.atom @d_k() : f64
    %1 = nlogic.atom @x(%J) transposed : tensor<1x16xf64>
    %2 = nlogic.atom @x(%I) : tensor<16xf64>
    %3 = nlogic.combine product(%0, %1, %2) : (f64, tensor<1x16xf64>, tensor<16xf64>) -> tensor<1xf64>
    nlogic.head(%I, %J) = %3 : tensor<1xf64>
  }
  nlogic.rule @attention vars(%I, %J) aggregate sum {
    %0 = nlogic.atom @weights(%I, %J) : f64
    %1 = nlogic.atom @x(%J) : tensor<16xf64>
    %2 = nlogic.combine product(%0, %1) : (f64, tensor<16xf64>) -> tensor<16xf64>
    nlogic.head(%I) = %2 : tensor<16xf64>
  }
}
