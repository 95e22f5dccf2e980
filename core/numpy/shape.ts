/**
 * Shape manipulation in `np`: reshape, transpose, axes moves, broadcasting, joining and
 * splitting, tiling and repetition, flips, padding, `take`; plus the closeness tests `isclose`
 * (an Array) and `allclose` / `arrayEqual` (JS booleans: they read values, so eager only, like
 * `bool(jnp.allclose(...))`). Everything lowers to structural primitives, so it transforms.
 */
import { Array } from "../array.js"
import { complexPartDType, type DType, isComplex, isFloat, isInt } from "../dtype.js"
import { DTypeError, IndexError, ShapeError, ValueError } from "../errors.js"
import { checkOptions, optionKeys } from "../options.js"
import { constant } from "../primitives/common.js"
import { imag, real } from "../primitives/complex.js"
import { abs as laxAbs, add, and, eq, isFinite as laxIsFinite, le, lt, mul, ne, not, or, rem, select, sub } from "../primitives/elementwise.js"
import { gather } from "../primitives/indexing.js"
import { reduceMin as laxReduceMin } from "../primitives/reduce.js"
import {
  broadcastInDim,
  broadcastTo as laxBroadcastTo,
  concatenate as laxConcatenate,
  pad as laxPad,
  reshape as laxReshape,
  rev,
  slice,
  transpose as laxTranspose
} from "../primitives/shape-ops.js"
import { broadcastShapes, checkIntList, describe, intOrList, normalizeAxes, normalizeAxis, shapeEqual, showShape, sizeOf } from "../shape.js"
import { type ArrayLike, asArray, type Operand, promote, promoteDtypes, scalarArray } from "./coerce.js"

const seq = (n: number, from = 0): number[] => globalThis.Array.from({ length: n }, (_, i) => from + i)
const toArray = (x: ArrayLike): Array => (x instanceof Array ? x : asArray(x))
const toOperand = (x: ArrayLike): Operand => (x instanceof Array || typeof x === "number" || typeof x === "boolean" ? x : asArray(x))
const listOf = (x: number | ReadonlyArray<number>, what: string): number[] => intOrList(x, what)

/** An axis given positionally or as `{ axis }` (JAX's keyword argument). */
export type AxisArg = number | { readonly axis?: number }
const axisFrom = (a: AxisArg | undefined, dflt: number): number => (a === undefined ? dflt : typeof a === "number" ? a : (a.axis ?? dflt))
const AXIS_KEYS = ["axis"]
/** An axis given as `{ axis }` is an options object: check its keys (a number or null passes). */
const checkAxisOption = (what: string, a: unknown): void => {
  if (a !== null && typeof a === "object") checkOptions(what, a, AXIS_KEYS)
}

// ---------------------------------------------------------------------------------------------
// Reshaping and axes

/**
 * `jnp.reshape`: a new shape with the same number of elements; one dimension may be -1 (inferred).
 *
 * @example
 * np.reshape(np.arange(6), [2, -1]).shape // [2, 3]
 */
export const reshape = (x: ArrayLike, shape: number | ReadonlyArray<number>): Array => {
  const a = toArray(x)
  const req = listOf(shape, "reshape: shape")
  const unknown = req.filter((d) => d === -1).length
  const bad = req.find((d) => !Number.isInteger(d) || d < -1)
  if (bad !== undefined || unknown > 1) {
    throw new ShapeError(
      `reshape: invalid target shape ${showShape(req)} for an array of shape ${showShape(a.shape)}; ` +
        "use non-negative integer sizes with at most one -1 (which is inferred)."
    )
  }
  const known = sizeOf(req.filter((d) => d !== -1))
  let out = req
  if (unknown === 1) {
    if (known === 0 || a.size % known !== 0) {
      throw new ShapeError(
        `reshape: cannot reshape an array of shape ${showShape(a.shape)} (size ${a.size}) into shape ${showShape(req)}: ` +
          `the known sizes multiply to ${known}, which does not divide ${a.size}. Choose sizes whose product divides the size.`
      )
    }
    out = req.map((d) => (d === -1 ? a.size / known : d))
  } else if (known !== a.size) {
    throw new ShapeError(
      `reshape: cannot reshape an array of shape ${showShape(a.shape)} (size ${a.size}) into shape ${showShape(req)} ` +
        `(size ${known}); the sizes must have the same product (use -1 for one inferred dimension).`
    )
  }
  return laxReshape(a, out)
}

/**
 * `jnp.ravel`: the elements as a 1-D array (row-major).
 *
 * @example
 * np.ravel(np.array([[1, 2], [3, 4]])) // Array([1, 2, 3, 4], dtype=int32)
 */
export const ravel = (x: ArrayLike): Array => {
  const a = toArray(x)
  return laxReshape(a, [a.size])
}

