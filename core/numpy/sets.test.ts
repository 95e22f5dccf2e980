/**
 * np's searching and set functions against real JAX (golden/sets.py): nonzero/argwhere with size and
 * fillValue, searchsorted, digitize, bincount, unique with every flag, axis, size and fillValue, its
 * array-API forms, isin and the 1-D set operations, on ints, uint32, bools, floats with NaN/±inf/-0
 * and empty arrays; the sized forms also under jit (their shapes no longer depend on the values).
 */
import { describe, expect, it } from "vitest"
import { type Array, ConcretizationError, jit, np, ValueError, vmap } from "../../index.js"
import { loadGolden } from "../../golden/load.js"
import { type Call, type CallCase, caseLabel, checkCall, decode } from "./golden-calls.test-helpers.js"

const golden = loadGolden<CallCase>("sets")
const A = (v: unknown): Array => v as Array
const o2 = (o: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, decode(v)]))
const obj = (r: Record<string, Array>): Array[] => Object.values(r)
const CALLS: Readonly<Record<string, Call>> = {
  "np.nonzero": ([x], o) => np.nonzero(A(x), o),
  "np.flatnonzero": ([x], o) => np.flatnonzero(A(x), o),
  "np.argwhere": ([x], o) => np.argwhere(A(x), o),
  "np.countNonzero": ([x], o) => np.countNonzero(A(x), o),
  "np.searchsorted": ([a, v], o) => np.searchsorted(A(a), v as Array, o2(o)),
  "np.digitize": ([x, b], o) => np.digitize(A(x), A(b), o),
  "np.bincount": ([x], o) => np.bincount(A(x), o2(o)),
  "np.unique": ([x], o) => np.unique(A(x), o),
  "np.uniqueValues": ([x], o) => np.uniqueValues(A(x), o),
  "np.uniqueCounts": ([x], o) => obj(np.uniqueCounts(A(x), o)),
  "np.uniqueInverse": ([x], o) => obj(np.uniqueInverse(A(x), o)),
  "np.uniqueAll": ([x], o) => obj(np.uniqueAll(A(x), o)),
  "np.isin": ([x, t], o) => np.isin(A(x), A(t), o),
  "np.union1d": ([a, b], o) => np.union1d(A(a), A(b), o),
  "np.setdiff1d": ([a, b], o) => np.setdiff1d(A(a), A(b), o),
  "np.setxor1d": ([a, b], o) => np.setxor1d(A(a), A(b), o),
  "np.intersect1d": ([a, b], o) => np.intersect1d(A(a), A(b), o)
}

describe("searching and sets against JAX (golden/sets.py)", () => {
  it(`every case (${golden.cases.length}, JAX ${golden.jax_version})`, () => {
    golden.cases.forEach((c, i) => checkCall(c, caseLabel(c, i), CALLS[c.fn]!))
  })
  it("the sized forms under jit", () => {
    const sized = golden.cases.filter(
      (c) => "size" in c.opts || "length" in c.opts || ["np.isin", "np.searchsorted", "np.digitize", "np.countNonzero"].includes(c.fn)
    )
    expect(sized.length).toBeGreaterThan(100)
    // every third sized case (compiling each one is the slow part)
    sized
      .filter((_, i) => i % 3 === 0)
      .forEach((c, i) => {
        const call = CALLS[c.fn]!
        checkCall(c, `jit ${caseLabel(c, i)}`, (args, o) => {
          const arrays = args.filter((a): a is Array => typeof a === "object" && a !== null && !globalThis.Array.isArray(a))
          if (arrays.length !== args.length) return call(args, o)
          return jit((...xs: Array[]) => call(xs, o) as Array)(...arrays)
        })
      })
  })
})

describe("value-dependent sizes", () => {
  it("without size, under jit: a ConcretizationError that points to size", () => {
    const x = np.array([3, 1, 3])
    expect(() => jit((a: Array) => np.unique(a))(x)).toThrow(ConcretizationError)
    expect(() => jit((a: Array) => np.unique(a))(x)).toThrow(/pass a static \{ size \}/)
    expect(() => jit((a: Array) => np.nonzero(a)[0]!)(x)).toThrow(/size/)
    expect(() => jit((a: Array) => np.bincount(a))(x)).toThrow(ConcretizationError)
  })
  it("vmap of the sized forms equals the per-example loop", () => {
    const x = np.array([
      [3, 0, 3, 1],
      [0, 0, 2, 2],
      [5, 4, 5, 4]
    ])
    const fs: ReadonlyArray<(a: Array) => Array> = [
      (a) => np.unique(a, { size: 4, fillValue: -1 }),
      (a) => np.nonzero(a, { size: 3 })[0]!,
      (a) => np.bincount(a, { length: 6 }),
      (a) => np.setdiff1d(a, np.array([3, 4]), { size: 3 }),
      (a) => np.isin(a, np.array([0, 5])),
      (a) => np.searchsorted(np.array([1, 3, 5]), a)
    ]
    for (const f of fs) expect(vmap(f)(x).toJs()).toEqual(np.stack([0, 1, 2].map((i) => f(x.index(i)))).toJs())
  })
  it("bad arguments say what to do", () => {
    expect(() => np.unique(np.zeros([0]), { size: 2 })).toThrow(/fillValue/)
    expect(() => np.searchsorted(np.ones([2, 2]), 1)).toThrow(/1-D/)
    expect(() => np.searchsorted(np.ones([2]), 1, { side: "middle" as never })).toThrow(ValueError)
    expect(() => np.bincount(np.array([1.5]))).toThrow(/integers/)
    expect(() => np.nonzero(np.array(1))).toThrow(/rank-0/)
  })
})
