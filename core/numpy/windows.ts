/**
 * Window functions in `np` (JAX's `bartlett`, `blackman`, `hamming`, `hanning`, `kaiser`): M
 * float32 samples, symmetric, with JAX's formulas over `n = 1 - M, 3 - M, ..., M - 1`.
 */
import type { Array } from "../array.js"
import { ValueError } from "../errors.js"
import { laxBesselI0e } from "../scipy/special/bessel.js"
import { arange, ones } from "./creation.js"
import { abs, add, cos, divide, exp, lessEqual, multiply, sqrt, subtract, where } from "./math.js"

const checkM = (what: string, M: number): number => {
  if (!Number.isInteger(M)) throw new ValueError(`${what}: M must be an integer, got ${M}.`)
  return Math.max(M, 0)
}

/** n = 1 - M, 3 - M, ..., M - 1 as float32, and M - 1. */
const centered = (M: number): Array => arange(1 - M, M, 2, { dtype: "float32" })

const cosineWindow =
  (what: string, terms: ReadonlyArray<number>) =>
  (M: number): Array => {
    const m = checkM(what, M)
    if (m <= 1) return ones([m])
    const n = centered(m)
    let out: Array = multiply(n, 0)
    terms.forEach((a, k) => {
      out = add(out, k === 0 ? a : multiply(a, cos(divide(multiply(n, Math.PI * k), m - 1))))
    })
    return out
  }

/**
 * `jnp.bartlett(M)`: the triangular window.
 *
 * @example
 * np.bartlett(5) // [0, 0.5, 1, 0.5, 0]
 */
export const bartlett = (M: number): Array => {
  const m = checkM("np.bartlett", M)
  if (m <= 1) return ones([m])
  const n = centered(m)
  return where(lessEqual(n, 0), add(1, divide(n, m - 1)), subtract(1, divide(n, m - 1)))
}

/**
 * `jnp.blackman(M)`: `0.42 + 0.5 cos(πn/(M-1)) + 0.08 cos(2πn/(M-1))`.
 *
 * @example
 * np.blackman(3) // [~0, 1, ~0]
 */
export const blackman: (M: number) => Array = cosineWindow("np.blackman", [0.42, 0.5, 0.08])

/**
 * `jnp.hamming(M)`: `0.54 + 0.46 cos(πn/(M-1))`.
 *
 * @example
 * np.hamming(3) // [0.08, 1, 0.08]
 */
export const hamming: (M: number) => Array = cosineWindow("np.hamming", [0.54, 0.46])

/**
 * `jnp.hanning(M)`: `0.5 + 0.5 cos(πn/(M-1))`.
 *
 * @example
 * np.hanning(3) // [0, 1, 0]
 */
export const hanning: (M: number) => Array = cosineWindow("np.hanning", [0.5, 0.5])

/**
 * `jnp.kaiser(M, beta)`: `I0(β sqrt(1 - (n/(M-1))²)) / I0(β)` with the modified Bessel function I0.
 *
 * @example
 * np.kaiser(3, 5) // [0.0367, 1, 0.0367]
 */
export const kaiser = (M: number, beta: number): Array => {
  const m = checkM("np.kaiser", M)
  if (m <= 1) return ones([m])
  const n = arange(0, m, 1, { dtype: "float32" })
  const alpha = 0.5 * (m - 1)
  const r = divide(subtract(n, alpha), alpha)
  const arg = multiply(beta, sqrt(subtract(1, multiply(r, r))))
  // I0(a) / I0(b) = i0e(a) exp(|a|) / (i0e(b) exp(|b|)).
  const b = multiply(ones([], { dtype: "float32" }), beta)
  const num = multiply(laxBesselI0e(arg), exp(subtract(abs(arg), abs(b))))
  return divide(num, laxBesselI0e(b))
}
