/**
 * The project's catalog of `np`/`nn` functions for the laws: each function with arbitraries for
 * its arguments (value ranges that avoid its singularities) and which laws apply. The suite
 * (`catalog.test.ts`) runs every applicable law on every entry; a deep run can use more cases.
 *
 * Arguments that are not differentiable (indices, axes, shapes) are closed over, so every
 * argument an entry takes is a float array or a tuple of float arrays.
 */
import fc from "fast-check"
import { type Array, nn, np } from "../index.js"
import { array, type ArrayOptions, broadcastingArrays, type ShapeOptions } from "./arbitraries.js"
import type { Arbitraries } from "./laws.js"

export interface CatalogEntry {
  readonly name: string
  /** The function, erased: call it with values drawn from `args`. */
  readonly f: (...args: ReadonlyArray<unknown>) => unknown
  /** One arbitrary per argument. */
  readonly args: ReadonlyArray<fc.Arbitrary<unknown>>
  /** The derivative laws apply (float inputs and outputs). */
  readonly differentiable: boolean
}

interface EntryOptions {
  readonly differentiable?: boolean
}

const entry = <Args extends ReadonlyArray<unknown>>(
  name: string,
  f: (...args: Args) => unknown,
  args: Arbitraries<Args>,
  o: EntryOptions = {}
): CatalogEntry => ({
  name,
  // A wrapper named after the entry, so reports say "on nn.softmax" (np's functions keep their names).
  f: Object.defineProperty((...a: ReadonlyArray<unknown>) => (f as unknown as (...args: ReadonlyArray<unknown>) => unknown)(...a), "name", { value: name }),
  args: args as unknown as ReadonlyArray<fc.Arbitrary<unknown>>,
  differentiable: o.differentiable ?? true
})

const small: ShapeOptions = { maxRank: 2, maxDim: 3, maxSize: 6 }
/** A float32 array of a small random shape. */
const x = (o: Omit<ArrayOptions, "shape"> = {}): fc.Arbitrary<Array> => array({ shape: small, ...o })
/** A float32 array of a fixed shape. */
const xs = (shape: ReadonlyArray<number>, o: Omit<ArrayOptions, "shape"> = {}): fc.Arbitrary<Array> => array({ shape, ...o })
/** Two arrays whose shapes broadcast together. */
const pair = (o: Omit<ArrayOptions, "shape"> = {}): fc.Arbitrary<[Array, Array]> =>
  broadcastingArrays({ ...o, shapes: { maxRank: 2, maxDim: 3, maxSize: 6 } })
/** Values on a grid: no near-ties between distinct values (for functions with kinks at ties). */
const grid = { step: 1 / 64 } as const

type Pair = readonly [Array, Array]

const unary: ReadonlyArray<CatalogEntry> = [
  entry("negative", np.negative, [x()]),
  entry("abs", np.abs, [x()]),
  entry("sign", np.sign, [x()]),
  entry("square", np.square, [x()]),
  entry("reciprocal", np.reciprocal, [x({ exclude: [[-0.25, 0.25]] })]),
  entry("exp", np.exp, [x({ min: -3, max: 3 })]),
  entry("exp2", np.exp2, [x({ min: -3, max: 3 })]),
  entry("expm1", np.expm1, [x({ min: -3, max: 3 })]),
  entry("log", np.log, [x({ min: 0.1, max: 4 })]),
  entry("log1p", np.log1p, [x({ min: -0.5, max: 3 })]),
  entry("log2", np.log2, [x({ min: 0.1, max: 4 })]),
  entry("log10", np.log10, [x({ min: 0.1, max: 4 })]),
  entry("sqrt", np.sqrt, [x({ min: 0.1, max: 4 })]),
  entry("sin", np.sin, [x({ min: -4, max: 4 })]),
  entry("cos", np.cos, [x({ min: -4, max: 4 })]),
  entry("tan", np.tan, [x({ min: -1.2, max: 1.2 })]),
  entry("arcsin", np.arcsin, [x({ min: -0.9, max: 0.9 })]),
  entry("arccos", np.arccos, [x({ min: -0.9, max: 0.9 })]),
  entry("arctan", np.arctan, [x({ min: -4, max: 4 })]),
  entry("sinh", np.sinh, [x()]),
  entry("cosh", np.cosh, [x()]),
  entry("tanh", np.tanh, [x()]),
  entry("floor", np.floor, [x({ min: -3, max: 3 })]),
  entry("ceil", np.ceil, [x({ min: -3, max: 3 })]),
  entry("round", (a: Array) => np.round(a), [x({ min: -3, max: 3 })]),
  entry("clip", (a: Array) => np.clip(a, -1, 1), [x({ ...grid, min: -2, max: 2 })]),
  entry("power(x, 3)", (a: Array) => np.power(a, 3), [x()]),
  entry("power(x, 0.5)", (a: Array) => np.power(a, 0.5), [x({ min: 0.1, max: 4 })])
]

