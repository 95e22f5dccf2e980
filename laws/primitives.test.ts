/**
 * Every registered primitive against `primitiveRulesHold` (issue 7): its jvp rule against central
 * differences of its implementation, its transpose rule against the adjoint identity with its
 * jvp, its batching rule against a loop over examples. Each case picks params and inputs the
 * primitive is defined on (and smooth on, for the jvp check: logs of positive numbers, no ties for
 * max/min/sort, no integer points for floor/round, ...). Float inputs are float64, so the rules are
 * checked rather than rounding.
 *
 * Control-flow and call primitives (cond, while, scan, jit, custom_jvp_call, custom_vjp_call,
 * checkpoint) carry sub-programs: their params and input types come from tracing tiny functions
 * through the public API (`makeJaxpr`) and taking the equation of that primitive.
 *
 * The coverage test fails when a primitive is registered without a case here.
 */
import fc from "fast-check"
import { afterEach, describe, expect, it } from "vitest"
import { allPrimitives, lookupPrimitive, type Params, Primitive, Zero } from "../core/primitive.js"
import type { Eqn } from "../core/ir.js"
import { ShapedArray } from "../core/array.js"
import { type Array, checkpoint, clearCaches, customJvp, customVjp, type DType, jit, jvp, lax, makeJaxpr, np, vjp, vmap } from "../index.js"
import { traceToJaxpr } from "../core/interpreters/stage.js"
import { overDraws } from "./drawn.js"
import * as laws from "./index.js"
import * as P from "./params.js"

const { arb } = laws

type Arbs = ReadonlyArray<fc.Arbitrary<Array>>
type Options = laws.PrimitiveLawOptions<Params>

interface Case {
  /** The primitive's registered name. */
  readonly name: string
  /** What distinguishes this case from others of the same primitive. */
  readonly label?: string
  readonly arbs?: Arbs | (() => Arbs)
  readonly options?: Options | (() => Options)
  /** Instead of fixed arbs and options: params and input shapes drawn together, per run. */
  readonly draw?: fc.Arbitrary<Drawn>
  /** The primitive under test (default: the registered one). */
  readonly prim?: () => Primitive
}

/** One drawn instance of a case: its inputs' arbitraries and options (params included). */
interface Drawn {
  readonly arbs: Arbs
  readonly options: Options
  /** The drawn spec, for reports. */
  readonly shown: string
}

/** conv_general_dilated params with JAX's defaults for what is not given (rank from windowStrides or padding). */
const convParams = (p: {
  windowStrides?: number[]
  padding: [number, number][]
  lhsDilation?: number[]
  rhsDilation?: number[]
  dimensionNumbers?: { lhsSpec: number[]; rhsSpec: number[]; outSpec: number[] }
  featureGroupCount?: number
  batchGroupCount?: number
}): Params => {
  const ns = p.padding.length
  const ones = globalThis.Array.from({ length: ns }, () => 1)
  const id = globalThis.Array.from({ length: ns + 2 }, (_: unknown, i: number) => i)
  return {
    windowStrides: p.windowStrides ?? ones,
    padding: p.padding,
    lhsDilation: p.lhsDilation ?? ones,
    rhsDilation: p.rhsDilation ?? ones,
    dimensionNumbers: p.dimensionNumbers ?? { lhsSpec: id, rhsSpec: id, outSpec: id },
    featureGroupCount: p.featureGroupCount ?? 1,
    batchGroupCount: p.batchGroupCount ?? 1,
    preferredElementType: null
  }
}

// ---------------------------------------------------------------------------------------------
// Arbitraries

const F64: DType = "float64"
/** A fixed shape, or shape bounds. */
type Shape = ReadonlyArray<number> | laws.arb.ShapeOptions
/** Any shape of rank <= 3 with at most 12 elements (rank 0 included). */
const anyShape: Shape = { maxRank: 3, maxSize: 12 }
/** float64 values on a 1/16 grid in [min, max] (default [-2, 2]). */
const f64 = (shape: Shape, o: { min?: number; max?: number; exclude?: ReadonlyArray<readonly [number, number]>; step?: number } = {}) =>
  arb.array({ shape, dtype: F64, step: o.step ?? 1 / 16, min: o.min ?? -2, max: o.max ?? 2, ...(o.exclude === undefined ? {} : { exclude: o.exclude }) })
/** complex128 arrays (float64 parts on the 1/16 grid in [-2, 2]). */
const c128 = (shape: ReadonlyArray<number>) => fc.tuple(f64(shape), f64(shape)).map(([re, im]) => lax.complex(re, im))
/** Integer arrays of a dtype, in [min, max]. */
const ints = (shape: ReadonlyArray<number>, dtype: DType, min: number, max: number) => arb.array({ shape, dtype, min, max })
const bools = (shape: ReadonlyArray<number>) => arb.array({ shape, dtype: "bool" })
const sizeOf = (shape: ReadonlyArray<number>): number => shape.reduce((a, b) => a * b, 1)
/** float64 arrays whose elements are pairwise distinct (multiples of 1/16 in [-2.5, 2.5]): no ties for max/min/sort. */
/** Complex128 arrays from two float64 parts. */
const complexOf = (shape: Shape) => fc.tuple(f64(shape), f64(shape)).map(([re, im]) => lax.complex(re, im))
const distinct = (shape: ReadonlyArray<number>) =>
  fc.uniqueArray(fc.integer({ min: -40, max: 40 }), { minLength: sizeOf(shape), maxLength: sizeOf(shape) }).map((ks) =>
    arb.fromValues(
      ks.map((k) => k / 16),
      shape,
      F64
    )
  )
/** float64 values k/8 + 1/16: never an integer or a half-integer (floor, ceil, round, rem are smooth there). */
const offGrid = (shape: Shape, min = -4, max = 4) =>
  arb.array({ shape, dtype: F64, elements: fc.integer({ min: min * 8, max: max * 8 - 1 }).map((k) => k / 8 + 1 / 16) })
/** Pairwise distinct integer indices in [0, n) (scatter modes whose derivative needs unique indices). */
const uniqueIndices = (shape: ReadonlyArray<number>, n: number) =>
  fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { minLength: sizeOf(shape), maxLength: sizeOf(shape) }).map((ks) => arb.fromValues(ks, shape, "int32"))
/** Any float64 value, infinities and NaN included. */
const anyF64 = (shape: ReadonlyArray<number>) =>
  fc
    .array(fc.oneof(fc.constantFrom(Infinity, -Infinity, Number.NaN, 0), fc.double({ min: -1e300, max: 1e300, noNaN: true })), {
      minLength: sizeOf(shape),
      maxLength: sizeOf(shape)
    })
    .map((vs) => arb.fromValues(vs, shape, F64))
/** Symmetric positive definite matrices B B^T + n I from float64 B on the grid. */
const spdOf = (shape: ReadonlyArray<number>) => {
  const n = shape[shape.length - 1]!
  return f64(shape).map((b) => np.matmul(b, np.swapaxes(b, -1, -2)).add(np.eye(n, n, { dtype: F64 }).mul(n)))
}
/** x plus `scale` times a diagonal (default ones) on its last two axes: well conditioned, with distinct diagonal entries when given. */
const shifted = (x: fc.Arbitrary<Array>, scale: number, diag?: ReadonlyArray<number>) =>
  x.map((a) => {
    const m = a.shape[a.ndim - 2]!
    const n = a.shape[a.ndim - 1]!
    const d = P.range(m).map((i) => P.range(n).map((j) => (i === j ? scale * (diag?.[i] ?? 1) : 0)))
    return a.mul(0.25).add(np.array(d, { dtype: F64 }))
  })
/** Symmetric n x n matrices with well-separated eigenvalues (a small symmetric part plus diag(0, 3, 6, ...)). */
const separated = (n: number) =>
  f64([n, n]).map((a) =>
    a
      .add(np.swapaxes(a, 0, 1))
      .mul(0.25)
      .add(
        np.array(
          P.range(n).map((i) => P.range(n).map((j) => (i === j ? 3 * i : 0))),
          { dtype: F64 }
        )
      )
  )
/** Threefry key data: uint32[...lead, 2]. */
const keys = (lead: ReadonlyArray<number>) => arb.array({ shape: [...lead, 2], dtype: "uint32", min: 0, max: 0xffffffff })

/**
 * A case whose params and input shapes are drawn together (from `params.ts`): the laws then cover
 * the primitive's parameter space, not one point of it.
 */
