// RUN: nlogic-opt %s -split-input-file -verify-diagnostics

/// An atom yields its relation's value type (transposed if asked).

nlogic.template @t {
  nlogic.relation @h arity 0 : tensor<3xf64>
  nlogic.relation @b arity 0 : tensor<3xf64>
  nlogic.rule @h vars() {
    %0 = nlogic.atom @b() : tensor<3xf64>
    // expected-error@+1 {{'nlogic.atom' op shape mismatch: yields 'tensor<4xf64>' but @h has values of type 'tensor<3xf64>'}}
    %1 = nlogic.atom @h() : tensor<4xf64>
    nlogic.head() = %0 : tensor<3xf64>
  }
}

// -----

nlogic.template @t {
  nlogic.relation @h arity 0 : tensor<3xf64>
  nlogic.relation @k arity 0 : tensor<3xf64>
  nlogic.rule @h vars() {
    // expected-error@+1 {{'nlogic.atom' op shape mismatch: yields 'tensor<3xf64>' but @k transposed has values of type 'tensor<1x3xf64>'}}
    %0 = nlogic.atom @k() transposed : tensor<3xf64>
    nlogic.head() = %0 : tensor<3xf64>
  }
}
