// Single-head scaled dot-product attention, as nlogic IR (the twin of
// attention.txt):
//
//   weights(I, J) :- d_k, k(J)^T, q(I).   | product, softmax over J
//   attention(I)  :- weights(I, J), v(J). | product, sum
//
// Tokens carry 4-wide vectors x(I); q, k, v are learned projections and d_k
// the fixed fact 1/sqrt(4). Every pair (I, J) of tokens is a substitution.
nlogic.template @attention {
  nlogic.relation @x arity 1 : tensor<4xf64>
  nlogic.relation @d_k arity 0 : f64
  nlogic.relation @q arity 1 : tensor<4xf64> transform identity combine sum
  nlogic.relation @k arity 1 : tensor<4xf64> transform identity combine sum
  nlogic.relation @v arity 1 : tensor<4xf64> transform identity combine sum
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
  nlogic.rule @weights vars(%I, %J) aggregate softmax over ["J"] {
    %0 = nlogic.atom @d_k() : f64
    %1 = nlogic.atom @k(%J) transposed : tensor<1x4xf64>
    %2 = nlogic.atom @q(%I) : tensor<4xf64>
    %3 = nlogic.combine product(%0, %1, %2)
        : (f64, tensor<1x4xf64>, tensor<4xf64>) -> tensor<1xf64>
    nlogic.head(%I, %J) = %3 : tensor<1xf64>
  }
  nlogic.rule @attention vars(%I, %J) aggregate sum {
    %0 = nlogic.atom @weights(%I, %J) : tensor<1xf64>
    %1 = nlogic.atom @v(%J) : tensor<4xf64>
    %2 = nlogic.combine product(%0, %1)
        : (tensor<1xf64>, tensor<4xf64>) -> tensor<4xf64>
    nlogic.head(%I) = %2 : tensor<4xf64>
  }
}
