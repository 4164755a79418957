// RUN: nlogic-opt %s | nlogic-opt | FileCheck %s

/// Every combination function, with the shape its verifier accepts.

// CHECK-LABEL: nlogic.template @combinations
nlogic.template @combinations {
  nlogic.relation @a arity 1 : tensor<3xf64>
  nlogic.relation @b arity 1 : tensor<3xf64>
  nlogic.relation @s arity 1 : f64
  nlogic.relation @m arity 1 : tensor<2x3xf64>
  nlogic.relation @c_sum arity 1 : tensor<3xf64>
  nlogic.relation @c_avg arity 1 : tensor<3xf64>
  nlogic.relation @c_max arity 1 : tensor<3xf64>
  nlogic.relation @c_min arity 1 : tensor<3xf64>
  nlogic.relation @c_elproduct arity 1 : tensor<3xf64>
  nlogic.relation @c_product arity 1 : tensor<2xf64>
  nlogic.relation @c_count arity 1 : f64
  nlogic.relation @c_concat arity 1 : tensor<4xf64>
  nlogic.relation @c_crosssum arity 1 : tensor<9xf64>
  nlogic.relation @c_cossim arity 1 : f64
  nlogic.relation @c_softmax arity 1 : tensor<3xf64>
  nlogic.relation @c_sparsemax arity 1 : tensor<2xf64>
  nlogic.relation @c_concat_axis arity 1 : tensor<2x6xf64>
  // CHECK: nlogic.combine sum(%{{.*}}, %{{.*}}) : (tensor<3xf64>, tensor<3xf64>) -> tensor<3xf64>
  nlogic.rule @c_sum vars(%X) {
    %a = nlogic.atom @a(%X) : tensor<3xf64>
    %b = nlogic.atom @b(%X) : tensor<3xf64>
    %s = nlogic.atom @s(%X) : f64
    %m = nlogic.atom @m(%X) : tensor<2x3xf64>
    %r = nlogic.combine sum(%a, %b) : (tensor<3xf64>, tensor<3xf64>) -> tensor<3xf64>
    nlogic.head(%X) = %r : tensor<3xf64>
  }
  // CHECK: nlogic.combine avg(%{{.*}}, %{{.*}}, %{{.*}}) : (tensor<3xf64>, tensor<3xf64>, f64) -> tensor<3xf64>
  nlogic.rule @c_avg vars(%X) {
    %a = nlogic.atom @a(%X) : tensor<3xf64>
    %b = nlogic.atom @b(%X) : tensor<3xf64>
    %s = nlogic.atom @s(%X) : f64
    %m = nlogic.atom @m(%X) : tensor<2x3xf64>
    %r = nlogic.combine avg(%a, %b, %s) : (tensor<3xf64>, tensor<3xf64>, f64) -> tensor<3xf64>
    nlogic.head(%X) = %r : tensor<3xf64>
  }
  // CHECK: nlogic.combine max(%{{.*}}, %{{.*}}) : (tensor<3xf64>, tensor<3xf64>) -> tensor<3xf64>
  nlogic.rule @c_max vars(%X) {
    %a = nlogic.atom @a(%X) : tensor<3xf64>
    %b = nlogic.atom @b(%X) : tensor<3xf64>
    %s = nlogic.atom @s(%X) : f64
    %m = nlogic.atom @m(%X) : tensor<2x3xf64>
    %r = nlogic.combine max(%a, %b) : (tensor<3xf64>, tensor<3xf64>) -> tensor<3xf64>
    nlogic.head(%X) = %r : tensor<3xf64>
  }
  // CHECK: nlogic.combine min(%{{.*}}, %{{.*}}) : (tensor<3xf64>, tensor<3xf64>) -> tensor<3xf64>
  nlogic.rule @c_min vars(%X) {
    %a = nlogic.atom @a(%X) : tensor<3xf64>
    %b = nlogic.atom @b(%X) : tensor<3xf64>
    %s = nlogic.atom @s(%X) : f64
    %m = nlogic.atom @m(%X) : tensor<2x3xf64>
    %r = nlogic.combine min(%a, %b) : (tensor<3xf64>, tensor<3xf64>) -> tensor<3xf64>
    nlogic.head(%X) = %r : tensor<3xf64>
  }
  // CHECK: nlogic.combine elproduct(%{{.*}}, %{{.*}}) : (tensor<3xf64>, tensor<3xf64>) -> tensor<3xf64>
  nlogic.rule @c_elproduct vars(%X) {
    %a = nlogic.atom @a(%X) : tensor<3xf64>
    %b = nlogic.atom @b(%X) : tensor<3xf64>
    %s = nlogic.atom @s(%X) : f64
    %m = nlogic.atom @m(%X) : tensor<2x3xf64>
    %r = nlogic.combine elproduct(%a, %b) : (tensor<3xf64>, tensor<3xf64>) -> tensor<3xf64>
    nlogic.head(%X) = %r : tensor<3xf64>
  }
  // CHECK: nlogic.combine product(%{{.*}}, %{{.*}}) : (tensor<2x3xf64>, tensor<3xf64>) -> tensor<2xf64>
  nlogic.rule @c_product vars(%X) {
    %a = nlogic.atom @a(%X) : tensor<3xf64>
    %b = nlogic.atom @b(%X) : tensor<3xf64>
    %s = nlogic.atom @s(%X) : f64
    %m = nlogic.atom @m(%X) : tensor<2x3xf64>
    %r = nlogic.combine product(%m, %a) : (tensor<2x3xf64>, tensor<3xf64>) -> tensor<2xf64>
    nlogic.head(%X) = %r : tensor<2xf64>
  }
  // CHECK: nlogic.combine count(%{{.*}}, %{{.*}}, %{{.*}}) : (tensor<3xf64>, tensor<3xf64>, f64) -> f64
  nlogic.rule @c_count vars(%X) {
    %a = nlogic.atom @a(%X) : tensor<3xf64>
    %b = nlogic.atom @b(%X) : tensor<3xf64>
    %s = nlogic.atom @s(%X) : f64
    %m = nlogic.atom @m(%X) : tensor<2x3xf64>
    %r = nlogic.combine count(%a, %b, %s) : (tensor<3xf64>, tensor<3xf64>, f64) -> f64
    nlogic.head(%X) = %r : f64
  }
  // CHECK: nlogic.combine concat(%{{.*}}, %{{.*}}) : (tensor<3xf64>, f64) -> tensor<4xf64>
  nlogic.rule @c_concat vars(%X) {
    %a = nlogic.atom @a(%X) : tensor<3xf64>
    %b = nlogic.atom @b(%X) : tensor<3xf64>
    %s = nlogic.atom @s(%X) : f64
    %m = nlogic.atom @m(%X) : tensor<2x3xf64>
    %r = nlogic.combine concat(%a, %s) : (tensor<3xf64>, f64) -> tensor<4xf64>
    nlogic.head(%X) = %r : tensor<4xf64>
  }
  // CHECK: nlogic.combine crosssum(%{{.*}}, %{{.*}}, %{{.*}}) : (tensor<3xf64>, f64, tensor<3xf64>) -> tensor<9xf64>
  nlogic.rule @c_crosssum vars(%X) {
    %a = nlogic.atom @a(%X) : tensor<3xf64>
    %b = nlogic.atom @b(%X) : tensor<3xf64>
    %s = nlogic.atom @s(%X) : f64
    %m = nlogic.atom @m(%X) : tensor<2x3xf64>
    %r = nlogic.combine crosssum(%a, %s, %b) : (tensor<3xf64>, f64, tensor<3xf64>) -> tensor<9xf64>
    nlogic.head(%X) = %r : tensor<9xf64>
  }
  // CHECK: nlogic.combine cossim(%{{.*}}, %{{.*}}) : (tensor<3xf64>, tensor<3xf64>) -> f64
  nlogic.rule @c_cossim vars(%X) {
    %a = nlogic.atom @a(%X) : tensor<3xf64>
    %b = nlogic.atom @b(%X) : tensor<3xf64>
    %s = nlogic.atom @s(%X) : f64
    %m = nlogic.atom @m(%X) : tensor<2x3xf64>
    %r = nlogic.combine cossim(%a, %b) : (tensor<3xf64>, tensor<3xf64>) -> f64
    nlogic.head(%X) = %r : f64
  }
  // CHECK: nlogic.combine softmax(%{{.*}}, %{{.*}}, %{{.*}}) : (f64, f64, f64) -> tensor<3xf64>
  nlogic.rule @c_softmax vars(%X) {
    %a = nlogic.atom @a(%X) : tensor<3xf64>
    %b = nlogic.atom @b(%X) : tensor<3xf64>
    %s = nlogic.atom @s(%X) : f64
    %m = nlogic.atom @m(%X) : tensor<2x3xf64>
    %r = nlogic.combine softmax(%s, %s, %s) : (f64, f64, f64) -> tensor<3xf64>
    nlogic.head(%X) = %r : tensor<3xf64>
  }
  // CHECK: nlogic.combine sparsemax(%{{.*}}, %{{.*}}) : (f64, f64) -> tensor<2xf64>
  nlogic.rule @c_sparsemax vars(%X) {
    %a = nlogic.atom @a(%X) : tensor<3xf64>
    %b = nlogic.atom @b(%X) : tensor<3xf64>
    %s = nlogic.atom @s(%X) : f64
    %m = nlogic.atom @m(%X) : tensor<2x3xf64>
    %r = nlogic.combine sparsemax(%s, %s) : (f64, f64) -> tensor<2xf64>
    nlogic.head(%X) = %r : tensor<2xf64>
  }
  // CHECK: nlogic.combine concat(%{{.*}}, %{{.*}}) {axis = 1 : i64} : (tensor<2x3xf64>, tensor<2x3xf64>) -> tensor<2x6xf64>
  nlogic.rule @c_concat_axis vars(%X) {
    %a = nlogic.atom @a(%X) : tensor<3xf64>
    %b = nlogic.atom @b(%X) : tensor<3xf64>
    %s = nlogic.atom @s(%X) : f64
    %m = nlogic.atom @m(%X) : tensor<2x3xf64>
    %r = nlogic.combine concat(%m, %m) {axis = 1 : i64} : (tensor<2x3xf64>, tensor<2x3xf64>) -> tensor<2x6xf64>
    nlogic.head(%X) = %r : tensor<2x6xf64>
  }
}
