/*===- KernelTable.h - the C ABI of a compiled template ------------*- C -*-===
 *
 * What `nlogic-compile` writes into a model header, and what the runtime
 * reads to run ahead-of-time compiled kernels instead of JIT-compiling
 * them. Plain C so that any language with a C FFI can drive a model.
 *
 * Arenas (see docs/Compiler.md): every ground atom's value sits at an
 * element offset of a flat double array; weights sit in one parameter
 * array in declaration order (weight i at parameter_offsets[i], row-major).
 * Kernels take memref descriptors (nlogic_arena, nlogic_index_arena); the
 * arrays passed to one call must not overlap (the kernels are compiled
 * with their arguments marked noalias).
 *
 *===----------------------------------------------------------------------===*/

#ifndef NLOGIC_RUNTIME_KERNELTABLE_H
#define NLOGIC_RUNTIME_KERNELTABLE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A 1-D memref descriptor as MLIR passes it (StridedMemRefType<T, 1>). */
typedef struct nlogic_arena {
  double *allocated;
  double *aligned;
  int64_t offset;
  int64_t size;
  int64_t stride;
} nlogic_arena;

typedef struct nlogic_index_arena {
  int32_t *allocated;
  int32_t *aligned;
  int64_t offset;
  int64_t size;
  int64_t stride;
} nlogic_index_arena;

/* Register tiles (docs/Compiler.md, "Register tiles"). Under fast-math a
 * rule whose substitutions multiply two vectors (softmax-aggregated dot
 * products) or scale one (sum-aggregated) is computed in tiles of up to
 * NLOGIC_TILE_LANES head atoms that share a body atom row by row; the
 * runtime lists them in the `tiles` argument of the rule's kernels, one
 * record of NLOGIC_TILE_RECORD int32 per tile: lanes (1 or
 * NLOGIC_TILE_LANES), rows R, the body position of the shared atom, flags
 * (NLOGIC_TILE_CONTIGUOUS_SCALARS: each lane's scalar atoms of row r sit at
 * their row-0 offsets + r), the rows P whose shared atoms are those of the
 * previous wide tile's rows [0, P) (its packed panel holds them already),
 * then per lane its id (DOT: softmax group; SCALE: segment) and its first
 * row (DOT: the rows it owns).
 * Every lane of a tiled rule is in exactly one tile; the rows [0, R) of
 * each lane are the tile's and are left out of the segments' row ranges.
 * Other rules get an empty `tiles`. */
#define NLOGIC_TILING_NONE 0
#define NLOGIC_TILING_DOT 1
#define NLOGIC_TILING_SCALE 2
#define NLOGIC_TILE_LANES 16
#define NLOGIC_TILE_HEADER 5
#define NLOGIC_TILE_RECORD (NLOGIC_TILE_HEADER + 2 * NLOGIC_TILE_LANES)
#define NLOGIC_TILE_CONTIGUOUS_SCALARS 1
/* Tiles take their rows in blocks of NLOGIC_TILE_ROW_BLOCK; a wide tile's
 * whole blocks of shared vectors are packed into a panel the next wide
 * tile reuses (the header's P rows). */
#define NLOGIC_TILE_ROW_BLOCK 32

/* Rule k, forward: for each of n segments (head atoms; for a softmax rule,
 * n groups of segments) reduce the substitutions' values, keep the
 * aggregate and add the weighted contribution to the head's accumulator. */
typedef void (*nlogic_rule_forward_fn)(nlogic_arena *values, nlogic_arena *acc,
                                       nlogic_arena *aggs, nlogic_arena *params,
                                       nlogic_index_arena *segments,
                                       nlogic_index_arena *index,
                                       nlogic_index_arena *groups,
                                       nlogic_index_arena *tiles, int64_t n);
/* Rule k, backward: accumulates gradients into dvalues and grads. */
typedef void (*nlogic_rule_backward_fn)(
    nlogic_arena *values, nlogic_arena *acc, nlogic_arena *aggs,
    nlogic_arena *params, nlogic_arena *dvalues, nlogic_arena *dacc,
    nlogic_arena *grads, nlogic_index_arena *segments,
    nlogic_index_arena *index, nlogic_index_arena *groups,
    nlogic_index_arena *tiles, int64_t n);
/* Relation j: offset + transformation of the derived atoms of n runs
 * (`atoms`: first offset and count per run; a run's atoms are consecutive
 * in the arenas, relation-size elements apart). Backward sets
 * (does not accumulate) each atom's dacc from its dvalues, adds the
 * offset's gradient into grads, and for a product relation restarts the
 * atom's acc at 1 for the rule kernels' backward. */
typedef void (*nlogic_relation_forward_fn)(nlogic_arena *values,
                                           nlogic_arena *acc,
                                           nlogic_arena *params,
                                           nlogic_index_arena *atoms,
                                           int64_t n);
typedef void (*nlogic_relation_backward_fn)(
    nlogic_arena *values, nlogic_arena *acc, nlogic_arena *params,
    nlogic_arena *dvalues, nlogic_arena *dacc, nlogic_arena *grads,
    nlogic_index_arena *atoms, int64_t n);

/* Optimizer steps over the parameter arena; `mask` is nonzero for the
 * elements to update. Adam: c1 = 1 - 0.9^t, c2 = 1 - 0.999^t. */
typedef void (*nlogic_sgd_step_fn)(nlogic_arena *params, nlogic_arena *grads,
                                   nlogic_arena *mask, double lr);
typedef void (*nlogic_adam_step_fn)(nlogic_arena *params, nlogic_arena *grads,
                                    nlogic_arena *mask, nlogic_arena *m,
                                    nlogic_arena *v, double lr, double c1,
                                    double c2);

typedef struct nlogic_kernel_table {
  int64_t num_rules;     /* rules, in evaluation order */
  int64_t num_relations; /* relations, in declaration order */
  int64_t num_weights;
  int64_t num_parameters; /* elements of the parameter arena */
  const nlogic_rule_forward_fn *rule_forward;
  const nlogic_rule_backward_fn *rule_backward;
  /* NULL for relations no rule derives. */
  const nlogic_relation_forward_fn *relation_forward;
  const nlogic_relation_backward_fn *relation_backward;
  const int64_t *relation_shapes; /* rows, cols per relation */
  const int64_t *aggregate_sizes; /* elements per rule aggregate */
  /* 4 per rule: NLOGIC_TILING_*, the positions of its vector atoms among
   * the body atoms (-1 where none), a mask of its scalar atoms' positions
   * (bit p for body atom p). */
  const int32_t *rule_tiling;
  const int64_t *parameter_offsets; /* per weight */
  const char *const *weight_names;  /* per weight */
  nlogic_sgd_step_fn sgd_step;
  nlogic_adam_step_fn adam_step;
} nlogic_kernel_table;

#ifdef __cplusplus
}
#endif

#endif /* NLOGIC_RUNTIME_KERNELTABLE_H */
