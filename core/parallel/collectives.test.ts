/**
 * Collectives under vmap with an axis name: hand-derived values, JAX's values and gradients
 * (golden/parallel.py), composition with jit and grad, and the unbound-axis error.
 */
import { describe, expect, it } from "vitest"
import { type GoldenArray, goldenValues, loadGolden } from "../../golden/load.js"
import { type Array, grad, jit, lax, makeJaxpr, NameError, np, ShapeError, ValueError, vmap } from "../../index.js"

const overI =
  (op: (v: Array) => Array) =>
  (x: Array): Array =>
    vmap(op, { axisName: "i" })(x)
const overIJ =
  (op: (v: Array) => Array) =>
  (x: Array): Array =>
    vmap(vmap(op, { axisName: "j" }), { axisName: "i" })(x)

const programs: Readonly<Record<string, (x: Array) => Array>> = {
  psum: overI((v) => lax.psum(v, "i")),
  pmean: overI((v) => lax.pmean(v, "i")),
  pmax: overI((v) => lax.pmax(v, "i")),
  pmin: overI((v) => lax.pmin(v, "i")),
  "psum of a constant": overI((v) => v.mul(lax.psum(1, "i"))),
  normalize: overI((v) => v.div(lax.psum(v, "i"))),
  "psum over (i, j)": overIJ((v) => lax.psum(v, ["i", "j"])),
  "pmean over (i, j)": overIJ((v) => lax.pmean(v, ["i", "j"])),
  "psum over j inside i": overIJ((v) => lax.psum(v, "j").mul(lax.axisIndex("i"))),
  allGather: overI((v) => lax.allGather(v, "i")),
  "allGather axis 1": overI((v) => lax.allGather(v, "i", { axis: 1 })),
  "allGather tiled": overI((v) => lax.allGather(v, "i", { tiled: true })),
  ppermute: overI((v) =>
    lax.ppermute(v, "i", [
      [0, 1],
      [1, 2],
      [2, 3],
      [3, 0]
    ])
  ),
  pshuffle: overI((v) => lax.pshuffle(v, "i", [2, 0, 3, 1])),
  psumScatter: overI((v) => lax.psumScatter(v, "i")),
  "psumScatter tiled": overI((v) => lax.psumScatter(v, "i", { scatterDimension: 1, tiled: true })),
  "allToAll 1 0": overI((v) => lax.allToAll(v, "i", 1, 0)),
  "allToAll 0 1": overI((v) => lax.allToAll(v, "i", 0, 1)),
  "allToAll tiled": overI((v) => lax.allToAll(v, "i", 0, 1, { tiled: true })),
  axisIndex: overI((v) => v.mul(lax.axisIndex("i"))),
  "axisIndex (i, j)": overIJ((v) => v.mul(lax.axisIndex(["i", "j"]))),
  axisSize: overIJ((v) => v.mul(lax.axisSize(["i", "j"]))),
  "jit inside vmap": overI(jit((v: Array) => v.div(lax.psum(v, "i")))),
  "grad inside vmap": overI(grad((v: Array) => np.sum(np.sin(v).mul(lax.psum(v, "i")))) as (v: Array) => Array)
}

interface Case {
  readonly name: string
  readonly x: GoldenArray
  readonly out: GoldenArray
  readonly grad?: GoldenArray
}
const golden = loadGolden<Case>("parallel")
const fromGolden = (a: GoldenArray): Array => np.array(goldenValues(a), { dtype: a.dtype as "float32" }).reshape([...a.shape])

const expectClose = (got: Array, want: GoldenArray, what: string): void => {
  expect(got.shape, what).toEqual(want.shape)
  const g = [...(got.data() as Float32Array)]
  const w = goldenValues(want)
  g.forEach((v, i) => expect(Math.abs(v - w[i]!), `${what}[${i}]: ${v} vs ${w[i]}`).toBeLessThanOrEqual(2e-6 * Math.max(1, Math.abs(w[i]!))))
}

describe("collectives under vmap(f, { axisName }) match JAX (golden/parallel.py)", () => {
  it("every golden case has a program here", () => expect(golden.cases.map((c) => c.name).sort()).toEqual(Object.keys(programs).sort()))
  for (const c of golden.cases) {
    it(c.name, () => {
      const f = programs[c.name]!
      const x = fromGolden(c.x)
      expectClose(f(x), c.out, "out")
      expectClose(jit(f)(x), c.out, "jit out")
      if (c.grad !== undefined) expectClose(grad((y: Array) => np.sum(np.sin(f(y))))(x), c.grad, "grad")
    })
  }
})