const drawn = <S>(name: string, label: string, spec: fc.Arbitrary<S>, make: (s: S) => { readonly arbs: Arbs; readonly options: Options }): Case => ({
  name,
  label,
  draw: spec.map((s) => ({ ...make(s), shown: JSON.stringify(s) }))
})
/** A shape of rank minRank..maxRank, dims 1..3, at most `maxSize` elements. */
const shapeIn = (minRank: number, maxRank: number, maxSize = 12) => P.shapeOf({ minRank, maxRank, maxDim: 3, maxSize })
/** Sorted distinct axes of a rank-r array (lax takes them non-negative). */
const sortedAxes = (rank: number, minLength = 0) => fc.subarray(P.range(rank), { minLength })
/** Operand shapes of a lax binary operation: equal rank with dims equal or 1, or rank 0. */
const laxPair = P.shapeOf({ maxRank: 3, maxDim: 3, maxSize: 12 }).chain((s) => {
  const operand = fc.oneof(
    { arbitrary: fc.array(fc.boolean(), { minLength: s.length, maxLength: s.length }).map((ones) => s.map((d, i) => (ones[i] ? 1 : d))), weight: 4 },
    { arbitrary: fc.constant<number[]>([]), weight: 1 }
  )
  return fc.tuple(operand, operand)
})
/** Pairwise distinct integers in [lo, hi] as a drawn array of `dtype` (no ties). */
const distinctInts = (shape: ReadonlyArray<number>, dtype: DType, lo: number, hi: number) =>
  fc.uniqueArray(fc.integer({ min: lo, max: hi }), { minLength: sizeOf(shape), maxLength: sizeOf(shape) }).map((ks) => arb.fromValues(ks, shape, dtype))
/** uint32 values straddling 2^31 (negative as int32), or int32 values of any magnitude. */
const wideInts = (shape: ReadonlyArray<number>, dtype: DType) =>
  dtype === "uint32"
    ? arb.array({
        shape,
        dtype,
        min: 0,
        max: 2 ** 32 - 1,
        elements: fc.oneof(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 2 ** 31 - 3, max: 2 ** 32 - 1 }))
      })
    : arb.array({
        shape,
        dtype,
        min: -(2 ** 31),
        max: 2 ** 31 - 1,
        elements: fc.oneof(fc.integer({ min: -5, max: 5 }), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }))
      })

// ---------------------------------------------------------------------------------------------
// Sub-programs from the public API

const zeros = (shape: ReadonlyArray<number>, dtype: DType = F64): Array => np.zeros(shape, { dtype })

/** The first equation of `name` in the jaxpr of f at these arguments. */
const eqnOf = (name: string, f: (...args: never[]) => unknown, ...args: ReadonlyArray<unknown>): Eqn => {
  const closed = makeJaxpr(f as (...a: unknown[]) => unknown)(...args)
  const e = closed.jaxpr.eqns.find((q) => q.primitive.name === name)
  if (e === undefined) throw new Error(`no ${name} equation in ${closed.toString()}`)
  if (closed.jaxpr.constVars.length > 0) throw new Error(`the traced function for ${name} captured constants: ${closed.toString()}`)
  return e
}

/** Arbitraries for an equation's inputs: overrides by position, else by type (floats on a 1/16 grid in [-2, 2]). */
const inputArbs = (e: Eqn, overrides: Readonly<Record<number, fc.Arbitrary<Array>>> = {}): Arbs =>
  e.inputs.map((v, i) => {
    const o = overrides[i]
    if (o !== undefined) return o
    const a = v.aval
    if (a.dtype === "float32" || a.dtype === "float64") return f64(a.shape).map((x) => x.astype(a.dtype))
    if (a.dtype === "bool") return bools(a.shape)
    return ints(a.shape, a.dtype, 0, 3)
  })

/** A primitive case from a traced equation: its params and input types. */
const traced = (name: string, label: string, build: () => { eqn: Eqn; overrides?: Readonly<Record<number, fc.Arbitrary<Array>>>; options?: Options }): Case => {
  let memo: ReturnType<typeof build> | undefined
  const get = () => (memo ??= build())
  return {
    name,
    label,
    arbs: () => inputArbs(get().eqn, get().overrides),
    options: () => ({ ...get().options, params: get().eqn.params })
  }
}

// ---------------------------------------------------------------------------------------------
// custom_lin: the tangent of a customVjp function. It has no forward evaluation by design (its impl
// refuses forward mode, as JAX's does), so its transpose rule (the user's bwd, plumbed through
// residuals) is checked on an unregistered copy whose impl is the linear map the bwd transposes.

const scaledSin = customVjp((x: Array, w: Array) => np.sin(x).mul(w), { name: "scaled_sin" })
scaledSin.defvjp(
  (x, w) => [np.sin(x).mul(w), [x, w] as const],
  ([x, w], ct) => [ct.mul(np.cos(x)).mul(w), ct.mul(np.sin(x))]
)
/** d(sin(x) w) = cos(x) w dx + sin(x) dw, on residuals (x, w) and tangents (dx, dw). */
const scaledSinLinear = ([x, w, dx, dw]: ReadonlyArray<Array>): Array[] => [np.cos(x!).mul(w!).mul(dx!).add(np.sin(x!).mul(dw!))]

/** custom_lin's equation in the jvp of scaledSin: inputs [residuals x, w, tangents dx, dw]. */
let customLinMemo: Eqn | undefined
const customLinEqn = (): Eqn =>
  (customLinMemo ??= eqnOf(
    "custom_lin",
    (x: Array, w: Array, dx: Array, dw: Array) => jvp(scaledSin, [x, w], [dx, dw])[1],
    zeros([3]),
    zeros([3]),
    zeros([3]),
    zeros([3])
  ))

const customLinCopy = (): Primitive => {
  const real = lookupPrimitive("custom_lin")!
  const copy = new Primitive<Params>("custom_lin", real.shapeRule, real.multipleResults)
  copy.transpose = real.transpose
  copy.impl = (args) => scaledSinLinear(args)
  return copy as unknown as Primitive
}

// ---------------------------------------------------------------------------------------------
// The cases

const debugLines: string[] = []

/**
 * A collective needs the transformation that binds its axis: its case checks a stand-in primitive
 * on [n, m, ...] inputs that applies it over the named axis "i" (dimension 0) inside a vmap of
 * another axis (dimension 1). The stand-in's jvp, transpose and batching rules are jaxfx's
 * transformations of that program, so they run the collective's own rules under the axis that
 * binds it and under an unrelated vmap.
 */
const collective = (name: string, label: string, op: (x: Array) => Array, arbs: Arbs, options: Options = {}): Case => {
  const g = (x: Array): Array => vmap((xi: Array) => vmap(op)(xi), { axisName: "i" })(x)
  const stand = new Primitive(`${name}_over_axis`, (avals) => [traceToJaxpr(avals, (xs) => [[g(xs[0]!)], undefined])[0].jaxpr.outs[0]!.aval])
  stand.impl = ([x]) => [g(x!)]
  stand.jvp = ([x], [t]) => {
    const [o, to] = jvp(g, [x!], [t!])
    return [[o], [to]]
  }
  stand.transpose = ([ct], [x]) => {
    const aval = (x as { readonly aval: { readonly shape: ReadonlyArray<number>; readonly dtype: DType } }).aval
    const [, back] = vjp(g, np.zeros(aval.shape, { dtype: aval.dtype }))
    return [back(ct instanceof Zero ? np.zeros(ct.aval.shape, { dtype: ct.aval.dtype }) : ct!)[0]!]
  }
  stand.batch = ([x], [d]) => [[vmap(g, { inAxes: d ?? null })(x!) as Array], [0]]
  return { name, label, prim: () => stand as unknown as Primitive, arbs, options }
}

