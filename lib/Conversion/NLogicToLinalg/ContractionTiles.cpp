//===- ContractionTiles.cpp - register-tiled kernels for product rules ----===//
//
// Tile records (NLOGIC_TILE_RECORD i32 each, built by the runtime): lanes
// (1 or NLOGIC_TILE_LANES), rows R, the body position of the atom the lanes
// share row by row, then two fields per lane.
//
// A Scale lane is a segment (fields: segment, first row); its r-th row is
// `first row + r`. The tile covers rows [0, R) of every lane and the
// per-row loop the rest (the runtime has moved the segments' begin).
//
// A Dot lane is a softmax group (fields: group, rows owned). The tile owns
// the whole group (the runtime has emptied its range in `groups`, so the
// per-row loop skips it): its r-th row is the only row of the group's r-th
// segment; rows [0, R) are shared by the tile's lanes, the rest are each
// lane's own; the tile computes the scores, the softmax (aggregate slots
// and head atoms of a group are consecutive) and the gradients. A group
// the tile does not own (rows 0) is the per-row loop's, from zeroed slots.
//
// Kernels compute on vector<VLxf64> with VL = 4 (or the largest power of
// two dividing the vectors' length): with AVX-512VL's 32 registers a 4x4
// tile of dot products keeps 16 accumulators and 8 operands in registers.
//
//===----------------------------------------------------------------------===//

#include "ContractionTiles.h"

#include "nlogic/Dialect/NLogic/IR/ValueShape.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

#include <functional>
#include <limits>

using namespace mlir;
using namespace mlir::nlogic;
using namespace mlir::nlogic::kernels;

/// The shape an atom's value is used with (a transposed atom's type is
/// already transposed).
static std::pair<int64_t, int64_t> logicalShape(AtomOp atom) {
  ValueShape s = ValueShape::fromType(atom.getResult().getType());
  return {s.rows(), s.cols()};
}

ContractionForm kernels::analyzeContraction(
    RuleOp rule, bool reassociate, bool recursive,
    const llvm::DenseSet<StringAttr> &relationsWithGradient) {
  ContractionForm none;
  Aggregation aggregation = rule.getAggregation().value_or(Aggregation::sum);
  if (!reassociate || recursive ||
      (aggregation != Aggregation::softmax && aggregation != Aggregation::sum))
    return none;
  // The body: atoms and joins, one product of atoms, optionally an identity
  // transformation of it.
  llvm::DenseMap<Value, int32_t> positions;
  CombineOp product;
  Value result;
  for (Operation &op : rule.getBodyBlock()) {
    if (auto atom = dyn_cast<AtomOp>(op)) {
      int32_t k = positions.size();
      positions[atom.getResult()] = k;
    } else if (isa<WeighOp>(op)) {
      return none;
    } else if (auto c = dyn_cast<CombineOp>(op)) {
      if (product || c.getKind() != Combination::product || c.getOffset())
        return none;
      product = c;
      result = c.getResult();
    } else if (auto t = dyn_cast<TransformOp>(op)) {
      if (!product || t.getInput() != result ||
          t.getKind() != Transformation::identity)
        return none;
      result = t.getResult();
    } else if (auto head = dyn_cast<HeadOp>(op)) {
      if (!product || head.getValue() != result)
        return none;
    }
  }
  if (!product)
    return none;

  ContractionForm form;
  llvm::SmallVector<AtomOp> rows, columns;
  llvm::SmallVector<bool> constants; // scalars without arguments
  llvm::DenseSet<Value> seen;
  for (Value operand : product.getInputs()) {
    auto atom = operand.getDefiningOp<AtomOp>();
    if (!atom || !seen.insert(operand).second)
      return none;
    bool grad =
        relationsWithGradient.contains(atom.getRelationAttr().getAttr());
    auto [r, c] = logicalShape(atom);
    if (r == 1 && c == 1) {
      if (positions.lookup(operand) >= 31) // the runtime's mask has 31 bits
        return none;
      form.scalars.push_back(positions.lookup(operand));
      form.scalarNeedsGradient.push_back(grad);
      constants.push_back(atom.getTerms().empty());
    } else if (r == 1) {
      if (!columns.empty()) // a column before a row: an outer product
        return none;
      rows.push_back(atom);
    } else if (c == 1) {
      columns.push_back(atom);
    } else {
      return none;
    }
  }
  auto needs = [&](AtomOp atom) {
    return relationsWithGradient.contains(atom.getRelationAttr().getAttr());
  };
  ValueShape out = ValueShape::fromType(result.getType());
  if (aggregation == Aggregation::softmax && !rule.getWeightAttr() &&
      rows.size() == 1 && columns.size() == 1 && out.getNumElements() == 1 &&
      logicalShape(rows[0]).second == logicalShape(columns[0]).first &&
      !form.anyScalarNeedsGradient() &&
      llvm::all_of(constants, [](bool c) { return c; })) {
    form.kind = NLOGIC_TILING_DOT;
    form.vectorA = positions.lookup(rows[0].getResult());
    form.vectorB = positions.lookup(columns[0].getResult());
    form.vectorANeedsGradient = needs(rows[0]);
    form.vectorBNeedsGradient = needs(columns[0]);
    form.length = logicalShape(columns[0]).first;
    return form;
  }
  if (aggregation == Aggregation::sum && rows.empty() && columns.size() == 1 &&
      !form.scalars.empty() && out.rows() == logicalShape(columns[0]).first &&
      out.cols() == 1) {
    form.kind = NLOGIC_TILING_SCALE;
    form.vectorA = positions.lookup(columns[0].getResult());
    form.vectorANeedsGradient = needs(columns[0]);
    form.length = logicalShape(columns[0]).first;
    return form;
  }
  return none;
}

namespace {

constexpr int64_t kRecord = NLOGIC_TILE_RECORD;
constexpr int64_t kLanes = NLOGIC_TILE_LANES;
/// Lanes whose accumulators sit in registers together. A tile's lanes are
/// taken a group at a time over each block of rows, so a block's shared
/// vectors come from L2 once and from L1 for the other groups.
constexpr int64_t kGroup = 4;

/// Runs fn(first, size) over the groups of `count` lanes.
static void forEachGroup(int64_t count,
                         const std::function<void(int64_t, int64_t)> &fn) {
  for (int64_t first = 0; first < count; first += kGroup)
    fn(first, std::min(kGroup, count - first));
}
/// Rows whose coefficients and offsets are gathered into stack buffers at
/// a time.
constexpr int64_t kRowBlock = NLOGIC_TILE_ROW_BLOCK;
/// Keys per vector of a packed panel (below): its vectors run along the
/// rows, so the dot products of a lane with eight rows are one vector of
/// FMAs instead of eight vectors reduced across lanes.
constexpr int64_t kPanelKeys = 8;
static_assert(kRowBlock % kPanelKeys == 0, "a block is whole panel vectors");

/// One lane of a tile, as the kernels address it.
struct Lane {
  Value index; ///< the lane's position in its tile
  Value id, firstRow;
  /// Dot: the group's first and end segment (an empty range when the tile
  /// owns the group), the rows the tile owns, and where the group's
  /// aggregate slots and head atoms start (both consecutive).
  Value firstSegment, endSegment, rows, head;
  Value slot;   ///< Scale: the segment's aggregate slot; Dot: the first's
  Value offset; ///< Dot: the lane's own vector
};

class TileEmitter {
public:
  TileEmitter(KernelBuilder &kb, const ContractionForm &form,
              const TileArgs &args)
      : kb(kb), b(kb.builder()), form(form), args(args) {
    auto [w, chunk] = vectorChunks(form.length);
    width = w;
    perChunk = chunk;
    vecType = VectorType::get({width}, b.getF64Type());
    fastMath = arith::FastMathFlags::reassoc | arith::FastMathFlags::contract;
    offBuf = kb.allocAtEntry(MemRefType::get({kRowBlock}, b.getIndexType()));
    coefBuf =
        kb.allocAtEntry(MemRefType::get({kRowBlock * kLanes}, b.getF64Type()));
    laneOffBuf = kb.allocAtEntry(MemRefType::get({kLanes}, b.getIndexType()));
    laneDotBuf = kb.allocAtEntry(MemRefType::get({kLanes}, b.getF64Type()));
    laneCoefBuf = kb.allocAtEntry(MemRefType::get({kLanes}, b.getIndexType()));
    scores = args.storeHeads ? args.values : args.aggs;
  }

