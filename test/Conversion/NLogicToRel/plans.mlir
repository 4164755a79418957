// RUN: nlogic-opt %s --convert-nlogic-to-rel | FileCheck %s
// RUN: nlogic-opt %s --convert-nlogic-to-rel="dense=false" | FileCheck %s --check-prefix=GENERAL

// Join plans in the reference grounder's order: atoms scanned in body
// order (a full scan, or a lookup on the positions already bound), each
// builtin and negation tested as soon as its terms are bound, `eq`/`next`
// with an unbound side generating it (guarded by rel.defined), repeated
// variables compared. Dense variants only for non-recursive rules over
// unary relations, and only where they gain a bound or a lookup.

// GENERAL-NOT: dense
nlogic.template @template {
  nlogic.relation @r arity 1 : f64 transform identity combine sum
  nlogic.relation @bond arity 3 : f64
  nlogic.relation @atom arity 2 : f64
  nlogic.relation @g arity 1 : f64
  nlogic.relation @s arity 2 : f64 transform identity combine sum
  nlogic.relation @e arity 2 : f64
  nlogic.relation @t arity 1 : f64 transform identity combine sum
  nlogic.relation @val arity 2 : f64
  nlogic.relation @tok arity 1 : f64
  nlogic.relation @u arity 1 : f64 transform identity combine sum
  nlogic.relation @p arity 2 : f64 transform identity combine sum
  nlogic.rule @r vars(%X, %Y, %B) aggregate avg {
    %0 = nlogic.atom @bond(%X, %Y, %B) : f64
    %1 = nlogic.constant "carbon"
    %2 = nlogic.atom @atom(%Y, %1) : f64
    nlogic.not @g(%Y)
    nlogic.constrain neq(%X, %Y)
    %3 = nlogic.combine sum(%0, %2) : (f64, f64) -> f64
    %4 = nlogic.transform identity %3 : f64 -> f64
    nlogic.head(%X) = %4 : f64
  }
  nlogic.rule @s vars(%X, %Z, %Y, %D) aggregate avg {
    %0 = nlogic.atom @e(%X, %Y) : f64
    %1 = nlogic.atom @e(%Y, %Z) : f64
    %2 = nlogic.arith sub %Z, %X
    nlogic.constrain eq(%D, %2)
    %3 = nlogic.constant 2
    nlogic.constrain lt(%D, %3)
    %4 = nlogic.combine sum(%0, %1) : (f64, f64) -> f64
    %5 = nlogic.transform identity %4 : f64 -> f64
    nlogic.head(%X, %Z) = %5 : f64
  }
  nlogic.rule @t vars(%X) aggregate avg {
    %0 = nlogic.atom @e(%X, %X) : f64
    %1 = nlogic.constant 5.000000e-01
    %2 = nlogic.atom @val(%X, %1) : f64
    %3 = nlogic.constant 3
    %4 = nlogic.atom @tok(%3) : f64
    %5 = nlogic.combine sum(%0, %2, %4) : (f64, f64, f64) -> f64
    %6 = nlogic.transform identity %5 : f64 -> f64
    nlogic.head(%X) = %6 : f64
  }
  nlogic.rule @u vars(%X, %Y) aggregate avg {
    %0 = nlogic.atom @tok(%X) : f64
    nlogic.constrain next(%X, %Y)
    %1 = nlogic.atom @tok(%Y) : f64
    %2 = nlogic.combine sum(%0, %1) : (f64, f64) -> f64
    %3 = nlogic.transform identity %2 : f64 -> f64
    nlogic.head(%X) = %3 : f64
  }
  nlogic.rule @p vars(%X, %Y) aggregate avg {
    %0 = nlogic.atom @e(%X, %Y) : f64
    %1 = nlogic.combine sum(%0) : (f64) -> f64
    %2 = nlogic.transform identity %1 : f64 -> f64
    nlogic.head(%X, %Y) = %2 : f64
  }
  nlogic.rule @p vars(%X, %Y, %Z) aggregate avg {
    %0 = nlogic.atom @p(%X, %Z) : f64
    %1 = nlogic.atom @e(%Z, %Y) : f64
    %2 = nlogic.combine sum(%0, %1) : (f64, f64) -> f64
    %3 = nlogic.transform identity %2 : f64 -> f64
    nlogic.head(%X, %Y) = %3 : f64
  }
}

