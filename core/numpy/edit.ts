/**
 * Indexed reads and functional writes in `np`: `take_along_axis`, `put_along_axis`, `choose`,
 * `compress`, `extract`, `place`, `put`, `delete`, `insert`, `ravel_multi_index` and
 * `unravel_index`. JAX arrays are immutable, so the writing functions return updated copies (an
 * `inplace: true` request is refused, as JAX refuses it). Reads lower to gather and writes to
 * scatter over the flattened array, so they differentiate and batch; the functions whose output
 * shape depends on values (`compress`, `extract`, `delete` with an Array) need concrete values.
 */
import { Array } from "../array.js"
import { type DType, isFloat, isInt } from "../dtype.js"
import { ConcretizationError, DTypeError, IndexError, ShapeError, ValueError } from "../errors.js"
import { checkOneOf, checkOptions, optionKeys } from "../options.js"
import { constant } from "../primitives/common.js"
import { add, and, convertElementType, div, eq, ge, lt, max, min, mul, rem, select } from "../primitives/elementwise.js"
import { gather, scatter } from "../primitives/indexing.js"
import { broadcastInDim, broadcastTo, concatenate, iota, reshape, slice, transpose } from "../primitives/shape-ops.js"
import { normalizeAxis, showShape, sizeOf, stridesOf } from "../shape.js"
import { type ArrayLike, asArray, promoteDtypes, scalarArray } from "./coerce.js"
import type { Slice } from "./indexing.js"

const toArray = (x: ArrayLike): Array => (x instanceof Array ? x : asArray(x))
const seq = (n: number, from = 0): number[] => globalThis.Array.from({ length: n }, (_, i) => from + i)
const int = (v: number): Array => constant(v, "int32", [], true)

/** NaN for floats, the most negative int32, the largest uint32, true for bool: JAX's fill values. */
const defaultFill = (d: DType): number => (isFloat(d) ? NaN : d === "int32" ? -2147483648 : d === "uint32" ? 4294967295 : 1)

/** The values of a concrete Array, or a ConcretizationError that says why they are needed. */
const concrete = (what: string, x: Array, why: string): number[] => {
  try {
    return globalThis.Array.from(x.data(), Number)
  } catch (e) {
    if (e instanceof ConcretizationError) throw new ConcretizationError(`${what}: ${why}, but it is traced (${x.aval.str()}); compute it outside jit/vmap.`)
    throw e
  }
}

const checkIndexDtype = (what: string, idx: Array): void => {
  if (!isInt(idx.dtype)) throw new DTypeError(`${what}: indices must be integers, got ${idx.dtype}; cast them with astype("int32").`)
}

/** Indices as int32 with negative ones counted from the end (uint32 indices are never negative). */
const normalizeIndices = (idx: Array, n: number): Array => {
  const i = convertElementType(idx, "int32")
  return idx.dtype === "uint32" ? i : select(lt(i, int(0)), add(i, int(n)), i)
}

/** Flat positions into an array of shape `shape` of elementwise indices `i` along `axis` (all of shape `shape` but the axis). */
const flatPositions = (shape: ReadonlyArray<number>, axis: number, i: Array): Array => {
  const strides = stridesOf(shape)
  let pos = mul(i, int(strides[axis]!))
  shape.forEach((_, d) => {
    if (d !== axis && i.shape[d]! > 1) pos = add(pos, mul(iota("int32", i.shape, d), int(strides[d]!)))
  })
  return pos
}

/** The shapes of `take_along_axis`: the array broadcast with the indices on every axis but `axis`. */
const alongShapes = (what: string, a: Array, idx: Array, axis: number): { arrShape: number[]; outShape: number[] } => {
  if (idx.ndim !== a.ndim) {
    throw new ShapeError(
      `${what}: indices of shape ${showShape(idx.shape)} must have the array's rank ${a.ndim} (shape ${showShape(a.shape)}); add size-1 axes with expandDims.`
    )
  }
  const arrShape: number[] = []
  const outShape: number[] = []
  a.shape.forEach((s, d) => {
    const t = idx.shape[d]!
    if (d === axis) {
      arrShape.push(s)
      outShape.push(t)
      return
    }
    if (s !== t && s !== 1 && t !== 1) {
      throw new ShapeError(`${what}: indices of shape ${showShape(idx.shape)} do not broadcast with the array's shape ${showShape(a.shape)} on axis ${d}.`)
    }
    const b = s === 1 ? t : s
    arrShape.push(b)
    outShape.push(b)
  })
  return { arrShape, outShape }
}

