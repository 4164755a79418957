// RUN: nlogic-opt %examples/templates/encoder_block.mlir | nlogic-opt | FileCheck %s

/// The encoder block: projections, attention, skip + norm, ReLU MLP, skip +
/// norm, all shape-checked by the verifiers.

// CHECK-LABEL: nlogic.template @encoder_block
// CHECK: nlogic.rule @norm1 vars(%I) aggregate sum {
// CHECK:   %[[P:.*]] = nlogic.weigh @W_o, %{{.*}} : tensor<4xf64> -> tensor<4xf64>
// CHECK:   %[[S:.*]] = nlogic.combine sum(%[[P]], %{{.*}}) : (tensor<4xf64>, tensor<4xf64>) -> tensor<4xf64>
// CHECK:   nlogic.transform norm %[[S]] : tensor<4xf64> -> tensor<4xf64>
// CHECK: nlogic.rule @mlp1 vars(%I) aggregate sum {
// CHECK:   nlogic.weigh @W_1, %{{.*}} : tensor<4xf64> -> tensor<8xf64>
// CHECK:   nlogic.transform relu
// CHECK: nlogic.rule @norm2 vars(%I) aggregate sum {
// CHECK:   nlogic.weigh @W_2, %{{.*}} : tensor<8xf64> -> tensor<4xf64>
// CHECK:   nlogic.transform norm
