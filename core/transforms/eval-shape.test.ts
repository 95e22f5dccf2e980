/**
 * evalShape traces without computing: shapes, dtypes and weak types of every output leaf, for
 * Array, ShapeDtypeStruct and number arguments, trees in and out; nothing is evaluated.
 */
import { describe, expect, it } from "vitest"
import { type Array, DTypeError, evalShape, lax, np, ShapeDtypeStruct, ShapeError, ValueError } from "../../index.js"

describe("evalShape", () => {
  it("gives JAX's output shapes and dtypes without running f", () => {
    let ran = 0
    const out = evalShape(
      (a: Array, b: Array) => {
        ran++
        return { y: np.matmul(a, b), n: np.sum(a.astype("int32")), w: np.multiply(2, 3) }
      },
      new ShapeDtypeStruct([2, 3], "float32"),
      np.ones([3, 4])
    ) as { y: ShapeDtypeStruct; n: ShapeDtypeStruct; w: ShapeDtypeStruct }
    expect(ran).toBe(1)
    expect([out.y.shape, out.y.dtype, out.y.weakType]).toEqual([[2, 4], "float32", false])
    expect([out.n.shape, out.n.dtype]).toEqual([[], "int32"])
    expect([out.w.shape, out.w.dtype, out.w.weakType]).toEqual([[], "int32", true])
    expect(String(out.y)).toBe("ShapeDtypeStruct(shape=(2, 4), dtype=float32)")
  })
  it("works on huge shapes (nothing is allocated) and through lax control flow", () => {
    const big = new ShapeDtypeStruct([100000, 100000], "float32")
    const s = evalShape((x: Array) => np.sum(x, { axis: 0 }), big) as ShapeDtypeStruct
    expect(s.shape).toEqual([100000])
    const c = evalShape(
      (x: Array) =>
        lax.cumsum(
          lax.map((r: Array) => np.sum(r), x),
          0
        ),
      new ShapeDtypeStruct([5, 3], "float64")
    ) as ShapeDtypeStruct
    expect([c.shape, c.dtype]).toEqual([[5], "float64"])
  })
  it("reports f's shape errors, and refuses bad structs", () => {
    expect(() => evalShape((a: Array, b: Array) => np.matmul(a, b), new ShapeDtypeStruct([2, 3], "float32"), new ShapeDtypeStruct([4, 4], "float32"))).toThrow(
      ShapeError
    )
    expect(() => new ShapeDtypeStruct([2, -1], "float32")).toThrow()
    expect(() => new ShapeDtypeStruct([2], "int64" as never)).toThrow(DTypeError)
    expect(() => evalShape((a: unknown) => a, "text" as never)).toThrow(ValueError)
  })
})
