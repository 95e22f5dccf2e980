/**
 * vmap: `vmap(f)(xs)` equals stacking `f` on each slice, for every np/nn function and for random
 * compositions, with random `inAxes` (null and negative included) and `outAxes`; nested vmap;
 * composition with jit, grad and jvp in every order; control flow with batched predicates; the
 * error cases; and `np.convolve` against a hand-written reference.
 *
 * The reference never uses vmap or any batching rule: examples are generated one by one on the
 * host, `f` runs eagerly on each, and the batched inputs and expected outputs are stacked on the
 * host from the raw element data.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { type Array, grad, jit, jvp, lax, nn, np, random, ShapeError, tree, ValueError, vjp, vmap } from "../../index.js"
import { mulberry32 } from "../../laws/host-random.js"

// ---------------------------------------------------------------------------------------------
// Host-side helpers: random data, stacking, comparison.

type DT = "float32" | "float64" | "int32" | "bool"
/** Where an argument's values come from. */
type Domain = "any" | "pos" | "unit" | "small" | "int" | "nonzero" | "bool" | { readonly idx: number }

interface Spec {
  readonly shape: ReadonlyArray<number>
  readonly dtype: DT
  readonly domain: Domain
}

const sizeOf = (s: ReadonlyArray<number>): number => s.reduce((a, b) => a * b, 1)
const seq = (n: number): number[] => globalThis.Array.from({ length: n }, (_, i) => i)

const draw = (domain: Domain, r: () => number): number => {
  if (typeof domain === "object") return Math.floor(r() * 2 * domain.idx) - domain.idx // [-n, n)
  switch (domain) {
    case "any":
      return Math.round(r() * 16 - 8) / 4 // multiples of 0.25 in [-2, 2]
    case "pos":
      return 0.25 + Math.round(r() * 8) / 4
    case "unit":
      return Math.round(r() * 14 - 7) / 8 // (-1, 1)
    case "small":
      return Math.round(r() * 8 - 4) / 8
    case "int":
      return Math.floor(r() * 11) - 5
    case "nonzero": {
      const v = Math.floor(r() * 10) - 5
      return v >= 0 ? v + 1 : v
    }
    case "bool":
      return r() < 0.5 ? 1 : 0
  }
}

const make = (data: ReadonlyArray<number>, shape: ReadonlyArray<number>, dtype: DT): Array => np.asarray(Float64Array.from(data), { dtype }).reshape([...shape])

const gen = (s: Spec, r: () => number): Array =>
  make(
    seq(sizeOf(s.shape)).map(() => draw(s.domain, r)),
    s.shape,
    s.dtype
  )

/** Row-major flat offset of a multi-index. */
const offsetOf = (shape: ReadonlyArray<number>, idx: ReadonlyArray<number>): number => {
  let off = 0
  for (let i = 0; i < shape.length; i++) off = off * shape[i]! + idx[i]!
  return off
}
const forEachIndex = (shape: ReadonlyArray<number>, fn: (idx: number[]) => void): void => {
  const n = sizeOf(shape)
  const idx = shape.map(() => 0)
  for (let k = 0; k < n; k++) {
    fn(idx)
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++idx[d]! < shape[d]!) break
      idx[d] = 0
    }
  }
}

/** Stack equal-shaped arrays along a new axis `axis` (in [0, rank]), from their raw data. */
const hostStack = (xs: ReadonlyArray<Array>, axis: number): Array => {
  const s = xs[0]!.shape
  const datas = xs.map((x) => x.data())
  const out = [...s]
  out.splice(axis, 0, xs.length)
  const data: number[] = new globalThis.Array(sizeOf(out))
  forEachIndex(out, (idx) => {
    const b = idx[axis]!
    const inner = idx.filter((_, i) => i !== axis)
    data[offsetOf(out, idx)] = Number(datas[b]![offsetOf(s, inner)])
  })
  const stacked = make(data, out, xs[0]!.dtype as DT)
  // Keep the weak type (a JS number's type), so the comparison can check it too.
  return xs[0]!.weakType ? lax.convertElementType(stacked, stacked.dtype, true) : stacked
}

const normAxis = (a: number, rank: number): number => (a < 0 ? a + rank : a)

const close = (a: number, e: number, rtol: number, atol: number): boolean =>
  (Number.isNaN(a) && Number.isNaN(e)) || a === e || Math.abs(a - e) <= atol + rtol * Math.abs(e)

const expectSame = (actual: unknown, expected: unknown, what: string, tol = { rtol: 2e-5, atol: 2e-5 }): void => {
  const [al, ad] = tree.flatten(actual)
  const [el, ed] = tree.flatten(expected)
  expect(ad.equals(ed), `${what}: tree structure ${ad.toString()} vs ${ed.toString()}`).toBe(true)
  al.forEach((a, i) => {
    const x = a as Array
    const y = el[i] as Array
    expect(x.shape, `${what}: leaf ${i} shape`).toEqual(y.shape)
    expect(x.dtype, `${what}: leaf ${i} dtype`).toBe(y.dtype)
    expect(x.weakType, `${what}: leaf ${i} weak type`).toBe(y.weakType)
    const xd = x.data()
    const yd = y.data()
    for (let k = 0; k < xd.length; k++) {
      if (!close(Number(xd[k]), Number(yd[k]), tol.rtol, tol.atol)) {
        expect.fail(`${what}: leaf ${i} element ${k}: got ${xd[k]}, expected ${yd[k]}\n got ${x.toString()}\n expected ${y.toString()}`)
      }
    }
  })
}

// ---------------------------------------------------------------------------------------------
// The generic property: vmap(f, { inAxes, outAxes }) equals the host stack of f on each example.

interface Case {
  readonly label: string
  readonly args: ReadonlyArray<Spec>
  readonly f: (...xs: Array[]) => unknown
}

interface Draw {
  readonly c: Case
  readonly size: number
  readonly axes: ReadonlyArray<number | null>
  readonly out: number
  readonly seed: number
}

const withAxes = (caseArb: fc.Arbitrary<Case>): fc.Arbitrary<Draw> =>
  caseArb.chain((c) =>
    fc.record({
      c: fc.constant(c),
      size: fc.integer({ min: 1, max: 3 }),
      axes: fc.tuple(...c.args.map((s) => fc.option(fc.integer({ min: -(s.shape.length + 1), max: s.shape.length }), { nil: null, freq: 4 }))),
      out: fc.integer({ min: -6, max: 6 }),
      seed: fc.integer()
    })
  )

/** Runs one drawn case: vmap against the host stack of f on each example (the message names the case). */
const checkVmap = ({ c, size, axes, out, seed }: Draw): void => {
  const r = mulberry32(seed)
  const examples = c.args.map((s, i) => (axes[i] === null ? [gen(s, r)] : seq(size).map(() => gen(s, r))))
  const batched = examples.map((ex, i) => (axes[i] === null ? ex[0]! : hostStack(ex, normAxis(axes[i]!, c.args[i]!.shape.length + 1))))
  const perExample = seq(size).map((b) => c.f(...examples.map((ex, i) => (axes[i] === null ? ex[0]! : ex[b]!))))
  const [leaves0, def] = tree.flatten(perExample[0])
  const minRank = Math.min(...(leaves0 as Array[]).map((l) => l.ndim))
  const span = 2 * (minRank + 1)
  const outAxis = (((out % span) + span) % span) - (minRank + 1) // in [-(minRank + 1), minRank]
  const expectedLeaves = (leaves0 as Array[]).map((l, j) =>
    hostStack(
      perExample.map((p) => tree.flatten(p)[0][j] as Array),
      normAxis(outAxis, l.ndim + 1)
    )
  )
  const what = `${c.label} shapes ${JSON.stringify(c.args.map((s) => s.shape))} inAxes ${JSON.stringify(axes)} outAxes ${outAxis} size ${size}`
  const allNull = axes.every((a) => a === null)
  const got = vmap(c.f, { inAxes: [...axes], outAxes: outAxis, ...(allNull ? { axisSize: size } : {}) })(...batched)
  expectSame(got, tree.unflatten(def, expectedLeaves), what)
}

const propVmap = (caseArb: fc.Arbitrary<Case>, numRuns: number, seed: number): void => {
  fc.assert(
    fc.property(withAxes(caseArb), (d) => checkVmap(d)),
    { numRuns, seed }
  )
}

// Shape arbitraries.
const dim = fc.integer({ min: 1, max: 3 })
const shapeArb = (minRank: number, maxRank: number): fc.Arbitrary<number[]> => fc.array(dim, { minLength: minRank, maxLength: maxRank })
/** Two shapes that broadcast together (NumPy rules), in either order. */
const broadcastPair: fc.Arbitrary<readonly [number[], number[]]> = shapeArb(0, 3).chain((s) =>
  fc
    .tuple(fc.constant(s), fc.integer({ min: 0, max: s.length }), fc.array(fc.boolean(), { minLength: s.length, maxLength: s.length }), fc.boolean())
    .map(([a, keep, ones, swap]) => {
      const b = a.slice(a.length - keep).map((d, i) => (ones[i] === true ? 1 : d))
      return swap ? ([b, a] as const) : ([a, b] as const)
    })
)
/** An axis option for reductions: null (all), one axis (maybe negative) or a list of axes. */
const axisOption = (rank: number): fc.Arbitrary<number | number[] | null> =>
  fc.oneof(fc.constant(null), fc.integer({ min: -rank, max: rank - 1 }), fc.subarray(seq(rank), { minLength: 1 }))

const spec = (shape: ReadonlyArray<number>, dtype: DT = "float32", domain: Domain = "any"): Spec => ({ shape, dtype, domain })

/** Each named entry of a group gets its own seeded property. */
const eachEntry = (title: string, entries: ReadonlyArray<readonly [string, fc.Arbitrary<Case>]>, numRuns: number, seed: number): void => {
  it(title, () => {
    entries.forEach(([name, arb], k) => {
      try {
        propVmap(arb, numRuns, seed + k)
      } catch (e) {
        throw new Error(`${name}: ${(e as Error).message}`)
      }
    })
  })
}

// ---------------------------------------------------------------------------------------------

