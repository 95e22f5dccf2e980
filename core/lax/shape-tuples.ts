/**
 * lax's shape helpers for convolutions and windowed reductions, as JAX exports them:
 * `convGeneralPermutations`, `convShapeTuple`, `convGeneralShapeTuple`, `convTransposeShapeTuple`
 * and `reduceWindowShapeTuple`. They compute output shapes from shapes alone (no arrays), with
 * JAX's formulas: an output spatial size is `max(0, floor((padded - window) / stride) + 1)`.
 */
import { ShapeError, ValueError } from "../errors.js"
import { range } from "../primitives/common.js"
import { dilateDim } from "../primitives/conv.js"
import { checkInt, checkIntList, describe } from "../shape.js"
import { type ConvPadding, convDimensionNumbers, padtypeToPads } from "./conv.js"

/** Three layout strings: lhs (e.g. "NHWC"), rhs (e.g. "HWIO"), out (e.g. "NHWC"). */
export type ConvLayoutSpecs = readonly [string, string, string]

const strideDim = (d: number, window: number, stride: number): number => Math.max(0, Math.floor((d - window) / stride) + 1)

const checkSpecs = (what: string, specs: unknown): ConvLayoutSpecs => {
  if (!globalThis.Array.isArray(specs) || specs.length !== 3 || specs.some((s) => typeof s !== "string")) {
    throw new ValueError(`${what}: give three layout strings [lhs, rhs, out] such as ["NHWC", "HWIO", "NHWC"], got ${describe(specs)}.`)
  }
  return specs as unknown as ConvLayoutSpecs
}

/**
 * `lax.conv_general_permutations(dimension_numbers)`: for layout strings, the permutations that
 * bring lhs, rhs and out into the canonical NCHW / OIHW / NCHW order (batch or out-feature axis,
 * feature or in-feature axis, then the spatial axes in the order the rhs string lists them).
 *
 * @example
 * lax.convGeneralPermutations(["NHWC", "HWIO", "NHWC"]) // [[0, 3, 1, 2], [3, 2, 0, 1], [0, 3, 1, 2]]
 */
export const convGeneralPermutations = (dimensionNumbers: ConvLayoutSpecs): [number[], number[], number[]] => {
  const specs = checkSpecs("lax.convGeneralPermutations", dimensionNumbers)
  const shape = range(specs[0].length).map(() => 1)
  const dn = convDimensionNumbers(shape, shape, specs)
  return [[...dn.lhsSpec], [...dn.rhsSpec], [...dn.outSpec]]
}

/**
 * `lax.conv_shape_tuple(lhs_shape, rhs_shape, strides, pads, batch_group_count=1)`: the output
 * shape of a convolution whose shapes are in the canonical order (NCHW lhs, OIHW rhs), with
 * `pads` given as (lo, hi) pairs or a padding mode ("SAME", "SAME_LOWER", "VALID").
 *
 * @example
 * lax.convShapeTuple([2, 3, 9, 9], [8, 3, 3, 3], [2, 2], "SAME") // [2, 8, 5, 5]
 */
