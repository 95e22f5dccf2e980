/**
 * np's sorting and lax.sort/sortKeyVal/topK against real JAX (golden/sorting.py): every dtype, axes,
 * ties, NaNs of both signs, ±inf, -0 and empty arrays, compared exactly (-0 distinct from +0);
 * then jit and vmap agree with eager, and the derivatives of sort and topK match finite differences.
 */
import { describe, expect, it } from "vitest"
import { type Array, grad, jit, lax, np, ValueError, vmap } from "../../index.js"
import { loadGolden } from "../../golden/load.js"
import { type Call, type CallCase, caseLabel, checkCall } from "./golden-calls.test-helpers.js"

const golden = loadGolden<CallCase>("sorting")
const A = (v: unknown): Array => v as Array
const CALLS: Readonly<Record<string, Call>> = {
  "np.sort": ([x], o) => np.sort(A(x), o),
  "np.argsort": ([x], o) => np.argsort(A(x), o),
  "np.partition": ([x, k], o) => np.partition(A(x), k as number, o),
  "np.argpartition": ([x, k], o) => np.argpartition(A(x), k as number, o),
  "np.lexsort": ([ks], o) => np.lexsort(ks as Array[], o),
  "lax.topK": ([x, k], o) => lax.topK(A(x), k as number, o),
  "lax.sort": ([x], o) => lax.sort(x as Array, o),
  "lax.sortKeyVal": ([k, v], o) => lax.sortKeyVal(A(k), A(v), o)
}

describe("sorting against JAX (golden/sorting.py)", () => {
  it(`every case (${golden.cases.length}, JAX ${golden.jax_version})`, () => {
    golden.cases.forEach((c, i) => checkCall(c, caseLabel(c, i), CALLS[c.fn]!))
  })
  it("under jit", () => {
    golden.cases.forEach((c, i) => {
      const call = CALLS[c.fn]!
      checkCall(c, `jit ${caseLabel(c, i)}`, (args, o) => {
        const arrays = args.filter((a): a is Array => typeof a === "object" && a !== null && !globalThis.Array.isArray(a))
        if (arrays.length !== args.length) return call(args, o)
        return jit((...xs: Array[]) => call(xs, o) as Array)(...arrays)
      })
    })
  })
})

describe("transformations", () => {
  const x = np.array(
    [
      [0.3, -1.2, 2.5, 0.7],
      [1.1, 0.4, -0.6, 3.0],
      [-2.0, 0.9, 0.1, 0.8]
    ],
    { dtype: "float64" }
  )
  const w = np.array(
    [
      [1, 2, 3, 4],
      [-1, 0.5, 2, 1],
      [0.25, 3, -2, 1]
    ],
    { dtype: "float64" }
  )
  const fd = (f: (a: Array) => Array, a: Array): number[] => {
    const base = [...a.data()]
    const eps = 1e-6
    return base.map((_, i) => {
      const p = [...base]
      const m = [...base]
      p[i]! += eps
      m[i]! -= eps
      const shape = a.shape
      return (f(np.array(p, { dtype: "float64" }).reshape(shape)).item() - f(np.array(m, { dtype: "float64" }).reshape(shape)).item()) / (2 * eps)
    })
  }
  const expectGradFd = (f: (a: Array) => Array, a: Array): void => {
    const g = [...grad(f)(a).data()]
    fd(f, a).forEach((v, i) => expect(g[i]).toBeCloseTo(v, 6))
  }

  it("grad of sort, descending sort, topK and partition vs finite differences", () => {
    expectGradFd((a) => np.sum(np.sort(a, { axis: 0 }).mul(w)), x)
    expectGradFd((a) => np.sum(np.sort(a, { descending: true }).mul(w)), x)
    expectGradFd((a) => np.sum(lax.topK(a, 2)[0].mul(np.array([3, -1], { dtype: "float64" }))), x)
    expectGradFd((a) => np.sum(np.partition(a, 1).mul(w)), x)
  })

  it("vmap equals the per-example loop", () => {
    const fs: ReadonlyArray<(a: Array) => Array> = [
      (a) => np.sort(a),
      (a) => np.argsort(a, { descending: true }),
      (a) => lax.topK(a, 3)[1],
      (a) => lax.topK(a, 2)[0],
      (a) => np.partition(a, 1),
      (a) => np.argpartition(a, 2),
      (a) => np.lexsort([a, np.floor(a)])
    ]
    for (const f of fs) {
      const batched = vmap(f)(x)
      const loop = np.stack([0, 1, 2].map((i) => f(x.index(i))))
      expect(batched.toJs()).toEqual(loop.toJs())
      expect(vmap(f, { inAxes: 1 })(x).toJs()).toEqual(np.stack([0, 1, 2, 3].map((i) => f(x.index(":", i)))).toJs())
    }
  })

  it("bad arguments are errors that say what to do", () => {
    expect(() => np.sort(np.array(1))).toThrow(/rank-0.*axis: null/)
    expect(() => np.sort(x, { axis: 2 })).toThrow(/axis/)
    expect(() => lax.topK(x, 5)).toThrow(ValueError)
    expect(() => lax.topK(x, 5)).toThrow(/k must be an integer in \[0, 4\]/)
    expect(() => np.partition(x, 4)).toThrow(/kth/)
    expect(() => np.lexsort([])).toThrow(/non-empty list/)
    expect(() => np.lexsort([x, np.ones([2])])).toThrow(/one shape/)
    expect(() => lax.sort([x, x], { numKeys: 3 })).toThrow(/numKeys/)
  })
})