const checkPermutation = (what: string, axes: ReadonlyArray<number>, shape: ReadonlyArray<number>): number[] => {
  if (axes.length !== shape.length) {
    throw new ShapeError(
      `${what}: axes ${JSON.stringify(axes)} do not match an array of shape ${showShape(shape)}; give a permutation of all ${shape.length} axes.`
    )
  }
  const perm = axes.map((d) => normalizeAxis(d, shape.length))
  if (new Set(perm).size !== perm.length) {
    throw new ShapeError(`${what}: axes ${JSON.stringify(axes)} repeat an axis of shape ${showShape(shape)}; give each axis exactly once.`)
  }
  return perm
}

/**
 * `jnp.transpose`: permute the axes (default: reverse them).
 *
 * @example
 * np.transpose(np.zeros([2, 3, 4]), [1, 0, 2]).shape // [3, 2, 4]
 */
export const transpose = (x: ArrayLike, axes?: ReadonlyArray<number>): Array => {
  const a = toArray(x)
  // null is JAX's axes=None too: reverse the axes.
  const perm = axes === undefined || axes === null ? seq(a.ndim).reverse() : checkPermutation("transpose", axes, a.shape)
  return laxTranspose(a, perm)
}

/**
 * `jnp.swapaxes`: exchange two axes.
 *
 * @example
 * np.swapaxes(np.zeros([2, 3, 4]), 0, 2).shape // [4, 3, 2]
 */
export const swapaxes = (x: ArrayLike, axis1: number, axis2: number): Array => {
  const a = toArray(x)
  const i = normalizeAxis(axis1, a.ndim, "swapaxes axis1")
  const j = normalizeAxis(axis2, a.ndim, "swapaxes axis2")
  const perm = seq(a.ndim)
  perm[i] = j
  perm[j] = i
  return laxTranspose(a, perm)
}

/**
 * `jnp.moveaxis`: move axes to new positions, keeping the order of the others.
 *
 * @example
 * np.moveaxis(np.zeros([2, 3, 4]), 0, -1).shape // [3, 4, 2]
 */
export const moveaxis = (x: ArrayLike, source: number | ReadonlyArray<number>, destination: number | ReadonlyArray<number>): Array => {
  const a = toArray(x)
  const src = listOf(source, "moveaxis: source").map((d) => normalizeAxis(d, a.ndim, "moveaxis source"))
  const dst = listOf(destination, "moveaxis: destination").map((d) => normalizeAxis(d, a.ndim, "moveaxis destination"))
  if (src.length !== dst.length) {
    throw new ShapeError(`moveaxis: ${src.length} source axes but ${dst.length} destination axes; give one destination per source.`)
  }
  if (new Set(src).size !== src.length || new Set(dst).size !== dst.length) {
    throw new ShapeError(`moveaxis: repeated axis in source ${JSON.stringify(source)} or destination ${JSON.stringify(destination)}.`)
  }
  const rest = seq(a.ndim).filter((d) => !src.includes(d))
  const perm = new globalThis.Array<number>(a.ndim).fill(-1)
  dst.forEach((d, i) => (perm[d] = src[i]!))
  let k = 0
  for (let d = 0; d < a.ndim; d++) if (perm[d] === -1) perm[d] = rest[k++]!
  return laxTranspose(a, perm)
}

/**
 * `jnp.squeeze`: remove axes of size 1 (all of them, or the given ones, which must have size 1).
 *
 * @example
 * np.squeeze(np.zeros([1, 3, 1])).shape // [3]
 * np.squeeze(np.zeros([1, 3, 1]), 0).shape // [3, 1]
 */
export const squeeze = (x: ArrayLike, axis?: number | ReadonlyArray<number>): Array => {
  const a = toArray(x)
  const axes = axis === undefined ? seq(a.ndim).filter((d) => a.shape[d] === 1) : normalizeAxes(axis, a.ndim)
  for (const d of axes) {
    if (a.shape[d] !== 1) {
      throw new ShapeError(
        `squeeze: axis ${d} of shape ${showShape(a.shape)} has size ${a.shape[d]}, not 1; only size-1 axes can be removed ` +
          "(omit axis to remove all of them)."
      )
    }
  }
  return laxReshape(
    a,
    a.shape.filter((_, d) => !axes.includes(d))
  )
}

/**
 * `jnp.expand_dims`: insert size-1 axes at the given positions of the result.
 *
 * @example
 * np.expandDims(np.zeros([3]), [0, 2]).shape // [1, 3, 1]
 */
export const expandDims = (x: ArrayLike, axis: number | ReadonlyArray<number>): Array => {
  const a = toArray(x)
  const list = listOf(axis, "expandDims: axis")
  const rank = a.ndim + list.length
  const axes = normalizeAxes(list, rank)
  const shape: number[] = []
  let k = 0
  for (let d = 0; d < rank; d++) shape.push(axes.includes(d) ? 1 : a.shape[k++]!)
  return laxReshape(a, shape)
}

