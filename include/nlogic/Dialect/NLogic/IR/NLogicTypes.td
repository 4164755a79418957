//===- NLogicTypes.td - nlogic types ------------------------*- tablegen -*-===//
//
// Types of the nlogic dialect: the logic term, and the value constraint used
// by every op that carries a neuron value.
//
//===----------------------------------------------------------------------===//

#ifndef NLOGIC_DIALECT_NLOGIC_IR_NLOGICTYPES_TD
#define NLOGIC_DIALECT_NLOGIC_IR_NLOGICTYPES_TD

include "nlogic/Dialect/NLogic/IR/NLogicBase.td"
include "mlir/IR/BuiltinTypeInterfaces.td"

def NLogic_TermType : TypeDef<NLogic_Dialect, "Term"> {
  let mnemonic = "term";
  let summary = "a logic term: a variable's binding or a constant";
  let description = [{
    A value of type `!nlogic.term` stands for one logic term of a rule: a
    block argument of `nlogic.rule` is a logic variable, `nlogic.constant`
    makes a constant (an atom name such as `"ellipse"` or an integer), and
    `nlogic.arith` computes an integer term from other terms. Terms select
    substitutions; they never carry neuron values.
  }];
}

// A neuron value: a scalar, a (column) vector, a matrix, or a value whose
// shape depends on the data (unranked).
def NLogic_ValueType : AnyTypeOf<[F64,
    TensorRankOf<[F64], [1, 2]>, UnrankedTensorOf<[F64]>],
    "nlogic neuron value (f64, tensor<Nxf64>, tensor<MxNxf64> or tensor<*xf64>)">;

#endif // NLOGIC_DIALECT_NLOGIC_IR_NLOGICTYPES_TD
