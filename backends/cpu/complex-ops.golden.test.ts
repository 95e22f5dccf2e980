import { describe, expect, it } from "vitest"
import { type GoldenArray, loadGolden } from "../../golden/load.js"
import { type Array, type DType, grad, jit, jvp, lax, np, vmap } from "../../index.js"

// Real JAX on CPU (golden/complex_ops.py): complex64 ordering, products, scatter mul/min/max,
// control flow, closures over complex constants, isclose and collectives, eagerly, under jit and
// under vmap (a batch of two copies of the inputs).
interface Case {
  readonly id: string
  readonly args: ReadonlyArray<GoldenArray>
  readonly out: GoldenArray | ReadonlyArray<GoldenArray>
}
const golden = loadGolden<Case>("complex_ops").cases

const isPair = (v: unknown): v is readonly [number, number] => globalThis.Array.isArray(v)
const arr = (g: GoldenArray): Array => {
  const values = g.data.map((v) => (isPair(v) ? { re: v[0], im: v[1] } : typeof v === "boolean" ? (v ? 1 : 0) : v))
  if (g.data.length === 0) return np.zeros([...g.shape], { dtype: g.dtype as DType })
  const a = np.array(values, { dtype: g.dtype as DType })
  return g.shape.length === 0 ? a.reshape([]) : a.reshape([...g.shape])
}
const flatValues = (g: GoldenArray): number[] => g.data.flatMap((v) => (isPair(v) ? [v[0], v[1]] : [typeof v === "boolean" ? (v ? 1 : 0) : v]))

type Out = Array | ReadonlyArray<Array>
const c = (re: number, im: number): Array => lax.complex(re, im)
const k = np.array([
  { re: 0, im: 1 },
  { re: 2, im: 0 },
  { re: 1, im: 1 },
  { re: 3, im: 3 },
  { re: -1, im: 0 },
  { re: 0, im: 0.5 }
])
const dn = { updateWindowDims: [], insertedWindowDims: [0], scatterDimsToOperandDims: [0] }
const rsum = (a: Array): Array => np.real(np.sum(a))

