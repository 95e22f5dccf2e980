/**
 * Index maps: how a value of some shape is addressed from the loop indices of a kernel's domain.
 * Each dimension k of the value is an affine function of the domain indices,
 *   j_k = off[k] + sum_d coef[k][d] * i_d,
 * so broadcasts (zero rows), transposes (permuted rows), reversals (n - 1 - row) and static
 * slices (start + step * row) compose by rewriting rows. A reshape only preserves the linear
 * (row-major) position; it maps back to rows when that position splits into the new dimensions
 * without carries (`fromAffine`), and otherwise the producer is materialized.
 * Dimensions of size 1 always have zero rows.
 */
import { type Affine, rowMajorStrides } from "./ir.js"

export interface IndexMap {
  readonly off: ReadonlyArray<number>
  readonly coef: ReadonlyArray<ReadonlyArray<number>>
}

const zeros = (n: number): number[] => new globalThis.Array<number>(n).fill(0)

/** Rows `dims[k]` -> unit vector on that domain dimension (value dim k iterates domain dim dims[k]). */
export const unitMap = (shape: ReadonlyArray<number>, dims: ReadonlyArray<number>, rank: number): IndexMap => {
  const off = zeros(shape.length)
  const coef = shape.map((n, k) => {
    const row = zeros(rank)
    if (n !== 1) row[dims[k]!] = 1
    return row
  })
  return { off, coef }
}

/** The linear (row-major) position in a value of `shape` addressed by `m`. */
export const toAffine = (m: IndexMap, shape: ReadonlyArray<number>, rank: number): Affine => {
  const st = rowMajorStrides(shape)
  let offset = 0
  const strides = zeros(rank)
  for (let k = 0; k < shape.length; k++) {
    const s = st[k]!
    offset += m.off[k]! * s
    const row = m.coef[k]!
    for (let d = 0; d < rank; d++) strides[d]! += row[d]! * s
  }
  return { offset, strides }
}

/**
 * Rows for a value of `shape` whose linear position is `a` (over a domain of sizes `domain`), or
 * null when the position does not split into the dimensions of `shape` without carries.
 */
export const fromAffine = (a: Affine, shape: ReadonlyArray<number>, domain: ReadonlyArray<number>): IndexMap | null => {
  const rank = domain.length
  const st = rowMajorStrides(shape)
  const total = st.length === 0 ? 1 : st[0]! * shape[0]!
  const off = zeros(shape.length)
  const coef = shape.map(() => zeros(rank))
  // an empty value is never read
  if (shape.some((n) => n === 0)) return { off, coef }
  // constant part: mixed-radix digits
  let c = a.offset
  if (c < 0 || (c > 0 && c >= total)) return null
  for (let k = 0; k < shape.length; k++) {
    if (shape[k] === 1) continue
    const digit = Math.floor(c / st[k]!)
    off[k] = digit
    c -= digit * st[k]!
  }
  for (let d = 0; d < rank; d++) {
    const g = a.strides[d]!
    // a dimension of size 1 (or 0) never moves the position
    if (g === 0 || domain[d]! <= 1) continue
    const ag = Math.abs(g)
    let placed = false
    for (let k = 0; k < shape.length; k++) {
      const n = shape[k]!
      if (n === 1) continue
      const s = st[k]!
      if (ag >= s && ag < s * n) {
        if (ag % s !== 0) return null
        coef[k]![d] = g / s
        placed = true
        break
      }
    }
    if (!placed) return null
  }
  // every digit must stay within its dimension over the whole domain (then there are no carries)
  for (let k = 0; k < shape.length; k++) {
    let lo = off[k]!
    let hi = off[k]!
    const row = coef[k]!
    for (let d = 0; d < rank; d++) {
      const span = row[d]! * Math.max(0, domain[d]! - 1)
      if (span < 0) lo += span
      else hi += span
    }
    if (lo < 0 || hi > shape[k]! - 1) return null
  }
  return { off, coef }
}

