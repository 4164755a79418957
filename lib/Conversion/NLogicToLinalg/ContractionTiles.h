//===- ContractionTiles.h - register-tiled kernels for product rules -*- C++
//-*-===//
//
// Per-substitution kernels compute attention one score at a time: a dot
// product `k(J)^T q(I)` per row of the ground table, loading both vectors
// for every score. When several head atoms (lanes) share their body's
// row-dependent atom row by row, as every query position of dense or causal
// attention shares the keys, the scores of four lanes and four rows are
// sixteen dot products that load each vector once: a register tile. The
// runtime finds such tiles in the ground table (lib/Runtime/
// ContractionTiles.cpp); these kernels compute them with vector ops, and the
// per-row kernel computes whatever rows no tile covers.
//
// Two forms of rule qualify, under fast-math only (tiles sum in another
// order than the reference evaluator):
//   Dot:   value = s1 * ... * a^T b  (two vectors; scalars without
//          arguments or gradients, like attention's 1/sqrt(d)), aggregated
//          by softmax, no head weight; a lane is a
//          softmax group, whose softmax the tile computes too.
//   Scale: value = s1 * ... * y     (one vector), aggregated by sum; a lane
//          is a segment.
//
//===----------------------------------------------------------------------===//

#ifndef NLOGIC_LIB_CONVERSION_NLOGICTOLINALG_CONTRACTIONTILES_H
#define NLOGIC_LIB_CONVERSION_NLOGICTOLINALG_CONTRACTIONTILES_H

#include "KernelBuilder.h"

#include "nlogic/Dialect/NLogic/IR/NLogicOps.h"
#include "nlogic/Runtime/KernelTable.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallVector.h"

#include <functional>

namespace mlir::nlogic::kernels {

/// Which tiled form a rule has (NLOGIC_TILING_* of KernelTable.h) and where
/// its operands are among the rule's body atoms.
struct ContractionForm {
  int32_t kind = NLOGIC_TILING_NONE;
  /// Positions of the vectors: Dot has two (either may be the lane's), Scale
  /// one (`vectorB` is -1).
  int32_t vectorA = -1, vectorB = -1;
  llvm::SmallVector<int32_t> scalars;
  llvm::SmallVector<bool> scalarNeedsGradient;
  bool vectorANeedsGradient = false, vectorBNeedsGradient = false;
  /// Elements of the vectors.
  int64_t length = 0;

  explicit operator bool() const { return kind != NLOGIC_TILING_NONE; }
  bool anyScalarNeedsGradient() const {
    return llvm::is_contained(scalarNeedsGradient, true);
  }
};

/// The tiled form of `rule`, or none. `reassociate` is fast-math; recursive
/// rules run level by level and are never tiled.
ContractionForm
analyzeContraction(RuleOp rule, bool reassociate, bool recursive,
                   const llvm::DenseSet<StringAttr> &relationsWithGradient);

/// The kernel arguments the tile loops use.
struct TileArgs {
  Value values, acc, aggs, dvalues, dacc, segments, index, groups, tiles;
  unsigned numAtoms = 0;
  /// The head atoms receive their one contribution by a store (`acc` is
  /// then the value arena: a pass-through head relation).
  bool storeHeads = false;
};

/// Forward: sets the aggregate slot of every segment of every tile's lanes
/// to the sum over the tile's rows (zero for rows the tile leaves to the
/// per-row loop, which then adds them). Emitted before the per-row loop.
void emitTilesForward(KernelBuilder &kb, const ContractionForm &form,
                      const TileArgs &args);

/// Backward: the per-row loop has left each segment's aggregate gradient
/// in its aggregate slot; accumulates the gradients of the tiles' rows'
/// body atoms. Emitted after the per-row loop.
void emitTilesBackward(KernelBuilder &kb, const ContractionForm &form,
                       const TileArgs &args);

} // namespace mlir::nlogic::kernels

#endif // NLOGIC_LIB_CONVERSION_NLOGICTOLINALG_CONTRACTIONTILES_H
