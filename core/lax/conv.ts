/**
 * Convolutions as JAX's lax has them: `convGeneralDilated` (the primitive with string padding and
 * string dimension numbers resolved), `conv`, `convWithGeneralPadding`, `convTranspose`,
 * `convDimensionNumbers`, `convGeneralDilatedPatches` and `padtypeToPads`.
 */
import type { Array } from "../array.js"
import type { DType } from "../dtype.js"
import { dtypes } from "../dtype.js"
import { DTypeError, ShapeError, ValueError } from "../errors.js"
import { checkOneOf, checkOptions, optionKeys } from "../options.js"
import { range } from "../primitives/common.js"
import { type ConvDimensionNumbers, type ConvParams, convGeneralDilatedRaw, dilateDim } from "../primitives/conv.js"
import { eq, convertElementType } from "../primitives/elementwise.js"
import { broadcastInDim, iota, reshape, rev, transpose } from "../primitives/shape-ops.js"
import { checkIntList, describe, showShape } from "../shape.js"

export type { ConvDimensionNumbers } from "../primitives/conv.js"

/** "SAME" (output size ceil(in / stride), extra padding at the end), "SAME_LOWER" (extra at the start), "VALID" (no padding), or explicit (lo, hi) pairs per spatial axis. */
export type ConvPadding = "SAME" | "SAME_LOWER" | "VALID" | ReadonlyArray<readonly [number, number]>

/** Layouts as three strings (lhs e.g. "NHWC", rhs e.g. "HWIO", out e.g. "NHWC"), as axis lists, or null for the default (NCHW, OIHW, NCHW). */
export type ConvDimensionNumbersLike = readonly [string, string, string] | ConvDimensionNumbers | null

export interface ConvGeneralDilatedOptions {
  /** Dilation of the lhs (transposed-convolution strides), one per spatial axis; default 1s. */
  readonly lhsDilation?: ReadonlyArray<number> | null
  /** Dilation of the kernel (atrous convolution), one per spatial axis; default 1s. */
  readonly rhsDilation?: ReadonlyArray<number> | null
  /** The layouts; default NCHW / OIHW / NCHW (in any rank). */
  readonly dimensionNumbers?: ConvDimensionNumbersLike
  /** Split the features into this many groups (depthwise convolution: the lhs feature size); default 1. */
  readonly featureGroupCount?: number
  /** Split the batch into this many groups, each with its share of the out features; default 1. */
  readonly batchGroupCount?: number
  /** The output dtype (the operands' dtype or a wider float); default the operands' dtype. */
  readonly preferredElementType?: DType | null
}
const CGD_KEYS = optionKeys<ConvGeneralDilatedOptions>()(
  "lhsDilation",
  "rhsDilation",
  "dimensionNumbers",
  "featureGroupCount",
  "batchGroupCount",
  "preferredElementType"
)

/**
 * `lax.padtype_to_pads`: the (lo, hi) padding of each spatial axis for a padding mode, given the
 * input sizes, the (dilated) window sizes and the strides.
 *
 * @example
 * lax.padtypeToPads([5], [3], [2], "SAME")  // [[1, 1]]
 */
export const padtypeToPads = (
  inShape: ReadonlyArray<number>,
  windowShape: ReadonlyArray<number>,
  windowStrides: ReadonlyArray<number>,
  padding: ConvPadding
): Array2 => {
  if (typeof padding !== "string") {
    if (!globalThis.Array.isArray(padding) || padding.length !== inShape.length) {
      throw new ShapeError(`padding must be "SAME", "SAME_LOWER", "VALID" or ${inShape.length} (lo, hi) pairs, got ${describe(padding)}.`)
    }
    return padding.map((p, i) => {
      const q = checkIntList(p, `padding[${i}]`, { length: 2 })
      return [q[0]!, q[1]!] as const
    })
  }
  checkOneOf("lax.padtypeToPads", "padding", padding, ["SAME", "SAME_LOWER", "VALID"])
  if (padding === "VALID") return inShape.map(() => [0, 0] as const)
  return inShape.map((n, i) => {
    const s = windowStrides[i]!
    const out = Math.ceil(n / s)
    const total = Math.max((out - 1) * s + windowShape[i]! - n, 0)
    const small = Math.floor(total / 2)
    return padding === "SAME" ? ([small, total - small] as const) : ([total - small, small] as const)
  })
}
type Array2 = ReadonlyArray<readonly [number, number]>

