// RUN: nlogic-opt %s | nlogic-opt | FileCheck %s

// Every rel op round-trips through its custom syntax.

nlogic.template @t {
  nlogic.relation @tok arity 1 : f64
  nlogic.relation @bond arity 3 : f64
  nlogic.relation @g arity 1 : f64
}

// CHECK-LABEL: rel.plan @rule0_general rule 0 atoms 2 {
rel.plan @rule0_general rule 0 atoms 2 {
  // CHECK: rel.scan @bond(?, ?, ?) atom 0 {
  rel.scan @bond(?, ?, ?) atom 0 {
  // CHECK: ^bb0(%[[ROW:.*]]: index, %[[X:.*]]: i64, %[[Y:.*]]: i64, %[[B:.*]]: i64):
  ^bb0(%row: index, %x: i64, %y: i64, %b: i64):
    // CHECK: rel.scan @bond(%[[Y]], ?, %[[B]]) atom 1 {
    rel.scan @bond(%y, ?, %b) atom 1 {
    ^bb0(%row2: index, %z: i64):
      // CHECK: %[[C:.*]] = rel.const "carbon"
      %c = rel.const "carbon"
      // CHECK: rel.const 3
      %three = rel.const 3
      // CHECK: rel.arith sub %[[X]], %{{.*}}
      %d = rel.arith sub %x, %z
      // CHECK: rel.arith mod
      %m = rel.arith mod %d, %three
      // CHECK: rel.defined %{{.*}}
      %ok = rel.defined %m
      // CHECK: rel.check leq(%[[X]], %{{.*}})
      %le = rel.check leq(%x, %z)
      // CHECK: rel.check alldiff(%[[X]], %[[Y]], %{{.*}})
      %all = rel.check alldiff(%x, %y, %z)
      // CHECK: rel.absent @g(%[[X]])
      %neg = rel.absent @g(%x)
      %both = arith.andi %le, %neg : i1
      scf.if %both {
        // CHECK: rel.emit(%[[X]], %[[C]]) rows(%[[ROW]], %{{.*}})
        rel.emit(%x, %c) rows(%row, %row2)
      }
    }
  }
}

// CHECK-LABEL: rel.plan @rule1_dense rule 1 atoms 2 dense [@tok] {
rel.plan @rule1_dense rule 1 atoms 2 dense [@tok] {
  // CHECK: rel.dense_scan @tok atom 0 {
  rel.dense_scan @tok atom 0 {
  ^bb0(%i: index, %I: i64):
    %c1 = arith.constant 1 : index
    %hi = arith.addi %i, %c1 : index
    // CHECK: rel.dense_scan @tok atom 1 from %{{.*}} to %{{.*}} step 3 {
    rel.dense_scan @tok atom 1 from %i to %hi step 3 {
    ^bb0(%j: index, %J: i64):
      // CHECK: rel.position %{{.*}}
      %p = rel.position %J
      rel.emit(%I, %J) rows(%i, %j)
    }
  }
}
