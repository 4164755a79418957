//===- Passes.td - nlogic template-level passes -------------*- tablegen -*-===//
//
// Passes that work on the nlogic dialect itself (template level).
//
//===----------------------------------------------------------------------===//

#ifndef NLOGIC_DIALECT_NLOGIC_TRANSFORMS_PASSES_TD
#define NLOGIC_DIALECT_NLOGIC_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def NLogicStratifyPass : Pass<"nlogic-stratify", "::mlir::nlogic::TemplateOp"> {
  let summary = "Orders rules by stratum and marks recursive relations";
  let description = [{
    Computes the dependency graph of the template's relations (a head
    depends on every relation its rules read; reading through
    `nlogic.not` is a negative dependency) and its strata: a relation's
    stratum is the largest stratum it reads, plus one across a negation.

    Input: a verified template (stratifiable, since the template verifier
    rejects negation through recursion).

    Output: every `nlogic.relation` carries `nlogic.stratum = N : i64`;
    every `nlogic.rule` whose head is part of a recursive cycle carries
    `nlogic.recursive` (it must run semi-naively to a fixpoint); rules are
    moved, stably, so that they appear in stratum order, which is the order
    grounding and evaluation run them. Nothing else changes.

    Before:
    ```mlir
    nlogic.rule @b vars(%X) { ... nlogic.not @a(%X) ... }
    nlogic.rule @a vars(%X) { ... }
    ```
    After:
    ```mlir
    nlogic.rule @a vars(%X) { ... }
    nlogic.rule @b vars(%X) { ... nlogic.not @a(%X) ... }
    nlogic.relation @a arity 1 : ... {nlogic.stratum = 0 : i64}
    nlogic.relation @b arity 1 : ... {nlogic.stratum = 1 : i64}
    ```
  }];
}

def NLogicPruneUnreachablePass
    : Pass<"nlogic-prune-unreachable", "::mlir::nlogic::TemplateOp"> {
  let summary = "Removes rules, relations and weights no query can reach";
  let description = [{
    Only atoms that a query depends on become neurons, so rules whose head
    cannot reach any query relation are dead weight for grounding and
    compilation. Starting from the query relations (the `queries` option,
    or else the relations of the template's `nlogic.query` ops), this pass
    walks rule bodies backwards and keeps the relations and rules it
    reaches; it then erases the other rules and template facts, the
    relations nothing refers to any more, and the weights left unused.

    Input: a verified template. If no query relation is known, the pass
    fails with a diagnostic rather than erasing everything.

    Output: the same template restricted to what the queries need.

    Example, with `queries=predict`:
    ```mlir
    // Before: @unused is derived but nothing reads it.
    nlogic.rule @unused vars(%X) weight @w1 { ... }
    nlogic.rule @predict vars() weight @w0 { ... }
    // After: the rule for @unused, its relation and @w1 are gone.
    nlogic.rule @predict vars() weight @w0 { ... }
    ```
  }];
  let options = [
    ListOption<"queries", "queries", "std::string",
               "relation symbols whose atoms are queried">
  ];
}

#endif // NLOGIC_DIALECT_NLOGIC_TRANSFORMS_PASSES_TD
