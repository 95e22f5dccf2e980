/**
 * Polynomials in `np` as coefficient arrays, highest power first (NumPy's legacy convention, as
 * JAX's): `polyval`, `polyadd`, `polysub`, `polymul`, `polydiv`, `polyder`, `polyint`, `poly`
 * (from roots) and `vander`. `polyfit` and `roots` need least squares and eigenvalues, which come
 * with `np.linalg`.
 */
import { Array } from "../array.js"
import { ShapeError, ValueError } from "../errors.js"
import { checkOptions, optionKeys } from "../options.js"
import { type ArrayLike, asArray, promoteDtypes } from "./coerce.js"
import { convolve } from "./convolve.js"
import { arange } from "./creation.js"
import { add, divide, multiply, subtract } from "./math.js"
import { concatenate, expandDims, flip, pad, reshape } from "./shape.js"
import { cumprod } from "./reductions.js"
import { dynamicUpdateSlice, sliceInDim } from "../lax/slicing.js"

const toArray = (x: ArrayLike): Array => (x instanceof Array ? x : asArray(x))
const vec = (what: string, x: ArrayLike): Array => {
  const a = toArray(x)
  if (a.ndim !== 1) throw new ShapeError(`${what}: coefficients must be 1-D, got shape ${a.shape.length === 0 ? "()" : `(${a.shape.join(", ")})`}.`)
  return a
}

/**
 * `jnp.polyval(p, x)`: the polynomial with coefficients `p` (highest power first) at x, by
 * Horner's rule.
 *
 * @example
 * np.polyval([3, 0, 1], np.array([1, 2])) // [4, 13]
 */
export const polyval = (p: ArrayLike, x: ArrayLike): Array => {
  const [c, xs] = promoteDtypes([vec("np.polyval", p), toArray(x)]) as [Array, Array]
  let y = multiply(xs, 0)
  for (let i = 0; i < c.shape[0]!; i++) y = add(multiply(y, xs), reshape(sliceInDim(c, i, i + 1), []))
  return y
}

/** Two coefficient vectors padded at the front to one length. */
const aligned = (what: string, a1: ArrayLike, a2: ArrayLike): [Array, Array] => {
  const [a, b] = promoteDtypes([vec(what, a1), vec(what, a2)]) as [Array, Array]
  const n = Math.max(a.shape[0]!, b.shape[0]!)
  return [pad(a, [[n - a.shape[0]!, 0]]), pad(b, [[n - b.shape[0]!, 0]])]
}

/** `jnp.polyadd(a1, a2)`: the sum of two polynomials. @example np.polyadd([1, 2], [1, 0, 0]) // [1, 1, 2] */
export const polyadd = (a1: ArrayLike, a2: ArrayLike): Array => add(...aligned("np.polyadd", a1, a2))

/** `jnp.polysub(a1, a2)`: the difference of two polynomials. @example np.polysub([1, 2], [1, 0, 0]) // [-1, 1, 2] */
export const polysub = (a1: ArrayLike, a2: ArrayLike): Array => subtract(...aligned("np.polysub", a1, a2))

/**
 * `jnp.polymul(a1, a2)`: the product of two polynomials (a full convolution).
 *
 * @example
 * np.polymul([1, 1], [1, -1]) // [1, 0, -1]
 */
export const polymul = (a1: ArrayLike, a2: ArrayLike, options?: { readonly trimLeadingZeros?: boolean }): Array => {
  checkOptions("np.polymul", options, ["trimLeadingZeros"])
  if (options?.trimLeadingZeros === true)
    throw new ValueError("np.polymul: trimLeadingZeros needs concrete values and is not supported; trim the inputs first.")
  const [a, b] = promoteDtypes([vec("np.polymul", a1), vec("np.polymul", a2)]) as [Array, Array]
  if (a.shape[0] === 0 || b.shape[0] === 0) return reshape(multiply(a, 0), [0])
  return convolve(a, b, { mode: "full" })
}

/**
 * `jnp.polydiv(u, v)`: quotient and remainder of polynomial division (the remainder keeps u's
 * length, leading zeros included, as JAX's default).
 *
 * @example
 * np.polydiv([1, 0, -1], [1, 1]) // [[1, -1], [0, 0, 0]]
 */
export const polydiv = (u: ArrayLike, v: ArrayLike): [Array, Array] => {
  const [ua, va] = promoteDtypes([vec("np.polydiv", u), vec("np.polydiv", v)], "float") as [Array, Array]
  const m = ua.shape[0]! - 1
  const n = va.shape[0]! - 1
  if (n < 0) throw new ValueError("np.polydiv: the divisor is empty.")
  const scale = divide(1, reshape(sliceInDim(va, 0, 1), []))
  const qs: Array[] = []
  let r = ua
  for (let k = 0; k <= m - n; k++) {
    const d = multiply(scale, reshape(sliceInDim(r, k, k + 1), []))
    qs.push(reshape(d, [1]))
    const block = sliceInDim(r, k, k + n + 1)
    r = dynamicUpdateSlice(r, subtract(block, multiply(d, va)), [k])
  }
  const q = qs.length === 0 ? reshape(multiply(sliceInDim(ua, 0, 1), 0), [1]) : concatenate(qs, 0)
  return [q, r]
}

