import { describe, expect, it } from "vitest"
import { type Array, DTypeError, jit, lax, LinearityError, linearTranspose, np, ShapeDtypeStruct, ShapeError, vjp } from "../../index.js"

const f32 = (v: Parameters<typeof np.asarray>[0]) => np.asarray(v, { dtype: "float32" })
const vals = (a: Array) => [...a.data()]

// References: JAX 0.10.2, jax.linear_transpose(f, *primals)(ct), printed values in the comments.
describe("linearTranspose", () => {
  it("transposes sums, scalings and reductions: 2x + sum(x) at ct [1, 2, 3] is [8, 10, 12]", () => {
    const fT = linearTranspose((x: Array) => x.mul(2).add(np.sum(x)), np.ones([3]))
    const [g] = fT(f32([1, 2, 3]))
    expect(vals(g)).toEqual([8, 10, 12])
  })
  it("pytrees of inputs (an Array and a ShapeDtypeStruct) and outputs, matmul with a constant, reshape and transpose", () => {
    const w = f32([
      [1, 2],
      [3, 4],
      [5, 6]
    ])
    const g = (x: Array, y: Array) => ({ a: np.matmul(x, w).add(lax.slice(y, [0], [2]).mul(3)), b: np.reshape(y, [2, 2]).T })
    const gT = linearTranspose(g, np.ones([3]), new ShapeDtypeStruct([4], "float32"))
    const [cx, cy] = gT({
      a: f32([1, -1]),
      b: f32([
        [1, 2],
        [3, 4]
      ])
    })
    expect(vals(cx)).toEqual([-1, -1, -1]) // JAX: [-1. -1. -1.]
    expect(vals(cy)).toEqual([4, 0, 2, 4]) // JAX: [4. 0. 2. 4.]
  })
  it("strided slices and cumsum (JAX: [3, -6, 6, 0, 9] and [10, 9, 7, 4]); integer -> integer functions", () => {
    const sT = linearTranspose(
      (x: Array) =>
        lax
          .slice(x, [0], [5], [2])
          .mul(3)
          .sub(lax.slice(x, [1], [2])),
      np.ones([5])
    )
    expect(vals(sT(f32([1, 2, 3]))[0])).toEqual([3, -6, 6, 0, 9])
    const cT = linearTranspose((x: Array) => np.cumsum(x), np.ones([4]))
    expect(vals(cT(f32([1, 2, 3, 4]))[0])).toEqual([10, 9, 7, 4])
    const iT = linearTranspose((x: Array) => x.mul(2), np.ones([3], { dtype: "int32" }))
    const [ci] = iT(np.array([1, 2, 3]))
    expect([ci.dtype, vals(ci)]).toEqual(["int32", [2, 4, 6]])
  })
  it("equals vjp's pullback for a linear function, and runs under jit", () => {
    const h = (x: Array) => np.flip(x.mul(f32([1, 2, 3, 4])))
    const ct = f32([0.5, -1, 2, 3])
    const [, back] = vjp(h, f32([9, 9, 9, 9]))
    expect(vals(linearTranspose(h, np.ones([4]))(ct)[0])).toEqual(vals(back(ct)[0]))
    expect(vals(jit((c: Array) => linearTranspose(h, np.ones([4]))(c)[0])(ct))).toEqual(vals(back(ct)[0]))
  })
  it("affine terms are dropped, as JAX (x + 1 transposes to the identity)", () => {
    expect(vals(linearTranspose((x: Array) => x.add(1), np.ones([3]))(f32([1, 2, 3]))[0])).toEqual([1, 2, 3])
  })
  it("a non-linear function is a LinearityError naming the operation (JAX: no transpose rule for 'sin')", () => {
    expect(() => linearTranspose((x: Array) => np.sin(x), np.ones([3]))).toThrow(LinearityError)
    expect(() => linearTranspose((x: Array) => np.sin(x), np.ones([3]))).toThrow(/sin is not linear/)
    expect(() => linearTranspose((x: Array) => x.mul(x), np.ones([3]))).toThrow(/product of two values/)
    expect(() => linearTranspose((x: Array) => np.divide(1, x), np.ones([3]))).toThrow(LinearityError)
  })
  it("mixed float/integer types are a DTypeError; a cotangent of the wrong shape is a ShapeError (JAX: TypeError)", () => {
    expect(() => linearTranspose((x: Array) => x.astype("float32"), np.ones([3], { dtype: "int32" }))).toThrow(DTypeError)
    expect(() => linearTranspose((x: Array) => x.mul(2), np.ones([3]))(f32([1, 2]))).toThrow(ShapeError)
  })
})
