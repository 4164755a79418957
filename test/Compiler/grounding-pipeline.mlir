// RUN: nlogic-opt %s --nlogic-compile-grounding | FileCheck %s
// RUN: nlogic-opt %s --nlogic-compile-grounding="prefix=model" | FileCheck %s --check-prefix=PREFIX

// The grounding pipeline takes a template to LLVM: one entry point per
// rule, the plans as private functions, the runtime's callbacks declared.

nlogic.template @t {
  nlogic.relation @tok arity 1 : f64
  nlogic.relation @pair arity 2 : f64
  nlogic.relation @g arity 1 : f64
  nlogic.rule @pair vars(%I, %J) {
    %0 = nlogic.atom @tok(%I) : f64
    %1 = nlogic.atom @tok(%J) : f64
    nlogic.constrain lt(%J, %I)
    nlogic.not @g(%J)
    %2 = nlogic.combine sum(%0, %1) : (f64, f64) -> f64
    nlogic.head(%I, %J) = %2 : f64
  }
}

// CHECK-DAG: llvm.func @nlogic_ground_emit(!llvm.ptr, i64, !llvm.ptr, !llvm.ptr)
// CHECK-DAG: llvm.func @nlogic_ground_contains(!llvm.ptr, i64, !llvm.ptr) -> i64
// CHECK-DAG: llvm.func @nlogic_ground_lookup(
// CHECK-DAG: llvm.func @nlogic_ground_compare(
// CHECK-DAG: llvm.func internal @nlogic_plan_rule0_general(%{{.*}}: !llvm.ptr)
// CHECK-DAG: llvm.func internal @nlogic_plan_rule0_dense(%{{.*}}: !llvm.ptr)
// CHECK-DAG: llvm.func @nlogic_ground_rule0(%{{.*}}: !llvm.ptr)
// CHECK-NOT: nlogic.
// CHECK-NOT: rel.
// PREFIX: llvm.func @model_ground_rule0(