  void forward();
  void backward();

private:
  // Index arithmetic and memory.
  Value idx(int64_t v) { return kb.constantIndex(v); }
  Value add(Value x, Value y) { return arith::AddIOp::create(b, x, y); }
  Value mul(Value x, Value y) { return arith::MulIOp::create(b, x, y); }
  Value sub(Value x, Value y) { return arith::SubIOp::create(b, x, y); }
  /// Where row i's coefficient of lane m sits in coefBuf: lane-major, so
  /// that gathering a lane's block of consecutive slots is a vector copy
  /// (row-major, it was a scatter with a stride of 16).
  Value coefIndex(Value i, Value m) { return add(mul(m, idx(kRowBlock)), i); }
  Value load32(Value memref, Value i) { return kb.loadIndex(memref, i); }
  Value load(Value memref, Value i) {
    return memref::LoadOp::create(b, memref, ValueRange{i});
  }
  void store(Value v, Value memref, Value i) {
    memref::StoreOp::create(b, v, memref, ValueRange{i});
  }
  Value vload(Value memref, Value i) {
    return vector::LoadOp::create(b, vecType, memref, ValueRange{i});
  }
  void vstore(Value v, Value memref, Value i) {
    vector::StoreOp::create(b, v, memref, ValueRange{i});
  }
  Value splat(Value s) { return vector::BroadcastOp::create(b, vecType, s); }
  Value fma(Value x, Value y, Value acc) {
    return vector::FMAOp::create(b, x, y, acc);
  }
  Value zeroVector() { return splat(kb.constant(0.0)); }
  Value fmul(Value x, Value y) {
    return arith::MulFOp::create(b, x, y, fastMath);
  }

  /// KernelBuilder::forLoop, with and without loop-carried values.
  void loop(Value lo, Value hi, int64_t step,
            const std::function<void(Value)> &body) {
    kb.forLoop(lo, hi, step, body);
  }
  SmallVector<Value>
  loop(Value lo, Value hi, int64_t step, ValueRange inits,
       const std::function<SmallVector<Value>(Value, ValueRange)> &body) {
    return kb.forLoop(lo, hi, step, inits, body);
  }

  /// Runs `body(lanes)` for every tile, specialised to full tiles and to
  /// one lane.
  void forEachTile(const std::function<void(int64_t lanes, Value record,
                                            Value rows, Value shared)> &body);
  SmallVector<Lane> lanes(int64_t count, Value record, Value shared);
  /// Lane `m` (an index value) of a tile record.
  Lane laneAt(Value m, Value record, Value shared);
  /// Runs `body` once per lane inside a loop over the tile's lanes: one
  /// copy of per-lane code (softmax, a lane's own rows) instead of one per
  /// lane, which kept 16-lane tiles from taking seconds to compile.
  void forEachLane(int64_t count, Value record, Value shared,
                   const std::function<void(const Lane &)> &body);
  Value rowOf(const Lane &lane, Value r) {
    if (form.kind == NLOGIC_TILING_DOT)
      return load32(args.segments, mul(add(lane.firstSegment, r), idx(4)));
    return add(lane.firstRow, r);
  }
  Value atomOffset(Value row, Value position) {
    return load32(args.index, add(mul(row, idx(args.numAtoms)), position));
  }
  Value atomOffset(Value row, int32_t position) {
    return atomOffset(row, idx(position));
  }
  /// The product of the row's scalar atoms, leaving out `skip`.
  Value scalarProduct(Value row, int skip = -1) {
    Value p = kb.constant(1.0);
    for (auto [i, pos] : llvm::enumerate(form.scalars))
      if (int(i) != skip)
        p = fmul(p, load(args.values, atomOffset(row, pos)));
    return p;
  }

  /// The lanes x rows dot products of vectors at xBase[xOffsets[m]] and
  /// yBase[yOffsets[n]], m-major.
  SmallVector<Value> dots(Value xBase, ArrayRef<Value> xOffsets, Value yBase,
                          ArrayRef<Value> yOffsets);
  /// Their vector accumulators, x-major, before the horizontal sums.
  SmallVector<Value> dotAccumulators(Value xBase, ArrayRef<Value> xOffsets,
                                     Value yBase, ArrayRef<Value> yOffsets);
  /// The same for four rows, as one vector<4xf64> of sums per x.
  SmallVector<Value> dotsOfFourRows(Value xBase, ArrayRef<Value> xOffsets,
                                    Value yBase, ArrayRef<Value> yOffsets);
  /// out[outOffsets[m] + e + c] += sum_{i < n} coef(i, m) * yBase[yOff[i] +
  /// e + c] for the chunk of elements c < width * perChunk at e.
  void scaleRows(int64_t laneBase, int64_t lanes, Value n, Value e, Value coef,
                 Value yBase, Value yOff, Value out,
                 ArrayRef<Value> outOffsets);
  /// scaleRows for every group of a tile's lanes, chunk by chunk: the
  /// groups pass over one chunk of the block's rows while it is in L1.
  void scaleRowsByGroups(int64_t lanes, Value n, Value yBase, Value out,
                         ArrayRef<Value> outOffsets) {
    loop(idx(0), idx(form.length), width * perChunk, [&](Value e) {
      forEachGroup(lanes, [&](int64_t first, int64_t size) {
        scaleRows(first, size, n, e, coefBuf, yBase, offBuf, out,
                  outOffsets.slice(first, size));
      });
    });
  }
  /// out[offBuf[i] + e] += sum_m coef(i, m) * xBase[xOffsets[m] + e]
  /// for a block of n rows: four rows by 16 elements of the output stay in
  /// registers while all the tile's lanes are summed in, so each output
  /// row is read and written once per block (not once per lane group).
  void spreadRowsTiled(int64_t lanes, Value n, Value xBase,
                       ArrayRef<Value> xOffsets, Value out);
  /// Gathers, for rows [r0, r0 + n) of the tile, the shared atom's offset
  /// and each lane's coefficient `coefOf(whole, lane, row)`. With
  /// `contiguous`, coefOf can also give the coefficients of `width`
  /// consecutive rows as one vector (whole), and each lane's are gathered
  /// a vector at a time; otherwise one at a time (whole is false).
  void gatherBlock(
      ArrayRef<Lane> ls, Value shared, Value r0, Value n, bool contiguous,
      const std::function<Value(bool whole, unsigned lane, Value r)> &coefOf);
  /// Runs step(whole, i) over [0, n): whole vectors of `width` elements,
  /// then the rest one at a time; `whole` says whether the step's loads,
  /// stores and operands are vectors or scalars.
  void vectorPass(Value n, const std::function<void(bool, Value)> &step);
  /// The same with an accumulator: over the vectors from splat(init), then
  /// over the rest from the vector's reduction by `kind`.
  Value vectorReduce(Value n, double init, vector::CombiningKind kind,
                     const std::function<Value(bool, Value, Value)> &step);
  Value get(bool whole, Value mem, Value i) {
    return whole ? vload(mem, i) : load(mem, i);
  }
  void put(bool whole, Value v, Value mem, Value i) {
    whole ? vstore(v, mem, i) : store(v, mem, i);
  }
  /// A scalar as an operand of a step's vectors (whole) or scalars.
  Value operand(bool whole, Value scalar) {
    return whole ? splat(scalar) : scalar;
  }
  /// Scale: gathers the block's coefficients, the products of each row's
  /// scalars, and the shared atom's offsets; given `bases` (a lane's
  /// scalars are consecutive, withScalarBases), without reading the ground
  /// table.
  void gatherBlockOf(ArrayRef<Lane> ls, Value shared, Value r0, Value n,
                     ArrayRef<SmallVector<Value>> bases);
  /// Only the block's offsets of the shared atom, into offBuf.
  void gatherOffsets(ArrayRef<Lane> ls, Value shared, Value r0, Value n);
  /// Scale: runs `body(bases)` (withScalarBases' bases) with the block's
  /// shared offsets in offBuf and its coefficients where the FMA loops
  /// read them: gathered into coefBuf, or (one consecutive scalar per row)
  /// read in place through directCoefficients.
  void withCoefficients(
      ArrayRef<Lane> ls, Value record, Value shared, Value r0, Value n,
      const std::function<void(ArrayRef<SmallVector<Value>>)> &body);
  /// Emits `body` twice under the tile's NLOGIC_TILE_CONTIGUOUS_SCALARS
  /// flag: with each lane's scalars' row-0 offsets when it is set, with
  /// none (read the ground table) when not.
  void withScalarBases(
      ArrayRef<Lane> ls, Value record,
      const std::function<void(ArrayRef<SmallVector<Value>>)> &body);
  /// Runs `body(r0, n)` over blocks of kRowBlock rows of [0, rows).
  void forEachBlock(Value lo, Value hi,
                    const std::function<void(Value, Value)> &body);
  /// Dot: lanes x rows [lo, hi) scores (times the scalars) into the slots;
  /// the shared vectors are those of the first lane's rows.
  void scoreRows(ArrayRef<Lane> ls, Value shared, Value lo, Value hi);
  /// Dot: softmax over an owned lane's slots, added to its heads.
  void softmaxForward(const Lane &lane);
  /// e^x (f64 or a vector of them) as polynomial code that vectorises,
  /// instead of a libm call per element: within 2 ulp (fast-math only).
  Value exp(Value x);
  Value constantLike(Type type, double v);
  /// Dot: sum norm * d norm over an owned lane's group, into laneDotBuf:
  /// the softmax's backward without a pass that stores the raw scores'
  /// gradients (gradientRows computes them as it gathers them).
  void softmaxBackward(const Lane &lane);
  /// Dot: the vectors' gradients, from the raw scores' gradients
  /// norm * (d norm - laneDotBuf[lane]) times the scalars.
  void gradientRows(ArrayRef<Lane> ls, Value shared, Value lo, Value hi);