export const convShapeTuple = (
  lhsShape: ReadonlyArray<number>,
  rhsShape: ReadonlyArray<number>,
  strides: ReadonlyArray<number>,
  pads: ConvPadding,
  batchGroupCount = 1
): number[] => {
  const what = "lax.convShapeTuple"
  const lhs = checkIntList(lhsShape, `${what}: lhsShape`, { min: 0 })
  const rhs = checkIntList(rhsShape, `${what}: rhsShape`, { min: 0, length: lhs.length })
  if (lhs.length < 2) throw new ShapeError(`${what}: shapes need a batch, a feature and spatial dimensions, got ${describe(lhsShape)}.`)
  const ns = lhs.length - 2
  const s = checkIntList(strides, `${what}: strides`, { min: 1, length: ns })
  const groups = checkInt(batchGroupCount, `${what}: batchGroupCount`)
  if (groups < 1) throw new ValueError(`${what}: batchGroupCount must be a positive integer, got ${groups}.`)
  if (typeof pads !== "string" && (!globalThis.Array.isArray(pads) || pads.length !== ns)) {
    throw new ShapeError(`${what}: wrong number of explicit pads for a convolution: expected ${ns}, got ${describe(pads)}.`)
  }
  const p = padtypeToPads(lhs.slice(2), rhs.slice(2), s, pads)
  const padded = lhs.slice(2).map((d, i) => d + p[i]![0] + p[i]![1])
  if (padded.some((d) => d < 0)) {
    throw new ValueError(
      `${what}: negative padding is larger than the size of the corresponding dimension: got padding ${describe(p)} for ${describe(lhs.slice(2))}.`
    )
  }
  if (groups > 1 && lhs[0]! % groups !== 0) {
    throw new ValueError(`${what}: the batch size ${lhs[0]} is not a multiple of batchGroupCount ${groups}.`)
  }
  return [lhs[0]! / groups, rhs[0]!, ...padded.map((d, i) => strideDim(d, rhs[i + 2]!, s[i]!))]
}

/** Take `xs` in the order `perm`, and the inverse. */
const take = (xs: ReadonlyArray<number>, perm: ReadonlyArray<number>): number[] => perm.map((i) => xs[i]!)
const untake = (xs: ReadonlyArray<number>, perm: ReadonlyArray<number>): number[] => {
  const out = new globalThis.Array<number>(xs.length)
  perm.forEach((p, i) => (out[p] = xs[i]!))
  return out
}

const canonical = (
  what: string,
  lhsShape: ReadonlyArray<number>,
  rhsShape: ReadonlyArray<number>,
  dimensionNumbers: ConvLayoutSpecs
): readonly [number[], number[], number[]] => {
  const [lp, rp, op] = convGeneralPermutations(checkSpecs(what, dimensionNumbers))
  const lhs = checkIntList(lhsShape, `${what}: lhsShape`, { min: 0, length: lp.length })
  const rhs = checkIntList(rhsShape, `${what}: rhsShape`, { min: 0, length: rp.length })
  return [take(lhs, lp), take(rhs, rp), op]
}

/**
 * `lax.conv_general_shape_tuple(lhs_shape, rhs_shape, window_strides, padding, dimension_numbers)`:
 * the output shape of a convolution with layouts given as strings, in the out layout.
 *
 * @example
 * lax.convGeneralShapeTuple([1, 9, 9, 3], [3, 3, 3, 8], [1, 1], "VALID", ["NHWC", "HWIO", "NHWC"]) // [1, 7, 7, 8]
 */
export const convGeneralShapeTuple = (
  lhsShape: ReadonlyArray<number>,
  rhsShape: ReadonlyArray<number>,
  windowStrides: ReadonlyArray<number>,
  padding: ConvPadding,
  dimensionNumbers: ConvLayoutSpecs
): number[] => {
  const [lhs, rhs, op] = canonical("lax.convGeneralShapeTuple", lhsShape, rhsShape, dimensionNumbers)
  return untake(convShapeTuple(lhs, rhs, windowStrides, padding), op)
}

/** JAX's padding of one spatial axis of a transposed convolution (kernel k, stride s). */
const transposePadding = (k: number, s: number, padding: "SAME" | "VALID" | readonly [number, number]): number => {
  if (padding === "SAME") return k + s - 2
  if (padding === "VALID") return k + s - 2 + Math.max(k - s, 0)
  return padding[0] + padding[1]
}

/**
 * `lax.conv_transpose_shape_tuple(lhs_shape, rhs_shape, window_strides, padding, dimension_numbers)`:
 * the output shape of `lax.convTranspose` ("SAME", "VALID" or (lo, hi) pairs), in the out layout.
 *
 * @example
 * lax.convTransposeShapeTuple([1, 4, 4, 3], [3, 3, 3, 8], [2, 2], "SAME", ["NHWC", "HWIO", "NHWC"]) // [1, 8, 8, 8]
 */
