//===- RelBase.td - relational plan dialect definition ------*- tablegen -*-===//
//
// The `rel` dialect: the join plans that ground a template's rules on one
// sample's facts (the relational level of nlogic's pipeline).
//
//===----------------------------------------------------------------------===//

#ifndef NLOGIC_DIALECT_REL_IR_RELBASE_TD
#define NLOGIC_DIALECT_REL_IR_RELBASE_TD

include "mlir/IR/OpBase.td"

def Rel_Dialect : Dialect {
  let name = "rel";
  let cppNamespace = "::mlir::nlogic::rel";
  let summary = "Join plans that ground template rules over relation tables";
  let description = [{
    The `rel` dialect is the relational level of nlogic's pipeline
    (front ends -> `nlogic` -> **`rel`** -> linalg -> LLVM / GPU). Each
    rule of a template becomes a *plan*: a loop nest that enumerates the
    rule's substitutions over the relation tables of one sample and emits
    one ground rule (head terms, and the table row matched by each positive
    body atom) per substitution. What the ground rules compute is the
    business of the kernels (`convert-nlogic-to-linalg`); `rel` only says
    which substitutions exist, in which order.

    * `rel.scan` iterates the rows of a table that match the terms already
      bound (a full scan or a hash-index lookup);
    * `rel.dense_scan` iterates a *dense* table, one whose row `p` holds
      the integer `p` (token positions 0..N-1): rows are positions, so
      lookups are arithmetic and comparisons between positions become loop
      bounds (`J <= I` iterates `J` in `[0, I + 1)`), never masks;
    * `rel.check`, `rel.absent` and `rel.defined` give the conditions of
      builtin constraints and negated literals, consumed by `scf.if`;
    * `rel.emit` records one substitution.

    Terms are `i64` values in the runtime's encoding of ground constants
    (integers carry the top bit, names are interned ids). Integer arithmetic
    (`rel.arith`) on a name, or a division by zero, yields the *undefined
    term* `0x7fffffffffffffff`, which no table contains and no check
    accepts, so such substitutions disappear as they do in the reference
    grounder.
  }];
  let dependentDialects = ["::mlir::nlogic::NLogicDialect"];
}

class Rel_Op<string mnemonic, list<Trait> traits = []>
    : Op<Rel_Dialect, mnemonic, traits>;

#endif // NLOGIC_DIALECT_REL_IR_RELBASE_TD
