/**
 * Complex scalars for the CPU's complex routines (float64, matrices row-major with interleaved
 * (re, im) entries): arithmetic on [re, im] pairs, a matrix view, and LAPACK's zlarfg (the
 * complex Householder reflector with a real beta), shared by eig, schur and the complex
 * factorizations of complex-dense.ts, complex-qr.ts and complex-jacobi.ts.
 */
export type C = [number, number]
export const cabs1 = (re: number, im: number): number => Math.abs(re) + Math.abs(im)
export const cmul = (a: C, b: C): C => [a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0]]
export const cdiv = (a: C, b: C): C => {
  if (Math.abs(b[0]) >= Math.abs(b[1])) {
    const r = b[1] / b[0]
    const d = b[0] + b[1] * r
    return [(a[0] + a[1] * r) / d, (a[1] - a[0] * r) / d]
  }
  const r = b[0] / b[1]
  const d = b[0] * r + b[1]
  return [(a[0] * r + a[1]) / d, (a[1] * r - a[0]) / d]
}
export const csqrt = (a: C): C => {
  const m = Math.hypot(a[0], a[1])
  if (m === 0) return [0, 0]
  const re = Math.sqrt((m + Math.abs(a[0])) / 2)
  return a[0] >= 0 ? [re, a[1] / (2 * re)] : [Math.abs(a[1]) / (2 * re), a[1] >= 0 ? re : -re]
}
export const conj = (a: C): C => [a[0], -a[1]]

/** A complex matrix view: get/set entry (r, c). */
export const mat = (x: Float64Array, n: number) => ({
  get: (r: number, c: number): C => [x[2 * (r * n + c)]!, x[2 * (r * n + c) + 1]!],
  set: (r: number, c: number, v: C): void => {
    x[2 * (r * n + c)] = v[0]
    x[2 * (r * n + c) + 1] = v[1]
  }
})

/** zlarfg on (alpha, x[1..len)) stored in v (interleaved): returns tau; v[0] becomes the real beta. */
export const zlarfg = (v: Float64Array, len: number): C => {
  let xn2 = 0
  for (let i = 1; i < len; i++) xn2 += v[2 * i]! ** 2 + v[2 * i + 1]! ** 2
  const ar = v[0]!
  const ai = v[1]!
  if (xn2 === 0 && ai === 0) return [0, 0]
  const norm = Math.sqrt(ar * ar + ai * ai + xn2)
  const beta = ar >= 0 ? -norm : norm
  const scale = cdiv([1, 0], [ar - beta, ai])
  for (let i = 1; i < len; i++) {
    const [re, im] = cmul([v[2 * i]!, v[2 * i + 1]!], scale)
    v[2 * i] = re
    v[2 * i + 1] = im
  }
  v[0] = beta
  v[1] = 0
  return [(beta - ar) / beta, -ai / beta]
}
