/**
 * lax's dynamic slicing, scans, user reductions and small operations against real JAX
 * (golden/gen_lax_extra.py), eagerly and under jit (traced start indices); then the laws: grad
 * against finite differences and vmap (with batched start indices) against stacking.
 */
import { describe, expect, it } from "vitest"
import { type GoldenArray, loadGolden } from "../../golden/load.js"
import { type Array, grad, jit, lax, np, ShapeError, vmap } from "../../index.js"
import * as laws from "../../laws/index.js"
import { arb } from "../../laws/index.js"
import { expectGoldenOut, fromGolden } from "../numpy/golden-helpers.js"

interface Case {
  readonly id: string
  readonly args: ReadonlyArray<GoldenArray>
  readonly out: GoldenArray | ReadonlyArray<GoldenArray>
}
type Out = Array | ReadonlyArray<Array>
const golden = loadGolden<Case>("lax_extra")

const affine = (p: readonly [Array, Array], q: readonly [Array, Array]): readonly [Array, Array] => [lax.mul(q[0], p[0]), lax.add(lax.mul(q[0], p[1]), q[1])]

const calls: Readonly<Record<string, (...a: Array[]) => Out>> = {
  ...Object.fromEntries(
    [
      [0, 0],
      [1, 2],
      [3, 4],
      [-2, 1],
      [9, -9]
    ].flatMap(([s0, s1]) => [
      [`dynamicSlice:${s0},${s1}`, (x: Array, a: Array, c: Array) => lax.dynamicSlice(x, [a, c], [2, 3])],
      [`dynamicUpdateSlice:${s0},${s1}`, (x: Array, u: Array, a: Array, c: Array) => lax.dynamicUpdateSlice(x, u, [a, c])]
    ])
  ),
  "dynamicSlice:3d": (x, a) => lax.dynamicSlice(x, [1, a!, 0], [1, 2, 4]),
  "dynamicSlice:zero-size": (x, a) => lax.dynamicSlice(x, [a!, 0], [0, 5]),
  "dynamicUpdateSlice:int": (x, u, a) => lax.dynamicUpdateSlice(x, u!, [a!]),
  dynamicSliceInDim: (x, a) => lax.dynamicSliceInDim(x, a!, 2, 1),
  dynamicIndexInDim: (x, a) => lax.dynamicIndexInDim(x, a!, 0, false),
  "dynamicIndexInDim:keep": (x, a) => lax.dynamicIndexInDim(x, a!, 2),
  dynamicUpdateSliceInDim: (x, u, a) => lax.dynamicUpdateSliceInDim(x, u!, a!, 1),
  dynamicUpdateIndexInDim: (x, u, a) => lax.dynamicUpdateIndexInDim(x, u!, a!, 0),
  sliceInDim: (x) => lax.sliceInDim(x, 1, null, 2, 1),
  "sliceInDim:neg": (x) => lax.sliceInDim(x, -3, -1, 1, 0),
  indexInDim: (x) => lax.indexInDim(x, -1, 1, false),
  ...Object.fromEntries(
    (["cummax", "cummin", "cumlogsumexp"] as const).flatMap((name) =>
      [0, 1].flatMap((axis) => [false, true].map((rev) => [`${name}:${axis}:${rev ? "True" : "False"}`, (x: Array) => lax[name](x, axis, rev)]))
    )
  ),
  "cummax:int": (x) => lax.cummax(x),
  "cumlogsumexp:long": (x) => lax.cumlogsumexp(x),
  "associativeScan:add": (x) => lax.associativeScan(lax.add, x),
  "associativeScan:mul-rev-axis1": (x) => lax.associativeScan(lax.mul, x, { reverse: true, axis: 1 }),
  "associativeScan:affine-pytree": (a, b) => lax.associativeScan(affine, [a, b!] as const),
  "associativeScan:max-len1": (x) => lax.associativeScan(lax.max, x),
  "associativeScan:empty": (x) => lax.associativeScan(lax.add, x),
  "reduce:max": (x, i) => lax.reduce(x, i!, lax.max, [1]),
  "reduce:sum-all": (x, i) => lax.reduce(x, i!, (a: Array, c: Array) => lax.add(a, c), [0, 1, 2]),
  "reduce:empty": (x, i) => lax.reduce(x, i!, lax.add, [0]),
  "reduce:pair-argmax": (x, i, j0) =>
    lax.reduce(
      [x, i!] as const,
      [np.array(-Infinity, { dtype: "float32" }), j0!] as const,
      (p, q) => {
        const take = lax.ge(p[0], q[0])
        return [lax.select(take, p[0], q[0]), lax.select(take, p[1], q[1])] as const
      },
      [1]
    ),
  map: (x) => lax.map((r: Array) => np.sum(np.multiply(r, r)), x),
  "map:batch": (x) => lax.map((r: Array) => np.multiply(np.flip(r), 2), x, { batchSize: 3 }),
  clamp: (lo, x, hi) => lax.clamp(lo, x!, hi!),
  "clamp:array-bounds": (lo, x, hi) => lax.clamp(lo, x!, hi!),
  "selectN:int": (w, a, c, d) => lax.selectN(w, a!, c!, d!),
  "selectN:bool": (w, a, c) => lax.selectN(w, a!, c!),
  expandDims: (x) => lax.expandDims(x, [0, 3]),
  squeeze: (x) => lax.squeeze(x, [0, 2]),
  broadcast: (x) => lax.broadcast(x, [2, 1]),
  broadcastedIota: () => lax.broadcastedIota("int32", [2, 3], 1),
  full: () => lax.full([2, 2], 7, "int32"),
  fullLike: (x) => lax.fullLike(x, 1.5),
  collapse: (x) => lax.collapse(x, 1),
  "collapse:range": (x) => lax.collapse(x, 0, 2),
  square: (x) => lax.square(x),
  reciprocal: (x) => lax.reciprocal(x),
  asinh: (x) => lax.asinh(x),
  acosh: (x) => lax.acosh(x),
  atanh: (x) => lax.atanh(x),
  cbrt: (x) => lax.cbrt(x),
  reduceAnd: (x) => lax.reduceAnd(x, [1]),
  reduceOr: (x) => lax.reduceOr(x, [0]),
  "dot:mv": (a, b) => lax.dot(a, b!),
  "dot:vv": (a, b) => lax.dot(a, b!),
  batchMatmul: (a, b) => lax.batchMatmul(a, b!),
  populationCount: (x) => lax.populationCount(x),
  "reduceXor:bool": (x) => lax.reduceXor(x, [1]),
  "reduceXor:int": (x) => lax.reduceXor(x, [0]),
  "reduceAnd:int": (x) => lax.reduceAnd(x, [0]),
  "reduceOr:uint": (x) => lax.reduceOr(x, [1]),
  "populationCount:uint": (x) => lax.populationCount(x),
  clz: (x) => lax.clz(x),
  "clz:uint": (x) => lax.clz(x),
  ...Object.fromEntries(
    [
      [8, 7],
      [5, 10],
      [8, 23],
      [4, 3],
      [8, 0],
      [2, 1]
    ].map(([e, m]) => [`reducePrecision:${e},${m}`, (x: Array) => lax.reducePrecision(x, e!, m!)])
  )
}

