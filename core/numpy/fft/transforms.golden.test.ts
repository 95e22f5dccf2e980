import { describe, expect, it } from "vitest"
import { type GoldenArray, goldenValues, loadGolden } from "../../../golden/load.js"
import { type Array, grad, lax, np } from "../../../index.js"

interface Case {
  readonly id: string
  readonly fn: string
  readonly args: ReadonlyArray<GoldenArray>
  readonly options: Readonly<Record<string, unknown>>
  readonly out: GoldenArray
}
const golden = loadGolden<Case>("fft")

const isPairs = (a: GoldenArray): boolean => a.dtype.startsWith("complex")
const arg = (a: GoldenArray): Array => {
  if (!isPairs(a)) return np.array(goldenValues(a), { dtype: a.dtype as "float32" }).reshape(a.shape)
  const pairs = a.data as ReadonlyArray<readonly [number, number]>
  const re = np
    .array(
      pairs.map((p) => p[0]),
      { dtype: "float32" }
    )
    .reshape(a.shape)
  const im = np
    .array(
      pairs.map((p) => p[1]),
      { dtype: "float32" }
    )
    .reshape(a.shape)
  return lax.complex(re, im)
}
/** The golden values as one flat list (complex: interleaved re, im, as a complex Array's data()). */
const flat = (a: GoldenArray): number[] => (isPairs(a) ? (a.data as ReadonlyArray<readonly [number, number]>).flatMap((p) => [p[0], p[1]]) : goldenValues(a))

/** Normwise float32 agreement: every entry within 2e-6 of the largest magnitude (plus a tiny floor). */
const expectClose = (got: Array, want: GoldenArray): void => {
  expect(got.dtype).toBe(want.dtype)
  expect(got.shape).toEqual(want.shape)
  const g = globalThis.Array.from(got.data() as Float32Array)
  const w = flat(want)
  const scale = Math.max(1, ...w.map(Math.abs))
  const err = Math.max(0, ...w.map((v, i) => Math.abs(g[i]! - v)))
  expect(err / scale).toBeLessThan(2e-6)
}

type Fn = (a: Array, o?: never) => Array
const fns = np.fft as unknown as Readonly<Record<string, Fn>>

describe("np.fft transforms against JAX", () => {
  for (const c of golden.cases.filter((c) => !c.fn.endsWith("freq") && !c.fn.endsWith("fftshift") && !c.fn.startsWith("grad:"))) {
    it(c.id, () => expectClose(fns[c.fn]!(arg(c.args[0]!), c.options as never), c.out))
  }
})

describe("gradients through np.fft against JAX (lax.fft's jvp and transpose rules)", () => {
  for (const c of golden.cases.filter((c) => c.fn.startsWith("grad:"))) {
    it(c.id, () => {
      const f = fns[c.fn.slice(5)]!
      const [x, wr, wi] = c.args.map(arg)
      const loss = (a: Array): Array => {
        const y = f(a, c.options as never)
        return y.dtype.startsWith("complex") ? np.sum(lax.real(y).mul(wr!).add(lax.imag(y).mul(wi!))) : np.sum(y.mul(wr!))
      }
      expectClose(grad(loss)(x!), c.out)
    })
  }
})