describe("vmap equals stacking f on each slice: elementwise functions", () => {
  const unary = (name: string, f: (x: Array) => Array, domain: Domain = "any", dtype: DT = "float32"): readonly [string, fc.Arbitrary<Case>] => [
    name,
    shapeArb(0, 3).map((s) => ({ label: name, args: [spec(s, dtype, domain)], f }))
  ]
  const floatUnary: ReadonlyArray<readonly [string, fc.Arbitrary<Case>]> = [
    unary("negative", np.negative),
    unary("abs", np.abs),
    unary("sign", np.sign),
    unary("square", np.square),
    unary("reciprocal", np.reciprocal, "pos"),
    unary("exp", np.exp),
    unary("exp2", np.exp2),
    unary("expm1", np.expm1),
    unary("log", np.log, "pos"),
    unary("log1p", np.log1p, "pos"),
    unary("log2", np.log2, "pos"),
    unary("log10", np.log10, "pos"),
    unary("sqrt", np.sqrt, "pos"),
    unary("sin", np.sin),
    unary("cos", np.cos),
    unary("tan", np.tan, "unit"),
    unary("arcsin", np.arcsin, "unit"),
    unary("arccos", np.arccos, "unit"),
    unary("arctan", np.arctan),
    unary("sinh", np.sinh),
    unary("cosh", np.cosh),
    unary("tanh", np.tanh),
    unary("floor", np.floor),
    unary("ceil", np.ceil),
    unary("round", np.round),
    unary("round(decimals=1)", (x) => np.round(x, 1)),
    unary("isnan", np.isnan),
    unary("isfinite", np.isfinite),
    unary("isinf", np.isinf),
    unary("logicalNot", np.logicalNot, "bool", "bool"),
    unary("int abs", np.abs, "int", "int32"),
    unary("int negative", np.negative, "int", "int32"),
    unary("int square", np.square, "int", "int32"),
    unary("int sqrt (promotes)", np.sqrt, "nonzero", "int32"),
    unary("float64 exp", np.exp, "any", "float64"),
    unary("astype", (x) => x.astype("int32")),
    unary("method chain", (x) => x.mul(2).add(1).square().neg())
  ]
  eachEntry("np unary math", floatUnary, 6, 101)

  const nnUnary: ReadonlyArray<readonly [string, fc.Arbitrary<Case>]> = [
    unary("relu", nn.relu),
    unary("sigmoid", nn.sigmoid),
    unary("softplus", nn.softplus),
    unary("logSigmoid", nn.logSigmoid),
    unary("gelu", nn.gelu),
    unary("gelu(approximate=false)", (x) => nn.gelu(x, { approximate: false })),
    unary("silu", nn.silu),
    unary("elu", nn.elu),
    unary("selu", nn.selu),
    unary("leakyRelu", (x) => nn.leakyRelu(x, 0.1)),
    unary("relu6", (x) => nn.relu6(x.mul(4)))
  ]
  eachEntry("nn activations", nnUnary, 6, 202)

  const binary = (
    name: string,
    f: (x: Array, y: Array) => Array,
    dtype: DT = "float32",
    d1: Domain = "any",
    d2: Domain = d1
  ): readonly [string, fc.Arbitrary<Case>] => [name, broadcastPair.map(([a, b]) => ({ label: name, args: [spec(a, dtype, d1), spec(b, dtype, d2)], f }))]
  const binaries: ReadonlyArray<readonly [string, fc.Arbitrary<Case>]> = [
    binary("add", np.add),
    binary("subtract", np.subtract),
    binary("multiply", np.multiply),
    binary("divide", np.divide, "float32", "any", "pos"),
    binary("floorDivide", np.floorDivide, "int32", "int", "nonzero"),
    binary("mod", np.mod, "int32", "int", "nonzero"),
    binary("float mod", np.mod, "float32", "any", "pos"),
    binary("power", np.power, "float32", "pos", "small"),
    binary("maximum", np.maximum),
    binary("minimum", np.minimum),
    binary("arctan2", np.arctan2, "float32", "any", "pos"),
    binary("equal", np.equal),
    binary("notEqual", np.notEqual),
    binary("less", np.less),
    binary("lessEqual", np.lessEqual),
    binary("greater", np.greater),
    binary("greaterEqual", np.greaterEqual),
    binary("logicalAnd", np.logicalAnd, "bool", "bool"),
    binary("logicalOr", np.logicalOr, "bool", "bool"),
    binary("logicalXor", np.logicalXor, "bool", "bool"),
    binary("int add", np.add, "int32", "int"),
    binary("int with a weak scalar", (x, y) => x.mul(3).add(y).sub(1), "int32", "int"),
    binary("isclose", (x, y) => np.isclose(x, y, { atol: 0.3 })),
    binary("mixed dtypes (int32 + float32 promotes)", (x, y) => np.add(x.astype("int32"), y))
  ]
  eachEntry("np binary functions with broadcasting", binaries, 8, 303)

  it("where and clip (three operands, broadcasting, array and number bounds)", () => {
    const three = shapeArb(0, 3).chain((s) =>
      fc.tuple(...[0, 1, 2].map(() => fc.integer({ min: 0, max: s.length }).map((k) => s.slice(s.length - k)))).map((shapes) => ({ s, shapes }))
    )
    propVmap(
      three.map(({ shapes }) => ({
        label: "where",
        args: [spec(shapes[0]!, "bool", "bool"), spec(shapes[1]!), spec(shapes[2]!)],
        f: (c: Array, x: Array, y: Array) => np.where(c, x, y)
      })),
      12,
      404
    )
    propVmap(
      three.map(({ shapes }) => ({
        label: "clip(x, lo, hi)",
        args: [spec(shapes[0]!), spec(shapes[1]!, "float32", "small"), spec(shapes[2]!, "float32", "pos")],
        f: (x: Array, lo: Array, hi: Array) => np.clip(x, lo, hi)
      })),
      12,
      405
    )
    propVmap(
      shapeArb(0, 3).map((s) => ({ label: "clip(x, -1, 1)", args: [spec(s)], f: (x: Array) => np.clip(x, -1, 1) })),
      6,
      406
    )
    propVmap(
      shapeArb(0, 3).map((s) => ({ label: "where(x > 0, x, 0)", args: [spec(s)], f: (x: Array) => np.where(x.gt(0), x, 0) })),
      6,
      407
    )
  })
})

// ---------------------------------------------------------------------------------------------

describe("vmap equals stacking f on each slice: reductions", () => {
  type Red = (x: Array, o: { axis: number | number[] | null; keepdims: boolean }) => Array
  const reduction = (name: string, f: Red, dtype: DT = "float32", domain: Domain = "any"): readonly [string, fc.Arbitrary<Case>] => [
    name,
    shapeArb(1, 3).chain((s) =>
      fc.record({ axis: axisOption(s.length), keepdims: fc.boolean() }).map((o) => ({
        label: `${name} ${JSON.stringify(o)}`,
        args: [spec(s, dtype, domain)],
        f: (x: Array) => f(x, o)
      }))
    )
  ]
  const oneAxis = (
    name: string,
    f: (x: Array, axis: number | null, keepdims: boolean) => Array,
    dtype: DT = "float32",
    domain: Domain = "any",
    allowNull = true
  ): readonly [string, fc.Arbitrary<Case>] => [
    name,
    shapeArb(1, 3).chain((s) =>
      fc
        .record({
          axis: allowNull ? fc.option(fc.integer({ min: -s.length, max: s.length - 1 }), { nil: null }) : fc.integer({ min: -s.length, max: s.length - 1 }),
          keepdims: fc.boolean()
        })
        .map((o) => ({
          label: `${name} ${JSON.stringify(o)}`,
          args: [spec(s, dtype, domain)],
          f: (x: Array) => f(x, o.axis, o.keepdims)
        }))
    )
  ]
  const entries: ReadonlyArray<readonly [string, fc.Arbitrary<Case>]> = [
    reduction("sum", (x, o) => np.sum(x, o)),
    reduction("int sum", (x, o) => np.sum(x, o), "int32", "int"),
    reduction("bool sum", (x, o) => np.sum(x, o), "bool", "bool"),
    reduction("prod", (x, o) => np.prod(x, o), "float32", "small"),
    reduction("mean", (x, o) => np.mean(x, o)),
    reduction("max", (x, o) => np.max(x, o)),
    reduction("min", (x, o) => np.min(x, o)),
    reduction("all", (x, o) => np.all(x, o), "bool", "bool"),
    reduction("any", (x, o) => np.any(x, o), "bool", "bool"),
    reduction("var", (x, o) => np.var(x, o)),
    reduction("std(ddof=1)", (x, o) => np.std(x, { ...o, ddof: 1 })),
    reduction("nanSum", (x, o) => np.nanSum(x, o)),
    reduction("logsumexp", (x, o) => nn.logsumexp(x, o)),
    oneAxis("argmax", (x, axis, keepdims) => np.argmax(x, { axis, keepdims }), "int32", "int"),
    oneAxis("argmin", (x, axis, keepdims) => np.argmin(x, { axis, keepdims }), "float32", "any"),
    oneAxis("cumsum", (x, axis) => np.cumsum(x, { axis })),
    oneAxis("int cumsum", (x, axis) => np.cumsum(x, { axis }), "int32", "int"),
    oneAxis("cumprod", (x, axis) => np.cumprod(x, { axis }), "float32", "small"),
    oneAxis("softmax", (x, axis) => nn.softmax(x, { axis: axis! }), "float32", "any", false),
    oneAxis("logSoftmax", (x, axis) => nn.logSoftmax(x, { axis: axis! }), "float32", "any", false),
    reduction("softmax over several axes", (x, o) => nn.softmax(x, { axis: o.axis === null ? -1 : o.axis })),
    reduction("method sum/mean", (x, o) => x.sum(o).add(x.mean(o)))
  ]
  eachEntry("np/nn reductions with axes and keepdims", entries, 8, 505)
})

// ---------------------------------------------------------------------------------------------

