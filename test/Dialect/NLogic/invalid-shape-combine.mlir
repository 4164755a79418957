// RUN: nlogic-opt %s -split-input-file -verify-diagnostics

/// Elementwise combinations need equal shapes (scalars broadcast).

nlogic.template @t {
  nlogic.relation @h arity 0 : tensor<3xf64>
  nlogic.relation @a arity 0 : tensor<3xf64>
  nlogic.relation @b arity 0 : tensor<2xf64>
  nlogic.rule @h vars() {
    %0 = nlogic.atom @a() : tensor<3xf64>
    %1 = nlogic.atom @b() : tensor<2xf64>
    // expected-error@+1 {{'nlogic.combine' op shape mismatch: sum combination of values of shapes {3} and {2}}}
    %2 = nlogic.combine sum(%0, %1) : (tensor<3xf64>, tensor<2xf64>) -> tensor<3xf64>
    nlogic.head() = %2 : tensor<3xf64>
  }
}

// -----

nlogic.template @t {
  nlogic.relation @h arity 0 : f64
  nlogic.relation @a arity 0 : tensor<3xf64>
  nlogic.rule @h vars() {
    %0 = nlogic.atom @a() : tensor<3xf64>
    // expected-error@+1 {{'nlogic.combine' op shape mismatch: cossim combines exactly two values, got 3}}
    %1 = nlogic.combine cossim(%0, %0, %0) : (tensor<3xf64>, tensor<3xf64>, tensor<3xf64>) -> f64
    nlogic.head() = %1 : f64
  }
}

// -----

nlogic.template @t {
  nlogic.relation @h arity 0 : tensor<5x3xf64>
  nlogic.relation @a arity 0 : tensor<2x3xf64>
  nlogic.relation @b arity 0 : tensor<3x2xf64>
  nlogic.rule @h vars() {
    %0 = nlogic.atom @a() : tensor<2x3xf64>
    %1 = nlogic.atom @b() : tensor<3x2xf64>
    // expected-error@+1 {{'nlogic.combine' op shape mismatch: concat along axis 0 of values with 3 and 2 columns}}
    %2 = nlogic.combine concat(%0, %1) : (tensor<2x3xf64>, tensor<3x2xf64>) -> tensor<5x3xf64>
    nlogic.head() = %2 : tensor<5x3xf64>
  }
}

// -----

nlogic.template @t {
  nlogic.relation @h arity 0 : f64
  nlogic.relation @a arity 0 : f64
  nlogic.rule @h vars() {
    %0 = nlogic.atom @a() : f64
    // expected-error@+1 {{'nlogic.combine' op needs at least one input or an offset}}
    %1 = nlogic.combine sum() : () -> f64
    nlogic.head() = %0 : f64
  }
}
