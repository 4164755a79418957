// RUN: nlogic-opt %s -split-input-file -verify-diagnostics

/// A weight multiplies a value only when the shapes allow it, and the
/// result type is exactly the product's shape.

nlogic.template @t {
  nlogic.relation @h arity 0 : tensor<3xf64>
  nlogic.relation @b arity 0 : tensor<2xf64>
  nlogic.weight @w : tensor<3x3xf64>
  nlogic.rule @h vars() {
    %0 = nlogic.atom @b() : tensor<2xf64>
    // expected-error@+1 {{'nlogic.weigh' op shape mismatch: @w: weight of shape {3,3} cannot multiply a value of shape {2}}}
    %1 = nlogic.weigh @w, %0 : tensor<2xf64> -> tensor<3xf64>
    nlogic.head() = %1 : tensor<3xf64>
  }
}

// -----

nlogic.template @t {
  nlogic.relation @h arity 0 : tensor<3xf64>
  nlogic.relation @b arity 0 : tensor<4xf64>
  nlogic.weight @v : tensor<3xf64>
  nlogic.rule @h vars() {
    %0 = nlogic.atom @b() : tensor<4xf64>
    // expected-error@+1 {{'nlogic.weigh' op shape mismatch: @v: a vector weight of shape {3} cannot multiply a value of shape {4}}}
    %1 = nlogic.weigh @v, %0 : tensor<4xf64> -> tensor<3xf64>
    nlogic.head() = %1 : tensor<3xf64>
  }
}

// -----

nlogic.template @t {
  nlogic.relation @h arity 0 : tensor<3xf64>
  nlogic.relation @b arity 0 : tensor<3xf64>
  nlogic.weight @w : tensor<2x3xf64>
  nlogic.rule @h vars() {
    %0 = nlogic.atom @b() : tensor<3xf64>
    // expected-error@+1 {{'nlogic.weigh' op shape mismatch: result type 'tensor<3xf64>' should be 'tensor<2xf64>'}}
    %1 = nlogic.weigh @w, %0 : tensor<3xf64> -> tensor<3xf64>
    nlogic.head() = %1 : tensor<3xf64>
  }
}