/** Rows of an operand of `inShape` broadcast (NumPy-style, equal rank or rank 0) to the value addressed by `m`. */
export const broadcastOperand = (m: IndexMap, outShape: ReadonlyArray<number>, inShape: ReadonlyArray<number>, rank: number): IndexMap => {
  if (inShape.length === 0) return { off: [], coef: [] }
  let same = inShape.length === outShape.length
  for (let k = 0; same && k < inShape.length; k++) if (inShape[k] !== outShape[k]) same = false
  if (same) return m
  return {
    off: inShape.map((n, k) => (n === 1 ? 0 : m.off[k]!)),
    coef: inShape.map((n, k) => (n === 1 ? zeros(rank) : m.coef[k]!))
  }
}

/** broadcast_in_dim: operand dimension k is output dimension `dims[k]` (or broadcast when of size 1). */
export const broadcastInDimOperand = (m: IndexMap, inShape: ReadonlyArray<number>, dims: ReadonlyArray<number>, rank: number): IndexMap => ({
  off: inShape.map((n, k) => (n === 1 ? 0 : m.off[dims[k]!]!)),
  coef: inShape.map((n, k) => (n === 1 ? zeros(rank) : m.coef[dims[k]!]!))
})

/** transpose: output dimension i is operand dimension perm[i]. */
export const transposeOperand = (m: IndexMap, perm: ReadonlyArray<number>): IndexMap => {
  const off: number[] = zeros(perm.length)
  const coef: ReadonlyArray<number>[] = new globalThis.Array<ReadonlyArray<number>>(perm.length)
  perm.forEach((p, i) => {
    off[p] = m.off[i]!
    coef[p] = m.coef[i]!
  })
  return { off, coef }
}

/** rev: the listed dimensions run backwards. */
export const revOperand = (m: IndexMap, shape: ReadonlyArray<number>, dims: ReadonlyArray<number>): IndexMap => ({
  off: m.off.map((o, k) => (dims.includes(k) && shape[k]! > 1 ? shape[k]! - 1 - o : o)),
  coef: m.coef.map((row, k) => (dims.includes(k) && shape[k]! > 1 ? row.map((c) => -c) : row))
})

/** slice: operand index = start + step * output index. */
export const sliceOperand = (m: IndexMap, inShape: ReadonlyArray<number>, start: ReadonlyArray<number>, step: ReadonlyArray<number>): IndexMap => ({
  off: inShape.map((n, k) => (n === 1 ? 0 : start[k]! + step[k]! * m.off[k]!)),
  coef: inShape.map((n, k) => (n === 1 ? m.coef[k]!.map(() => 0) : m.coef[k]!.map((c) => c * step[k]!)))
})

/** A string key identifying a map (for memoizing expansions). */
export const mapKey = (m: IndexMap): string => {
  let s = ""
  for (let k = 0; k < m.off.length; k++) s += `${m.off[k]}:${m.coef[k]!.join(",")};`
  return s
}

export const affineEquals = (a: Affine, b: Affine, domain: ReadonlyArray<number>): boolean => {
  if (a.offset !== b.offset) return false
  for (let d = 0; d < domain.length; d++) {
    // a dimension of size 1 (or 0) contributes nothing whatever its stride
    if (domain[d]! > 1 && a.strides[d] !== b.strides[d]) return false
  }
  return true
}

/**
 * Where `fromAffine(a, shape, domain)` fails because one domain dimension runs across a
 * boundary of `shape` (a flat loop over a reshaped array), the split of that dimension that makes
 * it succeed: `[d, q]` splits dimension d into (domain[d] / q, q). Splitting a domain dimension
 * keeps the row-major order of the domain, so a kernel may iterate any refinement of its domain.
 */
export const splitFor = (a: Affine, shape: ReadonlyArray<number>, domain: ReadonlyArray<number>): readonly [number, number] | null => {
  const st = rowMajorStrides(shape)
  for (let d = 0; d < domain.length; d++) {
    const g = Math.abs(a.strides[d]!)
    const n = domain[d]!
    if (g === 0 || n <= 1) continue
    for (let k = 0; k < shape.length; k++) {
      const size = shape[k]!
      const s = st[k]!
      if (size === 1 || g < s || g >= s * size || g % s !== 0) continue
      const m = g / s
      if (m * n <= size || size % m !== 0) break
      const q = size / m
      if (q > 1 && n % q === 0) return [d, q]
      break
    }
  }
  return null
}