  /// Runs `body` with the packed panel allocated, sized for the largest
  /// wide tile of the kernel's tile records, and freed after.
  void withPanel(const std::function<void()> &body);
  /// Packs the wide tile's whole blocks of rows, [0, the returned count),
  /// into the panel, starting after the rows the record says the previous
  /// wide tile left there.
  Value packPanel(const Lane &first, Value record, Value rows, Value shared);
  /// The dot products of the lanes of ls (four at most) with the panel's
  /// block at r0 (kRowBlock rows), lane-major: kRowBlock / kPanelKeys
  /// vectors of consecutive rows per lane. `xBase` holds the lanes'
  /// vectors at `xOffsets`.
  SmallVector<Value> panelDots(Value xBase, ArrayRef<Value> xOffsets, Value r0);
  /// panelDots for every group of the lanes at `xOffsets`: fn(lane, row,
  /// d) for each vector d of the dot products of rows [row, row +
  /// kPanelKeys).
  void
  forEachPanelVector(Value xBase, ArrayRef<Value> xOffsets, Value r0,
                     const std::function<void(int64_t, Value, Value)> &fn) {
    forEachGroup(xOffsets.size(), [&](int64_t first, int64_t size) {
      SmallVector<Value> d = panelDots(xBase, xOffsets.slice(first, size), r0);
      int64_t perLane = d.size() / size;
      for (int64_t m = 0; m < size; ++m)
        for (int64_t j = 0; j < perLane; ++j)
          fn(first + m, add(r0, idx(j * kPanelKeys)), d[m * perLane + j]);
    });
  }

  void dotForward(int64_t lanes, Value record, Value rows, Value shared);
  void dotBackward(int64_t lanes, Value record, Value rows, Value shared);
  void scaleForward(int64_t lanes, Value record, Value rows, Value shared);
  void scaleBackward(int64_t lanes, Value record, Value rows, Value shared);
  /// Scale, backward: d s += d * (the other scalars) for each of a row's
  /// scalars (at offsets `at` of the value arena) that needs a gradient;
  /// `d` is an f64, or a vector of consecutive rows' (then so are the
  /// scalars at each offset).
  void addScalarGradients(Value d, ArrayRef<Value> at);

  KernelBuilder &kb;
  ImplicitLocOpBuilder &b;
  const ContractionForm &form;
  const TileArgs &args;
  int64_t width = 4, perChunk = 1;
  VectorType vecType;
  arith::FastMathFlags fastMath;
  Value offBuf, coefBuf; ///< kRowBlock offsets; kLanes x kRowBlock coefs
  Value laneOffBuf;      ///< the lanes' vector offsets
  Value laneDotBuf;      ///< Dot, backward: each lane's softmax dot product
  /// Where set (Scale, one consecutive scalar per row), lane m's
  /// coefficient of the block's row i is values[directCoefficients[m] + i]
  /// instead of coefBuf's; laneCoefBuf holds them for loops over lanes.
  SmallVector<Value> directCoefficients;
  Value laneCoefBuf;
  /// The packed panel: the shared vectors of the wide tiles' whole blocks
  /// of rows, transposed block by block (element e of row r at
  /// (r - r % kRowBlock) * length + e * kRowBlock + r % kRowBlock), and
  /// how many leading rows it holds (a memref<1xindex>). Null where the
  /// kernel has no use for it.
  Value panel, panelRows;
  /// Dot: where a lane's scores (then its softmax) sit, from the lane's
  /// `slot` on: the aggregate slots, or for a pass-through head
  /// (args.storeHeads) the head atoms' values themselves (`slot` is then
  /// the first head atom), which saves a copy of every score.
  Value scores;
  /// Dot: the product of the scalars, atoms without arguments (the same in
  /// every row), read once per tile.
  Value tileScalars;
};

} // namespace

void TileEmitter::forEachTile(
    const std::function<void(int64_t, Value, Value, Value)> &body) {
  Value size = memref::DimOp::create(b, args.tiles, 0);
  Value count = arith::DivUIOp::create(b, size, idx(kRecord));
  loop(idx(0), count, 1, [&](Value t) {
    Value record = mul(t, idx(kRecord));
    Value numLanes = load32(args.tiles, record);
    Value rows = load32(args.tiles, add(record, idx(1)));
    Value shared = load32(args.tiles, add(record, idx(2)));
    // Specialised to the two tile widths the runtime makes (a third, four
    // lanes, doubled the kernels' compile time for little gain).
    OpBuilder::InsertionGuard guard(b);
    Value full = arith::CmpIOp::create(b, arith::CmpIPredicate::eq, numLanes,
                                       idx(kLanes));
    auto ifOp = scf::IfOp::create(b, full, /*withElseRegion=*/true);
    b.setInsertionPoint(ifOp.thenBlock()->getTerminator());
    body(kLanes, record, rows, shared);
    b.setInsertionPoint(ifOp.elseBlock()->getTerminator());
    body(1, record, rows, shared);
  });
}