const cases: ReadonlyArray<Case> = [
  // --- reductions
  { name: "reduce_sum", arbs: [f64([2, 3, 2])], options: { params: { axes: [1] } } },
  { name: "reduce_sum", label: "all axes", arbs: [f64([2, 3])], options: { params: { axes: [0, 1] } } },
  { name: "reduce_max", arbs: [distinct([2, 3, 2])], options: { params: { axes: [0, 2] } } },
  { name: "reduce_min", arbs: [distinct([2, 3])], options: { params: { axes: [1] } } },
  { name: "reduce_max", label: "int32", arbs: [ints([2, 3], "int32", -5, 5)], options: { params: { axes: [1] } } },
  { name: "reduce_min", label: "bool", arbs: [bools([2, 3])], options: { params: { axes: [0] } } },
  { name: "reduce_prod", arbs: [f64([2, 3, 2])], options: { params: { axes: [1, 2] } } },
  { name: "argmax", arbs: [f64([3, 4], { step: 1 / 2 })], options: { params: { axis: 1, indexDtype: "int32" } } },
  { name: "argmin", arbs: [f64([3, 4], { step: 1 / 2 })], options: { params: { axis: 0, indexDtype: "int32" } } },
  { name: "cumsum", arbs: [f64([3, 4])], options: { params: fc.record({ axis: fc.constantFrom(0, 1), reverse: fc.boolean() }) } },
  { name: "cumprod", arbs: [f64([3, 4])], options: { params: fc.record({ axis: fc.constantFrom(0, 1), reverse: fc.boolean(), exclusive: fc.boolean() }) } },

  // --- structural
  { name: "broadcast_in_dim", arbs: [f64([3, 1])], options: { params: { shape: [2, 3, 4], broadcastDimensions: [1, 2] } } },
  { name: "reshape", arbs: [f64([2, 3])], options: { params: { newSizes: [3, 1, 2] } } },
  { name: "transpose", arbs: [f64([2, 3, 1])], options: { params: { permutation: [2, 0, 1] } } },
  { name: "slice", arbs: [f64([3, 5])], options: { params: { startIndices: [1, 0], limitIndices: [3, 5], strides: [1, 2] } } },
  {
    name: "pad",
    arbs: [f64([2, 3]), f64([])],
    options: {
      params: {
        paddingConfig: [
          [1, 0, 1],
          [0, 2, 0]
        ]
      }
    }
  },
  { name: "concatenate", arbs: [f64([2, 1]), f64([2, 3]), f64([2, 2])], options: { params: { dimension: 1 } } },
  { name: "rev", arbs: [f64([2, 3, 2])], options: { params: { dimensions: [0, 2] } } },

  // --- elementwise, unary
  { name: "neg", arbs: [f64(anyShape)] },
  // complex128 values: float64 parts drawn on the 1/16 grid.
  { name: "complex", arbs: [f64([2, 3]), f64([2, 3])] },
  { name: "real", arbs: () => [c128([2, 3])] },
  { name: "imag", arbs: () => [c128([2, 3])] },
  { name: "conj", arbs: () => [c128([2, 3])] },
  { name: "sign", arbs: [f64(anyShape, { exclude: [[-0.01, 0.01]] })] },
  { name: "floor", arbs: [offGrid(anyShape)] },
  { name: "ceil", arbs: [offGrid(anyShape)] },
  { name: "round", arbs: [offGrid(anyShape)], options: { params: fc.record({ roundingMethod: fc.constantFrom(0, 1) }) } },
  { name: "is_finite", arbs: [anyF64([2, 3])] },
  { name: "not", arbs: [bools([2, 3])] },
  { name: "not", label: "int32", arbs: [ints([2, 3], "int32", -100, 100)] },
  { name: "exp", arbs: [f64(anyShape)] },
  { name: "exp2", arbs: [f64(anyShape)] },
  { name: "log", arbs: [f64(anyShape, { min: 0.125, max: 4 })] },
  { name: "log1p", arbs: [f64(anyShape, { min: -0.5, max: 4 })] },
  { name: "expm1", arbs: [f64(anyShape)] },
  { name: "tanh", arbs: [f64(anyShape)] },
  { name: "logistic", arbs: [f64(anyShape, { min: -4, max: 4 })] },
  { name: "sin", arbs: [f64(anyShape, { min: -4, max: 4 })] },
  { name: "cos", arbs: [f64(anyShape, { min: -4, max: 4 })] },
  { name: "tan", arbs: [f64(anyShape, { min: -1.25, max: 1.25 })] },
  { name: "asin", arbs: [f64(anyShape, { min: -0.875, max: 0.875 })] },
  { name: "acos", arbs: [f64(anyShape, { min: -0.875, max: 0.875 })] },
  { name: "atan", arbs: [f64(anyShape, { min: -4, max: 4 })] },
  { name: "sinh", arbs: [f64(anyShape)] },
  { name: "cosh", arbs: [f64(anyShape)] },
  { name: "sqrt", arbs: [f64(anyShape, { min: 0.125, max: 4 })] },
  { name: "rsqrt", arbs: [f64(anyShape, { min: 0.125, max: 4 })] },
  { name: "erf", arbs: [f64(anyShape)] },
  { name: "erf_inv", arbs: [f64(anyShape, { min: -0.875, max: 0.875 })] },
  { name: "abs", arbs: [f64(anyShape, { exclude: [[-0.01, 0.01]] })] },
  { name: "integer_pow", arbs: [f64(anyShape, { exclude: [[-0.2, 0.2]] })], options: { params: fc.record({ y: fc.constantFrom(0, 1, 2, 3, 5, -1, -2) }) } },

  // --- elementwise, binary (operands of equal rank, dims equal or 1, or rank 0)
  { name: "add", arbs: [f64([2, 1, 3]), f64([1, 4, 3])] },
  { name: "sub", arbs: [f64([1, 3]), f64([2, 3])] },
  { name: "sub", label: "rank-0 operand", arbs: [f64([2, 3]), f64([])] },
  { name: "mul", arbs: [f64([2, 3]), f64([1, 3])], options: { linear: [1] } },
  { name: "mul", label: "linear in x", arbs: [f64([2, 3]), f64([])], options: { linear: [0] } },
  { name: "div", arbs: [f64([2, 3]), f64([2, 1], { exclude: [[-0.25, 0.25]] })], options: { linear: [0] } },
  // rem is smooth where x / y is not an integer: x an odd multiple of 1/16, y a power of two.
  { name: "rem", arbs: [offGrid([2, 3]), arb.array({ shape: [1, 3], dtype: F64, elements: fc.constantFrom(1, -1, 2, -2, 0.5) })] },
  { name: "pow", arbs: [f64([2, 3], { min: 0.25, max: 3 }), f64([2, 3])] },
  // max/min: x on even, y on odd multiples of 1/16, so they never tie.
  { name: "max", arbs: [f64([2, 3], { step: 1 / 8 }), f64([2, 3], { step: 1 / 8 }).map((y) => y.add(1 / 16))] },
  { name: "min", arbs: [f64([1, 3], { step: 1 / 8 }), f64([2, 3], { step: 1 / 8 }).map((y) => y.add(1 / 16))] },
  { name: "max", label: "int32", arbs: [ints([2, 3], "int32", -5, 5), ints([2, 3], "int32", -5, 5)] },
  // atan2(x, y) jumps by 2π across x = 0 where y < 0: keep x away from 0.
  { name: "atan2", arbs: [f64([2, 3], { exclude: [[-0.25, 0.25]] }), f64([2, 3])] },
  { name: "eq", arbs: [f64([2, 3], { step: 1 / 2 }), f64([2, 3], { step: 1 / 2 })] },
  { name: "ne", arbs: [ints([2, 3], "int32", -2, 2), ints([2, 3], "int32", -2, 2)] },
  { name: "lt", arbs: [f64([2, 3], { step: 1 / 2 }), f64([1, 3], { step: 1 / 2 })] },
  { name: "le", arbs: [f64([2, 3], { step: 1 / 2 }), f64([], { step: 1 / 2 })] },
  { name: "gt", arbs: [ints([2, 3], "uint32", 0, 3), ints([2, 3], "uint32", 0, 3)] },
  { name: "ge", arbs: [f64([2, 3], { step: 1 / 2 }), f64([2, 3], { step: 1 / 2 })] },
  { name: "and", arbs: [bools([2, 3]), bools([2, 3])] },
  { name: "and", label: "int32", arbs: [ints([2, 3], "int32", -100, 100), ints([2, 3], "int32", -100, 100)] },
  { name: "or", arbs: [bools([2, 3]), bools([1, 3])] },
  { name: "or", label: "uint32", arbs: [ints([2, 3], "uint32", 0, 1000), ints([2, 3], "uint32", 0, 1000)] },
  { name: "xor", arbs: [bools([2, 3]), bools([2, 3])] },
  { name: "xor", label: "int32", arbs: [ints([2, 3], "int32", -100, 100), ints([2, 3], "int32", -100, 100)] },

  // Integer and bool operands: zero derivatives (the rule must still run), exact batching. Ones with
  // a transpose rule check only jvp and batch (nothing integer is linear).
  { name: "mul", label: "int32", arbs: [ints([2, 3], "int32", -5, 5), ints([1, 3], "int32", -5, 5)], options: { rules: ["jvp", "batch"] } },
  { name: "div", label: "int32", arbs: [ints([2, 3], "int32", -9, 9), ints([2, 3], "int32", 1, 4)], options: { rules: ["jvp", "batch"] } },
  { name: "rem", label: "int32", arbs: [ints([2, 3], "int32", -9, 9), ints([2, 3], "int32", 1, 4)] },
  { name: "pow", label: "int32", arbs: [ints([2, 3], "int32", 0, 4), ints([2, 3], "int32", 0, 3)] },
  { name: "integer_pow", label: "int32", arbs: [ints([2, 3], "int32", -5, 5)], options: { params: { y: 3 } } },
  { name: "max", label: "bool", arbs: [bools([2, 3]), bools([2, 3])] },
  { name: "cumprod", label: "int32", arbs: [ints([2, 3], "int32", -3, 3)], options: { params: { axis: 1, reverse: true } } },

  // --- select and casts
  { name: "select_n", arbs: [bools([2, 3]), f64([2, 3]), f64([2, 3])], options: { linear: [1, 2] } },
  {
    name: "select_n",
    label: "int32 index, 3 cases",
    arbs: [ints([2, 3], "int32", 0, 2), f64([2, 3]), f64([1, 3]), f64([2, 3])],
    options: { linear: [1, 2, 3] }
  },
  // float64 -> float32 rounds: a wide step keeps the rounding out of the difference quotient.
  {
    name: "convert_element_type",
    label: "float64 -> float32",
    arbs: [f64([2, 3])],
    options: { params: { newDtype: "float32", weakType: false }, eps: 1e-2, rtol: 1e-4 }
  },
  { name: "convert_element_type", label: "float64 -> float64 weak", arbs: [f64([2, 3])], options: { params: { newDtype: "float64", weakType: true } } },
  // Integer-valued outputs or inputs: zero derivatives, no transpose (nothing linear).
  {
    name: "convert_element_type",
    label: "float64 -> int32",
    arbs: [offGrid([2, 3])],
    options: { params: { newDtype: "int32", weakType: false }, rules: ["jvp", "batch"] }
  },
  {
    name: "convert_element_type",
    label: "int32 -> float64",
    arbs: [ints([2, 3], "int32", -5, 5)],
    options: { params: { newDtype: "float64", weakType: false }, rules: ["jvp", "batch"] }
  },
  // stop_gradient's jvp is zero on purpose, not the derivative of its (identity) implementation.
  { name: "stop_gradient", arbs: [f64([2, 3])], options: { rules: ["batch"] } },

  // --- indexing (indices out of range are clamped by gather, dropped by scatter)
  { name: "gather", arbs: [f64([4, 3]), ints([2], "int32", -1, 4)], options: { params: { axis: 0 }, linear: [0] } },
  { name: "gather", label: "axis 1, 2-d indices", arbs: [f64([2, 4, 2]), ints([2, 3], "int32", 0, 3)], options: { params: { axis: 1 }, linear: [0] } },
  { name: "scatter", label: "add", arbs: [f64([4, 3]), ints([3], "int32", -1, 4), f64([3, 3])], options: { params: { axis: 0, mode: "add" }, linear: [0, 2] } },
  {
    name: "scatter",
    label: "add, axis 1",
    arbs: [f64([2, 4]), ints([2, 2], "int32", 0, 3), f64([2, 2, 2])],
    options: { params: { axis: 1, mode: "add" }, linear: [0, 2] }
  },
  // set, mul, min and max are differentiable (and set transposes) with unique indices, as in JAX.
  { name: "scatter", label: "set", arbs: [f64([4, 3]), uniqueIndices([3], 4), f64([3, 3])], options: { params: { axis: 0, mode: "set" }, linear: [0, 2] } },
  { name: "scatter", label: "mul", arbs: [f64([4, 3]), uniqueIndices([2], 4), f64([2, 3])], options: { params: { axis: 0, mode: "mul" }, linear: [0] } },
  {
    name: "scatter",
    label: "max",
    arbs: [distinct([4, 3]), uniqueIndices([2], 4), distinct([2, 3]).map((u) => u.add(1 / 32))],
    options: { params: { axis: 0, mode: "max" }, rules: ["jvp", "batch"] }
  },
  {
    name: "scatter",
    label: "min",
    arbs: [distinct([4, 3]), uniqueIndices([2], 4), distinct([2, 3]).map((u) => u.add(1 / 32))],
    options: { params: { axis: 0, mode: "min" }, rules: ["jvp", "batch"] }
  },
  {
    name: "scatter",
    label: "add, int32",
    arbs: [ints([4, 3], "int32", -5, 5), ints([3], "int32", -1, 4), ints([3, 3], "int32", -5, 5)],
    options: { params: { axis: 0, mode: "add" }, rules: ["jvp", "batch"] }
  },
  {
    name: "scatter",
    label: "max, bool",
    arbs: [bools([4]), ints([2], "int32", 0, 3), bools([2])],
    options: { params: { axis: 0, mode: "max" }, rules: ["jvp", "batch"] }
  },

  // --- dot_general (bilinear: linear in one operand at a time)
  {
    name: "dot_general",
    label: "batched matmul, linear in lhs",
    arbs: [f64([2, 3, 4]), f64([2, 4, 2])],
    options: { params: { dimensionNumbers: { contracting: [[2], [1]], batch: [[0], [0]] } }, linear: [0] }
  },
  {
    name: "dot_general",
    label: "two contractions, linear in rhs",
    arbs: [f64([3, 2, 4]), f64([4, 3])],
    options: {
      params: {
        dimensionNumbers: {
          contracting: [
            [0, 2],
            [1, 0]
          ],
          batch: [[], []]
        }
      },
      linear: [1]
    }
  },
  {
    name: "dot_general",
    label: "int32",
    arbs: [ints([2, 3], "int32", -5, 5), ints([3, 2], "int32", -5, 5)],
    options: { params: { dimensionNumbers: { contracting: [[1], [0]], batch: [[], []] } }, rules: ["jvp", "batch"] }
  },
  {
    name: "dot_general",
    label: "outer product",
    arbs: [f64([2]), f64([3])],
    options: { params: { dimensionNumbers: { contracting: [[], []], batch: [[], []] } }, linear: [0] }
  },
  // --- conv_general_dilated (bilinear): strides, padding, dilations, groups, layouts
  {
    name: "conv_general_dilated",
    label: "2-D NCHW, strides and padding, linear in lhs",
    arbs: [f64([2, 2, 4, 3]), f64([3, 2, 2, 2])],
    options: {
      params: convParams({
        windowStrides: [2, 1],
        padding: [
          [1, 0],
          [0, 1]
        ]
      }),
      linear: [0]
    }
  },
  {
    name: "conv_general_dilated",
    label: "2-D NHWC, dilations, linear in rhs",
    arbs: [f64([1, 4, 4, 2]), f64([2, 2, 2, 2])],
    options: {
      params: convParams({
        lhsDilation: [2, 1],
        rhsDilation: [1, 2],
        padding: [
          [1, 1],
          [1, 0]
        ],
        dimensionNumbers: { lhsSpec: [0, 3, 1, 2], rhsSpec: [3, 2, 0, 1], outSpec: [0, 3, 1, 2] }
      }),
      linear: [1]
    }
  },
  {
    name: "conv_general_dilated",
    label: "1-D feature groups, linear in rhs",
    arbs: [f64([2, 4, 5]), f64([4, 2, 2])],
    options: { params: convParams({ windowStrides: [1], padding: [[0, 1]], featureGroupCount: 2 }), linear: [1] }
  },
  {
    name: "conv_general_dilated",
    label: "1-D batch groups, linear in lhs",
    arbs: [f64([4, 2, 5]), f64([4, 2, 2])],
    options: { params: convParams({ windowStrides: [2], padding: [[1, 1]], batchGroupCount: 2 }), linear: [0] }
  },
  {
    name: "conv_general_dilated",
    label: "int32",
    arbs: [ints([1, 2, 4], "int32", -5, 5), ints([2, 2, 2], "int32", -5, 5)],
    options: { params: convParams({ windowStrides: [1], padding: [[0, 0]] }), rules: ["jvp", "batch"] }
  },

  // --- linear algebra (float64 inputs where each decomposition is smooth and its conventions continuous)
  { name: "cholesky", arbs: [spdOf([3, 3])] },
  { name: "cholesky", label: "batched", arbs: [spdOf([2, 2, 2])] },
  {
    name: "triangular_solve",
    arbs: [shifted(f64([3, 3]), 3), f64([3, 3])],
    options: {
      params: fc.record({ leftSide: fc.boolean(), lower: fc.boolean(), transposeA: fc.boolean(), conjugateA: fc.constant(false), unitDiagonal: fc.boolean() }),
      linear: [1]
    }
  },
  {
    name: "triangular_solve",
    label: "batched, rectangular b",
    arbs: [shifted(f64([2, 3, 3]), 3), f64([2, 3, 2])],
    options: { params: { leftSide: true, lower: true, transposeA: false, conjugateA: false, unitDiagonal: false }, linear: [1] }
  },
  // Distinct positive entries: no ties between pivot candidates.
  { name: "lu", arbs: [distinct([3, 3]).map((x) => x.add(3))] },
  { name: "lu", label: "wide", arbs: [distinct([2, 3]).map((x) => x.add(3))] },
  { name: "lu", label: "tall", arbs: [distinct([3, 2]).map((x) => x.add(3))] },
  { name: "lu_pivots_to_permutation", arbs: [ints([2, 3], "int32", 0, 3)], options: { params: { permutationSize: 4 } } },
  { name: "qr", arbs: [shifted(f64([4, 3]), 3)], options: { params: { fullMatrices: false } } },
  { name: "qr", label: "square, full", arbs: [shifted(f64([3, 3]), 3)], options: { params: { fullMatrices: true } } },
  { name: "qr", label: "tall, full", arbs: [shifted(f64([4, 2]), 3)], options: { params: { fullMatrices: true } } },
  { name: "qr", label: "wide", arbs: [shifted(f64([2, 4]), 3)], options: { params: { fullMatrices: false } } },
  { name: "eigh", arbs: [separated(3)], options: { params: fc.record({ lower: fc.boolean(), sortEigenvalues: fc.constant(true) }) } },
  { name: "svd", arbs: [shifted(f64([3, 2]), 3, [1, 0.4])], options: { params: { fullMatrices: false, computeUv: true } } },
  { name: "svd", label: "wide", arbs: [shifted(f64([2, 3]), 3, [1, 0.4])], options: { params: { fullMatrices: false, computeUv: true } } },
  { name: "tridiagonal_solve", arbs: [f64([2, 4]), f64([2, 4]).map((x) => x.mul(0.25).add(4)), f64([2, 4]), f64([2, 4, 3])], options: { linear: [3] } },
  { name: "svd", label: "values only", arbs: [shifted(f64([3, 3]), 3, [1, 0.6, 0.3])], options: { params: { fullMatrices: false, computeUv: false } } },

  // --- fft (complex operands from two float64 parts). primitiveRulesHold compares real tangents and
  // cotangents only, so here it checks batching; fft's jvp and transposes are checked through real
  // wrappers by the catalog's derivative laws (np.fft entries) and against JAX's gradients
  // (core/numpy/fft/transforms.golden.test.ts). fft_pairs is the CPU's real form of fft
  // (backends/cpu/fft/pairs.ts), which only the complex rewrite binds: no derivatives.
  { name: "fft", label: "RFFT", arbs: [f64([2, 6])], options: { params: { fftType: "RFFT", fftLengths: [6] }, rules: ["batch"] } },
  { name: "fft", label: "RFFT 2-D, odd", arbs: [f64([3, 5])], options: { params: { fftType: "RFFT", fftLengths: [3, 5] }, rules: ["batch"] } },
  { name: "fft", label: "FFT", arbs: [complexOf([2, 4])], options: { params: { fftType: "FFT", fftLengths: [4] }, rules: ["batch"] } },
  { name: "fft", label: "IFFT 2-D", arbs: [complexOf([3, 2])], options: { params: { fftType: "IFFT", fftLengths: [3, 2] }, rules: ["batch"] } },
  { name: "fft", label: "IRFFT, even", arbs: [complexOf([2, 4])], options: { params: { fftType: "IRFFT", fftLengths: [6] }, rules: ["batch"] } },
  { name: "fft", label: "IRFFT, odd", arbs: [complexOf([4])], options: { params: { fftType: "IRFFT", fftLengths: [7] }, rules: ["batch"] } },
  { name: "fft_pairs", arbs: [f64([2, 3, 2])], options: { params: { fftType: "FFT", fftLengths: [3] }, rules: ["batch"] } },
  // --- eig: complex results, so here batching only (as fft); its eigenvalue jvp is checked against
  // finite differences and JAX's gradients in core/numpy/linalg/eig.golden.test.ts. eig_parts is the
  // CPU's real form of eig (bound by the complex rewrite only).
  {
    name: "eig",
    label: "eigenvalues",
    arbs: [f64([2, 3, 3])],
    options: { params: { computeLeftEigenvectors: false, computeRightEigenvectors: false, enableEigvecDerivs: false }, rules: ["batch"] }
  },
  {
    name: "eig",
    label: "both eigenvector sets",
    arbs: [f64([2, 3, 3])],
    options: { params: { computeLeftEigenvectors: true, computeRightEigenvectors: true, enableEigvecDerivs: false }, rules: ["batch"] }
  },
  {
    name: "eig_parts",
    arbs: [f64([2, 3, 3])],
    options: { params: { computeLeftEigenvectors: false, computeRightEigenvectors: true, complexInput: false }, rules: ["batch"] }
  },

  // --- linalg_parts: the CPU's real form of the complex decompositions and solves (bound by the
  // complex rewrite only; values against JAX in core/numpy/linalg/complex.golden.test.ts).
  { name: "linalg_parts", label: "lu", arbs: [f64([2, 3, 3]), f64([2, 3, 3])], options: { params: { routine: "lu" }, rules: ["batch"] } },
  {
    name: "linalg_parts",
    label: "svd",
    arbs: [f64([2, 3, 2]), f64([2, 3, 2])],
    options: { params: { routine: "svd", fullMatrices: false, computeUv: false }, rules: ["batch"] }
  },

  // --- schur: no derivative (as JAX); batching only. schur_parts is the CPU's real form of a
  // complex schur (bound by the complex rewrite only). Values: core/scipy/linalg/schur.golden.test.ts.
  { name: "schur", arbs: [f64([2, 3, 3])], options: { params: { computeSchurVectors: true }, rules: ["batch"] } },
  { name: "schur_parts", arbs: [f64([2, 3, 3]), f64([2, 3, 3])], options: { params: { computeSchurVectors: true }, rules: ["batch"] } },

  // --- bits
  { name: "shift_left", arbs: [ints([2, 3], "uint32", 0, 0xffffffff), ints([2, 3], "uint32", 0, 40)] },
  { name: "shift_right_logical", arbs: [ints([2, 3], "int32", -(2 ** 31), 2 ** 31 - 1), ints([1, 3], "int32", -3, 40)] },
  { name: "shift_right_arithmetic", arbs: [ints([2, 3], "int32", -(2 ** 31), 2 ** 31 - 1), ints([2, 3], "int32", -3, 40)] },
  { name: "shift_right_arithmetic", label: "uint32", arbs: [ints([2, 3], "uint32", 0, 0xffffffff), ints([], "uint32", 0, 40)] },
  {
    name: "bitcast_convert_type",
    label: "float32 -> int32",
    arbs: [f64([2, 3]).map((x) => x.astype("float32"))],
    options: { params: { newDtype: "int32" }, dtype: "input" }
  },
  { name: "bitcast_convert_type", label: "float64 -> uint32 pairs", arbs: [f64([2, 3])], options: { params: { newDtype: "uint32" }, dtype: "input" } },
  {
    name: "bitcast_convert_type",
    label: "uint32 pairs -> float64",
    arbs: [ints([3, 2], "uint32", 0, 0xffffffff)],
    options: { params: { newDtype: "float64" } }
  },
  {
    name: "bitcast_convert_type",
    label: "int32 -> uint32",
    arbs: [ints([2, 3], "int32", -(2 ** 31), 2 ** 31 - 1)],
    options: { params: { newDtype: "uint32" } }
  },
  {
    name: "threefry2x32",
    arbs: [
      ints([2, 1], "uint32", 0, 0xffffffff),
      ints([], "uint32", 0, 0xffffffff),
      ints([2, 3], "uint32", 0, 0xffffffff),
      ints([1, 3], "uint32", 0, 0xffffffff)
    ]
  },
  {
    name: "sort",
    label: "one operand",
    arbs: [distinct([3, 4])],
    options: { params: fc.record({ dimension: fc.constantFrom(0, 1), isStable: fc.constant(true), numKeys: fc.constant(1) }), rules: ["jvp", "batch"] }
  },
  {
    name: "sort",
    label: "key and value",
    arbs: [distinct([2, 4]), f64([2, 4])],
    options: { params: { dimension: 1, isStable: true, numKeys: 1 }, linear: [1] }
  },
  // Integer keys with ties: the stable order decides, and the values ride along.
  {
    name: "sort",
    label: "two int keys with ties and a value",
    arbs: [ints([5], "int32", 0, 2), ints([5], "int32", 0, 1), f64([5])],
    options: { params: { dimension: 0, isStable: true, numKeys: 2 }, linear: [2] }
  },

  // --- random (raw threefry key data)
  {
    name: "random_bits",
    arbs: [keys([])],
    options: { params: fc.record({ bitWidth: fc.constantFrom(32 as const, 64 as const), shape: fc.constant([2, 3]), partitionable: fc.boolean() }) }
  },
  {
    name: "random_bits",
    label: "key array",
    arbs: [keys([2])],
    options: { params: fc.record({ bitWidth: fc.constantFrom(32 as const, 64 as const), shape: fc.constant([3]), partitionable: fc.boolean() }) }
  },
  { name: "random_split", arbs: [keys([2])], options: { params: fc.record({ shape: fc.constantFrom([3], [2, 2]), partitionable: fc.boolean() }) } },
  { name: "random_fold_in", arbs: [keys([3]), ints([3], "uint32", 0, 0xffffffff)] },
  { name: "random_fold_in", label: "scalar data", arbs: [keys([2]), ints([], "uint32", 0, 0xffffffff)] },

  // --- XLA's bit generator: JAX's batching rule draws the whole batch from the first key, which is
  // not a loop over examples (core/lax/rng.golden.test.ts checks it against JAX under vmap).
  {
    name: "rng_bit_generator",
    arbs: [ints([4], "uint32", 0, 0xffffffff)],
    options: {
      params: fc.record({
        shape: fc.constantFrom([2, 3], [5], []),
        dtype: fc.constantFrom("uint8" as const, "uint16" as const, "uint32" as const),
        algorithm: fc.constantFrom("RNG_DEFAULT" as const, "RNG_THREE_FRY" as const, "RNG_PHILOX" as const)
      }),
      rules: ["jvp"]
    }
  },
  // rng_uniform is stateful (new values every run) and, as in JAX, has no jvp or batching rule.
  { name: "rng_uniform", arbs: [f64([]), f64([])], options: { params: { shape: [3] }, rules: [] } },

  // --- host callbacks: pure_callback has no jvp (as JAX); its batching rule (one call per example here) against a loop.
  {
    name: "pure_callback",
    arbs: [f64([3])],
    options: {
      params: { callback: (xs: ReadonlyArray<Array>) => [xs[0]!.mul(2)], resultAvals: [new ShapedArray([3], "float64")], vmapMethod: "sequential" },
      rules: ["batch"]
    }
  },

  // --- effects: debug_print has no outputs; its rules must run and print (into a list here).
  {
    name: "debug_print",
    arbs: [f64([2]), ints([], "int32", 0, 3)],
    options: { params: { fmt: "x = {} i = {}", sink: (line: string) => void debugLines.push(line) } }
  },

  // --- params and shapes drawn per run
  drawn(
    "reduce_sum",
    "drawn shape and axes",
    P.withShape(shapeIn(0, 4, 24), (s) => sortedAxes(s.length)),
    ({ shape, param }) => ({ arbs: [f64(shape)], options: { params: { axes: param } } })
  ),
  drawn(
    "reduce_prod",
    "drawn shape and axes",
    P.withShape(shapeIn(0, 4, 24), (s) => sortedAxes(s.length)),
    ({ shape, param }) => ({ arbs: [f64(shape)], options: { params: { axes: param } } })
  ),
  drawn(
    "reduce_max",
    "drawn shape and axes",
    P.withShape(shapeIn(0, 4, 24), (s) => sortedAxes(s.length)),
    ({ shape, param }) => ({ arbs: [distinct(shape)], options: { params: { axes: param } } })
  ),
  drawn(
    "reduce_min",
    "drawn shape and axes",
    P.withShape(shapeIn(0, 4, 24), (s) => sortedAxes(s.length)),
    ({ shape, param }) => ({ arbs: [distinct(shape)], options: { params: { axes: param } } })
  ),
  drawn(
    "reduce_max",
    "int32 and uint32 above 2^31, drawn axes",
    P.withShape(shapeIn(0, 3), (s) => fc.tuple(sortedAxes(s.length), fc.constantFrom<DType>("int32", "uint32"))),
    ({ shape, param: [axes, dtype] }) => ({ arbs: [wideInts(shape, dtype)], options: { params: { axes } } })
  ),
  drawn(
    "reduce_min",
    "int32 and uint32 above 2^31, drawn axes",
    P.withShape(shapeIn(0, 3), (s) => fc.tuple(sortedAxes(s.length), fc.constantFrom<DType>("int32", "uint32"))),
    ({ shape, param: [axes, dtype] }) => ({ arbs: [wideInts(shape, dtype)], options: { params: { axes } } })
  ),
  drawn(
    "reduce_sum",
    "int32 and uint32 above 2^31 (wrapping), drawn axes",
    P.withShape(shapeIn(0, 3), (s) => fc.tuple(sortedAxes(s.length), fc.constantFrom<DType>("int32", "uint32"))),
    ({ shape, param: [axes, dtype] }) => ({ arbs: [wideInts(shape, dtype)], options: { params: { axes }, rules: ["jvp", "batch"] } })
  ),
  drawn(
    "argmax",
    "drawn axis and dtype",
    P.withShape(shapeIn(1, 3), (s) => fc.tuple(fc.nat({ max: s.length - 1 }), fc.constantFrom<DType>("float64", "int32", "uint32"))),
    ({ shape, param: [axis, dtype] }) => ({
      arbs: [dtype === "float64" ? f64(shape, { step: 1 / 2 }) : wideInts(shape, dtype)],
      options: { params: { axis, indexDtype: "int32" } }
    })
  ),
  drawn(
    "argmin",
    "drawn axis and dtype",
    P.withShape(shapeIn(1, 3), (s) => fc.tuple(fc.nat({ max: s.length - 1 }), fc.constantFrom<DType>("float64", "int32", "uint32"))),
    ({ shape, param: [axis, dtype] }) => ({
      arbs: [dtype === "float64" ? f64(shape, { step: 1 / 2 }) : wideInts(shape, dtype)],
      options: { params: { axis, indexDtype: "int32" } }
    })
  ),
  drawn(
    "cumsum",
    "drawn axis",
    P.withShape(shapeIn(1, 3), (s) => fc.record({ axis: fc.nat({ max: s.length - 1 }), reverse: fc.boolean() })),
    ({ shape, param }) => ({ arbs: [f64(shape)], options: { params: param } })
  ),
  drawn(
    "cumprod",
    "drawn axis",
    P.withShape(shapeIn(1, 3), (s) => fc.record({ axis: fc.nat({ max: s.length - 1 }), reverse: fc.boolean() })),
    ({ shape, param }) => ({ arbs: [f64(shape)], options: { params: param } })
  ),
  drawn("broadcast_in_dim", "drawn shapes and dimensions", P.broadcastInDimSpec(), ({ operand, shape, broadcastDimensions }) => ({
    arbs: [f64(operand)],
    options: { params: { shape, broadcastDimensions } }
  })),
  drawn("reshape", "drawn sizes", P.withShape(shapeIn(0, 4, 24), P.reshapeOf), ({ shape, param }) => {
    const known = param.reduce((n, d) => (d === -1 ? n : n * d), 1)
    return { arbs: [f64(shape)], options: { params: { newSizes: param.map((d) => (d === -1 ? sizeOf(shape) / known : d)) } } }
  }),
  drawn(
    "transpose",
    "drawn permutation",
    P.withShape(shapeIn(0, 4, 24), (s) => P.permutation(s.length)),
    ({ shape, param }) => ({ arbs: [f64(shape)], options: { params: { permutation: param } } })
  ),
  drawn(
    "slice",
    "drawn starts, limits and strides",
    P.withShape(P.shapeOf({ minRank: 1, maxRank: 3, maxDim: 5, maxSize: 30 }), P.sliceSpec),
    ({ shape, param }) => ({ arbs: [f64(shape)], options: { params: { ...param } } })
  ),
  drawn("pad", "drawn low, high and interior padding", P.withShape(shapeIn(0, 3), P.padConfig), ({ shape, param }) => ({
    arbs: [f64(shape), f64([])],
    options: { params: { paddingConfig: param } }
  })),
  drawn("concatenate", "drawn dimension and operands", P.concatSpec(), ({ shapes, axis }) => ({
    arbs: shapes.map((sh) => f64(sh)),
    options: { params: { dimension: axis < 0 ? axis + shapes[0]!.length : axis } }
  })),
  drawn(
    "rev",
    "drawn dimensions",
    P.withShape(shapeIn(0, 4, 24), (s) => sortedAxes(s.length)),
    ({ shape, param }) => ({ arbs: [f64(shape)], options: { params: { dimensions: param } } })
  ),
  drawn("add", "drawn broadcast shapes", laxPair, ([a, b]) => ({ arbs: [f64(a), f64(b)], options: {} })),
  drawn("mul", "drawn broadcast shapes, linear in y", laxPair, ([a, b]) => ({ arbs: [f64(a), f64(b)], options: { linear: [1] } })),
  drawn("max", "drawn broadcast shapes", laxPair, ([a, b]) => ({
    arbs: [f64(a, { step: 1 / 8 }), f64(b, { step: 1 / 8 }).map((y) => y.add(1 / 16))],
    options: {}
  })),
  drawn(
    "gather",
    "drawn axis and index shape",
    P.withShape(shapeIn(1, 3), (s) => fc.record({ axis: fc.nat({ max: s.length - 1 }), indices: P.shapeOf({ maxRank: 2, maxDim: 3, maxSize: 6 }) })),
    ({ shape, param: { axis, indices } }) => ({ arbs: [f64(shape), ints(indices, "int32", -1, shape[axis]!)], options: { params: { axis }, linear: [0] } })
  ),
  drawn(
    "scatter",
    "add, drawn axis and index shape",
    P.withShape(shapeIn(1, 3), (s) => fc.record({ axis: fc.nat({ max: s.length - 1 }), indices: P.shapeOf({ maxRank: 2, maxDim: 3, maxSize: 6 }) })),
    ({ shape, param: { axis, indices } }) => ({
      arbs: [f64(shape), ints(indices, "int32", -1, shape[axis]!), f64([...shape.slice(0, axis), ...indices, ...shape.slice(axis + 1)])],
      options: { params: { axis, mode: "add" }, linear: [0, 2] }
    })
  ),
  drawn(
    "scatter",
    "set and mul with unique indices, drawn axis and index shape",
    P.withShape(shapeIn(1, 3), (s) =>
      fc
        .record({ axis: fc.nat({ max: s.length - 1 }), mode: fc.constantFrom("set", "mul") })
        .chain(({ axis, mode }) => P.shapeOf({ maxRank: 2, maxDim: 3, maxSize: s[axis]! }).map((indices) => ({ axis, mode, indices })))
    ),
    ({ shape, param: { axis, mode, indices } }) => ({
      arbs: [f64(shape), uniqueIndices(indices, shape[axis]!), f64([...shape.slice(0, axis), ...indices, ...shape.slice(axis + 1)])],
      options: { params: { axis, mode }, linear: mode === "set" ? [0, 2] : [0] }
    })
  ),
  // mul with repeated indices: the derivative along one factor is the product of the others.
  drawn(
    "scatter",
    "mul with repeated indices, drawn axis and index shape",
    P.withShape(shapeIn(1, 3), (s) =>
      fc.record({ axis: fc.nat({ max: s.length - 1 }), indices: P.shapeOf({ minRank: 1, maxRank: 2, maxDim: 3, maxSize: 6 }) })
    ),
    ({ shape, param: { axis, indices } }) => ({
      arbs: [
        f64(shape),
        ints(indices, "int32", 0, Math.min(1, shape[axis]! - 1)),
        f64([...shape.slice(0, axis), ...indices, ...shape.slice(axis + 1)], { min: -1.5, max: 1.5, step: 1 / 4 })
      ],
      options: { params: { axis, mode: "mul" }, linear: [0] }
    })
  ),
  // Batch dims at different positions in the two operands, contractions in any order.
  drawn("dot_general", "drawn dimension numbers, linear in lhs or rhs", fc.tuple(P.dotGeneralSpec(), fc.boolean()), ([d, lhs]) => ({
    arbs: [f64(d.lhs), f64(d.rhs)],
    options: { params: { dimensionNumbers: d.dimensionNumbers }, linear: [lhs ? 0 : 1] }
  })),
  drawn("dot_general", "drawn dimension numbers, int32", P.dotGeneralSpec(), (d) => ({
    arbs: [ints(d.lhs, "int32", -5, 5), ints(d.rhs, "int32", -5, 5)],
    options: { params: { dimensionNumbers: d.dimensionNumbers }, rules: ["jvp", "batch"] }
  })),
  drawn(
    "sort",
    "drawn dimension and keys, with a value",
    P.withShape(shapeIn(1, 3), (s) =>
      fc.record({
        dimension: fc.nat({ max: s.length - 1 }),
        numKeys: fc.integer({ min: 1, max: 2 }),
        dtype: fc.constantFrom<DType>("int32", "uint32", "float64")
      })
    ),
    ({ shape, param: { dimension, numKeys, dtype } }) => {
      // float64 keys are distinct (no ties: the order, and so the derivative, is defined); integer keys tie, and the stable order decides.
      const key = dtype === "float64" ? distinct(shape) : dtype === "uint32" ? wideInts(shape, "uint32") : ints(shape, "int32", 0, 2)
      const keys = numKeys === 1 ? [key] : [key, ints(shape, "int32", 0, 1)]
      return { arbs: [...keys, f64(shape)], options: { params: { dimension, isStable: true, numKeys }, linear: [numKeys] } }
    }
  ),
  drawn(
    "sort",
    "one operand, drawn dimension",
    P.withShape(shapeIn(1, 3), (s) => fc.nat({ max: s.length - 1 })),
    ({ shape, param }) => ({
      arbs: [distinctInts(shape, "float64", -40, 40)],
      options: { params: { dimension: param, isStable: true, numKeys: 1 }, rules: ["jvp", "batch"] }
    })
  ),

  // --- call primitives, with sub-programs traced through the public API
  traced("jit", "sin(x) y, linear in y", () => ({
    eqn: eqnOf(
      "jit",
      jit((x: Array, y: Array) => np.sin(x).mul(y).add(y.mul(2))),
      zeros([3]),
      zeros([2, 3])
    ),
    options: { linear: [1] }
  })),
  traced("cond", "switch of three branches, linear in y", () => ({
    eqn: eqnOf(
      "cond",
      (i: Array, x: Array, y: Array) =>
        lax.switch(i, [(a: Array, b: Array) => b.mul(np.sin(a)), (a: Array, b: Array) => b.mul(np.cos(a)).neg(), (_a: Array, b: Array) => b.mul(3)], x, y),
      zeros([], "int32"),
      zeros([3]),
      zeros([3])
    ),
    overrides: { 0: ints([], "int32", -1, 3) },
    options: { linear: [2] }
  })),
  traced("cond", "cond on a predicate", () => ({
    eqn: eqnOf(
      "cond",
      (p: Array, x: Array) =>
        lax.cond(
          p,
          (a: Array) => np.exp(a).sum(),
          (a: Array) => a.mul(a).sum(),
          x
        ),
      zeros([], "bool"),
      zeros([2, 2])
    ),
    overrides: { 0: ints([], "int32", 0, 1) },
    options: { rules: ["jvp", "batch"] }
  })),
  // The transpose of while is a refusal by design (dynamic trip count), as in JAX.
  traced("while", "data-dependent trip count", () => ({
    eqn: eqnOf(
      "while",
      (i: Array, x: Array) =>
        lax.whileLoop(
          (c: [Array, Array]) => c[0].lt(3),
          (c: [Array, Array]): [Array, Array] => [c[0].add(1), np.sin(c[1]).mul(1.5)],
          [i, x]
        ),
      zeros([], "int32"),
      zeros([3])
    ),
    overrides: { 0: ints([], "int32", -1, 3) },
    options: { rules: ["jvp", "batch"] }
  })),
  traced("while", "consts in cond and body", () => ({
    eqn: eqnOf(
      "while",
      (n: Array, w: Array, x: Array) =>
        lax.whileLoop(
          (c: [Array, Array]) => c[0].lt(n),
          (c: [Array, Array]): [Array, Array] => [c[0].add(1), c[1].mul(w)],
          [np.zeros([], { dtype: "int32" }), x]
        ),
      zeros([], "int32"),
      zeros([2]),
      zeros([2])
    ),
    overrides: { 2: ints([], "int32", -1, 3) },
    options: { rules: ["jvp", "batch"] }
  })),
  traced("scan", "consts, linear carry", () => ({
    eqn: eqnOf(
      "scan",
      (w: Array, c: Array, xs: Array) => lax.scan((k: Array, x: Array) => [k.mul(np.cos(x)).mul(w), k.mul(np.sin(x))], c, xs),
      zeros([2]),
      zeros([2]),
      zeros([3, 2])
    ),
    options: { linear: [1] }
  })),
  traced("scan", "reverse, linear in carry and xs", () => ({
    eqn: eqnOf(
      "scan",
      (w: Array, c: Array, xs: Array) => lax.scan((k: Array, x: Array) => [k.add(x.mul(w)), x.mul(np.sin(w)).sum()], c, xs, { reverse: true }),
      zeros([2]),
      zeros([2]),
      zeros([4, 2])
    ),
    options: { linear: [1, 2] }
  })),
  // forILoop: an int32 counter in the carry. The transpose rule takes every carry as linear (as
  // JAX's does; partial evaluation moves the counter into the known scan), so it is not checked here.
  traced("scan", "forILoop with an int32 counter", () => ({
    eqn: eqnOf("scan", (x: Array) => lax.forILoop(0, 3, (i: Array, c: Array) => c.mul(np.sin(i.astype("float64"))).add(c), x), zeros([2])),
    overrides: { 0: ints([], "int32", -2, 2) },
    options: { rules: ["jvp", "batch"] }
  })),
  traced("custom_jvp_call", "softplus with its rule", () => {
    const softplus = customJvp((x: Array) => np.log1p(np.exp(x)), { name: "softplus" })
    softplus.defjvp(([x], [t]) => [softplus(x), t.mul(np.exp(x).div(np.exp(x).add(1)))])
    return { eqn: eqnOf("custom_jvp_call", (x: Array) => softplus(x), zeros([2, 3])) }
  }),
  // custom_vjp_call's jvp emits custom_lin, which has no forward evaluation (forward mode of a
  // customVjp function is refused, as in JAX): only batching is checked on the primitive; the
  // reverse rule is checked below (custom_lin) and through customRuleMatchesFiniteDifferences.
  traced("custom_vjp_call", "sin(x) w", () => ({
    eqn: eqnOf("custom_vjp_call", (x: Array, w: Array) => scaledSin(x, w), zeros([3]), zeros([3])),
    options: { rules: ["batch"] }
  })),
  {
    name: "custom_lin",
    label: "transpose of the bwd of sin(x) w, against its linear map",
    prim: customLinCopy,
    arbs: () => inputArbs(customLinEqn()),
    options: () => ({ params: customLinEqn().params, linear: [2, 3] })
  },
  // --- collectives, over a named axis of size 3 (see collective above)
  collective("psum", "over i", (x) => lax.psum(x, "i"), [f64([3, 2, 2])]),
  collective("psum", "of a value that does not vary along i, times 2", (x) => lax.psum(x.mul(0).add(2), "i").mul(x), [f64([3, 2])], {
    rules: ["jvp", "batch"]
  }),
  collective("pmax", "over i", (x) => lax.pmax(x, "i"), [distinct([3, 2, 2])], { rules: ["batch"] }),
  collective("pmin", "over i", (x) => lax.pmin(x, "i"), [distinct([3, 2, 2])], { rules: ["batch"] }),
  collective("axis_index", "times x", (x) => x.mul(lax.axisIndex("i").astype("float64")), [f64([3, 2, 2])]),
  collective("all_gather", "axis 1", (x) => lax.allGather(x, "i", { axis: 1 }), [f64([3, 2, 2])]),
  collective("all_gather", "tiled", (x) => lax.allGather(x, "i", { tiled: true }), [f64([3, 2, 2])]),
  collective("reduce_scatter", "dimension 1", (x) => lax.psumScatter(x, "i", { scatterDimension: 1 }), [f64([3, 2, 2, 3])]),
  collective("reduce_scatter", "tiled", (x) => lax.psumScatter(x, "i", { tiled: true }), [f64([3, 2, 6])]),
  collective(
    "ppermute",
    "a cycle and a hole",
    (x) =>
      lax
        .ppermute(x, "i", [
          [0, 1],
          [1, 0],
          [2, 2]
        ])
        .add(lax.ppermute(x, "i", [[0, 2]])),
    [f64([3, 2, 2])]
  ),
  collective("all_to_all", "split 1, concat 0", (x) => lax.allToAll(x, "i", 1, 0), [f64([3, 2, 2, 3])]),
  collective("all_to_all", "tiled", (x) => lax.allToAll(x, "i", 0, 1, { tiled: true }), [f64([3, 2, 6, 2])]),
  // member r's row k goes to member k, at row r: an all-to-all of rows, with one row of the output kept
  collective(
    "ragged_all_to_all",
    "one row to each member",
    (x) =>
      lax.raggedAllToAll(
        x,
        np.zeros([4, 2], { dtype: "float64" }),
        np.arange(3),
        np.ones([3], { dtype: "int32" }),
        np.broadcastTo(lax.axisIndex("i"), [3]),
        np.ones([3], { dtype: "int32" }),
        { axisName: "i" }
      ),
    [f64([3, 2, 3, 2])]
  ),

  traced("checkpoint", "sin(x) y, linear in y", () => ({
    eqn: eqnOf(
      "checkpoint",
      checkpoint((x: Array, y: Array) => np.sin(np.sin(x)).mul(y)),
      zeros([3]),
      zeros([3])
    ),
    options: { linear: [1] }
  }))
]

