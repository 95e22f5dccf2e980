/**
 * The project's catalog of `np`/`nn`/`lax` functions for the laws: each function with the
 * arbitraries of its static parameters (axes, permutations, shapes, pads, index expressions,
 * dimension numbers; `params.ts`), its argument shapes and dtypes, and its argument values (ranges
 * that avoid its singularities), and which laws apply. The suite (`catalog-ad.test.ts`,
 * `catalog-jit.test.ts`) runs every applicable law on every entry; a deep run (`deep.ts`) uses
 * more cases.
 *
 * An entry draws a `Variant` per case: the static parameters and shapes, the function closed over
 * them, and the arbitraries of its arguments. Arguments that are not differentiable (indices, axes,
 * shapes) are closed over, so every argument an entry takes is a float array or a tuple of float
 * arrays (except the discrete entries, which only jit and vmap check). Entries may also draw large
 * variants (shapes that reach the compiled kernels' tiles and fission blocks and the Wasm GEMM's
 * edges); those run only for laws whose cost does not grow with the number of elements.
 */
import fc from "fast-check"
import { type Array, type DType, lax, nn, np, scipy } from "../index.js"
import { array, type ArrayOptions, fromValues, sizeOf, type ValueOptions } from "./arbitraries.js"
import { type DrawnCase, overDraws } from "./drawn.js"
import type { AnyFn, Arbitraries, Described, LawProperty } from "./laws.js"
import * as P from "./params.js"

/** One drawn instance of an entry: the function closed over its static parameters, and its arguments' arbitraries. */
export class Variant {
  constructor(
    /** The function, erased: call it with values drawn from `args`. */
    readonly f: AnyFn,
    /** One arbitrary per argument. */
    readonly args: ReadonlyArray<fc.Arbitrary<unknown>>,
    /** The static parameters and shapes, as text (empty for an entry without any). */
    readonly params: string
  ) {}
  [fc.toStringMethod](): string {
    return this.params === "" ? "(no parameters)" : this.params
  }
}

export interface CatalogEntry {
  readonly name: string
  /** Variants of small shapes, for every law. */
  readonly variants: fc.Arbitrary<Variant>
  /** Variants of large shapes (tiled, fissioned, blocked kernels; GEMM edges), for the cheap laws. */
  readonly large: fc.Arbitrary<Variant> | undefined
  /** The derivative laws apply (float inputs and outputs). */
  readonly differentiable: boolean
}

interface EntryOptions {
  readonly differentiable?: boolean
}

/** A function with its arguments' arbitraries, type-checked together, then erased. */
type Made = readonly [AnyFn, ReadonlyArray<fc.Arbitrary<unknown>>]
const fn = <Args extends ReadonlyArray<unknown>>(f: (...args: Args) => unknown, args: Arbitraries<Args>): Made => [
  f as unknown as AnyFn,
  args as unknown as ReadonlyArray<fc.Arbitrary<unknown>>
]

const show = (spec: unknown): string => (spec === null ? "" : JSON.stringify(spec))

const variantOf =
  <S>(name: string, make: (s: S) => Made) =>
  (s: S): Variant => {
    const [f, args] = make(s)
    const params = show(s)
    // A wrapper named after the entry and its parameters, so reports say "on transpose {...}".
    const named = Object.defineProperty((...a: ReadonlyArray<unknown>) => f(...a), "name", { value: params === "" ? name : `${name} ${params}` })
    return new Variant(named, args, params)
  }

/**
 * An entry whose static parameters and argument shapes are drawn by `spec` (and `large`, for the
 * laws that can afford large arrays); `make` builds the function and its arguments' arbitraries.
 */
const family = <S>(name: string, spec: fc.Arbitrary<S>, make: (s: S) => Made, o: EntryOptions & { readonly large?: fc.Arbitrary<S> } = {}): CatalogEntry => ({
  name,
  variants: spec.map(variantOf(name, make)),
  // Large values do not shrink (thousands of elements would take long and say little); their
  // parameters and shapes do.
  large: o.large?.map(
    variantOf(name, (s) => {
      const [f, args] = make(s)
      return [f, args.map((a) => fc.noShrink(a))]
    })
  ),
  differentiable: o.differentiable ?? true
})

/** An entry without static parameters (its arguments may still have random shapes). */
const entry = <Args extends ReadonlyArray<unknown>>(name: string, f: (...args: Args) => unknown, args: Arbitraries<Args>, o: EntryOptions = {}): CatalogEntry =>
  family(name, fc.constant(null), () => fn(f, args), o)

/** Drawn convolutions: 1-D or 2-D, channels first or last, strides, padding, both dilations, feature groups. */
const convSpec = fc
  .record({
    ns: fc.integer({ min: 1, max: 2 }),
    n: fc.integer({ min: 1, max: 2 }),
    groups: fc.integer({ min: 1, max: 2 }),
    cg: fc.integer({ min: 1, max: 2 }),
    og: fc.integer({ min: 1, max: 2 }),
    last: fc.boolean(),
    size: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 2, maxLength: 2 }),
    k: fc.array(fc.integer({ min: 1, max: 2 }), { minLength: 2, maxLength: 2 }),
    strides: fc.array(fc.integer({ min: 1, max: 2 }), { minLength: 2, maxLength: 2 }),
    ld: fc.array(fc.integer({ min: 1, max: 2 }), { minLength: 2, maxLength: 2 }),
    rd: fc.array(fc.integer({ min: 1, max: 2 }), { minLength: 2, maxLength: 2 }),
    pad: fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 4, maxLength: 4 })
  })
  .map((d) => {
    const sp = d.size.slice(0, d.ns)
    const k = d.k.slice(0, d.ns)
    const padding = sp.map((_, i) => [d.pad[2 * i]!, d.pad[2 * i + 1]!] as [number, number])
    const rank = d.ns + 2
    const dn = d.last ? (d.ns === 1 ? (["NWC", "WIO", "NWC"] as const) : (["NHWC", "HWIO", "NHWC"] as const)) : null
    const c = d.cg * d.groups
    const o = d.og * d.groups
    return {
      lhs: d.last ? [d.n, ...sp, c] : [d.n, c, ...sp],
      rhs: d.last ? [...k, d.cg, o] : [o, d.cg, ...k],
      rank,
      strides: d.strides.slice(0, d.ns),
      padding,
      lhsDilation: d.ld.slice(0, d.ns),
      rhsDilation: d.rd.slice(0, d.ns),
      dn,
      groups: d.groups,
      ok: sp.every((s, i) => 1 + d.ld[i]! * (s - 1) + padding[i]![0] + padding[i]![1] >= 1 + d.rd[i]! * (k[i]! - 1))
    }
  })
  .filter((c) => c.ok)

