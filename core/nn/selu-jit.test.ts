import { describe, expect, it } from "vitest"
import { grad, nn, np } from "../../index.js"

const SCALE = 1.0507009873554805
const ALPHA = 1.6732632423543772

describe("nn.selu runs as one jit-compiled program (as jax.nn.selu)", () => {
  const special = [0, -0, 1e-45, -1e-45, 1e-38, -1e-38, 1, -1, 88, -88, 100, -100, 3.4e38, -3.4e38, Infinity, -Infinity, NaN]
  const rand = Array.from({ length: 2000 }, (_, i) => Math.sin(i * 12.9898) * 20)
  for (const dtype of ["float32", "float64"] as const) {
    it(`gives the op-by-op composition's bits (${dtype}): zeros, denormals, infinities, NaN, large and random inputs`, () => {
      const x = np.asarray([...special, ...rand], { dtype })
      const got = nn.selu(x).data()
      const want = nn.elu(x, ALPHA).mul(np.array(SCALE, { dtype })).data()
      for (let i = 0; i < want.length; i++) if (!Object.is(got[i], want[i])) expect.fail(`x = ${x.data()[i]}: ${got[i]} !== ${want[i]}`)
    })
  }
  it("its gradient matches a float64 finite difference", () => {
    const g = grad((x: ReturnType<typeof np.array>) => nn.selu(x).sum())
    for (const v of [-2, -0.5, 0.5, 3]) {
      const h = 1e-6
      const f = (t: number): number => (t > 0 ? SCALE * t : SCALE * ALPHA * Math.expm1(t))
      expect(g(np.array(v, { dtype: "float64" })).item()).toBeCloseTo((f(v + h) - f(v - h)) / (2 * h), 6)
    }
  })
})
