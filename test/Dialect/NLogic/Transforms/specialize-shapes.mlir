// RUN: nlogic-opt %s --split-input-file --pass-pipeline='builtin.module(nlogic.template(nlogic-specialize-shapes{shapes=x=4,edge=scalar}))' | FileCheck %s

// A data relation's shape flows through weighings, combinations,
// transformations and the head weight into every derived relation.
// CHECK-LABEL: nlogic.template @gnn
// CHECK: nlogic.relation @x arity 1 : tensor<4xf64>
// CHECK: nlogic.relation @edge arity 2 hidden : f64
// CHECK: nlogic.relation @h arity 1 : tensor<3xf64>
// CHECK: nlogic.relation @out arity 0 : tensor<1xf64>
// CHECK: %[[X:.*]] = nlogic.atom @x(%J) : tensor<4xf64>
// CHECK: nlogic.weigh @w, %[[X]] : tensor<4xf64> -> tensor<3xf64>
// CHECK: nlogic.combine sum({{.*}}) : (tensor<3xf64>, f64) -> tensor<3xf64>
// CHECK: nlogic.transform tanh {{.*}} : tensor<3xf64> -> tensor<3xf64>
// CHECK: nlogic.atom @h(%I) : tensor<3xf64>
// CHECK: nlogic.atom @h(%I) transposed : tensor<1x3xf64>
nlogic.template @gnn {
  nlogic.relation @x arity 1 : tensor<*xf64>
  nlogic.relation @edge arity 2 hidden : tensor<*xf64>
  nlogic.relation @h arity 1 : tensor<*xf64>
  nlogic.relation @out arity 0 : tensor<*xf64>
  nlogic.weight @w : tensor<3x4xf64>
  nlogic.weight @b : f64
  nlogic.weight @v : tensor<1x3xf64>
  nlogic.rule @h vars(%I, %J) aggregate avg {
    %0 = nlogic.atom @x(%J) : tensor<*xf64>
    %1 = nlogic.weigh @w, %0 : tensor<*xf64> -> tensor<*xf64>
    %2 = nlogic.atom @edge(%J, %I) : tensor<*xf64>
    %3 = nlogic.combine sum(%1, %2) : (tensor<*xf64>, tensor<*xf64>) -> tensor<*xf64>
    %4 = nlogic.transform tanh %3 : tensor<*xf64> -> tensor<*xf64>
    nlogic.head(%I) = %4 : tensor<*xf64>
  }
  nlogic.rule @out vars(%I) aggregate sum {
    %0 = nlogic.atom @h(%I) : tensor<*xf64>
    %1 = nlogic.weigh @v, %0 : tensor<*xf64> -> tensor<*xf64>
    %2 = nlogic.atom @h(%I) transposed : tensor<*xf64>
    nlogic.head() = %1 : tensor<*xf64>
  }
}

// -----

// A count is a scalar whatever it counts; relations only joined keep the
// scalar default.
// CHECK-LABEL: nlogic.template @count
// CHECK: nlogic.relation @edge arity 2 : f64
// CHECK: nlogic.relation @degree arity 1 : tensor<2xf64>
nlogic.template @count {
  nlogic.relation @x arity 1 : tensor<*xf64>
  nlogic.relation @edge arity 2 : tensor<*xf64>
  nlogic.relation @degree arity 1 : tensor<*xf64>
  nlogic.weight @w : tensor<2xf64>
  nlogic.rule @degree vars(%I, %J) aggregate count weight @w {
    %0 = nlogic.atom @x(%J) : tensor<*xf64>
    %1 = nlogic.atom @edge(%J, %I) : tensor<*xf64>
    nlogic.head(%I) = %0 : tensor<*xf64>
  }
}
