// RUN: nlogic-opt %s -split-input-file -verify-diagnostics

/// Structural rules of nlogic.rule, seen through the generic form.

nlogic.template @t {
  nlogic.relation @h arity 1 : f64
  nlogic.relation @b arity 1 : f64
  // expected-error@+1 {{'nlogic.rule' op has 1 variables but 2 variable names}}
  "nlogic.rule"() <{head = @h, var_names = ["X", "Y"]}> ({
  ^bb0(%x: !nlogic.term):
    %0 = nlogic.atom @b(%x) : f64
    nlogic.head(%x) = %0 : f64
  }) : () -> ()
}

// -----

nlogic.template @t {
  nlogic.relation @h arity 1 : f64
  // expected-error@+1 {{'nlogic.rule' op variables must have type !nlogic.term}}
  "nlogic.rule"() <{head = @h, var_names = ["X"]}> ({
  ^bb0(%x: f64):
    "nlogic.head"(%x) : (f64) -> ()
  }) : () -> ()
}

// -----

nlogic.template @t {
  nlogic.relation @h arity 1 : f64
  nlogic.relation @b arity 1 : f64
  nlogic.rule @h vars(%X) {
    %0 = nlogic.atom @b(%X) : f64
    // expected-error@+1 {{block with no terminator}}
    nlogic.constrain leq(%X, %X)
  }
}
