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


def NLogicSpecializeShapesPass
    : Pass<"nlogic-specialize-shapes", "::mlir::nlogic::TemplateOp"> {
  let summary = "Gives every relation and rule value a static shape";
  let description = [{
    NeuraLogic text cannot declare the shape of a data relation, so
    imported templates carry `tensor<*xf64>` wherever a value depends on
    the data. Compiled kernels are specialised per shape: this pass takes
    the shapes of the data relations (the `shapes` option, as
    `symbol=7`, `symbol=3x3` or `symbol=scalar`; template facts give
    their own) and propagates them through every rule in evaluation
    order with the dialect's shape algebra: atoms, weighings,
    combinations, transformations, head weights and the relation's
    combination of its rules. Recursive relations are iterated to a
    fixpoint. A data relation with no given shape takes the one a matrix
    weight applied to it needs (`W x` with a 10x7 `W`: 7), or else is a
    scalar (NeuraLogic's default fact value, and right for relations that
    only join, such as a hidden `edge`); `warn-unknown-shapes` warns when
    such a scalar is used as a value.

    Input: a verified template. Fails with a diagnostic at the offending
    op when the shapes disagree (two rules deriving different shapes for
    one relation, a weight that cannot multiply a value).

    Output: the same template with no `tensor<*xf64>` left.

    Example, with `shapes=x=4`:
    ```mlir
    // Before
    nlogic.relation @x arity 1 : tensor<*xf64>
    %0 = nlogic.atom @x(%I) : tensor<*xf64>
    %1 = nlogic.weigh @w, %0 : tensor<*xf64> -> tensor<*xf64>  // @w: 2x4
    // After
    nlogic.relation @x arity 1 : tensor<4xf64>
    %0 = nlogic.atom @x(%I) : tensor<4xf64>
    %1 = nlogic.weigh @w, %0 : tensor<4xf64> -> tensor<2xf64>
    ```
  }];
  let options = [
    ListOption<"shapes", "shapes", "std::string",
               "shapes of data relations: symbol=dims, dims as 7, 3x3 or "
               "scalar">,
    Option<"warnUnknown", "warn-unknown-shapes", "bool", "false",
           "warn when a data relation used as a value defaults to scalars">
  ];
}

def NLogicHoistWeightsPass
    : Pass<"nlogic-hoist-weights", "::mlir::nlogic::TemplateOp"> {
  let summary = "Applies a rule's weight once per head atom instead of once "
                "per substitution";
  let description = [{
    Weighing is linear, so for sum and avg aggregation
    `aggregate_J(W * x(J)) = W * aggregate_J(x(J))`. When a rule's value is
    exactly one weighed body atom (through identity transformations and
    single-input combinations) and the rule has no head weight yet, this
    pass moves the weight to the rule's head weight: the kernels then
    multiply once per head atom (a node) instead of once per substitution
    (an edge). This is the "apply weights per node before aggregation"
    rewrite of graph neural networks, done on the template.

    Rules with max, min, count or softmax aggregation, with an offset or
    further inputs in the combination, with a non-identity transformation,
    or with a head weight already are left alone. Results change only by
    floating-point rounding (summation order).

    Before:
    ```mlir
    nlogic.rule @h vars(%I, %J) aggregate avg {
      %0 = nlogic.atom @x(%J) : tensor<7xf64>
      %1 = nlogic.weigh @w, %0 : tensor<7xf64> -> tensor<10xf64>
      %2 = nlogic.atom @edge(%J, %I) : f64
      nlogic.head(%I) = %1 : tensor<10xf64>
    }
    ```
    After:
    ```mlir
    nlogic.rule @h vars(%I, %J) aggregate avg weight @w {
      %0 = nlogic.atom @x(%J) : tensor<7xf64>
      %1 = nlogic.atom @edge(%J, %I) : f64
      nlogic.head(%I) = %0 : tensor<7xf64>
    }
    ```
  }];
}

#endif // NLOGIC_DIALECT_NLOGIC_TRANSFORMS_PASSES_TD
