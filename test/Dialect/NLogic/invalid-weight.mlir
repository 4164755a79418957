// RUN: nlogic-opt %s -split-input-file -verify-diagnostics

/// Weight declarations.

nlogic.template @t {
  // expected-error@+1 {{'nlogic.weight' op a fixed weight needs a value}}
  nlogic.weight @w : tensor<3xf64> fixed
}

// -----

nlogic.template @t {
  // expected-error@+1 {{'nlogic.weight' op a weight with a value cannot also name an initializer}}
  nlogic.weight @w : f64 = dense<1.0> : tensor<f64> init glorot
}

// -----

nlogic.template @t {
  // expected-error@+1 {{'nlogic.weight' op a weight must have a known shape}}
  nlogic.weight @w : tensor<*xf64>
}

// -----

nlogic.template @t {
  nlogic.relation @e arity 0 : f64
  nlogic.weight @w : f64
  // expected-error@+1 {{'nlogic.fact' op a fact has either a weight or an inline value}}
  nlogic.fact @e() weight @w value dense<1.0> : tensor<f64>
}