const checkBroadcastTo = (a: Array, shape: ReadonlyArray<number>): void => {
  const fits = a.ndim <= shape.length && a.shape.every((d, i) => d === 1 || d === shape[shape.length - a.ndim + i])
  if (!fits || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new ShapeError(
      `broadcastTo: cannot broadcast an array of shape ${showShape(a.shape)} to shape ${showShape(shape)}; ` +
        "aligned from the right, each dimension must equal the target's or be 1, and the target cannot have lower rank."
    )
  }
}

/**
 * `jnp.broadcast_to`: NumPy broadcasting to an explicit shape.
 *
 * @example
 * np.broadcastTo(np.array([1, 2, 3]), [2, 3]) // [[1, 2, 3], [1, 2, 3]]
 */
export const broadcastTo = (x: ArrayLike, shape: number | ReadonlyArray<number>): Array => {
  const a = toArray(x)
  const s = intOrList(shape, "broadcastTo: shape")
  checkBroadcastTo(a, s)
  return laxBroadcastTo(a, s)
}

/**
 * `jnp.broadcast_arrays`: broadcast every operand to their common shape (dtypes are kept).
 *
 * @example
 * const [a, b] = np.broadcastArrays(np.array([[1], [2]]), np.array([10, 20, 30]))
 * a!.shape // [2, 3]
 * b!.shape // [2, 3]
 */
export const broadcastArrays = (...xs: ReadonlyArray<ArrayLike>): Array[] => {
  const arrays = xs.map(toArray)
  const shape = broadcastShapes(...arrays.map((a) => a.shape))
  return arrays.map((a) => laxBroadcastTo(a, shape))
}

// ---------------------------------------------------------------------------------------------
// Joining and splitting

/** The axis argument of concatenate: a number, `null` (flatten first), or `{ axis }`. */
export type ConcatAxis = number | null | { readonly axis?: number | null }

/**
 * `jnp.concatenate`: join arrays along an existing axis (default 0); `axis: null` flattens them
 * first. Operands are promoted to one dtype.
 *
 * @example
 * const [a, b] = [np.ones([2, 3]), np.zeros([2, 1])]
 * np.concatenate([a, b], { axis: 1 })
 */
export const concatenate = (xs: ReadonlyArray<ArrayLike>, axis: ConcatAxis = 0): Array => {
  checkAxisOption("np.concatenate", axis)
  const ax = axis === null || typeof axis === "number" ? axis : axis.axis === undefined ? 0 : axis.axis
  if (xs.length === 0) throw new ValueError("concatenate needs at least one array; got an empty list.")
  let arrays = promoteDtypes(xs.map(toOperand))
  if (ax === null) arrays = arrays.map((a) => laxReshape(a, [a.size]))
  const first = arrays[0]!
  if (first.ndim === 0) {
    throw new ShapeError("concatenate: zero-dimensional arrays cannot be concatenated; use np.stack, or expandDims each first.")
  }
  const d = normalizeAxis(ax ?? 0, first.ndim, "concatenate axis")
  for (const a of arrays) {
    if (a.ndim !== first.ndim || a.shape.some((s, i) => i !== d && s !== first.shape[i])) {
      throw new ShapeError(
        `concatenate along axis ${d}: shapes ${arrays.map((b) => showShape(b.shape)).join(", ")} must have the same rank and ` +
          "agree on every other axis; reshape or broadcast them first."
      )
    }
  }
  return laxConcatenate(arrays, d)
}

/**
 * `jnp.stack`: join arrays of one shape along a new axis (default 0).
 *
 * @example
 * const [a, b] = [np.ones([4]), np.zeros([4])]
 * np.stack([a, b], 1) // shape [4, 2]
 */
export const stack = (xs: ReadonlyArray<ArrayLike>, axis: AxisArg = 0): Array => {
  checkAxisOption("np.stack", axis)
  if (xs.length === 0) throw new ValueError("stack needs at least one array; got an empty list.")
  const arrays = promoteDtypes(xs.map(toOperand))
  const first = arrays[0]!
  for (const a of arrays) {
    if (!shapeEqual(a.shape, first.shape)) {
      throw new ShapeError(
        `stack: all arrays must have the same shape, got ${arrays.map((b) => showShape(b.shape)).join(", ")}; ` +
          "broadcast or reshape them to one shape first."
      )
    }
  }
  const d = normalizeAxis(axisFrom(axis, 0), first.ndim + 1, "stack axis")
  const shape = [...first.shape.slice(0, d), 1, ...first.shape.slice(d)]
  return laxConcatenate(
    arrays.map((a) => laxReshape(a, shape)),
    d
  )
}

/**
 * `jnp.hstack`: concatenate along axis 1 (axis 0 for 1-D arrays); scalars become 1-D.
 *
 * @example
 * np.hstack([np.array([1, 2]), np.array([3])]) // Array([1, 2, 3], dtype=int32)
 */
