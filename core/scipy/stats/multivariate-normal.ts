/**
 * The multivariate normal distribution (JAX's `jax.scipy.stats.multivariate_normal`), batched over
 * leading dimensions. The covariance is factored by a Cholesky decomposition written here with
 * array operations (one step per column), pending a `linalg` routine.
 */
import type { Array } from "../../array.js"
import { ShapeError, ValueError } from "../../errors.js"
import { checkOptions, optionKeys } from "../../options.js"
import { type Operand, promoteDtypes } from "../../numpy/coerce.js"
import { add, divide, equal, greater, log, multiply, sqrt, square, subtract, where } from "../../numpy/math.js"
import { sum } from "../../numpy/reductions.js"
import { stack, swapaxes } from "../../numpy/shape.js"
import { index } from "../../numpy/indexing.js"
import { arange } from "../../numpy/creation.js"
import { exp } from "../../primitives/elementwise.js"

/**
 * The lower Cholesky factor L (cov = L Lᵀ) of each matrix in [..., n, n], and its diagonal; NaN
 * where the matrix is not positive definite.
 */
const cholesky = (cov: Array): [Array, Array] => {
  const n = cov.shape[cov.ndim - 1]!
  const rows = arange(n)
  const columns: Array[] = []
  const diagonal: Array[] = []
  for (let j = 0; j < n; j++) {
    // column j of cov minus the contributions of the earlier columns of L
    let v = index(cov, "...", j)
    for (const col of columns) v = subtract(v, multiply(col, index(col, "...", np1(j))))
    const d = sqrt(index(v, "...", np1(j)))
    columns.push(where(greater(rows, j), divide(v, d), where(equal(rows, j), d, 0)))
    diagonal.push(index(d, "...", 0))
  }
  return [stack(columns, -1), stack(diagonal, -1)]
}
/** `j:j+1` as a slice string: keeps the axis for broadcasting against a column. */
const np1 = (j: number): string => `${j}:${j + 1}`

/** y with L y = r for lower-triangular L [..., n, n] and r [..., n] (forward substitution). */
const solveLower = (l: Array, r0: Array): Array => {
  const n = l.shape[l.ndim - 1]!
  let r = r0
  const ys: Array[] = []
  for (let j = 0; j < n; j++) {
    const column = index(l, "...", j)
    const y = divide(index(r, "...", np1(j)), index(column, "...", np1(j)))
    ys.push(index(y, "...", 0))
    r = subtract(r, multiply(column, y))
  }
  return stack(ys, -1)
}

export interface MultivariateNormalOptions {
  /** SciPy's `allow_singular`: not implemented (as in JAX); leave it undefined. */
  readonly allowSingular?: null | undefined
}
const MULTIVARIATE_NORMAL_KEYS = optionKeys<MultivariateNormalOptions>()("allowSingular")

/**
 * The log-density of N(mean, cov) at x: -|L⁻¹(x - mean)|²/2 - n log(2π)/2 - log det L with
 * cov = L Lᵀ. `mean` has shape [..., n] and `cov` [..., n, n] (or a scalar variance for every
 * coordinate); a scalar `mean` makes it the univariate normal with variance `cov`.
 *
 * @example
 * scipy.stats.multivariateNormal.logpdf(np.array([1, 0]), np.array([0, 0]), np.array([[2, 1], [1, 2]])) // Array(-2.7205164, dtype=float32)
 */
export const logpdf = (x: Operand, mean: Operand, cov: Operand, options?: MultivariateNormalOptions): Array => {
  checkOptions("scipy.stats.multivariateNormal.logpdf", options, MULTIVARIATE_NORMAL_KEYS)
  if (options?.allowSingular !== undefined && options.allowSingular !== null) {
    throw new ValueError("scipy.stats.multivariateNormal: allowSingular is not implemented (nor in JAX); leave it undefined.")
  }
  const [xx, m, cv] = promoteDtypes([x, mean, cov], "float") as [Array, Array, Array]
  const log2pi = Math.log(2 * Math.PI)
  if (m.ndim === 0) {
    return subtract(multiply(-0.5, divide(square(subtract(xx, m)), cv)), multiply(0.5, add(log2pi, log(cv))))
  }
  const n = m.shape[m.ndim - 1]!
  const y0 = subtract(xx, m)
  if (cv.ndim === 0) {
    return subtract(divide(multiply(-0.5, sum(square(y0), { axis: -1 })), cv), multiply(n / 2, add(log2pi, log(cv))))
  }
  if (cv.ndim < 2 || cv.shape[cv.ndim - 1] !== n || cv.shape[cv.ndim - 2] !== n) {
    throw new ShapeError(
      `scipy.stats.multivariateNormal: cov must have shape [..., ${n}, ${n}] to match mean's last dimension ${n}; got [${cv.shape.join(", ")}].`
    )
  }
  // Factor (cov + covᵀ)/2, as lax.linalg.cholesky's symmetrize_input: the same value for a
  // symmetric cov, and JAX's symmetric gradient.
  const [l, diagonal] = cholesky(multiply(0.5, add(cv, swapaxes(cv, -1, -2))))
  const y = solveLower(l, y0)
  const logDet = sum(log(diagonal), { axis: -1 })
  return subtract(subtract(multiply(-0.5, sum(square(y), { axis: -1 })), (n / 2) * log2pi), logDet)
}

/**
 * The density exp(logpdf).
 *
 * @example
 * scipy.stats.multivariateNormal.pdf(np.array([0, 0]), np.array([0, 0]), np.array([[1, 0], [0, 1]])) // Array(0.15915495, dtype=float32)
 */
export const pdf = (x: Operand, mean: Operand, cov: Operand): Array => exp(logpdf(x, mean, cov))