const permutationsOf = (specs: readonly [string, string, string], rank: number): ConvDimensionNumbers => {
  const pairs = [
    ["N", "C"],
    ["O", "I"],
    ["N", "C"]
  ] as const
  const names = ["lhs", "rhs", "out"]
  specs.forEach((s, i) => {
    if (typeof s !== "string") throw new ValueError(`convDimensionNumbers: the ${names[i]} spec must be a string such as "NHWC", got ${describe(s)}.`)
    const [a, b] = pairs[i]!
    if (s.split(a).length !== 2 || s.split(b).length !== 2) {
      throw new ValueError(`convDimensionNumbers: the ${names[i]} spec "${s}" must contain "${a}" and "${b}" once each.`)
    }
    if (new Set(s).size !== s.length) throw new ValueError(`convDimensionNumbers: the ${names[i]} spec "${s}" repeats a letter.`)
    if (s.length !== rank) throw new ShapeError(`convDimensionNumbers: the ${names[i]} spec "${s}" has ${s.length} letters for operands of rank ${rank}.`)
  })
  const spatialOf = (s: string, i: number): string =>
    [...s]
      .filter((c) => c !== pairs[i]![0] && c !== pairs[i]![1])
      .sort()
      .join("")
  if (spatialOf(specs[0], 0) !== spatialOf(specs[1], 1) || spatialOf(specs[1], 1) !== spatialOf(specs[2], 2)) {
    throw new ValueError(`convDimensionNumbers: the specs ${JSON.stringify(specs)} must name the same spatial axes.`)
  }
  const rhs = specs[1]
  const perm = (s: string, i: number): number[] => {
    const spatial = range(s.length).filter((k) => s[k] !== pairs[i]![0] && s[k] !== pairs[i]![1])
    if (i !== 1) spatial.sort((x, y) => rhs.indexOf(s[x]!) - rhs.indexOf(s[y]!))
    return [s.indexOf(pairs[i]![0]), s.indexOf(pairs[i]![1]), ...spatial]
  }
  return { lhsSpec: perm(specs[0], 0), rhsSpec: perm(specs[1], 1), outSpec: perm(specs[2], 2) }
}

/**
 * `lax.conv_dimension_numbers`: resolve layouts given as strings (or null for the default
 * NCHW/OIHW/NCHW) into axis lists: batch or out-feature axis, feature or in-feature axis, then the
 * spatial axes in the order the rhs string lists them.
 *
 * @example
 * lax.convDimensionNumbers([1, 5, 5, 3], [3, 3, 3, 8], ["NHWC", "HWIO", "NHWC"])
 * // { lhsSpec: [0, 3, 1, 2], rhsSpec: [3, 2, 0, 1], outSpec: [0, 3, 1, 2] }
 */
export const convDimensionNumbers = (
  lhsShape: ReadonlyArray<number>,
  rhsShape: ReadonlyArray<number>,
  dimensionNumbers: ConvDimensionNumbersLike | undefined
): ConvDimensionNumbers => {
  if (lhsShape.length !== rhsShape.length) {
    throw new ShapeError(`convDimensionNumbers: lhs and rhs must have one rank, got shapes ${showShape(lhsShape)} and ${showShape(rhsShape)}.`)
  }
  const rank = lhsShape.length
  if (dimensionNumbers === null || dimensionNumbers === undefined) {
    const id = range(rank)
    return { lhsSpec: id, rhsSpec: id, outSpec: id }
  }
  if (globalThis.Array.isArray(dimensionNumbers)) {
    if (dimensionNumbers.length !== 3)
      throw new ValueError(`convDimensionNumbers: give three layout strings [lhs, rhs, out], got ${describe(dimensionNumbers)}.`)
    return permutationsOf(dimensionNumbers as readonly [string, string, string], rank)
  }
  const dn = dimensionNumbers as ConvDimensionNumbers
  if (typeof dn !== "object" || !("lhsSpec" in dn) || !("rhsSpec" in dn) || !("outSpec" in dn)) {
    throw new ValueError(
      `convDimensionNumbers: give [lhs, rhs, out] strings such as ["NHWC", "HWIO", "NHWC"], { lhsSpec, rhsSpec, outSpec } axis lists or null, got ${describe(dimensionNumbers)}.`
    )
  }
  return { lhsSpec: [...dn.lhsSpec], rhsSpec: [...dn.rhsSpec], outSpec: [...dn.outSpec] }
}

