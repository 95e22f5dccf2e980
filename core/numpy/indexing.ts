/**
 * NumPy/JAX indexing without Python's `x[...]` syntax.
 *
 * An index expression is a list of items, one per position of a Python subscript:
 *
 * | Python            | jaxfx                                        |
 * | ----------------- | -------------------------------------------- |
 * | `x[0, 1:3]`       | `np.index(x, 0, "1:3")` or `x.index(0, "1:3")` |
 * | `x[::-1, None]`   | `x.index("::-1", null)`                      |
 * | `x[..., 2]`       | `x.index("...", 2)`                          |
 * | `x[1:7:2]`        | `x.index(np.s(1, 7, 2))` (= `"1:7:2"`)       |
 * | `x[idx]`          | `x.index(idx)` (an int Array or `number[]`)  |
 * | `x[mask]`         | `x.index(mask)` (a bool Array or `boolean[]`)|
 * | `x.at[0].set(v)`  | `x.at(0).set(v)` / `np.at(x, 0).set(v)`      |
 *
 * Basic indices (ints, slices, `null`, `"..."`) lower to `slice` (+ `rev` for negative steps) and
 * `reshape`; advanced indices (index arrays; ints too once any array is present) lower to one
 * `gather` over the flattened group of indexed axes. `.at` updates lower to one `scatter` into the
 * flattened operand at the flat positions that the same index expression selects. Everything is
 * built from primitives, so grad/jvp/vjp/vmap/jit see through indexing.
 */
import { Array } from "../array.js"
import type { Nested } from "../array.js"
import { type DType, isFloat, isInt } from "../dtype.js"
import { ConcretizationError, DTypeError, IndexError, ShapeError, ValueError } from "../errors.js"
import { constant } from "../primitives/common.js"
import { add, and, convertElementType, div, eq, ge, lt, max, min, mul, neg, pow, select } from "../primitives/elementwise.js"
import { gather, scatter, type ScatterMode } from "../primitives/indexing.js"
import { broadcastInDim, broadcastTo, iota, reshape, rev, slice, transpose } from "../primitives/shape-ops.js"
import { broadcastShapes, shapeEqual, showShape, sizeOf } from "../shape.js"
import { asArray, type Operand, scalarArray } from "./coerce.js"

// ---------------------------------------------------------------------------------------------
// Index items

/** A slice `start:stop:step` (Python's `slice` object); `null` parts take NumPy's defaults. */
export interface Slice {
  readonly _tag: "Slice"
  readonly start: number | null
  readonly stop: number | null
  readonly step: number | null
}

/**
 * The slice `start:stop:step` as an index item (Python's `slice(start, stop, step)`; named `s`
 * because `slice` is the lax primitive). Arguments are positional in that order:
 * `np.s(1, 3)` is `1:3`, `np.s(null, null, -1)` is `::-1`, and `np.s(2)` is `2:` (not Python's
 * one-argument `slice(2)`, which means `:2`). Strings in Python syntax (`"1:3"`) do the same.
 *
 * @example
 * np.arange(5).index(np.s(1, 4)) // Array([1, 2, 3], dtype=int32)
 * np.arange(5).index(np.s(null, null, -1)) // Array([4, 3, 2, 1, 0], dtype=int32)
 * np.arange(5).index(np.s(2)) // Array([2, 3, 4], dtype=int32) (`2:`)
 */
export const s = (start: number | null = null, stop: number | null = null, step: number | null = null): Slice => ({
  _tag: "Slice",
  start,
  stop,
  step
})

/**
 * One item of an index expression:
 * - a number: an integer index (negative counts from the end);
 * - a string: a slice in Python syntax (`":"`, `"1:3"`, `"::-1"`, `"-3:"`) or `"..."` (ellipsis);
 * - a `Slice` from `np.s(start, stop, step)`;
 * - `null`: a new axis of size 1 (Python's `None` / `np.newaxis`);
 * - an integer Array or nested `number[]`: advanced (gather) indexing, negative indices wrap;
 * - a bool Array or nested `boolean[]`: a mask, converted to the integer indices of its true
 *   elements (it needs concrete values, so not under jit; use `np.where` there).
 */
export type IndexItem = number | string | Slice | null | Array | ReadonlyArray<Nested>

