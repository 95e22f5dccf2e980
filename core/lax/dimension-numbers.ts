/**
 * JAX's `GatherDimensionNumbers` and `ScatterDimensionNumbers`, their validation (the checks of
 * jax/_src/lax/slicing.py's shape rules), the `GatherScatterMode`s and the shared options.
 */
import { ShapeError, ValueError } from "../errors.js"
import { checkOneOf } from "../options.js"
import { checkFlag, checkIntList, describe, showShape } from "../shape.js"

/**
 * How `lax.gather` maps operand, indices and output dimensions (JAX's `GatherDimensionNumbers`);
 * the index vector is the last dimension of the indices.
 *
 * @example
 * const dnums: lax.GatherDimensionNumbers = { offsetDims: [1], collapsedSliceDims: [0], startIndexMap: [0] }
 */
export interface GatherDimensionNumbers {
  /** The output dimensions that hold the slice (sorted). */
  readonly offsetDims: ReadonlyArray<number>
  /** Operand dimensions of slice size 1 left out of the output. */
  readonly collapsedSliceDims: ReadonlyArray<number>
  /** For each index vector component, the operand dimension it starts. */
  readonly startIndexMap: ReadonlyArray<number>
  /** Operand dimensions that are batch dimensions (paired with `startIndicesBatchingDims`). */
  readonly operandBatchingDims?: ReadonlyArray<number> | undefined
  /** Indices dimensions paired with `operandBatchingDims`. */
  readonly startIndicesBatchingDims?: ReadonlyArray<number> | undefined
}

/**
 * How `lax.scatter*` maps operand, indices and updates dimensions (JAX's `ScatterDimensionNumbers`).
 *
 * @example
 * const dnums: lax.ScatterDimensionNumbers = { updateWindowDims: [], insertedWindowDims: [0], scatterDimsToOperandDims: [0] }
 */
export interface ScatterDimensionNumbers {
  /** The updates dimensions that hold the window (sorted). */
  readonly updateWindowDims: ReadonlyArray<number>
  /** Operand dimensions of window size 1 absent from the updates' window. */
  readonly insertedWindowDims: ReadonlyArray<number>
  /** For each index vector component, the operand dimension it starts. */
  readonly scatterDimsToOperandDims: ReadonlyArray<number>
  /** Operand dimensions that are batch dimensions (paired with `scatterIndicesBatchingDims`). */
  readonly operandBatchingDims?: ReadonlyArray<number> | undefined
  /** Indices dimensions paired with `operandBatchingDims`. */
  readonly scatterIndicesBatchingDims?: ReadonlyArray<number> | undefined
}

/**
 * Out-of-bounds handling (JAX's `GatherScatterMode`): `"clip"` clamps the start so the slice fits;
 * `"fill"` (alias `"drop"`) fills an out-of-bounds gather slice with the fill value and drops an
 * out-of-bounds scatter window; `"promise_in_bounds"` clamps in gather and drops in scatter (what
 * XLA does on CPU; JAX leaves it implementation-defined).
 */
export type GatherScatterMode = "clip" | "fill" | "drop" | "promise_in_bounds"

/**
 * JAX's `GatherScatterMode` members by name.
 *
 * @example
 * const [x, i] = [np.arange(5), np.array([[7]])]
 * const dnums: lax.GatherDimensionNumbers = { offsetDims: [], collapsedSliceDims: [0], startIndexMap: [0] }
 * lax.gather(x, i, dnums, [1], { mode: lax.GatherScatterMode.CLIP })   // [4]: the index clamped
 */
export const GatherScatterMode = { CLIP: "clip", FILL_OR_DROP: "fill", PROMISE_IN_BOUNDS: "promise_in_bounds" } as const

const MODES: ReadonlyArray<GatherScatterMode> = ["clip", "fill", "drop", "promise_in_bounds"]

/**
 * The mode as "clip" or "fill": promise_in_bounds becomes `inBounds` (what XLA does with it in that
 * operation), and undefined `dflt` (JAX: gather defaults to promise_in_bounds, scatter to fill).
 */
export const parseMode = (caller: string, mode: unknown, inBounds: "clip" | "fill", dflt: GatherScatterMode): "clip" | "fill" => {
  checkOneOf(caller, "mode", mode as GatherScatterMode, MODES)
  const m = mode ?? dflt
  if (m === "clip") return "clip"
  if (m === "promise_in_bounds") return inBounds
  return "fill"
}

export const checkFlags = (caller: string, o: { readonly indicesAreSorted?: unknown; readonly uniqueIndices?: unknown } | undefined): void => {
  if (o?.indicesAreSorted !== undefined) checkFlag(o.indicesAreSorted, `${caller}: indicesAreSorted`)
  if (o?.uniqueIndices !== undefined) checkFlag(o.uniqueIndices, `${caller}: uniqueIndices`)
}

