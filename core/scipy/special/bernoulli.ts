/**
 * Bernoulli numbers B_0 ... B_n (JAX's `bernoulli`), computed exactly in rational arithmetic by
 * the Akiyama-Tanigawa algorithm and rounded once to float32.
 */
import type { Array } from "../../array.js"
import { ValueError } from "../../errors.js"
import { asArray } from "../../numpy/coerce.js"

const gcd = (a: bigint, b: bigint): bigint => {
  let x = a < 0n ? -a : a
  let y = b < 0n ? -b : b
  while (y !== 0n) [x, y] = [y, x % y]
  return x
}

/** The first n + 1 Bernoulli numbers as exact fractions [numerator, denominator], B_1 = -1/2. */
const bernoulliFractions = (n: number): (readonly [bigint, bigint])[] => {
  const out: (readonly [bigint, bigint])[] = []
  const num: bigint[] = []
  const den: bigint[] = []
  for (let m = 0; m <= n; m++) {
    num.push(1n)
    den.push(BigInt(m + 1))
    for (let j = m; j >= 1; j--) {
      // a[j-1] = j * (a[j-1] - a[j])
      const nn = BigInt(j) * (num[j - 1]! * den[j]! - num[j]! * den[j - 1]!)
      const dd = den[j - 1]! * den[j]!
      const g = gcd(nn, dd)
      num[j - 1] = g === 0n ? 0n : nn / g
      den[j - 1] = g === 0n ? 1n : dd / g
    }
    out.push([m === 1 ? -num[0]! : num[0]!, den[0]!])
  }
  return out
}

/** A ratio of big integers as the nearest double (then rounded to float32 by the array). */
const toNumber = ([p, q]: readonly [bigint, bigint]): number => {
  if (p === 0n) return 0
  // Scale so both fit comfortably in a double's range before dividing.
  const shift = Math.max(0, Math.max(p.toString(2).length, q.toString(2).length) - 1000)
  const s = BigInt(shift)
  return Number(p >> s) / Number(q >> s)
}

/**
 * The Bernoulli numbers B_0, ..., B_n as a float32 array of length n + 1, with B_1 = -1/2 (JAX's
 * and SciPy's `bernoulli`). `n` is a non-negative JS integer.
 *
 * @example
 * scipy.special.bernoulli(4) // Array([ 1.        , -0.5       ,  0.16666667,  0.        , -0.03333334],      dtype=float32)
 */
export const bernoulli = (n: number): Array => {
  if (!Number.isInteger(n) || n < 0) throw new ValueError(`scipy.special.bernoulli: n must be a non-negative integer, got ${n}.`)
  return asArray(bernoulliFractions(n).map(toNumber), "float32")
}
