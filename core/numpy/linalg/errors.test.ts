/** np.linalg's refusals: tagged errors whose messages say what to do. */
import { describe, expect, it } from "vitest"
import { np, ShapeError, ValueError, DTypeError, lax, scipy } from "../../../index.js"

const m = np.array(
  [
    [2, 1],
    [1, 3]
  ],
  { dtype: "float32" }
)

describe("np.linalg refuses bad input with tagged errors", () => {
  it("eig: square matrices only; the derivative of its eigenvectors is refused as in JAX", async () => {
    const { grad } = await import("../../../index.js")
    expect(() => np.linalg.eig(np.ones([2, 3]))).toThrow(ShapeError)
    expect(() => np.linalg.eigvals(np.ones([3]))).toThrow(ShapeError)
    expect(() => lax.linalg.eig(m, { computeLeft: true } as never)).toThrow(ValueError)
    expect(() => grad((x: typeof m) => np.sum(lax.real(np.linalg.eig(x)[1])))(m)).toThrow(/eigenvectors/)
  })

  it("complex matrices are taken, not refused (values: complex.golden.test.ts)", () => {
    const c = np
      .array(
        [
          [1, 2],
          [3, 4]
        ],
        { dtype: "complex64" }
      )
      .mul(np.array(1, { dtype: "complex64" }).add(lax.complex(np.array(0, { dtype: "float32" }), np.array(1, { dtype: "float32" }))))
    expect(np.linalg.inv(c).dtype).toBe("complex64")
    expect(np.linalg.det(c).dtype).toBe("complex64")
    expect(np.linalg.eigh(c)[0].dtype).toBe("float32")
    expect(np.linalg.norm(c).dtype).toBe("float32")
    expect(np.linalg.qr(c, { mode: "raw" })[1].dtype).toBe("complex64")
    expect(scipy.linalg.qr(c, { pivoting: true })[2].dtype).toBe("int32")
    expect(scipy.linalg.expm(c).dtype).toBe("complex64")
    expect(np.linalg.eigvals(c).dtype).toBe("complex64")
  })

  it("shapes that do not fit", () => {
    expect(() => np.linalg.inv(np.ones([2, 3]))).toThrow(ShapeError)
    expect(() => np.linalg.inv(np.ones([3]))).toThrow(/reshape a vector/)
    expect(() => np.linalg.solve(m, np.ones([3]))).toThrow(ShapeError)
    expect(() => np.linalg.solve(np.ones([2, 3, 3]), np.ones([2, 3]))).toThrow(/b\[\.\.\., None\]/)
    expect(() => np.linalg.lstsq(np.ones([2, 2, 2]), np.ones([2]))).toThrow(ShapeError)
    expect(() => np.linalg.tensorinv(np.ones([2, 3, 4]))).toThrow(ShapeError)
    expect(() => np.linalg.cross(np.ones([2]), np.ones([2]))).toThrow(ValueError)
    expect(() => lax.linalg.triangularSolve(m, np.ones([3, 2]), { leftSide: true })).toThrow(ShapeError)
    expect(() => lax.linalg.cholesky(np.ones([2, 2], { dtype: "int32" }))).toThrow(DTypeError)
  })

  it("options out of range", () => {
    expect(() => np.linalg.qr(m, { mode: "economic" as never })).toThrow(ValueError)
    expect(() => np.linalg.qr(m, { mode: "full" as never })).toThrow(ValueError)
    expect(() => np.linalg.norm(m, { ord: 3 })).toThrow(/invalid order 3 for a matrix norm/)
    expect(() => np.linalg.norm(np.ones([2, 2, 2]), { ord: 1 })).toThrow(/one axis for a vector norm or two/)
    expect(() => np.linalg.eigh(m, { UPLO: "X" as never })).toThrow(ValueError)
    expect(() => np.linalg.matrixRank(m, { tol: 1, rtol: 1 })).toThrow(/only one of tol and rtol/)
    expect(() => np.linalg.matrixPower(m, 1.5)).toThrow(ValueError)
    expect(() => np.linalg.cond(np.ones([2, 3]), 1)).toThrow(ShapeError)
  })

  it("the derivative of svd where JAX has none says which mode has one", async () => {
    const { grad } = await import("../../../index.js")
    expect(() => grad((x: typeof m) => np.sum(np.linalg.svd(x)[0]))(np.ones([3, 2]))).toThrow(/fullMatrices false/)
  })
})