const checkCount = (x: unknown, what: string): number => {
  if (typeof x !== "number" || !Number.isSafeInteger(x) || x < 1)
    throw new ValueError(`lax.convGeneralDilated: ${what} must be a positive integer, got ${describe(x)}.`)
  return x
}

/**
 * `lax.conv_general_dilated`: an N-d convolution (1-D, 2-D, 3-D, ...) with window strides,
 * padding ("SAME", "SAME_LOWER", "VALID" or (lo, hi) pairs), lhs dilation (transposed
 * convolution), rhs dilation (atrous), layouts as strings or axis lists, feature groups
 * (depthwise) and batch groups. As in JAX it is a cross-correlation (the kernel is not flipped).
 * Differentiable in both operands, vmappable and jittable.
 *
 * @example
 * const x = np.ones([1, 5, 5, 1])                    // NHWC
 * const w = np.ones([3, 3, 1, 2])                    // HWIO
 * lax.convGeneralDilated(x, w, [1, 1], "SAME", { dimensionNumbers: ["NHWC", "HWIO", "NHWC"] }).shape  // [1, 5, 5, 2]
 */
export const convGeneralDilated = (
  lhs: Array,
  rhs: Array,
  windowStrides: ReadonlyArray<number>,
  padding: ConvPadding,
  options?: ConvGeneralDilatedOptions
): Array => {
  checkOptions("lax.convGeneralDilated", options, CGD_KEYS)
  if (lhs.ndim < 2 || lhs.ndim !== rhs.ndim) {
    throw new ShapeError(
      `lax.convGeneralDilated: lhs and rhs need one rank of at least 2 (batch, feature, spatial...), got shapes ${showShape(lhs.shape)} and ${showShape(rhs.shape)}.`
    )
  }
  const ns = lhs.ndim - 2
  const dn = convDimensionNumbers(lhs.shape, rhs.shape, options?.dimensionNumbers)
  const strides = checkIntList(windowStrides, "lax.convGeneralDilated: windowStrides", { min: 1, length: ns })
  const ones = range(ns).map(() => 1)
  const lhsDilation = options?.lhsDilation == null ? ones : checkIntList(options.lhsDilation, "lax.convGeneralDilated: lhsDilation", { min: 1, length: ns })
  const rhsDilation = options?.rhsDilation == null ? ones : checkIntList(options.rhsDilation, "lax.convGeneralDilated: rhsDilation", { min: 1, length: ns })
  const pet = options?.preferredElementType ?? null
  if (pet !== null && !dtypes.includes(pet))
    throw new DTypeError(`lax.convGeneralDilated: preferredElementType must be a dtype name such as "float32", got ${describe(pet)}.`)
  let pads: Array2
  if (typeof padding === "string") {
    checkOneOf("lax.convGeneralDilated", "padding", padding, ["SAME", "SAME_LOWER", "VALID"])
    if (lhsDilation.some((d) => d > 1)) {
      throw new ValueError(
        `lax.convGeneralDilated: string padding ${JSON.stringify(padding)} is not defined with lhsDilation ${describe(lhsDilation)} (as in JAX); give explicit (lo, hi) pairs or use lax.convTranspose.`
      )
    }
    const win = range(ns).map((k) => dilateDim(rhs.shape[dn.rhsSpec[k + 2]!]!, rhsDilation[k]!))
    pads = padtypeToPads(
      range(ns).map((k) => lhs.shape[dn.lhsSpec[k + 2]!]!),
      win,
      strides,
      padding
    )
  } else {
    pads = padtypeToPads(
      range(ns).map(() => 0),
      [],
      [],
      padding
    )
  }
  const params: ConvParams = {
    windowStrides: strides,
    padding: pads,
    lhsDilation,
    rhsDilation,
    dimensionNumbers: dn,
    featureGroupCount: checkCount(options?.featureGroupCount ?? 1, "featureGroupCount"),
    batchGroupCount: checkCount(options?.batchGroupCount ?? 1, "batchGroupCount"),
    preferredElementType: pet
  }
  return convGeneralDilatedRaw(lhs, rhs, params)
}

export interface ConvOptions {
  /** The output dtype; default the operands' dtype. */
  readonly preferredElementType?: DType | null
}
const CONV_KEYS = optionKeys<ConvOptions>()("preferredElementType")

/**
 * `lax.conv`: a convolution in the NCHW / OIHW layout with strides and padding, no dilation, no
 * groups (`convGeneralDilated` with its defaults).
 *
 * @example
 * lax.conv(np.ones([1, 1, 4, 4]), np.ones([2, 1, 3, 3]), [1, 1], "VALID").shape  // [1, 2, 2, 2]
 */