describe("vmap equals stacking f on each slice: shape functions", () => {
  const one = (
    name: string,
    sArb: fc.Arbitrary<number[]>,
    fArb: (s: number[]) => fc.Arbitrary<readonly [string, (x: Array) => unknown]>,
    dtype: DT = "float32"
  ): readonly [string, fc.Arbitrary<Case>] => [
    name,
    sArb.chain((s) =>
      fArb(s).map(([label, f]) => ({ label: `${name} ${label}`, args: [spec(s, dtype, dtype === "int32" ? "int" : "any")], f: f as (x: Array) => unknown }))
    )
  ]
  const perm = (n: number): fc.Arbitrary<number[]> => fc.shuffledSubarray(seq(n), { minLength: n, maxLength: n })
  const ax = (rank: number): fc.Arbitrary<number> => fc.integer({ min: -rank, max: rank - 1 })
  const c = <T>(label: string, f: T) => fc.constant([label, f] as const)
  const entries: ReadonlyArray<readonly [string, fc.Arbitrary<Case>]> = [
    one("reshape", shapeArb(0, 3), (s) =>
      fc.constantFrom<readonly [string, (x: Array) => Array]>(
        ["[-1]", (x) => np.reshape(x, [-1])],
        ["[size, 1]", (x) => np.reshape(x, [sizeOf(s), 1])],
        ["[1, ...s, 1]", (x) => x.reshape([1, ...s, 1])],
        ["reversed", (x) => x.reshape([...s].reverse())]
      )
    ),
    one("ravel/flatten", shapeArb(0, 3), () => fc.constantFrom<readonly [string, (x: Array) => Array]>(["ravel", np.ravel], ["flatten", (x) => x.flatten()])),
    one("transpose", shapeArb(0, 4), (s) => perm(s.length).map((p) => [JSON.stringify(p), (x: Array) => np.transpose(x, p)] as const)),
    one("T", shapeArb(0, 3), () => c("", (x: Array) => x.T)),
    one("swapaxes", shapeArb(1, 3), (s) => fc.tuple(ax(s.length), ax(s.length)).map(([a, b]) => [`${a},${b}`, (x: Array) => np.swapaxes(x, a, b)] as const)),
    one("moveaxis", shapeArb(1, 3), (s) => fc.tuple(ax(s.length), ax(s.length)).map(([a, b]) => [`${a}->${b}`, (x: Array) => np.moveaxis(x, a, b)] as const)),
    one("squeeze", fc.array(fc.constantFrom(1, 1, 2, 3), { maxLength: 4 }), (s) => {
      const ones = seq(s.length).filter((i) => s[i] === 1)
      const axes = ones.length === 0 ? fc.constant(undefined) : fc.option(fc.subarray(ones, { minLength: 1 }), { nil: undefined })
      return axes.map((a) => [JSON.stringify(a), (x: Array) => np.squeeze(x, a)] as const)
    }),
    one("expandDims", shapeArb(0, 3), (s) =>
      fc.integer({ min: -(s.length + 1), max: s.length }).map((a) => [String(a), (x: Array) => np.expandDims(x, a)] as const)
    ),
    one("broadcastTo", shapeArb(0, 2), (s) => fc.constant([`[2, ...${JSON.stringify(s)}]`, (x: Array) => np.broadcastTo(x, [2, ...s])] as const)),
    one("flip", shapeArb(1, 3), (s) => fc.option(ax(s.length), { nil: undefined }).map((a) => [String(a), (x: Array) => np.flip(x, a)] as const)),
    one("tile", shapeArb(0, 2), () =>
      fc.array(fc.integer({ min: 1, max: 2 }), { minLength: 1, maxLength: 3 }).map((reps) => [JSON.stringify(reps), (x: Array) => np.tile(x, reps)] as const)
    ),
    one("repeat", shapeArb(1, 3), (s) =>
      fc
        .tuple(fc.integer({ min: 1, max: 3 }), fc.option(ax(s.length), { nil: undefined }))
        .map(([k, a]) => [`${k} axis ${a}`, (x: Array) => np.repeat(x, k, a)] as const)
    ),
    one("pad", shapeArb(1, 2), () =>
      fc
        .tuple(
          fc.constantFrom("constant", "edge", "reflect", "symmetric", "wrap") as fc.Arbitrary<"constant" | "edge" | "reflect" | "symmetric" | "wrap">,
          fc.integer({ min: 0, max: 2 }),
          fc.integer({ min: 0, max: 2 })
        )
        .map(([mode, lo, hi]) => [`${mode} ${lo},${hi}`, (x: Array) => np.pad(x, [lo, hi], { mode })] as const)
    ),
    one("pad constantValues", shapeArb(1, 2), () => c("", (x: Array) => np.pad(x, 1, { constantValues: 7 }))),
    one(
      "split",
      fc.tuple(fc.constantFrom(2, 4), shapeArb(0, 2)).map(([n, s]) => [n, ...s]),
      () => fc.constantFrom<readonly [string, (x: Array) => unknown]>(["2 sections", (x) => np.split(x, 2)], ["at [1]", (x) => np.split(x, [1])])
    ),
    one("arraySplit", shapeArb(1, 2), (s) => fc.integer({ min: 1, max: 3 }).map((k) => [`${k} axis -1`, (x: Array) => np.arraySplit(x, k, -1)] as const)),
    one("zerosLike/onesLike/fullLike", shapeArb(0, 3), () =>
      fc.constantFrom<readonly [string, (x: Array) => unknown]>(
        ["zerosLike", (x) => np.zerosLike(x)],
        ["onesLike + x", (x) => np.onesLike(x).add(x)],
        ["fullLike", (x) => [np.fullLike(x, 3), x]]
      )
    ),
    one(
      "oneHot",
      shapeArb(0, 2),
      () =>
        fc
          .tuple(fc.integer({ min: 1, max: 4 }), fc.constantFrom(-1, 0))
          .map(([k, a]) => [`${k} axis ${a}`, (x: Array) => nn.oneHot(x, k, { axis: a })] as const),
      "int32"
    ),
    one("linspace(x, 2x, 4)", fc.constant([]), () => c("", (x: Array) => np.linspace(x, x.mul(2).add(1), 4))),
    one("full / fullLike with a (batched) Array fill value", fc.constant([]), () =>
      fc.constantFrom<readonly [string, (x: Array) => unknown]>(
        ["full([2, 3], x)", (x) => np.full([2, 3], x)],
        ["fullLike(ones([2]), x)", (x) => np.fullLike(np.ones([2]), x)],
        ["asarray(x) / array(x)", (x) => [np.asarray(x), np.array(x).mul(2)]]
      )
    ),
    one("Array methods", shapeArb(1, 3), () =>
      c("", (x: Array) => [
        x.var(),
        x.std({ axis: 0 }),
        x.prod({ axis: -1 }),
        x.max({ keepdims: true }),
        x.min({ axis: 0 }),
        x.gt(0).all({ axis: -1 }),
        x.gt(0).any(),
        x.argmax({ axis: 0 }),
        x.argmin(),
        x.cumsum({ axis: -1 }),
        x.floorDiv(0.75),
        x.mod(0.75),
        x.ne(0.5),
        x.le(0),
        x.ge(0),
        x.eq(1),
        x.abs().sqrt(),
        x.exp().log(),
        x.pow(2),
        x.div(2),
        x.ravel(),
        x.flatten(),
        x.squeeze(),
        x.swapaxes(0, -1),
        x.transpose(),
        x.T,
        x.at(0).get()
      ])
    )
  ]
  eachEntry("unary shape functions", entries, 8, 606)

  it("joining: concatenate, stack, hstack, vstack, broadcastArrays (several batched and unbatched operands)", () => {
    const joinArb = fc
      .tuple(shapeArb(1, 3), fc.integer({ min: 2, max: 3 }))
      .chain(([s, n]) => fc.tuple(ax(s.length), fc.array(dim, { minLength: n, maxLength: n })).map(([a, sizes]) => ({ s, n, a, sizes })))
    propVmap(
      joinArb.map(({ s, a, sizes }) => ({
        label: `concatenate axis ${a}`,
        args: sizes.map((k) => spec(s.map((d, i) => (i === normAxis(a, s.length) ? k : d)))),
        f: (...xs: Array[]) => np.concatenate(xs, a)
      })),
      10,
      607
    )
    propVmap(
      joinArb.map(({ s, n }) => ({
        label: `stack/hstack/vstack of ${n}`,
        args: seq(n).map(() => spec(s)),
        f: (...xs: Array[]) => [np.stack(xs, -1), np.hstack(xs), np.vstack(xs), np.stack(xs, { axis: 0 })]
      })),
      10,
      608
    )
    propVmap(
      broadcastPair.map(([a, b]) => ({ label: "broadcastArrays", args: [spec(a), spec(b)], f: (x: Array, y: Array) => np.broadcastArrays(x, y) })),
      8,
      609
    )
  })
})

// ---------------------------------------------------------------------------------------------

