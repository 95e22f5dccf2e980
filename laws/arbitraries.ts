/**
 * fast-check arbitraries for jaxfx values: shapes, broadcast-compatible shapes, dtypes, arrays
 * with value ranges, and pytrees of arrays. Everything shrinks toward small shapes and simple
 * values, so a failing law reports a small case.
 *
 * @example
 * import { arb } from "jaxfx/laws"
 * arb.array({ shape: [2, 3], min: 0.1, max: 4 })          // positive float32 arrays of shape [2, 3]
 * arb.array({ shape: { maxRank: 2 }, exclude: [[-0.1, 0.1]] }) // any small shape, |x| >= 0.1
 * arb.pytree(arb.array({ shape: [2] }))                    // nested objects/tuples of arrays
 */
import fc from "fast-check"
import { type Array, type DType, np, random } from "../index.js"
import { checkOneOf, checkOptions, optionKeys } from "../core/options.js"
import { checkShapeBounds, SHAPE_KEYS } from "./check-options.js"

/** Bounds on generated shapes. */
export interface ShapeOptions {
  /** Smallest rank (default 0). */
  readonly minRank?: number
  /** Largest rank (default 3). */
  readonly maxRank?: number
  /** Smallest dimension (default 1; 0 allows empty arrays). */
  readonly minDim?: number
  /** Largest dimension (default 4). */
  readonly maxDim?: number
  /** Largest number of elements (default 24): dimensions are lowered until the size fits. */
  readonly maxSize?: number
}

const shapeDefaults = { minRank: 0, maxRank: 3, minDim: 1, maxDim: 4, maxSize: 24 } as const

const resolveShapeOptions = (o: ShapeOptions): Required<ShapeOptions> => {
  const r = { ...shapeDefaults, ...o }
  if (r.minRank < 0 || r.maxRank < r.minRank) throw new RangeError(`arb.shape: need 0 <= minRank <= maxRank, got ${r.minRank}..${r.maxRank}`)
  if (r.minDim < 0 || r.maxDim < r.minDim) throw new RangeError(`arb.shape: need 0 <= minDim <= maxDim, got ${r.minDim}..${r.maxDim}`)
  if (r.maxSize < 1) throw new RangeError(`arb.shape: maxSize must be at least 1, got ${r.maxSize}`)
  if (r.minDim > 1 && r.minDim ** r.minRank > r.maxSize) {
    throw new RangeError(`arb.shape: no shape of rank ${r.minRank} with dimensions >= ${r.minDim} has at most ${r.maxSize} elements`)
  }
  return r
}

/**
 * The number of elements of a shape.
 *
 * @example
 * arb.sizeOf([2, 3, 4]) // 24
 * arb.sizeOf([]) // 1
 */
export const sizeOf = (shape: ReadonlyArray<number>): number => shape.reduce((a, b) => a * b, 1)

/** Lower the largest dimensions (not below minDim) until the size fits. */
const fitSize = (dims: number[], minDim: number, maxSize: number): number[] => {
  const out = [...dims]
  while (sizeOf(out) > maxSize) {
    let k = 0
    for (let i = 1; i < out.length; i++) if (out[i]! > out[k]!) k = i
    if (out[k]! <= Math.max(minDim, 1)) break
    out[k] = out[k]! - 1
  }
  return out
}

/**
 * Shapes with rank and dimension bounds and at most `maxSize` elements. Shrinks toward rank
 * `minRank` and small dimensions.
 *
 * @example
 * fc.sample(arb.shape({ minRank: 1, maxRank: 2 }), 3) // e.g. [[3], [1, 4], [2]]
 */
export const shape = (options: ShapeOptions = {}): fc.Arbitrary<number[]> => {
  checkOptions("arb.shape", options, SHAPE_KEYS)
  const o = resolveShapeOptions(options)
  return fc
    .array(fc.integer({ min: o.minDim, max: o.maxDim }), { minLength: o.minRank, maxLength: o.maxRank })
    .map((dims) => fitSize(dims, o.minDim, o.maxSize))
}