export interface TakeAlongAxisOptions {
  /**
   * Out-of-bounds indices: "fill" (default, as JAX: they give `fillValue`), "clip" (clamped) or
   * "promiseInBounds" (the caller promises none; clamped). Negative indices count from the end.
   */
  readonly mode?: "fill" | "clip" | "promiseInBounds"
  /** For "fill": NaN for floats, the most negative int32, the largest uint32, true for bool. */
  readonly fillValue?: number
}
const TAKE_ALONG_KEYS = optionKeys<TakeAlongAxisOptions>()("mode", "fillValue")

/**
 * `jnp.take_along_axis(arr, indices, axis)`: `out[..., j, ...] = arr[..., indices[..., j, ...], ...]`
 * along `axis` (null: the flattened array), broadcasting the other axes; the companion of
 * `argsort`/`argmax` with `keepdims`.
 *
 * @example
 * np.takeAlongAxis(np.array([[10, 30, 20]]), np.array([[0, 2, 1]]), 1) // [[10, 20, 30]]
 */
export const takeAlongAxis = (arr: ArrayLike, indices: ArrayLike, axis: number | null, options?: TakeAlongAxisOptions): Array => {
  checkOptions("np.takeAlongAxis", options, TAKE_ALONG_KEYS)
  const mode = options?.mode ?? "fill"
  checkOneOf("np.takeAlongAxis", "mode", mode, ["fill", "clip", "promiseInBounds"])
  let a = toArray(arr)
  const idx = toArray(indices)
  checkIndexDtype("np.takeAlongAxis", idx)
  if (axis === null) a = reshape(a, [a.size])
  const d = normalizeAxis(axis ?? 0, a.ndim, "np.takeAlongAxis axis")
  const { arrShape, outShape } = alongShapes("np.takeAlongAxis", a, idx, d)
  const n = arrShape[d]!
  const fill = scalarArray(options?.fillValue ?? defaultFill(a.dtype), a.dtype, [], a.weakType)
  if (sizeOf(outShape) === 0) return constant(0, a.dtype, outShape, a.weakType)
  if (n === 0 || sizeOf(arrShape) === 0) return broadcastInDim(fill, outShape, [])
  const i = normalizeIndices(broadcastTo(idx, outShape), n)
  const clamped = max(min(i, int(n - 1)), int(0))
  const source = reshape(broadcastTo(a, arrShape), [sizeOf(arrShape)])
  const out = gather(source, flatPositions(arrShape, d, clamped), 0)
  if (mode !== "fill") return out
  return select(and(ge(i, int(0)), lt(i, int(n))), out, fill)
}

export interface PutAlongAxisOptions {
  /** JAX arrays are immutable: only false (the default here) is accepted. */
  readonly inplace?: boolean
  /** Out-of-bounds indices: "drop" (default, as JAX: ignored) or "clip" (clamped). */
  readonly mode?: "drop" | "clip"
}
const PUT_ALONG_KEYS = optionKeys<PutAlongAxisOptions>()("inplace", "mode")

const refuseInplace = (what: string, inplace: boolean | undefined): void => {
  if (inplace === true) throw new ValueError(`${what}: JAX arrays are immutable, so inplace=true is not supported; use the returned array (inplace: false).`)
}

/**
 * `jnp.put_along_axis(arr, indices, values, axis, inplace=False)`: a copy of `arr` with
 * `values` (broadcast to the indices' shape) written at `indices` along `axis` (null: the
 * flattened array). Out-of-bounds indices are dropped.
 *
 * @example
 * np.putAlongAxis(np.zeros([2, 3]), np.array([[1], [2]]), 9, 1) // [[0, 9, 0], [0, 0, 9]]
 */
