// RUN: nlogic-opt %examples/templates/causal_attention.mlir | FileCheck %s
// RUN: nlogic-opt %examples/templates/causal_attention.mlir --nlogic-stratify | FileCheck %s --check-prefix=STRATA

/// The seed article's causal attention verifies and prints as written: the
/// mask is a constraint of the join, not a value.

// CHECK-LABEL: nlogic.template @causal_attention
// CHECK: nlogic.rule @weights vars(%I, %J) aggregate softmax over ["J"] {
// CHECK-NEXT:   %[[DK:.*]] = nlogic.atom @d_k() : f64
// CHECK-NEXT:   %[[K:.*]] = nlogic.atom @k(%J) transposed : tensor<1x4xf64>
// CHECK-NEXT:   %[[Q:.*]] = nlogic.atom @q(%I) : tensor<4xf64>
// CHECK-NEXT:   nlogic.constrain leq(%J, %I)
// CHECK-NEXT:   %[[S:.*]] = nlogic.combine product(%[[DK]], %[[K]], %[[Q]]) : (f64, tensor<1x4xf64>, tensor<4xf64>) -> tensor<1xf64>
// CHECK-NEXT:   nlogic.head(%I, %J) = %[[S]] : tensor<1xf64>
// CHECK: nlogic.rule @attention vars(%I, %J) aggregate sum {
// CHECK:   nlogic.combine product

/// Strata: everything is positive, so one stratum; q/k/v come before the
/// weights that read them, and attention last.
// STRATA: nlogic.relation @attention arity 1 {{.*}}{nlogic.stratum = 0 : i64}
// STRATA: nlogic.rule @q
// STRATA: nlogic.rule @k
// STRATA: nlogic.rule @v
// STRATA: nlogic.rule @weights
// STRATA: nlogic.rule @attention