describe("collectives by hand", () => {
  const x = np.array(
    [
      [1, 2],
      [3, 4],
      [5, 6]
    ],
    { dtype: "float32" }
  )
  it("psum, pmean, pmax, pmin, axisIndex, axisSize", () => {
    expect(overI((v) => lax.psum(v, "i"))(x).toJs()).toEqual([
      [9, 12],
      [9, 12],
      [9, 12]
    ])
    expect(overI((v) => lax.pmean(v, "i"))(x).toJs()).toEqual([
      [3, 4],
      [3, 4],
      [3, 4]
    ])
    expect(overI((v) => lax.pmax(v, "i"))(x).toJs()).toEqual([
      [5, 6],
      [5, 6],
      [5, 6]
    ])
    expect(overI((v) => lax.pmin(v, "i"))(x).toJs()).toEqual([
      [1, 2],
      [1, 2],
      [1, 2]
    ])
    expect(overI(() => lax.axisIndex("i"))(x).toJs()).toEqual([0, 1, 2])
    expect(overI((v) => v.mul(lax.axisSize("i")))(x).toJs()).toEqual([
      [3, 6],
      [9, 12],
      [15, 18]
    ])
    // integer pmean is float32, as in JAX
    expect(overI((v) => lax.pmean(v, "i"))(np.array([1, 2, 4])).dtype).toBe("float32")
  })
  it("psum of a pytree, and of a value that does not depend on the mapped argument", () => {
    const out = vmap((v: Array) => lax.psum({ a: v, b: [v.mul(2)] }, "i"), { axisName: "i" })(np.array([1, 2, 3]))
    expect(out.a.toJs()).toEqual([6, 6, 6])
    expect(out.b[0]!.toJs()).toEqual([12, 12, 12])
    expect(overI(() => lax.psum(np.array(2), "i"))(x).toJs()).toEqual([6, 6, 6])
  })
  it("allGather, ppermute with a hole (zeros), pshuffle, psumScatter, allToAll", () => {
    expect(overI((v) => lax.allGather(v, "i"))(np.array([1, 2, 3])).toJs()).toEqual([
      [1, 2, 3],
      [1, 2, 3],
      [1, 2, 3]
    ])
    expect(
      overI((v) =>
        lax.ppermute(v, "i", [
          [0, 1],
          [1, 2]
        ])
      )(np.array([1, 2, 3])).toJs()
    ).toEqual([0, 1, 2])
    expect(overI((v) => lax.pshuffle(v, "i", [2, 0, 1]))(np.array([1, 2, 3])).toJs()).toEqual([3, 1, 2])
    expect(overI((v) => lax.psumScatter(v, "i"))(np.arange(9).reshape([3, 3])).toJs()).toEqual([9, 12, 15])
    expect(overI((v) => lax.allToAll(v, "i", 0, 0))(np.arange(4).reshape([2, 2])).toJs()).toEqual([
      [0, 2],
      [1, 3]
    ])
  })
  it("grad through psum is psum of the cotangents (JAX's transpose)", () => {
    const w = np.array(
      [
        [1, 0],
        [0, 1],
        [2, 2]
      ],
      { dtype: "float32" }
    )
    const g = grad((y: Array) => np.sum(overI((v) => lax.psum(v, "i"))(y).mul(w)))(x)
    expect(g.toJs()).toEqual([
      [3, 3],
      [3, 3],
      [3, 3]
    ])
  })
  it("an outer vmap without a name passes through; a vmap inside jit; makeJaxpr prints the collective", () => {
    const f = vmap(overI((v) => lax.psum(v, "i")))
    expect(f(np.ones([2, 3])).toJs()).toEqual([
      [3, 3, 3],
      [3, 3, 3]
    ])
    expect(
      vmap(
        vmap((v: Array) => lax.psum(v, "i")),
        { axisName: "i" }
      )(np.ones([2, 3])).toJs()
    ).toEqual([
      [2, 2, 2],
      [2, 2, 2]
    ])
    expect(jit(overI((v) => lax.psum(v, "i")))(x).toJs()).toEqual([
      [9, 12],
      [9, 12],
      [9, 12]
    ])
    const jaxpr = makeJaxpr((y: Array) =>
      vmap(
        jit((v: Array) => lax.psum(v, "i")),
        { axisName: "i" }
      )(y)
    )(x).toString()
    expect(jaxpr).toContain("reduce_sum")
    expect(makeJaxpr((v: Array) => overI((u) => u)(v))(x).toString()).not.toContain("psum")
  })
})

describe("bad input", () => {
  it("a collective outside any binding transformation names the unbound axis", () => {
    expect(() => lax.psum(np.ones([2]), "i")).toThrow(NameError)
    expect(() => lax.psum(np.ones([2]), "i")).toThrow(/lax\.psum: unbound axis name "i".*vmap\(f, \{ axisName: "i" \}\).*no axis is bound here/)
    expect(() => overI((v) => lax.pmean(v, "j"))(np.ones([2]))).toThrow(/unbound axis name "j".*the bound axes here are "i"/)
    expect(() => jit((v: Array) => lax.psum(v, "i"))(np.ones([2]))).toThrow(NameError)
    expect(() => lax.axisIndex("k")).toThrow(NameError)
  })
  it("bad names, perms and shapes", () => {
    expect(() => overI((v) => lax.psum(v, ""))(np.ones([2]))).toThrow(ValueError)
    expect(() => overI((v) => lax.psum(v, ["i", "i"]))(np.ones([2]))).toThrow(/repeat a name/)
    expect(() =>
      overI((v) =>
        lax.ppermute(v, "i", [
          [0, 1],
          [1, 1]
        ])
      )(np.ones([2]))
    ).toThrow(/destination 1 repeats/)
    expect(() => overI((v) => lax.ppermute(v, "i", [[0, 2]]))(np.ones([2]))).toThrow(ValueError)
    expect(() => overI((v) => lax.pshuffle(v, "i", [0, 0]))(np.ones([2]))).toThrow(/permutation of 0\.\.1/)
    expect(() => overI((v) => lax.psumScatter(v, "i"))(np.ones([2, 3]))).toThrow(ShapeError)
    expect(() => overI((v) => lax.allToAll(v, "i", 0, 0))(np.ones([2, 3]))).toThrow(ShapeError)
    expect(() => overI((v) => lax.allGather(v, "i", { axis: 2 }))(np.ones([2, 3]))).toThrow(ShapeError)
  })
})
