/**
 * Real lines: the forward transform of n real values to the n/2 + 1 non-negative frequencies,
 * and its inverse. An even length packs the reals as n/2 complex values (even samples real,
 * odd samples imaginary), transforms at half length and separates the two halves' spectra with
 * the twiddles exp(-2 pi i k/n); an odd length goes through a full complex line.
 */
import type { Floats } from "../linalg/common.js"
import { transformLine, type Workspace } from "./line.js"
import { unitRoot } from "./roots.js"

const halfTwiddles = new Map<number, Float64Array>()

/** (cos, sin)(2 pi k / n) for k <= n/2, cached per n (a few lengths are in use at a time). */
const twiddlesOf = (n: number): Float64Array => {
  let t = halfTwiddles.get(n)
  if (t === undefined) {
    const h = n >> 1
    t = new Float64Array(2 * (h + 1))
    for (let k = 0; k <= h; k++) unitRoot(t, 2 * k, k, n)
    if (halfTwiddles.size > 64) halfTwiddles.clear()
    halfTwiddles.set(n, t)
  }
  return t
}

/**
 * rfft of the n reals x[xo ..] into the n/2 + 1 complex values at out[oo ..] (interleaved).
 * `line` is a scratch complex line of at least 2n values of out's element type.
 */
export const rfftLine = (x: Floats, xo: number, n: number, out: Floats, oo: number, line: Floats, ws: Workspace): void => {
  if (n % 2 === 1) {
    for (let k = 0; k < n; k++) {
      line[2 * k] = x[xo + k]!
      line[2 * k + 1] = 0
    }
    transformLine(line, n, -1, ws)
    out.set(line.subarray(0, n + 1), oo)
    return
  }
  const h = n / 2
  line.set(x.subarray(xo, xo + n))
  transformLine(line, h, -1, ws)
  const tw = twiddlesOf(n)
  for (let k = 0; k <= h; k++) {
    const a = 2 * (k % h),
      b = 2 * ((h - k) % h)
    const zr = line[a]!,
      zi = line[a + 1]!
    const cr = line[b]!,
      ci = -line[b + 1]!
    // E = (Z_k + conj Z_{h-k}) / 2, O = -i (Z_k - conj Z_{h-k}) / 2, X = E + exp(-2 pi i k/n) O
    const er = 0.5 * (zr + cr),
      ei = 0.5 * (zi + ci)
    const or = 0.5 * (zi - ci),
      oi = -0.5 * (zr - cr)
    const wr = tw[2 * k]!,
      wi = -tw[2 * k + 1]!
    out[oo + 2 * k] = er + or * wr - oi * wi
    out[oo + 2 * k + 1] = ei + or * wi + oi * wr
  }
}

/**
 * irfft (unnormalized: n times the inverse) of the n/2 + 1 complex values x[xo ..] into n reals
 * at out[oo ..]. The imaginary parts of the zero frequency (and of n/2 for even n) are ignored,
 * as numpy and XLA do. `line` as for rfftLine.
 */
export const irfftLine = (x: Floats, xo: number, n: number, out: Floats, oo: number, line: Floats, ws: Workspace): void => {
  if (n % 2 === 1) {
    const h = (n - 1) / 2
    line[0] = x[xo]!
    line[1] = 0
    for (let k = 1; k <= h; k++) {
      const r = x[xo + 2 * k]!,
        i = x[xo + 2 * k + 1]!
      line[2 * k] = r
      line[2 * k + 1] = i
      line[2 * (n - k)] = r
      line[2 * (n - k) + 1] = -i
    }
    transformLine(line, n, 1, ws)
    for (let k = 0; k < n; k++) out[oo + k] = line[2 * k]!
    return
  }
  const h = n / 2
  const tw = twiddlesOf(n)
  for (let k = 0; k < h; k++) {
    const xr = x[xo + 2 * k]!,
      xi = k === 0 ? 0 : x[xo + 2 * k + 1]!
    const j = h - k
    const cr = x[xo + 2 * j]!,
      ci = j === h || j === 0 ? 0 : -x[xo + 2 * j + 1]!
    // E = (X_k + conj X_{h-k}) / 2, O = (X_k - conj X_{h-k}) exp(2 pi i k/n) / 2, Z = E + i O
    const er = 0.5 * (xr + cr),
      ei = 0.5 * (xi + ci)
    const dr = 0.5 * (xr - cr),
      di = 0.5 * (xi - ci)
    const wr = tw[2 * k]!,
      wi = tw[2 * k + 1]!
    const or = dr * wr - di * wi,
      oi = dr * wi + di * wr
    line[2 * k] = er - oi
    line[2 * k + 1] = ei + or
  }
  transformLine(line, h, 1, ws)
  // transformLine's inverse is unnormalized at length h; the half-length packing doubles it
  for (let k = 0; k < n; k++) out[oo + k] = 2 * line[k]!
}
