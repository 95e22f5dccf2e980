/**
 * nn.initializers against real JAX (golden/nn_initializers.py): the same key, shape and arguments
 * give JAX's array. Initializers built on uniform bits over [0, 1) or [-1, 1) (zeros, ones,
 * constant, uniform, every "uniform" variance scaling) match bit for bit. Those built on normals
 * inherit two known differences of jaxfx's samplers from XLA's (core/random, not this module):
 * XLA computes uniform's `bits * (max - min) + min` with a fused multiply-add, and its float32
 * erf_inv uses FMAs and XLA's own log1p; so a normal draw can be off by an ulp, and a truncated one
 * by a few ulps more where erf_inv is steep. They are compared to JAX within 2e-6 relative (plus
 * 1e-7 times the scale near 0, where the error is absolute), and,
 * exactly, to jaxfx's own draw times JAX's scale factor (recorded in the golden file), which pins
 * what this module computes: the fans, the variance and the factor, rounded as JAX rounds them.
 * Orthogonal matrices come from a Householder QR that rounds differently from LAPACK's: 2e-6.
 */
import { describe, expect, it } from "vitest"
import { type Array, jit, nn, np, random } from "../../../index.js"
import { type GoldenArray, goldenValues, loadGolden } from "../../../golden/load.js"
import { tagOf } from "../../test-helpers.js"

interface Case {
  readonly init: string
  readonly args: ReadonlyArray<number | string>
  readonly options: Readonly<Record<string, unknown>>
  readonly seed: number
  readonly shape: ReadonlyArray<number>
  readonly dtype: "float32" | "float64" | null
  readonly out: GoldenArray
  readonly sampler?: "uniform01" | "uniform11" | "normal" | "truncated_normal"
  readonly scale?: GoldenArray
}

const golden = loadGolden<Case>("nn_initializers")
const I = nn.initializers

const initializerOf = (c: Case): nn.initializers.Initializer => {
  const o = c.options
  switch (c.init) {
    case "zeros":
      return I.zeros
    case "ones":
      return I.ones
    case "constant":
      return I.constant(c.args[0] as number, o)
    case "uniform":
      return I.uniform(c.args[0] as number | undefined, o)
    case "normal":
      return I.normal(c.args[0] as number | undefined, o)
    case "truncatedNormal":
      return I.truncatedNormal(c.args[0] as number | undefined, o)
    case "varianceScaling":
      return I.varianceScaling(c.args[0] as number, c.args[1] as nn.initializers.FanMode, c.args[2] as nn.initializers.VarianceDistribution, o)
    case "orthogonal":
      return I.orthogonal(c.args[0] as number | undefined, o)
    case "deltaOrthogonal":
      return I.deltaOrthogonal(c.args[0] as number | undefined, o)
    default: {
      const named = (I as unknown as Record<string, (o?: object) => nn.initializers.Initializer>)[c.init]
      if (named === undefined) throw new Error(`no initializer ${c.init}`)
      return named(o)
    }
  }
}

/** jaxfx's draw that the initializer scales, times JAX's factor. */
const drawTimesJaxScale = (c: Case): Array => {
  const key = random.key(c.seed)
  const dtype = c.dtype ?? "float32"
  const scale = goldenValues(c.scale!)[0]!
  const draw =
    c.sampler === "uniform01"
      ? random.uniform(key, c.shape, { dtype })
      : c.sampler === "uniform11"
        ? random.uniform(key, c.shape, { dtype, minval: -1 })
        : c.sampler === "normal"
          ? random.normal(key, c.shape, dtype)
          : random.truncatedNormal(key, (c.options.lower as number | undefined) ?? -2, (c.options.upper as number | undefined) ?? 2, c.shape, dtype)
  return draw.mul(np.asarray(scale, { dtype }))
}

const kind = (c: Case): "exact" | "normal" | "orthogonal" => {
  if (c.init.endsWith("rthogonal")) return "orthogonal"
  const uniform = ["zeros", "ones", "constant", "uniform"].includes(c.init) || c.init.endsWith("Uniform") || c.args[2] === "uniform"
  return uniform ? "exact" : "normal"
}