SmallVector<Lane> TileEmitter::lanes(int64_t count, Value record,
                                     Value shared) {
  SmallVector<Lane> ls;
  for (int64_t m = 0; m < count; ++m)
    ls.push_back(laneAt(idx(m), record, shared));
  return ls;
}

void TileEmitter::forEachLane(int64_t count, Value record, Value shared,
                              const std::function<void(const Lane &)> &body) {
  loop(idx(0), idx(count), 1,
       [&](Value m) { body(laneAt(m, record, shared)); });
}

Lane TileEmitter::laneAt(Value m, Value record, Value shared) {
  Lane lane;
  lane.index = m;
  Value field = add(record, mul(m, idx(2)));
  lane.id = load32(args.tiles, add(field, idx(NLOGIC_TILE_HEADER)));
  Value second = load32(args.tiles, add(field, idx(NLOGIC_TILE_HEADER + 1)));
  if (form.kind != NLOGIC_TILING_DOT) {
    lane.firstRow = second;
    lane.slot = load32(args.segments, add(mul(lane.id, idx(4)), idx(3)));
    return lane;
  }
  lane.rows = second;
  lane.firstSegment = load32(args.groups, mul(lane.id, idx(2)));
  lane.endSegment = load32(args.groups, add(mul(lane.id, idx(2)), idx(1)));
  Value first = mul(lane.firstSegment, idx(4));
  lane.firstRow = load32(args.segments, first);
  lane.head = load32(args.segments, add(first, idx(2)));
  lane.slot =
      args.storeHeads ? lane.head : load32(args.segments, add(first, idx(3)));
  // The lane's vector: the body atom that is not the shared one.
  Value other = sub(idx(form.vectorA + form.vectorB), shared);
  lane.offset = atomOffset(lane.firstRow, other);
  return lane;
}

SmallVector<Value> TileEmitter::dotAccumulators(Value xBase,
                                                ArrayRef<Value> xOffsets,
                                                Value yBase,
                                                ArrayRef<Value> yOffsets) {
  size_t nx = xOffsets.size(), ny = yOffsets.size();
  SmallVector<Value> inits(nx * ny, zeroVector());
  SmallVector<Value> sums = loop(
      idx(0), idx(form.length), width, inits, [&](Value e, ValueRange acc) {
        SmallVector<Value> xs, ys, next;
        for (Value x : xOffsets)
          xs.push_back(vload(xBase, add(x, e)));
        for (Value y : yOffsets)
          ys.push_back(vload(yBase, add(y, e)));
        for (size_t m = 0; m < nx; ++m)
          for (size_t n = 0; n < ny; ++n)
            next.push_back(fma(xs[m], ys[n], acc[m * ny + n]));
        return next;
      });
  return sums;
}

SmallVector<Value> TileEmitter::dots(Value xBase, ArrayRef<Value> xOffsets,
                                     Value yBase, ArrayRef<Value> yOffsets) {
  SmallVector<Value> out;
  for (Value s : dotAccumulators(xBase, xOffsets, yBase, yOffsets))
    out.push_back(vector::ReductionOp::create(b, vector::CombiningKind::ADD, s,
                                              fastMath));
  return out;
}

SmallVector<Value> TileEmitter::dotsOfFourRows(Value xBase,
                                               ArrayRef<Value> xOffsets,
                                               Value yBase,
                                               ArrayRef<Value> yOffsets) {
  assert(yOffsets.size() == 4 && (width == 8 || width == 4));
  size_t nx = xOffsets.size();
  SmallVector<Value> sums = dotAccumulators(xBase, xOffsets, yBase, yOffsets);
  // Four accumulators a, b, c, d into [sum a, sum b, sum c, sum d] by a
  // tree of pairwise shuffles and adds: half the shuffles of four
  // separate horizontal sums, and the result is one vector to store.
  auto add2 = [&](Value x, Value y) {
    return Value(arith::AddFOp::create(b, x, y, fastMath));
  };
  auto shuffle = [&](Value x, Value y, ArrayRef<int64_t> mask) {
    return Value(vector::ShuffleOp::create(b, x, y, mask));
  };
  auto pairs = [&](Value x, Value y) {
    if (width == 8)
      return add2(shuffle(x, y, {0, 8, 2, 10, 4, 12, 6, 14}),
                  shuffle(x, y, {1, 9, 3, 11, 5, 13, 7, 15}));
    return add2(shuffle(x, y, {0, 4, 2, 6}), shuffle(x, y, {1, 5, 3, 7}));
  };
  SmallVector<Value> out;
  for (size_t m = 0; m < nx; ++m) {
    Value ab = pairs(sums[4 * m], sums[4 * m + 1]);
    Value cd = pairs(sums[4 * m + 2], sums[4 * m + 3]);
    if (width == 4) {
      out.push_back(
          add2(shuffle(ab, cd, {0, 1, 4, 5}), shuffle(ab, cd, {2, 3, 6, 7})));
      continue;
    }
    Value abcd = add2(shuffle(ab, cd, {0, 1, 8, 9, 4, 5, 12, 13}),
                      shuffle(ab, cd, {2, 3, 10, 11, 6, 7, 14, 15}));
    out.push_back(add2(shuffle(abcd, abcd, {0, 1, 2, 3}),
                       shuffle(abcd, abcd, {4, 5, 6, 7})));
  }
  return out;
}

void TileEmitter::scaleRows(int64_t laneBase, int64_t lanes, Value n, Value e,
                            Value coef, Value yBase, Value yOff, Value out,
                            ArrayRef<Value> outOffsets) {
  SmallVector<Value> inits;
  for (int64_t m = 0; m < lanes; ++m)
    for (int64_t v = 0; v < perChunk; ++v)
      inits.push_back(vload(out, add(outOffsets[m], add(e, idx(v * width)))));
  SmallVector<Value> sums =
      loop(idx(0), n, 1, inits, [&](Value i, ValueRange acc) {
        Value y0 = add(load(yOff, i), e);
        SmallVector<Value> ys, next;
        for (int64_t v = 0; v < perChunk; ++v)
          ys.push_back(vload(yBase, add(y0, idx(v * width))));
        for (int64_t m = 0; m < lanes; ++m) {
          Value c = splat(directCoefficients.empty()
                              ? load(coef, coefIndex(i, idx(laneBase + m)))
                              : load(args.values,
                                     add(directCoefficients[laneBase + m], i)));
          for (int64_t v = 0; v < perChunk; ++v)
            next.push_back(fma(c, ys[v], acc[m * perChunk + v]));
        }
        return next;
      });
  for (int64_t m = 0; m < lanes; ++m)
    for (int64_t v = 0; v < perChunk; ++v)
      vstore(sums[m * perChunk + v], out,
             add(outOffsets[m], add(e, idx(v * width))));
}

