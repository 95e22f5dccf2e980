/**
 * FFT plans, cached per length: a mixed-radix Stockham schedule (radices 4, 2, 3, 5 and small
 * odd primes up to 31 by a direct butterfly) with its twiddle factors, or, for a length with a
 * larger prime factor, Bluestein's chirp-z algorithm over a 5-smooth length of at least 2n - 1.
 * Twiddles and chirps are computed in float64 from exact angles (index products reduced modulo
 * the length first), so a float32 transform only rounds where it stores its passes.
 */
import { unitRoot } from "./roots.js"
import { runStockhamInPlace } from "./stockham.js"

/** One Stockham pass: radix p over a sub-transform of length p * m at stride s. */
export interface Stage {
  readonly p: number
  readonly m: number
  readonly s: number
  /** exp(2 pi i j k / (p m)) for j < m, 1 <= k < p: (cos, sin) pairs at (j (p - 1) + k - 1) * 2. */
  readonly tw: Float64Array
  /** exp(2 pi i k / p) for k < p (generic radices only; empty otherwise). */
  readonly roots: Float64Array
}

export interface StockhamPlan {
  readonly kind: "stockham"
  readonly n: number
  readonly stages: ReadonlyArray<Stage>
}

export interface BluesteinPlan {
  readonly kind: "bluestein"
  readonly n: number
  /** The padded convolution length (5-smooth, >= 2n - 1) and its plan. */
  readonly m: number
  readonly inner: StockhamPlan
  /** exp(-i pi k^2 / n) for k < n, interleaved. */
  readonly chirp: Float64Array
  /** The forward transform of the conjugate chirp filter, divided by m, interleaved. */
  readonly filter: Float64Array
}

export type Plan = StockhamPlan | BluesteinPlan

/** Largest prime factor handled by a direct butterfly; larger ones go through Bluestein. */
const maxDirectRadix = 31

/** The radices of n (4s first, then 2, 3, 5, other primes), or undefined if a prime factor exceeds maxDirectRadix. */
export const factorize = (n: number): number[] | undefined => {
  const out: number[] = []
  let r = n
  for (const p of [4, 2, 3, 5]) {
    while (r % p === 0) {
      out.push(p)
      r /= p
    }
  }
  for (let p = 7; p <= maxDirectRadix && r > 1; p += 2) {
    while (r % p === 0) {
      out.push(p)
      r /= p
    }
  }
  return r === 1 ? out : undefined
}

const stockhamPlan = (n: number, radices: ReadonlyArray<number>): StockhamPlan => {
  const stages: Stage[] = []
  let len = n
  let s = 1
  for (const p of radices) {
    const m = len / p
    const tw = new Float64Array(2 * (p - 1) * m)
    for (let j = 0; j < m; j++) for (let k = 1; k < p; k++) unitRoot(tw, (j * (p - 1) + k - 1) * 2, j * k, len)
    const roots = new Float64Array(p > 5 ? 2 * p : 0)
    if (p > 5) for (let k = 0; k < p; k++) unitRoot(roots, 2 * k, k, p)
    stages.push({ p, m, s, tw, roots })
    len = m
    s *= p
  }
  return { kind: "stockham", n, stages }
}

/** The smallest 2^a 3^b 5^c >= n. */
export const smoothAtLeast = (n: number): number => {
  let best = 2 ** Math.ceil(Math.log2(Math.max(n, 1)))
  for (let f5 = 1; f5 < best; f5 *= 5) {
    for (let f35 = f5; f35 < best; f35 *= 3) {
      let v = f35
      while (v < n) v *= 2
      if (v < best) best = v
    }
  }
  return best
}

const bluesteinPlan = (n: number): BluesteinPlan => {
  const m = smoothAtLeast(2 * n - 1)
  const inner = stockhamPlan(m, factorize(m)!)
  const chirp = new Float64Array(2 * n)
  const twoN = 2 * n
  for (let k = 0; k < n; k++) {
    unitRoot(chirp, 2 * k, (k * k) % twoN, twoN)
    chirp[2 * k + 1] = -chirp[2 * k + 1]!
  }
  const filter = new Float64Array(2 * m)
  for (let k = 0; k < n; k++) {
    const re = chirp[2 * k]! / m
    const im = -chirp[2 * k + 1]! / m
    filter[2 * k] = re
    filter[2 * k + 1] = im
    if (k > 0) {
      filter[2 * (m - k)] = re
      filter[2 * (m - k) + 1] = im
    }
  }
  runStockhamInPlace(inner, filter, new Float64Array(2 * m), -1)
  return { kind: "bluestein", n, m, inner, chirp, filter }
}

const cache = new Map<number, Plan>()
const cacheLimit = 64

/** The plan for length n (n >= 1), built once and kept in a small least-recently-used cache. */
export const planFor = (n: number): Plan => {
  const hit = cache.get(n)
  if (hit !== undefined) {
    cache.delete(n)
    cache.set(n, hit)
    return hit
  }
  const radices = factorize(n)
  const plan = radices === undefined ? bluesteinPlan(n) : stockhamPlan(n, radices)
  cache.set(n, plan)
  if (cache.size > cacheLimit) cache.delete(cache.keys().next().value!)
  return plan
}
