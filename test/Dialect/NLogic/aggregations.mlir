// RUN: nlogic-opt %s | nlogic-opt | FileCheck %s

/// Every aggregation; softmax normalises over named head variables.

// CHECK-LABEL: nlogic.template @aggregations
nlogic.template @aggregations {
  nlogic.relation @e arity 2 : f64
  nlogic.relation @g_sum arity 1 : f64
  nlogic.relation @g_avg arity 1 : f64
  nlogic.relation @g_max arity 1 : f64
  nlogic.relation @g_min arity 1 : f64
  nlogic.relation @g_count arity 1 : f64
  nlogic.relation @g_concat arity 1 : f64
  nlogic.relation @g_softmax arity 1 : f64
  nlogic.relation @pair arity 2 : f64
  // CHECK: nlogic.rule @g_sum vars(%X, %Y) aggregate sum {
  nlogic.rule @g_sum vars(%X, %Y) aggregate sum {
    %0 = nlogic.atom @e(%X, %Y) : f64
    nlogic.head(%X) = %0 : f64
  }
  // CHECK: nlogic.rule @g_avg vars(%X, %Y) aggregate avg {
  nlogic.rule @g_avg vars(%X, %Y) aggregate avg {
    %0 = nlogic.atom @e(%X, %Y) : f64
    nlogic.head(%X) = %0 : f64
  }
  // CHECK: nlogic.rule @g_max vars(%X, %Y) aggregate max {
  nlogic.rule @g_max vars(%X, %Y) aggregate max {
    %0 = nlogic.atom @e(%X, %Y) : f64
    nlogic.head(%X) = %0 : f64
  }
  // CHECK: nlogic.rule @g_min vars(%X, %Y) aggregate min {
  nlogic.rule @g_min vars(%X, %Y) aggregate min {
    %0 = nlogic.atom @e(%X, %Y) : f64
    nlogic.head(%X) = %0 : f64
  }
  // CHECK: nlogic.rule @g_count vars(%X, %Y) aggregate count {
  nlogic.rule @g_count vars(%X, %Y) aggregate count {
    %0 = nlogic.atom @e(%X, %Y) : f64
    nlogic.head(%X) = %0 : f64
  }
  // CHECK: nlogic.rule @g_concat vars(%X, %Y) aggregate concat {
  nlogic.rule @g_concat vars(%X, %Y) aggregate concat {
    %0 = nlogic.atom @e(%X, %Y) : f64
    nlogic.head(%X) = %0 : f64
  }
  // CHECK: nlogic.rule @g_softmax vars(%X, %Y) aggregate softmax {
  nlogic.rule @g_softmax vars(%X, %Y) aggregate softmax {
    %0 = nlogic.atom @e(%X, %Y) : f64
    nlogic.head(%X) = %0 : f64
  }
  // CHECK: nlogic.rule @pair vars(%I, %J) aggregate softmax over ["J"] {
  nlogic.rule @pair vars(%I, %J) aggregate softmax over ["J"] {
    %0 = nlogic.atom @e(%I, %J) : f64
    nlogic.head(%I, %J) = %0 : f64
  }
  // CHECK: nlogic.rule @pair vars(%I, %J) aggregate softmax over ["I", "J"] {
  nlogic.rule @pair vars(%I, %J) aggregate softmax over ["I", "J"] {
    %0 = nlogic.atom @e(%I, %J) : f64
    nlogic.head(%I, %J) = %0 : f64
  }
  /// Without `aggregate` the rule sums.
  // CHECK: nlogic.rule @pair vars(%I, %J) {
  nlogic.rule @pair vars(%I, %J) {
    %0 = nlogic.atom @e(%I, %J) : f64
    nlogic.head(%I, %J) = %0 : f64
  }
}
