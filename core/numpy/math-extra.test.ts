/**
 * np's extra elementwise math and bitwise functions against real JAX (golden/gen_numpy_math.py):
 * all pairs of edge values (NaN, ±inf, ±0, subnormals, huge and tiny magnitudes) in float32,
 * integer functions on int32/uint32 extremes, eagerly and under jit. Then grad against finite
 * differences and vmap on the differentiable ones, and the refusals.
 */
import { describe, expect, it } from "vitest"
import { type GoldenArray, loadGolden } from "../../golden/load.js"
import { type Array, DTypeError, grad, jit, np, vmap } from "../../index.js"
import * as laws from "../../laws/index.js"
import { arb } from "../../laws/index.js"
import { expectGoldenOut, fromGolden } from "./golden-helpers.js"

interface Case {
  readonly id: string
  readonly args: ReadonlyArray<GoldenArray>
  readonly out: GoldenArray | ReadonlyArray<GoldenArray>
}
type Out = Array | ReadonlyArray<Array>
const golden = loadGolden<Case>("numpy_math")

const fns: Readonly<Record<string, (...a: Array[]) => Out>> = {
  logaddexp: (a, b) => np.logaddexp(a, b!),
  logaddexp2: (a, b) => np.logaddexp2(a, b!),
  fmod: (a, b) => np.fmod(a, b!),
  fmin: (a, b) => np.fmin(a, b!),
  fmax: (a, b) => np.fmax(a, b!),
  copysign: (a, b) => np.copysign(a, b!),
  hypot: (a, b) => np.hypot(a, b!),
  heaviside: (a, b) => np.heaviside(a, b!),
  nextafter: (a, b) => np.nextafter(a, b!),
  float_power: (a, b) => np.floatPower(a, b!),
  arctan2: (a, b) => np.atan2(a, b!),
  divmod: (a, b) => np.divmod(a, b!),
  trunc: (a) => np.trunc(a),
  signbit: (a) => np.signbit(a),
  cbrt: (a) => np.cbrt(a),
  sinc: (a) => np.sinc(a),
  rint: (a) => np.rint(a),
  isposinf: (a) => np.isposinf(a),
  isneginf: (a) => np.isneginf(a),
  nan_to_num: (a) => np.nanToNum(a),
  deg2rad: (a) => np.deg2rad(a),
  rad2deg: (a) => np.rad2deg(a),
  fabs: (a) => np.fabs(a),
  positive: (a) => np.positive(a),
  arcsinh: (a) => np.asinh(a),
  modf: (a) => np.modf(a),
  frexp: (a) => np.frexp(a),
  "around:2": (a) => np.around(a, 2),
  arctanh: (a) => np.atanh(a),
  arccosh: (a) => np.acosh(a),
  "arcsinh:wide": (a) => np.arcsinh(a),
  "nan_to_num:args": (a) => np.nanToNum(a, { nan: -1, posinf: 9, neginf: -9 }),
  "cbrt:wide": (a) => np.cbrt(a),
  ldexp: (a, b) => np.ldexp(a, b!),
  "nextafter:f32-edges": (a, b) => np.nextafter(a, b!),
  "trunc:int": (a) => np.trunc(a),
  "signbit:int": (a) => np.signbit(a),
  "fmod:int": (a, b) => np.fmod(a, b!),
  "divmod:int": (a, b) => np.divmod(a, b!),
  gcd: (a, b) => np.gcd(a, b!),
  lcm: (a, b) => np.lcm(a, b!),
  "gcd:uint": (a, b) => np.gcd(a, b!),
  bitwise_not: (a) => np.bitwiseNot(a),
  "bitwise_not:uint": (a) => np.bitwiseInvert(a),
  "invert:bool": (a) => np.invert(a),
  left_shift: (a, b) => np.leftShift(a, b!),
  right_shift: (a, b) => np.rightShift(a, b!),
  "right_shift:uint": (a, b) => np.bitwiseRightShift(a, b!),
  "logaddexp:f64": (a, b) => np.logaddexp(a, b!),
  ...Object.fromEntries(
    (["bitwise_and", "bitwise_or", "bitwise_xor"] as const).flatMap((n) => {
      const f = { bitwise_and: np.bitwiseAnd, bitwise_or: np.bitwiseOr, bitwise_xor: np.bitwiseXor }[n]
      return ["", ":uint", ":bool"].map((s) => [n + s, (a: Array, b: Array) => f(a, b)])
    })
  )
}

// Transcendental compositions may differ from XLA's kernels in the last bits.
const tolerance = (id: string): number =>
  /^(logaddexp|logaddexp2|hypot|cbrt|sinc|arcsinh|arccosh|arctanh|float_power|arctan2|deg2rad|rad2deg)/.test(id) ? 4e-6 : 0

