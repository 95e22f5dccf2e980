/**
 * Rearranging, joining and splitting in `np` beyond `shape.ts`: `roll`, `rot90`, `fliplr`/`flipud`,
 * the `atleast_*d` family, the stack and split variants, `block`, `resize`, `append`, grids
 * (`meshgrid`, `indices`, `ix_`), and the array-API aliases (`concat`, `permute_dims`,
 * `matrix_transpose`). Everything lowers to structural primitives (a traced roll shift to gather).
 */
import { Array } from "../array.js"
import { type DType, isInt } from "../dtype.js"
import { DTypeError, ShapeError, ValueError } from "../errors.js"
import { checkOptions, checkOneOf, optionKeys } from "../options.js"
import { constant } from "../primitives/common.js"
import { add, convertElementType, rem, sub } from "../primitives/elementwise.js"
import { gather } from "../primitives/indexing.js"
import { broadcastInDim, concatenate as laxConcatenate, iota, reshape as laxReshape, slice } from "../primitives/shape-ops.js"
import { intOrList, normalizeAxis, showShape } from "../shape.js"
import { type ArrayLike, asArray, promoteDtypes } from "./coerce.js"
import { concatenate, flip, split, swapaxes, transpose } from "./shape.js"

const toArray = (x: ArrayLike): Array => (x instanceof Array ? x : asArray(x))
const seq = (n: number, from = 0): number[] => globalThis.Array.from({ length: n }, (_, i) => from + i)

// ---------------------------------------------------------------------------------------------
// Rolling, rotating, flipping

export interface RollOptions {
  /** The axes to roll (default null: the flattened array, reshaped back). */
  readonly axis?: number | ReadonlyArray<number> | null
}
const ROLL_KEYS = optionKeys<RollOptions>()("axis")

/** Roll one axis by a static amount: two slices, concatenated. */
const rollStatic = (a: Array, d: number, shift: number): Array => {
  const n = a.shape[d]!
  if (n === 0) return a
  const s = ((shift % n) + n) % n
  if (s === 0) return a
  const at = (from: number, to: number) =>
    slice(
      a,
      a.shape.map((_, i) => (i === d ? from : 0)),
      a.shape.map((m, i) => (i === d ? to : m))
    )
  return laxConcatenate([at(n - s, n), at(0, n - s)], d)
}

/** Roll one axis by a traced amount: gather at (i + n - shift mod n) mod n. */
const rollTraced = (a: Array, d: number, shift: Array): Array => {
  const n = a.shape[d]!
  if (n === 0) return a
  const size = constant(n, "int32", [], true)
  const s = rem(add(rem(shift, size), size), size)
  const from = rem(add(iota("int32", [n]), broadcastInDim(sub(size, s), [n], [])), size)
  return gather(a, from, d)
}

/**
 * `jnp.roll(a, shift, axis=None)`: shift elements along axes, wrapping around. Without an axis the
 * flattened array is rolled and reshaped back. `shift` may be a traced int Array (one axis).
 *
 * @example
 * np.roll(np.arange(5), 2)                          // [3, 4, 0, 1, 2]
 * np.roll(np.arange(6).reshape([2, 3]), [1, -1], { axis: [0, 1] })
 */
