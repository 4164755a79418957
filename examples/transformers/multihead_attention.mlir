// Multi-head attention with two heads of width 2, as nlogic IR (the twin
// of multihead_attention.txt), as PyNeuraLogic's MultiheadAttention and
// torch.nn.MultiheadAttention(bias=False) compute it: shared projections
// sliced per head, scaled dot-product attention per head, the heads
// concatenated and projected:
//
//   q_h(I)        :- slice_h(W_q x(I)).          (and k_h, v_h)
//   w_h(I, J)     :- d_k, k_h(J)^T, q_h(I).      | product, softmax over J
//   a_h(I)        :- w_h(I, J), v_h(J).          | product, sum
//   attention(I)  :- W_o concat(a_0(I), a_1(I)).
nlogic.template @multihead_attention {
  nlogic.relation @x arity 1 : tensor<4xf64>
  nlogic.relation @d_k arity 0 : f64
  nlogic.relation @q arity 1 : tensor<4xf64> transform identity combine sum
  nlogic.relation @k arity 1 : tensor<4xf64> transform identity combine sum
  nlogic.relation @v arity 1 : tensor<4xf64> transform identity combine sum
  nlogic.relation @q0 arity 1 : tensor<2xf64> transform identity combine sum
  nlogic.relation @k0 arity 1 : tensor<2xf64> transform identity combine sum
  nlogic.relation @v0 arity 1 : tensor<2xf64> transform identity combine sum
  nlogic.relation @q1 arity 1 : tensor<2xf64> transform identity combine sum
  nlogic.relation @k1 arity 1 : tensor<2xf64> transform identity combine sum
  nlogic.relation @v1 arity 1 : tensor<2xf64> transform identity combine sum
  nlogic.relation @w0 arity 2 : tensor<1xf64> transform identity combine sum
  nlogic.relation @a0 arity 1 : tensor<2xf64> transform identity combine sum
  nlogic.relation @w1 arity 2 : tensor<1xf64> transform identity combine sum
  nlogic.relation @a1 arity 1 : tensor<2xf64> transform identity combine sum
  nlogic.relation @heads arity 1 : tensor<4xf64> transform identity combine sum
  nlogic.relation @attention arity 1 : tensor<4xf64> transform identity combine sum
  // 1/sqrt(2): the width of a head.
  nlogic.weight @inv_sqrt_d : f64 = dense<0.7071067811865476> : tensor<f64> fixed
  nlogic.weight @W_q : tensor<4x4xf64>
  nlogic.weight @W_k : tensor<4x4xf64>
  nlogic.weight @W_v : tensor<4x4xf64>
  nlogic.weight @W_o : tensor<4x4xf64>
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
  // Head h reads rows [2h, 2h + 2) of the shared projections.
  nlogic.rule @q0 vars(%I) aggregate sum {
    %0 = nlogic.atom @q(%I) : tensor<4xf64>
    %1 = nlogic.transform slice %0 {rows = array<i64: 0, 2>} : tensor<4xf64> -> tensor<2xf64>
    nlogic.head(%I) = %1 : tensor<2xf64>
  }
  nlogic.rule @k0 vars(%I) aggregate sum {
    %0 = nlogic.atom @k(%I) : tensor<4xf64>
    %1 = nlogic.transform slice %0 {rows = array<i64: 0, 2>} : tensor<4xf64> -> tensor<2xf64>
    nlogic.head(%I) = %1 : tensor<2xf64>
  }
  nlogic.rule @v0 vars(%I) aggregate sum {
    %0 = nlogic.atom @v(%I) : tensor<4xf64>
    %1 = nlogic.transform slice %0 {rows = array<i64: 0, 2>} : tensor<4xf64> -> tensor<2xf64>
    nlogic.head(%I) = %1 : tensor<2xf64>
  }
  nlogic.rule @q1 vars(%I) aggregate sum {
    %0 = nlogic.atom @q(%I) : tensor<4xf64>
    %1 = nlogic.transform slice %0 {rows = array<i64: 2, 4>} : tensor<4xf64> -> tensor<2xf64>
    nlogic.head(%I) = %1 : tensor<2xf64>
  }
  nlogic.rule @k1 vars(%I) aggregate sum {
    %0 = nlogic.atom @k(%I) : tensor<4xf64>
    %1 = nlogic.transform slice %0 {rows = array<i64: 2, 4>} : tensor<4xf64> -> tensor<2xf64>
    nlogic.head(%I) = %1 : tensor<2xf64>
  }
  nlogic.rule @v1 vars(%I) aggregate sum {
    %0 = nlogic.atom @v(%I) : tensor<4xf64>
    %1 = nlogic.transform slice %0 {rows = array<i64: 2, 4>} : tensor<4xf64> -> tensor<2xf64>
    nlogic.head(%I) = %1 : tensor<2xf64>
  }
  nlogic.rule @w0 vars(%I, %J) aggregate softmax over ["J"] {
    %0 = nlogic.atom @d_k() : f64
    %1 = nlogic.atom @k0(%J) transposed : tensor<1x2xf64>
    %2 = nlogic.atom @q0(%I) : tensor<2xf64>
    %3 = nlogic.combine product(%0, %1, %2)
        : (f64, tensor<1x2xf64>, tensor<2xf64>) -> tensor<1xf64>
    nlogic.head(%I, %J) = %3 : tensor<1xf64>
  }
  nlogic.rule @a0 vars(%I, %J) aggregate sum {
    %0 = nlogic.atom @w0(%I, %J) : tensor<1xf64>
    %1 = nlogic.atom @v0(%J) : tensor<2xf64>
    %2 = nlogic.combine product(%0, %1)
        : (tensor<1xf64>, tensor<2xf64>) -> tensor<2xf64>
    nlogic.head(%I) = %2 : tensor<2xf64>
  }
  nlogic.rule @w1 vars(%I, %J) aggregate softmax over ["J"] {
    %0 = nlogic.atom @d_k() : f64
    %1 = nlogic.atom @k1(%J) transposed : tensor<1x2xf64>
    %2 = nlogic.atom @q1(%I) : tensor<2xf64>
    %3 = nlogic.combine product(%0, %1, %2)
        : (f64, tensor<1x2xf64>, tensor<2xf64>) -> tensor<1xf64>
    nlogic.head(%I, %J) = %3 : tensor<1xf64>
  }
  nlogic.rule @a1 vars(%I, %J) aggregate sum {
    %0 = nlogic.atom @w1(%I, %J) : tensor<1xf64>
    %1 = nlogic.atom @v1(%J) : tensor<2xf64>
    %2 = nlogic.combine product(%0, %1)
        : (tensor<1xf64>, tensor<2xf64>) -> tensor<2xf64>
    nlogic.head(%I) = %2 : tensor<2xf64>
  }
  nlogic.rule @heads vars(%I) aggregate sum {
    %0 = nlogic.atom @a0(%I) : tensor<2xf64>
    %1 = nlogic.atom @a1(%I) : tensor<2xf64>
    %2 = nlogic.combine concat(%0, %1) : (tensor<2xf64>, tensor<2xf64>) -> tensor<4xf64>
    nlogic.head(%I) = %2 : tensor<4xf64>
  }
  nlogic.rule @attention vars(%I) aggregate sum {
    %0 = nlogic.atom @heads(%I) : tensor<4xf64>
    %1 = nlogic.weigh @W_o, %0 : tensor<4xf64> -> tensor<4xf64>
    nlogic.head(%I) = %1 : tensor<4xf64>
  }
}
