// RUN: nlogic-opt %s -split-input-file -verify-diagnostics

/// A relation is used with exactly its arity everywhere.

nlogic.template @t {
  nlogic.relation @h arity 1 : f64
  nlogic.relation @e arity 2 : f64
  nlogic.rule @h vars(%X, %Y, %Z) {
    // expected-error@+1 {{'nlogic.atom' op uses relation @e with 3 terms, but its arity is 2}}
    %0 = nlogic.atom @e(%X, %Y, %Z) : f64
    nlogic.head(%X) = %0 : f64
  }
}

// -----

nlogic.template @t {
  nlogic.relation @h arity 1 : f64
  nlogic.relation @e arity 2 : f64
  nlogic.rule @h vars(%X, %Y) {
    %0 = nlogic.atom @e(%X, %Y) : f64
    // expected-error@+1 {{'nlogic.not' op uses relation @e with 1 terms, but its arity is 2}}
    nlogic.not @e(%X)
    nlogic.head(%X) = %0 : f64
  }
}

// -----

nlogic.template @t {
  nlogic.relation @h arity 1 : f64
  nlogic.relation @e arity 2 : f64
  nlogic.rule @h vars(%X, %Y) {
    %0 = nlogic.atom @e(%X, %Y) : f64
    // expected-error@+1 {{'nlogic.head' op uses relation @h with 2 terms, but its arity is 1}}
    nlogic.head(%X, %Y) = %0 : f64
  }
}

// -----

nlogic.template @t {
  nlogic.relation @e arity 2 : f64
  // expected-error@+1 {{'nlogic.fact' op uses relation @e with 1 terms, but its arity is 2}}
  nlogic.fact @e("a")
}

// -----

nlogic.template @t {
  nlogic.relation @p arity 0 : f64
  nlogic.sample "s" {
    // expected-error@+1 {{'nlogic.query' op uses relation @p with 1 terms, but its arity is 0}}
    nlogic.query @p("x")
  }
}