/** Drawn pooling windows over a rank-2 or rank-3 operand. */
const windowSpec = fc
  .record({
    shape: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 2, maxLength: 3 }),
    seed: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 3, maxLength: 3 }),
    st: fc.array(fc.integer({ min: 1, max: 2 }), { minLength: 3, maxLength: 3 }),
    padding: fc.constantFrom("VALID" as const, "SAME" as const)
  })
  .map((d) => ({
    shape: d.shape,
    window: d.shape.map((s, i) => Math.min(s, d.seed[i]!)),
    strides: d.shape.map((_, i) => d.st[i]!),
    padding: d.padding
  }))

// ---------------------------------------------------------------------------------------------
// Arguments

/** float32 or float64. */
const floats = fc.constantFrom<DType>("float32", "float64")
/** A float array of a fixed shape. */
const xs = (shape: ReadonlyArray<number>, o: Omit<ArrayOptions, "shape"> = {}): fc.Arbitrary<Array> => array({ shape, ...o })
/** Values on a grid: no near-ties between distinct values (for functions with kinks at ties). */
const grid = { step: 1 / 64 } as const
/**
 * Arrays of pairwise distinct values (multiples of 1/8): no ties, no zero variance. Large arrays
 * hash each position with a drawn seed into [-2, 2] (distinct in practice; random floats drawn by
 * fast-check favour tiny values, whose groups have next to no spread).
 */
const distinct = (shape: ReadonlyArray<number>, dtype: DType = "float32"): fc.Arbitrary<Array> =>
  sizeOf(shape) > 48
    ? fc.double({ min: 0, max: 1000, noNaN: true }).map((seed) => {
        const hash = (i: number): number => {
          const h = Math.sin(i * 12.9898 + seed) * 43758.5453
          return 4 * (h - Math.floor(h)) - 2
        }
        return fromValues(P.range(sizeOf(shape)).map(hash), shape, dtype)
      })
    : fc.uniqueArray(fc.integer({ min: -24, max: 24 }), { minLength: sizeOf(shape), maxLength: sizeOf(shape) }).map((ks) =>
        fromValues(
          ks.map((k) => k / 8),
          shape,
          dtype
        )
      )

interface Typed {
  readonly shape: ReadonlyArray<number>
  readonly dtype: DType
}
const typed = (shape: fc.Arbitrary<number[]>, dtype: fc.Arbitrary<DType> = floats): fc.Arbitrary<Typed> => fc.record({ shape, dtype })
const smallTyped = typed(P.smallShape(0, 2))
const largeTyped = typed(P.largeShape(), fc.constant<DType>("float32"))

/** An elementwise function of one array: small shapes of either float dtype; large float32 ones. */
const unaryEntry = (name: string, f: (a: Array) => Array, values: ValueOptions = {}): CatalogEntry =>
  family(name, smallTyped, ({ shape, dtype }) => fn(f, [array({ shape, dtype, ...values })]), { large: largeTyped })

type Pair = readonly [Array, Array]

/** Operand shapes and dtypes of a broadcasting binary function (dtypes promote). */
interface BinarySpec {
  readonly shapes: readonly [ReadonlyArray<number>, ReadonlyArray<number>]
  readonly dtypes: readonly [DType, DType]
}
const binarySpec = (shape: fc.Arbitrary<number[]>, dtypes: fc.Arbitrary<DType>): fc.Arbitrary<BinarySpec> =>
  fc.record({ shapes: P.broadcastPair(shape), dtypes: fc.tuple(dtypes, dtypes) })
const smallBinary = binarySpec(P.shapeOf({ maxRank: 3, maxDim: 3, maxSize: 12 }), floats)
const largeBinary = binarySpec(P.largeShape(), fc.constant<DType>("float32"))

/** A broadcasting binary function: both arguments drawn as one pair (its shapes fit together). */
const binaryEntry = (
  name: string,
  f: (a: Array, b: Array) => Array,
  values: readonly [ValueOptions, ValueOptions] = [{}, {}],
  o: EntryOptions = {}
): CatalogEntry =>
  family(
    name,
    smallBinary,
    ({ shapes, dtypes }) =>
      fn(
        ([a, b]: Pair) => f(a, b),
        [fc.tuple(array({ shape: shapes[0], dtype: dtypes[0], ...values[0] }), array({ shape: shapes[1], dtype: dtypes[1], ...values[1] }))]
      ),
    { ...o, large: largeBinary }
  )

// ---------------------------------------------------------------------------------------------
// Entries

const unary: ReadonlyArray<CatalogEntry> = [
  unaryEntry("negative", np.negative),
  unaryEntry("abs", np.abs),
  unaryEntry("sign", np.sign),
  unaryEntry("square", np.square),
  unaryEntry("reciprocal", np.reciprocal, { exclude: [[-0.25, 0.25]] }),
  unaryEntry("exp", np.exp, { min: -3, max: 3 }),
  unaryEntry("exp2", np.exp2, { min: -3, max: 3 }),
  unaryEntry("expm1", np.expm1, { min: -3, max: 3 }),
  unaryEntry("log", np.log, { min: 0.1, max: 4 }),
  unaryEntry("log1p", np.log1p, { min: -0.5, max: 3 }),
  unaryEntry("log2", np.log2, { min: 0.1, max: 4 }),
  unaryEntry("log10", np.log10, { min: 0.1, max: 4 }),
  unaryEntry("sqrt", np.sqrt, { min: 0.1, max: 4 }),
  unaryEntry("sin", np.sin, { min: -4, max: 4 }),
  unaryEntry("cos", np.cos, { min: -4, max: 4 }),
  unaryEntry("tan", np.tan, { min: -1.2, max: 1.2 }),
  unaryEntry("arcsin", np.arcsin, { min: -0.9, max: 0.9 }),
  unaryEntry("arccos", np.arccos, { min: -0.9, max: 0.9 }),
  unaryEntry("arctan", np.arctan, { min: -4, max: 4 }),
  unaryEntry("sinh", np.sinh),
  unaryEntry("cosh", np.cosh),
  unaryEntry("tanh", np.tanh),
  unaryEntry("floor", np.floor, { min: -3, max: 3 }),
  unaryEntry("ceil", np.ceil, { min: -3, max: 3 }),
  unaryEntry("round", (a) => np.round(a), { min: -3, max: 3 }),
  unaryEntry("clip", (a) => np.clip(a, -1, 1), { ...grid, min: -2, max: 2 }),
  unaryEntry("power(x, 3)", (a) => np.power(a, 3)),
  unaryEntry("power(x, 0.5)", (a) => np.power(a, 0.5), { min: 0.1, max: 4 })
]

