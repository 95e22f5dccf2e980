/**
 * tridiagonal_solve: the Thomas algorithm (forward elimination, back substitution) on each system
 * of a batch, over all right-hand sides at once; dl[0] and du[m-1] are ignored. No pivoting: the
 * systems it is meant for (diagonally dominant, as from splines and implicit schemes) need none.
 */
import { bufferOf, inputAt, type Kernel, outAt } from "../kernel.js"
import { batchOf, floats } from "./common.js"

export const tridiagonalSolve: Kernel = (inputs, _params, outs) => {
  const dl = bufferOf(inputAt(inputs, 0))
  const d = bufferOf(inputAt(inputs, 1))
  const du = bufferOf(inputAt(inputs, 2))
  const bIn = inputAt(inputs, 3)
  const bb = bufferOf(bIn)
  const s = bIn.aval.shape
  const m = s[s.length - 2]!
  const n = s[s.length - 1]!
  const dtype = outAt(outs).dtype
  const x = floats(dtype, bb.length)
  x.set(bb)
  const c = floats(dtype, Math.max(m, 1))
  for (let b = 0; b < batchOf(s); b++) {
    const o = b * m
    const xo = b * m * n
    for (let i = 0; i < m; i++) {
      const denom = i === 0 ? d[o]! : d[o + i]! - dl[o + i]! * c[i - 1]!
      c[i] = i < m - 1 ? du[o + i]! / denom : 0
      const r = xo + i * n
      if (i === 0) for (let k = 0; k < n; k++) x[r + k] = x[r + k]! / denom
      else {
        const f = dl[o + i]!
        for (let k = 0; k < n; k++) x[r + k] = (x[r + k]! - f * x[r - n + k]!) / denom
      }
    }
    for (let i = m - 2; i >= 0; i--) {
      const r = xo + i * n
      const ci = c[i]!
      for (let k = 0; k < n; k++) x[r + k] = x[r + k]! - ci * x[r + n + k]!
    }
  }
  return [x]
}
