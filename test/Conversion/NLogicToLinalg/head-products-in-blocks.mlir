// RUN: nlogic-opt %s --convert-nlogic-to-linalg="reassociate=true" --canonicalize --cse | FileCheck %s
// RUN: nlogic-opt %s --convert-nlogic-to-linalg --canonicalize --cse | FileCheck %s --check-prefix=EXACT

// Under fast-math a rule whose head weight W (4x8) multiplies vector
// aggregates (a projection) computes the products 32 segments at a time:
// the aggregates go into the rows of a 32x8 block, then the block is
// multiplied by W's transposed copy (made at the kernel's entry) with
// RowProducts' kernel: four segments' products are summed in registers,
// each k's row of W^T multiplied into all four, and then each head's
// accumulator (%arg1) is loaded, added to and stored in turn; a stripe of
// W^T stays in L1 for the whole block. The block's last rows (fewer than
// four) go one at a time. (The sigmoid keeps `h` from passing its
// contributions through: see pass-through.mlir for the stores that
// replace these additions when it does.)
// CHECK-LABEL: func.func @nlogic_rule0_forward(
// CHECK-SAME: attributes {{{.*}}llvm.passthrough = {{\[}}["prefer-vector-width", "512"]
// CHECK-DAG: %[[WT:.*]] = memref.alloca() : memref<8x4xf64>
// CHECK-DAG: %[[BLOCK:.*]] = memref.alloca() : memref<32x8xf64>
// CHECK: scf.for %[[FIRST:.*]] = %{{.*}} to %{{.*}} step %c32
// CHECK: memref.subview %[[BLOCK]]
// CHECK: scf.for {{.*}} step %c4
// CHECK-NOT: vector.load %arg1
// CHECK: %[[SUMS:.*]]:4 = scf.for {{.*}} iter_args
// CHECK: vector.load %[[WT]]
// CHECK-COUNT-4: vector.fma {{.*}} : vector<4xf64>
// CHECK: scf.yield
// CHECK: %[[OLD:.*]] = vector.load %arg1
// CHECK-NEXT: %[[NEW:.*]] = arith.addf %[[OLD]], %[[SUMS]]#0
// CHECK-NEXT: vector.store %[[NEW]], %arg1
// CHECK-COUNT-3: vector.store {{.*}}, %arg1
// CHECK: scf.for
// CHECK: scf.for {{.*}} iter_args
// CHECK: vector.fma {{.*}} : vector<4xf64>
// CHECK: vector.load %arg1
// CHECK: arith.addf
// CHECK: vector.store {{.*}}, %arg1

// Exact mode keeps one product per segment, in the reference's order.
// EXACT-LABEL: func.func @nlogic_rule0_forward(
// EXACT-NOT: vector.fma
// EXACT: return

nlogic.template @t {
  nlogic.relation @x arity 1 : tensor<8xf64>
  nlogic.relation @h arity 1 : tensor<4xf64> transform sigmoid combine sum
  nlogic.weight @w : tensor<4x8xf64>
  nlogic.rule @h vars(%I) aggregate sum weight @w {
    %0 = nlogic.atom @x(%I) : tensor<8xf64>
    nlogic.head(%I) = %0 : tensor<8xf64>
  }
}