const dims = (caller: string, what: string, xs: unknown, rank: number, sorted = false): number[] => {
  const out = checkIntList(xs ?? [], `${caller}: ${what}`)
  for (let i = 0; i < out.length; i++) {
    const d = out[i]!
    if (d < 0 || d >= rank)
      throw new ShapeError(`${caller}: ${what} ${describe(out)} has ${d}, outside [0, ${rank}); give dimensions of an array of rank ${rank}.`)
    if (out.indexOf(d) !== i) throw new ShapeError(`${caller}: ${what} ${describe(out)} repeats dimension ${d}; give each at most once.`)
    if (sorted && i > 0 && out[i - 1]! > d) throw new ShapeError(`${caller}: ${what} ${describe(out)} must be sorted ascending.`)
  }
  return out
}

const disjoint = (caller: string, a: string, xs: ReadonlyArray<number>, b: string, ys: ReadonlyArray<number>): void => {
  const both = xs.find((x) => ys.includes(x))
  if (both !== undefined) throw new ShapeError(`${caller}: ${a} and ${b} both name operand dimension ${both}; a dimension is one or the other.`)
}

/** Checked gather/scatter geometry: which operand dimension each index component starts, the batching pairs. */
export interface IndexGeometry {
  /** Operand dimension started by index component k. */
  readonly startMap: ReadonlyArray<number>
  /** Operand batching dimension i pairs with indices batch dimension `indexBatch[i]`. */
  readonly operandBatch: ReadonlyArray<number>
  readonly indexBatch: ReadonlyArray<number>
  /** Operand dimensions that have no slice/window dimension of their own (collapsed/inserted, and batching). */
  readonly dropped: ReadonlyArray<number>
}

const checkIndexVector = (caller: string, indexShape: ReadonlyArray<number>, map: ReadonlyArray<number>, mapName: string): void => {
  if (indexShape.length === 0) throw new ShapeError(`${caller}: the indices need rank >= 1 (their last dimension is the index vector); got a rank-0 array.`)
  const k = indexShape[indexShape.length - 1]!
  if (k !== map.length) {
    throw new ShapeError(
      `${caller}: the index vector (last dimension of the indices ${showShape(indexShape)}) has ${k} components but ${mapName} names ${map.length} dimensions; make them equal.`
    )
  }
}

const checkBatching = (
  caller: string,
  operandShape: ReadonlyArray<number>,
  indexShape: ReadonlyArray<number>,
  operandBatch: ReadonlyArray<number>,
  indexBatch: ReadonlyArray<number>,
  indexBatchName: string
): void => {
  if (operandBatch.length !== indexBatch.length) {
    throw new ShapeError(`${caller}: operandBatchingDims ${describe(operandBatch)} and ${indexBatchName} ${describe(indexBatch)} must have the same length.`)
  }
  operandBatch.forEach((d, i) => {
    const e = indexBatch[i]!
    if (operandShape[d] !== indexShape[e]) {
      throw new ShapeError(
        `${caller}: operand batching dimension ${d} (size ${operandShape[d]}) and indices batching dimension ${e} (size ${indexShape[e]}) differ in size.`
      )
    }
  })
}

/** Validate gather's dimension numbers and slice sizes (JAX's `_gather_shape_rule`); returns the output shape. */
export const checkGather = (
  operandShape: ReadonlyArray<number>,
  indexShape: ReadonlyArray<number>,
  d: GatherDimensionNumbers,
  sliceSizesIn: unknown
): { readonly geometry: IndexGeometry; readonly sliceSizes: ReadonlyArray<number>; readonly outShape: ReadonlyArray<number> } => {
  const caller = "lax.gather"
  if (typeof d !== "object" || d === null)
    throw new ValueError(`${caller}: dimensionNumbers must be an object { offsetDims, collapsedSliceDims, startIndexMap }, got ${describe(d)}.`)
  const rank = operandShape.length
  const startMap = dims(caller, "startIndexMap", d.startIndexMap, rank)
  checkIndexVector(caller, indexShape, startMap, "startIndexMap")
  const batchRank = indexShape.length - 1
  const collapsed = dims(caller, "collapsedSliceDims", d.collapsedSliceDims, rank, true)
  const operandBatch = dims(caller, "operandBatchingDims", d.operandBatchingDims, rank, true)
  const indexBatch = dims(caller, "startIndicesBatchingDims", d.startIndicesBatchingDims, batchRank)
  disjoint(caller, "collapsedSliceDims", collapsed, "operandBatchingDims", operandBatch)
  disjoint(caller, "startIndexMap", startMap, "operandBatchingDims", operandBatch)
  checkBatching(caller, operandShape, indexShape, operandBatch, indexBatch, "startIndicesBatchingDims")
  const sliceSizes = checkIntList(sliceSizesIn, `${caller}: sliceSizes`)
  if (sliceSizes.length !== rank) throw new ShapeError(`${caller}: sliceSizes ${describe(sliceSizes)} needs one size per operand dimension (${rank}).`)
  sliceSizes.forEach((s, i) => {
    if (s < 0 || s > operandShape[i]!)
      throw new ShapeError(`${caller}: slice size ${s} of dimension ${i} is outside [0, ${operandShape[i]}] (the operand's shape ${showShape(operandShape)}).`)
  })
  for (const c of collapsed)
    if (sliceSizes[c]! > 1)
      throw new ShapeError(`${caller}: collapsed dimension ${c} has slice size ${sliceSizes[c]}; a collapsed dimension needs size 0 or 1.`)
  for (const b of operandBatch)
    if (sliceSizes[b]! > 1) throw new ShapeError(`${caller}: batching dimension ${b} has slice size ${sliceSizes[b]}; a batching dimension needs size 0 or 1.`)
  const dropped = [...collapsed, ...operandBatch]
  const windowSizes = sliceSizes.filter((_, i) => !dropped.includes(i))
  const outRank = batchRank + windowSizes.length
  const offsetDims = dims(caller, "offsetDims", d.offsetDims, outRank, true)
  if (offsetDims.length !== windowSizes.length) {
    throw new ShapeError(
      `${caller}: offsetDims ${describe(offsetDims)} needs one entry per operand dimension that is neither collapsed nor batching (${windowSizes.length}).`
    )
  }
  const outShape: number[] = []
  let w = 0
  let b = 0
  for (let i = 0; i < outRank; i++) outShape.push(offsetDims.includes(i) ? windowSizes[w++]! : indexShape[b++]!)
  return { geometry: { startMap, operandBatch, indexBatch, dropped }, sliceSizes, outShape }
}

