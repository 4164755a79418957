// RUN: nlogic-opt %s --convert-nlogic-to-rel | FileCheck %s

// In a dense variant, a comparison between two positions bounds the inner
// loop instead of filtering it: the loop visits exactly the allowed
// positions (a causal mask is a triangle, never a masked square).

nlogic.template @bounds {
  nlogic.relation @tok arity 1 : f64
  nlogic.relation @le arity 2 : f64
  nlogic.relation @lt arity 2 : f64
  nlogic.relation @ge arity 2 : f64
  nlogic.relation @gt arity 2 : f64
  nlogic.relation @rev arity 2 : f64
  nlogic.relation @two arity 2 : f64
  // J <= I: J in [0, I + 1).
  nlogic.rule @le vars(%I, %J) {
    %0 = nlogic.atom @tok(%I) : f64
    %1 = nlogic.atom @tok(%J) : f64
    nlogic.constrain leq(%J, %I)
    %2 = nlogic.combine sum(%0, %1) : (f64, f64) -> f64
    nlogic.head(%I, %J) = %2 : f64
  }
  // J < I: J in [0, I).
  nlogic.rule @lt vars(%I, %J) {
    %0 = nlogic.atom @tok(%I) : f64
    %1 = nlogic.atom @tok(%J) : f64
    nlogic.constrain lt(%J, %I)
    %2 = nlogic.combine sum(%0, %1) : (f64, f64) -> f64
    nlogic.head(%I, %J) = %2 : f64
  }
  // J >= I: J in [I, N).
  nlogic.rule @ge vars(%I, %J) {
    %0 = nlogic.atom @tok(%I) : f64
    %1 = nlogic.atom @tok(%J) : f64
    nlogic.constrain geq(%J, %I)
    %2 = nlogic.combine sum(%0, %1) : (f64, f64) -> f64
    nlogic.head(%I, %J) = %2 : f64
  }
  // J > I: J in [I + 1, N).
  nlogic.rule @gt vars(%I, %J) {
    %0 = nlogic.atom @tok(%I) : f64
    %1 = nlogic.atom @tok(%J) : f64
    nlogic.constrain gt(%J, %I)
    %2 = nlogic.combine sum(%0, %1) : (f64, f64) -> f64
    nlogic.head(%I, %J) = %2 : f64
  }
  // I <= J, the scanned variable on the right: J in [I, N).
  nlogic.rule @rev vars(%I, %J) {
    %0 = nlogic.atom @tok(%I) : f64
    %1 = nlogic.atom @tok(%J) : f64
    nlogic.constrain leq(%I, %J)
    %2 = nlogic.combine sum(%0, %1) : (f64, f64) -> f64
    nlogic.head(%I, %J) = %2 : f64
  }
  // Two bounds on one loop: K in [J, I).
  nlogic.rule @two vars(%I, %J, %K) {
    %0 = nlogic.atom @tok(%I) : f64
    %1 = nlogic.atom @tok(%J) : f64
    %2 = nlogic.atom @tok(%K) : f64
    nlogic.constrain lt(%K, %I)
    nlogic.constrain geq(%K, %J)
    %3 = nlogic.combine sum(%0, %1, %2) : (f64, f64, f64) -> f64
    nlogic.head(%I, %J) = %3 : f64
  }
}

// The general plan filters; the dense one bounds.
// CHECK-LABEL: rel.plan @rule0_general
// CHECK:       rel.check leq
// CHECK-LABEL: rel.plan @rule0_dense rule 0 atoms 2 dense [@tok] {
// CHECK-NEXT:    rel.dense_scan @tok atom 0 {
// CHECK-NEXT:    ^bb0(%[[I:.*]]: index, %{{.*}}: i64):
// CHECK-NEXT:      %[[ONE:.*]] = arith.constant 1 : index
// CHECK-NEXT:      %[[HI:.*]] = arith.addi %[[I]], %[[ONE]] : index
// CHECK-NEXT:      rel.dense_scan @tok atom 1 to %[[HI]] {
// CHECK-NOT:       rel.check
// CHECK:           rel.emit

// CHECK-LABEL: rel.plan @rule1_dense
// CHECK:         ^bb0(%[[I:.*]]: index, %{{.*}}: i64):
// CHECK-NEXT:      rel.dense_scan @tok atom 1 to %[[I]] {
// CHECK-NOT:       rel.check
// CHECK:           rel.emit

// CHECK-LABEL: rel.plan @rule2_dense
// CHECK:         ^bb0(%[[I:.*]]: index, %{{.*}}: i64):
// CHECK-NEXT:      rel.dense_scan @tok atom 1 from %[[I]] {
// CHECK-NOT:       rel.check
// CHECK:           rel.emit

// CHECK-LABEL: rel.plan @rule3_dense
// CHECK:         ^bb0(%[[I:.*]]: index, %{{.*}}: i64):
// CHECK:           %[[LO:.*]] = arith.addi %[[I]], %{{.*}} : index
// CHECK-NEXT:      rel.dense_scan @tok atom 1 from %[[LO]] {
// CHECK-NOT:       rel.check
// CHECK:           rel.emit

// CHECK-LABEL: rel.plan @rule4_dense
// CHECK:         ^bb0(%[[I:.*]]: index, %{{.*}}: i64):
// CHECK-NEXT:      rel.dense_scan @tok atom 1 from %[[I]] {
// CHECK-NOT:       rel.check
// CHECK:           rel.emit

// CHECK-LABEL: rel.plan @rule5_dense
// CHECK:         ^bb0(%[[I:.*]]: index, %{{.*}}: i64):
// CHECK:           ^bb0(%[[J:.*]]: index, %{{.*}}: i64):
// CHECK-NEXT:        rel.dense_scan @tok atom 2 from %[[J]] to %[[I]] {
// CHECK-NOT:         rel.check
// CHECK:             rel.emit
