//===- NLogicBase.td - nlogic dialect definition ------------*- tablegen -*-===//
//
// The `nlogic` dialect: templates of weighted logic rules (Lifted Relational
// Neural Networks) at the level the user wrote them.
//
//===----------------------------------------------------------------------===//

#ifndef NLOGIC_DIALECT_NLOGIC_IR_NLOGICBASE_TD
#define NLOGIC_DIALECT_NLOGIC_IR_NLOGICBASE_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"

def NLogic_Dialect : Dialect {
  let name = "nlogic";
  let cppNamespace = "::mlir::nlogic";
  let summary = "Templates of differentiable logic programs (LRNN / NeuraLogic)";
  let description = [{
    The `nlogic` dialect holds a *template*: a set of weighted Datalog-style
    rules whose grounding against one sample's facts defines a neural network
    for that sample. It is the top of nlogic's pipeline
    (front ends -> `nlogic` -> relational plans -> linalg -> LLVM / GPU).

    A template is a symbol table (`nlogic.template`) of relations, weights,
    template facts and rules. A rule (`nlogic.rule`) is one op with one
    region whose block arguments are the rule's logic variables. Inside it
    three concerns are kept apart so that later passes can treat them
    separately:

    * the **join**: `nlogic.atom` reads a relation at given terms and
      `nlogic.constrain` restricts the substitutions (`J <= I`,
      `(I - J) mod n == 0`, ...); together they say which substitutions
      exist;
    * the **map**: `nlogic.weigh`, `nlogic.combine` and `nlogic.transform`
      compute the value of one substitution (a ground rule neuron);
    * the **reduce**: the rule's `aggregate` attribute says how the values
      of all substitutions that share a head atom are aggregated, and
      `nlogic.head` names that head atom.

    Values are `f64` scalars or ranked `f64` tensors (vectors are column
    vectors `tensor<Nxf64>`, matrices `tensor<MxNxf64>`, a transposed vector
    is `tensor<1xNxf64>`); `tensor<*xf64>` marks a value whose shape is only
    known once the data is seen. Logic terms (variables and constants) are
    values of type `!nlogic.term`.
  }];
  let useDefaultTypePrinterParser = 1;
  let useDefaultAttributePrinterParser = 1;
  let hasConstantMaterializer = 0;
}

class NLogic_Op<string mnemonic, list<Trait> traits = []>
    : Op<NLogic_Dialect, mnemonic, traits>;

#endif // NLOGIC_DIALECT_NLOGIC_IR_NLOGICBASE_TD
