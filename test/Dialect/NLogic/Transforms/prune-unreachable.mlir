// RUN: nlogic-opt %s --nlogic-prune-unreachable=queries=predict | FileCheck %s
// RUN: nlogic-opt %s --nlogic-prune-unreachable | FileCheck %s --check-prefix=FROMQUERY

/// Only what the query relation depends on survives.

// CHECK-LABEL: nlogic.template @t
// CHECK-NOT: @unused
// CHECK-NOT: @w_unused
// CHECK: nlogic.relation @emb
// CHECK: nlogic.relation @atom
// CHECK: nlogic.relation @predict
// CHECK: nlogic.weight @w_head
// CHECK: nlogic.weight @w_emb
// CHECK: nlogic.rule @emb
// CHECK: nlogic.rule @predict
// CHECK-NOT: nlogic.rule
// FROMQUERY-LABEL: nlogic.template @t
// FROMQUERY: nlogic.relation @predict
// FROMQUERY-NOT: nlogic.rule @unused
nlogic.template @t {
  nlogic.relation @emb arity 1 : tensor<3xf64>
  nlogic.relation @atom arity 1 : tensor<*xf64>
  nlogic.relation @unused arity 1 : tensor<3xf64> offset @w_off
  nlogic.relation @predict arity 0 : tensor<1xf64>
  nlogic.weight @w_head : tensor<1x3xf64>
  nlogic.weight @w_emb : tensor<3xf64>
  nlogic.weight @w_unused : tensor<3x3xf64>
  nlogic.weight @w_off : tensor<3xf64>
  nlogic.fact @unused("a") weight @w_emb
  nlogic.rule @emb vars(%X) aggregate avg {
    %0 = nlogic.atom @atom(%X) : tensor<*xf64>
    %1 = nlogic.weigh @w_emb, %0 : tensor<*xf64> -> tensor<3xf64>
    nlogic.head(%X) = %1 : tensor<3xf64>
  }
  nlogic.rule @unused vars(%X) aggregate avg {
    %0 = nlogic.atom @emb(%X) : tensor<3xf64>
    %1 = nlogic.weigh @w_unused, %0 : tensor<3xf64> -> tensor<3xf64>
    nlogic.head(%X) = %1 : tensor<3xf64>
  }
  nlogic.rule @predict vars(%X) aggregate avg weight @w_head {
    %0 = nlogic.atom @emb(%X) : tensor<3xf64>
    nlogic.head() = %0 : tensor<3xf64>
  }
  nlogic.sample "s" {
    nlogic.query @predict()
  }
}

