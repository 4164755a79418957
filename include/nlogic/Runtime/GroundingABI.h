/*===- GroundingABI.h - calling convention of compiled join plans -*- C -*-===//
 *
 * The functions convert-rel-to-scf generates, one per rule,
 *
 *   void <prefix>_ground_rule<k>(nlogic_ground_context *ctx);
 *
 * enumerate rule k's substitutions over the tables of one sample and call
 * nlogic_ground_emit once per substitution. The runtime's grounder owns the
 * tables, indexes and ground network; the compiled code reads the table
 * views directly and calls back for what needs the runtime's data
 * structures (hash lookups, negation, comparisons of names, emitting).
 *
 * Terms are 64-bit encodings of ground constants: an integer has the top
 * bit set and its value in the low 63 bits; a name is its interned id;
 * 0x7fffffffffffffff is the undefined term that integer arithmetic on names
 * yields.
 *
 *===----------------------------------------------------------------------===*/

#ifndef NLOGIC_RUNTIME_GROUNDINGABI_H
#define NLOGIC_RUNTIME_GROUNDINGABI_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One relation's rows. The grounder refreshes the view whenever it appends
 * a row (the tuples may move), so compiled code reloads `tuples` per row. */
typedef struct nlogic_ground_table {
  const uint64_t *tuples; /* row-major, arity terms per row */
  int64_t size;           /* rows */
  int64_t dense;          /* nonzero when row p holds the integer p, all p */
} nlogic_ground_table;

typedef struct nlogic_ground_context {
  const nlogic_ground_table *tables; /* by relation, declaration order */
  const int64_t *ranges;             /* [lo, hi) rows per positive body atom */
  const uint64_t *names; /* encodings of the plans' name constants */
  void *grounder;        /* the runtime's grounder (opaque) */
} nlogic_ground_context;

typedef void (*nlogic_ground_rule_fn)(nlogic_ground_context *);

/* Rows of `relation` within the range of body atom `atom` whose terms at
 * the positions in `mask` (bit p: position p) equal `key` (arity entries;
 * the others are ignored), in row order, in a buffer that stays valid
 * until the next lookup at the same `depth`. Returns their number. */
int64_t nlogic_ground_lookup(nlogic_ground_context *ctx, int64_t depth,
                             int64_t relation, const uint64_t *key,
                             int64_t mask, int64_t atom, const int64_t **rows);

/* 1 when `relation` has the row `tuple` (arity terms), else 0. */
int64_t nlogic_ground_contains(nlogic_ground_context *ctx, int64_t relation,
                               const uint64_t *tuple);

/* 1 when the builtin `kind` (nlogic's ConstraintKind: leq, lt, geq, gt, eq,
 * neq, next) holds for two terms that are not both integers, else 0. */
int64_t nlogic_ground_compare(nlogic_ground_context *ctx, int64_t kind,
                              uint64_t lhs, uint64_t rhs);

/* Records a substitution of rule `rule`: the head's terms and the row each
 * positive body atom matched. */
void nlogic_ground_emit(nlogic_ground_context *ctx, int64_t rule,
                        const uint64_t *head, const int64_t *rows);

#ifdef __cplusplus
}
#endif

#endif /* NLOGIC_RUNTIME_GROUNDINGABI_H */
