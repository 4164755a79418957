// RUN: nlogic-opt %s --convert-rel-to-scf | FileCheck %s

// Plans become functions of the grounding ABI (GroundingABI.h): scans are
// loops over table views, lookups and negations call the runtime, integer
// checks are inline, and a dispatcher picks the dense variant when its
// relations are dense for the sample.

nlogic.template @t {
  nlogic.relation @tok arity 1 : f64
  nlogic.relation @e arity 2 : f64
  nlogic.relation @g arity 1 : f64
}

rel.plan @rule0_general rule 0 atoms 2 {
  rel.scan @e(?, ?) atom 0 {
  ^bb0(%row: index, %x: i64, %y: i64):
    rel.scan @tok(%y) atom 1 {
    ^bb0(%row2: index):
      %c = rel.check leq(%x, %y)
      %n = rel.absent @g(%x)
      %both = arith.andi %c, %n : i1
      scf.if %both {
        %name = rel.const "a"
        rel.emit(%x, %name) rows(%row, %row2)
      }
    }
  }
}

rel.plan @rule0_dense rule 0 atoms 2 dense [@tok] {
  rel.dense_scan @tok atom 0 {
  ^bb0(%i: index, %I: i64):
    %c1 = arith.constant 1 : index
    %hi = arith.addi %i, %c1 : index
    rel.dense_scan @tok atom 1 to %hi {
    ^bb0(%j: index, %J: i64):
      %d = rel.arith sub %I, %J
      rel.emit(%I, %d) rows(%i, %j)
    }
  }
}

// CHECK: module attributes {rel.names = ["a"]}
// CHECK-DAG: func.func private @nlogic_ground_lookup(!llvm.ptr, i64, i64, !llvm.ptr, i64, i64, !llvm.ptr) -> i64
// CHECK-DAG: func.func private @nlogic_ground_contains(!llvm.ptr, i64, !llvm.ptr) -> i64
// CHECK-DAG: func.func private @nlogic_ground_compare(!llvm.ptr, i64, i64, i64) -> i64
// CHECK-DAG: func.func private @nlogic_ground_emit(!llvm.ptr, i64, !llvm.ptr, !llvm.ptr)

// CHECK-LABEL: func.func private @nlogic_plan_rule0_general(%{{.*}}: !llvm.ptr)
// The scan of e: rows [lo, min(hi, size)) of atom 0.
// CHECK:       %[[HI:.*]] = arith.minsi
// CHECK:       scf.for %[[R:.*]] = %{{.*}} to %{{.*}} step
// The tuple pointer is reloaded per row (emits may grow the table).
// CHECK:         llvm.load %{{.*}} : !llvm.ptr -> !llvm.ptr
// The lookup of tok(y): key at position 0 (mask 1), relation 0, depth 1.
// CHECK:         %[[N:.*]] = func.call @nlogic_ground_lookup(%{{.*}}, %c1_i64{{.*}}, %c0_i64{{.*}}, %{{.*}}, %c1_i64{{.*}}, %c1_i64{{.*}}, %{{.*}})
// CHECK:         scf.for %{{.*}} = %{{.*}} to %{{.*}} step
// Integers compare inline, anything else asks the runtime.
// CHECK:           %[[BOTH:.*]] = scf.if %{{.*}} -> (i1) {
// CHECK:             arith.cmpi sle
// CHECK:           } else {
// CHECK:             func.call @nlogic_ground_compare
// CHECK:           func.call @nlogic_ground_contains
// Names come from the context's names array.
// CHECK:           func.call @nlogic_ground_emit(%{{.*}}, %c0_i64{{.*}}, %{{.*}}, %{{.*}})

// CHECK-LABEL: func.func private @nlogic_plan_rule0_dense(%{{.*}}: !llvm.ptr)
// CHECK:       scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step
// The triangle: J from max(0, range lo) to min(I + 1, range hi, size).
// CHECK:         %[[UP:.*]] = arith.addi %[[I]], %{{.*}} : index
// CHECK:         %[[M:.*]] = arith.minsi %[[UP]], %{{.*}} : index
// CHECK:         %[[JHI:.*]] = arith.minsi %[[M]], %{{.*}} : index
// CHECK:         scf.for %[[J:.*]] = %{{.*}} to %[[JHI]] step
// CHECK-NOT:       nlogic_ground_compare
// CHECK:           func.call @nlogic_ground_emit

// CHECK-LABEL: func.func @nlogic_ground_rule0(
// CHECK-SAME:  %[[CTX:.*]]: !llvm.ptr)
// CHECK:       %[[DENSE:.*]] = arith.cmpi ne
// CHECK:       scf.if %{{.*}} {
// CHECK-NEXT:    func.call @nlogic_plan_rule0_dense(%[[CTX]])
// CHECK-NEXT:  } else {
// CHECK-NEXT:    func.call @nlogic_plan_rule0_general(%[[CTX]])
// CHECK-NOT: rel.
// CHECK-NOT: nlogic.template
