// RUN: nlogic-opt %s -split-input-file -verify-diagnostics

/// Neuron values are f64 scalars, vectors or matrices.

nlogic.template @t {
  // expected-error@+1 {{attribute 'value_type' failed to satisfy constraint}}
  nlogic.relation @r arity 1 : f32
}

// -----

nlogic.template @t {
  // expected-error@+1 {{attribute 'value_type' failed to satisfy constraint}}
  nlogic.relation @r arity 1 : tensor<2x2x2xf64>
}

// -----

nlogic.template @t {
  // expected-error@+1 {{'nlogic.relation' op attribute 'arity' failed to satisfy constraint: 64-bit signless integer attribute whose value is non-negative}}
  nlogic.relation @r arity -1 : f64
}