/**
 * NumPy broadcasting of two shapes, or undefined when they do not broadcast.
 *
 * @example
 * arb.broadcastShape([3, 1], [2, 1, 4]) // [2, 3, 4]
 * arb.broadcastShape([3], [4]) // undefined
 */
export const broadcastShape = (a: ReadonlyArray<number>, b: ReadonlyArray<number>): number[] | undefined => {
  const n = Math.max(a.length, b.length)
  const out: number[] = []
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1
    const db = b[b.length - n + i] ?? 1
    if (da !== db && da !== 1 && db !== 1) return undefined
    out.push(da === 1 ? db : da)
  }
  return out
}

/**
 * `count` shapes that broadcast together (NumPy rules): a common shape is drawn, then each operand
 * drops some leading axes and turns some dimensions into 1.
 *
 * @example
 * fc.sample(arb.broadcastShapes({ count: 2 }), 1) // e.g. [[[3, 1], [2, 1, 4]]]
 */
export const broadcastShapes = (options: ShapeOptions & { readonly count?: number } = {}): fc.Arbitrary<number[][]> => {
  checkOptions("arb.broadcastShapes", options, [...SHAPE_KEYS, "count"])
  const { count = 2, ...bounds } = options
  const o = resolveShapeOptions(bounds)
  const operand = fc.record({
    drop: fc.nat({ max: o.maxRank }),
    ones: fc.array(fc.boolean(), { minLength: o.maxRank, maxLength: o.maxRank })
  })
  return fc.tuple(shape(o), fc.array(operand, { minLength: count, maxLength: count })).map(([full, ops]) =>
    ops.map(({ drop, ones }) => {
      const kept = full.slice(Math.min(drop, Math.max(0, full.length - o.minRank)))
      return kept.map((d, i) => (ones[i] === true ? 1 : d))
    })
  )
}

/**
 * Two shapes that broadcast together.
 *
 * @example
 * fc.assert(fc.property(arb.broadcastPair(), ([a, b]) => arb.broadcastShape(a, b) !== undefined), { seed: 1, numRuns: 20 })
 */
export const broadcastPair = (options: ShapeOptions = {}): fc.Arbitrary<[number[], number[]]> =>
  broadcastShapes({ ...checkOptions("arb.broadcastPair", options, SHAPE_KEYS), count: 2 }).map(([a, b]) => [a!, b!])

/**
 * A dtype from `include` (default: every dtype).
 *
 * @example
 * fc.sample(arb.dtype(["float32", "int32"]), 2) // e.g. ["int32", "float32"]
 */
export const dtype = (include: ReadonlyArray<DType> = ["float32", "float64", "int32", "uint32", "bool"]): fc.Arbitrary<DType> => fc.constantFrom(...include)

/**
 * float32 or float64.
 *
 * @example
 * arb.array({ shape: [2] }).chain((x) => arb.floatDtype().map((d) => x.astype(d))) // float32 or float64 vectors
 */
export const floatDtype = (): fc.Arbitrary<DType> => fc.constantFrom<DType>("float32", "float64")

/** What values to put in an array. */
export interface ValueOptions {
  /** Smallest value (default -2 for floats, -10 for integers, 0 for uint32). */
  readonly min?: number
  /** Largest value (default 2 for floats, 10 for integers). */
  readonly max?: number
  /**
   * Open intervals to avoid, e.g. `[[-0.1, 0.1]]` keeps `1/x` away from its pole. Values are
   * filtered, so keep the excluded part a small fraction of [min, max].
   */
  readonly exclude?: ReadonlyArray<readonly [number, number]>
  /** Any other condition on a single value. */
  readonly filter?: (x: number) => boolean
  /**
   * Draw only multiples of `step` (e.g. 1/256; float dtypes only). Values print short, shrink to
   * simple numbers, and distinct values are never closer than `step`: no near-ties for kinks of
   * max/relu to sit between (which finite differences cannot resolve).
   */
  readonly step?: number
  /** Full control: the arbitrary of one element (min/max/exclude/filter still apply). */
  readonly elements?: fc.Arbitrary<number>
}