export const roll = (a: ArrayLike, shift: number | ReadonlyArray<number> | Array, options?: RollOptions): Array => {
  checkOptions("np.roll", options, ROLL_KEYS)
  const x = toArray(a)
  const axis = options?.axis ?? null
  if (axis === null) {
    const flat = laxReshape(x, [x.size])
    return laxReshape(roll(flat, shift, { axis: 0 }), x.shape)
  }
  const axes = intOrList(axis, "np.roll: axis").map((d) => normalizeAxis(d, x.ndim, "np.roll axis"))
  if (shift instanceof Array) {
    if (!isInt(shift.dtype)) throw new DTypeError(`np.roll: a traced shift must be an integer Array, got ${shift.dtype}.`)
    if (shift.ndim !== 0 || axes.length !== 1) throw new ShapeError("np.roll: a traced shift must be a scalar for one axis; give JS numbers for several axes.")
    return rollTraced(x, axes[0]!, convertElementType(shift, "int32"))
  }
  const shifts = intOrList(shift, "np.roll: shift")
  if (shifts.length !== axes.length && shifts.length !== 1 && axes.length !== 1) {
    throw new ShapeError(`np.roll: ${shifts.length} shifts for ${axes.length} axes; give one shift per axis (or one of either, broadcast).`)
  }
  const n = Math.max(shifts.length, axes.length)
  let out = x
  for (let i = 0; i < n; i++) out = rollStatic(out, axes[axes.length === 1 ? 0 : i]!, shifts[shifts.length === 1 ? 0 : i]!)
  return out
}

export interface Rot90Options {
  /** The plane to rotate in, from the first axis towards the second (default [0, 1]). */
  readonly axes?: readonly [number, number]
}
const ROT90_KEYS = optionKeys<Rot90Options>()("axes")

/**
 * `jnp.rot90(m, k=1, axes=(0, 1))`: rotate by 90° `k` times, from the first axis towards the
 * second.
 *
 * @example
 * np.rot90(np.array([[0, 1, 2], [3, 4, 5]])) // [[2, 5], [1, 4], [0, 3]]
 */
export const rot90 = (m: ArrayLike, k = 1, options?: Rot90Options): Array => {
  checkOptions("np.rot90", options, ROT90_KEYS)
  const x = toArray(m)
  if (!Number.isInteger(k)) throw new ValueError(`np.rot90: k must be an integer, got ${k}.`)
  const axes = options?.axes ?? [0, 1]
  if (axes.length !== 2) throw new ValueError(`np.rot90: axes must be two axes, got ${JSON.stringify(axes)}.`)
  if (x.ndim < 2) throw new ShapeError(`np.rot90: the array must be at least 2-D, got shape ${showShape(x.shape)}.`)
  const a0 = normalizeAxis(axes[0], x.ndim, "np.rot90 axes")
  const a1 = normalizeAxis(axes[1], x.ndim, "np.rot90 axes")
  if (a0 === a1) throw new ValueError(`np.rot90: the axes must differ, got ${JSON.stringify(axes)}.`)
  const r = ((k % 4) + 4) % 4
  if (r === 0) return x
  if (r === 2) return flip(flip(x, a0), a1)
  if (r === 1) return swapaxes(flip(x, a1), a0, a1)
  return flip(swapaxes(x, a0, a1), a1)
}

/**
 * `jnp.fliplr(m)`: reverse the columns (axis 1) of an array of at least 2 dimensions.
 *
 * @example
 * np.fliplr(np.array([[1, 2], [3, 4]])) // [[2, 1], [4, 3]]
 */
export const fliplr = (m: ArrayLike): Array => {
  const x = toArray(m)
  if (x.ndim < 2) throw new ShapeError(`np.fliplr: the array must be at least 2-D, got shape ${showShape(x.shape)}.`)
  return flip(x, 1)
}

/**
 * `jnp.flipud(m)`: reverse the rows (axis 0) of an array of at least 1 dimension.
 *
 * @example
 * np.flipud(np.array([1, 2, 3])) // [3, 2, 1]
 */
export const flipud = (m: ArrayLike): Array => {
  const x = toArray(m)
  if (x.ndim < 1) throw new ShapeError("np.flipud: the array must be at least 1-D, got a scalar.")
  return flip(x, 0)
}

/**
 * `jnp.matrix_transpose(x)`: swap the last two axes (an array of at least 2 dimensions).
 *
 * @example
 * np.matrixTranspose(np.zeros([5, 2, 3])).shape // [5, 3, 2]
 */
