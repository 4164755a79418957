//===- Passes.td - conversions out of the nlogic dialect -----*- tablegen -*-===//
//
// Conversions from the template level down to kernels and machine code.
//
//===----------------------------------------------------------------------===//

#ifndef NLOGIC_CONVERSION_PASSES_TD
#define NLOGIC_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertNLogicToLinalgPass
    : Pass<"convert-nlogic-to-linalg", "::mlir::ModuleOp"> {
  let summary = "Lowers a shape-specialised template to fused rule kernels";
  let description = [{
    Turns the template of the module into per-template kernels on flat
    arenas, one forward and one backward kernel per rule and per derived
    relation, and erases the template. The kernels consume the ground
    tables the runtime builds for a batch of samples:

    * every ground atom's value sits at an element offset of the *value
      arena* (`values`); the *accumulator arena* (`acc`) has the same
      layout and holds a derived atom's input before its transformation;
    * a rule's ground table lists, per head atom (a *segment*), the range
      of its substitutions, the head's offset and a slot for the aggregated
      value (`segments`, four i32 per segment: begin, end, head offset,
      aggregate offset), and per substitution the value offsets of its
      positive body atoms (`index`, one i32 per atom);
    * weights live in one parameter arena in declaration order (`params`,
      gradients in `grads`).

    `@<prefix>_rule<k>_forward` (k: the rule's position in evaluation
    order) loops over segments and, fused in one loop nest, gathers the
    body values of each substitution, computes the map (weighings,
    combinations, transformations as linalg on small stack buffers),
    reduces into the aggregate (sum, avg, max, min, count), applies the
    head weight and adds the contribution into the head's accumulator.
    No per-substitution value is ever stored: the backward kernel
    recomputes each substitution's map and accumulates vector-Jacobian
    products into the gradient arenas. Because segments are sorted by
    destination, reductions need no atomics.
    `@<prefix>_relation<j>_forward` (j: the relation's position in
    declaration order) adds the relation's offset weight and applies its
    transformation to each of its derived atoms.

    Every kernel is marked `llvm.emit_c_interface`. The element type is
    f64, as in the reference evaluator.

    Input: a verified template whose values all have static shapes (see
    `nlogic-specialize-shapes`). Constructs the kernels cannot compute yet
    (the combinations softmax / sparsemax / count, the
    transformations sparsemax and reshape, relation combinations other
    than sum, concat aggregation, softmax aggregation in recursive rules)
    are reported at their location, and the pass fails: nothing is
    silently dropped.

    Example (one rule `h(X) :- w * b(X)`), abridged:
    ```mlir
    func.func @nlogic_rule0_forward(%values: memref<?xf64>, ...,
        %segments: memref<?xi32>, %index: memref<?xi32>, %n: index)
        attributes {llvm.emit_c_interface} {
      scf.for %s = %c0 to %n step %c1 {
        ...
        scf.for %row = %begin to %end step %c1 {
          %b = memref.reinterpret_cast %values to offset: [%off] ...
          linalg.generic ... // w * b
          linalg.generic ... // aggregate += value
        }
        linalg.generic ... // acc[head] += aggregate
      }
    }
    ```
  }];
  let options = [
    Option<"prefix", "prefix", "std::string", "\"nlogic\"",
           "prefix of the kernel symbol names">,
    Option<"reassociate", "reassociate", "bool", "false",
           "let reductions (dot products, sums of a vector) reassociate and "
           "contract, so that LLVM vectorises them; results differ from the "
           "reference evaluator's summation order by rounding">
  ];
  let dependentDialects = [
    "::mlir::func::FuncDialect", "::mlir::scf::SCFDialect",
    "::mlir::memref::MemRefDialect", "::mlir::linalg::LinalgDialect",
    "::mlir::arith::ArithDialect", "::mlir::math::MathDialect",
    "::mlir::vector::VectorDialect"
  ];
}