export const putAlongAxis = (arr: ArrayLike, indices: ArrayLike, values: ArrayLike, axis: number | null, options?: PutAlongAxisOptions): Array => {
  checkOptions("np.putAlongAxis", options, PUT_ALONG_KEYS)
  refuseInplace("np.putAlongAxis", options?.inplace)
  const mode = options?.mode ?? "drop"
  checkOneOf("np.putAlongAxis", "mode", mode, ["drop", "clip"])
  const x = toArray(arr)
  const a = axis === null ? reshape(x, [x.size]) : x
  const idx = toArray(indices)
  checkIndexDtype("np.putAlongAxis", idx)
  const d = normalizeAxis(axis ?? 0, a.ndim, "np.putAlongAxis axis")
  const { arrShape, outShape } = alongShapes("np.putAlongAxis", a, idx, d)
  if (arrShape.some((s, k) => s !== a.shape[k])) {
    throw new ShapeError(
      `np.putAlongAxis: indices of shape ${showShape(idx.shape)} would broadcast the array's shape ${showShape(a.shape)}; they may broadcast only against it.`
    )
  }
  if (sizeOf(outShape) === 0 || a.size === 0) return x
  const n = a.shape[d]!
  const i = normalizeIndices(broadcastTo(idx, outShape), n)
  const v = broadcastTo(convertElementType(toArray(values), a.dtype), outShape)
  const inRange = and(ge(i, int(0)), lt(i, int(n)))
  const clamped = max(min(i, int(n - 1)), int(0))
  let pos = flatPositions(a.shape, d, clamped)
  // A dropped write goes to position `size`, which scatter ignores.
  if (mode === "drop") pos = select(inRange, pos, int(a.size))
  return reshape(scatter(reshape(a, [a.size]), reshape(pos, [pos.size]), reshape(v, [v.size]), 0, "set"), x.shape)
}

export interface ChooseOptions {
  /** Out-of-range choices: "raise" (default; needs concrete indices), "wrap" (modulo) or "clip". */
  readonly mode?: "raise" | "wrap" | "clip"
}
const CHOOSE_KEYS = optionKeys<ChooseOptions>()("mode")

/**
 * `jnp.choose(a, choices, mode='raise')`: `out[i] = choices[a[i]][i]`, everything broadcast
 * together.
 *
 * @example
 * np.choose(np.array([0, 1, 0]), [np.array([1, 2, 3]), np.array([10, 20, 30])]) // [1, 20, 3]
 */
export const choose = (a: ArrayLike, choices: ReadonlyArray<ArrayLike>, options?: ChooseOptions): Array => {
  checkOptions("np.choose", options, CHOOSE_KEYS)
  const mode = options?.mode ?? "raise"
  checkOneOf("np.choose", "mode", mode, ["raise", "wrap", "clip"])
  const idx = toArray(a)
  checkIndexDtype("np.choose", idx)
  if (choices.length === 0) throw new ValueError("np.choose: give at least one choice.")
  const cs = promoteDtypes(choices.map(toArray))
  const n = cs.length
  let i = convertElementType(idx, "int32")
  if (mode === "raise") {
    const bad = concrete("np.choose", idx, 'mode "raise" checks the indices').find((v) => v < 0 || v >= n)
    if (bad !== undefined) throw new IndexError(`np.choose: index ${bad} is out of range for ${n} choices; use mode "wrap" or "clip".`)
  } else if (mode === "wrap") {
    i = rem(add(rem(i, int(n)), int(n)), int(n))
  } else {
    i = max(min(i, int(n - 1)), int(0))
  }
  const shape = [idx.shape, ...cs.map((c) => c.shape)].reduce((s, t) => {
    const r = Math.max(s.length, t.length)
    const pa = [...new globalThis.Array<number>(r - s.length).fill(1), ...s]
    const pb = [...new globalThis.Array<number>(r - t.length).fill(1), ...t]
    return pa.map((x, k) => {
      const y = pb[k]!
      if (x !== y && x !== 1 && y !== 1) throw new ShapeError(`np.choose: shapes ${[idx, ...cs].map((c) => showShape(c.shape)).join(", ")} do not broadcast.`)
      return x === 1 ? y : x
    })
  }, [] as ReadonlyArray<number>)
  const ib = broadcastTo(i, shape)
  let out = broadcastTo(cs[0]!, shape)
  for (let k = 1; k < n; k++) out = select(eq(ib, int(k)), broadcastTo(cs[k]!, shape), out)
  return out
}

