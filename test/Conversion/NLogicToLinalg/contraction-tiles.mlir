// RUN: nlogic-opt %s --convert-nlogic-to-linalg=reassociate=true --canonicalize --cse | FileCheck %s
// RUN: nlogic-opt %s --convert-nlogic-to-linalg --canonicalize --cse | FileCheck %s --check-prefix=EXACT

// Under fast-math attention's rules get register tiles: the module records
// each rule's form (1: dot products aggregated by softmax, with the body
// positions of both vectors; 2: scaled vectors aggregated by sum) and a
// mask of its scalars' positions.
// CHECK: module attributes {{{.*}}nlogic.rule_tiling = array<i32: 1, 1, 2, 1, 2, 1, -1, 1>}
// EXACT: nlogic.rule_tiling = array<i32: 0, -1, -1, 0, 0, -1, -1, 0>
// EXACT-NOT: vector.fma

// Forward of the scores: before the loop over the tile records, the
// packed panel of the keys, sized for the widest tile's whole blocks of 32
// rows. A wide tile packs the rows the previous one did not leave there,
// then computes four lanes by 32 keys per register tile: per element, four
// vectors of eight keys from the panel times a lane's element broadcast
// (16 accumulators of vector<8xf64>, no reduction across lanes), scaled by
// d_k into the aggregate slots. The rows after the whole blocks (and
// one-lane tiles) take four lanes by four keys of dot products, reduced;
// then the group's softmax in the tile.
// CHECK-LABEL: func.func @nlogic_rule0_forward(
// CHECK-SAME: %[[TILES:[a-z0-9]+]]: memref<?xi32> {llvm.noalias}, %{{[a-z0-9]+}}: index)
// CHECK: memref.dim %[[TILES]]
// CHECK: %[[PANEL:.*]] = memref.alloc(%{{.*}}) {alignment = 64 : i64} : memref<?xf64>
// CHECK: scf.if
// CHECK: memref.store %{{.*}}, %[[PANEL]][
// CHECK: scf.for {{.*}} iter_args({{.*}}) -> (vector<8xf64>, vector<8xf64>, vector<8xf64>, vector<8xf64>, vector<8xf64>, vector<8xf64>, vector<8xf64>, vector<8xf64>, vector<8xf64>, vector<8xf64>, vector<8xf64>, vector<8xf64>, vector<8xf64>, vector<8xf64>, vector<8xf64>, vector<8xf64>)
// CHECK-COUNT-4: vector.load %[[PANEL]]
// CHECK-NEXT: arith.addi
// CHECK-NEXT: memref.load
// CHECK-NEXT: vector.broadcast {{.*}} : f64 to vector<8xf64>
// CHECK-COUNT-4: vector.fma
// CHECK: scf.yield
// CHECK-NOT: vector.reduction
// CHECK: vector.store {{.*}} : memref<?xf64>, vector<8xf64>
// CHECK: scf.for {{.*}} iter_args({{.*}}) -> (vector<8xf64>, vector<8xf64>, vector<8xf64>, vector<8xf64>, vector<8xf64>, vector<8xf64>, vector<8xf64>, vector<8xf64>, vector<8xf64>, vector<8xf64>, vector<8xf64>, vector<8xf64>, vector<8xf64>, vector<8xf64>, vector<8xf64>, vector<8xf64>)
// CHECK-COUNT-16: vector.fma
// CHECK: vector.shuffle
// CHECK: memref.dealloc %[[PANEL]]
// The per-row loop, for rows no tile took.
// CHECK: math.exp
// CHECK-LABEL: func.func @nlogic_rule0_backward(
// Backward: the per-row loop first, then the tiles; data vectors need no
// gradients, so the tiles only turn score gradients into the slots.
// CHECK-NOT: memref.alloc(
// CHECK: memref.dim
// CHECK-NOT: vector.fma
// The weighted sum: where a lane's weights are consecutive (the record's
// flag), the FMA loop broadcasts them from the value arena in place; only
// the keys' offsets are gathered into a stack buffer first.
// CHECK-LABEL: func.func @nlogic_rule1_forward(
// CHECK-SAME: %[[VALUES:[a-z0-9]+]]: memref<?xf64> {llvm.noalias}
// CHECK-NOT: memref.alloc(
// CHECK: memref.dim
// CHECK: scf.if
// CHECK: memref.store %{{.*}}, %{{.*}}[%{{.*}}] : memref<32xindex>
// CHECK: scf.for {{.*}} -> (vector<8xf64>, vector<8xf64>, vector<8xf64>, vector<8xf64>, vector<8xf64>, vector<8xf64>, vector<8xf64>, vector<8xf64>)
// CHECK: %[[W:.*]] = memref.load %[[VALUES]][
// CHECK-NEXT: %[[WB:.*]] = vector.broadcast %[[W]] : f64 to vector<8xf64>
// CHECK-NEXT: vector.fma %[[WB]]
// The weighted sum's backward: the scores' gradients. A wide tile's whole
// blocks from the packed panel of the shared vectors (eight rows' gradients
// of a lane as one vector, added to eight consecutive atoms' gradients),
// the rest as dot products of the aggregate's gradient with the shared
// vectors, four by four.
// CHECK-LABEL: func.func @nlogic_rule1_backward(
// CHECK: %[[PANEL1:.*]] = memref.alloc(%{{.*}}) {alignment = 64 : i64} : memref<?xf64>
// CHECK: scf.if
// CHECK: arith.cmpi ult
// CHECK-NEXT: scf.if
// CHECK-COUNT-4: vector.load %[[PANEL1]]
// CHECK: vector.fma
// CHECK: } else {
// CHECK-COUNT-16: vector.fma
// CHECK: vector.reduction <add>
// CHECK: memref.dealloc %[[PANEL1]]

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
