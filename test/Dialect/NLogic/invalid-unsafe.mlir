// RUN: nlogic-opt %s -split-input-file -verify-diagnostics

/// Safety: head variables, variables of negated atoms and of constraints
/// must be bound by a positive body atom.

nlogic.template @t {
  nlogic.relation @h arity 2 : f64
  nlogic.relation @b arity 1 : f64
  nlogic.rule @h vars(%X, %Y) {
    %0 = nlogic.atom @b(%X) : f64
    // expected-error@+1 {{unsafe rule: head variable 'Y' is not bound by a positive body atom}}
    nlogic.head(%X, %Y) = %0 : f64
  }
}

// -----

nlogic.template @t {
  nlogic.relation @h arity 1 : f64
  nlogic.relation @b arity 1 : f64
  nlogic.relation @e arity 2 : f64
  nlogic.rule @h vars(%X, %Z) {
    %0 = nlogic.atom @b(%X) : f64
    // expected-error@+1 {{unsafe rule: negated atom variable 'Z' is not bound by a positive body atom}}
    nlogic.not @e(%X, %Z)
    nlogic.head(%X) = %0 : f64
  }
}

// -----

nlogic.template @t {
  nlogic.relation @h arity 1 : f64
  nlogic.relation @b arity 1 : f64
  nlogic.rule @h vars(%I, %J) {
    %0 = nlogic.atom @b(%I) : f64
    // expected-error@+1 {{unsafe rule: constraint variable 'J' is not bound by a positive body atom}}
    nlogic.constrain leq(%J, %I)
    nlogic.head(%I) = %0 : f64
  }
}

// -----

/// A generator needs its source bound: J = K - 1 with K free binds nothing.
nlogic.template @t {
  nlogic.relation @h arity 1 : f64
  nlogic.relation @b arity 1 : f64
  nlogic.rule @h vars(%I, %J, %K) {
    %0 = nlogic.atom @b(%I) : f64
    %one = nlogic.constant 1
    %prev = nlogic.arith sub %K, %one
    // expected-error@+1 {{unsafe rule: constraint variable 'J' is not bound by a positive body atom}}
    nlogic.constrain eq(%J, %prev)
    nlogic.head(%I) = %0 : f64
  }
}