void TileEmitter::spreadRowsTiled(int64_t lanes, Value n, Value xBase,
                                  ArrayRef<Value> xOffsets, Value out) {
  for (auto [m, x] : llvm::enumerate(xOffsets))
    store(x, laneOffBuf, idx(m));
  // Four rows by perChunk vectors: 16 accumulators for 4 loads of x.
  int64_t vectors = perChunk;
  auto block = [&](int64_t nr, Value i0) {
    loop(idx(0), idx(form.length), width * vectors, [&](Value e) {
      SmallVector<Value> outs, inits;
      for (int64_t j = 0; j < nr; ++j) {
        outs.push_back(add(load(offBuf, add(i0, idx(j))), e));
        for (int64_t v = 0; v < vectors; ++v)
          inits.push_back(vload(out, add(outs[j], idx(v * width))));
      }
      SmallVector<Value> sums =
          loop(idx(0), idx(lanes), 1, inits, [&](Value m, ValueRange acc) {
            Value x0 = add(load(laneOffBuf, m), e);
            SmallVector<Value> xs, next;
            for (int64_t v = 0; v < vectors; ++v)
              xs.push_back(vload(xBase, add(x0, idx(v * width))));
            for (int64_t j = 0; j < nr; ++j) {
              Value i = add(i0, idx(j));
              Value c =
                  splat(directCoefficients.empty()
                            ? load(coefBuf, coefIndex(i, m))
                            : load(args.values, add(load(laneCoefBuf, m), i)));
              for (int64_t v = 0; v < vectors; ++v)
                next.push_back(fma(c, xs[v], acc[j * vectors + v]));
            }
            return next;
          });
      for (int64_t j = 0; j < nr; ++j)
        for (int64_t v = 0; v < vectors; ++v)
          vstore(sums[j * vectors + v], out, add(outs[j], idx(v * width)));
    });
  };
  Value four = mul(arith::DivUIOp::create(b, n, idx(4)), idx(4));
  loop(idx(0), four, 4, [&](Value i0) { block(4, i0); });
  loop(four, n, 1, [&](Value i0) { block(1, i0); });
}

void TileEmitter::gatherBlock(
    ArrayRef<Lane> ls, Value shared, Value r0, Value n, bool contiguous,
    const std::function<Value(bool, unsigned, Value)> &coefOf) {
  loop(idx(0), n, 1, [&](Value i) {
    Value r = add(r0, i);
    store(atomOffset(rowOf(ls[0], r), shared), offBuf, i);
    if (!contiguous)
      for (unsigned m = 0; m < ls.size(); ++m)
        store(coefOf(false, m, r), coefBuf, coefIndex(i, idx(m)));
  });
  if (!contiguous)
    return;
  // Lane-major buffer: a lane's coefficients are consecutive there too.
  for (unsigned m = 0; m < ls.size(); ++m)
    vectorPass(n, [&](bool whole, Value i) {
      put(whole, coefOf(whole, m, add(r0, i)), coefBuf, coefIndex(i, idx(m)));
    });
}

void TileEmitter::vectorPass(Value n,
                             const std::function<void(bool, Value)> &step) {
  Value vectors = mul(arith::DivUIOp::create(b, n, idx(width)), idx(width));
  loop(idx(0), vectors, width, [&](Value i) { step(true, i); });
  loop(vectors, n, 1, [&](Value i) { step(false, i); });
}

Value TileEmitter::vectorReduce(
    Value n, double init, vector::CombiningKind kind,
    const std::function<Value(bool, Value, Value)> &step) {
  // Four accumulators over runs of four vectors, so that the step's
  // latency (an FMA's, a compare's) is not paid once per vector; then the
  // remaining vectors into the first.
  constexpr int64_t kChains = 4;
  Value runs = mul(arith::DivUIOp::create(b, n, idx(kChains * width)),
                   idx(kChains * width));
  Value vectors = mul(arith::DivUIOp::create(b, n, idx(width)), idx(width));
  SmallVector<Value> chains =
      loop(idx(0), runs, kChains * width,
           SmallVector<Value>(kChains, splat(kb.constant(init))),
           [&](Value i, ValueRange acc) {
             SmallVector<Value> next;
             for (int64_t c = 0; c < kChains; ++c)
               next.push_back(step(true, add(i, idx(c * width)), acc[c]));
             return next;
           });
  chains[0] =
      loop(runs, vectors, width, {chains[0]}, [&](Value i, ValueRange acc) {
        return SmallVector<Value>{step(true, i, acc[0])};
      })[0];
  // The chains combine by the kind's operation (the two kinds used here).
  auto combine = [&](Value x, Value y) -> Value {
    if (kind == vector::CombiningKind::ADD)
      return arith::AddFOp::create(b, x, y, fastMath);
    assert(kind == vector::CombiningKind::MAXIMUMF && "unexpected kind");
    return arith::MaximumFOp::create(b, x, y, fastMath);
  };
  Value vacc =
      combine(combine(chains[0], chains[1]), combine(chains[2], chains[3]));
  Value start = vector::ReductionOp::create(b, kind, vacc, fastMath);
  return loop(vectors, n, 1, {start}, [&](Value i, ValueRange acc) {
    return SmallVector<Value>{step(false, i, acc[0])};
  })[0];
}

void TileEmitter::withScalarBases(
    ArrayRef<Lane> ls, Value record,
    const std::function<void(ArrayRef<SmallVector<Value>>)> &body) {
  Value bit = arith::AndIOp::create(b, load32(args.tiles, add(record, idx(3))),
                                    idx(NLOGIC_TILE_CONTIGUOUS_SCALARS));
  auto ifOp = scf::IfOp::create(
      b, arith::CmpIOp::create(b, arith::CmpIPredicate::ne, bit, idx(0)),
      /*withElseRegion=*/true);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPoint(ifOp.thenBlock()->getTerminator());
  // Row r's scalars at their row-0 offsets + r: no ground-table reads.
  SmallVector<SmallVector<Value>> bases;
  for (const Lane &lane : ls) {
    bases.emplace_back();
    for (int32_t pos : form.scalars)
      bases.back().push_back(atomOffset(lane.firstRow, pos));
  }
  body(bases);
  b.setInsertionPoint(ifOp.elseBlock()->getTerminator());
  body({});
}

void TileEmitter::gatherBlockOf(ArrayRef<Lane> ls, Value shared, Value r0,
                                Value n, ArrayRef<SmallVector<Value>> bases) {
  gatherBlock(ls, shared, r0, n, /*contiguous=*/!bases.empty(),
              [&](bool whole, unsigned m, Value r) {
                if (bases.empty())
                  return scalarProduct(rowOf(ls[m], r));
                Value p = operand(whole, kb.constant(1.0));
                for (Value base : bases[m])
                  p = fmul(p, get(whole, args.values, add(base, r)));
                return p;
              });
}

void TileEmitter::gatherOffsets(ArrayRef<Lane> ls, Value shared, Value r0,
                                Value n) {
  loop(idx(0), n, 1, [&](Value i) {
    store(atomOffset(rowOf(ls[0], add(r0, i)), shared), offBuf, i);
  });
}

void TileEmitter::forEachBlock(Value lo, Value hi,
                               const std::function<void(Value, Value)> &body) {
  loop(lo, hi, kRowBlock, [&](Value r0) {
    Value n = arith::MinSIOp::create(b, idx(kRowBlock), sub(hi, r0));
    body(r0, n);
  });
}