export interface ArrayOptions extends ValueOptions {
  /**
   * A fixed shape, shape bounds (see `ShapeOptions`, the default is `{}`), or an arbitrary of
   * shapes.
   */
  readonly shape?: ReadonlyArray<number> | ShapeOptions | fc.Arbitrary<ReadonlyArray<number>>
  /** The dtype, or an arbitrary of dtypes (default float32). */
  readonly dtype?: DType | fc.Arbitrary<DType>
}
const VALUE_KEYS = optionKeys<ValueOptions>()("min", "max", "exclude", "filter", "step", "elements")
const ARRAY_KEYS = optionKeys<ArrayOptions>()("min", "max", "exclude", "filter", "step", "elements", "shape", "dtype")
const ARRAYS_KEYS = ARRAY_KEYS.filter((k) => k !== "shape")

const isFloatDtype = (d: DType): boolean => d === "float32" || d === "float64" || d === "float16" || d === "bfloat16"

/**
 * The arbitrary of one element of dtype `d`, as a JS number that the dtype stores exactly.
 *
 * @example
 * fc.sample(arb.element("int32", { min: -5, max: 5 }), 3) // e.g. [0, -3, 5]
 */
export const element = (d: DType, o: ValueOptions = {}): fc.Arbitrary<number> => elementOf(d, checkOptions("arb.element", o, VALUE_KEYS))

const elementOf = (d: DType, o: ValueOptions): fc.Arbitrary<number> => {
  const float = isFloatDtype(d)
  const min = o.min ?? (float ? -2 : d === "uint32" || d === "bool" ? 0 : -10)
  const max = o.max ?? (float ? 2 : d === "bool" ? 1 : 10)
  if (!(min <= max)) throw new RangeError(`arb.array: need min <= max, got ${min}..${max}`)
  let base: fc.Arbitrary<number>
  if (o.elements !== undefined) {
    base = o.elements.map((x) => (d === "float32" ? Math.fround(x) : x))
  } else if (o.step !== undefined && float) {
    const step = o.step
    if (!(step > 0)) throw new RangeError(`arb.array: step must be positive, got ${step}`)
    const lo = Math.ceil(min / step)
    const hi = Math.floor(max / step)
    if (lo > hi) throw new RangeError(`arb.array: no multiple of ${step} lies in [${min}, ${max}]`)
    base = fc.integer({ min: lo, max: hi }).map((k) => (d === "float32" ? Math.fround(k * step) : k * step))
  } else if (d === "float32") {
    // fc.float needs float32 bounds: round them inward.
    let lo = Math.fround(min)
    let hi = Math.fround(max)
    if (lo < min) lo = nextFloat32Up(lo)
    if (hi > max) hi = nextFloat32Down(hi)
    base = fc.float({ min: lo, max: hi, noNaN: true, noDefaultInfinity: true })
  } else if (d === "float64") {
    base = fc.double({ min, max, noNaN: true, noDefaultInfinity: true })
  } else if (d === "bool") {
    base = fc.boolean().map((b) => (b ? 1 : 0))
  } else {
    const lo = Math.max(Math.ceil(min), d === "uint32" ? 0 : -(2 ** 31))
    const hi = Math.min(Math.floor(max), d === "uint32" ? 2 ** 32 - 1 : 2 ** 31 - 1)
    base = fc.integer({ min: lo, max: hi })
  }
  const exclude = o.exclude ?? []
  const filter = o.filter
  if (exclude.length === 0 && filter === undefined && o.elements === undefined && o.step === undefined) return base
  return base.filter((x) => x >= min && x <= max && exclude.every(([a, b]) => !(x > a && x < b)) && (filter === undefined || filter(x)))
}

const f32 = new Float32Array(1)
const u32 = new Uint32Array(f32.buffer)
const nextFloat32Up = (x: number): number => {
  f32[0] = x
  if (x === 0) return 1.401298464324817e-45
  u32[0] = x > 0 ? u32[0]! + 1 : u32[0]! - 1
  return f32[0]!
}
const nextFloat32Down = (x: number): number => -nextFloat32Up(-x)