describe("vmap equals stacking f on each slice: linalg", () => {
  const pairs = (name: string, arb: fc.Arbitrary<readonly [number[], number[]]>, f: (a: Array, b: Array) => Array): readonly [string, fc.Arbitrary<Case>] => [
    name,
    arb.map(([a, b]) => ({ label: name, args: [spec(a), spec(b)], f }))
  ]
  const n = dim
  const entries: ReadonlyArray<readonly [string, fc.Arbitrary<Case>]> = [
    pairs(
      "dot vec.vec",
      n.map((k) => [[k], [k]] as const),
      np.dot
    ),
    pairs(
      "dot mat.vec",
      fc.tuple(n, n).map(([i, k]) => [[i, k], [k]] as const),
      np.dot
    ),
    pairs(
      "dot vec.mat",
      fc.tuple(n, n).map(([k, j]) => [[k], [k, j]] as const),
      np.dot
    ),
    pairs(
      "dot mat.mat",
      fc.tuple(n, n, n).map(
        ([i, k, j]) =>
          [
            [i, k],
            [k, j]
          ] as const
      ),
      np.dot
    ),
    pairs(
      "dot 3d.3d",
      fc.tuple(n, n, n, n).map(
        ([i, k, j, l]) =>
          [
            [i, j, k],
            [l, k, 2]
          ] as const
      ),
      np.dot
    ),
    pairs(
      "dot scalar",
      n.map((k) => [[], [k, 2]] as const),
      np.dot
    ),
    pairs(
      "matmul broadcast batch",
      fc.tuple(n, n, n, n).map(
        ([b, i, k, j]) =>
          [
            [b, i, k],
            [1, k, j]
          ] as const
      ),
      np.matmul
    ),
    pairs(
      "matmul vec",
      fc.tuple(n, n).map(([k, j]) => [[k], [2, k, j]] as const),
      np.matmul
    ),
    pairs(
      "matmul method",
      fc.tuple(n, n, n).map(
        ([i, k, j]) =>
          [
            [i, k],
            [k, j]
          ] as const
      ),
      (a, b) => a.matmul(b)
    ),
    pairs(
      "vdot",
      fc.tuple(n, n).map(
        ([i, k]) =>
          [
            [i, k],
            [k, i]
          ] as const
      ),
      np.vdot
    ),
    pairs(
      "inner",
      fc.tuple(n, n, n).map(
        ([i, k, j]) =>
          [
            [i, k],
            [j, k]
          ] as const
      ),
      np.inner
    ),
    pairs(
      "outer",
      fc.tuple(n, n).map(([i, j]) => [[i], [j, 2]] as const),
      np.outer
    ),
    pairs(
      "tensordot axes=1",
      fc.tuple(n, n, n).map(
        ([i, k, j]) =>
          [
            [i, k],
            [k, j]
          ] as const
      ),
      (a, b) => np.tensordot(a, b, 1)
    ),
    pairs(
      "tensordot axes=2",
      fc.tuple(n, n, n).map(
        ([i, k, j]) =>
          [
            [i, k, j],
            [k, j]
          ] as const
      ),
      (a, b) => np.tensordot(a, b, 2)
    ),
    pairs(
      "tensordot explicit axes",
      fc.tuple(n, n, n).map(
        ([i, k, j]) =>
          [
            [k, i],
            [j, k]
          ] as const
      ),
      (a, b) => np.tensordot(a, b, [[0], [1]])
    ),
    pairs(
      "einsum ij,jk->ik",
      fc.tuple(n, n, n).map(
        ([i, k, j]) =>
          [
            [i, k],
            [k, j]
          ] as const
      ),
      (a, b) => np.einsum("ij,jk->ik", a, b)
    ),
    pairs(
      "einsum bij,bjk->bik",
      fc.tuple(n, n, n).map(
        ([i, k, j]) =>
          [
            [2, i, k],
            [2, k, j]
          ] as const
      ),
      (a, b) => np.einsum("bij,bjk->bik", a, b)
    ),
    pairs(
      "einsum ii->i, i->",
      n.map((k) => [[k, k], [k]] as const),
      (a, b) => np.einsum("ii->i", a).add(np.einsum("i->", b))
    ),
    pairs(
      "einsum ...i,i->...",
      fc.tuple(n, n).map(([i, k]) => [[i, k], [k]] as const),
      (a, b) => np.einsum("...i,i->...", a, b)
    ),
    pairs(
      "einsum ij,ij->",
      fc.tuple(n, n).map(
        ([i, k]) =>
          [
            [i, k],
            [i, k]
          ] as const
      ),
      (a, b) => np.einsum("ij,ij->", a, b)
    ),
    pairs(
      "int dot",
      fc.tuple(n, n).map(([i, k]) => [[i, k], [k]] as const),
      (a, b) => np.dot(a.astype("int32"), b.astype("int32"))
    )
  ]
  eachEntry("dot, matmul, vdot, inner, outer, tensordot, einsum", entries, 8, 707)
})

// ---------------------------------------------------------------------------------------------

describe("vmap equals stacking f on each slice: indexing", () => {
  /** A random basic-index expression for shape s (ints, slices with steps, newaxis, ellipsis). */
  const basicIndex = (s: number[]): fc.Arbitrary<unknown[]> =>
    fc
      .tuple(
        ...s.map((d) =>
          fc.oneof(
            fc.integer({ min: -d, max: d - 1 }),
            fc.constantFrom(":", "1:", ":-1", "::-1", "::2"),
            fc
              .tuple(
                fc.option(fc.integer({ min: -d, max: d }), { nil: null }),
                fc.option(fc.integer({ min: -d, max: d }), { nil: null }),
                fc.constantFrom(1, 2, -1)
              )
              .map(([a, b, st]) => np.s(a, b, st))
          )
        ),
        fc.boolean(),
        fc.boolean()
      )
      .map((t) => {
        const items = t.slice(0, s.length) as unknown[]
        const [addNew, ellipsisFirst] = t.slice(s.length) as [boolean, boolean]
        if (addNew) items.splice(Math.min(1, items.length), 0, null)
        if (ellipsisFirst) items[0] = "..."
        return items
      })
  type Items = np.IndexItem[]
  it("x.index(...) with ints, slices (steps, negatives), null and '...'", () => {
    propVmap(
      shapeArb(1, 3).chain((s) =>
        basicIndex(s).map((items) => ({ label: `index ${JSON.stringify(items)}`, args: [spec(s)], f: (x: Array) => x.index(...(items as Items)) }))
      ),
      20,
      801
    )
  })

  it("x.index with a (batched) integer index array, alone and mixed with slices", () => {
    propVmap(
      fc.tuple(shapeArb(1, 3), shapeArb(0, 2)).chain(([s, is]) =>
        fc.integer({ min: 0, max: s.length - 1 }).map((pos) => ({
          label: `index array at dim ${pos}`,
          args: [spec(s), spec(is, "int32", { idx: s[pos]! })],
          f: (x: Array, i: Array) => x.index(...([...seq(pos).map(() => ":"), i] as Items))
        }))
      ),
      16,
      802
    )
    propVmap(
      fc.tuple(dim, dim, shapeArb(1, 2)).map(([a, b, is]) => ({
        label: "x[::-1, i] and x[i, 0]",
        args: [spec([a, b + 1]), spec(is, "int32", { idx: Math.min(a, b + 1) })],
        f: (x: Array, i: Array) => [x.index("::-1", i), x.index(i, 0)]
      })),
      12,
      803
    )
  })

  it("np.take with axis and modes, batched indices and/or operand", () => {
    propVmap(
      fc.tuple(shapeArb(1, 3), shapeArb(0, 2)).chain(([s, is]) =>
        fc
          .tuple(
            fc.option(fc.integer({ min: -s.length, max: s.length - 1 }), { nil: null }),
            fc.constantFrom("fill", "clip", "wrap") as fc.Arbitrary<"fill" | "clip" | "wrap">
          )
          .map(([axis, mode]) => ({
            label: `take axis ${axis} mode ${mode}`,
            args: [spec(s), spec(is, "int32", { idx: axis === null ? sizeOf(s) + 1 : s[normAxis(axis, s.length)]! + 1 })],
            f: (x: Array, i: Array) => np.take(x, i, { axis, mode })
          }))
      ),
      20,
      804
    )
  })

  it("x.at(...).set/add/multiply/min/max/get with batched operand, indices and values", () => {
    type Op = "set" | "add" | "multiply" | "min" | "max" | "get" | "subtract" | "divide"
    const ops: Op[] = ["set", "add", "multiply", "min", "max", "get", "subtract", "divide"]
    // Basic indices: x.at(k, "1:").op(v) with v broadcast to the indexed shape.
    propVmap(
      fc.tuple(fc.integer({ min: 2, max: 3 }), dim, fc.constantFrom(...ops), fc.boolean()).map(([a, b, op, scalarV]) => ({
        label: `at(int, '1:').${op}`,
        args: [spec([a, b]), spec(scalarV ? [] : [b], "float32", "pos")],
        f: (x: Array, v: Array) => (op === "get" ? x.at(-1, "1:").get().add(v.sum()) : x.at(-1, ":")[op](v))
      })),
      16,
      805
    )
    // Index arrays (repeated indices for add: they accumulate).
    propVmap(
      fc.tuple(fc.integer({ min: 2, max: 4 }), dim, fc.integer({ min: 1, max: 3 }), fc.constantFrom(...ops)).map(([n, b, k, op]) => ({
        label: `at(indexArray).${op}`,
        args: [spec([n, b]), spec([k], "int32", { idx: n }), spec([k, b], "float32", "pos")],
        f: (x: Array, i: Array, v: Array) =>
          op === "get" ? x.at(i).get() : op === "set" ? x.at(i).set(v.mul(0).add(v.sum())) /* duplicates: same value */ : x.at(i)[op](v)
      })),
      20,
      806
    )
  })
})

// ---------------------------------------------------------------------------------------------