/** JAX's `x.at[idx]`: functional updates that return a new array and leave `x` unchanged. */
export interface AtIndexer {
  /** `x[idx]` (the same as `np.index(x, ...idx)`). */
  get(): Array
  /** `x[idx] = v`; with repeated indices the last update wins. */
  set(v: Operand): Array
  /** `x[idx] += v`; repeated indices accumulate. */
  add(v: Operand): Array
  /** `x[idx] -= v`; repeated indices accumulate. */
  subtract(v: Operand): Array
  /** `x[idx] *= v`; repeated indices multiply (gradients are exact only for unique indices, as in JAX). */
  multiply(v: Operand): Array
  /** `x[idx] /= v` (true division: integer operands give a float32 result, as `jnp.divide`). */
  divide(v: Operand): Array
  /** `x[idx] **= v`. */
  power(v: Operand): Array
  /** `x[idx] = minimum(x[idx], v)`. */
  min(v: Operand): Array
  /** `x[idx] = maximum(x[idx], v)`. */
  max(v: Operand): Array
}

/** An index item after parsing: what it is and how many dimensions of the operand it consumes. */
type Parsed =
  | { readonly kind: "int"; readonly value: number }
  | { readonly kind: "slice"; readonly start: number | null; readonly stop: number | null; readonly step: number }
  | { readonly kind: "newaxis" }
  | { readonly kind: "ellipsis" }
  | { readonly kind: "array"; readonly idx: Array }
  | { readonly kind: "mask"; readonly mask: Array }

const consumed = (p: Parsed): number => (p.kind === "int" || p.kind === "slice" || p.kind === "array" ? 1 : p.kind === "mask" ? p.mask.ndim : 0)

const isSlice = (x: unknown): x is Slice => typeof x === "object" && x !== null && !(x instanceof Array) && (x as { _tag?: unknown })._tag === "Slice"

const describe = (x: unknown): string => {
  if (typeof x === "string") return JSON.stringify(x)
  if (x instanceof Array) return `an Array of shape ${showShape(x.shape)}`
  return String(x)
}

const validIndicesHint =
  'valid index items are integers, slices ("1:3", "::-1" or np.s(start, stop, step)), "...", ' + "null (new axis), integer index arrays and boolean masks"

const sliceBound = (v: number | null, what: string): number | null => {
  if (v === null) return null
  if (!Number.isInteger(v)) throw new IndexError(`slice ${what} must be an integer or null, got ${v}`)
  return v
}

const makeSlice = (start: number | null, stop: number | null, step: number | null): Parsed => {
  const st = sliceBound(step, "step") ?? 1
  if (st === 0) throw new ValueError("slice step cannot be zero; use a positive step, or a negative one to reverse")
  return { kind: "slice", start: sliceBound(start, "start"), stop: sliceBound(stop, "stop"), step: st }
}

const parseSliceString = (text: string): Parsed => {
  const parts = text.split(":")
  if (parts.length < 2 || parts.length > 3) {
    throw new IndexError(`cannot parse the index string ${JSON.stringify(text)}; ${validIndicesHint}`)
  }
  const nums = parts.map((p) => {
    const t = p.trim()
    if (t === "") return null
    if (!/^[+-]?\d+$/.test(t)) {
      throw new IndexError(`cannot parse the slice ${JSON.stringify(text)}: ${JSON.stringify(t)} is not an integer; write e.g. "1:3" or "::-1"`)
    }
    return Number(t)
  })
  return makeSlice(nums[0] ?? null, nums[1] ?? null, nums[2] ?? null)
}

/** Classify an index Array: integer arrays index, bool arrays mask, anything else is an error. */
const arrayItem = (a: Array): Parsed => {
  if (a.dtype === "bool") {
    if (a.ndim === 0) {
      throw new IndexError("a scalar boolean index is not supported; use null to add an axis, or np.where to select values")
    }
    return { kind: "mask", mask: a }
  }
  if (!isInt(a.dtype)) {
    throw new DTypeError(`index arrays must be integers or booleans, got ${a.dtype}; cast the indices with astype("int32")`)
  }
  return { kind: "array", idx: a.dtype === "int32" ? a : convertElementType(a, "int32") }
}