/**
 * Build a jaxfx array from row-major values.
 *
 * @example
 * arb.fromValues([1, 2, 3, 4], [2, 2], "float32") // Array([[1., 2.], [3., 4.]], dtype=float32)
 */
export const fromValues = (values: ReadonlyArray<number | readonly [number, number]>, shape: ReadonlyArray<number>, d: DType): Array => {
  // Complex elements come as [re, im] pairs.
  const flat = np.asarray(
    values.map((v) => (typeof v !== "number" ? { re: v[0], im: v[1] } : d === "bool" ? v !== 0 : v)),
    { dtype: d }
  )
  return np.reshape(flat, shape)
}

const isArbitrary = <T>(x: unknown): x is fc.Arbitrary<T> => x instanceof fc.Arbitrary

/**
 * Arrays of a shape and dtype with values in a range. With shape bounds (the default), shape and
 * values shrink independently: a smaller shape keeps the leading values.
 *
 * @example
 * arb.array({ shape: [3], dtype: "float64", min: 0.1, max: 10 }) // positive float64 vectors
 */
export const array = (options: ArrayOptions = {}): fc.Arbitrary<Array> => {
  checkOptions("arb.array", options, ARRAY_KEYS)
  checkShapeBounds("arb.array (shape)", options.shape)
  const dt = options.dtype ?? "float32"
  if (isArbitrary<DType>(dt)) {
    return dt.chain((d) => array({ ...options, dtype: d }))
  }
  // A complex element is a pair of parts, each drawn as a float of the part dtype.
  const complex = dt === "complex64" || dt === "complex128"
  const part = elementOf(dt === "complex64" ? "float32" : dt === "complex128" ? "float64" : dt, options)
  const elem: fc.Arbitrary<number | readonly [number, number]> = complex ? fc.tuple(part, part) : part
  const s = options.shape ?? {}
  if (isArbitrary<ReadonlyArray<number>>(s)) {
    return s.chain((sh) => array({ ...options, shape: sh }))
  }
  if (globalThis.Array.isArray(s)) {
    const fixed: ReadonlyArray<number> = s
    const n = sizeOf(fixed)
    return fc.array(elem, { minLength: n, maxLength: n }).map((vs) => fromValues(vs, fixed, dt))
  }
  // Shape bounds: draw the shape and a pool of maxSize values; the array takes the first `size`.
  const so = resolveShapeOptions(s as ShapeOptions)
  return fc
    .tuple(shape(so), fc.array(elem, { minLength: so.maxSize, maxLength: so.maxSize }))
    .map(([sh, pool]) => fromValues(pool.slice(0, sizeOf(sh)), sh, dt))
}

/**
 * Arrays of the given shapes (one arbitrary per shape), sharing value options.
 *
 * @example
 * arb.arrays([[2, 3], [3]], { dtype: "float64" }) // pairs [f64[2,3], f64[3]]
 */
export const arrays = (shapes: ReadonlyArray<ReadonlyArray<number>>, options: Omit<ArrayOptions, "shape"> = {}): fc.Arbitrary<Array[]> =>
  fc.tuple(...shapes.map((sh) => array({ ...checkOptions("arb.arrays", options, ARRAYS_KEYS), shape: sh })))

/**
 * A pair of arrays whose shapes broadcast together.
 *
 * @example
 * laws.check(laws.jitMatchesEager(([a, b]: [Array, Array]) => np.add(a, b), [arb.broadcastingArrays()]), { seed: 1, numRuns: 20 })
 */
export const broadcastingArrays = (options: Omit<ArrayOptions, "shape"> & { readonly shapes?: ShapeOptions } = {}): fc.Arbitrary<[Array, Array]> => {
  checkOptions("arb.broadcastingArrays", options, [...ARRAYS_KEYS, "shapes"])
  checkShapeBounds("arb.broadcastingArrays (shapes)", options.shapes)
  const { shapes, ...values } = options
  return broadcastPair(shapes ?? { maxRank: 3, maxSize: 12 }).chain(([a, b]) => fc.tuple(array({ ...values, shape: a }), array({ ...values, shape: b })))
}

// ---------------------------------------------------------------------------------------------
// Pytrees