describe("vmap equals stacking f on each slice: lax primitives with parameters np does not reach", () => {
  const ax = (rank: number): fc.Arbitrary<number> => fc.integer({ min: 0, max: rank - 1 })
  const entries: ReadonlyArray<readonly [string, fc.Arbitrary<Case>]> = [
    [
      "pad with interior padding and a batched padding value",
      shapeArb(1, 2).chain((s) =>
        fc
          .array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 1 })), {
            minLength: s.length,
            maxLength: s.length
          })
          .map((cfg) => ({
            label: `lax.pad ${JSON.stringify(cfg)}`,
            args: [spec(s), spec([])],
            f: (x: Array, v: Array) => lax.pad(x, v, cfg)
          }))
      )
    ],
    [
      "select with a batched scalar predicate",
      shapeArb(0, 3).map((s) => ({
        label: "lax.select",
        args: [spec([], "bool", "bool"), spec(s), spec(s)],
        f: (p: Array, a: Array, b: Array) => lax.select(p, a, b)
      }))
    ],
    [
      "broadcastInDim",
      shapeArb(1, 2).map((s) => ({
        label: "broadcastInDim",
        args: [spec(s)],
        f: (x: Array) =>
          lax.broadcastInDim(
            x,
            [2, ...s.map((d) => d), 3].filter((_, i) => i !== 1 || s.length > 0),
            [1, ...seq(s.length - 1).map((i) => i + 2)]
          )
      }))
    ],
    [
      "dotGeneral with batch dimensions",
      fc.tuple(dim, dim, dim, dim).map(([b, i, k, j]) => ({
        label: "lax.dotGeneral b,i,k x k,b,j",
        args: [spec([b, i, k]), spec([k, b, j])],
        f: (x: Array, y: Array) => lax.dotGeneral(x, y, { contracting: [[2], [0]], batch: [[0], [1]] })
      }))
    ],
    [
      "gather along a random axis",
      fc.tuple(shapeArb(1, 3), shapeArb(0, 2)).chain(([s, is]) =>
        ax(s.length).map((a) => ({
          label: `lax.gather axis ${a}`,
          // indices in [-(n + 1), n + 1): out-of-range ones are clamped per example
          args: [spec(s), spec(is, "int32", { idx: s[a]! + 1 })],
          f: (x: Array, i: Array) => lax.gather(x, i, a)
        }))
      )
    ],
    [
      "scatter along a random axis (every mode)",
      fc
        .tuple(
          shapeArb(1, 3),
          fc.integer({ min: 1, max: 3 }),
          fc.constantFrom("set", "add", "mul", "min", "max") as fc.Arbitrary<"set" | "add" | "mul" | "min" | "max">
        )
        .chain(([s, k, mode]) =>
          ax(s.length).map((a) => ({
            label: `lax.scatter axis ${a} mode ${mode}`,
            // indices in [-(n + 1), n + 1): repeated ones combine, out-of-range ones are dropped per example
            args: [spec(s), spec([k], "int32", { idx: s[a]! + 1 }), spec([...s.slice(0, a), k, ...s.slice(a + 1)])],
            f: (x: Array, i: Array, u: Array) => lax.scatter(x, i, u, a, mode)
          }))
        )
    ],
    [
      "cumsum/cumprod reverse",
      shapeArb(1, 3).chain((s) =>
        fc.tuple(ax(s.length), fc.boolean()).map(([a, reverse]) => ({
          label: `lax.cumsum/cumprod axis ${a} reverse ${reverse}`,
          args: [spec(s, "float32", "small")],
          f: (x: Array) => [lax.cumsum(x, a, reverse), lax.cumprod(x, a, reverse)]
        }))
      )
    ],
    [
      "reductions over axis lists",
      shapeArb(1, 3).chain((s) =>
        fc.subarray(seq(s.length), { minLength: 1 }).map((axes) => ({
          label: `lax.reduce* ${JSON.stringify(axes)}`,
          args: [spec(s, "float32", "small")],
          f: (x: Array) => [lax.reduceSum(x, axes), lax.reduceMax(x, axes), lax.reduceMin(x, axes), lax.reduceProd(x, axes)]
        }))
      )
    ],
    // lax.argmax takes no negative axis (as in JAX: its shape rule refuses one; np.argmax normalizes).
    [
      "argmax/argmin on every axis",
      shapeArb(1, 3).chain((s) =>
        fc.integer({ min: 0, max: s.length - 1 }).map((a) => ({
          label: `lax.argmax axis ${a}`,
          args: [spec(s, "int32", "int")],
          f: (x: Array) => [lax.argmax(x, a), lax.argmin(x, a)]
        }))
      )
    ],
    [
      "rev, strided slice, concatenate",
      shapeArb(1, 3).chain((s) =>
        fc.subarray(seq(s.length)).map((dims) => ({
          label: `lax.rev ${JSON.stringify(dims)}`,
          args: [spec(s), spec(s)],
          f: (x: Array, y: Array) => [
            lax.rev(x, dims),
            lax.slice(
              x,
              s.map(() => 0),
              s,
              s.map(() => 2)
            ),
            lax.concatenate([x, y], s.length - 1)
          ]
        }))
      )
    ],
    [
      "unary lax: integerPow, erf, rsqrt, logistic, convertElementType, stopGradient",
      shapeArb(0, 3).map((s) => ({
        label: "lax unary",
        args: [spec(s, "float32", "pos")],
        f: (x: Array) => [
          lax.integerPow(x, 3),
          lax.integerPow(x, -2),
          lax.erf(x),
          lax.rsqrt(x),
          lax.logistic(x),
          lax.convertElementType(x, "int32"),
          lax.stopGradient(x)
        ]
      }))
    ],
    [
      "binary lax: rem, atan2, pow, xor, max",
      shapeArb(0, 2).map((s) => ({
        label: "lax binary",
        args: [spec(s, "int32", "int"), spec(s, "int32", "nonzero")],
        f: (x: Array, y: Array) => [
          lax.rem(x, y),
          lax.xor(x, y),
          lax.max(x, y),
          lax.atan2(x.astype("float32"), y.astype("float32")),
          lax.pow(y.astype("float32").abs(), x.astype("float32").mul(0.5))
        ]
      }))
    ],
    [
      "rank-0 operand against a batched higher-rank one",
      shapeArb(1, 3).map((s) => ({
        label: "lax.mul(scalar, x)",
        args: [spec([]), spec(s)],
        f: (c: Array, x: Array) => [lax.mul(c, x), lax.add(x, c), lax.select(lax.gt(c, lax.convertElementType(lax.neg(lax.abs(c)), "float32")), x, lax.neg(x))]
      }))
    ]
  ]
  eachEntry("lax primitives", entries, 8, 750)

  it("every primitive with inputs has a batching rule", async () => {
    const { allPrimitives } = await import("../primitive.js")
    // iota takes no operands, so nothing can be batched; custom_lin only appears between linearize
    // and transposition (JAX has no batching rule for it either).
    // axis_index takes no operands either (its vmap rule is the named axis's, axisBatch); rng_uniform
    // is stateful and has no batching rule in JAX either (vmap of it is JAX's error too).
    const unbatchable = ["iota", "axis_index", "custom_lin", "rng_uniform"]
    const missing = allPrimitives()
      .filter((p) => p.batch === undefined && !unbatchable.includes(p.name))
      .map((p) => p.name)
    expect(missing).toEqual([])
  })
})

// ---------------------------------------------------------------------------------------------
// Random compositions: programs of several np/nn steps over one or two inputs.

type Step = (x: Array, y: Array) => Array
const steps: ReadonlyArray<readonly [string, Step]> = [
  ["sin", (x) => np.sin(x)],
  ["tanh", (x) => np.tanh(x)],
  ["x*y", (x, y) => x.mul(y)],
  ["x+y", (x, y) => x.add(y)],
  ["x-2y", (x, y) => x.sub(y.mul(2))],
  ["max(x,y)", (x, y) => np.maximum(x, y)],
  ["where(x>y,x,y^2)", (x, y) => np.where(x.gt(y), x, y.square())],
  ["x-mean0", (x) => x.sub(np.mean(x, { axis: 0, keepdims: true }))],
  ["x/sum-1", (x) => x.div(np.sum(np.abs(x), { axis: -1, keepdims: true }).add(1))],
  ["softmax", (x) => nn.softmax(x)],
  ["cumsum0", (x) => np.cumsum(x, { axis: 0 })],
  ["flip", (x) => np.flip(x, -1)],
  ["x@y^T@x", (x, y) => np.matmul(np.matmul(x, y.T), x).mul(0.25)],
  ["relu", (x) => nn.relu(x)],
  ["exp(-x^2)", (x) => np.exp(x.square().neg())],
  [
    "pad+slice",
    (x) =>
      np
        .pad(x, [
          [1, 0],
          [0, 1]
        ])
        .index("1:", ":-1")
  ],
  ["roll rows", (x) => np.concatenate([x.index("1:"), x.index(":1")], 0)],
  ["x.at[0].add(y[0])", (x, y) => x.at(0).add(y.index(0))],
  ["roll rows via take", (x) => np.take(x, [x.shape[0]! - 1, ...seq(x.shape[0]! - 1)], { axis: 0 })],
  ["logsumexp keep", (x) => x.sub(nn.logsumexp(x, { axis: 1, keepdims: true }))]
]

interface Program {
  readonly label: string
  readonly run: (x: Array, y: Array) => Array
}
const programArb: fc.Arbitrary<Program> = fc.array(fc.integer({ min: 0, max: steps.length - 1 }), { minLength: 1, maxLength: 6 }).map((ks) => ({
  label: ks.map((k) => steps[k]![0]).join(" ; "),
  run: (x: Array, y: Array) => {
    let a = x
    let b = y
    ks.forEach((k, i) => {
      const next = steps[k]![1](a, b)
      if (i % 2 === 1) b = a
      a = next
    })
    return a
  }
}))
// Square inputs so every step keeps the shape.
const squareShape = fc.integer({ min: 2, max: 3 }).map((n) => [n, n])

describe("vmap of random compositions of np/nn functions", () => {
  it("vmap(program)(xs, ys) equals the stack of program on each pair, any inAxes/outAxes", () => {
    propVmap(
      fc.tuple(programArb, squareShape).map(([p, s]) => ({ label: p.label, args: [spec(s), spec(s)], f: p.run })),
      20,
      901
    )
  })

  it("scalar-valued programs (sum of the result) and pytree outputs", () => {
    propVmap(
      fc.tuple(programArb, squareShape).map(([p, s]) => ({
        label: p.label,
        args: [spec(s), spec(s)],
        f: (x: Array, y: Array) => {
          const z = p.run(x, y)
          return { total: np.sum(z), pair: [z, np.max(z, { axis: 0 })] }
        }
      })),
      12,
      902
    )
  })
})

// ---------------------------------------------------------------------------------------------

describe("vmap options: pytree inAxes, outAxes trees, nesting", () => {
  it("inAxes as a pytree prefix over a record argument; outAxes per output", () => {
    const f = (p: { w: Array; b: Array }, x: Array) => [np.dot(x, p.w).add(p.b), np.sum(x)] as const
    const w = make([1, 2, 3, 4, 5, 6], [3, 2], "float32")
    const xs = make(
      seq(12).map((i) => i / 4),
      [4, 3],
      "float32"
    )
    const bs = make([1, 2, 3, 4, 5, 6, 7, 8], [4, 2], "float32")
    const got = vmap(f, { inAxes: [{ w: null, b: 0 }, 0], outAxes: [1, 0] })({ w, b: bs }, xs)
    const loop = seq(4).map((i) => f({ w, b: bs.index(i) }, xs.index(i)))
    expectSame(
      got[0],
      hostStack(
        loop.map((l) => l[0]),
        1
      ),
      "record inAxes, out 1"
    )
    expectSame(
      got[1],
      hostStack(
        loop.map((l) => l[1]),
        0
      ),
      "record inAxes, out 0"
    )
  })

  it("nested vmap equals a double loop, with random axes at both levels", () => {
    fc.assert(
      fc.property(
        fc.tuple(programArb, squareShape, fc.constantFrom(0, 1, -1, null), fc.constantFrom(0, 1, -1, -2), fc.constantFrom(0, -1, 1), fc.integer()),
        ([p, s, innerY, outerX, outAxis, seed]) => {
          const r = mulberry32(seed)
          const B1 = 2
          const B2 = 3
          // xs: [B1, B2, ...s] laid out with the outer axis at `outerX`, inner axis 0 of the rest.
          const xEx = seq(B1).map(() => seq(B2).map(() => gen(spec(s), r)))
          const yEx = seq(B2).map(() => gen(spec(s), r))
          const xs = hostStack(
            xEx.map((row) => hostStack(row, 0)),
            normAxis(outerX, s.length + 2)
          )
          const ys = innerY === null ? yEx[0]! : hostStack(yEx, normAxis(innerY, s.length + 1))
          const inner = vmap(p.run, { inAxes: [0, innerY] })
          const outer = vmap(inner, { inAxes: [outerX, null], outAxes: outAxis })
          const got = outer(xs, ys)
          const expected = hostStack(
            xEx.map((row) =>
              hostStack(
                row.map((x, j) => p.run(x, innerY === null ? yEx[0]! : yEx[j]!)),
                0
              )
            ),
            normAxis(outAxis, s.length + 2)
          )
          expectSame(got, expected, `nested ${p.label}`)
        }
      ),
      { numRuns: 10, seed: 1001 }
    )
  })
})