/** Validate scatter's dimension numbers against the shapes (JAX's `_scatter_shape_rule`); returns the window size of every operand dimension. */
export const checkScatter = (
  caller: string,
  operandShape: ReadonlyArray<number>,
  indexShape: ReadonlyArray<number>,
  updatesShape: ReadonlyArray<number>,
  d: ScatterDimensionNumbers
): { readonly geometry: IndexGeometry; readonly windowSizes: ReadonlyArray<number>; readonly windowDims: ReadonlyArray<number> } => {
  if (typeof d !== "object" || d === null) {
    throw new ValueError(
      `${caller}: dimensionNumbers must be an object { updateWindowDims, insertedWindowDims, scatterDimsToOperandDims }, got ${describe(d)}.`
    )
  }
  const rank = operandShape.length
  const startMap = dims(caller, "scatterDimsToOperandDims", d.scatterDimsToOperandDims, rank)
  checkIndexVector(caller, indexShape, startMap, "scatterDimsToOperandDims")
  const batchRank = indexShape.length - 1
  const inserted = dims(caller, "insertedWindowDims", d.insertedWindowDims, rank, true)
  const operandBatch = dims(caller, "operandBatchingDims", d.operandBatchingDims, rank, true)
  const indexBatch = dims(caller, "scatterIndicesBatchingDims", d.scatterIndicesBatchingDims, batchRank)
  disjoint(caller, "insertedWindowDims", inserted, "operandBatchingDims", operandBatch)
  disjoint(caller, "scatterDimsToOperandDims", startMap, "operandBatchingDims", operandBatch)
  checkBatching(caller, operandShape, indexShape, operandBatch, indexBatch, "scatterIndicesBatchingDims")
  const windowDims = dims(caller, "updateWindowDims", d.updateWindowDims, updatesShape.length, true)
  const dropped = [...inserted, ...operandBatch]
  const free = operandShape.map((_, i) => i).filter((i) => !dropped.includes(i))
  if (windowDims.length !== free.length) {
    throw new ShapeError(
      `${caller}: updateWindowDims ${describe(windowDims)} needs one entry per operand dimension that is neither inserted nor batching (${free.length}).`
    )
  }
  if (updatesShape.length !== windowDims.length + batchRank) {
    throw new ShapeError(
      `${caller}: updates of shape ${showShape(updatesShape)} need rank ${windowDims.length + batchRank} (${windowDims.length} window dimensions + the indices' ${batchRank} batch dimensions).`
    )
  }
  const windowSizes = operandShape.map(() => 1)
  free.forEach((od, j) => {
    const size = updatesShape[windowDims[j]!]!
    if (size > operandShape[od]!)
      throw new ShapeError(`${caller}: update window dimension ${windowDims[j]} has size ${size}, larger than operand dimension ${od} (${operandShape[od]}).`)
    windowSizes[od] = size
  })
  const scatterDims = updatesShape.map((_, i) => i).filter((i) => !windowDims.includes(i))
  scatterDims.forEach((u, k) => {
    if (updatesShape[u] !== indexShape[k]) {
      throw new ShapeError(
        `${caller}: updates dimension ${u} (size ${updatesShape[u]}) must equal indices dimension ${k} (size ${indexShape[k]}); updates ${showShape(updatesShape)}, indices ${showShape(indexShape)}.`
      )
    }
  })
  return { geometry: { startMap, operandBatch, indexBatch, dropped }, windowSizes, windowDims }
}