void TileEmitter::scoreRows(ArrayRef<Lane> ls, Value shared, Value lo,
                            Value hi) {
  SmallVector<Value> xs;
  for (const Lane &l : ls)
    xs.push_back(l.offset);
  auto block = [&](int64_t nr, Value r0) {
    SmallVector<Value> ys;
    for (int64_t j = 0; j < nr; ++j)
      ys.push_back(atomOffset(rowOf(ls[0], add(r0, idx(j))), shared));
    if (nr == 4 && (width == 8 || width == 4)) {
      // Four rows' scores of a lane as one vector into its consecutive
      // slots.
      auto four = VectorType::get({4}, b.getF64Type());
      forEachGroup(ls.size(), [&](int64_t first, int64_t size) {
        SmallVector<Value> d = dotsOfFourRows(
            args.values, ArrayRef(xs).slice(first, size), args.values, ys);
        for (int64_t m = 0; m < size; ++m) {
          Value v = d[m];
          if (!form.scalars.empty())
            v = fmul(v, vector::BroadcastOp::create(b, four, tileScalars));
          vector::StoreOp::create(b, v, scores,
                                  ValueRange{add(ls[first + m].slot, r0)});
        }
      });
      return;
    }
    forEachGroup(ls.size(), [&](int64_t first, int64_t size) {
      SmallVector<Value> d =
          dots(args.values, ArrayRef(xs).slice(first, size), args.values, ys);
      for (int64_t m = 0; m < size; ++m)
        for (int64_t j = 0; j < nr; ++j) {
          Value r = add(r0, idx(j));
          Value v = d[m * nr + j];
          if (!form.scalars.empty())
            v = fmul(v, tileScalars);
          store(v, scores, add(ls[first + m].slot, r));
        }
    });
  };
  // Four rows at a time, then the rest one by one.
  Value four =
      add(lo, mul(arith::DivUIOp::create(b, sub(hi, lo), idx(4)), idx(4)));
  loop(lo, four, 4, [&](Value r0) { block(4, r0); });
  loop(four, hi, 1, [&](Value r0) { block(1, r0); });
}

Value TileEmitter::constantLike(Type type, double v) {
  auto vt = dyn_cast<VectorType>(type);
  if (!vt)
    return kb.constant(v);
  return arith::ConstantOp::create(
      b, DenseElementsAttr::get(vt, b.getFloatAttr(vt.getElementType(), v)));
}

Value TileEmitter::exp(Value x) {
  Type type = x.getType();
  auto c = [&](double v) { return constantLike(type, v); };
  Type intType = b.getI64Type();
  if (auto vt = dyn_cast<VectorType>(type))
    intType = VectorType::get(vt.getShape(), intType);
  auto ci = [&](int64_t v) -> Value {
    if (auto vt = dyn_cast<VectorType>(intType))
      return arith::ConstantOp::create(
          b, DenseElementsAttr::get(vt, b.getI64IntegerAttr(v)));
    return arith::ConstantOp::create(b, b.getI64IntegerAttr(v));
  };
  auto fma = [&](Value a, Value m, Value acc) {
    return Value(math::FmaOp::create(b, a, m, acc));
  };
  // exp(x) = 2^k exp(r), r = x - k ln 2 in [-ln2/2, ln2/2] (ln 2 in two
  // parts, Cody and Waite), exp(r) by its Taylor series to r^13/13! (error
  // below 1e-17 there), 2^k as two powers of two built from their bits so
  // that results down to the denormals come out right.
  x = arith::MaximumFOp::create(b, x, c(-746.0));
  x = arith::MinimumFOp::create(b, x, c(709.7));
  Value k = math::FloorOp::create(b, fma(x, c(1.4426950408889634074), c(0.5)));
  Value r = fma(k, c(-6.93147180369123816490e-01), x);
  r = fma(k, c(-1.90821492927058770002e-10), r);
  double factorial = 1;
  SmallVector<double> inverse = {1.0};
  for (int n = 1; n <= 13; ++n) {
    factorial *= n;
    inverse.push_back(1.0 / factorial);
  }
  Value p = c(inverse[13]);
  for (int n = 12; n >= 0; --n)
    p = fma(p, r, c(inverse[n]));
  Value ki = arith::FPToSIOp::create(b, intType, k);
  Value k1 = arith::ShRSIOp::create(b, ki, ci(1));
  Value k2 = arith::SubIOp::create(b, ki, k1);
  auto power = [&](Value e) {
    Value biased = arith::AddIOp::create(b, e, ci(1023));
    Value bits = arith::ShLIOp::create(b, biased, ci(52));
    return Value(arith::BitcastOp::create(b, type, bits));
  };
  return fmul(fmul(p, power(k1)), power(k2));
}

void TileEmitter::softmaxForward(const Lane &lane) {
  auto maxOp = [&](Value x, Value y) {
    Value gt = arith::CmpFOp::create(b, arith::CmpFPredicate::OGT, x, y);
    return Value(arith::SelectOp::create(b, gt, x, y));
  };
  // Each pass runs over whole vectors of the group's consecutive slots,
  // then over the rest one at a time; `whole` says which, and so whether
  // loads, stores and operands are vectors or scalars.
  Value at = lane.slot, n = lane.rows;
  Value max = vectorReduce(n, -std::numeric_limits<double>::infinity(),
                           vector::CombiningKind::MAXIMUMF,
                           [&](bool whole, Value r, Value m) {
                             return maxOp(get(whole, scores, add(at, r)), m);
                           });
  Value sum = vectorReduce(
      n, 0.0, vector::CombiningKind::ADD, [&](bool whole, Value r, Value z) {
        Value e = exp(arith::SubFOp::create(b, get(whole, scores, add(at, r)),
                                            operand(whole, max), fastMath));
        put(whole, e, scores, add(at, r));
        return Value(arith::AddFOp::create(b, z, e, fastMath));
      });
  Value inverse = arith::DivFOp::create(b, kb.constant(1.0), sum);
  // The normalised values into the slots and, when those are not the
  // heads themselves, into the heads.
  vectorPass(n, [&](bool whole, Value r) {
    Value norm = fmul(get(whole, scores, add(at, r)), operand(whole, inverse));
    put(whole, norm, scores, add(at, r));
    if (args.storeHeads)
      return;
    Value head = add(lane.head, r);
    put(whole,
        arith::AddFOp::create(b, get(whole, args.acc, head), norm, fastMath),
        args.acc, head);
  });
}

void TileEmitter::softmaxBackward(const Lane &lane) {
  // d raw = norm * (d norm - sum norm * d norm): the sum here, the rest
  // where gradientRows gathers it.
  Value dot =
      vectorReduce(lane.rows, 0.0, vector::CombiningKind::ADD,
                   [&](bool whole, Value r, Value s) {
                     Value p = fmul(get(whole, scores, add(lane.slot, r)),
                                    get(whole, args.dacc, add(lane.head, r)));
                     return Value(arith::AddFOp::create(b, s, p, fastMath));
                   });
  store(dot, laneDotBuf, lane.index);
}

void TileEmitter::gradientRows(ArrayRef<Lane> ls, Value shared, Value lo,
                               Value hi) {
  SmallVector<Value> xs;
  for (const Lane &l : ls)
    xs.push_back(l.offset);
  // Which vector is the lanes' decides which gradient each loop feeds.
  Value sharedIsA = arith::CmpIOp::create(b, arith::CmpIPredicate::eq, shared,
                                          idx(form.vectorA));
  bool aNeeds = form.vectorANeedsGradient, bNeeds = form.vectorBNeedsGradient;
  // Emits `emit` where the vector it feeds (the lanes' or the shared one)
  // needs a gradient: the shared vector is A in some tiles, B in others.
  auto when = [&](bool forShared, const std::function<void()> &emit) {
    bool ifSharedIsA = forShared ? aNeeds : bNeeds;
    bool ifSharedIsB = forShared ? bNeeds : aNeeds;
    if (!ifSharedIsA && !ifSharedIsB)
      return;
    if (ifSharedIsA && ifSharedIsB) {
      emit();
      return;
    }
    Value cond = ifSharedIsA
                     ? sharedIsA
                     : arith::XOrIOp::create(
                           b, sharedIsA,
                           arith::ConstantOp::create(b, b.getBoolAttr(true)));
    auto op = scf::IfOp::create(b, cond, /*withElseRegion=*/false);
    OpBuilder::InsertionGuard g(b);
    b.setInsertionPoint(op.thenBlock()->getTerminator());
    emit();
  };
  int64_t count = ls.size();
  forEachBlock(lo, hi, [&](Value r0, Value n) {
    // d raw score * scalars: the coefficient of both vectors' gradients.
    gatherBlock(ls, shared, r0, n, /*contiguous=*/true,
                [&](bool whole, unsigned m, Value r) {
                  Value norm = get(whole, scores, add(ls[m].slot, r));
                  Value dNorm = get(whole, args.dacc, add(ls[m].head, r));
                  Value dot = operand(whole, load(laneDotBuf, ls[m].index));
                  Value d = fmul(
                      norm, arith::SubFOp::create(b, dNorm, dot, fastMath));
                  if (form.scalars.empty())
                    return d;
                  return fmul(d, operand(whole, tileScalars));
                });
    // The lanes' vectors: d x_m += sum_r coef * y_r.
    when(/*forShared=*/false,
         [&] { scaleRowsByGroups(count, n, args.values, args.dvalues, xs); });
    // The shared vectors: d y_r += sum_m coef * x_m.
    when(/*forShared=*/true,
         [&] { spreadRowsTiled(count, n, args.values, xs, args.dvalues); });
  });
}