// ---------------------------------------------------------------------------------------------

describe("vmap composes with jit, grad and jvp", () => {
  const seeds = fc.integer()
  const twoInputs = (s: number[], seed: number, size: number): [Array[], Array[]] => {
    const r = mulberry32(seed)
    return [seq(size).map(() => gen(spec(s), r)), seq(size).map(() => gen(spec(s), r))]
  }

  it("jit(vmap(f)) and vmap(jit(f)) equal vmap(f) and the loop", () => {
    fc.assert(
      fc.property(programArb, squareShape, seeds, (p, s, seed) => {
        const [xe, ye] = twoInputs(s, seed, 3)
        const xs = hostStack(xe, 0)
        const ys = hostStack(ye, 1)
        const expected = hostStack(
          seq(3).map((b) => p.run(xe[b]!, ye[b]!)),
          0
        )
        const opts = { inAxes: [0, 1] as const }
        expectSame(jit(vmap(p.run, { inAxes: [...opts.inAxes] }))(xs, ys), expected, `jit∘vmap ${p.label}`, { rtol: 1e-4, atol: 1e-4 })
        expectSame(vmap(jit(p.run), { inAxes: [...opts.inAxes] })(xs, ys), expected, `vmap∘jit ${p.label}`, { rtol: 1e-4, atol: 1e-4 })
      }),
      { numRuns: 12, seed: 1101 }
    )
  })

  it("vmap(grad(f)) gives per-example gradients equal to a loop of grad; grad(sum∘vmap(f)) equals their sum", () => {
    fc.assert(
      fc.property(programArb, squareShape, seeds, (p, s, seed) => {
        const loss = (x: Array, y: Array) => np.sum(np.tanh(p.run(x, y)))
        const [xe, ye] = twoInputs(s, seed, 3)
        const xs = hostStack(xe, 0)
        const y0 = ye[0]!
        const perEx = vmap(grad(loss), { inAxes: [0, null] })(xs, y0)
        const loop = hostStack(
          xe.map((x) => grad(loss)(x, y0)),
          0
        )
        expectSame(perEx, loop, `vmap∘grad ${p.label}`, { rtol: 1e-4, atol: 1e-4 })
        const total = (x: Array, y: Array) => np.sum(vmap(loss, { inAxes: [null, 0] })(x, y))
        // grad over the unbatched argument of a vmapped function: the sum of per-example grads.
        const ys = hostStack(ye, 0)
        const g = grad(total)(xe[0]!, ys)
        const sumLoop = ye.map((y) => grad(loss)(xe[0]!, y)).reduce((a, b) => a.add(b))
        expectSame(g, sumLoop, `grad∘vmap ${p.label}`, { rtol: 1e-4, atol: 1e-4 })
      }),
      { numRuns: 12, seed: 1102 }
    )
  })

  it("jvp(vmap(f)) equals vmap(jvp(f)) (primal and tangent)", () => {
    fc.assert(
      fc.property(programArb, squareShape, seeds, (p, s, seed) => {
        const [xe, te] = twoInputs(s, seed, 2)
        const y = gen(spec(s), mulberry32(seed + 1))
        const xs = hostStack(xe, 0)
        const ts = hostStack(te, 0)
        const f = (x: Array) => p.run(x, y)
        const [p1, t1] = jvp(vmap(f), [xs], [ts])
        const [p2, t2] = vmap((x: Array, t: Array) => jvp(f, [x], [t]))(xs, ts)
        expectSame(p1, p2, `jvp∘vmap primal ${p.label}`, { rtol: 1e-4, atol: 1e-4 })
        expectSame(t1, t2, `jvp∘vmap tangent ${p.label}`, { rtol: 1e-4, atol: 1e-4 })
        const loop = hostStack(
          xe.map((x, b) => jvp(f, [x], [te[b]!])[1]),
          0
        )
        expectSame(t1, loop, `jvp loop ${p.label}`, { rtol: 1e-4, atol: 1e-4 })
      }),
      { numRuns: 12, seed: 1103 }
    )
  })

  it("jit(vmap(grad(loss), { inAxes: [null, 0, 0] })) per-example gradients of a linear model", () => {
    const loss = (w: Array, x: Array, y: Array) => np.dot(x, w).sub(y).square()
    const w = make([0.5, -1, 2], [3], "float32")
    const xs = make(
      seq(12).map((i) => (i % 5) - 2),
      [4, 3],
      "float32"
    )
    const ys = make([1, 2, 3, 4], [4], "float32")
    const perEx = jit(vmap(grad(loss), { inAxes: [null, 0, 0] }))(w, xs, ys)
    const loop = hostStack(
      seq(4).map((i) => grad(loss)(w, xs.index(i), ys.index(i))),
      0
    )
    expectSame(perEx, loop, "linear model per-example grads")
  })
})

// ---------------------------------------------------------------------------------------------

describe("vmap of control flow", () => {
  it("lax.cond with a batched predicate selects per example (both branches traced)", () => {
    fc.assert(
      fc.property(programArb, programArb, squareShape, fc.integer(), (p, q, s, seed) => {
        const f = (x: Array, y: Array) =>
          lax.cond(
            np.sum(x).gt(0),
            (a: Array, b: Array) => p.run(a, b),
            (a: Array, b: Array) => q.run(b, a),
            x,
            y
          )
        checkVmap({ c: { label: `cond ${p.label} | ${q.label}`, args: [spec(s), spec(s)], f }, size: 4, axes: [0, null], out: 0, seed })
        checkVmap({ c: { label: `cond ${p.label} | ${q.label}`, args: [spec(s), spec(s)], f }, size: 3, axes: [1, -1], out: -1, seed })
      }),
      { numRuns: 8, seed: 1201 }
    )
  })

  it("grad through a vmapped cond with a batched predicate equals a loop of grads; jvp through a vmapped whileLoop", () => {
    const xs = make([0.1, 0.2, 0.3, 0.4, 0.5, -1.6], [2, 3], "float32")
    const branchy = (x: Array) =>
      np.sum(
        lax.cond(
          x.sum().gt(0),
          (a: Array) => a.square(),
          (a: Array) => np.sin(a),
          x
        )
      )
    const g = grad((z: Array) => np.sum(vmap(branchy)(z)))(xs)
    expectSame(
      g,
      hostStack(
        [0, 1].map((i) => grad(branchy)(xs.index(i))),
        0
      ),
      "grad∘vmap∘cond"
    )
    expectSame(vmap(grad(branchy))(xs), g, "vmap∘grad∘cond")
    // Square until |c| >= 2 (at most 4 times): a per-example trip count, so the derivative is
    // 2^k x^(2^k - 1) with k the example's own number of squarings.
    const squareUp = (x: Array) =>
      lax.whileLoop(
        (c: readonly [Array, Array]) => np.logicalAnd(c[0].lt(4), np.abs(c[1]).lt(2)),
        (c: readonly [Array, Array]) => [c[0].add(1), c[1].mul(c[1])] as const,
        [np.array(0), x] as const
      )
    const x = make([1.5, 1.1, 3], [3], "float32")
    const [[k, y], [, t]] = jvp(vmap(squareUp), [x], [make([1, 1, 1], [3], "float32")])
    expect([...k.data()]).toEqual([1, 3, 0])
    expectSame(
      y,
      hostStack(
        [0, 1, 2].map((i) => squareUp(x.index(i))[1]),
        0
      ),
      "vmapped whileLoop primal"
    )
    const expectedT = [0, 1, 2].map((i) => {
      const p = 2 ** [1, 3, 0][i]!
      return Math.fround(p * Math.fround(x.index(i).item()) ** (p - 1))
    })
    expectSame(t, make(expectedT, [3], "float32"), "vmapped whileLoop tangent", { rtol: 1e-5, atol: 0 })
  })

  it("lax.cond with an unbatched predicate and batched operands; lax.switch with a batched index", () => {
    const pred = make([1], [], "bool")
    const f = (x: Array) =>
      lax.cond(
        pred,
        (a: Array) => a.mul(2),
        (a: Array) => a.neg(),
        x
      )
    checkVmap({ c: { label: "cond unbatched pred", args: [spec([2])], f }, size: 3, axes: [0], out: 0, seed: 7 })
    const g = (i: Array, x: Array) => lax.switch(i, [(a: Array) => a.add(1), (a: Array) => a.mul(a), (a: Array) => np.sin(a)], x)
    fc.assert(
      fc.property(fc.integer(), (seed) =>
        checkVmap({ c: { label: "switch", args: [spec([], "int32", { idx: 2 }), spec([2])], f: g }, size: 4, axes: [0, 0], out: 0, seed })
      ),
      { numRuns: 6, seed: 1202 }
    )
  })

  it("lax.whileLoop with a batched predicate runs until every example is done", () => {
    // Collatz-like: count halvings until x < 1 — a different trip count per example.
    const f = (x: Array) =>
      lax.whileLoop(
        (c: readonly [Array, Array]) => c[0].ge(1),
        (c: readonly [Array, Array]) => [c[0].div(2), c[1].add(1)] as const,
        [x, np.array(0)] as const
      )
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 1, max: 5 }), (seed, size) =>
        checkVmap({ c: { label: "whileLoop halvings", args: [spec([], "float32", "pos")], f: (x: Array) => f(x.mul(8)) }, size, axes: [0], out: 0, seed })
      ),
      { numRuns: 8, seed: 1203 }
    )
    const xs = make([0.5, 1, 4, 30], [4], "float32")
    const [v, n] = vmap(f)(xs)
    expect([...n.data()]).toEqual([0, 1, 3, 5])
    expect([...v.data()]).toEqual([0.5, 0.5, 0.5, 30 / 32])
    // A batched bound with an unbatched carry, through forILoop with traced bounds.
    const sumTo = (n: Array) => lax.forILoop(0, n, (i: Array, c: Array) => c.add(i), np.array(0))
    expect([...vmap(sumTo)(make([0, 1, 4, 6], [4], "int32")).data()]).toEqual([0, 0, 6, 15])
  })

  it("lax.scan over batched xs and/or batched carry", () => {
    const step = (c: Array, x: Array) => {
      const nc = np.tanh(c.mul(0.5).add(x))
      return [nc, nc.mul(x).sum()] as const
    }
    const f = (c0: Array, xs: Array) => lax.scan(step, c0, xs)
    fc.assert(
      fc.property(fc.integer(), fc.constantFrom<[number | null, number | null]>([0, 0], [null, 0], [0, null], [1, 2], [-1, -1]), (seed, axes) =>
        checkVmap({ c: { label: `scan ${JSON.stringify(axes)}`, args: [spec([2]), spec([4, 2])], f }, size: 3, axes, out: 0, seed })
      ),
      { numRuns: 10, seed: 1204 }
    )
    // reverse scan, and grad through a vmapped scan (per-example gradients of the carry).
    const g = (c0: Array, xs: Array) => np.sum(lax.scan(step, c0, xs, { reverse: true })[0])
    const c0s = make([0.1, 0.2, -0.3, 0.4, 0.5, 0.6], [3, 2], "float32")
    const xs = make(
      seq(8).map((i) => i / 8),
      [4, 2],
      "float32"
    )
    const perEx = vmap(grad(g), { inAxes: [0, null] })(c0s, xs)
    const loop = hostStack(
      seq(3).map((i) => grad(g)(c0s.index(i), xs)),
      0
    )
    expectSame(perEx, loop, "vmap(grad(scan))", { rtol: 1e-5, atol: 1e-6 })
  })
})

