// RUN: nlogic-opt %s -split-input-file -verify-diagnostics

/// Custom syntax errors.

nlogic.template @t {
  nlogic.relation @h arity 1 : f64
  // expected-error@+1 {{unknown aggregation 'median'}}
  nlogic.rule @h vars(%X) aggregate median {
  }
}

// -----

nlogic.template @t {
  nlogic.relation @e arity 1 : f64
  // expected-error@+1 {{a term must be a string or a number}}
  nlogic.fact @e(unit)
}

// -----

nlogic.template @t {
  nlogic.relation @e arity 1 : f64
  nlogic.rule @e vars(%X) {
    // expected-error@+1 {{a term must be a string or a number}}
    %0 = nlogic.constant [1, 2]
    %1 = nlogic.atom @e(%X) : f64
    nlogic.head(%X) = %1 : f64
  }
}