void TileEmitter::withPanel(const std::function<void()> &body) {
  // Rows of the largest wide tile, rounded down to whole blocks.
  Value size = memref::DimOp::create(b, args.tiles, 0);
  Value count = arith::DivUIOp::create(b, size, idx(kRecord));
  Value most = loop(idx(0), count, 1, {idx(0)}, [&](Value t, ValueRange acc) {
    Value record = mul(t, idx(kRecord));
    Value wide = arith::CmpIOp::create(b, arith::CmpIPredicate::eq,
                                       load32(args.tiles, record), idx(kLanes));
    Value rows = load32(args.tiles, add(record, idx(1)));
    Value larger = arith::MaxUIOp::create(b, acc[0], rows);
    return SmallVector<Value>{arith::SelectOp::create(b, wide, larger, acc[0])};
  })[0];
  Value blocks = arith::DivUIOp::create(b, most, idx(kRowBlock));
  Value elements = mul(mul(blocks, idx(kRowBlock)), idx(form.length));
  panel = memref::AllocOp::create(
      b, MemRefType::get({ShapedType::kDynamic}, b.getF64Type()),
      ValueRange{elements}, b.getI64IntegerAttr(64));
  panelRows = kb.allocAtEntry(MemRefType::get({1}, b.getIndexType()));
  store(idx(0), panelRows, idx(0));
  body();
  memref::DeallocOp::create(b, panel);
}

Value TileEmitter::packPanel(const Lane &first, Value record, Value rows,
                             Value shared) {
  Value whole =
      mul(arith::DivUIOp::create(b, rows, idx(kRowBlock)), idx(kRowBlock));
  // The rows this tile shares with the previous wide one are packed
  // already, unless that one had fewer whole blocks.
  Value reused = load32(args.tiles, add(record, idx(4)));
  Value start = arith::MinUIOp::create(b, reused, load(panelRows, idx(0)));
  loop(start, whole, 1, [&](Value r) {
    Value from = atomOffset(rowOf(first, r), shared);
    Value inBlock = arith::RemUIOp::create(b, r, idx(kRowBlock));
    Value to = add(mul(sub(r, inBlock), idx(form.length)), inBlock);
    loop(idx(0), idx(form.length), 1, [&](Value e) {
      store(load(args.values, add(from, e)), panel,
            add(to, mul(e, idx(kRowBlock))));
    });
  });
  store(whole, panelRows, idx(0));
  return whole;
}

SmallVector<Value> TileEmitter::panelDots(Value xBase, ArrayRef<Value> xOffsets,
                                          Value r0) {
  constexpr int64_t kVectors = kRowBlock / kPanelKeys;
  auto keys = VectorType::get({kPanelKeys}, b.getF64Type());
  Value blockBase = mul(r0, idx(form.length));
  SmallVector<Value> inits(
      xOffsets.size() * kVectors,
      arith::ConstantOp::create(
          b, DenseElementsAttr::get(keys, b.getF64FloatAttr(0.0))));
  return loop(idx(0), idx(form.length), 1, inits, [&](Value e, ValueRange acc) {
    Value at = add(blockBase, mul(e, idx(kRowBlock)));
    SmallVector<Value> ks, next;
    for (int64_t j = 0; j < kVectors; ++j)
      ks.push_back(vector::LoadOp::create(
          b, keys, panel, ValueRange{add(at, idx(j * kPanelKeys))}));
    for (auto [m, x] : llvm::enumerate(xOffsets)) {
      Value xe = vector::BroadcastOp::create(b, keys, load(xBase, add(x, e)));
      for (int64_t j = 0; j < kVectors; ++j)
        next.push_back(fma(xe, ks[j], acc[m * kVectors + j]));
    }
    return next;
  });
}

void TileEmitter::dotForward(int64_t count, Value record, Value rows,
                             Value shared) {
  SmallVector<Lane> ls = lanes(count, record, shared);
  tileScalars = scalarProduct(ls[0].firstRow);
  // Owned lanes: the shared rows (a wide tile's whole blocks from the
  // packed panel, the rest in four-lane blocks), then per lane its own
  // rows and the softmax. Lanes the tile does not own: their rows start
  // from zero in the per-row loop.
  Value packed = idx(0);
  if (count == kLanes) {
    packed = packPanel(ls[0], record, rows, shared);
    SmallVector<Value> xs;
    for (const Lane &l : ls)
      xs.push_back(l.offset);
    forEachBlock(idx(0), packed, [&](Value r0, Value) {
      forEachPanelVector(args.values, xs, r0, [&](int64_t m, Value r, Value d) {
        if (!form.scalars.empty())
          d = fmul(d, vector::BroadcastOp::create(b, d.getType(), tileScalars));
        vector::StoreOp::create(b, d, scores, ValueRange{add(ls[m].slot, r)});
      });
    });
  }
  scoreRows(ls, shared, packed, rows);
  forEachLane(count, record, shared, [&](const Lane &lane) {
    loop(lane.firstSegment, lane.endSegment, 1, [&](Value s) {
      Value slot = load32(args.segments, add(mul(s, idx(4)), idx(3)));
      store(kb.constant(0.0), args.aggs, slot);
    });
    if (count > 1)
      scoreRows(lane, shared, rows, lane.rows);
    softmaxForward(lane);
  });
}

void TileEmitter::dotBackward(int64_t count, Value record, Value rows,
                              Value shared) {
  SmallVector<Lane> ls = lanes(count, record, shared);
  tileScalars = scalarProduct(ls[0].firstRow);
  forEachLane(count, record, shared,
              [&](const Lane &lane) { softmaxBackward(lane); });
  gradientRows(ls, shared, idx(0), rows);
  if (count > 1)
    forEachLane(count, record, shared, [&](const Lane &lane) {
      gradientRows(lane, shared, rows, lane.rows);
    });
}

void TileEmitter::scaleForward(int64_t count, Value record, Value rows,
                               Value shared) {
  SmallVector<Lane> ls = lanes(count, record, shared);
  SmallVector<Value> slots;
  for (const Lane &l : ls) {
    slots.push_back(l.slot);
    loop(idx(0), idx(form.length), width,
         [&](Value e) { vstore(zeroVector(), args.aggs, add(l.slot, e)); });
  }
  forEachBlock(idx(0), rows, [&](Value r0, Value n) {
    withCoefficients(
        ls, record, shared, r0, n, [&](ArrayRef<SmallVector<Value>>) {
          scaleRowsByGroups(count, n, args.values, args.aggs, slots);
        });
  });
}

