/**
 * np's differences, products, calculus, function helpers, polynomials and windows against real
 * JAX (golden/gen_numpy_calc.py), eagerly and under jit; then grad against finite differences and
 * vmap on the differentiable ones.
 */
import { describe, expect, it } from "vitest"
import { type GoldenArray, loadGolden } from "../../golden/load.js"
import { type Array, jit, np, ShapeError, ValueError } from "../../index.js"
import * as laws from "../../laws/index.js"
import { arb } from "../../laws/index.js"
import { expectGoldenOut, fromGolden } from "./golden-helpers.js"

interface Case {
  readonly id: string
  readonly args: ReadonlyArray<GoldenArray>
  readonly out: GoldenArray | ReadonlyArray<GoldenArray>
}
type Out = Array | ReadonlyArray<Array>
const golden = loadGolden<Case>("numpy_calc")
const f32 = (v: ReadonlyArray<number> | ReadonlyArray<ReadonlyArray<number>>) => np.array(v as number[], { dtype: "float32" })

const windows = ["bartlett", "blackman", "hamming", "hanning"] as const
const calls: Readonly<Record<string, (...a: Array[]) => Out>> = {
  diff: (x) => np.diff(x),
  "diff:n2-axis0": (x) => np.diff(x, { n: 2, axis: 0 }),
  "diff:prepend-append": (x) => np.diff(x, { prepend: 0, append: f32([[9], [9], [9]]) }),
  "diff:bool": (x) => np.diff(x),
  "diff:int": (x) => np.diff(x),
  "diff:n0": (x) => np.diff(x, { n: 0 }),
  ediff1d: (x) => np.ediff1d(x, { toEnd: [100, 200], toBegin: -1 }),
  "ediff1d:int-cast": (x) => np.ediff1d(x, { toBegin: [9.5] }),
  kron: (a, b) => np.kron(a, b!),
  "kron:ranks": (a, b) => np.kron(a, b!),
  "cross:3": (a, b) => np.cross(a, b!),
  "cross:2": (a, b) => np.cross(a, b!),
  "cross:2x3": (a, b) => np.cross(a, b!),
  "cross:axis0": (a, b) => np.cross(a, b!, { axis: 0 }),
  gradient: (x) => np.gradient(x),
  "gradient:2d": (x) => np.gradient(x),
  "gradient:spacing": (x) => np.gradient(x, { spacing: 0.5, axis: 1 }),
  "gradient:coords": (x, c) => np.gradient(x, { spacing: [c!] }),
  trapezoid: (y) => np.trapezoid(y),
  "trapezoid:x": (y, x) => np.trapezoid(y, { x: x! }),
  "trapezoid:dx-axis0": (y) => np.trapezoid(y, { dx: 0.25, axis: 0 }),
  interp: (x, xp, fp) => np.interp(x, xp!, fp!),
  "interp:left-right": (x, xp, fp) => np.interp(x, xp!, fp!, { left: -100, right: 100 }),
  "interp:repeated-xp": (x, xp, fp) => np.interp(x, xp!, fp!),
  "interp:period": (x, xp, fp) => np.interp(x, xp!, fp!, { period: 3 }),
  unwrap: (x) => np.unwrap(x),
  "unwrap:period": (x) => np.unwrap(x, { period: 4, axis: 0 }),
  "unwrap:discont": (x) => np.unwrap(x, { discont: 4 }),
  vectorize: (a, b) => np.vectorize((p: Array, q: Array) => np.add(p, np.multiply(2, q)))(a, b!),
  "vectorize:signature": (a, b) => np.vectorize((p: Array, q: Array) => np.dot(p, q), { signature: "(m,n),(n)->(m)" })(a, b!),
  "vectorize:excluded": (a) => np.vectorize((p: Array, k: Array) => np.multiply(p, k), { excluded: [1] })(a, 3),
  applyAlongAxis: (a) => np.applyAlongAxis((r: Array) => np.sum(np.multiply(r, r)), 1, a),
  "applyAlongAxis:vector-out": (a) => np.applyAlongAxis((r: Array) => np.stack([np.min(r), np.max(r)]), 0, a),
  applyOverAxes: (a) => np.applyOverAxes((x, ax) => np.sum(x, { axis: ax }), a, [0, 2]),
  fromfunction: () => np.fromfunction((i: Array, j: Array) => np.add(i, np.multiply(10, j)), [2, 3]),
  "fromfunction:int": () => np.fromfunction((i: Array, j: Array) => np.multiply(i, j), [3, 3], { dtype: "int32" }),
  select: (x) => np.select([np.less(x, 2), np.greater(x, 3)], [x, np.multiply(x, 10)], -1),
  "select:overlap": (x) => np.select([np.less(x, 4), np.greater(x, 1)], [x, np.negative(x)]),
  piecewise: (x) => np.piecewise(x, [np.less(x, 2), np.greaterEqual(x, 4)], [(t) => np.negative(t), (t) => np.multiply(t, t)]),
  "piecewise:otherwise": (x) => np.piecewise(x, [np.less(x, 2), np.greater(x, 1)], [1, (t) => np.multiply(t, 2), 7]),
  polyval: (p, x) => np.polyval(p, x!),
  "polyval:int": (p, x) => np.polyval(p, x!),
  polyadd: (a, b) => np.polyadd(a, b!),
  polysub: (a, b) => np.polysub(a, b!),
  polymul: (a, b) => np.polymul(a, b!),
  polydiv: (a, b) => np.polydiv(a, b!),
  polyder: (p) => np.polyder(p),
  "polyder:m2": (p) => np.polyder(p, 2),
  polyint: (p) => np.polyint(p),
  "polyint:m2-k": (p) => np.polyint(p, { m: 2, k: [1, 2] }),
  poly: (z) => np.poly(z),
  vander: (x) => np.vander(x),
  "vander:N-increasing": (x) => np.vander(x, { N: 3, increasing: true }),
  ...Object.fromEntries([0, 1, 2, 5, 8].flatMap((M) => [...windows.map((w) => [`${w}:${M}`, () => np[w](M)]), [`kaiser:${M}`, () => np.kaiser(M, 5)]])),
  "kaiser:beta0": () => np.kaiser(6, 0),
  "kaiser:beta14": () => np.kaiser(7, 14)
}