export const conv = (lhs: Array, rhs: Array, windowStrides: ReadonlyArray<number>, padding: ConvPadding, options?: ConvOptions): Array => {
  checkOptions("lax.conv", options, CONV_KEYS)
  return convGeneralDilated(lhs, rhs, windowStrides, padding, { preferredElementType: options?.preferredElementType ?? null })
}

/**
 * `lax.conv_with_general_padding`: `conv` with lhs and rhs dilation (NCHW / OIHW layout).
 *
 * @example
 * lax.convWithGeneralPadding(np.ones([1, 1, 4, 4]), np.ones([1, 1, 2, 2]), [1, 1], [[0, 0], [0, 0]], [1, 1], [2, 2]).shape  // [1, 1, 2, 2]
 */
export const convWithGeneralPadding = (
  lhs: Array,
  rhs: Array,
  windowStrides: ReadonlyArray<number>,
  padding: ConvPadding,
  lhsDilation: ReadonlyArray<number> | null,
  rhsDilation: ReadonlyArray<number> | null,
  options?: ConvOptions
): Array => {
  checkOptions("lax.convWithGeneralPadding", options, CONV_KEYS)
  return convGeneralDilated(lhs, rhs, windowStrides, padding, { lhsDilation, rhsDilation, preferredElementType: options?.preferredElementType ?? null })
}

export interface ConvTransposeOptions {
  /** Kernel dilation, one per spatial axis; default 1s. */
  readonly rhsDilation?: ReadonlyArray<number> | null
  /** The layouts; default channels-last ("NHWC", "HWIO", "NHWC" and their 1-D/3-D forms). */
  readonly dimensionNumbers?: ConvDimensionNumbersLike
  /** Flip the kernel's spatial axes and swap its in/out features (the gradient of a forward conv, as in TensorFlow); default false. */
  readonly transposeKernel?: boolean
  /** The output dtype; default the operands' dtype. */
  readonly preferredElementType?: DType | null
}
const CT_KEYS = optionKeys<ConvTransposeOptions>()("rhsDilation", "dimensionNumbers", "transposeKernel", "preferredElementType")

const transposePadding = (k: number, s: number, padding: "SAME" | "VALID"): readonly [number, number] => {
  let len: number
  let a: number
  if (padding === "SAME") {
    len = k + s - 2
    a = s > k - 1 ? k - 1 : Math.ceil(len / 2)
  } else {
    len = k + s - 2 + Math.max(k - s, 0)
    a = k - 1
  }
  return [a, len - a]
}

/**
 * `lax.conv_transpose`: the transposed ("deconvolution") convolution that upsamples by `strides`,
 * as a convolution with lhs dilation. Padding "SAME" gives `in * stride` outputs, "VALID"
 * `in * stride + max(k - stride, 0)`; explicit pairs pad the dilated input.
 *
 * @example
 * lax.convTranspose(np.ones([1, 4, 4, 1]), np.ones([3, 3, 1, 2]), [2, 2], "SAME").shape  // [1, 8, 8, 2]
 */
