//===- ContractionTiles.cpp - register tiles of a rule's ground table ----===//

#include "ContractionTiles.h"

#include "nlogic/Runtime/KernelTable.h"

#include "llvm/ADT/STLExtras.h"

#include <algorithm>
#include <functional>

using namespace mlir::nlogic;
using namespace mlir::nlogic::runtime;

namespace {

/// A lane: its rows in order, each row's offset of the shared atom, and how
/// many of its leading rows a tile may take.
struct LaneRows {
  int32_t id = 0, firstRow = 0;
  int32_t eligible = 0;
};

class TileFinder {
public:
  TileFinder(const TilingForm &form, std::vector<int32_t> &segments,
             const std::vector<int32_t> &index, std::vector<int32_t> &groups,
             int numAtoms)
      : form(form), segments(segments), index(index), groups(groups),
        numAtoms(numAtoms) {}

  std::vector<int32_t> run();

private:
  bool dot() const { return form.kind == NLOGIC_TILING_DOT; }
  int32_t begin(int32_t s) const { return segments[4 * s]; }
  int32_t end(int32_t s) const { return segments[4 * s + 1]; }
  int32_t atom(int32_t row, int32_t position) const {
    return index[int64_t(row) * numAtoms + position];
  }
  int32_t numLanes() const {
    return dot() ? int32_t(groups.size() / 2) : int32_t(segments.size() / 4);
  }
  /// The row of lane `l`'s r-th substitution (r < its eligible rows).
  int32_t rowOf(int32_t lane, int32_t r) const {
    return dot() ? begin(groups[2 * lane] + r) : begin(lane) + r;
  }
  /// Which vector the lanes share row by row (Dot: the one that varies
  /// within a group; the other must stay the lane's own).
  int32_t chooseShared() const;
  /// How many leading rows of `lane` a tile can take.
  int32_t eligibleRows(int32_t lane) const;
  /// Dot: all of the group's rows when a tile can own it, else 0.
  int32_t ownableRows(int32_t lane) const;
  /// Scale: whether every lane's scalar atoms of row r sit at their row-0
  /// offsets + r, for r < rows (attention's weights(I, J) over J).
  bool contiguousScalars(const LaneRows *ls, int32_t count,
                         int32_t rows) const {
    for (int32_t m = 0; m < count; ++m)
      for (int32_t position = 0; position < numAtoms; ++position)
        for (int32_t r = 1; r < rows && (form.scalarMask >> position & 1); ++r)
          if (atom(rowOf(ls[m].id, r), position) !=
              atom(rowOf(ls[m].id, 0), position) + r)
            return false;
    return true;
  }
  /// Takes rows [0, rows) of `lane` out of the per-row loop.
  void cover(int32_t lane, int32_t rows);

  const TilingForm &form;
  std::vector<int32_t> &segments;
  const std::vector<int32_t> &index;
  std::vector<int32_t> &groups;
  int numAtoms;
  int32_t shared = 0, own = -1;
};

} // namespace

int32_t TileFinder::chooseShared() const {
  if (!dot())
    return form.vectorA;
  for (int32_t g = 0; g < numLanes(); ++g) {
    int32_t first = groups[2 * g], last = groups[2 * g + 1];
    if (last - first < 2 || end(first) - begin(first) != 1 ||
        end(first + 1) - begin(first + 1) != 1)
      continue;
    int32_t r0 = begin(first), r1 = begin(first + 1);
    if (atom(r0, form.vectorB) == atom(r1, form.vectorB))
      return form.vectorA;
    if (atom(r0, form.vectorA) == atom(r1, form.vectorA))
      return form.vectorB;
  }
  return form.vectorA;
}

int32_t TileFinder::eligibleRows(int32_t lane) const {
  int32_t rows = dot() ? ownableRows(lane) : end(lane) - begin(lane);
  // The kernels update the shared atoms' gradients four rows at a time,
  // each row's vector in a register of its own: a repeated atom would be
  // written twice from stale copies. Such a lane stays per row.
  std::vector<int32_t> offsets;
  for (int32_t r = 0; r < rows; ++r)
    offsets.push_back(atom(rowOf(lane, r), shared));
  llvm::sort(offsets);
  if (std::adjacent_find(offsets.begin(), offsets.end()) != offsets.end())
    return 0;
  return rows;
}

int32_t TileFinder::ownableRows(int32_t lane) const {
  // A tile owns a whole group or none of it: segments of one row each,
  // whose own vector is the first one's, with consecutive aggregate slots
  // and head atoms (the tile's softmax reads them as arrays).
  int32_t first = groups[2 * lane], last = groups[2 * lane + 1];
  for (int32_t s = first; s < last; ++s) {
    int32_t r = s - first;
    if (end(s) - begin(s) != 1 ||
        atom(begin(s), own) != atom(begin(first), own) ||
        segments[4 * s + 2] != segments[4 * first + 2] + r ||
        segments[4 * s + 3] != segments[4 * first + 3] + r)
      return 0;
  }
  return last - first;
}