describe("initializers give JAX's arrays for the same key (golden/nn_initializers.py)", () => {
  golden.cases.forEach((c, i) => {
    it(`${i}: ${c.init}(${c.args.join(", ")}) ${JSON.stringify(c.options)} shape [${c.shape.join(", ")}]${c.dtype === null ? "" : ` ${c.dtype}`}`, () => {
      const init = initializerOf(c)
      const out: Array = c.dtype === null ? init(random.key(c.seed), c.shape) : init(random.key(c.seed), c.shape, c.dtype)
      expect(out.dtype).toBe(c.out.dtype)
      expect(out.shape).toEqual(c.out.shape)
      const got = [...out.data()].map(Number)
      const want = goldenValues(c.out)
      const k = kind(c)
      if (k === "exact") {
        expect(got).toEqual(want)
      } else if (k === "normal") {
        // near 0 the draw's error is absolute: one ulp of the uniform variate, times the scale
        const atol = 1e-7 * goldenValues(c.scale!)[0]!
        got.forEach((g, j) => expect(Math.abs(g - want[j]!), `element ${j}: ${g} vs JAX ${want[j]}`).toBeLessThanOrEqual(atol + 2e-6 * Math.abs(want[j]!)))
      } else {
        got.forEach((g, j) => expect(Math.abs(g - want[j]!), `element ${j}: ${g} vs JAX ${want[j]}`).toBeLessThanOrEqual(2e-6))
      }
      if (c.sampler !== undefined) expect(got).toEqual([...drawTimesJaxScale(c).data()])
    })
  })
})

describe("JAX's defaults", () => {
  it("normal, truncatedNormal and uniform default to a scale of 0.01", () => {
    const k = random.key(0)
    expect([...I.normal()(k, [5]).data()]).toEqual([...random.normal(k, [5]).mul(0.01).data()])
    expect([...I.uniform()(k, [5]).data()]).toEqual([...random.uniform(k, [5]).mul(0.01).data()])
    expect([...I.truncatedNormal()(k, [5]).data()]).toEqual([...random.truncatedNormal(k, -2, 2, [5]).mul(0.01).data()])
  })

  it("an initializer's dtype option is the default dtype; the call's dtype wins", () => {
    expect(I.normal(1, { dtype: "float64" })(random.key(0), [2]).dtype).toBe("float64")
    expect(I.normal(1, { dtype: "float64" })(random.key(0), [2], "float32").dtype).toBe("float32")
    expect(I.zeros(random.key(0), [2], "int32").dtype).toBe("int32")
    expect(I.constant(3, { dtype: "int32" })(random.key(0), 2).dtype).toBe("int32")
  })
})

describe("orthogonal", () => {
  it("rows or columns are orthonormal, also for larger matrices and under jit", () => {
    for (const shape of [
      [32, 32],
      [20, 48],
      [48, 20]
    ] as const) {
      const w = I.orthogonal()(random.key(1), shape)
      const small = Math.min(...shape)
      const gram = shape[0] >= shape[1] ? np.matmul(w.T, w) : np.matmul(w, w.T)
      const err = np.max(np.abs(gram.sub(np.eye(small)))).item()
      expect(err).toBeLessThan(5e-6)
    }
    const f = jit((k: random.PRNGKeyArray) => I.orthogonal(2)(k, [6, 4]))
    const eager = I.orthogonal(2)(random.key(3), [6, 4])
    const jitted = f(random.key(3))
    ;[...jitted.data()].forEach((v, i) => expect(v).toBeCloseTo(eager.data()[i]!, 6))
  })
})

describe("errors", () => {
  it("bad shapes, dtypes, modes and options are typed errors", () => {
    const k = random.key(0)
    expect(tagOf(() => I.heNormal()(k, [5]), "1-D with the default inAxis")).toBe("ValueError")
    expect(tagOf(() => I.glorotUniform()(k, [0, 3]), "empty fan")).toBe("ValueError")
    expect(tagOf(() => I.glorotUniform({ inAxis: 3 })(k, [2, 3]), "axis out of range")).toBe("ShapeError")
    expect(tagOf(() => I.normal()(k, [2], "int32"), "int dtype")).toBe("DTypeError")
    expect(tagOf(() => I.varianceScaling(1, "fan_mean" as never, "normal"), "mode")).toBe("ValueError")
    expect(tagOf(() => I.varianceScaling(1, "fan_in", "gaussian" as never), "distribution")).toBe("ValueError")
    expect(tagOf(() => I.varianceScaling(-1, "fan_in", "normal"), "negative scale")).toBe("ValueError")
    expect(tagOf(() => I.heNormal({ in_axis: 0 } as never), "snake_case option")).toBe("ValueError")
    expect(tagOf(() => I.orthogonal()(k, [4]), "1-D orthogonal")).toBe("ValueError")
    expect(tagOf(() => I.deltaOrthogonal()(k, [3, 3]), "2-D delta")).toBe("ValueError")
    expect(tagOf(() => I.deltaOrthogonal()(k, [3, 4, 2]), "fan_in > fan_out")).toBe("ValueError")
    expect(tagOf(() => I.uniform()(k, [-1]), "negative size")).toBe("ShapeError")
  })
})