export const matrixTranspose = (x: ArrayLike): Array => {
  const a = toArray(x)
  if (a.ndim < 2) throw new ShapeError(`np.matrixTranspose: the array must be at least 2-D, got shape ${showShape(a.shape)}.`)
  return swapaxes(a, -1, -2)
}

/**
 * `jnp.permute_dims(a, axes)`: the array-API name of `transpose` (axes required).
 *
 * @example
 * np.permuteDims(np.zeros([2, 3, 4]), [2, 0, 1]).shape // [4, 2, 3]
 */
export const permuteDims = (a: ArrayLike, axes: ReadonlyArray<number>): Array => transpose(a, axes)

/**
 * `jnp.concat(arrays, axis=0)`: the array-API name of `concatenate`.
 *
 * @example
 * np.concat([np.ones([2]), np.zeros([3])]).shape // [5]
 */
export const concat = (arrays: ReadonlyArray<ArrayLike>, options?: { readonly axis?: number | null }): Array => {
  checkOptions("np.concat", options, ["axis"])
  return concatenate(arrays, options?.axis === undefined ? 0 : options.axis)
}

// ---------------------------------------------------------------------------------------------
// atleast_*d

const atLeast = (x: ArrayLike, n: 1 | 2 | 3): Array => {
  const a = promoteDtypes([toArray(x)])[0]!
  if (a.ndim >= n) return a
  if (n === 1) return laxReshape(a, [1])
  if (n === 2) return laxReshape(a, [1, ...(a.ndim === 0 ? [1] : a.shape)])
  // NumPy's 3-D view: a scalar is (1, 1, 1), a vector (1, n, 1), a matrix (m, n, 1).
  return laxReshape(a, a.ndim === 0 ? [1, 1, 1] : a.ndim === 1 ? [1, a.shape[0]!, 1] : [...a.shape, 1])
}

/**
 * `jnp.atleast_1d(*arys)`: scalars become shape [1]; one argument gives one Array, several a list.
 *
 * @example
 * np.atleast1d(3).shape // [1]
 */
export function atleast1d(x: ArrayLike): Array
export function atleast1d(...xs: ReadonlyArray<ArrayLike>): Array[]
export function atleast1d(...xs: ReadonlyArray<ArrayLike>): Array | Array[] {
  return xs.length === 1 ? atLeast(xs[0]!, 1) : xs.map((x) => atLeast(x, 1))
}

/**
 * `jnp.atleast_2d(*arys)`: scalars become [1, 1], vectors [1, n].
 *
 * @example
 * np.atleast2d(np.array([1, 2])).shape // [1, 2]
 */
export function atleast2d(x: ArrayLike): Array
export function atleast2d(...xs: ReadonlyArray<ArrayLike>): Array[]
export function atleast2d(...xs: ReadonlyArray<ArrayLike>): Array | Array[] {
  return xs.length === 1 ? atLeast(xs[0]!, 2) : xs.map((x) => atLeast(x, 2))
}

/**
 * `jnp.atleast_3d(*arys)`: scalars become [1, 1, 1], vectors [1, n, 1], matrices [m, n, 1].
 *
 * @example
 * np.atleast3d(np.zeros([2, 3])).shape // [2, 3, 1]
 */
export function atleast3d(x: ArrayLike): Array
export function atleast3d(...xs: ReadonlyArray<ArrayLike>): Array[]
export function atleast3d(...xs: ReadonlyArray<ArrayLike>): Array | Array[] {
  return xs.length === 1 ? atLeast(xs[0]!, 3) : xs.map((x) => atLeast(x, 3))
}

// ---------------------------------------------------------------------------------------------
// Stacking and splitting variants

/**
 * `jnp.dstack(tup)`: concatenate along the third axis after making every operand at least 3-D.
 *
 * @example
 * np.dstack([np.array([1, 2]), np.array([3, 4])]).shape // [1, 2, 2]
 */
export const dstack = (xs: ReadonlyArray<ArrayLike>): Array =>
  concatenate(
    xs.map((x) => atLeast(x, 3)),
    2
  )