describe("np extra math equals JAX's (golden/gen_numpy_math.py)", () => {
  it("every golden case has a function, and every function a case", () => {
    expect(golden.cases.map((c) => c.id).sort()).toEqual(Object.keys(fns).sort())
  })
  for (const c of golden.cases) {
    it(c.id, () => {
      const f = fns[c.id]!
      const args = c.args.map(fromGolden)
      expectGoldenOut(f(...args), c.out, c.id, tolerance(c.id))
      expectGoldenOut(jit(f)(...args) as Out, c.out, `jit ${c.id}`, tolerance(c.id))
    })
  }
})

const f64 = (min: number, max: number, shape: ReadonlyArray<number> = [3]) => arb.array({ shape, dtype: "float64", min, max, step: 1 / 16 })
describe("derivatives and batching", () => {
  const unary: ReadonlyArray<readonly [string, (x: Array) => Out, number, number]> = [
    ["cbrt", (x) => np.cbrt(x), 0.2, 3],
    ["sinc", (x) => np.sinc(x), -2, 2],
    ["arcsinh", (x) => np.arcsinh(x), -3, 3],
    ["arccosh", (x) => np.arccosh(x), 1.2, 4],
    ["arctanh", (x) => np.arctanh(x), -0.8, 0.8],
    ["deg2rad", (x) => np.deg2rad(x), -3, 3],
    ["nanToNum", (x) => np.nanToNum(x), -3, 3],
    ["modf", (x) => np.modf(x), 0.1, 0.9],
    ["frexp (mantissa)", (x) => np.frexp(x)[0], 0.6, 0.9],
    ["trunc", (x) => np.trunc(x), 0.1, 0.9]
  ]
  for (const [name, f, lo, hi] of unary) {
    it(name, () => {
      laws.check(laws.gradMatchesFiniteDifferences(laws.scalarize(f), [f64(lo, hi)]), { seed: 3, numRuns: 4 })
      laws.check(laws.vmapMatchesStack(f, [f64(lo, hi)]), { seed: 4, numRuns: 4 })
    })
  }
  const binary: ReadonlyArray<readonly [string, (x: Array, y: Array) => Array]> = [
    ["logaddexp", (x, y) => np.logaddexp(x, y)],
    ["logaddexp2", (x, y) => np.logaddexp2(x, y)],
    ["hypot", (x, y) => np.hypot(x, y)],
    ["copysign", (x, y) => np.copysign(x, y)],
    ["fmax", (x, y) => np.fmax(x, y)],
    ["fmin", (x, y) => np.fmin(x, y)],
    ["fmod", (x, y) => np.fmod(x, np.add(np.abs(y), 4))],
    ["floatPower", (x, y) => np.floatPower(np.add(np.abs(x), 0.5), y)],
    ["ldexp", (x) => np.ldexp(x, np.array([1, -2, 3]))],
    ["heaviside", (x, y) => np.heaviside(x, y)]
  ]
  for (const [name, f] of binary) {
    it(name, () => {
      laws.check(laws.gradMatchesFiniteDifferences(laws.scalarize(f), [f64(-3, 3), f64(-3, 3)]), { seed: 5, numRuns: 4 })
      laws.check(laws.vmapMatchesStack(f, [f64(-3, 3), f64(-3, 3)]), { seed: 6, numRuns: 4 })
    })
  }
  it("logaddexp's derivative at equal arguments is 1/2 each, and finite at -inf", () => {
    expect(grad((x: Array) => np.logaddexp(x, 2))(np.array(2, { dtype: "float64" })).item()).toBeCloseTo(0.5, 12)
    expect(grad((x: Array) => np.sinc(x))(np.array(0, { dtype: "float64" })).item()).toBe(0)
  })
  it("gcd and lcm batch (a while loop under vmap)", () => {
    const a = np.array([
      [12, 18],
      [7, 0]
    ])
    const b = np.array([
      [8, 12],
      [21, 5]
    ])
    expect(vmap((x: Array, y: Array) => np.gcd(x, y))(a, b).toJs()).toEqual([
      [4, 6],
      [7, 5]
    ])
    expect(jit((x: Array, y: Array) => np.lcm(x, y))(a, b).toJs()).toEqual([
      [24, 36],
      [21, 0]
    ])
  })
  it("refuses floats where integers are needed, and bools where JAX does", () => {
    expect(() => np.gcd(1.5, 2)).toThrow(DTypeError)
    expect(() => np.bitwiseAnd(1.5, 2)).toThrow(DTypeError)
    expect(() => np.ldexp(1, 1.5)).toThrow(DTypeError)
    expect(() => np.fmod(true, false)).toThrow(DTypeError)
    expect(np.leftShift(true, 1).item()).toBe(2)
  })
})