const parseItem = (it: IndexItem): Parsed => {
  if (it === null) return { kind: "newaxis" }
  if (typeof it === "number") {
    if (!Number.isInteger(it)) {
      throw new IndexError(`the index ${it} is not an integer; ${validIndicesHint}`)
    }
    return { kind: "int", value: it }
  }
  if (typeof it === "string") {
    if (it.trim() === "...") return { kind: "ellipsis" }
    return parseSliceString(it)
  }
  if (it instanceof Array) return arrayItem(it)
  if (isSlice(it)) return makeSlice(it.start, it.stop, it.step)
  if (globalThis.Array.isArray(it)) {
    if (it.length === 0) return { kind: "array", idx: constant(0, "int32", [0]) }
    return arrayItem(asArray(it as ReadonlyArray<Nested>))
  }
  throw new IndexError(`cannot index with ${describe(it)} (${typeof it}); ${validIndicesHint}`)
}

// ---------------------------------------------------------------------------------------------
// Lowering

/** One component of the advanced index: an int32 index array (or static int) for one axis. */
interface Component {
  readonly dim: number
  readonly idx: Array
  /** A static, already normalized and bounds-checked integer (needs no wrapping or clamping). */
  readonly static: boolean
}

/** An index item placed on the operand's dimensions. */
type Entry =
  | { readonly kind: "int"; readonly dim: number; readonly value: number }
  | { readonly kind: "slice"; readonly dim: number; readonly start: number; readonly step: number; readonly count: number }
  | { readonly kind: "newaxis" }
  | { readonly kind: "advanced"; readonly comps: ReadonlyArray<Component> }

/** Python's `slice.indices(n)`, reduced to (first element, step, element count). */
const resolveSlice = (p: { readonly start: number | null; readonly stop: number | null; readonly step: number }, n: number) => {
  const step = p.step
  let start: number
  let stop: number
  if (step > 0) {
    start = p.start === null ? 0 : p.start < 0 ? Math.max(0, p.start + n) : Math.min(p.start, n)
    stop = p.stop === null ? n : p.stop < 0 ? Math.max(0, p.stop + n) : Math.min(p.stop, n)
    return { start, step, count: Math.max(0, Math.ceil((stop - start) / step)) }
  }
  start = p.start === null ? n - 1 : p.start < 0 ? Math.max(-1, p.start + n) : Math.min(p.start, n - 1)
  stop = p.stop === null ? -1 : p.stop < 0 ? Math.max(-1, p.stop + n) : Math.min(p.stop, n - 1)
  return { start, step, count: Math.max(0, Math.ceil((start - stop) / -step)) }
}

const concreteMaskData = (mask: Array): ArrayLike<number> => {
  try {
    return mask.data()
  } catch (e) {
    if (e instanceof ConcretizationError) {
      throw new ConcretizationError(
        `boolean mask indexing needs the mask's values, but the mask (${mask.aval.str()}) is traced, and the ` +
          "result's shape would depend on them. Under jit/vmap use np.where(mask, x, fill) to keep the shape " +
          "static, or compute the mask outside the transformation."
      )
    }
    throw e
  }
}

/** The integer indices of a mask's true elements: one int32 array per mask dimension. */
const maskToComponents = (mask: Array, xShape: ReadonlyArray<number>, dim: number): Component[] => {
  mask.shape.forEach((m, i) => {
    const n = xShape[dim + i]!
    if (m !== n) {
      throw new IndexError(
        `boolean index did not match the indexed array along axis ${dim + i}: the axis has size ${n} but ` +
          `the corresponding boolean axis has size ${m}; give a mask of shape ${showShape(xShape.slice(dim, dim + mask.ndim))}`
      )
    }
  })
  const data = concreteMaskData(mask)
  const k = mask.ndim
  const coords: number[][] = mask.shape.map(() => [])
  const strides: number[] = []
  let acc = 1
  for (let i = k - 1; i >= 0; i--) {
    strides[i] = acc
    acc *= mask.shape[i]!
  }
  for (let f = 0; f < data.length; f++) {
    if (data[f] === 0) continue
    let r = f
    for (let i = 0; i < k; i++) {
      const q = Math.floor(r / strides[i]!)
      r -= q * strides[i]!
      coords[i]!.push(q)
    }
  }
  return coords.map((c, i) => ({ dim: dim + i, idx: asArray(Int32Array.from(c)), static: false }))
}

interface Lowered {
  readonly out: Array
  readonly advanced: boolean
}

/**
 * Index `x`. `mode` says what out-of-range advanced indices do: "clip" clamps them (JAX's gather),
 * "fill" puts `fillValue` at the positions they select (used to drop `.at` updates).
 */