/**
 * `jnp.column_stack(tup)`: 1-D operands become columns, then concatenate along axis 1.
 *
 * @example
 * np.columnStack([np.array([1, 2]), np.array([3, 4])]) // [[1, 3], [2, 4]]
 */
export const columnStack = (xs: ReadonlyArray<ArrayLike>): Array =>
  concatenate(
    xs.map((x) => {
      const a = toArray(x)
      return a.ndim < 2 ? laxReshape(a, [a.size, 1]) : a
    }),
    1
  )

/**
 * `jnp.unstack(x, axis=0)`: the slices along an axis, as a list (the inverse of `stack`).
 *
 * @example
 * np.unstack(np.zeros([2, 3]), { axis: 1 }).length // 3
 */
export const unstack = (x: ArrayLike, options?: { readonly axis?: number }): Array[] => {
  checkOptions("np.unstack", options, ["axis"])
  const a = toArray(x)
  if (a.ndim === 0) throw new ShapeError("np.unstack: cannot unstack a scalar; give an array with at least one axis.")
  const d = normalizeAxis(options?.axis ?? 0, a.ndim, "np.unstack axis")
  const rest = a.shape.filter((_, i) => i !== d)
  return seq(a.shape[d]!).map((k) =>
    laxReshape(
      slice(
        a,
        a.shape.map((_, i) => (i === d ? k : 0)),
        a.shape.map((m, i) => (i === d ? k + 1 : m))
      ),
      rest
    )
  )
}

/**
 * `jnp.hsplit(x, indices_or_sections)`: split along axis 1 (axis 0 for 1-D arrays).
 *
 * @example
 * np.hsplit(np.zeros([2, 4]), 2).map((p) => p.shape) // [[2, 2], [2, 2]]
 */
export const hsplit = (x: ArrayLike, indicesOrSections: number | ReadonlyArray<number>): Array[] => {
  const a = toArray(x)
  if (a.ndim === 0) throw new ShapeError("np.hsplit: cannot split a scalar; give an array with at least one axis.")
  return split(a, indicesOrSections, a.ndim === 1 ? 0 : 1)
}

/**
 * `jnp.vsplit(x, indices_or_sections)`: split along axis 0 an array of at least 2 dimensions.
 *
 * @example
 * np.vsplit(np.zeros([4, 2]), [1]).map((p) => p.shape) // [[1, 2], [3, 2]]
 */
export const vsplit = (x: ArrayLike, indicesOrSections: number | ReadonlyArray<number>): Array[] => {
  const a = toArray(x)
  if (a.ndim < 2) throw new ShapeError(`np.vsplit: the array must be at least 2-D, got shape ${showShape(a.shape)}.`)
  return split(a, indicesOrSections, 0)
}

/**
 * `jnp.dsplit(x, indices_or_sections)`: split along axis 2 an array of at least 3 dimensions.
 *
 * @example
 * np.dsplit(np.zeros([1, 1, 4]), 4).length // 4
 */
export const dsplit = (x: ArrayLike, indicesOrSections: number | ReadonlyArray<number>): Array[] => {
  const a = toArray(x)
  if (a.ndim < 3) throw new ShapeError(`np.dsplit: the array must be at least 3-D, got shape ${showShape(a.shape)}.`)
  return split(a, indicesOrSections, 2)
}

/** Nested lists of arrays for `block`. */
export type BlockArrays = ArrayLike | ReadonlyArray<BlockArrays>

const isList = (x: BlockArrays): x is ReadonlyArray<BlockArrays> => globalThis.Array.isArray(x) && !(x instanceof Array)

/**
 * `jnp.block(arrays)`: assemble an array from nested lists of blocks: the innermost lists join
 * along the last axis, the next along the second-to-last, and so on; every block is first given
 * the result's rank by leading 1s. Every list at one depth must be equally deep.
 *
 * @example
 * np.block([[np.eye(2), np.zeros([2, 1])], [np.ones([1, 2]), np.ones([1, 1])]]).shape // [3, 3]
 */