export const convTransposeShapeTuple = (
  lhsShape: ReadonlyArray<number>,
  rhsShape: ReadonlyArray<number>,
  windowStrides: ReadonlyArray<number>,
  padding: "SAME" | "VALID" | ReadonlyArray<readonly [number, number]>,
  dimensionNumbers: ConvLayoutSpecs
): number[] => {
  const what = "lax.convTransposeShapeTuple"
  const [lhs, rhs, op] = canonical(what, lhsShape, rhsShape, dimensionNumbers)
  const ns = lhs.length - 2
  const s = checkIntList(windowStrides, `${what}: windowStrides`, { min: 1, length: ns })
  if (typeof padding === "string") {
    if (padding !== "SAME" && padding !== "VALID")
      throw new ValueError(`${what}: invalid padding mode ${JSON.stringify(padding)}; give "SAME", "VALID" or (lo, hi) pairs.`)
  } else if (!globalThis.Array.isArray(padding) || padding.length !== ns) {
    throw new ShapeError(`${what}: padding must be "SAME", "VALID" or ${ns} (lo, hi) pairs, got ${describe(padding)}.`)
  }
  const pads = range(ns).map((i) => {
    const p = typeof padding === "string" ? padding : checkIntList(padding[i], `${what}: padding[${i}]`, { length: 2 })
    return transposePadding(rhs[i + 2]!, s[i]!, typeof p === "string" ? p : [p[0]!, p[1]!])
  })
  const out = [lhs[0]!, rhs[0]!, ...range(ns).map((i) => (lhs[i + 2]! - 1) * s[i]! - rhs[i + 2]! + 2 + pads[i]!)]
  return untake(out, op)
}

/**
 * `lax.reduce_window_shape_tuple(operand_shape, window_dimensions, window_strides, padding,
 * base_dilation=None, window_dilation=None)`: the output shape of `lax.reduceWindow` with
 * explicit (lo, hi) padding.
 *
 * @example
 * lax.reduceWindowShapeTuple([4, 6], [2, 3], [2, 1], [[0, 0], [1, 1]]) // [2, 6]
 */
export const reduceWindowShapeTuple = (
  operandShape: ReadonlyArray<number>,
  windowDimensions: ReadonlyArray<number>,
  windowStrides: ReadonlyArray<number>,
  padding: ReadonlyArray<readonly [number, number]>,
  baseDilation: ReadonlyArray<number> | null = null,
  windowDilation: ReadonlyArray<number> | null = null
): number[] => {
  const what = "lax.reduceWindowShapeTuple"
  const shape = checkIntList(operandShape, `${what}: operandShape`, { min: 0 })
  const r = shape.length
  const win = checkIntList(windowDimensions, `${what}: windowDimensions`, { min: 0, length: r })
  const strides = checkIntList(windowStrides, `${what}: windowStrides`, { min: 1, length: r })
  if (!globalThis.Array.isArray(padding) || padding.length !== r) {
    throw new ShapeError(`${what}: padding must be ${r} (lo, hi) pairs, got ${describe(padding)}.`)
  }
  const pads = padding.map((p, i) => checkIntList(p, `${what}: padding[${i}]`, { length: 2 }))
  const base = baseDilation === null ? null : checkIntList(baseDilation, `${what}: baseDilation`, { min: 1, length: r })
  const wdil = windowDilation === null ? null : checkIntList(windowDilation, `${what}: windowDilation`, { min: 1, length: r })
  return shape.map((d, i) => {
    const dd = base === null ? d : dilateDim(d, base[i]!)
    const w = wdil === null ? win[i]! : dilateDim(win[i]!, wdil[i]!)
    return strideDim(dd + pads[i]![0]! + pads[i]![1]!, w, strides[i]!)
  })
}