const tolerance = (id: string): number => (/^(cumlogsumexp|asinh|acosh|atanh|cbrt|associativeScan:affine|map)/.test(id) ? 4e-6 : 0)

describe("lax extras equal JAX's (golden/gen_lax_extra.py)", () => {
  it("every golden case has a call, and every call a case", () => {
    expect(golden.cases.map((c) => c.id).sort()).toEqual(Object.keys(calls).sort())
  })
  for (const c of golden.cases) {
    it(c.id, () => {
      const f = calls[c.id]!
      const args = c.args.map(fromGolden)
      expectGoldenOut(f(...args), c.out, c.id, tolerance(c.id))
      if (args.length > 0) expectGoldenOut(jit(f)(...args) as Out, c.out, `jit ${c.id}`, tolerance(c.id))
    })
  }
})

const f64 = (shape: ReadonlyArray<number>, min = -3, max = 3) => arb.array({ shape, dtype: "float64", min, max, step: 1 / 16 })

describe("laws", () => {
  const cases: ReadonlyArray<readonly [string, (x: Array) => Out, ReadonlyArray<number>]> = [
    ["dynamicSlice", (x) => lax.dynamicSlice(x, [np.array(1), np.array(5)], [2, 2]), [3, 4]],
    ["dynamicUpdateSlice", (x) => lax.dynamicUpdateSlice(x, np.multiply(np.ones([2, 2], { dtype: "float64" }), np.sum(x)), [np.array(2), 1]), [3, 4]],
    ["cummax", (x) => lax.cummax(x, 1), [2, 5]],
    ["cummin (reverse)", (x) => lax.cummin(x, 0, true), [5, 2]],
    ["cumlogsumexp", (x) => lax.cumlogsumexp(x, 1), [2, 5]],
    ["associativeScan (affine)", (x) => lax.associativeScan(affine, [np.tanh(x), x] as const)[1], [6]],
    ["map", (x) => lax.map((r: Array) => np.sum(np.sin(r)), x), [3, 2]],
    ["map (batched)", (x) => lax.map((r: Array) => np.multiply(r, r), x, { batchSize: 2 }), [5, 2]],
    ["reduce (user max)", (x) => lax.reduce(x, np.array(-Infinity, { dtype: "float64" }), lax.max, [0]), [5, 2]],
    ["clamp", (x) => lax.clamp(np.array(-1, { dtype: "float64" }), x, np.array(1, { dtype: "float64" })), [4]]
  ]
  for (const [name, f, shape] of cases) {
    it(`${name}: grad matches finite differences, vmap matches stacking`, () => {
      laws.check(laws.gradMatchesFiniteDifferences(laws.scalarize(f), [f64(shape)]), { seed: 11, numRuns: 4 })
      laws.check(laws.vmapMatchesStack(f, [f64(shape)]), { seed: 12, numRuns: 4 })
    })
  }
  it("dynamicSlice batches over its start indices, and differentiates through a traced start", () => {
    const x = np.arange(10, { dtype: "float32" })
    const starts = np.array([0, 3, 9])
    expect(vmap((s: Array) => lax.dynamicSlice(x, [s], [2]))(starts).toJs()).toEqual([
      [0, 1],
      [3, 4],
      [8, 9]
    ])
    const g = grad((y: Array) => np.sum(lax.dynamicSliceInDim(y, np.array(4), 3)))(x)
    expect(g.toJs()).toEqual([0, 0, 0, 0, 1, 1, 1, 0, 0, 0])
    const u = vmap((s: Array) => lax.dynamicUpdateSlice(np.zeros([4]), np.ones([2]), [s]))(np.array([0, 1, 3]))
    expect(u.toJs()).toEqual([
      [1, 1, 0, 0],
      [0, 1, 1, 0],
      [0, 0, 1, 1]
    ])
  })
  it("reducePrecision's gradient rounds the cotangent (JAX's rule: 1.00390625 is 1 in bfloat16)", () => {
    const g = grad((x: Array) => np.sum(np.multiply(lax.reducePrecision(x, 8, 7), 1.00390625)))(np.array([2, 3], { dtype: "float32" }))
    expect(g.toJs()).toEqual([1, 1])
    expect(vmap((x: Array) => lax.reducePrecision(x, 5, 10))(np.array([[65520, 1]], { dtype: "float32" })).toJs()).toEqual([[Infinity, 1]])
  })
  it("refuses bad shapes with what to do", () => {
    expect(() => lax.dynamicSlice(np.zeros([3]), [0, 0], [1])).toThrow(ShapeError)
    expect(() => lax.dynamicSlice(np.zeros([3]), [0], [4])).toThrow(/slice size 4 does not fit/)
    expect(() => lax.clamp(np.zeros([2]), np.zeros([3]), np.ones([]))).toThrow(ShapeError)
  })
})
