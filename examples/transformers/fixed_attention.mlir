// The fixed head of the Sparse Transformer (Child et al. 2019), blocks of 3,
// as nlogic IR (the twin of fixed_attention.txt). Position I attends to the
// earlier positions of its own block and to the last position of every
// earlier block (its summary, J mod 3 == 2):
//
//   allowed(I, J) :- x(I), *x(J), J <= I, I - I mod 3 == J - J mod 3.
//   allowed(I, J) :- x(I), *x(J), J <= I, J mod 3 == 2.
//   weights(I, J) :- d_k, k(J)^T, q(I), *allowed(I, J). | product, softmax over J
//   attention(I)  :- weights(I, J), v(J).               | product, sum
//
// The pattern is a relation derived by constraints; the scores join it as
// literal whose value nothing uses, so only the pairs it holds are computed.
nlogic.template @fixed_attention {
  nlogic.relation @x arity 1 : tensor<4xf64>
  nlogic.relation @d_k arity 0 : f64
  nlogic.relation @q arity 1 : tensor<4xf64> transform identity combine sum
  nlogic.relation @k arity 1 : tensor<4xf64> transform identity combine sum
  nlogic.relation @v arity 1 : tensor<4xf64> transform identity combine sum
  nlogic.relation @allowed arity 2 : tensor<4xf64> transform identity combine sum
  nlogic.relation @weights arity 2 : tensor<1xf64> transform identity combine sum
  nlogic.relation @attention arity 1 : tensor<4xf64> transform identity combine sum
  nlogic.weight @inv_sqrt_d : f64 = dense<0.5> : tensor<f64> fixed
  nlogic.weight @W_q : tensor<4x4xf64>
  nlogic.weight @W_k : tensor<4x4xf64>
  nlogic.weight @W_v : tensor<4x4xf64>
  nlogic.fact @d_k() weight @inv_sqrt_d

  nlogic.rule @q vars(%I) aggregate sum {
    %0 = nlogic.atom @x(%I) : tensor<4xf64>
    %1 = nlogic.weigh @W_q, %0 : tensor<4xf64> -> tensor<4xf64>
    nlogic.head(%I) = %1 : tensor<4xf64>
  }
  nlogic.rule @k vars(%I) aggregate sum {
    %0 = nlogic.atom @x(%I) : tensor<4xf64>
    %1 = nlogic.weigh @W_k, %0 : tensor<4xf64> -> tensor<4xf64>
    nlogic.head(%I) = %1 : tensor<4xf64>
  }
  nlogic.rule @v vars(%I) aggregate sum {
    %0 = nlogic.atom @x(%I) : tensor<4xf64>
    %1 = nlogic.weigh @W_v, %0 : tensor<4xf64> -> tensor<4xf64>
    nlogic.head(%I) = %1 : tensor<4xf64>
  }
  // Same block: I - (I mod 3) == J - (J mod 3).
  nlogic.rule @allowed vars(%I, %J, %A, %B, %C) aggregate avg {
    %0 = nlogic.atom @x(%I) : tensor<4xf64>
    %1 = nlogic.atom @x(%J) : tensor<4xf64>
    nlogic.constrain leq(%J, %I)
    %2 = nlogic.constant 3
    %3 = nlogic.arith mod %I, %2
    nlogic.constrain eq(%A, %3)
    %4 = nlogic.arith sub %I, %A
    nlogic.constrain eq(%B, %4)
    %5 = nlogic.arith mod %J, %2
    nlogic.constrain eq(%C, %5)
    %6 = nlogic.arith sub %J, %C
    nlogic.constrain eq(%B, %6)
    nlogic.head(%I, %J) = %0 : tensor<4xf64>
  }
  // The last position of each block summarises it.
  nlogic.rule @allowed vars(%I, %J) aggregate avg {
    %0 = nlogic.atom @x(%I) : tensor<4xf64>
    %1 = nlogic.atom @x(%J) : tensor<4xf64>
    nlogic.constrain leq(%J, %I)
    %2 = nlogic.constant 3
    %3 = nlogic.constant 2
    %4 = nlogic.arith mod %J, %2
    nlogic.constrain eq(%3, %4)
    nlogic.head(%I, %J) = %0 : tensor<4xf64>
  }
  nlogic.rule @weights vars(%I, %J) aggregate softmax over ["J"] {
    %0 = nlogic.atom @d_k() : f64
    %1 = nlogic.atom @k(%J) transposed : tensor<1x4xf64>
    %2 = nlogic.atom @q(%I) : tensor<4xf64>
    %3 = nlogic.atom @allowed(%I, %J) : tensor<4xf64>
    %4 = nlogic.combine product(%0, %1, %2)
        : (f64, tensor<1x4xf64>, tensor<4xf64>) -> tensor<1xf64>
    nlogic.head(%I, %J) = %4 : tensor<1xf64>
  }
  nlogic.rule @attention vars(%I, %J) aggregate sum {
    %0 = nlogic.atom @weights(%I, %J) : tensor<1xf64>
    %1 = nlogic.atom @v(%J) : tensor<4xf64>
    %2 = nlogic.combine product(%0, %1)
        : (tensor<1xf64>, tensor<4xf64>) -> tensor<4xf64>
    nlogic.head(%I) = %2 : tensor<4xf64>
  }
}
