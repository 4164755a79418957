// RUN: nlogic-opt %s -split-input-file -verify-diagnostics

/// Negation through recursion has no stratified meaning.

nlogic.template @t {
  nlogic.relation @p arity 1 : f64
  nlogic.relation @b arity 1 : f64
  nlogic.rule @p vars(%X) {
    %0 = nlogic.atom @b(%X) : f64
    // expected-error@+1 {{negation through recursion: @p is read negated by a rule that it depends on itself; the template is not stratifiable}}
    nlogic.not @p(%X)
    nlogic.head(%X) = %0 : f64
  }
}

// -----

/// The cycle may run through other relations.
nlogic.template @t {
  nlogic.relation @a arity 1 : f64
  nlogic.relation @c arity 1 : f64
  nlogic.relation @b arity 1 : f64
  nlogic.rule @a vars(%X) {
    %0 = nlogic.atom @c(%X) : f64
    nlogic.head(%X) = %0 : f64
  }
  nlogic.rule @c vars(%X) {
    %0 = nlogic.atom @b(%X) : f64
    // expected-error@+1 {{negation through recursion: @a is read negated}}
    nlogic.not @a(%X)
    nlogic.head(%X) = %0 : f64
  }
}

// -----

/// Negation of a lower stratum, and positive recursion, are fine.
nlogic.template @t {
  nlogic.relation @edge arity 2 : f64
  nlogic.relation @path arity 2 : f64
  nlogic.relation @unreached arity 2 : f64
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
  nlogic.rule @unreached vars(%X, %Y) {
    %0 = nlogic.atom @edge(%X, %X) : f64
    %1 = nlogic.atom @edge(%Y, %Y) : f64
    nlogic.not @path(%X, %Y)
    nlogic.head(%X, %Y) = %0 : f64
  }
}
