// RUN: nlogic-opt %s --split-input-file --verify-diagnostics --pass-pipeline='builtin.module(nlogic.template(nlogic-specialize-shapes{shapes=x=4}))'

// The data's shape does not fit the weight.
nlogic.template @mismatch {
  nlogic.relation @x arity 1 : tensor<*xf64>
  nlogic.relation @h arity 1 : tensor<*xf64>
  nlogic.weight @w : tensor<3x5xf64>
  nlogic.rule @h vars(%I) aggregate sum {
    %0 = nlogic.atom @x(%I) : tensor<*xf64>
    // expected-error@+1 {{shape mismatch}}
    %1 = nlogic.weigh @w, %0 : tensor<*xf64> -> tensor<*xf64>
    nlogic.head(%I) = %1 : tensor<*xf64>
  }
}

// -----

// Two rules give one relation different shapes.
nlogic.template @two_rules {
  nlogic.relation @x arity 1 : tensor<*xf64>
  nlogic.relation @h arity 1 : tensor<*xf64>
  nlogic.weight @w : tensor<3x4xf64>
  nlogic.weight @v : tensor<2x4xf64>
  nlogic.rule @h vars(%I) aggregate sum {
    %0 = nlogic.atom @x(%I) : tensor<*xf64>
    %1 = nlogic.weigh @w, %0 : tensor<*xf64> -> tensor<*xf64>
    nlogic.head(%I) = %1 : tensor<*xf64>
  }
  // expected-error@+1 {{the rule gives @h values of shape {2}, another rule or its facts give {3}}}
  nlogic.rule @h vars(%I) aggregate sum {
    %0 = nlogic.atom @x(%I) : tensor<*xf64>
    %1 = nlogic.weigh @v, %0 : tensor<*xf64> -> tensor<*xf64>
    nlogic.head(%I) = %1 : tensor<*xf64>
  }
}

// -----

// expected-error@+1 {{bad shape 'x=4'}}
nlogic.template @unknown_relation {
  nlogic.relation @y arity 1 : tensor<*xf64>
}