/** Softmax-like functions along a drawn axis (or axes) of a drawn shape. */
const alongAxes = (name: string, f: (a: Array, axis: number | number[]) => Array): CatalogEntry =>
  family(
    name,
    P.withShape(P.shapeOf({ minRank: 1, maxRank: 3, maxDim: 3, maxSize: 12 }), (s) => fc.oneof(P.axisOf(s.length), P.axesOf(s.length, { minLength: 1 }))),
    ({ shape, param }) => fn((a: Array) => f(a, param), [xs(shape, { min: -4, max: 4 })]),
    { large: P.withShape(P.largeReductionShape(), (s) => P.axisOf(s.length)) }
  )

const activations: ReadonlyArray<CatalogEntry> = [
  unaryEntry("nn.relu", nn.relu),
  unaryEntry("nn.relu6", nn.relu6, { min: -2, max: 8 }),
  unaryEntry("nn.sigmoid", nn.sigmoid, { min: -6, max: 6 }),
  unaryEntry("nn.softplus", nn.softplus, { min: -6, max: 6 }),
  unaryEntry("nn.logSigmoid", nn.logSigmoid, { min: -6, max: 6 }),
  unaryEntry("nn.gelu", (a) => nn.gelu(a), { min: -4, max: 4 }),
  unaryEntry("nn.gelu(exact)", (a) => nn.gelu(a, { approximate: false }), { min: -4, max: 4 }),
  unaryEntry("nn.silu", nn.silu, { min: -4, max: 4 }),
  unaryEntry("nn.elu", (a) => nn.elu(a)),
  unaryEntry("nn.selu", nn.selu),
  unaryEntry("nn.leakyRelu", (a) => nn.leakyRelu(a)),
  alongAxes("nn.softmax", (a, axis) => nn.softmax(a, { axis })),
  alongAxes("nn.logSoftmax", (a, axis) => nn.logSoftmax(a, { axis })),
  alongAxes("nn.logsumexp", (a, axis) => nn.logsumexp(a, { axis }))
]

const nnFunctions: ReadonlyArray<CatalogEntry> = [
  unaryEntry("nn.celu", (a: Array) => nn.celu(a, 0.5)),
  unaryEntry("nn.mish", nn.mish, { min: -4, max: 4 }),
  unaryEntry("nn.softSign", nn.softSign),
  unaryEntry("nn.squareplus", (a: Array) => nn.squareplus(a)),
  unaryEntry("nn.hardTanh", nn.hardTanh, { ...grid, min: -2, max: 2 }),
  unaryEntry("nn.hardSigmoid", nn.hardSigmoid, { ...grid, min: -4, max: 4 }),
  unaryEntry("nn.hardSilu", nn.hardSilu, { ...grid, min: -4, max: 4 }),
  unaryEntry("nn.sparsePlus", nn.sparsePlus, { ...grid, min: -2, max: 2 }),
  unaryEntry("nn.sparseSigmoid", nn.sparseSigmoid, { ...grid, min: -2, max: 2 }),
  unaryEntry("nn.log1mexp", nn.log1mexp, { min: 0.1, max: 5 }),
  entry("nn.glu", (a: Array) => nn.glu(a), [xs([2, 4])]),
  entry("nn.standardize", (a: Array) => nn.standardize(a), [xs([2, 4], { min: -3, max: 3 })]),
  entry("nn.logmeanexp", (a: Array) => nn.logmeanexp(a, { axis: 1 }), [xs([2, 3], { min: -4, max: 4 })]),
  entry("nn.dotProductAttention", (q: Array, k: Array, v: Array) => nn.dotProductAttention(q, k, v, { isCausal: true }), [
    xs([1, 3, 2, 2]),
    xs([1, 3, 1, 2]),
    xs([1, 3, 1, 2])
  ])
]

const binary: ReadonlyArray<CatalogEntry> = [
  binaryEntry("add", np.add),
  binaryEntry("subtract", np.subtract),
  binaryEntry("multiply", np.multiply),
  binaryEntry("divide", np.divide, [{}, { exclude: [[-0.25, 0.25]] }]),
  binaryEntry("power", np.power, [
    { min: 0.2, max: 3 },
    { min: -2, max: 2 }
  ]),
  binaryEntry("maximum", np.maximum, [grid, grid]),
  binaryEntry("minimum", np.minimum, [grid, grid]),
  binaryEntry("arctan2", np.arctan2, [{}, { min: 0.1, max: 2 }]),
  binaryEntry("mod", np.mod, [
    { min: -4, max: 4 },
    { min: 0.5, max: 2 }
  ]),
  binaryEntry("where", (a, b) => np.where(np.greater(a, b), a, np.multiply(b, 2)), [grid, grid])
]

// --- reductions: axis None, one (negative or not) or several in any order, keepdims

interface ReductionSpec {
  readonly shape: ReadonlyArray<number>
  readonly dtype: DType
  readonly axis: number | number[] | null
  readonly keepdims: boolean
}
const reductionSpec = (
  shape: fc.Arbitrary<number[]>,
  dtype: fc.Arbitrary<DType>,
  axis: (rank: number) => fc.Arbitrary<number | number[] | null> = P.axisArg
): fc.Arbitrary<ReductionSpec> =>
  fc
    .record({ shape, dtype })
    .chain(({ shape: s, dtype: d }) => fc.record({ axis: axis(s.length), keepdims: fc.boolean() }).map((r) => ({ shape: s, dtype: d, ...r })))
const smallReduction = reductionSpec(P.shapeOf({ maxRank: 4, maxDim: 3, maxSize: 24 }), floats)
const largeReduction = reductionSpec(P.largeReductionShape(), fc.constant<DType>("float32"), (r) => fc.oneof(P.axisOf(r), fc.constant(null)))

/** How many elements each output of a reduction over `axis` combines. */
const groupSize = ({ shape, axis }: Pick<ReductionSpec, "shape" | "axis">): number => {
  const axes = axis === null ? P.range(shape.length) : (typeof axis === "number" ? [axis] : axis).map((a) => (a < 0 ? a + shape.length : a))
  return axes.reduce((n, a) => n * shape[a]!, 1)
}

