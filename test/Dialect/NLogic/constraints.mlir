// RUN: nlogic-opt %s | nlogic-opt | FileCheck %s

/// Builtin constraints and term arithmetic restrict substitutions and
/// never produce values.

// CHECK-LABEL: nlogic.template @constraints
nlogic.template @constraints {
  nlogic.relation @tok arity 1 : f64
  nlogic.relation @r arity 2 : f64
  // CHECK: nlogic.rule @r vars(%I, %J)
  // CHECK: nlogic.constrain leq(%J, %I)
  nlogic.rule @r vars(%I, %J) {
    %0 = nlogic.atom @tok(%I) : f64
    %1 = nlogic.atom @tok(%J) : f64
    nlogic.constrain leq(%J, %I)
    %2 = nlogic.combine sum(%0, %1) : (f64, f64) -> f64
    nlogic.head(%I, %J) = %2 : f64
  }
  // CHECK: nlogic.rule @r vars(%I, %J)
  // CHECK: nlogic.constrain lt(%J, %I)
  nlogic.rule @r vars(%I, %J) {
    %0 = nlogic.atom @tok(%I) : f64
    %1 = nlogic.atom @tok(%J) : f64
    nlogic.constrain lt(%J, %I)
    %2 = nlogic.combine sum(%0, %1) : (f64, f64) -> f64
    nlogic.head(%I, %J) = %2 : f64
  }
  // CHECK: nlogic.rule @r vars(%I, %J)
  // CHECK: nlogic.constrain geq(%J, %I)
  nlogic.rule @r vars(%I, %J) {
    %0 = nlogic.atom @tok(%I) : f64
    %1 = nlogic.atom @tok(%J) : f64
    nlogic.constrain geq(%J, %I)
    %2 = nlogic.combine sum(%0, %1) : (f64, f64) -> f64
    nlogic.head(%I, %J) = %2 : f64
  }
  // CHECK: nlogic.rule @r vars(%I, %J)
  // CHECK: nlogic.constrain gt(%J, %I)
  nlogic.rule @r vars(%I, %J) {
    %0 = nlogic.atom @tok(%I) : f64
    %1 = nlogic.atom @tok(%J) : f64
    nlogic.constrain gt(%J, %I)
    %2 = nlogic.combine sum(%0, %1) : (f64, f64) -> f64
    nlogic.head(%I, %J) = %2 : f64
  }
  // CHECK: nlogic.rule @r vars(%I, %J)
  // CHECK: nlogic.constrain eq(%J, %I)
  nlogic.rule @r vars(%I, %J) {
    %0 = nlogic.atom @tok(%I) : f64
    %1 = nlogic.atom @tok(%J) : f64
    nlogic.constrain eq(%J, %I)
    %2 = nlogic.combine sum(%0, %1) : (f64, f64) -> f64
    nlogic.head(%I, %J) = %2 : f64
  }
  // CHECK: nlogic.rule @r vars(%I, %J)
  // CHECK: nlogic.constrain neq(%J, %I)
  nlogic.rule @r vars(%I, %J) {
    %0 = nlogic.atom @tok(%I) : f64
    %1 = nlogic.atom @tok(%J) : f64
    nlogic.constrain neq(%J, %I)
    %2 = nlogic.combine sum(%0, %1) : (f64, f64) -> f64
    nlogic.head(%I, %J) = %2 : f64
  }
  // CHECK: nlogic.rule @r vars(%I, %J)
  // CHECK: nlogic.constrain next(%J, %I)
  nlogic.rule @r vars(%I, %J) {
    %0 = nlogic.atom @tok(%I) : f64
    %1 = nlogic.atom @tok(%J) : f64
    nlogic.constrain next(%J, %I)
    %2 = nlogic.combine sum(%0, %1) : (f64, f64) -> f64
    nlogic.head(%I, %J) = %2 : f64
  }
  // CHECK: %[[T:.*]] = nlogic.arith add %I, %J
  // CHECK-NEXT: nlogic.constrain geq(%[[T]], %{{.*}})
  nlogic.rule @r vars(%I, %J) {
    %0 = nlogic.atom @tok(%I) : f64
    %1 = nlogic.atom @tok(%J) : f64
    %z = nlogic.constant 0
    %t = nlogic.arith add %I, %J
    nlogic.constrain geq(%t, %z)
    nlogic.head(%I, %J) = %0 : f64
  }
  // CHECK: %[[T:.*]] = nlogic.arith sub %I, %J
  // CHECK-NEXT: nlogic.constrain geq(%[[T]], %{{.*}})
  nlogic.rule @r vars(%I, %J) {
    %0 = nlogic.atom @tok(%I) : f64
    %1 = nlogic.atom @tok(%J) : f64
    %z = nlogic.constant 0
    %t = nlogic.arith sub %I, %J
    nlogic.constrain geq(%t, %z)
    nlogic.head(%I, %J) = %0 : f64
  }
  // CHECK: %[[T:.*]] = nlogic.arith mul %I, %J
  // CHECK-NEXT: nlogic.constrain geq(%[[T]], %{{.*}})
  nlogic.rule @r vars(%I, %J) {
    %0 = nlogic.atom @tok(%I) : f64
    %1 = nlogic.atom @tok(%J) : f64
    %z = nlogic.constant 0
    %t = nlogic.arith mul %I, %J
    nlogic.constrain geq(%t, %z)
    nlogic.head(%I, %J) = %0 : f64
  }
  // CHECK: %[[T:.*]] = nlogic.arith div %I, %J
  // CHECK-NEXT: nlogic.constrain geq(%[[T]], %{{.*}})
  nlogic.rule @r vars(%I, %J) {
    %0 = nlogic.atom @tok(%I) : f64
    %1 = nlogic.atom @tok(%J) : f64
    %z = nlogic.constant 0
    %t = nlogic.arith div %I, %J
    nlogic.constrain geq(%t, %z)
    nlogic.head(%I, %J) = %0 : f64
  }
  // CHECK: %[[T:.*]] = nlogic.arith mod %I, %J
  // CHECK-NEXT: nlogic.constrain geq(%[[T]], %{{.*}})
  nlogic.rule @r vars(%I, %J) {
    %0 = nlogic.atom @tok(%I) : f64
    %1 = nlogic.atom @tok(%J) : f64
    %z = nlogic.constant 0
    %t = nlogic.arith mod %I, %J
    nlogic.constrain geq(%t, %z)
    nlogic.head(%I, %J) = %0 : f64
  }
  /// alldiff takes any number of terms (two or more).
  // CHECK: nlogic.constrain alldiff(%I, %J, %K)
  nlogic.rule @r vars(%I, %J, %K) {
    %0 = nlogic.atom @tok(%I) : f64
    %1 = nlogic.atom @tok(%J) : f64
    %2 = nlogic.atom @tok(%K) : f64
    nlogic.constrain alldiff(%I, %J, %K)
    nlogic.head(%I, %J) = %2 : f64
  }
  /// `J = I - 1` generates J from I: the rule is safe although no atom
  /// binds J.
  // CHECK: %[[ONE:.*]] = nlogic.constant 1
  // CHECK-NEXT: %[[PREV:.*]] = nlogic.arith sub %I, %[[ONE]]
  // CHECK-NEXT: nlogic.constrain eq(%J, %[[PREV]])
  // CHECK-NEXT: nlogic.head(%I, %J)
  nlogic.rule @r vars(%I, %J) {
    %0 = nlogic.atom @tok(%I) : f64
    %one = nlogic.constant 1
    %prev = nlogic.arith sub %I, %one
    nlogic.constrain eq(%J, %prev)
    nlogic.head(%I, %J) = %0 : f64
  }
  /// next(I, J) generates J = I + 1 as well.
  // CHECK: nlogic.constrain next(%I, %J)
  nlogic.rule @r vars(%I, %J) {
    %0 = nlogic.atom @tok(%I) : f64
    nlogic.constrain next(%I, %J)
    nlogic.head(%I, %J) = %0 : f64
  }
}
