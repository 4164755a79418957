// RUN: nlogic-opt %s --split-input-file --verify-diagnostics --convert-nlogic-to-linalg

// Constructs without kernels yet are reported where they are written, and
// the conversion fails (no silently wrong numbers).
nlogic.template @sparsemax {
  nlogic.relation @x arity 1 : tensor<2xf64>
  nlogic.relation @h arity 1 : tensor<4xf64>
  nlogic.rule @h vars(%I) aggregate sum {
    %0 = nlogic.atom @x(%I) : tensor<2xf64>
    // expected-error@+1 {{the compiled engine cannot lower the 'sparsemax' combination yet (run it with --engine reference)}}
    %1 = nlogic.combine sparsemax(%0, %0) : (tensor<2xf64>, tensor<2xf64>) -> tensor<4xf64>
    nlogic.head(%I) = %1 : tensor<4xf64>
  }
}

// -----

nlogic.template @reshape_transformation {
  nlogic.relation @x arity 1 : tensor<4xf64>
  nlogic.relation @h arity 1 : tensor<2x2xf64>
  nlogic.rule @h vars(%I) aggregate sum {
    %0 = nlogic.atom @x(%I) : tensor<4xf64>
    // expected-error@+1 {{the compiled engine cannot lower the 'reshape' transformation yet}}
    %1 = nlogic.transform reshape %0 {shape = array<i64: 2, 2>} : tensor<4xf64> -> tensor<2x2xf64>
    nlogic.head(%I) = %1 : tensor<2x2xf64>
  }
}

// -----

nlogic.template @relation_combination {
  nlogic.relation @x arity 1 : tensor<2xf64>
  // expected-error@+1 {{the compiled engine cannot lower the 'max' combination of a relation's rules yet}}
  nlogic.relation @h arity 1 : tensor<2xf64> combine max
  nlogic.rule @h vars(%I) aggregate sum {
    %0 = nlogic.atom @x(%I) : tensor<2xf64>
    nlogic.head(%I) = %0 : tensor<2xf64>
  }
}

// -----

nlogic.template @dynamic {
  nlogic.relation @x arity 1 : tensor<*xf64>
  // expected-error@+1 {{the compiled engine needs static shapes (run nlogic-specialize-shapes first)}}
  nlogic.relation @h arity 1 : tensor<*xf64>
  nlogic.rule @h vars(%I) aggregate sum {
    // expected-error@+1 {{the compiled engine needs static shapes}}
    %0 = nlogic.atom @x(%I) : tensor<*xf64>
    nlogic.head(%I) = %0 : tensor<*xf64>
  }
}

// -----

nlogic.template @concat {
  nlogic.relation @x arity 1 : tensor<2xf64>
  nlogic.relation @h arity 1 : tensor<2xf64>
  // expected-error@+1 {{the compiled engine cannot lower the 'concat' aggregation yet}}
  nlogic.rule @h vars(%I) aggregate concat {
    %0 = nlogic.atom @x(%I) : tensor<2xf64>
    nlogic.head(%I) = %0 : tensor<2xf64>
  }
}

// -----

// A relation's product combination runs compiled for scalars only.
nlogic.template @vector_product {
  nlogic.relation @x arity 1 : tensor<2xf64>
  // expected-error@+1 {{the compiled engine cannot lower the 'product' combination of a relation's rules yet (only of scalars)}}
  nlogic.relation @h arity 1 : tensor<2xf64> combine product
  nlogic.rule @h vars(%I) aggregate sum {
    %0 = nlogic.atom @x(%I) : tensor<2xf64>
    nlogic.head(%I) = %0 : tensor<2xf64>
  }
}

// -----

nlogic.template @softmax_product {
  nlogic.relation @x arity 1 : f64
  nlogic.relation @h arity 2 : f64 combine product
  // expected-error@+1 {{the compiled engine cannot lower a relation's product combination over recursive or softmax rules yet}}
  nlogic.rule @h vars(%I, %J) aggregate softmax over ["J"] {
    %0 = nlogic.atom @x(%I) : f64
    %1 = nlogic.atom @x(%J) : f64
    nlogic.head(%I, %J) = %0 : f64
  }
}
