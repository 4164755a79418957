// The strided head of the Sparse Transformer (Child et al. 2019), stride 3,
// as nlogic IR (the twin of strided_attention.txt). Position I attends to
// the previous 3 positions and to every earlier J with (I - J) mod 3 == 0:
//
//   allowed(I, J) :- x(I), *x(J), J <= I, D = I - J, D < 3.
//   allowed(I, J) :- x(I), *x(J), J <= I, D = I - J, D mod 3 == 0.
//   weights(I, J) :- d_k, k(J)^T, q(I), *allowed(I, J). | product, softmax over J
//   attention(I)  :- weights(I, J), v(J).               | product, sum
//
// The pattern is a relation derived by constraints; the scores join it as
// literal whose value nothing uses, so only the pairs it holds are computed.
nlogic.template @strided_attention {
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
  // The previous 3 positions: J <= I and I - J < 3.
  nlogic.rule @allowed vars(%I, %J, %D) aggregate avg {
    %0 = nlogic.atom @x(%I) : tensor<4xf64>
    %1 = nlogic.atom @x(%J) : tensor<4xf64>
    nlogic.constrain leq(%J, %I)
    %2 = nlogic.arith sub %I, %J
    nlogic.constrain eq(%D, %2)
    %3 = nlogic.constant 3
    nlogic.constrain lt(%D, %3)
    nlogic.head(%I, %J) = %0 : tensor<4xf64>
  }
  // Every earlier J whose distance is a multiple of 3.
  nlogic.rule @allowed vars(%I, %J, %D) aggregate avg {
    %0 = nlogic.atom @x(%I) : tensor<4xf64>
    %1 = nlogic.atom @x(%J) : tensor<4xf64>
    nlogic.constrain leq(%J, %I)
    %2 = nlogic.arith sub %I, %J
    nlogic.constrain eq(%D, %2)
    %3 = nlogic.constant 3
    %4 = nlogic.constant 0
    %5 = nlogic.arith mod %D, %3
    nlogic.constrain eq(%4, %5)
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