export interface CompressOptions {
  /** The axis to select along (default null: the flattened array). */
  readonly axis?: number | null
  /** A static output length: pad with `fillValue` (or truncate) to it. */
  readonly size?: number
  /** The padding for `size` (default 0). */
  readonly fillValue?: number
}
const COMPRESS_KEYS = optionKeys<CompressOptions>()("axis", "size", "fillValue")

/** The slices along `d` at the given static positions, padded or cut to `size`. */
const selectAlong = (what: string, a: Array, d: number, keep: ReadonlyArray<number>, size: number | undefined, fillValue: number | undefined): Array => {
  const n = keep.length
  const len = size ?? n
  if (!Number.isInteger(len) || len < 0) throw new ValueError(`${what}: size must be a non-negative integer, got ${String(size)}.`)
  const used = keep.slice(0, len)
  const parts: Array[] = []
  if (used.length > 0) parts.push(gather(a, asArray(Int32Array.from(used)), d))
  const missing = len - used.length
  if (missing > 0 || parts.length === 0) {
    const shape = a.shape.map((s, k) => (k === d ? missing : s))
    parts.push(broadcastInDim(scalarArray(fillValue ?? 0, a.dtype, [], a.weakType), shape, []))
  }
  return parts.length === 1 ? parts[0]! : concatenate(parts, d)
}

/**
 * `jnp.compress(condition, a, axis=None, size=None, fill_value=0)`: the slices along `axis`
 * where the 1-D `condition` is true. The result's length depends on the values, so `condition`
 * must be concrete (or give a static `size`... which still reads it); shorter conditions select
 * from the start.
 *
 * @example
 * np.compress([false, true, true], np.array([[1, 2], [3, 4], [5, 6]]), { axis: 0 }) // [[3, 4], [5, 6]]
 */
export const compress = (condition: ArrayLike, a: ArrayLike, options?: CompressOptions): Array => {
  checkOptions("np.compress", options, COMPRESS_KEYS)
  let x = toArray(a)
  const c = toArray(condition)
  if (c.ndim !== 1) throw new ShapeError(`np.compress: condition must be 1-D, got shape ${showShape(c.shape)}.`)
  const axis = options?.axis ?? null
  if (axis === null) x = reshape(x, [x.size])
  const d = normalizeAxis(axis ?? 0, x.ndim, "np.compress axis")
  const values = concrete("np.compress", c, "the result's length depends on condition")
  const n = x.shape[d]!
  if (values.slice(n).some((v) => v !== 0)) {
    throw new ValueError(`np.compress: condition has true entries beyond the ${n} elements of axis ${d}; shorten it.`)
  }
  const keep = seq(Math.min(n, values.length)).filter((k) => values[k] !== 0)
  return selectAlong("np.compress", x, d, keep, options?.size, options?.fillValue)
}

export interface ExtractOptions {
  /** A static output length: pad with `fillValue` (or truncate) to it. */
  readonly size?: number
  /** The padding for `size` (default 0). */
  readonly fillValue?: number
}
const EXTRACT_KEYS = optionKeys<ExtractOptions>()("size", "fillValue")

/**
 * `jnp.extract(condition, arr)`: the elements of `arr` where `condition` is nonzero, flattened
 * (both are raveled; condition must be concrete).
 *
 * @example
 * np.extract(np.array([[1, 0], [0, 1]]), np.array([[1, 2], [3, 4]])) // [1, 4]
 */
