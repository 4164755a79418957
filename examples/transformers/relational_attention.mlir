// Relational attention on a graph with edge embeddings, as nlogic IR (the
// twin of relational_attention.txt). Nodes carry 4-wide h(I), edges J -> I
// 3-wide e(J, I); attention runs only along edges, and keys and values mix
// the sender's state with the edge's:
//
//   q(I)          :- W_q h(I).
//   k(J, I)       :- W_k h(J), W_e e(J, I).
//   v(J, I)       :- W_v h(J), W_f e(J, I).
//   weights(I, J) :- d_k, k(J, I)^T, q(I).   | product, softmax over J
//   attention(I)  :- weights(I, J), v(J, I). | product, sum
nlogic.template @relational_attention {
  nlogic.relation @h arity 1 : tensor<4xf64>
  nlogic.relation @e arity 2 : tensor<3xf64>
  nlogic.relation @d_k arity 0 : f64
  nlogic.relation @q arity 1 : tensor<4xf64> transform identity combine sum
  nlogic.relation @k arity 2 : tensor<4xf64> transform identity combine sum
  nlogic.relation @v arity 2 : tensor<4xf64> transform identity combine sum
  nlogic.relation @weights arity 2 : tensor<1xf64> transform identity combine sum
  nlogic.relation @attention arity 1 : tensor<4xf64> transform identity combine sum
  nlogic.weight @inv_sqrt_d : f64 = dense<0.5> : tensor<f64> fixed
  nlogic.weight @W_q : tensor<4x4xf64>
  nlogic.weight @W_k : tensor<4x4xf64>
  nlogic.weight @W_e : tensor<4x3xf64>
  nlogic.weight @W_v : tensor<4x4xf64>
  nlogic.weight @W_f : tensor<4x3xf64>
  nlogic.fact @d_k() weight @inv_sqrt_d

  nlogic.rule @q vars(%I) aggregate sum {
    %0 = nlogic.atom @h(%I) : tensor<4xf64>
    %1 = nlogic.weigh @W_q, %0 : tensor<4xf64> -> tensor<4xf64>
    nlogic.head(%I) = %1 : tensor<4xf64>
  }
  nlogic.rule @k vars(%J, %I) aggregate sum {
    %0 = nlogic.atom @h(%J) : tensor<4xf64>
    %1 = nlogic.weigh @W_k, %0 : tensor<4xf64> -> tensor<4xf64>
    %2 = nlogic.atom @e(%J, %I) : tensor<3xf64>
    %3 = nlogic.weigh @W_e, %2 : tensor<3xf64> -> tensor<4xf64>
    %4 = nlogic.combine sum(%1, %3) : (tensor<4xf64>, tensor<4xf64>) -> tensor<4xf64>
    nlogic.head(%J, %I) = %4 : tensor<4xf64>
  }
  nlogic.rule @v vars(%J, %I) aggregate sum {
    %0 = nlogic.atom @h(%J) : tensor<4xf64>
    %1 = nlogic.weigh @W_v, %0 : tensor<4xf64> -> tensor<4xf64>
    %2 = nlogic.atom @e(%J, %I) : tensor<3xf64>
    %3 = nlogic.weigh @W_f, %2 : tensor<3xf64> -> tensor<4xf64>
    %4 = nlogic.combine sum(%1, %3) : (tensor<4xf64>, tensor<4xf64>) -> tensor<4xf64>
    nlogic.head(%J, %I) = %4 : tensor<4xf64>
  }
  nlogic.rule @weights vars(%I, %J) aggregate softmax over ["J"] {
    %0 = nlogic.atom @d_k() : f64
    %1 = nlogic.atom @k(%J, %I) transposed : tensor<1x4xf64>
    %2 = nlogic.atom @q(%I) : tensor<4xf64>
    %3 = nlogic.combine product(%0, %1, %2)
        : (f64, tensor<1x4xf64>, tensor<4xf64>) -> tensor<1xf64>
    nlogic.head(%I, %J) = %3 : tensor<1xf64>
  }
  nlogic.rule @attention vars(%I, %J) aggregate sum {
    %0 = nlogic.atom @weights(%I, %J) : tensor<1xf64>
    %1 = nlogic.atom @v(%J, %I) : tensor<4xf64>
    %2 = nlogic.combine product(%0, %1)
        : (tensor<1xf64>, tensor<4xf64>) -> tensor<4xf64>
    nlogic.head(%I) = %2 : tensor<4xf64>
  }
}
