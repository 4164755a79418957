// A transformer encoder block as nlogic IR (width 4, MLP width 8).
//
//   q(I) :- W_q x(I).   k(I) :- W_k x(I).   v(I) :- W_v x(I).
//   weights(I, J) :- d_k, k(J)^T, q(I).        | product, softmax over J
//   attention(I)  :- weights(I, J), v(J).      | product, sum
//   norm1(I) :- W_o attention(I), x(I).        | sum, norm   (skip + norm)
//   mlp1(I)  :- W_1 norm1(I).                  | relu
//   norm2(I) :- W_2 mlp1(I), norm1(I).         | sum, norm   (skip + norm)
nlogic.template @encoder_block {
  nlogic.relation @x arity 1 : tensor<4xf64>
  nlogic.relation @d_k arity 0 : f64
  nlogic.relation @q arity 1 : tensor<4xf64> transform identity combine sum
  nlogic.relation @k arity 1 : tensor<4xf64> transform identity combine sum
  nlogic.relation @v arity 1 : tensor<4xf64> transform identity combine sum
  nlogic.relation @weights arity 2 : tensor<1xf64> transform identity combine sum
  nlogic.relation @attention arity 1 : tensor<4xf64> transform identity combine sum
  nlogic.relation @norm1 arity 1 : tensor<4xf64> transform identity combine sum
  nlogic.relation @mlp1 arity 1 : tensor<8xf64> transform identity combine sum
  nlogic.relation @norm2 arity 1 : tensor<4xf64> transform identity combine sum
  nlogic.weight @W_q : tensor<4x4xf64> init glorot
  nlogic.weight @W_k : tensor<4x4xf64> init glorot
  nlogic.weight @W_v : tensor<4x4xf64> init glorot
  nlogic.weight @W_o : tensor<4x4xf64> init glorot
  nlogic.weight @W_1 : tensor<8x4xf64> init he
  nlogic.weight @W_2 : tensor<4x8xf64> init glorot
  nlogic.weight @inv_sqrt_d : f64 = dense<0.5> : tensor<f64> fixed
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
  // Skip connection and layer norm.
  nlogic.rule @norm1 vars(%I) aggregate sum {
    %0 = nlogic.atom @attention(%I) : tensor<4xf64>
    %1 = nlogic.weigh @W_o, %0 : tensor<4xf64> -> tensor<4xf64>
    %2 = nlogic.atom @x(%I) : tensor<4xf64>
    %3 = nlogic.combine sum(%1, %2)
        : (tensor<4xf64>, tensor<4xf64>) -> tensor<4xf64>
    %4 = nlogic.transform norm %3 : tensor<4xf64> -> tensor<4xf64>
    nlogic.head(%I) = %4 : tensor<4xf64>
  }
  // Two-layer ReLU MLP, second skip connection and norm.
  nlogic.rule @mlp1 vars(%I) aggregate sum {
    %0 = nlogic.atom @norm1(%I) : tensor<4xf64>
    %1 = nlogic.weigh @W_1, %0 : tensor<4xf64> -> tensor<8xf64>
    %2 = nlogic.transform relu %1 : tensor<8xf64> -> tensor<8xf64>
    nlogic.head(%I) = %2 : tensor<8xf64>
  }
  nlogic.rule @norm2 vars(%I) aggregate sum {
    %0 = nlogic.atom @mlp1(%I) : tensor<8xf64>
    %1 = nlogic.weigh @W_2, %0 : tensor<8xf64> -> tensor<4xf64>
    %2 = nlogic.atom @norm1(%I) : tensor<4xf64>
    %3 = nlogic.combine sum(%1, %2)
        : (tensor<4xf64>, tensor<4xf64>) -> tensor<4xf64>
    %4 = nlogic.transform norm %3 : tensor<4xf64> -> tensor<4xf64>
    nlogic.head(%I) = %4 : tensor<4xf64>
  }
}
