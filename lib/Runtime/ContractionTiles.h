//===- ContractionTiles.h - register tiles of a rule's ground table -*- C++
//-*-===//
//
// The compiled kernels of a product rule under fast-math compute some of
// its rows in register tiles (lib/Conversion/NLogicToLinalg/
// ContractionTiles.h): up to NLOGIC_TILE_LANES head atoms (lanes) whose
// rows share a body atom row by row, as the query positions of dense
// attention share every key. This finds the tiles of one batch's ground
// table and takes their rows out of the segments' row ranges, which the
// per-row loop then covers alone.
//
//===----------------------------------------------------------------------===//

#ifndef NLOGIC_LIB_RUNTIME_CONTRACTIONTILES_H
#define NLOGIC_LIB_RUNTIME_CONTRACTIONTILES_H

#include <cstdint>
#include <vector>

namespace mlir::nlogic::runtime {

/// A rule's tiled form as the compiler reported it (KernelTable.h's
/// rule_tiling: NLOGIC_TILING_* and the body positions of its vectors).
struct TilingForm {
  int32_t kind = 0, vectorA = -1, vectorB = -1;
  /// Bit p: body atom p is one of the product's scalars.
  int32_t scalarMask = 0;
};

/// The tile records (NLOGIC_TILE_RECORD each) of a ground table:
/// `segments` (begin, end, head, slot per segment; the covered rows are
/// removed from their ranges), `index` (`numAtoms` offsets per row) and,
/// for Dot, `groups` (first and end segment per softmax group; a group a
/// tile owns gets an empty range). Every lane ends up in exactly one tile.
std::vector<int32_t> buildTiles(const TilingForm &form,
                                std::vector<int32_t> &segments,
                                const std::vector<int32_t> &index,
                                std::vector<int32_t> &groups, int numAtoms);

} // namespace mlir::nlogic::runtime

#endif // NLOGIC_LIB_RUNTIME_CONTRACTIONTILES_H
