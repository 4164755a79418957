// RUN: nlogic-opt %s -split-input-file -verify-diagnostics

/// Every reference to a relation must resolve in the template.

nlogic.template @t {
  nlogic.relation @h arity 0 : f64
  nlogic.rule @h vars() {
    // expected-error@+1 {{'nlogic.atom' op refers to unknown relation @missing}}
    %0 = nlogic.atom @missing() : f64
    nlogic.head() = %0 : f64
  }
}

// -----

nlogic.template @t {
  nlogic.relation @h arity 1 : f64
  nlogic.relation @b arity 1 : f64
  nlogic.rule @h vars(%X) {
    %0 = nlogic.atom @b(%X) : f64
    // expected-error@+1 {{'nlogic.not' op refers to unknown relation @gone}}
    nlogic.not @gone(%X)
    nlogic.head(%X) = %0 : f64
  }
}

// -----

nlogic.template @t {
  nlogic.relation @b arity 0 : f64
  // expected-error@+1 {{'nlogic.rule' op refers to unknown relation @nohead}}
  nlogic.rule @nohead vars() {
    %0 = nlogic.atom @b() : f64
    nlogic.head() = %0 : f64
  }
}

// -----

nlogic.template @t {
  // expected-error@+1 {{'nlogic.fact' op refers to unknown relation @f}}
  nlogic.fact @f("a")
}

// -----

nlogic.template @t {
  nlogic.sample "s" {
    // expected-error@+1 {{'nlogic.query' op refers to unknown relation @predict}}
    nlogic.query @predict()
  }
}