// ---------------------------------------------------------------------------------------------

describe("vmap of random (a batch of keys)", () => {
  it("samplers, bits and foldIn under vmap give the same bits as a loop over the keys (raw and typed keys, inAxes 0 and 1)", () => {
    const raw = random.split(random.PRNGKey(0), 4) as unknown as Array // [4, 2] uint32
    const perKey = (k: Array) => [random.uniform(k, [3]), random.normal(k, [2, 2]), random.bits(k, [2]), random.randint(k, [2], 0, 10)]
    const loop = [0, 1, 2, 3].map((i) => perKey(raw.index(i)))
    const stacked = loop[0]!.map((_, j) =>
      hostStack(
        loop.map((l) => l[j]!),
        0
      )
    )
    expectSame(vmap(perKey)(raw), stacked, "vmap over raw keys")
    expectSame(vmap(perKey, { inAxes: 1 })(raw.T), stacked, "vmap over raw keys at axis 1")
    expectSame(jit(vmap(perKey))(raw), stacked, "jit(vmap) over raw keys")
    const folded = vmap((d: Array) => random.bits(random.foldIn(random.PRNGKey(1), d), [2]))(make([0, 1, 2], [3], "int32"))
    expectSame(
      folded,
      hostStack(
        [0, 1, 2].map((i) => random.bits(random.foldIn(random.PRNGKey(1), i), [2])),
        0
      ),
      "vmap of foldIn over data"
    )
    const typed = random.split(random.key(0), 3)
    const ks = random.split(random.key(0), 3)
    const typedLoop = hostStack(
      [ks[0], ks[1], ks[2]].map((k) => random.normal(k, [2])),
      0
    )
    expectSame(vmap((k: random.PRNGKeyArray) => random.normal(k, [2]))(typed as unknown as random.PRNGKeyArray), typedLoop, "vmap over typed keys")
  })
})

// ---------------------------------------------------------------------------------------------

describe("vmap: closures, unbatched outputs and other edge cases", () => {
  const xs = make([1, 2, 3, 4, 5, 6], [2, 3], "float32")
  const ys = make([0.5, -1], [2], "float32")
  const vals = (x: Array): number[] => [...x.data()].map(Number)

  it("outputs that ignore the batch are broadcast: identity, an unbatched argument, a JS number, a fresh array", () => {
    expectSame(vmap((x: Array) => x)(xs), xs, "identity")
    expectSame(vmap((_x: Array, y: Array) => y, { inAxes: [0, null] })(xs, ys), hostStack([ys, ys], 0), "unbatched argument")
    const three = vmap((_x: Array) => 3 as unknown as Array)(xs)
    expect(three.toString()).toBe("Array([3, 3], dtype=int32, weak_type=True)") // as JAX prints vmap(lambda x: 3)(xs)
    expectSame(vmap((_x: Array) => np.ones([2]))(xs), make([1, 1, 1, 1], [2, 2], "float32"), "fresh array")
    expectSame(vmap((x: Array, c: number) => x.mul(c), { inAxes: [0, null] })(xs, 3), xs.mul(3), "a JS number argument")
  })

  it("closures: grad through a vmap that closes over the differentiated weights; vmap inside vmap closing over the outer value", () => {
    const w = make([0.5, -1, 2], [3], "float32")
    const g = grad((w: Array) => np.sum(np.tanh(vmap((x: Array) => np.dot(x, w))(xs))))(w)
    const loop = [0, 1].map((i) => grad((w: Array) => np.tanh(np.dot(xs.index(i), w)))(w)).reduce((a, b) => a.add(b))
    expectSame(g, loop, "grad over closed-over weights", { rtol: 1e-5, atol: 1e-6 })
    const outer = vmap((x: Array) => vmap((y: Array) => x.mul(y))(ys))(xs)
    expectSame(
      outer,
      hostStack(
        [0, 1].map((i) =>
          hostStack(
            [0, 1].map((j) => xs.index(i).mul(ys.index(j))),
            0
          )
        ),
        0
      ),
      "nested closure"
    )
  })

  it("jit, cond, switch, whileLoop and scan bodies that close over a batched value", () => {
    expectSame(vmap((x: Array) => jit((y: Array) => y.mul(x))(np.ones([3])))(xs), xs, "jit closure")
    expect(
      vals(
        vmap((x: Array) =>
          lax.cond(
            true,
            () => x.mul(2),
            () => x.neg()
          )
        )(ys)
      )
    ).toEqual([1, -2])
    expect(
      vals(
        vmap((x: Array) =>
          lax.cond(
            x.gt(0),
            () => x.mul(2),
            () => x.neg()
          )
        )(ys)
      )
    ).toEqual([1, 1])
    expect(vals(vmap((i: Array, x: Array) => lax.switch(i, [() => x, () => x.mul(10)]))(make([0, 1], [2], "int32"), ys))).toEqual([0.5, -10])
    const upTo = vmap((x: Array) =>
      lax.whileLoop(
        (c: Array) => c.lt(x),
        (c: Array) => c.add(1),
        np.array(0, { dtype: "float32" })
      )
    )
    expect(vals(upTo(make([0.5, 3, 2.5, -1], [4], "float32")))).toEqual([1, 3, 3, 0])
    const cube = vmap(
      (x: Array) =>
        lax.whileLoop(
          (c: readonly [Array, Array]) => c[0].lt(3),
          (c: readonly [Array, Array]) => [c[0].add(1), c[1].mul(x)] as const,
          [np.array(0), np.array(1, { dtype: "float32" })] as const
        )[1]
    )
    expect(vals(cube(make([1, 2, 3], [3], "float32")))).toEqual([1, 8, 27])
    const [carry, ysOut] = vmap((x: Array) =>
      lax.scan((c: Array, z: Array) => [c.add(z.mul(x)), c] as const, np.array(0, { dtype: "float32" }), np.arange(4).astype("float32"))
    )(make([1, 2], [2], "float32"))
    expect(vals(carry)).toEqual([6, 12])
    expect(vals(ysOut)).toEqual([0, 0, 1, 3, 0, 0, 2, 6])
  })

  it("a batch of size 0", () => {
    const out = vmap((x: Array) => np.dot(x, np.ones([3])).add(x.sum()))(np.zeros([0, 3]))
    expect(out.shape).toEqual([0])
    expect(out.dtype).toBe("float32")
  })

  it("vjp of a vmapped function and vmap of a pullback (the cotangents batched)", () => {
    const f = (z: Array) => np.sin(z).mul(z).sum()
    const [, back] = vjp(vmap(f), xs)
    const [g] = back(ys)
    const loop = hostStack(
      [0, 1].map((i) => grad(f)(xs.index(i)).mul(ys.index(i))),
      0
    )
    expectSame(g, loop, "vjp∘vmap", { rtol: 1e-6, atol: 1e-6 })
    const pulled = vmap((x: Array, ct: Array) => vjp(f, x)[1](ct)[0])(xs, ys)
    expectSame(pulled, loop, "vmap∘vjp", { rtol: 1e-6, atol: 1e-6 })
  })

  it("vmap of grad with hasAux returns batched gradients and batched aux", () => {
    const [g, aux] = vmap(grad((x: Array) => [x.square().sum(), x.sum()] as const, { hasAux: true }))(xs)
    expectSame(g, xs.mul(2), "grad")
    expectSame(aux, make([6, 15], [2], "float32"), "aux")
  })

  it("an error inside vmap leaves no transformation behind: eager evaluation works afterwards", () => {
    expect(() => vmap((x: Array) => x.add(np.ones([7])))(xs)).toThrow(ShapeError)
    expect(np.ones([2]).add(1).toString()).toBe("Array([2., 2.], dtype=float32)")
    expectSame(vmap((x: Array) => x.sum())(xs), make([6, 15], [2], "float32"), "vmap after an error")
  })
})

// ---------------------------------------------------------------------------------------------

describe("vmap passes unmapped (inAxes null) arguments through unchanged, as JAX does", () => {
  // JAX's batching `to_elt` wraps only mapped inputs in BatchTracers; an input with in_axes=None
  // reaches f as it was given (a Python int stays an int, a concrete array stays concrete).
  const xs = make([1, 2, 3, 4, 5, 6], [2, 3], "float32")

  it("a JS boolean flag keeps its value (not an always-truthy Array object)", () => {
    const f = (x: Array, flag: boolean) => (flag ? x : x.neg())
    expectSame(vmap(f, { inAxes: [0, null] })(xs, false), xs.neg(), "flag false")
    expectSame(vmap(f, { inAxes: [0, null] })(xs, true), xs, "flag true")
  })

  it("a JS number can drive JS control flow (a loop bound)", () => {
    const power = (x: Array, n: number) => {
      let acc = x
      for (let i = 1; i < n; i++) acc = acc.mul(x)
      return acc
    }
    expectSame(vmap(power, { inAxes: [0, null] })(xs, 3), xs.mul(xs).mul(xs), "x ** 3")
  })

  it("a JS number reaches a jit static argument", () => {
    const scale = jit((x: Array, n: number) => x.mul(n), { staticArgnums: [1] })
    expectSame(vmap(scale, { inAxes: [0, null] })(xs, 3), xs.mul(3), "static argument")
  })

  it("an unmapped concrete Array can be read inside the function (outside jit)", () => {
    const f = (x: Array, y: Array) => (y.item() > 0 ? x : x.neg())
    expectSame(vmap(f, { inAxes: [0, null] })(xs, np.array(1)), xs, "concrete unmapped read")
  })
})