export const block = (arrays: ReadonlyArray<BlockArrays>): Array => {
  const depthOf = (x: BlockArrays, path: string): number => {
    if (!isList(x)) return 0
    if (x.length === 0) throw new ValueError(`np.block: the list at ${path} is empty; every list must hold at least one block.`)
    const ds = x.map((y, i) => depthOf(y, `${path}[${i}]`))
    if (ds.some((d) => d !== ds[0])) throw new ValueError(`np.block: the lists at ${path} are nested to different depths; nest every block equally.`)
    return ds[0]! + 1
  }
  const depth = depthOf(arrays, "arrays")
  let rank = depth
  const leaves = (x: BlockArrays): void => {
    if (isList(x)) x.forEach(leaves)
    else rank = Math.max(rank, toArray(x).ndim)
  }
  leaves(arrays)
  const build = (x: BlockArrays, level: number): Array => {
    if (!isList(x)) {
      const a = toArray(x)
      return a.ndim === rank ? a : laxReshape(a, [...new globalThis.Array<number>(rank - a.ndim).fill(1), ...a.shape])
    }
    // Level 1 (the outermost list) joins along axis -depth; the innermost along -1.
    return concatenate(
      x.map((y) => build(y, level + 1)),
      rank - depth + level - 1
    )
  }
  return build(arrays, 1)
}

/**
 * `jnp.resize(a, new_shape)`: the flattened array repeated cyclically (or cut) to fill a new shape;
 * an empty input fills with zeros.
 *
 * @example
 * np.resize(np.array([1, 2, 3]), [2, 4]) // [[1, 2, 3, 1], [2, 3, 1, 2]]
 */
export const resize = (a: ArrayLike, newShape: number | ReadonlyArray<number>): Array => {
  const x = toArray(a)
  const shape = intOrList(newShape, "np.resize: newShape")
  if (shape.some((d) => d < 0)) throw new ValueError(`np.resize: the new shape ${JSON.stringify(shape)} must not have negative sizes.`)
  const n = shape.reduce((p, s) => p * s, 1)
  if (x.size === 0) return constant(0, x.dtype, shape, x.weakType)
  let flat = laxReshape(x, [x.size])
  if (n > x.size)
    flat = laxConcatenate(
      seq(Math.ceil(n / x.size)).map(() => flat),
      0
    )
  return laxReshape(slice(flat, [0], [n]), shape)
}

/**
 * `jnp.append(arr, values, axis=None)`: `values` joined at the end; without an axis both are
 * flattened first.
 *
 * @example
 * np.append(np.array([1, 2]), [[3, 4]]) // [1, 2, 3, 4]
 */
export const append = (arr: ArrayLike, values: ArrayLike, options?: { readonly axis?: number | null }): Array => {
  checkOptions("np.append", options, ["axis"])
  const axis = options?.axis ?? null
  return concatenate([arr, values], axis)
}

// ---------------------------------------------------------------------------------------------
// Grids

export interface MeshgridOptions {
  /** "xy" (default: Cartesian, the first two outputs' axes swapped) or "ij" (matrix indexing). */
  readonly indexing?: "xy" | "ij"
  /** Return arrays with size-1 axes instead of full grids (default false). */
  readonly sparse?: boolean
  /** Accepted for NumPy compatibility; JAX arrays are immutable, so it changes nothing. */
  readonly copy?: boolean
}
const MESHGRID_KEYS = optionKeys<MeshgridOptions>()("indexing", "sparse", "copy")

/**
 * `jnp.meshgrid(*xi, indexing='xy', sparse=False)`: coordinate grids from 1-D coordinate vectors
 * (given as a list). With "xy" the first two axes are swapped (x varies along columns).
 *
 * @example
 * const [X, Y] = np.meshgrid([np.arange(3), np.arange(2)]) // both of shape [2, 3]
 */