type Reduce = (a: Array, o: { axis: number | number[] | null; keepdims: boolean }) => Array
const reduction = (
  name: string,
  f: Reduce,
  values: (shape: ReadonlyArray<number>, dtype: DType) => fc.Arbitrary<Array> = (shape, dtype) => xs(shape, { dtype }),
  o: { readonly spread?: boolean } = {}
): CatalogEntry => {
  // Spread: every group has two elements or more (std, var with ddof=1 are not finite otherwise).
  const spread = (s: ReductionSpec): boolean => o.spread !== true || groupSize(s) >= 2
  return family(name, smallReduction.filter(spread), ({ shape, dtype, axis, keepdims }) => fn((a: Array) => f(a, { axis, keepdims }), [values(shape, dtype)]), {
    large: largeReduction.filter(spread)
  })
}

/** Cumulative reductions along one axis (negative or not) or the flattened array. */
const cumulative = (name: string, f: (a: Array, axis: number | null) => Array, large: fc.Arbitrary<number[]> = P.largeReductionShape()): CatalogEntry =>
  family(
    name,
    P.withShape(P.shapeOf({ maxRank: 3, maxDim: 3, maxSize: 12 }), (s) => (s.length === 0 ? fc.constant(null) : fc.option(P.axisOf(s.length), { nil: null }))),
    ({ shape, param }) => fn((a: Array) => f(a, param), [xs(shape)]),
    { large: P.withShape(large, (s) => P.axisOf(s.length)) }
  )

const reductions: ReadonlyArray<CatalogEntry> = [
  reduction("sum", (a, o) => np.sum(a, o)),
  reduction("prod", (a, o) => np.prod(a, o)),
  reduction("mean", (a, o) => np.mean(a, o)),
  reduction(
    "max",
    (a, o) => np.max(a, o),
    (shape, dtype) => xs(shape, { dtype, ...grid })
  ),
  reduction(
    "min",
    (a, o) => np.min(a, o),
    (shape, dtype) => xs(shape, { dtype, ...grid })
  ),
  reduction("var", (a, o) => np.var(a, o)),
  reduction("var(ddof=1)", (a, o) => np.var(a, { ...o, ddof: 1 }), undefined, { spread: true }),
  // std is not differentiable where a group has no spread: pairwise distinct values.
  reduction(
    "std",
    (a, o) => np.std(a, o),
    (shape, dtype) => distinct(shape, dtype),
    { spread: true }
  ),
  cumulative("cumsum", (a, axis) => np.cumsum(a, { axis })),
  // cumprod's derivative is quadratic in the axis length: large shapes with axes of at most 100.
  cumulative("cumprod", (a, axis) => np.cumprod(a, { axis }), P.tiledShape())
]

// --- shapes

/** An array of a drawn small shape (and a large one), with a parameter drawn for that shape. */
const shaped = <Q>(
  name: string,
  param: (shape: ReadonlyArray<number>) => fc.Arbitrary<Q>,
  f: (a: Array, q: Q) => Array | ReadonlyArray<Array>,
  o: { readonly shape?: fc.Arbitrary<number[]>; readonly large?: fc.Arbitrary<P.Shaped<Q>> } = {}
): CatalogEntry =>
  family(
    name,
    P.withShape(o.shape ?? P.smallShape(), param),
    ({ shape, param: q }) => fn((a: Array) => f(a, q), [xs(shape)]),
    o.large === undefined ? {} : { large: o.large }
  )

const positive = P.shapeOf({ minRank: 1, maxRank: 3, maxDim: 3, maxSize: 24 })
/** A permutation that moves the last axis (the read is transposed: tiled when large). */
const movesLast = (s: ReadonlyArray<number>): fc.Arbitrary<number[]> =>
  P.permutation(s.length).filter((p) => p[p.length - 1] !== s.length - 1 && s[p[p.length - 2]!]! >= 64)
const tiledTranspose = P.withShape(P.tiledShape(), movesLast)

/** Shapes with some size-1 axes, and a subset of them (or null: all). */
const squeezable = P.withShape(
  P.shapeOf({ maxRank: 4, maxDim: 3, maxSize: 24 }).chain((s) =>
    fc.array(fc.boolean(), { minLength: s.length, maxLength: s.length }).map((ones) => s.map((d, i) => (ones[i] ? 1 : d)))
  ),
  (s) => {
    const ones = P.range(s.length).filter((i) => s[i] === 1)
    return fc.option(
      fc
        .shuffledSubarray(ones)
        .chain((axes) =>
          fc.array(fc.boolean(), { minLength: axes.length, maxLength: axes.length }).map((neg) => axes.map((a, i) => (neg[i] ? a - s.length : a)))
        ),
      { nil: null }
    )
  }
)

