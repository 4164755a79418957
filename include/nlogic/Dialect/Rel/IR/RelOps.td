//===- RelOps.td - relational plan operations ---------------*- tablegen -*-===//
//
// Plans, scans over relation tables, conditions and the emission of ground
// rules. Control flow inside a plan is upstream `scf`; term arithmetic that
// is plain integer arithmetic on positions is upstream `arith`.
//
//===----------------------------------------------------------------------===//

#ifndef NLOGIC_DIALECT_REL_IR_RELOPS_TD
#define NLOGIC_DIALECT_REL_IR_RELOPS_TD

include "nlogic/Dialect/Rel/IR/RelBase.td"
include "nlogic/Dialect/NLogic/IR/NLogicEnums.td"
include "mlir/IR/OpAsmInterface.td"
include "mlir/IR/SymbolInterfaces.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def Rel_PlanOp : Rel_Op<"plan", [Symbol, IsolatedFromAbove, SingleBlock,
                                 NoTerminator]> {
  let summary = "the join plan of one rule";
  let description = [{
    Enumerates the substitutions of rule `rule` (its position in the
    template's evaluation order) and emits one ground rule per
    substitution, in the order the reference grounder finds them: body
    atoms are scanned in body order, each builtin and negated literal is
    tested as soon as its terms are bound. `atoms` is the number of
    positive body atoms (each `rel.emit` records one row per atom).

    The runtime runs a plan once per rule and sample, or once per
    semi-naive round and recursive atom of a recursive rule, and restricts
    each atom to a range of rows (all rows, or only last round's new ones).

    A plan with `dense` relations is a *variant* of the rule's plan that
    assumes each listed relation is dense (row `p` holds the integer `p`);
    the runtime uses it when that holds for the sample, and the rule's
    general plan otherwise.

    Example:
    ```mlir
    rel.plan @rule1_dense rule 1 atoms 2 dense [@tok] {
      rel.dense_scan @tok atom 0 {
      ^bb0(%i: index, %I: i64):
        %hi = arith.addi %i, %c1 : index
        rel.dense_scan @tok atom 1 to %hi {
        ^bb0(%j: index, %J: i64):
          rel.emit(%I, %J) rows(%i, %j)
        }
      }
    }
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name, I64Attr:$rule,
                       I64Attr:$atoms,
                       OptionalAttr<FlatSymbolRefArrayAttr>:$dense);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    $sym_name `rule` $rule `atoms` $atoms (`dense` $dense^)?
    attr-dict-with-keyword $body
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    ::mlir::Block &getBodyBlock() { return getBody().front(); }
  }];
}

def Rel_ScanOp : Rel_Op<"scan", [SingleBlock, NoTerminator,
                                 DeclareOpInterfaceMethods<OpAsmOpInterface,
                                     ["getAsmBlockArgumentNames"]>]> {
  let summary = "iterates the rows of a table that match the bound terms";
  let description = [{
    Runs its body once per row of `relation` (within the row range the
    runtime gives body atom `atom`) whose terms at the bound positions
    equal `keys`; `?` marks a free position. The body's arguments are the
    row and the terms at the free positions, in position order. Without
    keys the rows are scanned in order; with keys they come from a hash
    index on those positions, still in row order.

    Example:
    ```mlir
    rel.scan @bond(%X, ?, ?) atom 1 {
    ^bb0(%row: index, %Y: i64, %B: i64):
      ...
    }
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$relation, I64Attr:$atom,
                       I64Attr:$arity, DenseI64ArrayAttr:$bound,
                       Variadic<I64>:$keys);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    $relation `` custom<ScanTerms>($keys, $bound, $arity) `atom` $atom
    attr-dict-with-keyword $body
  }];
  let hasVerifier = 1;
  let skipDefaultBuilders = 1;
  let builders = [OpBuilder<(ins "::mlir::StringRef":$relation,
                                 "int64_t":$atom, "int64_t":$arity,
                                 "::llvm::ArrayRef<int64_t>":$bound,
                                 "::mlir::ValueRange":$keys)>];
  let extraClassDeclaration = [{
    ::mlir::Block &getBodyBlock() { return getBody().front(); }
    ::mlir::BlockArgument getRow() { return getBodyBlock().getArgument(0); }
  }];
}

def Rel_DenseScanOp : Rel_Op<"dense_scan", [SingleBlock, NoTerminator,
    AttrSizedOperandSegments,
    DeclareOpInterfaceMethods<OpAsmOpInterface,
                              ["getAsmBlockArgumentNames"]>]> {
  let summary = "iterates the positions of a dense unary table";
  let description = [{
    Runs its body once per position `p` in `[lower, upper)` (0 and the
    table's size when absent; `step` apart, starting at `lower`) that lies
    within the row range of body atom `atom`. Because the table is dense
    (row `p` holds the integer `p`), the row is the position and the term
    is the integer `p`: the body's arguments are the position (as `index`)
    and the term. Bounds come from comparisons between positions
    (`J <= I` gives `upper = I + 1`); a lookup of a bound term is the range
    `[position(t), position(t) + 1)`.

    Example:
    ```mlir
    rel.dense_scan @k atom 1 from %lo to %hi {
    ^bb0(%j: index, %J: i64):
      ...
    }
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$relation, I64Attr:$atom,
                       Optional<Index>:$lower, Optional<Index>:$upper,
                       DefaultValuedAttr<I64Attr, "1">:$step);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    $relation `atom` $atom (`from` $lower^)? (`to` $upper^)?
    (`step` $step^)? attr-dict-with-keyword $body
  }];
  let hasVerifier = 1;
  let skipDefaultBuilders = 1;
  let builders = [OpBuilder<(ins "::mlir::StringRef":$relation,
                                 "int64_t":$atom, "::mlir::Value":$lower,
                                 "::mlir::Value":$upper)>];
  let extraClassDeclaration = [{
    ::mlir::Block &getBodyBlock() { return getBody().front(); }
    ::mlir::BlockArgument getPosition() {
      return getBodyBlock().getArgument(0);
    }
    ::mlir::BlockArgument getTerm() { return getBodyBlock().getArgument(1); }
  }];
}

def Rel_PositionOp : Rel_Op<"position", [Pure]> {
  let summary = "the position an integer term names";
  let description = [{
    The integer value of a term as an `index`, or -1 when the term is not
    an integer (a position no dense table has).

    Example:
    ```mlir
    %p = rel.position %I
    ```
  }];
  let arguments = (ins I64:$term);
  let results = (outs Index:$position);
  let assemblyFormat = "$term attr-dict";
}

def Rel_ConstOp : Rel_Op<"const", [Pure]> {
  let summary = "a constant term";
  let description = [{
    An integer or a name. Names are interned by the runtime when it loads
    the plans, so their encoding is only known then.

    Example:
    ```mlir
    %c = rel.const "carbon"
    %one = rel.const 1
    ```
  }];
  let arguments = (ins AnyAttrOf<[I64Attr, StrAttr]>:$value);
  let results = (outs I64:$result);
  let assemblyFormat = "custom<ConstTerm>($value) attr-dict";
}

def Rel_ArithOp : Rel_Op<"arith", [Pure]> {
  let summary = "integer arithmetic on terms";
  let description = [{
    `lhs kind rhs` on two integer terms (`div` truncates; `mod` is
    `((lhs % rhs) + rhs) % rhs`, the remainder with the divisor's sign:
    non-negative for a positive divisor). A name operand or a zero divisor
    gives the undefined term.

    Example:
    ```mlir
    %d = rel.arith sub %I, %J
    ```
  }];
  let arguments = (ins NLogic_ArithKindAttr:$kind, I64:$lhs, I64:$rhs);
  let results = (outs I64:$result);
  let assemblyFormat = "`` $kind $lhs `,` $rhs attr-dict";
}

def Rel_CheckOp : Rel_Op<"check", [Pure]> {
  let summary = "whether a builtin constraint holds";
  let description = [{
    True when every term is defined and the constraint holds. Comparisons
    are numeric between numbers (integers, or names that spell numbers)
    and by spelling otherwise, as in NeuraLogic; `alldiff` compares terms
    for identity.

    Example:
    ```mlir
    %ok = rel.check leq(%J, %I)
    scf.if %ok { ... }
    ```
  }];
  let arguments = (ins NLogic_ConstraintKindAttr:$kind, Variadic<I64>:$terms);
  let results = (outs I1:$holds);
  let assemblyFormat = "`` $kind `(` $terms `)` attr-dict";
  let hasVerifier = 1;
}

def Rel_DefinedOp : Rel_Op<"defined", [Pure]> {
  let summary = "whether a term is defined";
  let description = [{
    False for the undefined term that arithmetic on names yields; guards
    the binding a constraint generates (`eq(D, I - J)` binds `D`).

    Example:
    ```mlir
    %ok = rel.defined %D
    ```
  }];
  let arguments = (ins I64:$term);
  let results = (outs I1:$holds);
  let assemblyFormat = "$term attr-dict";
}

def Rel_AbsentOp : Rel_Op<"absent", [MemoryEffects<[MemRead]>]> {
  let summary = "negation as failure: the tuple is not in the table";
  let description = [{
    True when every term is defined and `relation` has no row equal to
    them. Negated relations belong to lower strata, so their tables are
    complete when the plan runs.

    Example:
    ```mlir
    %ok = rel.absent @parent(%X, %Y)
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$relation, Variadic<I64>:$terms);
  let results = (outs I1:$holds);
  let assemblyFormat = "$relation `(` $terms `)` attr-dict";
}

def Rel_EmitOp : Rel_Op<"emit", [AttrSizedOperandSegments,
                                 MemoryEffects<[MemWrite]>]> {
  let summary = "records one substitution as a ground rule";
  let description = [{
    The head atom's terms and the row each positive body atom matched.
    The runtime creates the head atom when it is new and drops a
    substitution whose neural inputs repeat an earlier one's (unless the
    rule keeps duplicates).

    Example:
    ```mlir
    rel.emit(%I, %J) rows(%r0, %r1)
    ```
  }];
  let arguments = (ins Variadic<I64>:$head, Variadic<Index>:$rows);
  let assemblyFormat = "`(` $head `)` `rows` `(` $rows `)` attr-dict";
  let hasVerifier = 1;
}

#endif // NLOGIC_DIALECT_REL_IR_RELOPS_TD