const lowerIndex = (x: Array, items: ReadonlyArray<IndexItem>, mode: "clip" | "fill", fillValue: number): Lowered => {
  const parsed = items.map(parseItem)
  const ndim = x.ndim
  if (parsed.filter((p) => p.kind === "ellipsis").length > 1) {
    throw new IndexError('an index can only have a single ellipsis ("...")')
  }
  const used = parsed.reduce((a, p) => a + consumed(p), 0)
  if (used > ndim) {
    throw new IndexError(
      `too many indices for array: array is ${ndim}-dimensional, but ${used} were indexed; ` +
        "give at most one index per dimension (null adds axes and does not count)"
    )
  }
  const hasAdvanced = parsed.some((p) => p.kind === "array" || p.kind === "mask")
  // NumPy (and JAX) put the advanced result dimensions in place of the indexed ones when the
  // advanced items (ints count once arrays are present) are adjacent in the expression; else first.
  const advPositions = parsed.flatMap((p, i) => (hasAdvanced && (p.kind === "int" || p.kind === "array" || p.kind === "mask") ? [i] : []))
  const contiguous = advPositions.every((q, i) => i === 0 || q === advPositions[i - 1]! + 1)

  const entries: Entry[] = []
  let dim = 0
  const fullSlice = (d: number): Entry => ({ kind: "slice", dim: d, start: 0, step: 1, count: x.shape[d]! })
  for (const p of parsed) {
    switch (p.kind) {
      case "newaxis":
        entries.push({ kind: "newaxis" })
        break
      case "ellipsis":
        for (let i = 0; i < ndim - used; i++) entries.push(fullSlice(dim++))
        break
      case "int": {
        const n = x.shape[dim]!
        if (p.value < -n || p.value >= n) {
          throw new IndexError(`index ${p.value} is out of bounds for axis ${dim} with size ${n}; use an index in [${-n}, ${n - 1}]`)
        }
        const v = p.value < 0 ? p.value + n : p.value
        if (hasAdvanced) entries.push({ kind: "advanced", comps: [{ dim, idx: constant(v, "int32", []), static: true }] })
        else entries.push({ kind: "int", dim, value: v })
        dim++
        break
      }
      case "slice": {
        const r = resolveSlice(p, x.shape[dim]!)
        entries.push({ kind: "slice", dim, ...r })
        dim++
        break
      }
      case "array":
        entries.push({ kind: "advanced", comps: [{ dim, idx: p.idx, static: false }] })
        dim++
        break
      case "mask":
        entries.push({ kind: "advanced", comps: maskToComponents(p.mask, x.shape, dim) })
        dim += p.mask.ndim
        break
    }
  }
  while (dim < ndim) entries.push(fullSlice(dim++))

  // Basic part: one slice (and one rev for negative steps) over all dimensions.
  const starts = x.shape.map(() => 0)
  const limits = [...x.shape]
  const strides = x.shape.map(() => 1)
  const reversed: number[] = []
  for (const e of entries) {
    if (e.kind === "int") {
      starts[e.dim] = e.value
      limits[e.dim] = e.value + 1
    } else if (e.kind === "slice") {
      if (e.count === 0) {
        starts[e.dim] = 0
        limits[e.dim] = 0
      } else if (e.step > 0) {
        starts[e.dim] = e.start
        limits[e.dim] = e.start + (e.count - 1) * e.step + 1
        strides[e.dim] = e.step
      } else {
        starts[e.dim] = e.start + (e.count - 1) * e.step
        limits[e.dim] = e.start + 1
        strides[e.dim] = -e.step
        if (e.count > 1) reversed.push(e.dim)
      }
    }
  }
  const y = rev(slice(x, starts, limits, strides), reversed)

  // The result dimensions of the basic items, in order; with advanced items, where they go.
  const basicOut: number[] = []
  let insertAt = contiguous ? -1 : 0
  for (const e of entries) {
    if (e.kind === "newaxis") basicOut.push(1)
    else if (e.kind === "slice") basicOut.push(e.count)
    else if (e.kind === "advanced" && insertAt < 0) insertAt = basicOut.length
  }
  if (!hasAdvanced) return { out: reshape(y, basicOut), advanced: false }

  const comps = entries.flatMap((e) => (e.kind === "advanced" ? e.comps : []))
  let bshape: number[]
  try {
    bshape = broadcastShapes(...comps.map((c) => c.idx.shape))
  } catch (e) {
    if (!(e instanceof ShapeError)) throw e
    throw new IndexError(
      `shape mismatch: index arrays could not be broadcast together with shapes ${comps.map((c) => showShape(c.idx.shape)).join(", ")}; ` +
        "make the index arrays broadcast-compatible (reshape them, e.g. idx.reshape([-1, 1]))"
    )
  }
  const finalShape = [...basicOut.slice(0, insertAt), ...bshape, ...basicOut.slice(insertAt)]
  const advDims = comps.map((c) => c.dim)
  const sizes = advDims.map((d) => x.shape[d]!)
  const groupSize = sizeOf(sizes)
  if (groupSize === 0) {
    if (sizeOf(bshape) > 0) {
      const d = advDims[sizes.indexOf(0)]!
      throw new IndexError(`index is out of bounds for axis ${d} with size 0: an empty axis has no elements to index`)
    }
    return { out: constant(mode === "fill" ? fillValue : 0, x.dtype, finalShape), advanced: true }
  }

  // Flat index into the group of advanced axes (row-major over them), from wrapped and clamped
  // per-axis indices; in "fill" mode also which positions were in range.
  const zero = constant(0, "int32", [])
  let flat: Array | undefined
  let valid: Array | undefined
  let stride = groupSize
  for (let j = 0; j < comps.length; j++) {
    const c = comps[j]!
    const n = sizes[j]!
    stride /= n
    let i = c.idx
    if (!c.static) {
      const nC = constant(n, "int32", [])
      const wrapped = select(lt(i, zero), add(i, nC), i)
      if (mode === "fill") {
        const ok = broadcastTo(and(ge(wrapped, zero), lt(wrapped, nC)), bshape)
        valid = valid === undefined ? ok : and(valid, ok)
      }
      i = max(min(wrapped, constant(n - 1, "int32", [])), zero)
    }
    const term = stride === 1 ? broadcastTo(i, bshape) : broadcastTo(mul(i, constant(stride, "int32", [])), bshape)
    flat = flat === undefined ? term : add(flat, term)
  }

  const others = entries.flatMap((e) => (e.kind === "slice" ? [e.dim] : []))
  const p = contiguous ? advDims[0]! : 0
  const perm = contiguous ? y.shape.map((_, i) => i) : [...advDims, ...others]
  const yt = transpose(y, perm)
  const k = advDims.length
  const merged = [...yt.shape.slice(0, p), groupSize, ...yt.shape.slice(p + k)]
  let g = gather(reshape(yt, merged), flat ?? constant(0, "int32", bshape), p)
  if (valid !== undefined) {
    const inRange = broadcastInDim(
      valid,
      g.shape,
      bshape.map((_, i) => p + i)
    )
    g = select(inRange, g, constant(fillValue, g.dtype, []))
  }
  return { out: reshape(g, finalShape), advanced: true }
}

