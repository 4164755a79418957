// RUN: nlogic-opt %s --convert-nlogic-to-linalg --canonicalize --cse | FileCheck %s --check-prefix=EXACT
// RUN: nlogic-opt %s --convert-nlogic-to-linalg="reassociate=true" --canonicalize --cse | FileCheck %s --check-prefix=FAST

// An average divides the aggregate by the segment's row count. Exact mode
// divides every element, as the reference does; fast-math divides once
// and multiplies each element by the reciprocal.

// EXACT-LABEL: func.func @nlogic_rule0_forward(
// EXACT: %[[N:.*]] = arith.sitofp
// EXACT-NEXT: linalg.generic
// EXACT-NEXT: ^bb0(%[[OUT:[a-z0-9]+]]: f64):
// EXACT-NEXT: %[[Q:.*]] = arith.divf %[[OUT]], %[[N]] : f64
// EXACT-NEXT: linalg.yield %[[Q]]

// FAST-LABEL: func.func @nlogic_rule0_forward(
// FAST: %[[N:.*]] = arith.sitofp
// FAST-NEXT: %[[INV:.*]] = arith.divf %cst{{.*}}, %[[N]] : f64
// FAST-NEXT: linalg.generic
// FAST-NEXT: ^bb0(%[[OUT:[a-z0-9]+]]: f64):
// FAST-NEXT: %[[P:.*]] = arith.mulf %[[OUT]], %[[INV]] : f64
// FAST-NEXT: linalg.yield %[[P]]

nlogic.template @t {
  nlogic.relation @x arity 2 : tensor<8xf64>
  nlogic.relation @h arity 1 : tensor<8xf64> transform identity combine sum
  nlogic.rule @h vars(%I, %J) aggregate avg {
    %0 = nlogic.atom @x(%I, %J) : tensor<8xf64>
    nlogic.head(%I) = %0 : tensor<8xf64>
  }
}
