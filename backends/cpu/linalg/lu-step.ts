/**
 * One column step of LU with partial pivoting on a row-major m x n matrix at `off`: pick the row of
 * largest magnitude in column j (the first such), swap whole rows (and the permutation), scale the
 * column below the pivot and update columns j+1..cEnd-1 (the whole row for the unblocked
 * factorization, the panel for the blocked one). A zero pivot leaves its column unscaled.
 */
type Floats = Float32Array | Float64Array

export const luColumnStep = (
  W: Floats,
  off: number,
  m: number,
  n: number,
  j: number,
  cEnd: number,
  piv: Int32Array,
  pivAt: number,
  perm: Int32Array,
  permOff: number
): void => {
  let best = j
  let mag = Math.abs(W[off + j * n + j]!)
  for (let i = j + 1; i < m; i++) {
    const v = Math.abs(W[off + i * n + j]!)
    if (v > mag) {
      mag = v
      best = i
    }
  }
  piv[pivAt] = best
  if (best !== j) {
    const r1 = off + j * n
    const r2 = off + best * n
    for (let c = 0; c < n; c++) {
      const t = W[r1 + c]!
      W[r1 + c] = W[r2 + c]!
      W[r2 + c] = t
    }
    const t = perm[permOff + j]!
    perm[permOff + j] = perm[permOff + best]!
    perm[permOff + best] = t
  }
  const rj = off + j * n
  const d = W[rj + j]!
  if (d === 0) return
  for (let i = j + 1; i < m; i++) {
    const ri = off + i * n
    W[ri + j] = W[ri + j]! / d
    const f = W[ri + j]!
    if (f === 0) continue
    for (let c = j + 1; c < cEnd; c++) W[ri + c] = W[ri + c]! - f * W[rj + c]!
  }
}
