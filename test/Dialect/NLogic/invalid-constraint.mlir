// RUN: nlogic-opt %s -split-input-file -verify-diagnostics

/// Constraint arities.

nlogic.template @t {
  nlogic.relation @h arity 1 : f64
  nlogic.rule @h vars(%X, %Y, %Z) {
    %0 = nlogic.atom @h(%X) : f64
    %1 = nlogic.atom @h(%Y) : f64
    %2 = nlogic.atom @h(%Z) : f64
    // expected-error@+1 {{'nlogic.constrain' op leq needs exactly two terms, got 3}}
    nlogic.constrain leq(%X, %Y, %Z)
    nlogic.head(%X) = %0 : f64
  }
}

// -----

nlogic.template @t {
  nlogic.relation @h arity 1 : f64
  nlogic.rule @h vars(%X) {
    %0 = nlogic.atom @h(%X) : f64
    // expected-error@+1 {{'nlogic.constrain' op alldiff needs at least two terms}}
    nlogic.constrain alldiff(%X)
    nlogic.head(%X) = %0 : f64
  }
}
