/**
 * The Wasm SIMD float32 exp, expm1, logistic and tanh (exp.ts, run by elementwise.ts) against the
 * float64 JS formulas: equal bit for bit to e.g. Math.fround(Math.exp(x)) (what the JS kernels
 * store, eager and fused) on a sweep of the
 * whole finite range around the overflow and underflow thresholds, on random float32 bit patterns
 * (NaNs, infinities, subnormals included) and on the edge values; within 1 ulp of the correctly
 * rounded float32; and each eager function (Wasm) equals it fused under jit.
 */
import { afterEach, describe, expect, it } from "vitest"
import { type Array, clearCaches, jit, lax, np } from "../../../index.js"
import { wasmElementwisePolicy, wasmElementwiseStats } from "./eager.js"
import { CHUNK, wasmElementwise } from "./elementwise.js"
import { EXP_VARIANTS, HIGH, JS_FORMULA, LOW } from "./exp.js"

afterEach(() => {
  wasmElementwisePolicy.enabled = true
  clearCaches()
})

const kernels = wasmElementwise()

const EDGES = [
  NaN,
  Infinity,
  -Infinity,
  0,
  -0,
  1e-45,
  -1e-45,
  1.1754942e-38,
  -1.1754942e-38,
  1e-30,
  -1e-8,
  1,
  -1,
  88.72283,
  88.7228394,
  88.72284,
  89,
  LOW,
  HIGH,
  -87.33654,
  -103.27893,
  -103.972084,
  -103.97208,
  -104.5,
  3.4028235e38,
  -3.4028235e38
]

/** float32 inputs: edges, a sweep of [-110, 95] with a step of about 1e-4, and random bit patterns. */
const inputs = (): Float32Array => {
  const sweep = 205 * 100_000
  const random = 1 << 16
  const out = new Float32Array(EDGES.length + sweep / 100 + random)
  let j = 0
  for (const e of EDGES) out[j++] = e
  for (let i = 0; i < sweep; i += 100) out[j++] = -110 + (i + (i % 7)) * 1e-5
  const bits = new Uint32Array(out.buffer)
  let s = 77
  for (let i = 0; i < random; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    bits[j++] = s
  }
  return out
}

/** Distance in float32 ulps (same sign, finite): the difference of the ordered bit patterns. */
const ulps = (a: number, b: number): number => {
  const f = new Float32Array([a, b])
  const u = new Int32Array(f.buffer)
  return Math.abs(u[0]! - u[1]!)
}

describe.skipIf(kernels === null)("wasm float32 exp", () => {
  it.each(EXP_VARIANTS)("%s equals the JS formula rounded to float32 bit for bit, within 1 ulp of the correctly rounded float32", (v) => {
    const x = inputs()
    const out = new Float32Array(x.length)
    const before = kernels!.fallbacks
    kernels!.run(v, [{ data: x, scalar: false }], out, x.length)
    // left to JS: the random bit patterns outside the range (about 90% of them), a few near rounding boundaries
    const inRange = x.filter((t) => Math.abs(t) < 40).length
    expect(kernels!.fallbacks - before).toBeLessThan(x.length - inRange + inRange / 1000)
    const got = new Uint32Array(out.buffer)
    const f = JS_FORMULA[v]
    const want = new Float32Array(1)
    const wantBits = new Uint32Array(want.buffer)
    let mismatches = 0
    let worst = 0
    for (let i = 0; i < x.length; i++) {
      want[0] = f(x[i]!)
      if (Number.isNaN(want[0])) {
        if (!Number.isNaN(out[i]!)) mismatches++
        continue
      }
      if (got[i] !== wantBits[0]) mismatches++
      // the float64 function rounded once to float32 is the correctly rounded value but for double rounding
      if (Number.isFinite(want[0]) && Math.sign(want[0]) === Math.sign(out[i]!)) worst = Math.max(worst, ulps(out[i]!, want[0]))
    }
    expect(mismatches).toBe(0)
    expect(worst).toBeLessThanOrEqual(1)
  })

  it("edge values", () => {
    const x = new Float32Array(EDGES)
    const out = new Float32Array(x.length)
    kernels!.run("exp", [{ data: x, scalar: false }], out, x.length)
    expect(Number.isNaN(out[0]!)).toBe(true)
    expect([out[1], out[2], out[3], out[4]]).toEqual([Infinity, 0, 1, 1])
    expect(out[EDGES.indexOf(88.72284)]).toBe(Infinity)
    for (const e of [-87.33654, -103.27893, -103.972084, -103.97208, -104.5, 88.72283, 88.7228394])
      expect(out[EDGES.indexOf(e)]).toBe(Math.fround(Math.exp(Math.fround(e))))
    expect(out[EDGES.indexOf(-103.27893)]).toBeGreaterThan(0) // a subnormal result
  })

  const EAGER: ReadonlyArray<[string, (x: Array) => Array]> = [
    ["exp", np.exp],
    ["expm1", np.expm1],
    ["logistic", lax.logistic],
    ["tanh", np.tanh]
  ]
  it.each(EAGER)("eager %s of a float32 array takes the kernel and equals the function fused under jit, and the JS kernel", (_name, f) => {
    const n = CHUNK + 7
    const x = np.asarray(inputs().subarray(0, n))
    const before = wasmElementwiseStats.calls
    const eager = f(x).data() as Float32Array
    expect(wasmElementwiseStats.calls - before).toBeLessThanOrEqual(1)
    const fused = jit((a: Array) => f(a.mul(1)))(x).data() as Float32Array
    expect(new Uint32Array(eager.buffer)).toEqual(new Uint32Array(fused.buffer))
    wasmElementwisePolicy.enabled = false
    clearCaches()
    const js = f(x).data() as Float32Array
    expect(new Uint32Array(eager.buffer)).toEqual(new Uint32Array(js.buffer))
  })
})