const activations: ReadonlyArray<CatalogEntry> = [
  entry("nn.relu", nn.relu, [x()]),
  entry("nn.relu6", nn.relu6, [x({ min: -2, max: 8 })]),
  entry("nn.sigmoid", nn.sigmoid, [x({ min: -6, max: 6 })]),
  entry("nn.softplus", nn.softplus, [x({ min: -6, max: 6 })]),
  entry("nn.logSigmoid", nn.logSigmoid, [x({ min: -6, max: 6 })]),
  entry("nn.gelu", (a: Array) => nn.gelu(a), [x({ min: -4, max: 4 })]),
  entry("nn.gelu(exact)", (a: Array) => nn.gelu(a, { approximate: false }), [x({ min: -4, max: 4 })]),
  entry("nn.silu", nn.silu, [x({ min: -4, max: 4 })]),
  entry("nn.elu", (a: Array) => nn.elu(a), [x()]),
  entry("nn.selu", nn.selu, [x()]),
  entry("nn.leakyRelu", (a: Array) => nn.leakyRelu(a), [x()]),
  entry("nn.softmax", (a: Array) => nn.softmax(a), [xs([2, 3], { min: -4, max: 4 })]),
  entry("nn.logSoftmax", (a: Array) => nn.logSoftmax(a, { axis: 0 }), [xs([3, 2], { min: -4, max: 4 })]),
  entry("nn.logsumexp", (a: Array) => nn.logsumexp(a, { axis: 1 }), [xs([2, 3], { min: -4, max: 4 })])
]

const nnFunctions: ReadonlyArray<CatalogEntry> = [
  entry("nn.celu", (a: Array) => nn.celu(a, 0.5), [x()]),
  entry("nn.mish", nn.mish, [x({ min: -4, max: 4 })]),
  entry("nn.softSign", nn.softSign, [x()]),
  entry("nn.squareplus", (a: Array) => nn.squareplus(a), [x()]),
  entry("nn.hardTanh", nn.hardTanh, [x({ ...grid, min: -2, max: 2 })]),
  entry("nn.hardSigmoid", nn.hardSigmoid, [x({ ...grid, min: -4, max: 4 })]),
  entry("nn.hardSilu", nn.hardSilu, [x({ ...grid, min: -4, max: 4 })]),
  entry("nn.sparsePlus", nn.sparsePlus, [x({ ...grid, min: -2, max: 2 })]),
  entry("nn.sparseSigmoid", nn.sparseSigmoid, [x({ ...grid, min: -2, max: 2 })]),
  entry("nn.log1mexp", nn.log1mexp, [x({ min: 0.1, max: 5 })]),
  entry("nn.glu", (a: Array) => nn.glu(a), [xs([2, 4])]),
  entry("nn.standardize", (a: Array) => nn.standardize(a), [xs([2, 4], { min: -3, max: 3 })]),
  entry("nn.logmeanexp", (a: Array) => nn.logmeanexp(a, { axis: 1 }), [xs([2, 3], { min: -4, max: 4 })]),
  entry(
    "nn.dotProductAttention",
    (q: Array, k: Array, v: Array) => nn.dotProductAttention(q, k, v, { isCausal: true }),
    [xs([1, 3, 2, 2]), xs([1, 3, 1, 2]), xs([1, 3, 1, 2])]
  )
]