/**
 * Primitives without a case, and why. Only primitives with no inputs belong here: their rules
 * (batching a primitive with no batched input, differentiating with no tangent) never run.
 */
const excluded: ReadonlyMap<string, string> = new Map([["iota", "no inputs"]])

// ---------------------------------------------------------------------------------------------

const optionsOf = (c: Case): Options => (typeof c.options === "function" ? c.options() : (c.options ?? {}))
const arbsOf = (c: Case): Arbs => {
  if (c.arbs === undefined) throw new Error(`case ${c.name} (${c.label}) draws its arbs`)
  return typeof c.arbs === "function" ? c.arbs() : c.arbs
}
/** The law on a case: on its fixed arbs and options, or over its drawn ones. */
const lawOf = (c: Case, p: Primitive): fc.IProperty<[unknown]> =>
  c.draw === undefined
    ? laws.primitiveRulesHold(p, arbsOf(c), optionsOf(c))
    : overDraws(
        "primitiveRulesHold",
        p.name,
        c.draw,
        (d) => d.shown,
        (d) => laws.primitiveRulesHold(p, d.arbs, d.options)
      )
/** One drawn instance of a case (or its fixed arbs and options). */
const sampleOf = (c: Case, seed: number): { readonly arbs: Arbs; readonly options: Options } =>
  c.draw === undefined ? { arbs: arbsOf(c), options: optionsOf(c) } : fc.sample(c.draw, { numRuns: 1, seed })[0]!

