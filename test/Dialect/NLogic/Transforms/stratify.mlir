// RUN: nlogic-opt %s --nlogic-stratify --split-input-file | FileCheck %s

/// Rules move into evaluation order: a negated relation's stratum is
/// computed first.

// CHECK-LABEL: nlogic.template @negation
// CHECK-DAG: nlogic.relation @node arity 1 : f64 {nlogic.stratum = 0 : i64}
// CHECK-DAG: nlogic.relation @reach arity 1 : f64 {nlogic.stratum = 0 : i64}
// CHECK-DAG: nlogic.relation @isolated arity 1 : f64 {nlogic.stratum = 1 : i64}
// CHECK: nlogic.rule @reach
// CHECK: nlogic.rule @isolated
nlogic.template @negation {
  nlogic.relation @node arity 1 : f64
  nlogic.relation @reach arity 1 : f64
  nlogic.relation @isolated arity 1 : f64
  nlogic.rule @isolated vars(%X) {
    %0 = nlogic.atom @node(%X) : f64
    nlogic.not @reach(%X)
    nlogic.head(%X) = %0 : f64
  }
  nlogic.rule @reach vars(%X) {
    %0 = nlogic.atom @node(%X) : f64
    nlogic.head(%X) = %0 : f64
  }
}

// -----

/// Recursive rules are marked for semi-naive evaluation; the base case of
/// the recursion stays first, the rules of another stratum after.

// CHECK-LABEL: nlogic.template @recursion
// CHECK: nlogic.rule @path vars(%X, %Y) attributes {nlogic.recursive} {
// CHECK: nlogic.rule @path vars(%X, %Y, %Z) attributes {nlogic.recursive} {
// CHECK: nlogic.rule @far vars(%X, %Y) {
nlogic.template @recursion {
  nlogic.relation @edge arity 2 : f64
  nlogic.relation @path arity 2 : f64
  nlogic.relation @far arity 2 : f64
  nlogic.rule @far vars(%X, %Y) {
    %0 = nlogic.atom @path(%X, %Y) : f64
    nlogic.not @edge(%X, %Y)
    nlogic.head(%X, %Y) = %0 : f64
  }
  nlogic.rule @path vars(%X, %Y) {
    %0 = nlogic.atom @edge(%X, %Y) : f64
    nlogic.head(%X, %Y) = %0 : f64
  }
  nlogic.rule @path vars(%X, %Y, %Z) {
    %0 = nlogic.atom @path(%X, %Z) : f64
    %1 = nlogic.atom @edge(%Z, %Y) : f64
    %2 = nlogic.combine product(%0, %1) : (f64, f64) -> f64
    nlogic.head(%X, %Y) = %2 : f64
  }
}

// -----

/// Samples stay after the rules.
// CHECK-LABEL: nlogic.template @with_sample
// CHECK: nlogic.rule @a
// CHECK: nlogic.head
// CHECK-NEXT: }
// CHECK-NEXT: nlogic.sample "s"
nlogic.template @with_sample {
  nlogic.relation @a arity 0 : f64
  nlogic.relation @b arity 0 : f64
  nlogic.sample "s" {
    nlogic.query @a()
  }
  nlogic.rule @a vars() {
    %0 = nlogic.atom @b() : f64
    nlogic.head() = %0 : f64
  }
}