export const hstack = (xs: ReadonlyArray<ArrayLike>): Array => {
  const arrays = xs.map((x) => {
    const a = toArray(x)
    return a.ndim === 0 ? laxReshape(a, [1]) : a
  })
  return concatenate(arrays, arrays[0]?.ndim === 1 ? 0 : 1)
}

/**
 * `jnp.vstack`: concatenate along axis 0, after making every operand at least 2-D.
 *
 * @example
 * np.vstack([np.array([1, 2]), np.array([3, 4])]) // Array([[1, 2], [3, 4]], dtype=int32)
 */
export const vstack = (xs: ReadonlyArray<ArrayLike>): Array => {
  const arrays = xs.map((x) => {
    const a = toArray(x)
    return a.ndim === 0 ? laxReshape(a, [1, 1]) : a.ndim === 1 ? laxReshape(a, [1, a.shape[0]!]) : a
  })
  return concatenate(arrays, 0)
}

/** Python slice bounds: negative values count from the end, then clamp to [0, n]. */
const clampBound = (i: number, n: number): number => Math.min(n, Math.max(0, i < 0 ? i + n : i))

const piecesAt = (a: Array, d: number, bounds: ReadonlyArray<number>): Array[] => {
  const n = a.shape[d]!
  const pieces: Array[] = []
  for (let k = 0; k + 1 < bounds.length; k++) {
    const s = clampBound(bounds[k]!, n)
    const e = Math.max(s, clampBound(bounds[k + 1]!, n))
    pieces.push(
      slice(
        a,
        a.shape.map((_, i) => (i === d ? s : 0)),
        a.shape.map((m, i) => (i === d ? e : m))
      )
    )
  }
  return pieces
}

/**
 * `jnp.split`: a number of equal sections (which must divide the axis), or the indices at which
 * to split (NumPy slice rules: negative indices count from the end; out-of-range ones clamp).
 *
 * @example
 * np.split(np.arange(6), 3)      // three arrays of 2
 * np.split(np.arange(6), [1, 4]) // sizes 1, 3, 2
 */
export const split = (x: ArrayLike, indicesOrSections: number | ReadonlyArray<number>, axis: AxisArg = 0): Array[] => {
  checkAxisOption("np.split", axis)
  const a = toArray(x)
  if (a.ndim === 0) throw new ShapeError("split: cannot split a zero-dimensional array; give an array with at least one axis.")
  const d = normalizeAxis(axisFrom(axis, 0), a.ndim, "split axis")
  const n = a.shape[d]!
  if (typeof indicesOrSections === "number") {
    const k = indicesOrSections
    if (!Number.isInteger(k) || k <= 0 || n % k !== 0) {
      throw new ShapeError(
        `split: axis ${d} of shape ${showShape(a.shape)} (size ${n}) cannot be split into ${k} equal sections; ` +
          "give a number of sections that divides the size, or split points, or use np.arraySplit."
      )
    }
    return piecesAt(
      a,
      d,
      seq(k + 1).map((i) => (i * n) / k)
    )
  }
  return piecesAt(a, d, [0, ...checkIntList(indicesOrSections, "split: indicesOrSections (a number of sections or a list of split points)"), n])
}

/**
 * `jnp.array_split`: like split, but a number of sections need not divide the axis: the first
 * `size % sections` pieces get one extra element.
 *
 * @example
 * np.arraySplit(np.arange(5), 2) // [Array([0, 1, 2], dtype=int32), Array([3, 4], dtype=int32)]
 */
export const arraySplit = (x: ArrayLike, indicesOrSections: number | ReadonlyArray<number>, axis: AxisArg = 0): Array[] => {
  checkAxisOption("np.arraySplit", axis)
  const a = toArray(x)
  if (typeof indicesOrSections !== "number") return split(a, indicesOrSections, axis)
  if (a.ndim === 0) throw new ShapeError("arraySplit: cannot split a zero-dimensional array; give an array with at least one axis.")
  const d = normalizeAxis(axisFrom(axis, 0), a.ndim, "arraySplit axis")
  const k = indicesOrSections
  if (!Number.isInteger(k) || k <= 0) throw new ValueError(`arraySplit: the number of sections must be a positive integer, got ${k}.`)
  const n = a.shape[d]!
  const base = Math.floor(n / k)
  const extra = n % k
  const bounds = [0]
  for (let i = 0; i < k; i++) bounds.push(bounds[i]! + base + (i < extra ? 1 : 0))
  return piecesAt(a, d, bounds)
}

// ---------------------------------------------------------------------------------------------
// Repetition, flips, padding

/**
 * `jnp.tile`: repeat the whole array `reps` times along each axis (reps and the shape are
 * aligned from the right, padding the shorter with 1s).
 *
 * @example
 * np.tile(np.array([1, 2]), [2, 2]) // [[1, 2, 1, 2], [1, 2, 1, 2]]
 */
