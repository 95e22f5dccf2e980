/**
 * The Wasm SIMD eager elementwise kernels (elementwise.ts, taken by eager.ts) against the JS
 * kernels they replace: bit for bit (NaN payloads included) on float32 data with NaN, infinities,
 * signed zeros, subnormals and values far apart in magnitude; rank-0 operands on either side;
 * lengths around the 16-lane groups and the staging chunks; and jit (fused JS kernels) agrees with
 * eager. Small operations, other dtypes and broadcasting shapes stay on the JS kernels.
 */
import fc from "fast-check"
import { afterEach, describe, expect, it } from "vitest"
import { type Array, clearCaches, jit, np } from "../../../index.js"
import { wasmApi } from "./api.js"
import { wasmElementwisePolicy, wasmElementwiseStats } from "./eager.js"
import { CHUNK, elementwiseModuleBytes, wasmElementwise } from "./elementwise.js"

afterEach(() => {
  wasmElementwisePolicy.enabled = true
  clearCaches()
})

const SPECIAL = [NaN, Infinity, -Infinity, 0, -0, 1e-45, -1e-40, 3.4e38, -3.4e38, 1, -1]

/** float32 data from a seed: specials sprinkled among values of magnitudes 1e-6 .. 1e6. */
const data = (n: number, seed: number): Float32Array => {
  const out = new Float32Array(n)
  let s = seed >>> 0
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    const u = s / 2 ** 32
    out[i] = s % 13 === 0 ? SPECIAL[s % SPECIAL.length]! : (u - 0.5) * 10 ** ((s % 13) - 6)
  }
  return out
}

/** The bytes of an array's data (bit-for-bit comparison, NaN payloads included). */
const bytes = (a: Array): Uint8Array => {
  const d = a.data() as Float32Array | Uint8Array
  return new Uint8Array(d.buffer, d.byteOffset, d.byteLength).slice()
}

/** `f`'s result with the Wasm kernels and with the JS kernels, and how many calls the kernels took. */
const both = (f: () => Array): { wasm: Uint8Array; js: Uint8Array; taken: number } => {
  clearCaches()
  const before = wasmElementwiseStats.calls
  const wasm = bytes(f())
  const taken = callsSince(before, 1)
  wasmElementwisePolicy.enabled = false
  clearCaches()
  const js = bytes(f())
  wasmElementwisePolicy.enabled = true
  return { wasm, js, taken }
}

type Op = (x: Array, y: Array, p: Array) => Array
const OPS: ReadonlyArray<[string, Op]> = [
  ["add", (x, y) => x.add(y)],
  ["sub", (x, y) => x.sub(y)],
  ["mul", (x, y) => x.mul(y)],
  ["div", (x, y) => x.div(y)],
  ["eq", (x, y) => x.eq(y)],
  ["ne", (x, y) => x.ne(y)],
  ["lt", (x, y) => x.lt(y)],
  ["gt", (x, y) => x.gt(y)],
  ["le", (x, y) => x.le(y)],
  ["ge", (x, y) => x.ge(y)],
  ["where", (x, y, p) => np.where(p, x, y)]
]

const kernels = wasmElementwise()

/**
 * Whether eager operations run on this thread (not with a worker device as the default, where the
 * kernels run in the worker and this thread's counter stays still): the counts are checked then,
 * the results always.
 */
const local = ((): boolean => {
  const before = wasmElementwiseStats.calls
  np.ones([5000]).add(1).blockUntilReady()
  return wasmElementwiseStats.calls > before
})()
/** The kernels' calls since `before`, or `expected` where they run in a worker. */
const callsSince = (before: number, expected: number): number => (local ? wasmElementwiseStats.calls - before : expected)

describe.skipIf(kernels === null)("wasm eager elementwise kernels", () => {
  it("the module validates", () => {
    expect(wasmApi()!.validate(elementwiseModuleBytes())).toBe(true)
  })

  it("every op equals the JS kernel (fused, under jit) bit for bit, at lengths around groups and chunks, with rank-0 operands on either side", () => {
    const lengths = [4111, CHUNK, 2 * CHUNK + 17]
    const jitted = OPS.map(([, op]) => jit(op))
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: OPS.length - 1 }),
        fc.constantFrom(...lengths),
        fc.integer({ min: 0, max: 2 ** 30 }),
        fc.constantFrom("vv", "vs", "sv"),
        (k, n, seed, form) => {
          const x = np.asarray(form === "sv" ? data(1, seed) : data(n, seed)).reshape(form === "sv" ? [] : [n])
          const y = np.asarray(form === "vs" ? data(1, seed + 1) : data(n, seed + 1)).reshape(form === "vs" ? [] : [n])
          const p = np.asarray(data(n, seed + 2)).gt(0)
          const before = wasmElementwiseStats.calls
          const eager = bytes(OPS[k]![1](x, y, p))
          expect(callsSince(before, 1)).toBe(1)
          expect(eager).toEqual(bytes(jitted[k]!(x, y, p)))
        }
      ),
      { seed: 1717, numRuns: 24 }
    )
  })

  it("every op equals the eager JS kernel bit for bit", () => {
    const n = CHUNK + 33
    const x = np.asarray(data(n, 5))
    const y = np.asarray(data(n, 6))
    const p = np.asarray(data(n, 7)).gt(0)
    for (const [, op] of OPS) {
      const r = both(() => op(x, y, p))
      expect(r.taken).toBe(1)
      expect(r.wasm).toEqual(r.js)
    }
  })

  it("a select with a rank-0 predicate or rank-0 cases, and a 2-d shape, take the kernels and agree", () => {
    const x = np.asarray(data(64 * 100, 3)).reshape([64, 100])
    const y = np.asarray(data(64 * 100, 4)).reshape([64, 100])
    const p = x.gt(y)
    for (const f of [() => np.where(p, x, 2.5), () => np.where(p, -1, y), () => np.where(np.asarray(true), x, y), () => x.mul(y).sub(1.5)]) {
      const r = both(f)
      expect(r.taken).toBeGreaterThan(0)
      expect(r.wasm).toEqual(r.js)
    }
  })

  it("eager (Wasm) equals jit (fused JS kernels) for selu", () => {
    const selu = (x: Array): Array => np.where(x.gt(0), x, np.exp(x).mul(1.67).sub(1.67)).mul(1.05)
    const x = np.asarray(data(3 * CHUNK + 5, 9))
    const before = wasmElementwiseStats.calls
    const eager = bytes(selu(x))
    expect(callsSince(before, 6)).toBe(6)
    expect(bytes(jit(selu)(x))).toEqual(eager)
  })

  it("small operations, other dtypes and broadcast shapes stay on the JS kernels", () => {
    const before = wasmElementwiseStats.calls
    np.asarray(data(100, 1)).mul(2).blockUntilReady()
    np.arange(10000, { dtype: "int32" }).add(1).blockUntilReady()
    np.arange(10000, { dtype: "float64" }).add(1).blockUntilReady()
    np.ones([100, 100])
      .add(np.ones([100, 1]))
      .blockUntilReady()
    expect(callsSince(before, 0)).toBe(0)
  })
})