// ---------------------------------------------------------------------------------------------

describe("vmap errors", () => {
  const a = make([1, 2, 3, 4, 5, 6], [3, 2], "float32")
  const b = make([1, 2, 3, 4], [2, 2], "float32")

  it("mismatched axis sizes: a ValueError naming both arguments and sizes", () => {
    const f = (x: Array, y: Array) => x.add(y)
    let err: unknown
    try {
      vmap(f)(a, b)
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(ValueError)
    const msg = (err as Error).message
    expect(msg).toMatch(/argument 0 \(x\)/)
    expect(msg).toMatch(/argument 1 \(y\)/)
    expect(msg).toMatch(/size 3/)
    expect(msg).toMatch(/size 2/)
  })

  it("an out-of-range axis is a ShapeError (inAxes and outAxes), negative axes in range are fine", () => {
    const f = (x: Array) => x.mul(2)
    expect(() => vmap(f, { inAxes: 2 })(a)).toThrow(ShapeError)
    expect(() => vmap(f, { inAxes: -3 })(a)).toThrow(ShapeError)
    expect(() => vmap(f, { outAxes: 2 })(a)).toThrow(ShapeError)
    expect(() => vmap(f, { outAxes: -3 })(a)).toThrow(ShapeError)
    expectSame(vmap(f, { inAxes: -2, outAxes: -1 })(a), a.mul(2).T, "inAxes -2 outAxes -1")
  })

  it("outAxes: null (a single null for every output) on a batched output is a ValueError", () => {
    // JAX: vmap(lambda x: x * 2, out_axes=None)(a) raises "vmap has mapped output but out_axes is None".
    expect(() => vmap((x: Array) => x.mul(2), { outAxes: null })(a)).toThrow(ValueError)
  })

  it("outAxes: null on an output that does not depend on the batch returns it unstacked", () => {
    const c = make([7], [1], "float32")
    expectSame(vmap((_x: Array) => c.mul(2), { outAxes: null })(a), make([14], [1], "float32"), "outAxes null, unbatched output")
  })

  it("outAxes as a tree with null entries: batched null entries are a ValueError, unbatched ones pass through", () => {
    const c = make([7], [1], "float32")
    const [batched, same] = vmap((x: Array) => [x.sum(), c.mul(2)] as const, { outAxes: [0, null] })(a)
    expectSame(batched, make([3, 7, 11], [3], "float32"), "batched output")
    expectSame(same, make([14], [1], "float32"), "unbatched output with outAxes null")
    expect(() => vmap((x: Array) => [x.sum(), x.mul(2)] as const, { outAxes: [0, null] })(a)).toThrow(ValueError)
  })

  it("inAxes: null (every argument unbatched) needs axisSize, and with it broadcasts the output", () => {
    // JAX: vmap(f, in_axes=None)(a) raises "vmap must have at least one non-None value in in_axes"
    // unless axis_size is given.
    expect(() => vmap((x: Array) => x, { inAxes: null })(a)).toThrow(ValueError)
    const got = vmap((x: Array) => x.mul(2), { inAxes: null, axisSize: 3 })(make([1, 2], [2], "float32"))
    expectSame(got, make([2, 4, 2, 4, 2, 4], [3, 2], "float32"), "inAxes null, axisSize 3")
  })

  it("inAxes [null] with axisSize broadcasts; inAxes of the wrong length is a ValueError; axisSize disagreeing is a ValueError", () => {
    const got = vmap((x: Array) => x.mul(2), { inAxes: [null], axisSize: 3 })(make([1, 2], [2], "float32"))
    expectSame(got, make([2, 4, 2, 4, 2, 4], [3, 2], "float32"), "inAxes [null], axisSize 3")
    expect(() => vmap((x: Array) => x, { inAxes: [null] })(a)).toThrow(ValueError)
    expect(() => vmap((x: Array, y: Array) => x.add(y), { inAxes: [0] })(a, a)).toThrow(ValueError)
    expect(() => vmap((x: Array) => x, { axisSize: 5 })(a)).toThrow(ValueError)
  })
})

// ---------------------------------------------------------------------------------------------

describe("np.convolve", () => {
  /** out[k] = sum_j a[j] v[k - j], then NumPy's mode windows (float64 on the host). */
  const reference = (a: ReadonlyArray<number>, v: ReadonlyArray<number>, mode: "full" | "same" | "valid"): number[] => {
    const n = a.length
    const m = v.length
    const full = seq(n + m - 1).map((k) => {
      let s = 0
      for (let j = 0; j < n; j++) if (k - j >= 0 && k - j < m) s += a[j]! * v[k - j]!
      return s
    })
    const [long, short] = [Math.max(n, m), Math.min(n, m)]
    if (mode === "full") return full
    if (mode === "same") {
      const start = Math.floor((short - 1) / 2)
      return full.slice(start, start + long)
    }
    return full.slice(short - 1, long)
  }
  const vecArb = fc.array(fc.integer({ min: -8, max: 8 }), { minLength: 1, maxLength: 7 })
  const modeArb = fc.constantFrom("full", "same", "valid") as fc.Arbitrary<"full" | "same" | "valid">

  it("matches the hand-written reference for every mode, either operand longer", () => {
    fc.assert(
      fc.property(vecArb, vecArb, modeArb, (a, v, mode) => {
        const got = np.convolve(
          make(
            a.map((x) => x / 4),
            [a.length],
            "float32"
          ),
          make(v, [v.length], "float32"),
          { mode }
        )
        expect(got.dtype).toBe("float32")
        expect([...got.data()]).toEqual(
          reference(
            a.map((x) => x / 4),
            v,
            mode
          )
        )
      }),
      { numRuns: 20, seed: 1301 }
    )
  })

  it("defaults to full; integer inputs give float32; float64 stays float64; JAX's documented examples", () => {
    const x = np.array([1, 2, 3])
    const y = np.array([0, 1, 0.5])
    expect(np.convolve(x, y).toString()).toBe("Array([0. , 1. , 2.5, 4. , 1.5], dtype=float32)")
    expect(np.convolve(x, y, { mode: "same" }).toString()).toBe("Array([1. , 2.5, 4. ], dtype=float32)")
    expect(np.convolve(x, y, { mode: "valid" }).toString()).toBe("Array([2.5], dtype=float32)")
    expect(np.convolve(np.arange(5), np.array([2, 3, 4])).dtype).toBe("float32")
    expect(np.convolve(make([1, 2], [2], "float64"), make([1, 1], [2], "float64")).dtype).toBe("float64")
    // The chapter's hand-written `convolve` is a correlation: convolve with flipped weights.
    expect([...np.convolve(np.arange(5), np.flip(np.array([2, 3, 4])), { mode: "valid" }).data()]).toEqual([11, 20, 29])
  })

  it("rejects non-1-D and empty inputs and unknown modes", () => {
    expect(() => np.convolve(np.ones([2, 2]), np.ones([2]))).toThrow(ShapeError)
    expect(() => np.convolve(np.ones([0]), np.ones([2]))).toThrow(ValueError)
    expect(() => np.convolve(np.ones([3]), np.ones([2]), { mode: "circular" as "full" })).toThrow(ValueError)
  })

  it("grad flows to both operands (the adjoint is a correlation); jit and vmap agree", () => {
    fc.assert(
      fc.property(vecArb, vecArb, modeArb, fc.integer(), (a0, v0, mode, seed) => {
        const a = make(
          a0.map((x) => x / 4),
          [a0.length],
          "float32"
        )
        const v = make(
          v0.map((x) => x / 2),
          [v0.length],
          "float32"
        )
        const outLen = reference(a0, v0, mode).length
        const cw = gen(spec([outLen], "float32", "int"), mulberry32(seed))
        const loss = (a: Array, v: Array) => np.sum(np.convolve(a, v, { mode }).mul(cw))
        const [ga, gv] = grad(loss, { argnums: [0, 1] })(a, v)
        // d/da_j sum_k c_k out_k: by linearity, the response to each basis vector.
        const basis = (n: number, j: number) => seq(n).map((i) => (i === j ? 1 : 0))
        const cwv = [...cw.data()]
        const expectGa = seq(a0.length).map((j) =>
          reference(
            basis(a0.length, j),
            v0.map((x) => x / 2),
            mode
          ).reduce((s, o, k) => s + o * cwv[k]!, 0)
        )
        const expectGv = seq(v0.length).map((j) =>
          reference(
            a0.map((x) => x / 4),
            basis(v0.length, j),
            mode
          ).reduce((s, o, k) => s + o * cwv[k]!, 0)
        )
        expect([...ga.data()]).toEqual(expectGa)
        expect([...gv.data()]).toEqual(expectGv)
        expectSame(jit((a: Array, v: Array) => np.convolve(a, v, { mode }))(a, v), np.convolve(a, v, { mode }), "jit convolve")
      }),
      { numRuns: 15, seed: 1302 }
    )
  })

  it("vmap of np.convolve over either or both operands equals the loop", () => {
    propVmap(
      fc.tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), modeArb).map(([n, m, mode]) => ({
        label: `convolve ${mode}`,
        args: [spec([n]), spec([m])],
        f: (a: Array, v: Array) => np.convolve(a, v, { mode })
      })),
      15,
      1303
    )
  })
})

describe("vmap of small matrix products is bit-exact against the per-example loop", () => {
  it("x[b] @ W for random float32 data (the batched product rounds like each example)", () => {
    const rows = (r: () => number, n: number, m: number) => globalThis.Array.from({ length: n }, () => globalThis.Array.from({ length: m }, () => r() * 4 - 2))
    for (let seed = 0; seed < 20; seed++) {
      const r = mulberry32(seed)
      // three examples of [2, 3] @ [3, 4]: 24 multiply-adds each, 72 batched
      const xs = np.asarray(
        globalThis.Array.from({ length: 3 }, () => rows(r, 2, 3)),
        { dtype: "float32" }
      )
      const w = np.asarray(rows(r, 3, 4), { dtype: "float32" })
      const batched = vmap((x: Array) => np.matmul(x, w))(xs)
      const loop = np.stack([0, 1, 2].map((i) => np.matmul(xs.index(i), w)))
      expect([...batched.data()]).toEqual([...loop.data()])
    }
  })
})