const shapes: ReadonlyArray<CatalogEntry> = [
  shaped("reshape", P.reshapeOf, (a, s) => np.reshape(a, s)),
  entry("ravel", (a: Array) => np.ravel(a), [array({ shape: { maxRank: 3, maxSize: 12 } })]),
  // Permutations with axes written negative too (NumPy takes them).
  shaped(
    "transpose",
    (s) => fc.option(P.axesOf(s.length, { minLength: s.length }), { nil: null }),
    (a, p) => (p === null ? np.transpose(a) : np.transpose(a, p)),
    { shape: P.smallShape(0, 4), large: tiledTranspose }
  ),
  // The example of a tiled kernel: a transposed read fused with elementwise operations.
  shaped(
    "transpose, scaled",
    (s) => P.permutation(s.length),
    (a, p) => np.transpose(a, p).mul(2).add(1),
    { large: tiledTranspose }
  ),
  shaped(
    "swapaxes",
    (s) => fc.tuple(P.axisOf(s.length), P.axisOf(s.length)),
    (a, [i, j]) => np.swapaxes(a, i, j),
    {
      shape: positive,
      large: P.withShape(P.tiledShape(), () => fc.constant<[number, number]>([-1, -2]))
    }
  ),
  shaped(
    "moveaxis",
    (s): fc.Arbitrary<{ src: number | number[]; dst: number | number[] }> =>
      fc.oneof(
        fc.tuple(P.axisOf(s.length), P.axisOf(s.length)).map(([src, dst]) => ({ src, dst })),
        P.axesOf(s.length).chain((src) => P.axesOf(s.length, { minLength: src.length, maxLength: src.length }).map((dst) => ({ src, dst })))
      ),
    (a, { src, dst }) => np.moveaxis(a, src, dst),
    { shape: positive, large: P.withShape(P.tiledShape(), (s) => fc.constant({ src: s.length - 1, dst: s.length - 2 })) }
  ),
  family("squeeze", squeezable, ({ shape, param }) => fn((a: Array) => (param === null ? np.squeeze(a) : np.squeeze(a, param)), [xs(shape)])),
  shaped(
    "expandDims",
    (s) =>
      fc.oneof(
        fc.integer({ min: -(s.length + 1), max: s.length }),
        fc.integer({ min: 1, max: 2 }).chain((k) => P.axesOf(s.length + k, { minLength: k, maxLength: k }))
      ),
    (a, axis) => np.expandDims(a, axis)
  ),
  shaped("broadcastTo", P.broadcastTarget, (a, t) => np.broadcastTo(a, t)),
  family("concatenate", P.concatSpec(), ({ shapes: ss, axis }) =>
    fn(
      (...as: Array[]) => np.concatenate(as, axis),
      ss.map((s) => xs(s))
    )
  ),
  family("stack", P.stackSpec(), ({ shapes: ss, axis }) =>
    fn(
      (...as: Array[]) => np.stack(as, axis),
      ss.map((s) => xs(s))
    )
  ),
  shaped(
    "flip",
    (s) => fc.oneof(fc.constant(null), ...(s.length === 0 ? [] : [P.axisOf(s.length)]), P.axesOf(s.length)),
    (a, axis) => (axis === null ? np.flip(a) : np.flip(a, axis)),
    {
      large: P.withShape(P.largeShape(), (s) => P.axesOf(s.length, { minLength: 1 }))
    }
  ),
  shaped(
    "tile",
    (s) => fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: s.length + 1 }),
    (a, reps) => np.tile(a, reps),
    { shape: P.shapeOf({ maxRank: 2, maxDim: 3, maxSize: 6 }) }
  ),
  shaped(
    "repeat",
    (s) =>
      fc.record({
        axis: s.length === 0 ? fc.constant(null) : fc.option(P.axisOf(s.length), { nil: null }),
        each: fc.boolean(),
        counts: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 24 })
      }),
    (a, { axis, each, counts }) => {
      const n = axis === null ? a.size : a.shape[axis < 0 ? axis + a.ndim : axis]!
      const repeats = each ? P.range(n).map((i) => counts[i % counts.length]!) : Math.max(1, counts[0]!)
      return axis === null ? np.repeat(a, repeats) : np.repeat(a, repeats, axis)
    },
    { shape: P.shapeOf({ maxRank: 2, maxDim: 3, maxSize: 6 }) }
  ),
  shaped("pad", P.padSpec, (a, { widths, mode }) => np.pad(a, widths, { mode }), { shape: P.shapeOf({ minRank: 1, maxRank: 3, maxDim: 3, maxSize: 12 }) }),
  shaped(
    "split",
    (s) => P.axisOf(s.length).chain((axis) => P.splitOf(s[axis < 0 ? axis + s.length : axis]!).map((k) => ({ axis, k }))),
    (a, { axis, k }) => np.split(a, k, axis),
    { shape: positive }
  ),
  shaped(
    "take",
    (s) =>
      fc.record({
        axis: fc.option(P.axisOf(s.length), { nil: null }),
        shape: fc.constantFrom<number[]>([], [1], [3], [2, 2]),
        keys: fc.array(fc.nat(), { minLength: 4, maxLength: 4 })
      }),
    (a, { axis, shape, keys }) => {
      const n = axis === null ? a.size : a.shape[axis < 0 ? axis + a.ndim : axis]!
      const idx = np.reshape(
        np.array(
          keys.slice(0, sizeOf(shape)).map((k) => k % n),
          { dtype: "int32" }
        ),
        shape
      )
      return axis === null ? np.take(a, idx) : np.take(a, idx, { axis })
    },
    { shape: positive }
  ),
  shaped(
    "index",
    (s) => P.indexSpec(s),
    (a, items) => a.index(...items.map(indexItem)),
    {
      shape: positive,
      large: P.withShape(P.largeShape(), (s) => P.indexSpec(s, { advanced: false }))
    }
  ),
  atEntry("at.set", (r, v) => r.set(v)),
  atEntry("at.add", (r, v) => r.add(v)),
  atEntry("at.multiply", (r, v) => r.multiply(v))
]

/** An index item of np.index from its drawn description. */
function indexItem(it: P.IndexItemSpec): string | number | null | Array {
  if (it === null || typeof it === "string" || typeof it === "number") return it
  return np.reshape(np.array(it.indices, { dtype: "int32" }), it.shape)
}

/** A functional update `a.at(index).op(v)` with the index drawn and v of the indexed shape (or a scalar). */
function atEntry(name: string, op: (r: ReturnType<Array["at"]>, v: Array) => Array): CatalogEntry {
  const spec = P.withShape(positive, (s) => fc.tuple(P.indexSpec(s), fc.boolean())).map(({ shape, param: [items, scalar] }) => {
    const indexed = np.zeros(shape).index(...items.map(indexItem)).shape
    return { shape, items, update: scalar ? [] : indexed }
  })
  return family(name, spec, ({ shape, items, update }) => fn((a: Array, v: Array) => op(a.at(...items.map(indexItem)), v), [xs(shape), xs(update)]))
}

// --- products

/** np.matmul on drawn operands (broadcast batch dims, vectors, transposed layouts). */
const matmulOf =
  ({ transposed: [tx, ty] }: P.MatmulSpec) =>
  (a: Array, b: Array): Array =>
    np.matmul(tx ? np.swapaxes(a, -1, -2) : a, ty ? np.swapaxes(b, -1, -2) : b)

