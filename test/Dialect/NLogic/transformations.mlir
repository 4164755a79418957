// RUN: nlogic-opt %s | nlogic-opt | FileCheck %s

/// Every transformation, with its parameters and result shapes.

// CHECK-LABEL: nlogic.template @transformations
nlogic.template @transformations {
  nlogic.relation @a arity 1 : tensor<3xf64>
  nlogic.relation @b arity 1 : tensor<3xf64>
  nlogic.relation @s arity 1 : f64
  nlogic.relation @m arity 1 : tensor<2x3xf64>
  nlogic.relation @t_identity arity 1 : tensor<3xf64>
  nlogic.relation @t_sigmoid arity 1 : tensor<3xf64>
  nlogic.relation @t_tanh arity 1 : tensor<3xf64>
  nlogic.relation @t_signum arity 1 : tensor<3xf64>
  nlogic.relation @t_relu arity 1 : tensor<3xf64>
  nlogic.relation @t_leaky_relu arity 1 : tensor<3xf64>
  nlogic.relation @t_lukasiewicz arity 1 : f64
  nlogic.relation @t_exp arity 1 : tensor<3xf64>
  nlogic.relation @t_sqrt arity 1 : tensor<3xf64>
  nlogic.relation @t_inverse arity 1 : tensor<3xf64>
  nlogic.relation @t_reverse arity 1 : tensor<3xf64>
  nlogic.relation @t_log arity 1 : tensor<3xf64>
  nlogic.relation @t_transpose arity 1 : tensor<3x2xf64>
  nlogic.relation @t_softmax arity 1 : tensor<3xf64>
  nlogic.relation @t_sparsemax arity 1 : tensor<3xf64>
  nlogic.relation @t_norm arity 1 : tensor<3xf64>
  nlogic.relation @t_slice arity 1 : tensor<1x2xf64>
  nlogic.relation @t_reshape arity 1 : tensor<3x2xf64>
  nlogic.relation @t_transpose_vector arity 1 : tensor<1x3xf64>
  // CHECK: nlogic.transform identity %{{.*}} : tensor<3xf64> -> tensor<3xf64>
  nlogic.rule @t_identity vars(%X) {
    %a = nlogic.atom @a(%X) : tensor<3xf64>
    %b = nlogic.atom @b(%X) : tensor<3xf64>
    %s = nlogic.atom @s(%X) : f64
    %m = nlogic.atom @m(%X) : tensor<2x3xf64>
    %r = nlogic.transform identity %a : tensor<3xf64> -> tensor<3xf64>
    nlogic.head(%X) = %r : tensor<3xf64>
  }
  // CHECK: nlogic.transform sigmoid %{{.*}} : tensor<3xf64> -> tensor<3xf64>
  nlogic.rule @t_sigmoid vars(%X) {
    %a = nlogic.atom @a(%X) : tensor<3xf64>
    %b = nlogic.atom @b(%X) : tensor<3xf64>
    %s = nlogic.atom @s(%X) : f64
    %m = nlogic.atom @m(%X) : tensor<2x3xf64>
    %r = nlogic.transform sigmoid %a : tensor<3xf64> -> tensor<3xf64>
    nlogic.head(%X) = %r : tensor<3xf64>
  }
  // CHECK: nlogic.transform tanh %{{.*}} : tensor<3xf64> -> tensor<3xf64>
  nlogic.rule @t_tanh vars(%X) {
    %a = nlogic.atom @a(%X) : tensor<3xf64>
    %b = nlogic.atom @b(%X) : tensor<3xf64>
    %s = nlogic.atom @s(%X) : f64
    %m = nlogic.atom @m(%X) : tensor<2x3xf64>
    %r = nlogic.transform tanh %a : tensor<3xf64> -> tensor<3xf64>
    nlogic.head(%X) = %r : tensor<3xf64>
  }
  // CHECK: nlogic.transform signum %{{.*}} : tensor<3xf64> -> tensor<3xf64>
  nlogic.rule @t_signum vars(%X) {
    %a = nlogic.atom @a(%X) : tensor<3xf64>
    %b = nlogic.atom @b(%X) : tensor<3xf64>
    %s = nlogic.atom @s(%X) : f64
    %m = nlogic.atom @m(%X) : tensor<2x3xf64>
    %r = nlogic.transform signum %a : tensor<3xf64> -> tensor<3xf64>
    nlogic.head(%X) = %r : tensor<3xf64>
  }
  // CHECK: nlogic.transform relu %{{.*}} : tensor<3xf64> -> tensor<3xf64>
  nlogic.rule @t_relu vars(%X) {
    %a = nlogic.atom @a(%X) : tensor<3xf64>
    %b = nlogic.atom @b(%X) : tensor<3xf64>
    %s = nlogic.atom @s(%X) : f64
    %m = nlogic.atom @m(%X) : tensor<2x3xf64>
    %r = nlogic.transform relu %a : tensor<3xf64> -> tensor<3xf64>
    nlogic.head(%X) = %r : tensor<3xf64>
  }
  // CHECK: nlogic.transform leaky_relu %{{.*}} {alpha = 2.000000e-01 : f64} : tensor<3xf64> -> tensor<3xf64>
  nlogic.rule @t_leaky_relu vars(%X) {
    %a = nlogic.atom @a(%X) : tensor<3xf64>
    %b = nlogic.atom @b(%X) : tensor<3xf64>
    %s = nlogic.atom @s(%X) : f64
    %m = nlogic.atom @m(%X) : tensor<2x3xf64>
    %r = nlogic.transform leaky_relu %a {alpha = 2.000000e-01 : f64} : tensor<3xf64> -> tensor<3xf64>
    nlogic.head(%X) = %r : tensor<3xf64>
  }
  // CHECK: nlogic.transform lukasiewicz %{{.*}} : f64 -> f64
  nlogic.rule @t_lukasiewicz vars(%X) {
    %a = nlogic.atom @a(%X) : tensor<3xf64>
    %b = nlogic.atom @b(%X) : tensor<3xf64>
    %s = nlogic.atom @s(%X) : f64
    %m = nlogic.atom @m(%X) : tensor<2x3xf64>
    %r = nlogic.transform lukasiewicz %s : f64 -> f64
    nlogic.head(%X) = %r : f64
  }
  // CHECK: nlogic.transform exp %{{.*}} : tensor<3xf64> -> tensor<3xf64>
  nlogic.rule @t_exp vars(%X) {
    %a = nlogic.atom @a(%X) : tensor<3xf64>
    %b = nlogic.atom @b(%X) : tensor<3xf64>
    %s = nlogic.atom @s(%X) : f64
    %m = nlogic.atom @m(%X) : tensor<2x3xf64>
    %r = nlogic.transform exp %a : tensor<3xf64> -> tensor<3xf64>
    nlogic.head(%X) = %r : tensor<3xf64>
  }
  // CHECK: nlogic.transform sqrt %{{.*}} : tensor<3xf64> -> tensor<3xf64>
  nlogic.rule @t_sqrt vars(%X) {
    %a = nlogic.atom @a(%X) : tensor<3xf64>
    %b = nlogic.atom @b(%X) : tensor<3xf64>
    %s = nlogic.atom @s(%X) : f64
    %m = nlogic.atom @m(%X) : tensor<2x3xf64>
    %r = nlogic.transform sqrt %a : tensor<3xf64> -> tensor<3xf64>
    nlogic.head(%X) = %r : tensor<3xf64>
  }
  // CHECK: nlogic.transform inverse %{{.*}} : tensor<3xf64> -> tensor<3xf64>
  nlogic.rule @t_inverse vars(%X) {
    %a = nlogic.atom @a(%X) : tensor<3xf64>
    %b = nlogic.atom @b(%X) : tensor<3xf64>
    %s = nlogic.atom @s(%X) : f64
    %m = nlogic.atom @m(%X) : tensor<2x3xf64>
    %r = nlogic.transform inverse %a : tensor<3xf64> -> tensor<3xf64>
    nlogic.head(%X) = %r : tensor<3xf64>
  }
  // CHECK: nlogic.transform reverse %{{.*}} : tensor<3xf64> -> tensor<3xf64>
  nlogic.rule @t_reverse vars(%X) {
    %a = nlogic.atom @a(%X) : tensor<3xf64>
    %b = nlogic.atom @b(%X) : tensor<3xf64>
    %s = nlogic.atom @s(%X) : f64
    %m = nlogic.atom @m(%X) : tensor<2x3xf64>
    %r = nlogic.transform reverse %a : tensor<3xf64> -> tensor<3xf64>
    nlogic.head(%X) = %r : tensor<3xf64>
  }
  // CHECK: nlogic.transform log %{{.*}} : tensor<3xf64> -> tensor<3xf64>
  nlogic.rule @t_log vars(%X) {
    %a = nlogic.atom @a(%X) : tensor<3xf64>
    %b = nlogic.atom @b(%X) : tensor<3xf64>
    %s = nlogic.atom @s(%X) : f64
    %m = nlogic.atom @m(%X) : tensor<2x3xf64>
    %r = nlogic.transform log %a : tensor<3xf64> -> tensor<3xf64>
    nlogic.head(%X) = %r : tensor<3xf64>
  }
  // CHECK: nlogic.transform transpose %{{.*}} : tensor<2x3xf64> -> tensor<3x2xf64>
  nlogic.rule @t_transpose vars(%X) {
    %a = nlogic.atom @a(%X) : tensor<3xf64>
    %b = nlogic.atom @b(%X) : tensor<3xf64>
    %s = nlogic.atom @s(%X) : f64
    %m = nlogic.atom @m(%X) : tensor<2x3xf64>
    %r = nlogic.transform transpose %m : tensor<2x3xf64> -> tensor<3x2xf64>
    nlogic.head(%X) = %r : tensor<3x2xf64>
  }
  // CHECK: nlogic.transform softmax %{{.*}} : tensor<3xf64> -> tensor<3xf64>
  nlogic.rule @t_softmax vars(%X) {
    %a = nlogic.atom @a(%X) : tensor<3xf64>
    %b = nlogic.atom @b(%X) : tensor<3xf64>
    %s = nlogic.atom @s(%X) : f64
    %m = nlogic.atom @m(%X) : tensor<2x3xf64>
    %r = nlogic.transform softmax %a : tensor<3xf64> -> tensor<3xf64>
    nlogic.head(%X) = %r : tensor<3xf64>
  }
  // CHECK: nlogic.transform sparsemax %{{.*}} : tensor<3xf64> -> tensor<3xf64>
  nlogic.rule @t_sparsemax vars(%X) {
    %a = nlogic.atom @a(%X) : tensor<3xf64>
    %b = nlogic.atom @b(%X) : tensor<3xf64>
    %s = nlogic.atom @s(%X) : f64
    %m = nlogic.atom @m(%X) : tensor<2x3xf64>
    %r = nlogic.transform sparsemax %a : tensor<3xf64> -> tensor<3xf64>
    nlogic.head(%X) = %r : tensor<3xf64>
  }
  // CHECK: nlogic.transform norm %{{.*}} : tensor<3xf64> -> tensor<3xf64>
  nlogic.rule @t_norm vars(%X) {
    %a = nlogic.atom @a(%X) : tensor<3xf64>
    %b = nlogic.atom @b(%X) : tensor<3xf64>
    %s = nlogic.atom @s(%X) : f64
    %m = nlogic.atom @m(%X) : tensor<2x3xf64>
    %r = nlogic.transform norm %a : tensor<3xf64> -> tensor<3xf64>
    nlogic.head(%X) = %r : tensor<3xf64>
  }
  // CHECK: nlogic.transform slice %{{.*}} {cols = array<i64: 1, 3>, rows = array<i64: 0, 1>} : tensor<2x3xf64> -> tensor<1x2xf64>
  nlogic.rule @t_slice vars(%X) {
    %a = nlogic.atom @a(%X) : tensor<3xf64>
    %b = nlogic.atom @b(%X) : tensor<3xf64>
    %s = nlogic.atom @s(%X) : f64
    %m = nlogic.atom @m(%X) : tensor<2x3xf64>
    %r = nlogic.transform slice %m {cols = array<i64: 1, 3>, rows = array<i64: 0, 1>} : tensor<2x3xf64> -> tensor<1x2xf64>
    nlogic.head(%X) = %r : tensor<1x2xf64>
  }
  // CHECK: nlogic.transform reshape %{{.*}} {shape = array<i64: 3, 2>} : tensor<2x3xf64> -> tensor<3x2xf64>
  nlogic.rule @t_reshape vars(%X) {
    %a = nlogic.atom @a(%X) : tensor<3xf64>
    %b = nlogic.atom @b(%X) : tensor<3xf64>
    %s = nlogic.atom @s(%X) : f64
    %m = nlogic.atom @m(%X) : tensor<2x3xf64>
    %r = nlogic.transform reshape %m {shape = array<i64: 3, 2>} : tensor<2x3xf64> -> tensor<3x2xf64>
    nlogic.head(%X) = %r : tensor<3x2xf64>
  }
  // CHECK: nlogic.transform transpose %{{.*}} : tensor<3xf64> -> tensor<1x3xf64>
  nlogic.rule @t_transpose_vector vars(%X) {
    %a = nlogic.atom @a(%X) : tensor<3xf64>
    %b = nlogic.atom @b(%X) : tensor<3xf64>
    %s = nlogic.atom @s(%X) : f64
    %m = nlogic.atom @m(%X) : tensor<2x3xf64>
    %r = nlogic.transform transpose %a : tensor<3xf64> -> tensor<1x3xf64>
    nlogic.head(%X) = %r : tensor<1x3xf64>
  }
}