// s(X, Z) :- e(X, Y), e(Y, Z), D = Z - X, D < 2.
// CHECK-LABEL: rel.plan @rule0_general rule 0 atoms 2 {
// CHECK:   rel.scan @e(?, ?) atom 0 {
// CHECK:   ^bb0(%[[R0:.*]]: index, %[[X:.*]]: i64, %[[Y:.*]]: i64):
// CHECK:     rel.scan @e(%[[Y]], ?) atom 1 {
// CHECK:     ^bb0(%[[R1:.*]]: index, %[[Z:.*]]: i64):
// CHECK:       %[[D:.*]] = rel.arith sub %[[Z]], %[[X]]
// CHECK:       %[[OK:.*]] = rel.defined %[[D]]
// CHECK:       scf.if %[[OK]] {
// CHECK:         %[[TWO:.*]] = rel.const 2
// CHECK:         %[[LT:.*]] = rel.check lt(%[[D]], %[[TWO]])
// CHECK:         scf.if %[[LT]] {
// CHECK:           rel.emit(%[[X]], %[[Z]]) rows(%[[R0]], %[[R1]])
// CHECK-NOT: rel.plan @rule0_dense

// t(X) :- e(X, X), val(X, 0.5), tok(3): a repeated variable, a float
// constant (a name spelled canonically), a constant position.
// CHECK-LABEL: rel.plan @rule1_general rule 1 atoms 3 {
// CHECK:   ^bb0(%{{.*}}: index, %[[A:.*]]: i64, %[[B:.*]]: i64):
// CHECK:     %[[SAME:.*]] = arith.cmpi eq, %[[A]], %[[B]] : i64
// CHECK:     scf.if %[[SAME]] {
// CHECK:       %[[HALF:.*]] = rel.const "0.5"
// CHECK:       rel.scan @val(%[[A]], %[[HALF]]) atom 1 {
// CHECK:         %[[THREE:.*]] = rel.const 3
// CHECK:         rel.scan @tok(%[[THREE]]) atom 2 {
// CHECK-LABEL: rel.plan @rule1_dense rule 1 atoms 3 dense [@tok] {
// CHECK:         %[[P:.*]] = rel.position %{{.*}}
// CHECK:         %[[P1:.*]] = arith.addi %[[P]], %{{.*}} : index
// CHECK:         rel.dense_scan @tok atom 2 from %[[P]] to %[[P1]] {

// u(X) :- tok(X), next(X, Y), tok(Y): Y = X + 1 is generated, then looked
// up (a position in the dense variant).
// CHECK-LABEL: rel.plan @rule2_general rule 2 atoms 2 {
// CHECK:   rel.scan @tok(?) atom 0 {
// CHECK:   ^bb0(%{{.*}}: index, %[[UX:.*]]: i64):
// CHECK:     %[[ONE:.*]] = rel.const 1
// CHECK:     %[[UY:.*]] = rel.arith add %[[UX]], %[[ONE]]
// CHECK:     rel.defined %[[UY]]
// CHECK:       rel.scan @tok(%[[UY]]) atom 1 {
// CHECK-LABEL: rel.plan @rule2_dense rule 2 atoms 2 dense [@tok] {
// CHECK:   rel.dense_scan @tok atom 0 {
// CHECK:         rel.dense_scan @tok atom 1 from %{{.*}} to %{{.*}} {

// The recursive rule p(X, Y) :- p(X, Z), e(Z, Y) has only a general plan.
// CHECK-LABEL: rel.plan @rule4_general rule 4 atoms 2 {
// CHECK:   rel.scan @p(?, ?) atom 0 {
// CHECK:     rel.scan @e(%{{.*}}, ?) atom 1 {
// CHECK-NOT: rel.plan @rule4_dense

// r(X) :- bond(X, Y, B), atom(Y, carbon), !g(Y), X != Y: the constraint
// and the negation are tested before the next scan.
// CHECK-LABEL: rel.plan @rule5_general rule 5 atoms 2 {
// CHECK:   ^bb0(%{{.*}}: index, %[[BX:.*]]: i64, %[[BY:.*]]: i64, %{{.*}}: i64):
// CHECK:     %[[NEQ:.*]] = rel.check neq(%[[BX]], %[[BY]])
// CHECK:     scf.if %[[NEQ]] {
// CHECK:       %[[ABSENT:.*]] = rel.absent @g(%[[BY]])
// CHECK:       scf.if %[[ABSENT]] {
// CHECK:         %[[CARBON:.*]] = rel.const "carbon"
// CHECK:         rel.scan @atom(%[[BY]], %[[CARBON]]) atom 1 {