export const convTranspose = (lhs: Array, rhs: Array, strides: ReadonlyArray<number>, padding: ConvPadding, options?: ConvTransposeOptions): Array => {
  checkOptions("lax.convTranspose", options, CT_KEYS)
  if (lhs.ndim < 2 || lhs.ndim !== rhs.ndim) {
    throw new ShapeError(`lax.convTranspose: lhs and rhs need one rank of at least 2, got shapes ${showShape(lhs.shape)} and ${showShape(rhs.shape)}.`)
  }
  const ns = lhs.ndim - 2
  const defaults: Record<number, readonly [string, string, string]> = {
    0: ["NC", "IO", "NC"],
    1: ["NHC", "HIO", "NHC"],
    2: ["NHWC", "HWIO", "NHWC"],
    3: ["NHWDC", "HWDIO", "NHWDC"]
  }
  const given = options?.dimensionNumbers
  if (given == null && defaults[ns] === undefined) throw new ValueError(`lax.convTranspose: no default layout for ${ns} spatial axes; pass dimensionNumbers.`)
  const dn = convDimensionNumbers(lhs.shape, rhs.shape, given ?? defaults[ns]!)
  const s = checkIntList(strides, "lax.convTranspose: strides", { min: 1, length: ns })
  const rd = options?.rhsDilation == null ? range(ns).map(() => 1) : checkIntList(options.rhsDilation, "lax.convTranspose: rhsDilation", { min: 1, length: ns })
  let pads: ConvPadding = padding
  if (padding === "SAME" || padding === "VALID") {
    pads = range(ns).map((k) => transposePadding(dilateDim(rhs.shape[dn.rhsSpec[k + 2]!]!, rd[k]!), s[k]!, padding))
  } else if (typeof padding === "string") {
    throw new ValueError(`lax.convTranspose: padding must be "SAME", "VALID" or (lo, hi) pairs, got ${JSON.stringify(padding)}.`)
  }
  let kernel = rhs
  if (options?.transposeKernel === true) {
    kernel = rev(kernel, dn.rhsSpec.slice(2))
    const perm = range(rhs.ndim)
    perm[dn.rhsSpec[0]!] = dn.rhsSpec[1]!
    perm[dn.rhsSpec[1]!] = dn.rhsSpec[0]!
    kernel = transpose(kernel, perm)
  } else if (options?.transposeKernel !== undefined && options.transposeKernel !== false) {
    throw new ValueError(`lax.convTranspose: transposeKernel must be true or false, got ${describe(options.transposeKernel)}.`)
  }
  return convGeneralDilated(
    lhs,
    kernel,
    range(ns).map(() => 1),
    pads,
    {
      lhsDilation: s,
      rhsDilation: rd,
      dimensionNumbers: dn,
      preferredElementType: options?.preferredElementType ?? null
    }
  )
}

export interface ConvGeneralDilatedPatchesOptions {
  /** Dilation of the input, one per spatial axis; default 1s. */
  readonly lhsDilation?: ReadonlyArray<number> | null
  /** Dilation of the filter window, one per spatial axis; default 1s. */
  readonly rhsDilation?: ReadonlyArray<number> | null
  /** The layouts (the rhs string only orders the spatial axes); default NCHW / OIHW / NCHW. */
  readonly dimensionNumbers?: ConvDimensionNumbersLike
  /** The output dtype; default the input's dtype. */
  readonly preferredElementType?: DType | null
}
const PATCH_KEYS = optionKeys<ConvGeneralDilatedPatchesOptions>()("lhsDilation", "rhsDilation", "dimensionNumbers", "preferredElementType")

/**
 * `lax.conv_general_dilated_patches`: every window of `filterShape` as output features (ordered
 * feature-major: `c * prod(filterShape) + position`), computed as a depthwise convolution with
 * one-hot kernels as JAX does, so it has the same padding, strides and dilations.
 *
 * @example
 * lax.convGeneralDilatedPatches(np.ones([1, 2, 4, 4]), [2, 2], [2, 2], "VALID").shape  // [1, 8, 2, 2]
 */
export const convGeneralDilatedPatches = (
  lhs: Array,
  filterShape: ReadonlyArray<number>,
  windowStrides: ReadonlyArray<number>,
  padding: ConvPadding,
  options?: ConvGeneralDilatedPatchesOptions
): Array => {
  checkOptions("lax.convGeneralDilatedPatches", options, PATCH_KEYS)
  const fs = checkIntList(filterShape, "lax.convGeneralDilatedPatches: filterShape", { min: 1, length: lhs.ndim - 2 })
  const dn = convDimensionNumbers(lhs.shape, [1, 1, ...fs], options?.dimensionNumbers)
  const c = lhs.shape[dn.lhsSpec[1]!]!
  const size = fs.reduce((a, b) => a * b, 1)
  const dt = lhs.dtype
  if (dt === "bool") throw new DTypeError("lax.convGeneralDilatedPatches does not take bool inputs; cast with astype first.")
  const eye = convertElementType(eq(iota("int32", [size, size], 0), iota("int32", [size, size], 1)), dt)
  let kernel = broadcastInDim(eye, [c, size, size], [1, 2])
  kernel = reshape(kernel, [c * size, 1, ...fs])
  const canonicalRhs = range(lhs.ndim)
  return convGeneralDilated(lhs, kernel, windowStrides, padding, {
    lhsDilation: options?.lhsDilation ?? null,
    rhsDilation: options?.rhsDilation ?? null,
    dimensionNumbers: { lhsSpec: dn.lhsSpec, rhsSpec: canonicalRhs, outSpec: dn.outSpec },
    featureGroupCount: c,
    preferredElementType: options?.preferredElementType ?? null
  })
}