/**
 * NumPy/JAX indexing: `np.index(x, 0, "1:3")` is Python's `x[0, 1:3]`. See `IndexItem` for the
 * items. Static integers out of range throw an IndexError; out-of-range entries of index arrays
 * are clamped, as in JAX.
 *
 * @example
 * const x = np.arange(12).reshape([3, 4])
 * np.index(x, "::-1")           // x[::-1]
 * np.index(x, "...", null, 0)   // x[..., None, 0]
 * np.index(x, [0, 2], "1:")     // x[[0, 2], 1:]
 */
export const index = (x: Array, ...items: ReadonlyArray<IndexItem>): Array => lowerIndex(x, items, "clip", 0).out

// ---------------------------------------------------------------------------------------------
// .at updates

/** Cast update values to the operand's dtype and broadcast them to the indexed shape. */
const updateValues = (v: Operand, dtype: DType, shape: ReadonlyArray<number>): Array => {
  let u = v instanceof Array ? v : scalarArray(v, dtype)
  if (u.dtype !== dtype) u = convertElementType(u, dtype)
  // NumPy assignment also accepts extra leading dimensions of size 1.
  while (u.ndim > shape.length && u.shape[0] === 1) u = reshape(u, u.shape.slice(1))
  let ok: boolean
  try {
    ok = shapeEqual(broadcastShapes(u.shape, shape), shape)
  } catch {
    ok = false
  }
  if (!ok) {
    throw new ShapeError(
      `cannot broadcast update values of shape ${showShape(u.shape)} to the indexed shape ${showShape(shape)}; ` +
        "give values whose shape broadcasts to x.index(...).shape"
    )
  }
  return broadcastTo(u, shape)
}

