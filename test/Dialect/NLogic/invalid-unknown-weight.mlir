// RUN: nlogic-opt %s -split-input-file -verify-diagnostics

/// Every reference to a weight must resolve in the template.

nlogic.template @t {
  nlogic.relation @h arity 0 : tensor<3xf64>
  nlogic.relation @b arity 0 : tensor<3xf64>
  nlogic.rule @h vars() {
    %0 = nlogic.atom @b() : tensor<3xf64>
    // expected-error@+1 {{'nlogic.weigh' op refers to unknown weight @w}}
    %1 = nlogic.weigh @w, %0 : tensor<3xf64> -> tensor<3xf64>
    nlogic.head() = %1 : tensor<3xf64>
  }
}

// -----

nlogic.template @t {
  nlogic.relation @h arity 0 : f64
  nlogic.relation @b arity 0 : f64
  // expected-error@+1 {{'nlogic.rule' op refers to unknown weight @hw}}
  nlogic.rule @h vars() weight @hw {
    %0 = nlogic.atom @b() : f64
    nlogic.head() = %0 : f64
  }
}

// -----

nlogic.template @t {
  nlogic.relation @h arity 0 : f64
  nlogic.relation @b arity 0 : f64
  nlogic.rule @h vars() {
    %0 = nlogic.atom @b() : f64
    // expected-error@+1 {{'nlogic.combine' op refers to unknown weight @bias}}
    %1 = nlogic.combine sum(%0) offset @bias : (f64) -> f64
    nlogic.head() = %1 : f64
  }
}

// -----

nlogic.template @t {
  // expected-error@+1 {{'nlogic.relation' op refers to unknown weight @off}}
  nlogic.relation @h arity 0 : f64 offset @off
}

// -----

nlogic.template @t {
  nlogic.relation @e arity 1 : tensor<3xf64>
  // expected-error@+1 {{'nlogic.fact' op refers to unknown weight @emb}}
  nlogic.fact @e("a") weight @emb
}