void TileFinder::cover(int32_t lane, int32_t rows) {
  if (!dot()) {
    segments[4 * lane] += rows;
    return;
  }
  if (rows > 0) // the tile owns the group
    groups[2 * lane + 1] = groups[2 * lane];
}

std::vector<int32_t> TileFinder::run() {
  shared = chooseShared();
  own = dot() ? form.vectorA + form.vectorB - shared : -1;
  int32_t n = numLanes();
  std::vector<LaneRows> lanes(n);
  for (int32_t l = 0; l < n; ++l) {
    lanes[l].id = l;
    lanes[l].eligible = eligibleRows(l);
    lanes[l].firstRow = lanes[l].eligible > 0 ? rowOf(l, 0) : 0;
    // A Dot lane's second field is the rows it owns.
    if (dot())
      lanes[l].firstRow = lanes[l].eligible;
  }
  std::vector<int32_t> tiles;
  // The shared atoms of the last wide tile's rows: the kernels keep them
  // packed from one wide tile to the next (dense attention's tiles all
  // share every key, causal attention's a growing prefix of them).
  std::vector<int32_t> packed;
  auto emit = [&](const LaneRows *ls, int32_t count, int32_t rows) {
    int32_t flags = 0;
    if (!dot() && contiguousScalars(ls, count, rows))
      flags |= NLOGIC_TILE_CONTIGUOUS_SCALARS;
    int32_t reused = 0;
    if (count == NLOGIC_TILE_LANES) {
      while (reused < rows && reused < int32_t(packed.size()) &&
             packed[reused] == atom(rowOf(ls[0].id, reused), shared))
        ++reused;
      packed.resize(rows);
      for (int32_t r = reused; r < rows; ++r)
        packed[r] = atom(rowOf(ls[0].id, r), shared);
    }
    tiles.insert(tiles.end(), {count, rows, shared, flags, reused});
    for (int32_t m = 0; m < NLOGIC_TILE_LANES; ++m) {
      bool real = m < count;
      tiles.push_back(real ? ls[m].id : 0);
      tiles.push_back(real ? ls[m].firstRow : 0);
      if (real)
        cover(ls[m].id, dot() ? ls[m].eligible : rows);
    }
  };
  // A tile of NLOGIC_TILE_LANES lanes where it pays: the rows they share,
  // position by position, must be most of their rows (dense and causal
  // attention); otherwise each lane is a tile of its own.
  auto sharedRows = [&](const LaneRows *ls, int32_t count) {
    // Dot: the lanes' own vectors receive their gradients from registers
    // of their own, so they must be distinct atoms.
    if (dot()) {
      std::vector<int32_t> owns;
      for (int32_t m = 0; m < count; ++m) {
        if (ls[m].eligible == 0)
          return 0;
        owns.push_back(atom(rowOf(ls[m].id, 0), own));
      }
      llvm::sort(owns);
      if (std::adjacent_find(owns.begin(), owns.end()) != owns.end())
        return 0;
    }
    int32_t most = ls[0].eligible, total = 0;
    for (int32_t m = 0; m < count; ++m) {
      most = std::min(most, ls[m].eligible);
      total += ls[m].eligible;
    }
    int32_t r = 0;
    for (; r < most; ++r) {
      int32_t y = atom(rowOf(ls[0].id, r), shared);
      bool same = true;
      for (int32_t m = 1; m < count && same; ++m)
        same = atom(rowOf(ls[m].id, r), shared) == y;
      if (!same)
        break;
    }
    return r > 0 && 2 * count * r >= total ? r : 0;
  };
  for (int32_t l = 0; l < n;) {
    int32_t width = 1, rows = lanes[l].eligible;
    for (int32_t w : {NLOGIC_TILE_LANES}) {
      if (l + w > n)
        continue;
      if (int32_t r = sharedRows(&lanes[l], w)) {
        width = w;
        rows = r;
        break;
      }
    }
    emit(&lanes[l], width, rows);
    l += width;
  }
  return tiles;
}

std::vector<int32_t> runtime::buildTiles(const TilingForm &form,
                                         std::vector<int32_t> &segments,
                                         const std::vector<int32_t> &index,
                                         std::vector<int32_t> &groups,
                                         int numAtoms) {
  if (form.kind == NLOGIC_TILING_NONE || numAtoms == 0)
    return {};
  return TileFinder(form, segments, index, groups, numAtoms).run();
}