const prim = (c: Case): Primitive => {
  if (c.prim !== undefined) return c.prim()
  const p = lookupPrimitive(c.name)
  if (p === undefined) throw new Error(`no primitive ${c.name}`)
  return p
}

describe("primitiveRulesHold on every primitive", () => {
  it("covers every registered primitive (a new primitive needs a case here)", () => {
    const covered = [...new Set(cases.map((c) => c.name))].sort()
    const registered = allPrimitives()
      .map((p) => p.name)
      .filter((n) => !excluded.has(n))
      .sort()
    expect(covered).toEqual(registered)
    for (const name of excluded.keys()) expect(allPrimitives().map((p) => p.name)).toContain(name)
  })

  cases.forEach((c, i) => {
    it(`${c.name}${c.label === undefined ? "" : ` (${c.label})`}`, () => {
      laws.check(lawOf(c, prim(c)), { seed: 700 + i, numRuns: 10 })
    })
  })

  it("debug_print prints, under its jvp and batching rules too", () => {
    const i = cases.findIndex((c) => c.name === "debug_print")
    debugLines.length = 0
    laws.check(laws.primitiveRulesHold(prim(cases[i]!), arbsOf(cases[i]!), optionsOf(cases[i]!)), { seed: 700 + i, numRuns: 3 })
    expect(debugLines.length).toBeGreaterThan(0)
    expect(debugLines.every((l) => /^x = \[.*\] i = /s.test(l))).toBe(true)
  })

  it("custom_vjp_call's reverse rule, end to end, against finite differences", () => {
    laws.check(laws.customRuleMatchesFiniteDifferences(scaledSin, [f64([3]), f64([3])], { mode: "vjp" }), { seed: 799, numRuns: 8 })
  })
})

