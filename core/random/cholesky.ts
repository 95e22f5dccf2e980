/**
 * A small Cholesky factorization for `multivariateNormal` (lower triangular L with L L^T = A),
 * written with the array primitives so it traces, batches and differentiates: column j is
 * (A[:, j] - L[:, :j] L[j, :j]^T) / sqrt(d_j), zero above the diagonal. The loop over columns is
 * unrolled (n is static), O(n) primitive applications. Leading dimensions are batch dimensions.
 * A matrix that is not positive definite gives NaNs, as LAPACK-backed `jnp.linalg.cholesky` does.
 */
import type { Array } from "../array.js"
import { ShapeError } from "../errors.js"
import * as np from "../numpy/index.js"

export const cholesky = (a: Array): Array => {
  const n = a.shape[a.ndim - 1]!
  if (a.ndim < 2 || a.shape[a.ndim - 2] !== n) {
    throw new ShapeError(`cholesky needs square matrices (shape (..., n, n)), got shape (${a.shape.join(", ")})`)
  }
  const rows = np.arange(n)
  const cols: Array[] = []
  for (let j = 0; j < n; j++) {
    // A[..., :, j]
    let v = np.take(a, [j], { axis: -1 }).reshape(a.shape.slice(0, -1))
    if (j > 0) {
      const lPrev = np.stack(cols, -1) // [..., n, j]
      const rowJ = np.take(lPrev, [j], { axis: -2 }) // [..., 1, j]
      v = v.sub(np.sum(lPrev.mul(rowJ), { axis: -1 }))
    }
    const d = np.take(v, [j], { axis: -1 }) // [..., 1]
    cols.push(np.where(rows.ge(j), v.div(np.sqrt(d)), 0).astype(a.dtype))
  }
  return np.stack(cols, -1)
}