export const extract = (condition: ArrayLike, arr: ArrayLike, options?: ExtractOptions): Array => {
  checkOptions("np.extract", options, EXTRACT_KEYS)
  const c = toArray(condition)
  const x = toArray(arr)
  if (c.size !== x.size && c.size > x.size) throw new ShapeError(`np.extract: condition has ${c.size} elements but arr only ${x.size}.`)
  const values = concrete("np.extract", c, "the result's length depends on condition")
  const keep = seq(values.length).filter((k) => values[k] !== 0)
  return selectAlong("np.extract", reshape(x, [x.size]), 0, keep, options?.size, options?.fillValue)
}

/**
 * `jnp.place(arr, mask, vals, inplace=False)`: a copy of `arr` whose elements where `mask` is
 * true are, in order, the values of `vals` repeated cyclically. `mask` must be concrete.
 *
 * @example
 * np.place(np.arange(5), np.array([1, 0, 1, 0, 1]).astype("bool"), [9, 8]) // [9, 1, 8, 3, 9]
 */
export const place = (arr: ArrayLike, mask: ArrayLike, vals: ArrayLike, options?: { readonly inplace?: boolean }): Array => {
  checkOptions("np.place", options, ["inplace"])
  refuseInplace("np.place", options?.inplace)
  const x = toArray(arr)
  const m = toArray(mask)
  if (m.size !== x.size) throw new ShapeError(`np.place: mask of shape ${showShape(m.shape)} must have as many elements as arr (shape ${showShape(x.shape)}).`)
  const where = concrete("np.place", m, "which elements change depends on mask")
  const pos = seq(where.length).filter((k) => where[k] !== 0)
  if (pos.length === 0) return x
  const given = toArray(vals)
  const v = convertElementType(reshape(given, [given.size]), x.dtype)
  if (v.size === 0) throw new ValueError("np.place: vals is empty but mask selects elements; give at least one value.")
  const cyc = gather(v, asArray(Int32Array.from(pos.map((_, k) => k % v.size))), 0)
  return reshape(scatter(reshape(x, [x.size]), asArray(Int32Array.from(pos)), cyc, 0, "set"), x.shape)
}

export interface PutOptions {
  /** Out-of-range indices: "fill" (default, as JAX: ignored, negative ones count from the end), "clip" or "wrap". */
  readonly mode?: "fill" | "clip" | "wrap"
  /** JAX arrays are immutable: only false is accepted. */
  readonly inplace?: boolean
}
const PUT_KEYS = optionKeys<PutOptions>()("mode", "inplace")

/**
 * `jnp.put(a, ind, v, mode=None, inplace=False)`: a copy of `a` with the flat positions `ind` set
 * to `v` (repeated cyclically to the number of indices).
 *
 * @example
 * np.put(np.zeros([2, 2]), [0, 3], [1, 2]) // [[1, 0], [0, 2]]
 */
export const put = (a: ArrayLike, ind: ArrayLike, v: ArrayLike, options?: PutOptions): Array => {
  checkOptions("np.put", options, PUT_KEYS)
  refuseInplace("np.put", options?.inplace)
  const mode = options?.mode ?? "fill"
  checkOneOf("np.put", "mode", mode, ["fill", "clip", "wrap"])
  const x = toArray(a)
  const idx = toArray(ind)
  checkIndexDtype("np.put", idx)
  const n = x.size
  if (idx.size === 0 || n === 0) return x
  let i = reshape(convertElementType(idx, "int32"), [idx.size])
  if (mode === "wrap") i = rem(add(rem(i, int(n)), int(n)), int(n))
  else if (mode === "clip") i = max(min(i, int(n - 1)), int(0))
  else i = normalizeIndices(i, n)
  let vals = convertElementType(toArray(v), x.dtype)
  vals = reshape(vals, [vals.size])
  if (vals.size === 0) throw new ValueError("np.put: v is empty; give at least one value.")
  if (vals.size !== idx.size) vals = gather(vals, asArray(Int32Array.from(seq(idx.size).map((k) => k % vals.size))), 0)
  return reshape(scatter(reshape(x, [n]), i, vals, 0, "set"), x.shape)
}

/** An index argument of `delete` and `insert`: a position, positions, a slice (`np.s`) or a concrete int Array. */
export type PositionArg = number | ReadonlyArray<number> | Slice | Array