// ---------------------------------------------------------------------------------------------
// The cases are not vacuous: on an unregistered copy of each primitive with one rule off by one
// (1 added to every tangent, cotangent or batched output), the law fails.

const bump = (x: Array | Zero): Array => {
  const a = x instanceof Zero ? np.zeros(x.aval.shape, { dtype: x.aval.dtype }) : x
  return a.dtype === "bool" ? lax.not(a) : a.add(1).astype(a.dtype)
}

const withBrokenRule = (p: Primitive, rule: laws.PrimitiveRule): Primitive => {
  const copy = new Primitive<Params>(p.name, p.shapeRule, p.multipleResults)
  copy.impl = p.impl
  copy.jvp = p.jvp
  copy.transpose = p.transpose
  copy.batch = p.batch
  if (rule === "jvp") {
    copy.jvp = (xs, ts, params) => {
      const [outs, touts] = p.jvp!(xs, ts, params)
      return [outs, touts.map(bump)]
    }
  } else if (rule === "transpose") {
    copy.transpose = (cts, args, params) => p.transpose!(cts, args, params).map((c) => (c === null ? null : bump(c)))
  } else {
    copy.batch = (args, dims, params, size) => {
      const [outs, outDims] = p.batch!(args, dims, params, size)
      return [outs.map(bump), outDims]
    }
  }
  return copy as unknown as Primitive
}

