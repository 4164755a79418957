// RUN: nlogic-opt %s | nlogic-opt | FileCheck %s

/// Weight declarations: shapes, initial values, initialisers, fixed.

// CHECK-LABEL: nlogic.template @weights
nlogic.template @weights {
  // CHECK: nlogic.weight @w_uniform : tensor<2x3xf64> init uniform
  nlogic.weight @w_uniform : tensor<2x3xf64> init uniform
  // CHECK: nlogic.weight @w_normal : tensor<2x3xf64> init normal
  nlogic.weight @w_normal : tensor<2x3xf64> init normal
  // CHECK: nlogic.weight @w_glorot : tensor<2x3xf64> init glorot
  nlogic.weight @w_glorot : tensor<2x3xf64> init glorot
  // CHECK: nlogic.weight @w_he : tensor<2x3xf64> init he
  nlogic.weight @w_he : tensor<2x3xf64> init he
  // CHECK: nlogic.weight @w_constant : tensor<2x3xf64> init constant
  nlogic.weight @w_constant : tensor<2x3xf64> init constant
  // CHECK: nlogic.weight @w_longtail : tensor<2x3xf64> init longtail
  nlogic.weight @w_longtail : tensor<2x3xf64> init longtail
  // CHECK: nlogic.weight @scalar : f64{{$}}
  nlogic.weight @scalar : f64
  // CHECK: nlogic.weight @scalar_value : f64 = dense<-7.000000e+00> : tensor<f64>{{$}}
  nlogic.weight @scalar_value : f64 = dense<-7.0> : tensor<f64>
  // CHECK: nlogic.weight @matrix_fixed : tensor<2x2xf64> = dense<{{\[\[}}1.000000e+00, 0.000000e+00], [0.000000e+00, 1.000000e+00]]> : tensor<2x2xf64> fixed
  nlogic.weight @matrix_fixed : tensor<2x2xf64> = dense<[[1.0, 0.0], [0.0, 1.0]]> : tensor<2x2xf64> fixed
  // CHECK: nlogic.weight @row : tensor<1x4xf64> init normal
  nlogic.weight @row : tensor<1x4xf64> init normal
  /// A single-element value may stand for a scalar weight.
  // CHECK: nlogic.weight @one_elem : f64 = dense<5.000000e-01> : tensor<1xf64>
  nlogic.weight @one_elem : f64 = dense<0.5> : tensor<1xf64>
}