const isSlice = (x: unknown): x is Slice => typeof x === "object" && x !== null && (x as { _tag?: unknown })._tag === "Slice"

/** The positions a slice selects of an axis of length n (Python's rules). */
const sliceRange = (sl: Slice, n: number): number[] => {
  const step = sl.step ?? 1
  if (step === 0) throw new ValueError("slice step cannot be zero.")
  const clampB = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v))
  const out: number[] = []
  if (step > 0) {
    const start = sl.start === null ? 0 : clampB(sl.start < 0 ? sl.start + n : sl.start, 0, n)
    const stop = sl.stop === null ? n : clampB(sl.stop < 0 ? sl.stop + n : sl.stop, 0, n)
    for (let k = start; k < stop; k += step) out.push(k)
  } else {
    const start = sl.start === null ? n - 1 : clampB(sl.start < 0 ? sl.start + n : sl.start, -1, n - 1)
    const stop = sl.stop === null ? -1 : clampB(sl.stop < 0 ? sl.stop + n : sl.stop, -1, n - 1)
    for (let k = start; k > stop; k += step) out.push(k)
  }
  return out
}

export interface DeleteOptions {
  /** The axis to delete along (default null: the flattened array). */
  readonly axis?: number | null
  /** JAX's hint for traced indices; accepted, but indices must be concrete here. */
  readonly assumeUniqueIndices?: boolean
}
const DELETE_KEYS = optionKeys<DeleteOptions>()("axis", "assumeUniqueIndices")

/**
 * `jnp.delete`: a copy of `arr` without the entries at `obj` (an index, a list of indices, a
 * `np.s` slice or a bool mask) along `axis` (default null: of the flattened array). The indices
 * must be concrete, since they set the result's shape.
 *
 * @example
 * np.delete(np.array([1, 2, 3, 4]), [0, 2]) // Array([2, 4], dtype=int32)
 * np.delete(np.array([[1, 2], [3, 4]]), 0, { axis: 1 }) // Array([[2], [4]], dtype=int32)
 */
const delete_ = (arr: ArrayLike, obj: PositionArg, options?: DeleteOptions): Array => {
  checkOptions("np.delete", options, DELETE_KEYS)
  let x = toArray(arr)
  const axis = options?.axis ?? null
  if (axis === null) x = reshape(x, [x.size])
  const d = normalizeAxis(axis ?? 0, x.ndim, "np.delete axis")
  const n = x.shape[d]!
  let drop: number[]
  if (isSlice(obj)) drop = sliceRange(obj, n)
  else {
    const isBool = obj instanceof Array && obj.dtype === "bool"
    const list = obj instanceof Array ? concrete("np.delete", obj, "the result's shape depends on the indices") : typeof obj === "number" ? [obj] : [...obj]
    if (obj instanceof Array && !isBool && !isInt(obj.dtype)) throw new DTypeError(`np.delete: indices must be integers or a bool mask, got ${obj.dtype}.`)
    if (isBool) {
      if (list.length !== n) throw new ShapeError(`np.delete: a bool mask must have the axis' length ${n}, got ${list.length}.`)
      drop = seq(n).filter((k) => list[k] !== 0)
    } else {
      drop = list.map((k) => {
        if (!Number.isInteger(k) || k < -n || k >= n) throw new IndexError(`np.delete: index ${k} is out of bounds for axis ${d} of size ${n}.`)
        return k < 0 ? k + n : k
      })
    }
  }
  const dropped = new Set(drop)
  const keep = seq(n).filter((k) => !dropped.has(k))
  if (keep.length === n) return x
  if (keep.length === 0)
    return slice(
      x,
      x.shape.map(() => 0),
      x.shape.map((s, k) => (k === d ? 0 : s))
    )
  return gather(x, asArray(Int32Array.from(keep)), d)
}
export {
  /**
   * `jnp.delete(arr, obj, axis=None)`: the array without the entries at `obj` (a position,
   * positions, a slice, or a bool mask) along `axis` (null: the flattened array). The positions
   * decide the result's shape, so they must be concrete.
   *
   * @example
   * np.delete(np.arange(5), [0, -1]) // [1, 2, 3]
   */
  delete_ as delete
}