const eagerOnly = /^(none)$/
const tolerance = (id: string): number =>
  /^(kaiser|blackman|hamming|hanning|interp|gradient|unwrap|polydiv|polyint|poly$|cross)/.test(id) ? 5e-6 : /^(trapezoid|vander|polyval)/.test(id) ? 1e-6 : 0

describe("np calculus, functional, poly and windows equal JAX's (golden/gen_numpy_calc.py)", () => {
  it("every golden case has a call, and every call a case", () => {
    expect(golden.cases.map((c) => c.id).sort()).toEqual(Object.keys(calls).sort())
  })
  for (const c of golden.cases) {
    it(c.id, () => {
      const f = calls[c.id]!
      const args = c.args.map(fromGolden)
      expectGoldenOut(f(...args), c.out, c.id, tolerance(c.id))
      if (!eagerOnly.test(c.id) && args.length > 0) expectGoldenOut(jit(f)(...args) as Out, c.out, `jit ${c.id}`, tolerance(c.id))
    })
  }
})

const f64 = (shape: ReadonlyArray<number>, min = -3, max = 3) => arb.array({ shape, dtype: "float64", min, max, step: 1 / 16 })
describe("laws", () => {
  const xp = np.array([0, 1, 2.5, 4], { dtype: "float64" })
  const cases: ReadonlyArray<readonly [string, (x: Array) => Out, ReadonlyArray<number>]> = [
    ["diff", (x) => np.diff(x, { n: 2, axis: 0 }), [4, 2]],
    ["kron", (x) => np.kron(x, np.multiply(x, x)), [2, 2]],
    ["cross", (x) => np.cross(x, np.sin(x)), [2, 3]],
    ["gradient", (x) => np.gradient(x, { spacing: [np.array([0, 1, 1.5, 3], { dtype: "float64" })], axis: 0 }), [4, 2]],
    ["trapezoid", (x) => np.trapezoid(x, { x: np.array([0, 0.5, 2], { dtype: "float64" }) }), [2, 3]],
    ["interp (in fp and x)", (x) => np.interp(np.multiply(np.abs(x), 1.2), xp, np.sin(np.add(xp, np.sum(x)))), [4]],
    ["unwrap", (x) => np.unwrap(np.multiply(x, 2)), [5]],
    ["vectorize", (x) => np.vectorize((v: Array) => np.sum(np.sin(v)), { signature: "(n)->()" })(x), [3, 2]],
    ["applyAlongAxis", (x) => np.applyAlongAxis((v: Array) => np.cumsum(v), 0, x), [3, 2]],
    ["piecewise", (x) => np.piecewise(x, [np.less(x, 0)], [(t) => np.multiply(t, t), (t) => np.sin(t)]), [4]],
    ["polyval", (x) => np.polyval(x, np.array([0.5, -1.5], { dtype: "float64" })), [4]],
    ["polymul", (x) => np.polymul(x, np.flip(x)), [3]],
    ["polydiv", (x) => np.polydiv(x, np.array([1, 0.5], { dtype: "float64" })), [4]],
    ["polyint", (x) => np.polyint(x, { m: 2 }), [3]]
  ]
  for (const [name, f, shape] of cases) {
    it(`${name}: grad matches finite differences, vmap matches stacking`, () => {
      laws.check(laws.gradMatchesFiniteDifferences(laws.scalarize(f), [f64(shape)]), { seed: 21, numRuns: 4 })
      laws.check(laws.vmapMatchesStack(f, [f64(shape)]), { seed: 22, numRuns: 4 })
    })
  }
  it("refuses what JAX refuses, saying what to do", () => {
    expect(() => np.gradient(np.array([1]))).toThrow(ShapeError)
    expect(() => np.cross(np.ones([4]), np.ones([3]))).toThrow(/2 or 3 components/)
    expect(() => np.vectorize((a: Array) => a, { signature: "(n)" })).toThrow(ValueError)
    expect(() => np.interp(np.ones([2]), np.ones([3]), np.ones([2]))).toThrow(ShapeError)
    expect(() => np.select([np.array([1])], [np.array([1])])).toThrow(/must be bool/)
  })
})
