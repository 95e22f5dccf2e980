import { describe, expect, it } from "vitest"
import { type GoldenArray, goldenValues, loadGolden } from "../../../golden/load.js"
import { np } from "../../../index.js"

interface Case {
  readonly id: string
  readonly fn: string
  readonly args: ReadonlyArray<GoldenArray>
  readonly options: Readonly<Record<string, unknown>>
  readonly out: GoldenArray
}
const golden = loadGolden<Case>("fft")
const realArg = (a: GoldenArray) => np.array(goldenValues(a), { dtype: a.dtype as "float32" }).reshape(a.shape)

describe("np.fft frequencies and shifts against JAX", () => {
  for (const c of golden.cases.filter((c) => c.fn.endsWith("freq"))) {
    it(c.id, () => {
      const { n, d } = c.options as { n: number; d: number }
      const f = c.fn === "fftfreq" ? np.fft.fftfreq : np.fft.rfftfreq
      const y = f(n, d)
      expect(y.dtype).toBe(c.out.dtype)
      expect(y.shape).toEqual(c.out.shape)
      expect(Array.from(y.data())).toEqual(goldenValues(c.out))
    })
  }
  for (const c of golden.cases.filter((c) => c.fn.endsWith("fftshift"))) {
    it(c.id, () => {
      const f = c.fn === "fftshift" ? np.fft.fftshift : np.fft.ifftshift
      const y = f(realArg(c.args[0]!), c.options)
      expect(y.shape).toEqual(c.out.shape)
      expect(Array.from(y.data())).toEqual(goldenValues(c.out))
    })
  }
})