/**
 * `jnp.polyder(p, m=1)`: the m-th derivative's coefficients.
 *
 * @example
 * np.polyder([1, 1, 1, 1]) // [3, 2, 1]
 */
export const polyder = (p: ArrayLike, m = 1): Array => {
  if (!Number.isInteger(m) || m < 0) throw new ValueError(`np.polyder: the order m must be a non-negative integer, got ${m}.`)
  let c = promoteDtypes([vec("np.polyder", p)])[0]!
  for (let k = 0; k < m; k++) {
    const n = c.shape[0]!
    if (n <= 1) return reshape(multiply(sliceInDim(c, 0, 0), 0), [0])
    c = multiply(sliceInDim(c, 0, n - 1), flip(arange(1, n, { dtype: c.dtype === "bool" ? "int32" : c.dtype })))
  }
  return c
}

export interface PolyintOptions {
  /** The order (default 1). */
  readonly m?: number
  /** Integration constants: one number for every step, or one per step (lowest order last). */
  readonly k?: number | ReadonlyArray<number>
}
const POLYINT_KEYS = optionKeys<PolyintOptions>()("m", "k")

/**
 * `jnp.polyint(p, m=1, k=None)`: the m-th antiderivative's coefficients (constants default 0).
 *
 * @example
 * np.polyint([3, 2, 1]) // [1, 1, 1, 0]
 */
export const polyint = (p: ArrayLike, options?: PolyintOptions): Array => {
  checkOptions("np.polyint", options, POLYINT_KEYS)
  const m = options?.m ?? 1
  if (!Number.isInteger(m) || m < 0) throw new ValueError(`np.polyint: the order m must be a non-negative integer, got ${m}.`)
  const kk = options?.k ?? 0
  const ks = typeof kk === "number" ? new globalThis.Array<number>(m).fill(kk) : [...kk]
  if (ks.length !== m) throw new ValueError(`np.polyint: ${ks.length} integration constants for order ${m}; give one, or one per step.`)
  let c = promoteDtypes([vec("np.polyint", p)], "float")[0]!
  for (let step = 0; step < m; step++) {
    const n = c.shape[0]!
    const divided = divide(c, flip(arange(1, n + 1, { dtype: c.dtype })))
    c = concatenate([divided, asArray([ks[step]!], c.dtype)], 0)
  }
  return c
}

/**
 * `jnp.poly(seq_of_zeros)`: the monic polynomial with the given roots (1-D roots; the
 * characteristic polynomial of a matrix needs np.linalg's eigenvalues).
 *
 * @example
 * np.poly([1, 2]) // [1, -3, 2]
 */
export const poly = (seqOfZeros: ArrayLike): Array => {
  const z = promoteDtypes([vec("np.poly", seqOfZeros)], "float")[0]!
  let a = asArray([1], z.dtype)
  for (let i = 0; i < z.shape[0]!; i++) {
    const r = sliceInDim(z, i, i + 1)
    a = convolve(a, concatenate([asArray([1], z.dtype), multiply(r, -1)], 0), { mode: "full" })
  }
  return a
}

export interface VanderOptions {
  /** The number of columns (default len(x)). */
  readonly N?: number
  /** Powers increasing left to right (default false: decreasing). */
  readonly increasing?: boolean
}
const VANDER_KEYS = optionKeys<VanderOptions>()("N", "increasing")

/**
 * `jnp.vander(x, N=None, increasing=False)`: the Vandermonde matrix (columns are powers of x).
 *
 * @example
 * np.vander(np.array([1, 2, 3]), { N: 3 }) // [[1, 1, 1], [4, 2, 1], [9, 3, 1]]
 */
export const vander = (x: ArrayLike, options?: VanderOptions): Array => {
  checkOptions("np.vander", options, VANDER_KEYS)
  const a = vec("np.vander", x)
  const n = options?.N ?? a.shape[0]!
  if (!Number.isInteger(n) || n < 0) throw new ValueError(`np.vander: N must be a non-negative integer, got ${n}.`)
  if (n === 0) return reshape(multiply(expandDims(a, 1), 0), [a.shape[0]!, 0]).astype(a.dtype)
  // Powers by cumulative products of [1, x, x, ...], as JAX computes them.
  const ones = multiply(expandDims(a, 1), 0)
  const cols = concatenate([add(ones, 1), ...new globalThis.Array<Array>(n - 1).fill(expandDims(a, 1))], 1)
  const powers = cumprod(cols, { axis: 1 })
  return options?.increasing === true ? powers : flip(powers, 1)
}
