// RUN: nlogic-opt %s -split-input-file -verify-diagnostics

/// Relations and weights share one symbol table: names are unique.

nlogic.template @t {
  // expected-note@+1 {{see existing symbol definition here}}
  nlogic.relation @r arity 1 : f64
  // expected-error@+1 {{redefinition of symbol named 'r'}}
  nlogic.relation @r arity 2 : f64
}

// -----

nlogic.template @t {
  // expected-note@+1 {{see existing symbol definition here}}
  nlogic.weight @w : f64
  // expected-error@+1 {{redefinition of symbol named 'w'}}
  nlogic.relation @w arity 0 : f64
}