def ConvertNLogicToRelPass : Pass<"convert-nlogic-to-rel", "::mlir::ModuleOp"> {
  let summary = "Plans the joins of every rule of the template";
  let description = [{
    Adds, next to the module's `nlogic.template`, one `rel.plan` per rule
    (`@rule<k>_general`, k: the rule's position in evaluation order) that
    enumerates the rule's substitutions exactly as the reference grounder
    does: positive atoms scanned in body order (a full scan, or a hash
    lookup on the positions already bound), each builtin constraint and
    negated literal tested at the first point its terms are bound, `eq` and
    `next` with one unbound side generating that binding, repeated
    variables of an atom compared, and one `rel.emit` per substitution.

    With `dense` (the default), a non-recursive rule that reads unary
    relations also gets a variant `@rule<k>_dense` that assumes those
    relations are dense (row p holds the integer p, as token positions
    are): their scans become `rel.dense_scan`s, lookups become positions,
    and a comparison between two positions (`J <= I`, `J < I`, `>=`, `>`)
    becomes a bound of the inner loop instead of a filter, so a causal
    mask iterates the triangle `J in [0, I + 1)` and never the square.
    The template is left unchanged.
  }];
  let options = [
    Option<"dense", "dense", "bool", "true",
           "plan dense variants for rules over unary relations">
  ];
  let dependentDialects = [
    "::mlir::nlogic::rel::RelDialect", "::mlir::scf::SCFDialect",
    "::mlir::arith::ArithDialect"
  ];
}

def ConvertRelToSCFPass : Pass<"convert-rel-to-scf", "::mlir::ModuleOp"> {
  let summary = "Lowers join plans to loops over the runtime's tables";
  let description = [{
    Turns every `rel.plan` into a function of the grounding ABI
    (include/nlogic/Runtime/GroundingABI.h) and erases the plans and the
    template: `@<prefix>_ground_rule<k>(ctx)` runs rule k's dense variant
    when every relation it assumes dense is dense for the sample, and its
    general plan otherwise.

    Scans become `scf.for` loops over the rows of a table view (the row
    range of the atom intersected with the table's size; the tuple pointer
    is reloaded per row because emitting may grow the table), lookups call
    `nlogic_ground_lookup` and loop over the matching rows, dense scans are
    `scf.for` loops over positions whose bounds are the plan's bounds
    clamped to the table, term checks are inline integer arithmetic when
    both terms are integers and call `nlogic_ground_compare` otherwise,
    negations call `nlogic_ground_contains`, and emits call
    `nlogic_ground_emit`. Relation symbols become indices in the
    template's declaration order; name constants become indices into the
    context's `names` array, whose spellings (in index order) the pass
    records as the module attribute `rel.names`.
  }];
  let options = [
    Option<"prefix", "prefix", "std::string", "\"nlogic\"",
           "prefix of the grounding function names">
  ];
  let dependentDialects = [
    "::mlir::func::FuncDialect", "::mlir::scf::SCFDialect",
    "::mlir::arith::ArithDialect", "::mlir::LLVM::LLVMDialect"
  ];
}

def PropagateKernelNoAliasPass
    : Pass<"nlogic-propagate-kernel-noalias", "::mlir::ModuleOp"> {
  let summary = "Marks the data pointers of noalias memref arguments noalias "
                "in lowered kernels";
  let description = [{
    Kernels take their arenas as memrefs marked `{llvm.noalias}`: distinct
    buffers. `convert-func-to-llvm` expands every memref argument into its
    descriptor's fields (allocated and aligned pointers, offset, sizes,
    strides) and keeps the attribute only on the `_mlir_ciface_` wrapper,
    whose arguments point at descriptors, not at the data. LLVM then has to
    assume that a kernel's stores into one arena may change another: it
    versions loops behind run-time overlap checks or does not vectorise
    them at all (the Adam step ran one element at a time).

    This pass runs after the conversion to the LLVM dialect. In every C
    interface wrapper it follows each `{llvm.noalias}` descriptor argument
    to the aligned pointer the wrapper loads from it and passes to the
    wrapped function, and marks that parameter of the wrapped function
    `llvm.noalias`. Memory is only ever accessed through the aligned
    pointer, so the attribute says exactly what the memref argument did.

    ```mlir
    llvm.func @k(%alloc: !llvm.ptr, %aligned: !llvm.ptr, ...)
    llvm.func @_mlir_ciface_k(%desc: !llvm.ptr {llvm.noalias}) {
      %d = llvm.load %desc : !llvm.ptr -> !llvm.struct<(ptr, ptr, i64, ...)>
      %p = llvm.extractvalue %d[1] : !llvm.struct<(...)>
      llvm.call @k(..., %p, ...)
    }
    // becomes
    llvm.func @k(%alloc: !llvm.ptr, %aligned: !llvm.ptr {llvm.noalias}, ...)
    ```
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

#endif // NLOGIC_CONVERSION_PASSES_TD
