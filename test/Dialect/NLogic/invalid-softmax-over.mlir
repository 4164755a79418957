// RUN: nlogic-opt %s -split-input-file -verify-diagnostics

/// Softmax aggregation normalises over head variables only.

nlogic.template @t {
  nlogic.relation @w arity 1 : f64
  nlogic.relation @e arity 2 : f64
  // expected-error@+1 {{'nlogic.rule' op softmax aggregation over 'J', which is not a head variable}}
  nlogic.rule @w vars(%I, %J) aggregate softmax over ["J"] {
    %0 = nlogic.atom @e(%I, %J) : f64
    nlogic.head(%I) = %0 : f64
  }
}

// -----

nlogic.template @t {
  nlogic.relation @w arity 2 : f64
  nlogic.relation @e arity 2 : f64
  // expected-error@+1 {{'nlogic.rule' op 'over' variables are only meaningful for softmax aggregation}}
  nlogic.rule @w vars(%I, %J) aggregate sum over ["J"] {
    %0 = nlogic.atom @e(%I, %J) : f64
    nlogic.head(%I, %J) = %0 : f64
  }
}