/**
 * `jnp.insert(arr, obj, values, axis=None)`: `values` inserted before the given positions along
 * `axis` (null: the flattened array), with NumPy's rules: one position inserts all of `values`
 * there; a list of positions inserts one slice before each (the result places them in order).
 *
 * @example
 * np.insert(np.arange(5), [1, 1, 3], [10, 20, 30]) // [0, 10, 20, 1, 2, 30, 3, 4]
 */
export const insert = (arr: ArrayLike, obj: PositionArg, values: ArrayLike, options?: { readonly axis?: number | null }): Array => {
  checkOptions("np.insert", options, ["axis"])
  let x = toArray(arr)
  const axis = options?.axis ?? null
  if (axis === null) x = reshape(x, [x.size])
  const d = normalizeAxis(axis ?? 0, x.ndim, "np.insert axis")
  const n = x.shape[d]!
  let v = convertElementType(toArray(values), x.dtype, x.weakType)
  const scalarPos = typeof obj === "number" || (obj instanceof Array && obj.ndim === 0)
  const positions = isSlice(obj)
    ? sliceRange(obj, n)
    : obj instanceof Array
      ? concrete("np.insert", obj, "the result's shape depends on the indices")
      : typeof obj === "number"
        ? [obj]
        : [...obj]
  const pos = positions.map((k) => {
    if (!Number.isInteger(k) || k < -n || k > n) throw new IndexError(`np.insert: index ${k} is out of bounds for axis ${d} of size ${n}.`)
    return k < 0 ? k + n : k
  })
  let block: Array
  let order: number[]
  let at: number[]
  if (scalarPos) {
    // NumPy: values gets at least the array's rank (leading 1s), its first axis moves to `axis`.
    if (v.ndim < x.ndim) v = reshape(v, [...new globalThis.Array<number>(x.ndim - v.ndim).fill(1), ...v.shape])
    if (v.ndim > x.ndim) throw new ShapeError(`np.insert: values of shape ${showShape(v.shape)} have more axes than the array (${x.ndim}).`)
    const perm = seq(x.ndim).filter((k) => k !== 0)
    perm.splice(d, 0, 0)
    const vm = x.ndim === 0 ? v : transpose(v, perm)
    const k = vm.shape[d]!
    block = broadcastTo(
      vm,
      x.shape.map((s, j) => (j === d ? k : s))
    )
    order = seq(k)
    at = order.map(() => pos[0]!)
  } else {
    const k = pos.length
    block = broadcastTo(
      v,
      x.shape.map((s, j) => (j === d ? k : s))
    )
    // Stable order of the positions; the i-th inserted (in that order) lands at pos + i.
    order = seq(k).sort((p, q) => pos[p]! - pos[q]! || p - q)
    at = order.map((o) => pos[o]!)
  }
  const k = order.length
  // The result along d: the old entries with the new ones slotted in before their positions.
  const source: number[] = []
  let next = 0
  for (let old = 0; old <= n; old++) {
    while (next < k && at[next]! === old) source.push(n + order[next++]!)
    if (old < n) source.push(old)
  }
  if (k === 0) return x
  const joined = concatenate([x, block], d)
  return gather(joined, asArray(Int32Array.from(source)), d)
}

export interface RavelMultiIndexOptions {
  /** Out-of-range indices: "raise" (default; needs concrete indices), "wrap" or "clip". */
  readonly mode?: "raise" | "wrap" | "clip"
  /** "C" (row-major, default) or "F" (column-major). */
  readonly order?: "C" | "F"
}
const RAVEL_KEYS = optionKeys<RavelMultiIndexOptions>()("mode", "order")

/**
 * `jnp.ravel_multi_index(multi_index, dims, mode='raise', order='C')`: flat positions (int32) of
 * per-axis indices into an array of shape `dims`.
 *
 * @example
 * np.ravelMultiIndex([np.array([0, 1]), np.array([2, 0])], [2, 3]) // [2, 3]
 */