export const tile = (x: ArrayLike, reps: number | ReadonlyArray<number>): Array => {
  const a = toArray(x)
  const r = listOf(reps, "tile: reps")
  if (r.some((k) => !Number.isInteger(k) || k < 0)) throw new ValueError(`tile: repetitions ${JSON.stringify(reps)} must be non-negative integers.`)
  const rank = Math.max(a.ndim, r.length)
  const shape = [...new globalThis.Array<number>(rank - a.ndim).fill(1), ...a.shape]
  const rr = [...new globalThis.Array<number>(rank - r.length).fill(1), ...r]
  // Interleave a new axis of size reps[i] before each axis, broadcast, then merge each pair.
  const inter = shape.flatMap((d) => [1, d])
  const target = shape.flatMap((d, i) => [rr[i]!, d])
  const b = broadcastInDim(laxReshape(a, inter), target, seq(2 * rank))
  return laxReshape(
    b,
    shape.map((d, i) => d * rr[i]!)
  )
}

/** Counts for `repeat`: one number for every element, or one per element of the axis. */
export type Repeats = number | ReadonlyArray<number> | Array

/**
 * `jnp.repeat`: repeat each element `repeats` times along `axis` (default: the flattened array).
 * `repeats` may be one count or a count per element of the axis; counts must be concrete
 * (JS numbers, or an Array outside of jit), since they decide the output shape.
 *
 * @example
 * np.repeat(np.array([1, 2]), 2)          // [1, 1, 2, 2]
 * np.repeat(np.array([1, 2]), [1, 3])     // [1, 2, 2, 2]
 */
export const repeat = (x: ArrayLike, repeats: Repeats, axis?: number | { readonly axis?: number }): Array => {
  checkAxisOption("np.repeat", axis)
  let a = toArray(x)
  const ax = typeof axis === "object" ? axis.axis : axis
  if (ax === undefined) a = laxReshape(a, [a.size])
  const d = normalizeAxis(ax ?? 0, a.ndim, "repeat axis")
  const n = a.shape[d]!
  const counts = repeats instanceof Array ? globalThis.Array.from(repeats.data(), Number) : listOf(repeats, "repeat: repeats")
  if (counts.some((c) => !Number.isInteger(c) || c < 0)) {
    throw new ValueError(`repeat: counts must be non-negative integers, got ${JSON.stringify(counts)}.`)
  }
  if (counts.length === 1) {
    // One count for every element: add an axis after d, broadcast it, merge.
    const k = counts[0]!
    const shape = [...a.shape.slice(0, d + 1), 1, ...a.shape.slice(d + 1)]
    const target = [...a.shape.slice(0, d + 1), k, ...a.shape.slice(d + 1)]
    const b = broadcastInDim(laxReshape(a, shape), target, seq(target.length))
    return laxReshape(
      b,
      a.shape.map((s, i) => (i === d ? s * k : s))
    )
  }
  if (counts.length !== n) {
    throw new ShapeError(
      `repeat: ${counts.length} counts given for axis ${d} of shape ${showShape(a.shape)} (size ${n}); ` +
        "give one count, or one count per element of the axis."
    )
  }
  const idx: number[] = []
  counts.forEach((c, i) => {
    for (let j = 0; j < c; j++) idx.push(i)
  })
  if (idx.length === 0) return emptyAlong(a, d)
  return gather(a, asArray(Int32Array.from(idx)), d)
}

/** An empty array shaped like `a` with size 0 along axis `d`. */
const emptyAlong = (a: Array, d: number): Array =>
  slice(
    a,
    a.shape.map(() => 0),
    a.shape.map((s, i) => (i === d ? 0 : s))
  )

/**
 * `jnp.flip`: reverse the order of elements along the given axes (default: all).
 *
 * @example
 * np.flip(np.array([[1, 2], [3, 4]])) // Array([[4, 3], [2, 1]], dtype=int32)
 * np.flip(np.array([[1, 2], [3, 4]]), 1) // Array([[2, 1], [4, 3]], dtype=int32)
 */
export const flip = (x: ArrayLike, axis?: number | ReadonlyArray<number>): Array => {
  const a = toArray(x)
  return rev(a, normalizeAxes(axis, a.ndim))
}

/** Pad widths: one width, `[before, after]` for every axis, or one `[before, after]` per axis. */
export type PadWidth = number | readonly [number] | readonly [number, number] | ReadonlyArray<readonly [number, number] | readonly [number]>

export type PadMode = "constant" | "edge" | "reflect" | "symmetric" | "wrap"

export interface PadOptions {
  /** Default "constant". */
  readonly mode?: PadMode
  /** For "constant": one value, `[before, after]`, or a pair per axis (default 0). */
  readonly constantValues?: number | readonly [number, number] | ReadonlyArray<readonly [number, number]>
}
const PAD_KEYS = optionKeys<PadOptions>()("mode", "constantValues")

