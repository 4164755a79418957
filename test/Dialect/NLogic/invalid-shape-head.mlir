// RUN: nlogic-opt %s -split-input-file -verify-diagnostics

/// A rule's value, after its head weight, has the head relation's shape.

nlogic.template @t {
  nlogic.relation @h arity 0 : tensor<2xf64>
  nlogic.relation @b arity 0 : tensor<3xf64>
  // expected-error@+1 {{'nlogic.rule' op shape mismatch: the rule gives @h values of shape {3}, but the relation's values have shape {2}}}
  nlogic.rule @h vars() {
    %0 = nlogic.atom @b() : tensor<3xf64>
    nlogic.head() = %0 : tensor<3xf64>
  }
}

// -----

nlogic.template @t {
  nlogic.relation @h arity 0 : tensor<2xf64>
  nlogic.relation @b arity 0 : tensor<3xf64>
  nlogic.weight @hw : tensor<2x4xf64>
  // expected-error@+1 {{'nlogic.rule' op shape mismatch: head weight of shape {2,4} cannot multiply a value of shape {3}}}
  nlogic.rule @h vars() weight @hw {
    %0 = nlogic.atom @b() : tensor<3xf64>
    nlogic.head() = %0 : tensor<3xf64>
  }
}

// -----

/// With the head weight the shapes agree: no error.
nlogic.template @t {
  nlogic.relation @h arity 0 : tensor<2xf64>
  nlogic.relation @b arity 0 : tensor<3xf64>
  nlogic.weight @hw : tensor<2x3xf64>
  nlogic.rule @h vars() weight @hw {
    %0 = nlogic.atom @b() : tensor<3xf64>
    nlogic.head() = %0 : tensor<3xf64>
  }
}