const linalg: ReadonlyArray<CatalogEntry> = [
  family("matmul", P.matmulSpec(), (s) => fn(matmulOf(s), [xs(s.x), xs(s.y)]), { large: P.matmulSpec(P.largeMatmulSizes) }),
  family(
    "dot",
    fc
      .tuple(P.shapeOf({ maxRank: 3, maxDim: 3, maxSize: 12 }), P.shapeOf({ maxRank: 3, maxDim: 3, maxSize: 12 }), fc.integer({ min: 1, max: 3 }))
      .map(([a, b, k]) => {
        // dot contracts a's last axis with b's second-to-last (its only one for a vector).
        const x = a.length === 0 ? a : [...a.slice(0, -1), k]
        const y = b.length === 0 || a.length === 0 ? b : b.length === 1 ? [k] : [...b.slice(0, -2), k, b[b.length - 1]!]
        return { x, y }
      }),
    ({ x, y }) => fn((a: Array, b: Array) => np.dot(a, b), [xs(x), xs(y)])
  ),
  entry("vdot", (a: Array, b: Array) => np.vdot(a, b), [xs([4]), xs([2, 2])]),
  family(
    "inner",
    fc.tuple(P.shapeOf({ maxRank: 2, maxDim: 3 }), P.shapeOf({ maxRank: 2, maxDim: 3 }), fc.integer({ min: 1, max: 3 })).map(([a, b, k]) => ({
      x: a.length === 0 ? a : [...a.slice(0, -1), k],
      y: b.length === 0 || a.length === 0 ? b : [...b.slice(0, -1), k]
    })),
    ({ x, y }) => fn((a: Array, b: Array) => np.inner(a, b), [xs(x), xs(y)])
  ),
  family("outer", fc.tuple(P.shapeOf({ maxRank: 2, maxDim: 3 }), P.shapeOf({ maxRank: 2, maxDim: 3 })), ([x, y]) =>
    fn((a: Array, b: Array) => np.outer(a, b), [xs(x), xs(y)])
  ),
  family("tensordot", P.tensordotSpec(), ({ a, b, axes }) => fn((x: Array, y: Array) => np.tensordot(x, y, axes as number), [xs(a), xs(b)])),
  family("einsum", P.einsumSpec(), ({ subscripts, shapes: ss }) =>
    fn(
      (...as: Array[]) => np.einsum(subscripts, ...as),
      ss.map((s) => xs(s))
    )
  ),
  family("lax.dotGeneral", P.dotGeneralSpec(), ({ lhs, rhs, dimensionNumbers }) =>
    fn((a: Array, b: Array) => lax.dotGeneral(a, b, dimensionNumbers), [xs(lhs), xs(rhs)])
  ),
  family("lax.convGeneralDilated", convSpec, (c) =>
    fn(
      (a: Array, b: Array) =>
        lax.convGeneralDilated(a, b, c.strides, c.padding, {
          lhsDilation: c.lhsDilation,
          rhsDilation: c.rhsDilation,
          dimensionNumbers: c.dn,
          featureGroupCount: c.groups
        }),
      [xs(c.lhs), xs(c.rhs)]
    )
  ),
  family("lax.reduceWindow sum", windowSpec, (w) =>
    fn((a: Array) => lax.reduceWindow(a, 0, lax.add, w.window, { windowStrides: w.strides, padding: w.padding }), [xs(w.shape)])
  ),
  family("lax.reduceWindow max", windowSpec, (w) =>
    fn((a: Array) => lax.reduceWindow(a, -Infinity, lax.max, w.window, { windowStrides: w.strides, padding: w.padding }), [distinct(w.shape)])
  ),
  family(
    "correlate",
    fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.constantFrom("valid" as const, "same" as const, "full" as const)),
    ([n, m, mode]) => fn((a: Array, b: Array) => np.correlate(a, b, { mode }), [xs([n]), xs([m])])
  )
]

// --- np.linalg and scipy.linalg compositions (their primitives' rules: laws/primitives.test.ts).
// Matrices are shifted by 4 I inside the function: well conditioned, the same derivatives.
const shifted = (a: Array): Array => a.add(np.eye(a.shape[a.ndim - 1]!).mul(4))
const spdOf = (a: Array): Array => np.matmul(a, np.swapaxes(a, -1, -2)).add(np.eye(a.shape[a.ndim - 1]!).mul(2))
const matrixBatch = fc.record({ batch: fc.constantFrom<ReadonlyArray<number>>([], [2]), n: fc.integer({ min: 1, max: 3 }) })
const decompositions: ReadonlyArray<CatalogEntry> = [
  family("np.linalg.solve", matrixBatch, ({ batch, n }) =>
    fn((a: Array, b: Array) => np.linalg.solve(shifted(a), b), [xs([...batch, n, n], { min: -1, max: 1 }), xs([...batch, n, 2])])
  ),
  family("np.linalg.inv", matrixBatch, ({ batch, n }) => fn((a: Array) => np.linalg.inv(shifted(a)), [xs([...batch, n, n], { min: -1, max: 1 })])),
  family("np.linalg.slogdet", matrixBatch, ({ batch, n }) => fn((a: Array) => np.linalg.slogdet(shifted(a))[1], [xs([...batch, n, n], { min: -1, max: 1 })])),
  family("np.linalg.eigvalsh", matrixBatch, ({ batch, n }) =>
    fn((a: Array) => np.linalg.eigvalsh(spdOf(a).add(np.diag(np.arange(n).mul(3)))), [xs([...batch, n, n], { min: -1, max: 1 })])
  ),
  family("np.linalg.pinv", matrixBatch, ({ batch, n }) => fn((a: Array) => np.linalg.pinv(shifted(a)), [xs([...batch, n, n], { min: -1, max: 1 })])),
  family("np.linalg.norm fro", matrixBatch, ({ batch, n }) =>
    fn((a: Array) => np.linalg.norm(shifted(a), { ord: "fro", axis: [-2, -1] }), [xs([...batch, n, n], { min: -1, max: 1 })])
  ),
  family("scipy.linalg.expm", matrixBatch, ({ batch, n }) => fn((a: Array) => scipy.linalg.expm(a), [xs([...batch, n, n], { min: -1, max: 1 })])),
  family("scipy.linalg.choSolve", matrixBatch, ({ batch, n }) =>
    fn(
      (a: Array, b: Array) => scipy.linalg.choSolve(scipy.linalg.choFactor(spdOf(a), { lower: true }), b),
      [xs([...batch, n, n], { min: -1, max: 1 }), xs([...batch, n, 2])]
    )
  ),
  family("scipy.linalg.toeplitz", fc.record({ m: fc.integer({ min: 1, max: 4 }), n: fc.integer({ min: 1, max: 4 }) }), ({ m, n }) =>
    fn((c: Array, r: Array) => scipy.linalg.toeplitz(c, r), [xs([m]), xs([n])])
  ),
  family("scipy.linalg.polar", matrixBatch, ({ batch, n }) =>
    fn((a: Array) => scipy.linalg.polar(a.add(np.diag(np.arange(n).mul(2).add(4))), { method: "svd" })[1], [xs([...batch, n, n], { min: -1, max: 1 })])
  )
]

// --- np.fft, as real functions: complex inputs from two real parts, complex outputs as (re, im)