const padPairs = (padWidth: PadWidth, shape: ReadonlyArray<number>): (readonly [number, number])[] => {
  const rank = shape.length
  const bad = (): ShapeError =>
    new ShapeError(
      `pad: padWidth ${describe(padWidth)} does not fit an array of shape ${showShape(shape)}; give one width, ` +
        `[before, after], or ${rank} pairs [before, after] (one per axis), all non-negative integers.`
    )
  let pairs: (readonly [number, number])[]
  if (typeof padWidth === "number") pairs = shape.map(() => [padWidth, padWidth] as const)
  else if (!globalThis.Array.isArray(padWidth)) throw bad()
  else if (padWidth.every((p): p is number => typeof p === "number")) {
    const flat = padWidth as ReadonlyArray<number>
    if (flat.length === 1) pairs = shape.map(() => [flat[0]!, flat[0]!] as const)
    else if (flat.length === 2) pairs = shape.map(() => [flat[0]!, flat[1]!] as const)
    else throw bad()
  } else {
    const nested = padWidth as ReadonlyArray<ReadonlyArray<number>>
    const norm = nested.map((p): readonly [number, number] => {
      if (!globalThis.Array.isArray(p)) throw bad()
      if (p.length === 1) return [p[0]!, p[0]!]
      if (p.length === 2) return [p[0]!, p[1]!]
      throw bad()
    })
    if (norm.length === 1) pairs = shape.map(() => norm[0]!)
    else if (norm.length === rank) pairs = norm
    else throw bad()
  }
  if (pairs.some(([b, c]) => !Number.isSafeInteger(b) || !Number.isSafeInteger(c) || b < 0 || c < 0)) throw bad()
  return pairs
}

const constantPairs = (v: PadOptions["constantValues"], rank: number): (readonly [number, number])[] => {
  if (v === undefined) return seq(rank).map(() => [0, 0] as const)
  if (typeof v === "number") return seq(rank).map(() => [v, v] as const)
  if (v.every((p): p is number => typeof p === "number")) {
    const f = v as ReadonlyArray<number>
    return seq(rank).map(() => [f[0]!, f[1]!] as const)
  }
  const nested = v as ReadonlyArray<readonly [number, number]>
  if (nested.length === 1) return seq(rank).map(() => nested[0]!)
  if (nested.length !== rank) {
    throw new ShapeError(`pad: constantValues ${JSON.stringify(v)} does not fit rank ${rank}; give one value, a pair, or one pair per axis.`)
  }
  return [...nested]
}

/** Source index of each output position along an axis, for the non-constant pad modes. */
const padSource = (mode: Exclude<PadMode, "constant">, i: number, lo: number, n: number): number => {
  const j = i - lo
  const mod = (p: number, q: number): number => ((p % q) + q) % q
  switch (mode) {
    case "edge":
      return Math.min(n - 1, Math.max(0, j))
    case "wrap":
      return mod(j, n)
    case "reflect": {
      if (n === 1) return 0
      const m = mod(j, 2 * (n - 1))
      return m < n ? m : 2 * (n - 1) - m
    }
    case "symmetric": {
      const m = mod(j, 2 * n)
      return m < n ? m : 2 * n - 1 - m
    }
  }
}

/**
 * `jnp.pad`: pad an array. Mode "constant" (default) fills with `constantValues` (0 by default);
 * "edge" repeats the border value, "reflect" mirrors without the border, "symmetric" mirrors with
 * it, "wrap" repeats the array periodically.
 *
 * @example
 * np.pad(np.array([1, 2]), [1, 2])                        // [0, 1, 2, 0, 0]
 * np.pad(np.array([1, 2, 3]), 2, { mode: "reflect" })      // [3, 2, 1, 2, 3, 2, 1]
 */
export const pad = (x: ArrayLike, padWidth: PadWidth, options?: PadOptions): Array => {
  checkOptions("np.pad", options, PAD_KEYS)
  const a = toArray(x)
  const pairs = padPairs(padWidth, a.shape)
  const mode = options?.mode ?? "constant"
  if (mode === "constant") {
    const values = constantPairs(options?.constantValues, a.ndim)
    const v0 = values[0]?.[0] ?? 0
    if (values.every(([b, c]) => b === v0 && c === v0)) {
      return laxPad(
        a,
        scalarArray(v0, a.dtype),
        pairs.map(([b, c]) => [b, c, 0] as const)
      )
    }
    // Different values per side: pad one side of one axis at a time (later axes fill the corners, as NumPy).
    let out = a
    pairs.forEach(([b, c], d) => {
      const [vb, vc] = values[d]!
      out = laxPad(
        out,
        scalarArray(vb, a.dtype),
        out.shape.map((_, i) => [i === d ? b : 0, 0, 0] as const)
      )
      out = laxPad(
        out,
        scalarArray(vc, a.dtype),
        out.shape.map((_, i) => [0, i === d ? c : 0, 0] as const)
      )
    })
    return out
  }
  if (mode !== "edge" && mode !== "reflect" && mode !== "symmetric" && mode !== "wrap") {
    throw new ValueError(`pad: unknown mode "${String(mode)}"; use "constant", "edge", "reflect", "symmetric" or "wrap".`)
  }
  let out = a
  pairs.forEach(([b, c], d) => {
    if (b === 0 && c === 0) return
    const n = out.shape[d]!
    if (n === 0) throw new ShapeError(`pad: cannot pad axis ${d} of shape ${showShape(a.shape)} in mode "${mode}": the axis is empty; use mode "constant".`)
    const idx = seq(b + n + c).map((i) => padSource(mode, i, b, n))
    out = gather(out, asArray(Int32Array.from(idx)), d)
  })
  return out
}