const ops: Record<string, (...xs: Array[]) => Out> = {
  sort: (a) => np.sort(a),
  "sort nan and signed zeros": (a) => np.sort(a),
  "sort ties": (a) => np.sort(a),
  "sort axis 0": (a) => np.sort(a, { axis: 0 }),
  "sort descending": (a) => np.sort(a, { descending: true }),
  argsort: (a) => np.argsort(a),
  "argsort nan and signed zeros": (a) => np.argsort(a),
  "argsort ties (stable)": (a) => np.argsort(a),
  "argsort axis 1": (a) => np.argsort(a, { axis: 1 }),
  lexsort: (a, b) => np.lexsort([a, b!]),
  "lax.sort complex key, int values": (a) => lax.sort([a, np.arange(6)], { numKeys: 1 }),
  "lax.sort two complex keys": (a, b) => lax.sort([a, b!], { numKeys: 2 }),
  searchsorted: (a, v) => np.searchsorted(np.sort(a), v!),
  max: (a) => np.max(a),
  min: (a) => np.min(a),
  "max ties on the real part": (a) => np.max(a),
  "min ties on the real part": (a) => np.min(a),
  "max axis 1": (a) => np.max(a, { axis: 1 }),
  "min axis 0": (a) => np.min(a, { axis: 0 }),
  "max keepdims": (a) => np.max(a, { axis: 0, keepdims: true }),
  "reduce_max empty": (a) => lax.reduceMax(a, [0]),
  "reduce_min empty": (a) => lax.reduceMin(a, [0]),
  maximum: (a, b) => np.maximum(a, b!),
  minimum: (a, b) => np.minimum(a, b!),
  "maximum nan": (a, b) => np.maximum(a, b!),
  "minimum nan": (a, b) => np.minimum(a, b!),
  "maximum broadcast": (a) => np.maximum(a, c(1, 0)),
  less: (a, b) => np.less(a, b!),
  less_equal: (a, b) => np.lessEqual(a, b!),
  greater: (a, b) => np.greater(a, b!),
  greater_equal: (a, b) => np.greaterEqual(a, b!),
  cummax: (a) => lax.cummax(a),
  cummin: (a) => lax.cummin(a),
  "cummax reverse": (a) => lax.cummax(a, 0, true),
  "cummax nan": (a) => lax.cummax(a),
  "cummax axis 1": (a) => lax.cummax(a, 1),
  cumprod: (a) => np.cumprod(a),
  "cumprod axis 0": (a) => np.cumprod(a, { axis: 0 }),
  "lax.cumprod reverse": (a) => lax.cumprod(a, 0, true),
  "cumprod long": (a) => np.cumprod(a),
  prod: (a) => np.prod(a),
  "prod axis 1": (a) => np.prod(a, { axis: 1 }),
  "prod gaussian integers": (a) => np.prod(a),
  "prod long": (a) => np.prod(a),
  "prod of an empty axis": (a) => np.prod(a, { axis: 0 }),
  "prod with a zero and an inf": (a) => np.prod(a),
  "at multiply repeated indices": (a, u) => a.at(np.array([0, 2, 0, 5])).multiply(u!),
  "at min": (a, u) => a.at(np.array([0, 1, 2, 1])).min(u!),
  "at max": (a, u) => a.at(np.array([0, 1, 2, 1])).max(u!),
  "at max ties on the real part": (a, u) => a.at(np.array([0, 0, 1])).max(u!),
  "at multiply 2-d axis 1": (a, u) => a.at(":", np.array([1, 1, 0])).multiply(u!),
  "lax.scatter_mul": (a, u) => lax.scatterMul(a, np.array([[0], [3], [0]]), u!, dn),
  "lax.scatter_min": (a, u) => lax.scatterMin(a, np.array([[0], [3], [0]]), u!, dn),
  "lax.scatter_max": (a, u) => lax.scatterMax(a, np.array([[0], [3], [0]]), u!, dn),
  "cond true": (p, a) =>
    lax.cond(
      p!,
      (x: Array) => x.mul(x),
      (x: Array) => np.conj(x),
      a!
    ),
  "cond false": (p, a) =>
    lax.cond(
      p!,
      (x: Array) => x.mul(x),
      (x: Array) => np.conj(x),
      a!
    ),
  switch: (i, a) => lax.switch(i!, [(x: Array) => x.add(c(0, 1)), (x: Array) => x.mul(c(2, -1)), (x: Array) => np.exp(x)], a!),
  while_loop: (a) =>
    lax.whileLoop(
      ([, z]: [Array, Array]) => np.less(np.abs(z), 100),
      ([i, z]: [Array, Array]) => [i.add(1), z.mul(a)] as [Array, Array],
      [np.array(0), a] as [Array, Array]
    )[1],
  fori_loop: (a) => lax.forILoop(0, 5, (i: Array, z: Array) => z.mul(a).add(i.astype("complex64")), a),
  scan: (a) => lax.scan((z: Array, x: Array) => [z.mul(x), z.add(x)] as const, c(1, 0), a),
  "scan reverse": (a) => lax.scan((z: Array, x: Array) => [z.mul(x).add(c(0, 1)), np.real(z)] as const, c(1, 0), a, { reverse: true }),
  "scan real carry, complex xs": (a) =>
    lax.scan((s: Array, x: Array) => [s.add(np.abs(x)), x.mul(s.astype("complex64"))] as const, np.array(0, { dtype: "float32" }), a),
  "grad through scan": (a) => grad((xs: Array) => np.real(lax.scan((z: Array, x: Array) => [z.mul(x), null] as const, c(1, 0), xs)[0]))(a),
  "grad through cond": (a) =>
    grad((x: Array) =>
      np.square(
        np.abs(
          lax.cond(
            true,
            (y: Array) => y.mul(y),
            (y: Array) => y,
            x
          )
        )
      )
    )(a),
  "jvp through while_loop": (a) =>
    jvp(
      (x: Array) =>
        lax.whileLoop(
          ([i]: [Array, Array]) => np.less(i, 3),
          ([i, z]: [Array, Array]) => [i.add(1), z.mul(x)] as [Array, Array],
          [np.array(0), x] as [Array, Array]
        )[1],
      [a],
      [c(0, 1)]
    )[1],
  "jit closure": jit((a: Array) => a.mul(k).add(np.sum(k))),
  "jit closure in a scan body": jit((a: Array) => lax.scan((z: Array, x: Array) => [z.add(x.mul(k.index(0))), z] as const, c(0, 0), a)[1]),
  "jit closure in a cond branch": jit((a: Array) =>
    lax.cond(
      true,
      (x: Array) => x.mul(k),
      (x: Array) => x,
      a
    )
  ),
  isclose: (a, b) => np.isclose(a, b!),
  "isclose far": (a, b) => np.isclose(a, b!),
  "isclose nan inf": (a, b) => np.isclose(a, b!),
  "isclose equal_nan": (a, b) => np.isclose(a, b!, { equalNan: true }),
  "isclose rtol atol": (a, b) => np.isclose(a, b!, { rtol: 0.1, atol: 0.5 }),
  allclose: (a, b) => np.allclose(a, b!),
  "allclose false": (a, b) => np.allclose(a, b!),
  "vmap psum": vmap((a: Array) => lax.psum(a, "i"), { axisName: "i" }),
  "vmap pmean": vmap((a: Array) => lax.pmean(a, "i"), { axisName: "i" }),
  "vmap pmax": vmap((a: Array) => lax.pmax(a, "i"), { axisName: "i" }),
  "vmap pmin": vmap((a: Array) => lax.pmin(a, "i"), { axisName: "i" }),
  "vmap all_gather": vmap((a: Array) => lax.allGather(a, "i"), { axisName: "i" }),
  "vmap ppermute": vmap(
    (a: Array) =>
      lax.ppermute(a, "i", [
        [0, 1],
        [1, 0]
      ]),
    { axisName: "i" }
  ),
  "vmap psum_scatter": vmap((a: Array) => lax.psumScatter(a, "i", { tiled: true }), { axisName: "i" }),
  "vmap all_to_all": vmap((a: Array) => lax.allToAll(a, "i", 0, 0, { tiled: true }), { axisName: "i" }),
  "grad cumprod": (a) => grad((x: Array) => rsum(np.cumprod(x)))(a),
  "grad sort": (a) => grad((x: Array) => rsum(np.sort(x).mul(np.arange(6).astype("complex64"))))(a),
  "grad max": (a) => grad((x: Array) => np.real(np.max(x)))(a),
  "grad maximum": (a, b) => grad((x: Array, y: Array) => rsum(np.maximum(x, y)))(a, b!),
  "grad prod": (a) => grad((x: Array) => np.real(np.prod(x)))(a),
  "grad at max": (a) => grad((x: Array) => rsum(x.at(np.array([0, 1])).max(x.index("2:4"))))(a)
}

