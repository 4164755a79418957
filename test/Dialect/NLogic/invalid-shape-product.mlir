// RUN: nlogic-opt %s -split-input-file -verify-diagnostics

/// The product combination multiplies its inputs as matrices, in order.

nlogic.template @t {
  nlogic.relation @h arity 0 : tensor<2xf64>
  nlogic.relation @m arity 0 : tensor<2x3xf64>
  nlogic.relation @v arity 0 : tensor<4xf64>
  nlogic.rule @h vars() {
    %0 = nlogic.atom @m() : tensor<2x3xf64>
    %1 = nlogic.atom @v() : tensor<4xf64>
    // expected-error@+1 {{'nlogic.combine' op shape mismatch: product chain multiplies a 2x3 value by a value of shape {4}}}
    %2 = nlogic.combine product(%0, %1) : (tensor<2x3xf64>, tensor<4xf64>) -> tensor<2xf64>
    nlogic.head() = %2 : tensor<2xf64>
  }
}

// -----

/// A column vector followed by a column vector has no product.
nlogic.template @t {
  nlogic.relation @h arity 0 : tensor<3xf64>
  nlogic.relation @v arity 0 : tensor<3xf64>
  nlogic.rule @h vars() {
    %0 = nlogic.atom @v() : tensor<3xf64>
    // expected-error@+1 {{'nlogic.combine' op shape mismatch: product chain multiplies a 3x1 value by a value of shape {3}}}
    %1 = nlogic.combine product(%0, %0) : (tensor<3xf64>, tensor<3xf64>) -> tensor<3xf64>
    nlogic.head() = %1 : tensor<3xf64>
  }
}

// -----

/// k^T q is a single element, not a vector.
nlogic.template @t {
  nlogic.relation @h arity 0 : tensor<3xf64>
  nlogic.relation @v arity 0 : tensor<3xf64>
  nlogic.rule @h vars() {
    %0 = nlogic.atom @v() transposed : tensor<1x3xf64>
    %1 = nlogic.atom @v() : tensor<3xf64>
    // expected-error@+1 {{'nlogic.combine' op shape mismatch: result type 'tensor<3xf64>' should be 'tensor<1xf64>'}}
    %2 = nlogic.combine product(%0, %1) : (tensor<1x3xf64>, tensor<3xf64>) -> tensor<3xf64>
    nlogic.head() = %2 : tensor<3xf64>
  }
}
