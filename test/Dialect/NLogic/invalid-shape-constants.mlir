// RUN: nlogic-opt %s -split-input-file -verify-diagnostics

/// Constant values (of facts, weights, targets, offsets) match shapes.

nlogic.template @t {
  nlogic.relation @e arity 1 : tensor<3xf64>
  // expected-error@+1 {{'nlogic.fact' op shape mismatch: value of shape {2} for a value of shape {3}}}
  nlogic.fact @e("a") value dense<[1.0, 2.0]> : tensor<2xf64>
}

// -----

nlogic.template @t {
  // expected-error@+1 {{'nlogic.weight' op shape mismatch: value of shape {2,2} for a value of shape {4}}}
  nlogic.weight @w : tensor<4xf64> = dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf64>
}

// -----

nlogic.template @t {
  nlogic.relation @p arity 0 : tensor<2xf64>
  nlogic.sample "s" {
    // expected-error@+1 {{'nlogic.query' op shape mismatch: target of shape {3} for a value of shape {2}}}
    nlogic.query @p() target dense<[1.0, 0.0, 0.0]> : tensor<3xf64>
  }
}

// -----

nlogic.template @t {
  nlogic.relation @e arity 1 : tensor<3xf64>
  nlogic.weight @emb : tensor<4xf64>
  // expected-error@+1 {{'nlogic.fact' op shape mismatch: weight @emb of shape {4} as the value of a fact of shape {3}}}
  nlogic.fact @e("a") weight @emb
}

// -----

nlogic.template @t {
  nlogic.weight @off : tensor<2xf64>
  // expected-error@+1 {{'nlogic.relation' op shape mismatch: offset @off of shape {2} for values of shape {3}}}
  nlogic.relation @h arity 0 : tensor<3xf64> offset @off
}