// ---------------------------------------------------------------------------------------------
// take

export interface TakeOptions {
  /** The axis to index (default: the flattened array). */
  readonly axis?: number | null
  /**
   * Out-of-bounds handling: "fill" (default, as JAX: negative indices count from the end, indices
   * outside [-n, n) give `fillValue`), "clip" (clamp to [0, n-1]) or "wrap" (modulo n).
   */
  readonly mode?: "fill" | "clip" | "wrap"
  /** For "fill": NaN for floats, the most negative int32, the largest uint32, true for bool. */
  readonly fillValue?: number
}
const TAKE_KEYS = optionKeys<TakeOptions>()("axis", "mode", "fillValue")

const defaultFill = (d: DType): number => (isFloat(d) ? NaN : d === "int32" ? -2147483648 : d === "uint32" ? 4294967295 : 1)

/**
 * `jnp.take`: elements along an axis at the given integer indices; the result shape is
 * `x.shape[:axis] + indices.shape + x.shape[axis+1:]`. Lowers to gather, so it differentiates
 * (the gradient scatters back, adding at repeated indices).
 *
 * @example
 * np.take(np.array([[1, 2, 3], [4, 5, 6]]), [2, 0], { axis: 1 }) // [[3, 1], [6, 4]]
 * np.take(np.array([10, 20, 30]), -1)                           // 30
 */
export const take = (x: ArrayLike, indices: ArrayLike, options?: TakeOptions): Array => {
  checkOptions("np.take", options, TAKE_KEYS)
  let a = toArray(x)
  const ax = options?.axis ?? null
  if (ax === null) a = laxReshape(a, [a.size])
  const d = normalizeAxis(ax ?? 0, a.ndim, "take axis")
  const n = a.shape[d]!
  const mode = options?.mode ?? "fill"
  if (mode !== "fill" && mode !== "clip" && mode !== "wrap") {
    throw new ValueError(`take: unknown mode "${String(mode)}"; use "fill", "clip" or "wrap".`)
  }
  const idx = toArray(indices)
  if (!isInt(idx.dtype)) throw new DTypeError(`take: indices must be integers, got ${idx.dtype}; cast them with astype("int32").`)
  const outShape = [...a.shape.slice(0, d), ...idx.shape, ...a.shape.slice(d + 1)]
  if (n === 0) {
    if (idx.size !== 0) throw new IndexError(`take: cannot take ${idx.size} element(s) from the empty axis ${d} of shape ${showShape(a.shape)}.`)
    return constant(0, a.dtype, outShape)
  }
  if (idx.size === 0) return constant(0, a.dtype, outShape)
  const size = constant(n, idx.dtype, [], true)
  const zero = constant(0, idx.dtype, [], true)
  let i = idx
  let valid: Array | undefined
  if (mode === "wrap") {
    // rem keeps the dividend's sign: ((i rem n) + n) rem n lands in [0, n).
    i = rem(add(rem(idx, size), size), size)
  } else if (mode === "fill") {
    if (idx.dtype !== "uint32") i = select(lt(idx, zero), add(idx, size), idx)
    valid = and(le(zero, i), lt(i, size))
  }
  const out = gather(a, i, d)
  if (valid === undefined) return out
  const mask = broadcastInDim(valid, outShape, seq(idx.ndim, d))
  const fill = scalarArray(options?.fillValue ?? defaultFill(a.dtype), a.dtype, [], a.weakType)
  return select(mask, out, fill)
}

// ---------------------------------------------------------------------------------------------
// Closeness and equality

export interface CloseOptions {
  /** Relative tolerance (default 1e-5). */
  readonly rtol?: number
  /** Absolute tolerance (default 1e-8). */
  readonly atol?: number
  /** Whether NaNs in the same position compare equal (default false). */
  readonly equalNan?: boolean
}
const CLOSE_KEYS = optionKeys<CloseOptions>()("rtol", "atol", "equalNan")

const isNan = (x: Array): Array => ne(x, x)

