/** `blockDiag`: matrices placed along a block diagonal. */
import type { Array } from "../../array.js"
import { ShapeError } from "../../errors.js"
import { type ArrayLike, asArray, promoteDtypes } from "../../numpy/coerce.js"
import { zeros } from "../../numpy/creation.js"
import { concatenate, reshape } from "../../numpy/shape.js"
import { showShape } from "../../shape.js"

/**
 * `jax.scipy.linalg.block_diag`: a matrix with the given matrices on its diagonal and zeros
 * elsewhere (scalars and 1-D arrays count as one-row matrices, as in SciPy).
 *
 * @example
 * scipy.linalg.blockDiag([[1, 2]], [[3]]).toJs() // [[1, 2, 0], [0, 0, 3]]
 */
export const blockDiag = (...arrs: ReadonlyArray<ArrayLike>): Array => {
  if (arrs.length === 0) return zeros([1, 0], { dtype: "float32" })
  const ms = promoteDtypes(arrs.map((a) => asArray(a))).map((a) => {
    if (a.ndim > 2) throw new ShapeError(`scipy.linalg.blockDiag takes arrays of at most 2 dimensions, got shape ${showShape(a.shape)}.`)
    return a.ndim === 2 ? a : reshape(a, [1, a.size])
  })
  const total = ms.reduce((t, m) => t + m.shape[1]!, 0)
  let col = 0
  const rows = ms.map((m) => {
    const r = m.shape[0]!
    const c = m.shape[1]!
    const parts = [zeros([r, col], { dtype: m.dtype }), m, zeros([r, total - col - c], { dtype: m.dtype })]
    col += c
    return concatenate(parts, { axis: 1 })
  })
  return concatenate(rows, { axis: 0 })
}