/** The real and imaginary parts of a complex result (a real one as it is). */
const parts = (y: Array): Array | readonly [Array, Array] => (y.dtype.startsWith("complex") ? [lax.real(y), lax.imag(y)] : y)
const fftNorm = fc.constantFrom(undefined, "ortho" as const, "forward" as const)
/** A transformed length (1 to 7: radix 2, 3, 4, 5 and a direct prime) with an optional crop or pad. */
const fftSpec = fc.record({
  batch: fc.integer({ min: 1, max: 2 }),
  m: fc.integer({ min: 1, max: 7 }),
  n: fc.option(fc.integer({ min: 1, max: 7 }), { nil: undefined }),
  norm: fftNorm
})
const fft: ReadonlyArray<CatalogEntry> = [
  family("np.fft.fft", fftSpec, ({ batch, m, n, norm }) =>
    fn((re: Array, im: Array) => parts(np.fft.fft(lax.complex(re, im), { n, norm })), [xs([batch, m]), xs([batch, m])])
  ),
  family("np.fft.rfft", fftSpec, ({ batch, m, n, norm }) => fn((a: Array) => parts(np.fft.rfft(a, { n, norm, axis: 0 })), [xs([m, batch])])),
  family("np.fft.irfft", fftSpec, ({ batch, m, n, norm }) =>
    fn((re: Array, im: Array) => np.fft.irfft(lax.complex(re, im), { n: n ?? Math.max(1, 2 * (m - 1)), norm }), [xs([batch, m]), xs([batch, m])])
  ),
  family("np.fft.hfft", fftSpec, ({ batch, m, n }) =>
    fn((re: Array, im: Array) => np.fft.hfft(lax.complex(re, im), { n: n ?? Math.max(1, 2 * (m - 1)) }), [xs([batch, m]), xs([batch, m])])
  ),
  family("np.fft.ihfft", fftSpec, ({ batch, m, n }) => fn((a: Array) => parts(np.fft.ihfft(a, { n })), [xs([batch, m])])),
  family("np.fft.ifftn", fc.record({ a: fc.integer({ min: 1, max: 4 }), b: fc.integer({ min: 1, max: 4 }), norm: fftNorm }), ({ a, b, norm }) =>
    fn((re: Array, im: Array) => parts(np.fft.ifftn(lax.complex(re, im), { norm })), [xs([a, b]), xs([a, b])])
  ),
  family("np.fft.rfft2", fc.record({ a: fc.integer({ min: 1, max: 4 }), b: fc.integer({ min: 1, max: 5 }), norm: fftNorm }), ({ a, b, norm }) =>
    fn((x: Array) => parts(np.fft.rfft2(x, { norm, axes: [1, 0] })), [xs([a, b])])
  ),
  family("np.fft.irfftn", fc.record({ a: fc.integer({ min: 1, max: 3 }), b: fc.integer({ min: 1, max: 6 }), norm: fftNorm }), ({ a, b, norm }) =>
    fn((re: Array, im: Array) => np.fft.irfftn(lax.complex(re, im), { s: [a, b], norm }), [xs([a, 3]), xs([a, 3])])
  )
]

// --- functions with integer or boolean outputs (or inputs): only jit and vmap apply

const ints = fc.constantFrom<DType>("int32", "uint32")
/** Values that straddle 2^31 for uint32 (negative as int32) and large magnitudes for int32. */
const wide = (dtype: DType): ValueOptions =>
  dtype === "uint32"
    ? { min: 0, max: 2 ** 32 - 1, elements: fc.oneof(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 2 ** 31 - 2, max: 2 ** 32 - 1 })) }
    : { min: -(2 ** 31), max: 2 ** 31 - 1, elements: fc.oneof(fc.integer({ min: -5, max: 5 }), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })) }
const intReduction = reductionSpec(P.shapeOf({ maxRank: 3, maxDim: 3, maxSize: 12 }), ints)
const intLarge = reductionSpec(P.largeReductionShape(), ints, (r) => fc.oneof(P.axisOf(r), fc.constant(null)))
const intReduce = (name: string, f: Reduce): CatalogEntry =>
  family(name, intReduction, ({ shape, dtype, axis, keepdims }) => fn((a: Array) => f(a, { axis, keepdims }), [xs(shape, { dtype, ...wide(dtype) })]), {
    differentiable: false,
    large: intLarge
  })

type ArgReduce = (a: Array, o: { axis: number | null; keepdims: boolean }) => Array
const argReduction = (name: string, f: ArgReduce): CatalogEntry =>
  family(
    name,
    reductionSpec(P.shapeOf({ maxRank: 3, maxDim: 3, maxSize: 12 }), fc.constantFrom<DType>("float32", "float64", "int32", "uint32"), (r) =>
      r === 0 ? fc.constant(null) : fc.option(P.axisOf(r), { nil: null })
    ),
    ({ shape, dtype, axis, keepdims }) =>
      fn(
        (a: Array) => f(a, { axis: axis as number | null, keepdims }),
        [xs(shape, dtype === "float32" || dtype === "float64" ? { dtype, step: 1 / 4 } : { dtype, ...wide(dtype) })]
      ),
    { differentiable: false, large: reductionSpec(P.largeReductionShape(), fc.constant<DType>("float32"), (r) => P.axisOf(r)) }
  )

/** Integer operations that wrap (int32, uint32), on broadcast operands. */
const both =
  (f: (x: Array, y: Array) => Array) =>
  (a: Array, b: Array): Array => {
    const [x, y] = np.broadcastArrays(a, b)
    return f(x!, y!)
  }
const intOps = {
  add: np.add,
  subtract: np.subtract,
  multiply: np.multiply,
  maximum: np.maximum,
  minimum: np.minimum,
  and: both(lax.and),
  or: both(lax.or),
  xor: both(lax.xor)
} as const

const anyDtype = fc.constantFrom<DType>("float32", "float64", "int32", "uint32", "bool")
const discreteValues = (dtype: DType): ValueOptions =>
  dtype === "float32" || dtype === "float64" ? { min: -4, max: 4, step: 1 / 2 } : dtype === "bool" ? {} : { min: dtype === "uint32" ? 0 : -4, max: 4 }