/**
 * `jnp.isclose`: elementwise `|a - b| <= atol + rtol * |b|` (broadcasting), with infinities equal
 * only to themselves and NaN equal to nothing unless `equalNan`. Integer operands are compared as
 * float32.
 *
 * @example
 * np.isclose(np.array([1, 1.001]), 1) // Array([ True, False], dtype=bool)
 * np.isclose(np.array([1, 1.001]), 1, { atol: 0.01 }) // Array([ True,  True], dtype=bool)
 */
export const isclose = (a: ArrayLike, b: ArrayLike, options?: CloseOptions): Array => {
  checkOptions("np.isclose", options, CLOSE_KEYS)
  const [x, y] = promote([toOperand(a), toOperand(b)], "float") as [Array, Array]
  const dt = x.dtype
  if (isComplex(dt)) return iscloseComplex(x, y, options)
  const rtol = constant(options?.rtol ?? 1e-5, dt, [], true)
  const atol = constant(options?.atol ?? 1e-8, dt, [], true)
  let out = le(laxAbs(sub(x, y)), add(atol, mul(rtol, laxAbs(y))))
  const xNan = isNan(x)
  const yNan = isNan(y)
  const xInf = and(not(laxIsFinite(x)), not(xNan))
  const yInf = and(not(laxIsFinite(y)), not(yNan))
  // An infinity is close only to the same infinity.
  out = or(and(out, not(or(xInf, yInf))), and(and(xInf, yInf), eq(x, y)))
  out = and(out, not(or(xNan, yNan)))
  if (options?.equalNan === true) out = or(out, and(xNan, yNan))
  return out
}

/**
 * `isclose` of complex operands as JAX computes it: `a == b`, or `b` finite (both parts) and
 * `|a - b| <= atol + rtol * |b|` with the moduli in the parts' dtype; NaN (in either part) equal
 * to NaN only with `equalNan`.
 */
const iscloseComplex = (x: Array, y: Array, options: CloseOptions | undefined): Array => {
  const part = complexPartDType(x.dtype)
  const rtol = constant(options?.rtol ?? 1e-5, part, [], true)
  const atol = constant(options?.atol ?? 1e-8, part, [], true)
  const finite = and(laxIsFinite(real(y)), laxIsFinite(imag(y)))
  const inRange = le(laxAbs(sub(x, y)), add(atol, mul(rtol, laxAbs(y))))
  const out = or(eq(x, y), and(finite, inRange))
  if (options?.equalNan !== true) return out
  const nan = (z: Array) => or(isNan(real(z)), isNan(imag(z)))
  return or(out, and(nan(x), nan(y)))
}

/** Whether every element is true, as a bool scalar Array (a reduction, so it works under jit). */
const allTrue = (x: Array): Array => {
  if (x.size === 0) return constant(1, "bool")
  return laxReduceMin(laxReshape(x, [x.size]), [0])
}

/**
 * `jnp.allclose`: whether every element pair is close (see `isclose`), as a bool scalar Array, so
 * it works under jit. Read it with `.item()` or `.toJs()` outside transformations.
 *
 * @example
 * np.allclose(np.array([1, 2]), np.array([1, 2 + 1e-7])) // Array(True, dtype=bool)
 */
export const allclose = (a: ArrayLike, b: ArrayLike, options?: CloseOptions): Array => allTrue(isclose(a, b, checkOptions("np.allclose", options, CLOSE_KEYS)))

/**
 * `jnp.array_equal`: whether the arrays have one shape and equal elements (NaN equals NaN only with
 * `equalNan`), as a bool scalar Array (usable under jit).
 *
 * @example
 * np.arrayEqual(np.array([1, 2]), np.array([1, 2])) // Array(True, dtype=bool)
 */
export const arrayEqual = (a: ArrayLike, b: ArrayLike, options?: { readonly equalNan?: boolean }): Array => {
  checkOptions("np.arrayEqual", options, ["equalNan"])
  const [x, y] = promoteDtypes([toArray(a), toArray(b)]) as [Array, Array]
  if (!shapeEqual(x.shape, y.shape)) return constant(0, "bool")
  let same = eq(x, y)
  if (options?.equalNan === true && isFloat(x.dtype)) same = or(same, and(isNan(x), isNan(y)))
  return allTrue(same)
}

/**
 * `jnp.array_equiv`: whether the arrays broadcast to one shape and are equal there, as a bool
 * scalar Array (usable under jit).
 *
 * @example
 * np.arrayEquiv(np.array([1, 2]), np.array([[1, 2], [1, 2]])) // Array(True, dtype=bool)
 */
export const arrayEquiv = (a: ArrayLike, b: ArrayLike): Array => {
  const x = toArray(a)
  const y = toArray(b)
  let shape: number[]
  try {
    shape = broadcastShapes(x.shape, y.shape)
  } catch (e) {
    if (e instanceof ShapeError || e instanceof ValueError) return constant(0, "bool")
    throw e
  }
  return arrayEqual(broadcastTo(x, shape), broadcastTo(y, shape))
}
