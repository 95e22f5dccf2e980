/**
 * Shared pieces of the CPU's linear-algebra routines: float work buffers of the array's dtype
 * (every stored intermediate rounds to float32 for float32 arrays, as LAPACK's sgeXXX do), the
 * number of matrices in a batch, and the machine epsilon of a dtype.
 */
import type { DType } from "../../../core/dtype.js"

export type Floats = Float32Array | Float64Array

/** A zeroed buffer of n elements of a float dtype. */
export const floats = (dtype: DType, n: number): Floats => (dtype === "float64" ? new Float64Array(n) : new Float32Array(n))

/** The number of matrices in an array of shape [...batch, r, c] (`core` trailing dims). */
export const batchOf = (shape: ReadonlyArray<number>, core = 2): number => {
  let b = 1
  for (let i = 0; i < shape.length - core; i++) b *= shape[i]!
  return b
}

/** The unit roundoff of a float dtype. */
export const epsOf = (dtype: DType): number => (dtype === "float64" ? 2 ** -53 : 2 ** -24)

/**
 * Apply the plane rotation (c, s) to two contiguous rows of `len` elements at `p` and `q`:
 * x_p <- c x_p - s x_q, x_q <- s x_p + c x_q (the Jacobi sweeps of eigh and svd).
 */
export const rotateRows = (X: Floats, p: number, q: number, len: number, c: number, s: number): void => {
  for (let i = 0; i < len; i++) {
    const x = X[p + i]!
    const y = X[q + i]!
    X[p + i] = c * x - s * y
    X[q + i] = s * x + c * y
  }
}
