/**
 * Scalar math that JavaScript's `Math` lacks, with the semantics of XLA's CPU backend. All work in
 * doubles; float32 kernels store the result into a Float32Array (one rounding).
 */

/** Round half to even (NumPy's and jnp.round's rounding); keeps -0, NaN and infinities. */
export const roundHalfEven = (x: number): number => {
  const r = Math.round(x) // half rounds up
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r
}

/**
 * Integer power as XLA computes it (EmitIntegerPow): exponentiation by squaring over the low six
 * bits of the exponent with wrapping 32-bit multiplies; a negative exponent gives 1 when the base
 * is 1 and 0 otherwise. The caller's typed-array store wraps the result to int32/uint32.
 */
export const intPow = (base: number, exponent: number): number => {
  if (exponent < 0) return base === 1 ? 1 : 0
  let acc = 1
  let b = base
  let e = exponent
  for (let i = 0; i < 6; i++) {
    if ((e & 1) !== 0) acc = Math.imul(acc, b)
    b = Math.imul(b, b)
    e >>>= 1
  }
  return acc
}

const TWO_OVER_SQRT_PI = 1.1283791670955126
const INV_SQRT_PI = 0.5641895835477563

/** exp(-x*x) without the rounding error of x*x: x*x is split exactly as hi + lo (Dekker). */
const expNegSquare = (x: number): number => {
  const hi = x * x
  const c = 134217729 * x // 2^27 + 1: Veltkamp split of x into 26-bit halves
  const xh = c - (c - x)
  const xl = x - xh
  const lo = xh * xh - hi + 2 * xh * xl + xl * xl
  return Math.exp(-hi) * (1 - lo)
}

/**
 * The error function, within 4 ulp in double precision.
 *   |x| < 0.75: Taylor series (alternating, terms shrink fast), Horner form
 *   |x| < 2:    erf(x) = 2/sqrt(pi) * exp(-x^2) * sum_n x (2x^2)^n / (2n+1)!!  (positive terms)
 *   |x| < 6:    erf(x) = 1 - erfc(x), erfc by its continued fraction
 *               erfc(x) = exp(-x^2)/sqrt(pi) / (x + (1/2)/(x + 1/(x + (3/2)/(x + ...))))
 *   otherwise:  +-1 (erfc(6) < 2^-54)
 */
export const erf = (x: number): number => {
  if (x !== x || x === 0) return x // NaN, +0, -0
  const ax = Math.abs(x)
  if (ax >= 6) return x > 0 ? 1 : -1
  let r: number
  if (ax < 0.75) {
    // Taylor series: erf(x) = 2/sqrt(pi) * sum_n (-1)^n x^(2n+1) / (n! (2n+1)), in Horner form.
    const z = -ax * ax
    let s = 0
    for (let n = 18; n >= 1; n--) s = (((z / n) * (2 * n - 1)) / (2 * n + 1)) * (1 + s)
    r = TWO_OVER_SQRT_PI * (ax + ax * s)
  } else if (ax < 2) {
    // Number of terms, then the positive series in Horner form (errors do not compound).
    const t2 = 2 * ax * ax
    let term = 1
    let n = 1
    while (n < 100) {
      term *= t2 / (2 * n + 1)
      if (term < 1e-17) break
      n++
    }
    let s = 0
    for (let k = n; k >= 1; k--) s = (t2 / (2 * k + 1)) * (1 + s)
    r = TWO_OVER_SQRT_PI * expNegSquare(ax) * (ax + ax * s)
  } else {
    // Backward evaluation of the continued fraction; 80 levels converge for x >= 2.
    let f = ax
    for (let n = 80; n >= 1; n--) f = ax + (n * 0.5) / f
    r = 1 - (INV_SQRT_PI * expNegSquare(ax)) / f
  }
  return x < 0 ? -r : r
}

/**
 * Pairwise summation of x[start .. start+n) (NumPy's scheme): blocks of up to 128 elements are
 * summed with eight interleaved accumulators, larger ranges split in halves. The error grows
 * with log(n) instead of n.
 */
export const pairwiseSum = (x: Float64Array, start: number, n: number): number => {
  if (n < 8) {
    let s = 0
    for (let i = 0; i < n; i++) s += x[start + i]!
    return s
  }
  if (n <= 128) {
    let r0 = x[start]!
    let r1 = x[start + 1]!
    let r2 = x[start + 2]!
    let r3 = x[start + 3]!
    let r4 = x[start + 4]!
    let r5 = x[start + 5]!
    let r6 = x[start + 6]!
    let r7 = x[start + 7]!
    let i = 8
    for (; i + 7 < n; i += 8) {
      const p = start + i
      r0 += x[p]!
      r1 += x[p + 1]!
      r2 += x[p + 2]!
      r3 += x[p + 3]!
      r4 += x[p + 4]!
      r5 += x[p + 5]!
      r6 += x[p + 6]!
      r7 += x[p + 7]!
    }
    let s = r0 + r1 + (r2 + r3) + (r4 + r5 + (r6 + r7))
    for (; i < n; i++) s += x[start + i]!
    return s
  }
  let half = n >> 1
  half -= half % 8
  return pairwiseSum(x, start, half) + pairwiseSum(x, start + half, n - half)
}