// Cases whose results depend on the order of float operations differently from XLA's (long
// products), checked to float32 accuracy; the rest must agree to a couple of ulps.
const loose = new Set(["prod long", "cumprod long"])
// vmap of a collective-free case over a batch of two copies of its inputs; cases that bind an axis
// name or close over a jit are run as they are.
const noVmap = (id: string): boolean => id.startsWith("vmap ") || id.startsWith("jit closure")

const check = (got: Array, want: GoldenArray, rtol: number, what: string): void => {
  expect(got.dtype, what).toBe(want.dtype)
  expect(got.shape, what).toEqual(want.shape)
  const g = [...got.data()].map(Number)
  const w = flatValues(want)
  const bad = g.flatMap((v, i) => {
    const x = w[i]!
    const ok = Number.isNaN(x) ? Number.isNaN(v) : Object.is(v, x) || (x !== 0 && Math.abs(v - x) <= rtol * Math.max(1, Math.abs(x)))
    return ok ? [] : [`[${i}] ${v} (JAX ${x})`]
  })
  expect(bad, what).toEqual([])
}
const checkOut = (got: Out, want: Case["out"], rtol: number, what: string): void => {
  if (globalThis.Array.isArray(want) && !("dtype" in want)) {
    const gs = got as ReadonlyArray<Array>
    const ws = want as ReadonlyArray<GoldenArray>
    expect(gs.length, what).toBe(ws.length)
    ws.forEach((w, i) => check(gs[i]!, w, rtol, `${what} output ${i}`))
  } else check(got as Array, want as GoldenArray, rtol, what)
}
const row = (o: Out, i: number): Out =>
  o instanceof Object && "dtype" in o ? np.take(o as Array, i, { axis: 0 }) : (o as ReadonlyArray<Array>).map((a) => np.take(a, i, { axis: 0 }))

describe("complex64 operations against real JAX (golden/complex_ops.py)", () => {
  it("has an operation for every golden case", () => {
    expect(golden.map((g) => g.id).filter((id) => ops[id] === undefined)).toEqual([])
  })
  for (const g of golden) {
    const f = ops[g.id]
    if (f === undefined) continue
    it(`${g.id}: eager, jit${noVmap(g.id) ? "" : " and vmap"}`, () => {
      const args = g.args.map(arr)
      const rtol = loose.has(g.id) ? 2e-5 : 4e-7
      checkOut(f(...args), g.out, rtol, "eager")
      checkOut(jit((...xs: Array[]) => f(...xs))(...args), g.out, rtol, "jit")
      if (noVmap(g.id)) return
      const batched = vmap((...xs: Array[]) => f(...xs))(...args.map((a) => np.stack([a, a])))
      checkOut(row(batched, 1), g.out, rtol, "vmap")
    })
  }
})