const discrete: ReadonlyArray<CatalogEntry> = [
  family(
    "comparisons",
    fc.record({
      spec: binarySpec(P.shapeOf({ maxRank: 3, maxDim: 3, maxSize: 12 }), anyDtype),
      op: fc.constantFrom("greater", "less", "equal", "notEqual", "greaterEqual", "lessEqual") as fc.Arbitrary<keyof typeof np & string>
    }),
    ({
      spec: {
        shapes: [s, t],
        dtypes: [d, e]
      },
      op
    }) =>
      fn(
        ([a, b]: Pair) => (np[op] as (x: Array, y: Array) => Array)(a, b),
        [fc.tuple(xs(s, { dtype: d, ...discreteValues(d) }), xs(t, { dtype: e, ...discreteValues(e) }))]
      ),
    { differentiable: false }
  ),
  entry("isfinite", (a: Array) => np.isfinite(np.divide(a, a)), [array({ shape: { maxRank: 2, maxDim: 3 }, step: 1 / 4 })], { differentiable: false }),
  argReduction("argmax", (a, o) => np.argmax(a, o)),
  argReduction("argmin", (a, o) => np.argmin(a, o)),
  intReduce("sum (integers)", (a, o) => np.sum(a, o)),
  intReduce("max (integers)", (a, o) => np.max(a, o)),
  intReduce("min (integers)", (a, o) => np.min(a, o)),
  family(
    "integer arithmetic",
    fc.record({
      spec: binarySpec(P.shapeOf({ maxRank: 2, maxDim: 3, maxSize: 9 }), ints),
      op: fc.constantFrom(...(Object.keys(intOps) as ReadonlyArray<keyof typeof intOps>))
    }),
    ({
      spec: {
        shapes: [s, t],
        dtypes: [d]
      },
      op
    }) => fn(([a, b]: Pair) => intOps[op](a, b), [fc.tuple(xs(s, { dtype: d, ...wide(d) }), xs(t, { dtype: d, ...wide(d) }))]),
    { differentiable: false }
  ),
  family(
    "floorDivide",
    fc.record({ dtype: fc.constantFrom<DType>("float32", "int32", "uint32"), shape: P.smallShape(1, 2) }),
    ({ dtype, shape }) =>
      fn((a: Array, b: Array) => np.floorDivide(a, b), [xs(shape, { dtype, min: dtype === "uint32" ? 0 : -4, max: 4 }), xs(shape, { dtype, min: 1, max: 3 })]),
    { differentiable: false }
  ),
  family(
    "astype",
    fc.record({ from: anyDtype, to: anyDtype, shape: P.smallShape(0, 2) }),
    ({ from, to, shape }) =>
      fn(
        (a: Array) => a.astype(to),
        [xs(shape, { dtype: from, ...(from === "float32" || from === "float64" ? { min: to === "uint32" ? 0 : -100, max: 100 } : discreteValues(from)) })]
      ),
    { differentiable: false }
  ),
  entry("nn.oneHot", (a: Array) => nn.oneHot(a.astype("int32"), 4), [xs([3], { min: 0, max: 3.9 })], { differentiable: false })
]

/**
 * Sorting and order statistics: pairwise distinct values (no ties, where these functions have
 * kinks), static axes and quantiles drawn.
 */
const sortShape = fc.record({ shape: fc.constantFrom([5], [3, 4], [2, 3, 2]), dtype: floats })
const lastAxis = (shape: ReadonlyArray<number>): number => shape.length - 1
const sorting: ReadonlyArray<CatalogEntry> = [
  family("np.sort", fc.record({ t: sortShape, descending: fc.boolean() }), ({ t: { shape, dtype }, descending }) =>
    fn((a: Array) => np.sort(a, { axis: 0, descending }), [distinct(shape, dtype)])
  ),
  family("lax.topK", sortShape, ({ shape, dtype }) => fn((a: Array) => lax.topK(a, 2)[0], [distinct(shape, dtype)])),
  family("np.partition", sortShape, ({ shape, dtype }) => fn((a: Array) => np.partition(a, 1), [distinct(shape, dtype)])),
  family("np.median", sortShape, ({ shape, dtype }) => fn((a: Array) => np.median(a, { axis: lastAxis(shape) }), [distinct(shape, dtype)])),
  family(
    "np.quantile",
    fc.record({ t: sortShape, method: fc.constantFrom("linear" as const, "lower" as const, "higher" as const, "midpoint" as const, "nearest" as const) }),
    ({ t: { shape, dtype }, method }) => fn((a: Array) => np.quantile(a, [0.3, 0.85], { axis: 0, method }), [distinct(shape, dtype)])
  ),
  family("np.average", sortShape, ({ shape, dtype }) =>
    fn(
      (a: Array, w: Array) => np.average(a, { axis: lastAxis(shape), weights: w }),
      [distinct(shape, dtype), xs([shape[shape.length - 1]!], { dtype, min: 0.5, max: 2 })]
    )
  ),
  family("np.cov", fc.record({ dtype: floats }), ({ dtype }) => fn((a: Array) => np.cov(a), [distinct([3, 4], dtype)])),
  family("np.nanvar", sortShape, ({ shape, dtype }) => fn((a: Array) => np.nanvar(a, { axis: 0 }), [distinct(shape, dtype)]))
]

/** Every entry, grouped by topic. */
export const catalog: Readonly<Record<string, ReadonlyArray<CatalogEntry>>> = {
  unary,
  activations,
  nnFunctions,
  binary,
  reductions,
  shapes,
  linalg,
  decompositions,
  fft,
  sorting,
  discrete
}

/** All entries in one list. */
export const allEntries = (): ReadonlyArray<CatalogEntry> => Object.values(catalog).flat()

/** A stable seed per function and law, so each test replays the same cases. */
export const seedOf = (s: string): number => {
  let h = 2166136261
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619)
  return h >>> 0
}

// ---------------------------------------------------------------------------------------------
// Checking a law on an entry

/** A law on one function: e.g. `(f, args) => laws.jitMatchesEager(f, args)`. */
export type LawOn = (f: AnyFn, args: ReadonlyArray<fc.Arbitrary<unknown>>) => fc.IProperty<[unknown]>

/** The law named `law` on an entry's variants (small, or large: the entry's `large`). */
export const entryProperty = (e: CatalogEntry, law: string, on: LawOn, which: "small" | "large" = "small"): LawProperty<Described<DrawnCase<Variant>>> => {
  const variants = which === "small" ? e.variants : e.large
  if (variants === undefined) throw new RangeError(`catalog entry ${e.name} has no large variants`)
  return overDraws(
    law,
    e.name,
    variants,
    (v) => v[fc.toStringMethod](),
    (v) => on(v.f, v.args)
  )
}
