/**
 * LAPACK's balancing of a general matrix before eig and Schur (dgebal/zgebal, LAPACK 3.12's
 * loops) and its undoing on vectors (dgebak/zgebak), in float64 on row-major matrices whose
 * entries are `width` floats (1 real, 2 an interleaved complex). First a permutation isolates
 * eigenvalues (rows that are zero left of the diagonal go to the bottom, columns that are zero
 * below it to the top), leaving the active block ilo..ihi; then, with job "B", powers of two scale
 * the rows and columns of that block so their norms are close. The matrix of a Schur form is
 * only permuted (job "P"), which keeps the transformation orthogonal.
 */

export interface Balancing {
  /** The active block is rows and columns ilo..ihi (inclusive, 0-based). */
  readonly ilo: number
  readonly ihi: number
  /** Row scale factors: D in A <- D^-1 A D (1 outside ilo..ihi and with job "P"). */
  readonly scale: Float64Array
  /** perm[j]: the row swapped with row j when j was isolated (j outside ilo..ihi). */
  readonly perm: Int32Array
}

const SCLFAC = 2
const FACTOR = 0.95
const SFMIN1 = 2 ** -1022 / 2 ** -53
const SFMAX1 = 1 / SFMIN1
const SFMIN2 = SFMIN1 * SCLFAC
const SFMAX2 = 1 / SFMIN2

/** Balance `a` (n x n, in place). */
export const gebal = (a: Float64Array, n: number, width: 1 | 2, job: "B" | "P"): Balancing => {
  const at = (r: number, c: number): number => width * (r * n + c)
  const nonzero = (r: number, c: number): boolean => a[at(r, c)] !== 0 || (width === 2 && a[at(r, c) + 1] !== 0)
  const abs = (r: number, c: number): number => (width === 1 ? Math.abs(a[at(r, c)]!) : Math.hypot(a[at(r, c)]!, a[at(r, c) + 1]!))
  // |re| + |im|, the measure by which i(d|z)amax picks the largest entry
  const abs1 = (r: number, c: number): number => (width === 1 ? Math.abs(a[at(r, c)]!) : Math.abs(a[at(r, c)]!) + Math.abs(a[at(r, c) + 1]!))
  const swapCols = (i: number, j: number, rows: number): void => {
    for (let r = 0; r < rows; r++)
      for (let w = 0; w < width; w++) {
        const t = a[at(r, i) + w]!
        a[at(r, i) + w] = a[at(r, j) + w]!
        a[at(r, j) + w] = t
      }
  }
  const swapRows = (i: number, j: number, from: number): void => {
    for (let c = from; c < n; c++)
      for (let w = 0; w < width; w++) {
        const t = a[at(i, c) + w]!
        a[at(i, c) + w] = a[at(j, c) + w]!
        a[at(j, c) + w] = t
      }
  }
  const scale = new Float64Array(n).fill(1)
  const perm = Int32Array.from({ length: n }, (_, i) => i)
  if (n === 0) return { ilo: 0, ihi: -1, scale, perm }
  let k = 0
  let l = n - 1
  // rows isolating an eigenvalue go down
  let noconv = true
  while (noconv) {
    noconv = false
    for (let i = l; i >= 0; i--) {
      let canSwap = true
      for (let j = 0; j <= l; j++) {
        if (i !== j && nonzero(i, j)) {
          canSwap = false
          break
        }
      }
      if (!canSwap) continue
      perm[l] = i
      if (i !== l) {
        swapCols(i, l, l + 1)
        swapRows(i, l, k)
      }
      noconv = true
      if (l === 0) return { ilo: 0, ihi: 0, scale, perm }
      l--
    }
  }
  // columns isolating an eigenvalue go left
  noconv = true
  while (noconv) {
    noconv = false
    for (let j = k; j <= l; j++) {
      let canSwap = true
      for (let i = k; i <= l; i++) {
        if (i !== j && nonzero(i, j)) {
          canSwap = false
          break
        }
      }
      if (!canSwap) continue
      perm[k] = j
      if (j !== k) {
        swapCols(j, k, l + 1)
        swapRows(j, k, k)
      }
      noconv = true
      k++
    }
  }
  if (job === "P") return { ilo: k, ihi: l, scale, perm }
  // scaling of the active block by powers of two
  noconv = true
  while (noconv) {
    noconv = false
    for (let i = k; i <= l; i++) {
      let c = 0
      let r = 0
      for (let j = k; j <= l; j++) {
        c = Math.hypot(c, abs(j, i))
        r = Math.hypot(r, abs(i, j))
      }
      let ica = 0
      for (let j = 1; j <= l; j++) if (abs1(j, i) > abs1(ica, i)) ica = j
      let ca = abs(ica, i)
      let ira = k
      for (let j = k + 1; j < n; j++) if (abs1(i, j) > abs1(i, ira)) ira = j
      let ra = abs(i, ira)
      if (c === 0 || r === 0) continue
      if (Number.isNaN(c + ca + r + ra)) return { ilo: k, ihi: l, scale, perm }
      let g = r / SCLFAC
      let f = 1
      const s = c + r
      while (c < g && Math.max(f, c, ca) < SFMAX2 && Math.min(r, g, ra) > SFMIN2) {
        f *= SCLFAC
        c *= SCLFAC
        ca *= SCLFAC
        r /= SCLFAC
        g /= SCLFAC
        ra /= SCLFAC
      }
      g = c / SCLFAC
      while (g >= r && Math.max(r, ra) < SFMAX2 && Math.min(f, c, g, ca) > SFMIN2) {
        f /= SCLFAC
        c /= SCLFAC
        g /= SCLFAC
        ca /= SCLFAC
        r *= SCLFAC
        ra *= SCLFAC
      }
      if (c + r >= FACTOR * s) continue
      if (f < 1 && scale[i]! < 1 && f * scale[i]! <= SFMIN1) continue
      if (f > 1 && scale[i]! > 1 && scale[i]! >= SFMAX1 / f) continue
      scale[i] = scale[i]! * f
      noconv = true
      for (let j = k; j < n; j++) for (let w = 0; w < width; w++) a[at(i, j) + w] = a[at(i, j) + w]! / f
      for (let j = 0; j <= l; j++) for (let w = 0; w < width; w++) a[at(j, i) + w] = a[at(j, i) + w]! * f
    }
  }
  return { ilo: k, ihi: l, scale, perm }
}

/**
 * dgebak's permutation step on one vector x of n entries of `width` floats (after its rows were
 * scaled by the balancing's `scale`): the rows swapped when isolating eigenvalues swap back.
 */
export const unpermute = (x: Float64Array, b: Balancing, width: number): void => {
  const n = b.perm.length
  for (let ii = 0; ii < n; ii++) {
    if (ii >= b.ilo && ii <= b.ihi) continue
    const i = ii < b.ilo ? b.ilo - 1 - ii : ii
    const k = b.perm[i]!
    if (k === i) continue
    for (let w = 0; w < width; w++) {
      const t = x[width * i + w]!
      x[width * i + w] = x[width * k + w]!
      x[width * k + w] = t
    }
  }
}