/** A pytree of leaves L: nested tuples (JS arrays) and plain objects, with optional nulls. */
export type Pytree<L> = L | null | ReadonlyArray<Pytree<L>> | { readonly [key: string]: Pytree<L> }

export interface PytreeOptions {
  /** Largest nesting depth (default 3). */
  readonly maxDepth?: number
  /** Most children of a tuple or object (default 3). */
  readonly maxChildren?: number
  /** Object keys to draw from (default: a few identifiers). */
  readonly keys?: ReadonlyArray<string>
  /** Allow `null` subtrees (default true). */
  readonly nulls?: boolean
}
const PYTREE_KEYS = optionKeys<PytreeOptions>()("maxDepth", "maxChildren", "keys", "nulls")

/**
 * Pytrees with leaves from `leaf`: leaves, nulls, tuples and plain objects, nested. Shrinks toward
 * a single leaf.
 *
 * @example
 * arb.pytree(arb.array({ shape: [2] }), { maxDepth: 2 }) // e.g. { w: [Array, null], b: Array }
 */
export const pytree = <L>(leaf: fc.Arbitrary<L>, options: PytreeOptions = {}): fc.Arbitrary<Pytree<L>> => {
  checkOptions("arb.pytree", options, PYTREE_KEYS)
  const maxChildren = options.maxChildren ?? 3
  const keys = options.keys ?? ["a", "b", "w", "bias", "layer", "x"]
  const { tree } = fc.letrec<{ tree: Pytree<L> }>((tie) => {
    const alternatives: fc.Arbitrary<Pytree<L>>[] = [leaf]
    if (options.nulls ?? true) alternatives.push(fc.constant(null))
    alternatives.push(
      fc.array(tie("tree"), { maxLength: maxChildren }),
      fc.dictionary(fc.constantFrom(...keys), tie("tree"), { maxKeys: maxChildren, noNullPrototype: true })
    )
    return { tree: fc.oneof({ maxDepth: options.maxDepth ?? 3, depthSize: "small", withCrossShrink: true }, ...alternatives) }
  })
  return tree
}

/**
 * Pytrees of arrays: `pytree(array(arrayOptions), treeOptions)`.
 *
 * @example
 * fc.sample(arb.arrayTree({ shape: [2] }, { maxDepth: 2 }), 1) // e.g. [{ w: Array, b: [Array] }]
 */
export const arrayTree = (arrayOptions: ArrayOptions = {}, treeOptions: PytreeOptions = {}): fc.Arbitrary<Pytree<Array>> =>
  pytree(array(checkOptions("arb.arrayTree", arrayOptions, ARRAY_KEYS)), checkOptions("arb.arrayTree", treeOptions, PYTREE_KEYS))

// ---------------------------------------------------------------------------------------------
// PRNG keys

export interface KeyOptions {
  /**
   * "seed": `random.key(seed)` for a 32-bit seed; "data": any threefry key data (two uint32 words,
   * as `split` and `foldIn` produce); "any" (default): either. Shrinks toward `random.key(0)`.
   */
  readonly from?: "seed" | "data" | "any"
}

const u32Word = fc.integer({ min: 0, max: 0xffffffff })

/**
 * Typed PRNG keys (`random.key(seed)` or wrapped key data).
 *
 * @example
 * laws.check(laws.splitKeysDistinct(arb.key()), { seed: 1 })
 */
export const key = (options: KeyOptions = {}): fc.Arbitrary<random.PRNGKeyArray> => {
  checkOptions("arb.key", options, optionKeys<KeyOptions>()("from"))
  checkOneOf("arb.key", "from", options.from, ["seed", "data", "any"])
  const fromSeed = fc.integer({ min: 0, max: 2 ** 31 - 1 }).map((seed) => random.key(seed))
  const fromData = fc.tuple(u32Word, u32Word).map(([a, b]) => random.wrapKeyData(np.asarray([a, b], { dtype: "uint32" })))
  const from = options.from ?? "any"
  return from === "seed" ? fromSeed : from === "data" ? fromData : fc.oneof(fromSeed, fromData)
}