class AtIndexerImpl implements AtIndexer {
  constructor(
    readonly x: Array,
    readonly items: ReadonlyArray<IndexItem>
  ) {}

  get(): Array {
    return index(this.x, ...this.items)
  }

  /** Scatter `v` into a flat copy of `base` (x's shape) at the positions the index selects. */
  private scatterInto(base: Array, v: Operand, mode: ScatterMode, valueDtype: DType): Array {
    const x = this.x
    const n = x.size
    const ids = reshape(iota("int32", [n]), x.shape)
    // Flat positions of the selected elements; out-of-range index-array entries give n (dropped).
    const { out: targets, advanced } = lowerIndex(ids, this.items, "fill", n)
    let u = updateValues(v, valueDtype, targets.shape)
    if (targets.size === 0) return base
    let idx = targets
    if (advanced) {
      const nC = constant(n, "int32", [])
      let keep = lt(idx, nC)
      if (mode === "set") {
        // Repeated indices: keep only the last update for each position, so that the result does
        // not depend on the order a backend applies updates, and gradients reach the winner only.
        const order = reshape(iota("int32", [targets.size]), targets.shape)
        const last = scatter(constant(-1, "int32", [n]), idx, order, 0, "max")
        keep = eq(gather(last, idx, 0), order)
        idx = select(keep, idx, nC)
      }
      // Dropped updates must not receive gradient either (gather clamps where scatter drops).
      u = select(keep, u, constant(0, u.dtype, []))
    }
    return reshape(scatter(reshape(base, [n]), idx, u, 0, mode), x.shape)
  }

  set(v: Operand): Array {
    return this.scatterInto(this.x, v, "set", this.x.dtype)
  }
  add(v: Operand): Array {
    return this.scatterInto(this.x, v, "add", this.x.dtype)
  }
  subtract(v: Operand): Array {
    const u = v instanceof Array ? v : scalarArray(v, this.x.dtype)
    return this.scatterInto(this.x, neg(u.dtype === this.x.dtype ? u : convertElementType(u, this.x.dtype)), "add", this.x.dtype)
  }
  multiply(v: Operand): Array {
    // x * (ones with the factors multiplied in), rather than a scatter-mul into x: the same
    // numbers, and the derivative with respect to x is a plain product.
    const x = this.x
    return mul(x, this.scatterInto(constant(1, x.dtype, x.shape), v, "mul", x.dtype))
  }
  min(v: Operand): Array {
    return this.scatterInto(this.x, v, "min", this.x.dtype)
  }
  max(v: Operand): Array {
    return this.scatterInto(this.x, v, "max", this.x.dtype)
  }
  divide(v: Operand): Array {
    // As JAX: x / (ones with the divisors multiplied in). The divisors take x's dtype first (so an
    // int32 x divides by truncated divisors); the division itself is true division.
    const x = this.x
    const divisor = this.scatterInto(constant(1, x.dtype, x.shape), v, "mul", x.dtype)
    if (isFloat(x.dtype)) return div(x, divisor)
    return div(convertElementType(x, "float32"), convertElementType(divisor, "float32"))
  }
  power(v: Operand): Array {
    const x = this.x
    const exponent = this.scatterInto(constant(1, x.dtype, x.shape), v, "mul", x.dtype)
    return pow(x, exponent)
  }
}

/**
 * JAX's `x.at[idx]`: `np.at(x, 0, "1:").set(v)` is `x.at[0, 1:].set(v)`, a new array (x is
 * unchanged). Values are cast to x's dtype and broadcast to the indexed shape. Out-of-range
 * entries of index arrays are dropped; repeated indices accumulate for `add` and the last one wins
 * for `set`.
 *
 * @example
 * const x = np.zeros([4])
 * np.at(x, 0).set(3)          // x.at[0].set(3)
 * x.at([0, 0, 2]).add(1)      // x.at[[0, 0, 2]].add(1): adds 2 at 0 and 1 at 2
 */
export const at = (x: Array, ...items: ReadonlyArray<IndexItem>): AtIndexer => new AtIndexerImpl(x, items)
