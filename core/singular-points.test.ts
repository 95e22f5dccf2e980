/**
 * Values at singular points (kinks, ties, division by zero, infinities) against real JAX:
 * golden/singular_points.json, written by golden/singular_points.py. Each case name maps to the
 * same expression in jaxfx.
 */
import { describe, expect, it } from "vitest"
import { type GoldenArray, goldenValues, loadGolden } from "../golden/load.js"
import { type Array, grad, jvp, nn, np, vmap } from "../index.js"

interface Case {
  readonly name: string
  readonly value?: GoldenArray
  readonly values?: ReadonlyArray<GoldenArray>
}

const inf = Infinity
const f32 = (v: number | number[] | number[][]): Array => np.array(v, { dtype: "float32" })
const i32 = (v: number | number[]): Array => np.array(v, { dtype: "int32" })
const u32 = (v: number | number[]): Array => np.array(v, { dtype: "uint32" })
const rows = f32([
  [inf, 0],
  [inf, inf],
  [-inf, -inf],
  [-inf, 0],
  [inf, -inf]
])

const jaxfx: Readonly<Record<string, () => Array | ReadonlyArray<Array>>> = {
  "grad abs at [0, -0, 2, -2, nan]": () => vmap(grad((x: Array) => np.abs(x)))(f32([0, -0, 2, -2, NaN])),
  "jvp abs at 0": () => jvp((x: Array) => np.abs(x), [f32(0)], [f32(1)]),
  "grad sqrt at 0": () => grad((x: Array) => np.sqrt(x))(f32(0)),
  "grad relu at 0": () => grad((x: Array) => nn.relu(x))(f32(0)),
  "grad maximum at a tie": () => grad((x: Array, y: Array) => np.maximum(x, y), { argnums: [0, 1] })(f32(1), f32(1)),
  "grad minimum at a tie": () => grad((x: Array, y: Array) => np.minimum(x, y), { argnums: [0, 1] })(f32(1), f32(1)),
  "grad max with a tie": () => grad((x: Array) => np.max(x))(f32([1, 1, 0])),
  "grad sign at 0": () => grad((x: Array) => np.sign(x))(f32(0)),
  "grad softplus at [0, -0]": () => vmap(grad((x: Array) => nn.softplus(x)))(f32([0, -0])),
  "grad log_sigmoid at 0": () => grad((x: Array) => nn.logSigmoid(x))(f32(0)),
  "grad clip(x, 0, 1) at [0, 1]": () => vmap(grad((x: Array) => np.clip(x, 0, 1)))(f32([0, 1])),
  "floor_divide int32 by 0": () => np.floorDivide(i32([7, -7, 0]), i32(0)),
  "floor_divide uint32 by 0": () => np.floorDivide(u32([7, 0]), u32(0)),
  "floor_divide float32 by 0": () => np.floorDivide(f32([7, -7, 0]), f32(0)),
  "floor_divide float32 by -0": () => np.floorDivide(f32([7, -7, 0]), f32(-0)),
  "floor_divide float32 inf": () => np.floorDivide(f32([inf, -inf, 7]), f32([2, 2, inf])),
  "floor_divide int32 signs": () => np.floorDivide(i32([7, -7, 7, -7]), i32([2, 2, -2, -2])),
  "remainder int32 by 0": () => np.remainder(i32([7, -7, 0]), i32(0)),
  "remainder uint32 by 0": () => np.remainder(u32([7, 0]), u32(0)),
  "remainder float32 by 0": () => np.remainder(f32([7, -7, 0]), f32(0)),
  "remainder float32 by inf": () => np.remainder(f32([7, -7]), f32(inf)),
  "softmax rows with infinities": () => nn.softmax(rows),
  "log_softmax rows with infinities": () => nn.logSoftmax(rows),
  "logsumexp rows with infinities": () => nn.logsumexp(rows, { axis: 1 }),
  "grad logsumexp at [-inf, 0]": () => grad((x: Array) => nn.logsumexp(x))(f32([-inf, 0]))
}

const expectSame = (got: Array, want: GoldenArray): void => {
  expect(got.dtype).toBe(want.dtype)
  expect(got.shape).toEqual(want.shape)
  // toEqual treats NaN as equal to NaN, as the golden file does.
  expect([...got.data()]).toEqual(goldenValues(want))
}

describe("singular points match JAX (golden/singular_points.json)", () => {
  const golden = loadGolden<Case>("singular_points")
  it("covers every golden case", () => {
    expect(golden.cases.map((c) => c.name).sort()).toEqual(Object.keys(jaxfx).sort())
  })
  for (const c of golden.cases) {
    it(c.name, () => {
      const got = jaxfx[c.name]!()
      if (c.values !== undefined) {
        const gots = got as ReadonlyArray<Array>
        expect(gots.length).toBe(c.values.length)
        c.values.forEach((v, i) => expectSame(gots[i]!, v))
      } else {
        expectSame(got as Array, c.value!)
      }
    })
  }
})