describe("each case catches a broken rule", () => {
  // A broken copy has its primitive's name; caches that lower by name (kernels) must not hand
  // the copy's programs to the real primitive later: forget them after each case.
  afterEach(() => clearCaches())
  cases.forEach((c, i) => {
    // debug_print has no outputs: nothing of its rules' results can be off.
    if (c.name === "debug_print") return
    it(`${c.name}${c.label === undefined ? "" : ` (${c.label})`}`, () => {
      const p = prim(c)
      // The rules checked, and the inputs' dtypes, from one instance (drawn cases keep both across draws).
      const { arbs, options } = sampleOf(c, 900 + i)
      const all = options.rules ?? (["jvp", "transpose", "batch"] as const).filter((r) => p[r] !== undefined)
      // With no float input a jvp rule is never consulted (integer and bool values carry no
      // derivative), so a broken one cannot show: only the other rules are broken there.
      const sample = fc.sample(fc.tuple(...arbs), { numRuns: 1, seed: 900 + i })[0] as ReadonlyArray<unknown>
      const anyFloat = sample.some((x) => x instanceof Object && "dtype" in x && (x.dtype === "float32" || x.dtype === "float64"))
      const rules = all.filter((r) => r !== "jvp" || anyFloat)
      for (const rule of rules) {
        const property = lawOf(c, withBrokenRule(p, rule))
        const details = fc.check(property, { seed: 900 + i, numRuns: 10, endOnFailure: true })
        expect(details.failed, `a broken ${rule} rule of ${c.name} (1 added to its results) went unnoticed`).toBe(true)
      }
    })
  })
})