const binary: ReadonlyArray<CatalogEntry> = [
  entry("add", ([a, b]: Pair) => np.add(a, b), [pair()]),
  entry("subtract", ([a, b]: Pair) => np.subtract(a, b), [pair()]),
  entry("multiply", ([a, b]: Pair) => np.multiply(a, b), [pair()]),
  entry("divide", (a: Array, b: Array) => np.divide(a, b), [xs([2, 3]), xs([3], { exclude: [[-0.25, 0.25]] })]),
  entry("power", (a: Array, b: Array) => np.power(a, b), [xs([2, 2], { min: 0.2, max: 3 }), xs([2, 1], { min: -2, max: 2 })]),
  entry("maximum", ([a, b]: Pair) => np.maximum(a, b), [pair(grid)]),
  entry("minimum", ([a, b]: Pair) => np.minimum(a, b), [pair(grid)]),
  entry("arctan2", (a: Array, b: Array) => np.arctan2(a, b), [xs([3]), xs([3], { min: 0.1, max: 2 })]),
  entry("mod", (a: Array, b: Array) => np.mod(a, b), [xs([3], { min: -4, max: 4 }), xs([3], { min: 0.5, max: 2 })]),
  entry("where", ([a, b]: Pair) => np.where(np.greater(a, b), a, np.multiply(b, 2)), [pair(grid)])
]

const reductions: ReadonlyArray<CatalogEntry> = [
  entry("sum", (a: Array) => np.sum(a), [x()]),
  entry("sum(axis=0)", (a: Array) => np.sum(a, { axis: 0 }), [xs([3, 2])]),
  entry("sum(axis=1, keepdims)", (a: Array) => np.sum(a, { axis: 1, keepdims: true }), [xs([2, 3])]),
  entry("prod(axis=1)", (a: Array) => np.prod(a, { axis: 1 }), [xs([2, 3])]),
  entry("mean(axis=[0, 2])", (a: Array) => np.mean(a, { axis: [0, 2] }), [xs([2, 2, 2])]),
  entry("max(axis=0)", (a: Array) => np.max(a, { axis: 0 }), [xs([3, 2], grid)]),
  entry("min", (a: Array) => np.min(a), [xs([2, 3], grid)]),
  entry("var(axis=1)", (a: Array) => np.var(a, { axis: 1 }), [xs([2, 3])]),
  entry("std", (a: Array) => np.std(a), [xs([4], { step: 1 / 8 }).filter((a) => new Set(a.data()).size > 1)]),
  entry("cumsum(axis=1)", (a: Array) => np.cumsum(a, { axis: 1 }), [xs([2, 3])]),
  entry("cumprod", (a: Array) => np.cumprod(a), [xs([4])])
]

