/**
 * One complex line: the transform of n interleaved (re, im) values in place, unnormalized,
 * through the length's plan (Stockham, or Bluestein's chirp-z convolution for lengths with a
 * prime factor above 31, computed in float64 whatever the line's element type).
 */
import type { Floats } from "../linalg/common.js"
import { type BluesteinPlan, planFor } from "./plan.js"
import { runStockhamInPlace } from "./stockham.js"

/** Scratch buffers reused across the lines of one call (grown on demand). */
export class Workspace {
  private work32 = new Float32Array(0)
  private work64 = new Float64Array(0)
  private conv = new Float64Array(0)
  private conv2 = new Float64Array(0)

  /** A work buffer of at least `len` values of x's element type. */
  workFor(x: Floats, len: number): Floats {
    if (x instanceof Float32Array) {
      if (this.work32.length < len) this.work32 = new Float32Array(len)
      return this.work32
    }
    if (this.work64.length < len) this.work64 = new Float64Array(len)
    return this.work64
  }

  /** Two float64 buffers of `len` values, the first zeroed. */
  convFor(len: number): readonly [Float64Array, Float64Array] {
    if (this.conv.length < len) {
      this.conv = new Float64Array(len)
      this.conv2 = new Float64Array(len)
    } else this.conv.fill(0, 0, len)
    return [this.conv, this.conv2]
  }
}

const bluestein = (plan: BluesteinPlan, x: Floats, dir: number, ws: Workspace): void => {
  const { n, m, chirp, filter, inner } = plan
  const [a, work] = ws.convFor(2 * m)
  const cs = -dir // the chirp is exp(-i pi k^2/n); the inverse uses its conjugate
  for (let k = 0; k < n; k++) {
    const cr = chirp[2 * k]!,
      ci = cs * chirp[2 * k + 1]!
    const xr = x[2 * k]!,
      xi = x[2 * k + 1]!
    a[2 * k] = xr * cr - xi * ci
    a[2 * k + 1] = xr * ci + xi * cr
  }
  runStockhamInPlace(inner, a, work, -1)
  // The filter is symmetric in time, so the inverse's filter is the forward one's conjugate.
  for (let k = 0; k < m; k++) {
    const ar = a[2 * k]!,
      ai = a[2 * k + 1]!
    const fr = filter[2 * k]!,
      fi = cs * filter[2 * k + 1]!
    a[2 * k] = ar * fr - ai * fi
    a[2 * k + 1] = ar * fi + ai * fr
  }
  runStockhamInPlace(inner, a, work, 1)
  for (let k = 0; k < n; k++) {
    const cr = chirp[2 * k]!,
      ci = cs * chirp[2 * k + 1]!
    const yr = a[2 * k]!,
      yi = a[2 * k + 1]!
    x[2 * k] = yr * cr - yi * ci
    x[2 * k + 1] = yr * ci + yi * cr
  }
}

/** Transform the line x (2n values from offset 0) in place: dir -1 forward, +1 inverse (unnormalized). */
export const transformLine = (x: Floats, n: number, dir: number, ws: Workspace): void => {
  const plan = planFor(n)
  if (plan.kind === "bluestein") bluestein(plan, x, dir, ws)
  else runStockhamInPlace(plan, x, ws.workFor(x, 2 * n), dir)
}
