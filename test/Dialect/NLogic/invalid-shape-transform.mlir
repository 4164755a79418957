// RUN: nlogic-opt %s -split-input-file -verify-diagnostics

/// Transformations check their operand shapes and parameters.

nlogic.template @t {
  nlogic.relation @m arity 0 : tensor<2x3xf64>
  nlogic.relation @h arity 0 : tensor<2x3xf64>
  nlogic.rule @h vars() {
    %0 = nlogic.atom @m() : tensor<2x3xf64>
    // expected-error@+1 {{'nlogic.transform' op shape mismatch: norm transformation needs a vector operand, got {2,3}}}
    %1 = nlogic.transform norm %0 : tensor<2x3xf64> -> tensor<2x3xf64>
    nlogic.head() = %1 : tensor<2x3xf64>
  }
}

// -----

nlogic.template @t {
  nlogic.relation @s arity 0 : f64
  nlogic.rule @s vars() {
    %0 = nlogic.atom @s() : f64
    // expected-error@+1 {{'nlogic.transform' op shape mismatch: softmax transformation needs a vector operand, got scalar}}
    %1 = nlogic.transform softmax %0 : f64 -> f64
    nlogic.head() = %1 : f64
  }
}

// -----

nlogic.template @t {
  nlogic.relation @v arity 0 : tensor<3xf64>
  nlogic.rule @v vars() {
    %0 = nlogic.atom @v() : tensor<3xf64>
    // expected-error@+1 {{'nlogic.transform' op shape mismatch: slice rows [1, 5) is out of bounds for a dimension of 3}}
    %1 = nlogic.transform slice %0 {rows = array<i64: 1, 5>} : tensor<3xf64> -> tensor<4xf64>
    nlogic.head() = %0 : tensor<3xf64>
  }
}

// -----

nlogic.template @t {
  nlogic.relation @v arity 0 : tensor<6xf64>
  nlogic.rule @v vars() {
    %0 = nlogic.atom @v() : tensor<6xf64>
    // expected-error@+1 {{'nlogic.transform' op shape mismatch: reshape of a value of shape {6} to {4,2} changes the element count}}
    %1 = nlogic.transform reshape %0 {shape = array<i64: 4, 2>} : tensor<6xf64> -> tensor<4x2xf64>
    nlogic.head() = %0 : tensor<6xf64>
  }
}

// -----

nlogic.template @t {
  nlogic.relation @v arity 0 : tensor<3xf64>
  nlogic.rule @v vars() {
    %0 = nlogic.atom @v() : tensor<3xf64>
    // expected-error@+1 {{'nlogic.transform' op shape mismatch: result type 'tensor<3xf64>' should be 'tensor<1x3xf64>'}}
    %1 = nlogic.transform transpose %0 : tensor<3xf64> -> tensor<3xf64>
    nlogic.head() = %1 : tensor<3xf64>
  }
}

// -----

nlogic.template @t {
  nlogic.relation @v arity 0 : tensor<3xf64>
  nlogic.rule @v vars() {
    %0 = nlogic.atom @v() : tensor<3xf64>
    // expected-error@+1 {{'nlogic.transform' op 'alpha' is only meaningful for leaky_relu}}
    %1 = nlogic.transform relu %0 {alpha = 0.1 : f64} : tensor<3xf64> -> tensor<3xf64>
    nlogic.head() = %1 : tensor<3xf64>
  }
}

// -----

nlogic.template @t {
  nlogic.relation @v arity 0 : tensor<3xf64>
  nlogic.rule @v vars() {
    %0 = nlogic.atom @v() : tensor<3xf64>
    // expected-error@+1 {{'nlogic.transform' op shape mismatch: slice needs a `rows` range}}
    %1 = nlogic.transform slice %0 : tensor<3xf64> -> tensor<3xf64>
    nlogic.head() = %1 : tensor<3xf64>
  }
}