const shapes: ReadonlyArray<CatalogEntry> = [
  entry("reshape", (a: Array) => np.reshape(a, [2, 3]), [xs([3, 2])]),
  entry("ravel", (a: Array) => np.ravel(a), [xs([2, 3])]),
  entry("transpose", (a: Array) => np.transpose(a, [1, 2, 0]), [xs([2, 3, 1])]),
  entry("swapaxes", (a: Array) => np.swapaxes(a, 0, 1), [xs([2, 3])]),
  entry("moveaxis", (a: Array) => np.moveaxis(a, 0, -1), [xs([2, 1, 3])]),
  entry("squeeze", (a: Array) => np.squeeze(a), [xs([3, 1, 2])]),
  entry("expandDims", (a: Array) => np.expandDims(a, 1), [xs([2, 3])]),
  entry("broadcastTo", (a: Array) => np.broadcastTo(a, [2, 3]), [xs([3])]),
  entry("concatenate", (a: Array, b: Array) => np.concatenate([a, b], 0), [xs([2, 3]), xs([1, 3])]),
  entry("stack", (a: Array, b: Array) => np.stack([a, b], 1), [xs([3]), xs([3])]),
  entry("flip", (a: Array) => np.flip(a, 1), [xs([2, 3])]),
  entry("tile", (a: Array) => np.tile(a, [2, 1]), [xs([1, 3])]),
  entry("repeat", (a: Array) => np.repeat(a, 2, 0), [xs([2, 2])]),
  entry("pad", (a: Array) => np.pad(a, [[1, 0], [0, 2]]), [xs([2, 2])]),
  entry("split", (a: Array) => np.split(a, 2, 1), [xs([2, 4])]),
  entry("take", (a: Array) => np.take(a, np.array([2, 0, 2]), { axis: 0 }), [xs([3, 2])]),
  entry("index", (a: Array) => a.index(1, "0:2"), [xs([2, 3])]),
  entry("at.set", (a: Array, b: Array) => a.at(0).set(b), [xs([2, 3]), xs([3])]),
  entry("at.add", (a: Array, b: Array) => a.at(np.array([1, 1])).add(b), [xs([2, 3]), xs([2, 3])])
]

const linalg: ReadonlyArray<CatalogEntry> = [
  entry("matmul", (a: Array, b: Array) => np.matmul(a, b), [xs([2, 3]), xs([3, 2])]),
  entry("matmul(batched)", (a: Array, b: Array) => np.matmul(a, b), [xs([2, 2, 3]), xs([3, 2])]),
  entry("matmul(vector)", (a: Array, b: Array) => np.matmul(a, b), [xs([3]), xs([3, 2])]),
  entry("dot", (a: Array, b: Array) => np.dot(a, b), [xs([2, 3]), xs([3])]),
  entry("vdot", (a: Array, b: Array) => np.vdot(a, b), [xs([4]), xs([4])]),
  entry("inner", (a: Array, b: Array) => np.inner(a, b), [xs([2, 3]), xs([2, 3])]),
  entry("outer", (a: Array, b: Array) => np.outer(a, b), [xs([2]), xs([3])]),
  entry("tensordot", (a: Array, b: Array) => np.tensordot(a, b, 1), [xs([2, 3]), xs([3, 2])]),
  entry("einsum", (a: Array, b: Array) => np.einsum("ij,jk->ik", a, b), [xs([2, 3]), xs([3, 2])])
]

/** Functions with integer or boolean outputs (or inputs): only jit applies. */
const discrete: ReadonlyArray<CatalogEntry> = [
  entry("greater", ([a, b]: Pair) => np.greater(a, b), [pair(grid)], { differentiable: false }),
  entry("equal", ([a, b]: Pair) => np.equal(a, b), [pair({ step: 1 / 2 })], { differentiable: false }),
  entry("isfinite", (a: Array) => np.isfinite(np.divide(a, a)), [x({ step: 1 / 4 })], { differentiable: false }),
  entry("argmax(axis=1)", (a: Array) => np.argmax(a, { axis: 1 }), [xs([2, 3], grid)], { differentiable: false }),
  entry("argmin", (a: Array) => np.argmin(a), [xs([2, 3], grid)], { differentiable: false }),
  entry("floorDivide", (a: Array, b: Array) => np.floorDivide(a, b), [xs([3], { min: -4, max: 4 }), xs([3], { min: 0.5, max: 2 })], { differentiable: false }),
  entry("astype(int32)", (a: Array) => a.astype("int32"), [x({ min: -100, max: 100 })], { differentiable: false }),
  entry("nn.oneHot", (a: Array) => nn.oneHot(a.astype("int32"), 4), [xs([3], { min: 0, max: 3.9 })], { differentiable: false })
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