void TileEmitter::withCoefficients(
    ArrayRef<Lane> ls, Value record, Value shared, Value r0, Value n,
    const std::function<void(ArrayRef<SmallVector<Value>>)> &body) {
  withScalarBases(ls, record, [&](ArrayRef<SmallVector<Value>> bases) {
    if (bases.empty() || form.scalars.size() != 1) {
      gatherBlockOf(ls, shared, r0, n, bases);
      body(bases);
      return;
    }
    // One scalar per row, consecutive: the FMA loops read each lane's
    // coefficients where they are, instead of after a pass that copies
    // them (and waits on memory with nothing else to do).
    gatherOffsets(ls, shared, r0, n);
    for (auto [m, laneBases] : llvm::enumerate(bases)) {
      directCoefficients.push_back(add(laneBases[0], r0));
      store(directCoefficients.back(), laneCoefBuf, idx(m));
    }
    body(bases);
    directCoefficients.clear();
  });
}

void TileEmitter::scaleBackward(int64_t count, Value record, Value rows,
                                Value shared) {
  SmallVector<Lane> ls = lanes(count, record, shared);
  SmallVector<Value> slots;
  for (const Lane &l : ls)
    slots.push_back(l.slot);
  bool scalarGradients = form.anyScalarNeedsGradient();
  if (!form.vectorANeedsGradient && !scalarGradients)
    return;
  // A wide tile's whole blocks of the shared vectors, packed for the
  // scalars' gradients.
  Value packed = idx(0);
  if (scalarGradients && count == kLanes)
    packed = packPanel(ls[0], record, rows, shared);
  forEachBlock(idx(0), rows, [&](Value r0, Value n) {
    // The scalars: d s = (d aggregate_m . y_r) * (the other scalars).
    // `bases` (per lane, per scalar) when the tile's scalars are
    // consecutive: row r's scalar then sits at base + r.
    auto block = [&](int64_t nr, Value i0, ArrayRef<SmallVector<Value>> bases) {
      SmallVector<Value> ys;
      for (int64_t j = 0; j < nr; ++j)
        ys.push_back(load(offBuf, add(i0, idx(j))));
      if (nr == 4 && !bases.empty() && (width == 8 || width == 4)) {
        // Consecutive scalars: four rows' gradients of a lane as one
        // vector, added to four consecutive atoms' gradients.
        Value r = add(r0, i0);
        forEachGroup(count, [&](int64_t first, int64_t size) {
          SmallVector<Value> d = dotsOfFourRows(
              args.aggs, ArrayRef(slots).slice(first, size), args.values, ys);
          for (int64_t g = 0; g < size; ++g) {
            SmallVector<Value> at;
            for (Value base : bases[first + g])
              at.push_back(add(base, r));
            addScalarGradients(d[g], at);
          }
        });
        return;
      }
      forEachGroup(count, [&](int64_t first, int64_t size) {
        SmallVector<Value> d = dots(
            args.aggs, ArrayRef(slots).slice(first, size), args.values, ys);
        for (int64_t g = 0; g < size; ++g)
          for (int64_t j = 0; j < nr; ++j) {
            int64_t m = first + g;
            Value r = add(r0, add(i0, idx(j)));
            SmallVector<Value> at;
            if (bases.empty()) {
              Value row = rowOf(ls[m], r);
              for (int32_t pos : form.scalars)
                at.push_back(atomOffset(row, pos));
            } else {
              for (Value base : bases[m])
                at.push_back(add(base, r));
            }
            addScalarGradients(d[g * nr + j], at);
          }
      });
    };
    auto rowBlocks = [&](ArrayRef<SmallVector<Value>> bases) {
      Value four = mul(arith::DivUIOp::create(b, n, idx(4)), idx(4));
      loop(idx(0), four, 4, [&](Value i0) { block(4, i0, bases); });
      loop(four, n, 1, [&](Value i0) { block(1, i0, bases); });
    };
    // Consecutive scalars in a block of the panel: each lane's gradients
    // of kPanelKeys rows are one vector of dot products, added to as many
    // consecutive atoms' gradients.
    auto panelBlock = [&](ArrayRef<SmallVector<Value>> bases) {
      forEachPanelVector(args.aggs, slots, r0,
                         [&](int64_t m, Value r, Value d) {
                           SmallVector<Value> at;
                           for (Value base : bases[m])
                             at.push_back(add(base, r));
                           addScalarGradients(d, at);
                         });
    };
    auto blocks = [&](ArrayRef<SmallVector<Value>> bases) {
      if (bases.empty() || count != kLanes) {
        rowBlocks(bases);
        return;
      }
      // Blocks start at multiples of kRowBlock, and the panel holds whole
      // blocks: a block starting inside it is in it.
      Value inPanel =
          arith::CmpIOp::create(b, arith::CmpIPredicate::ult, r0, packed);
      auto ifOp = scf::IfOp::create(b, inPanel, /*withElseRegion=*/true);
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPoint(ifOp.thenBlock()->getTerminator());
      panelBlock(bases);
      b.setInsertionPoint(ifOp.elseBlock()->getTerminator());
      rowBlocks(bases);
    };
    withCoefficients(
        ls, record, shared, r0, n, [&](ArrayRef<SmallVector<Value>> bases) {
          // The shared vectors: d y_r += sum_m (scalars) *
          // d aggregate_m.
          if (form.vectorANeedsGradient)
            spreadRowsTiled(count, n, args.aggs, slots, args.dvalues);
          if (scalarGradients)
            blocks(bases);
        });
  });
}

void TileEmitter::addScalarGradients(Value d, ArrayRef<Value> at) {
  // d is an f64 or a vector of consecutive rows' values; loads and stores
  // take its type.
  Type type = d.getType();
  auto get = [&](Value mem, Value i) -> Value {
    if (isa<VectorType>(type))
      return vector::LoadOp::create(b, type, mem, ValueRange{i});
    return load(mem, i);
  };
  for (auto [sc, where] : llvm::enumerate(at)) {
    if (!form.scalarNeedsGradient[sc])
      continue;
    Value grad = d;
    for (auto [other, elsewhere] : llvm::enumerate(at))
      if (other != sc)
        grad = fmul(grad, get(args.values, elsewhere));
    Value sum =
        arith::AddFOp::create(b, get(args.dvalues, where), grad, fastMath);
    if (isa<VectorType>(type))
      vector::StoreOp::create(b, sum, args.dvalues, ValueRange{where});
    else
      store(sum, args.dvalues, where);
  }
}

void TileEmitter::forward() {
  if (form.kind == NLOGIC_TILING_DOT) {
    // The scores come from the packed panel of the keys.
    withPanel([&] {
      forEachTile([&](int64_t lanes, Value record, Value rows, Value shared) {
        dotForward(lanes, record, rows, shared);
      });
    });
    return;
  }
  forEachTile([&](int64_t lanes, Value record, Value rows, Value shared) {
    scaleForward(lanes, record, rows, shared);
  });
}

void TileEmitter::backward() {
  auto tiles = [&] {
    forEachTile([&](int64_t lanes, Value record, Value rows, Value shared) {
      if (form.kind == NLOGIC_TILING_DOT)
        dotBackward(lanes, record, rows, shared);
      else
        scaleBackward(lanes, record, rows, shared);
    });
  };
  // A Scale tile's scalar gradients (attention's d weights) come from the
  // packed panel of the shared vectors.
  if (form.kind == NLOGIC_TILING_SCALE && form.anyScalarNeedsGradient())
    withPanel(tiles);
  else
    tiles();
}

void kernels::emitTilesForward(KernelBuilder &kb, const ContractionForm &form,
                               const TileArgs &args) {
  TileEmitter emitter(kb, form, args);
  emitter.forward();
}

void kernels::emitTilesBackward(KernelBuilder &kb, const ContractionForm &form,
                                const TileArgs &args) {
  TileEmitter emitter(kb, form, args);
  emitter.backward();
}