export const ravelMultiIndex = (multiIndex: ReadonlyArray<ArrayLike>, dims: ReadonlyArray<number>, options?: RavelMultiIndexOptions): Array => {
  checkOptions("np.ravelMultiIndex", options, RAVEL_KEYS)
  const mode = options?.mode ?? "raise"
  checkOneOf("np.ravelMultiIndex", "mode", mode, ["raise", "wrap", "clip"])
  const order = options?.order ?? "C"
  checkOneOf("np.ravelMultiIndex", "order", order, ["C", "F"])
  if (multiIndex.length !== dims.length)
    throw new ValueError(`np.ravelMultiIndex: ${multiIndex.length} index arrays for ${dims.length} dimensions; give one per dimension.`)
  const idx = multiIndex.map(toArray)
  idx.forEach((i) => checkIndexDtype("np.ravelMultiIndex", i))
  const shape = idx.map((i) => i.shape).reduce((s, t) => (s.length >= t.length ? s : t), [] as ReadonlyArray<number>)
  const strides = order === "C" ? stridesOf(dims) : dims.map((_, k) => dims.slice(0, k).reduce((p, s) => p * s, 1))
  let out = constant(0, "int32", [], false)
  idx.forEach((a, k) => {
    const n = dims[k]!
    let i = convertElementType(a, "int32")
    if (mode === "raise") {
      const bad = concrete("np.ravelMultiIndex", a, 'mode "raise" checks the indices').find((v) => v < 0 || v >= n)
      if (bad !== undefined)
        throw new IndexError(`np.ravelMultiIndex: index ${bad} is out of bounds for dimension ${k} of size ${n}; use mode "wrap" or "clip".`)
    } else if (mode === "wrap") i = rem(add(rem(i, int(n)), int(n)), int(n))
    else i = max(min(i, int(n - 1)), int(0))
    out = add(broadcastTo(out, shapeOfBroadcast(out.shape, i.shape)), broadcastTo(mul(i, int(strides[k]!)), shapeOfBroadcast(out.shape, i.shape)))
  })
  return shape.length === out.ndim ? out : broadcastTo(out, shape)
}

const shapeOfBroadcast = (a: ReadonlyArray<number>, b: ReadonlyArray<number>): number[] => {
  const r = Math.max(a.length, b.length)
  const pa = [...new globalThis.Array<number>(r - a.length).fill(1), ...a]
  const pb = [...new globalThis.Array<number>(r - b.length).fill(1), ...b]
  return pa.map((x, k) => {
    const y = pb[k]!
    if (x !== y && x !== 1 && y !== 1) throw new ShapeError(`shapes ${showShape(a)} and ${showShape(b)} do not broadcast.`)
    return x === 1 ? y : x
  })
}

/**
 * `jnp.unravel_index(indices, shape)`: per-axis indices (int32) of flat positions into `shape`.
 * As in JAX, negative positions count from the end and out-of-range ones are clipped.
 *
 * @example
 * np.unravelIndex(np.array([5, 1]), [2, 3]) // [[1, 0], [2, 1]]
 */
export const unravelIndex = (indices: ArrayLike, shape: ReadonlyArray<number>): Array[] => {
  const idx = toArray(indices)
  checkIndexDtype("np.unravelIndex", idx)
  const size = sizeOf(shape)
  if (shape.some((s) => !Number.isInteger(s) || s < 0)) throw new ValueError(`np.unravelIndex: shape ${JSON.stringify(shape)} must hold non-negative integers.`)
  if (size === 0) {
    if (idx.size > 0) throw new IndexError(`np.unravelIndex: cannot unravel into the empty shape ${JSON.stringify(shape)}.`)
    return shape.map(() => constant(0, "int32", idx.shape))
  }
  let i = normalizeIndices(idx, size)
  i = max(min(i, int(size - 1)), int(0))
  const strides = stridesOf(shape)
  return shape.map((s, k) => rem(divInt(i, strides[k]!), int(s)))
}

/** Division of non-negative int32 values by a positive constant (lax.div truncates: floor here). */
const divInt = (x: Array, k: number): Array => (k === 1 ? x : div(x, int(k)))