export const meshgrid = (xs: ReadonlyArray<ArrayLike>, options?: MeshgridOptions): Array[] => {
  checkOptions("np.meshgrid", options, MESHGRID_KEYS)
  const indexing = options?.indexing ?? "xy"
  checkOneOf("np.meshgrid", "indexing", indexing, ["xy", "ij"])
  const arrays = xs.map(toArray)
  const bad = arrays.filter((a) => a.ndim !== 1)
  if (bad.length > 0)
    throw new ShapeError(`np.meshgrid: the coordinate arrays must be 1-D, got shapes ${arrays.map((a) => showShape(a.shape)).join(", ")}; ravel them first.`)
  const n = arrays.length
  const sizes = arrays.map((a) => a.shape[0]!)
  // Output axis of input i: i, except that "xy" swaps the first two.
  const axisOf = (i: number): number => (indexing === "xy" && n >= 2 && i < 2 ? 1 - i : i)
  const full = seq(n).map((d) => sizes[seq(n).find((i) => axisOf(i) === d)!]!)
  return arrays.map((a, i) => {
    const d = axisOf(i)
    if (options?.sparse === true)
      return laxReshape(
        a,
        full.map((s, j) => (j === d ? s : 1))
      )
    return broadcastInDim(a, full, [d])
  })
}

export interface IndicesOptions {
  /** Default int32. */
  readonly dtype?: DType
  /** Return one array per axis with size-1 axes (default false: one stacked array). */
  readonly sparse?: boolean
}
const INDICES_KEYS = optionKeys<IndicesOptions>()("dtype", "sparse")

/**
 * `jnp.indices(dimensions, dtype=int32, sparse=False)`: the index grid of a shape, stacked along
 * a new first axis (or, sparse, one broadcastable array per axis).
 *
 * @example
 * np.indices([2, 3]).shape // [2, 2, 3]
 */
export function indices(dimensions: ReadonlyArray<number>, options?: IndicesOptions & { readonly sparse?: false }): Array
export function indices(dimensions: ReadonlyArray<number>, options: IndicesOptions & { readonly sparse: true }): Array[]
export function indices(dimensions: ReadonlyArray<number>, options?: IndicesOptions): Array | Array[]
export function indices(dimensions: ReadonlyArray<number>, options?: IndicesOptions): Array | Array[] {
  checkOptions("np.indices", options, INDICES_KEYS)
  const dims = intOrList(dimensions, "np.indices: dimensions")
  const dtype = options?.dtype ?? "int32"
  if (dtype === "bool") throw new DTypeError("np.indices: indices cannot be bool; use an integer or float dtype.")
  if (options?.sparse === true)
    return dims.map((s, d) =>
      laxReshape(
        iota(dtype, [s]),
        dims.map((t, j) => (j === d ? t : 1))
      )
    )
  if (dims.length === 0) return laxReshape(iota(dtype, [0]), [0])
  return laxConcatenate(
    dims.map((_, d) => laxReshape(iota(dtype, dims, d), [1, ...dims])),
    0
  )
}

/**
 * `jnp.ix_(*args)`: an open mesh from 1-D index arrays: array i gets shape [1, ..., n_i, ..., 1],
 * so that `np.index(x, ...np.ix(rows, cols))` selects a cross product.
 *
 * @example
 * np.ix(np.array([0, 1]), np.array([2, 4])).map((a) => a.shape) // [[2, 1], [1, 2]]
 */
export const ix = (...args: ReadonlyArray<ArrayLike>): Array[] => {
  const n = args.length
  return args.map((x, i) => {
    const a = toArray(x)
    if (a.ndim !== 1) throw new ShapeError(`np.ix: argument ${i} must be 1-D, got shape ${showShape(a.shape)}.`)
    return laxReshape(
      a,
      seq(n).map((j) => (j === i ? a.shape[0]! : 1))
    )
  })
}
