/**
 * tridiagonal_solve: x with A x = b for tridiagonal A given by its sub-diagonal dl (dl[0] unused),
 * diagonal d and super-diagonal du (du[m-1] unused), each [..., m], and b [..., m, n]. Linear in
 * b (the transpose solves the transposed system: dl and du swap, shifted); JAX's jvp:
 * dx = solve(A, db - dA x).
 */
import { type Array, ShapedArray } from "../../array.js"
import { DTypeError, ShapeError } from "../../errors.js"
import { definePrimitive, UndefPrimal, Zero } from "../../primitive.js"
import { showShape } from "../../shape.js"
import { bind1 } from "../../trace.js"
import { constant } from "../common.js"
import { add, mul, sub } from "../elementwise.js"
import { broadcastInDim, concatenate, slice } from "../shape-ops.js"
import { checkMatrix, leadingBatch, sameShape } from "./common.js"

export type TridiagonalSolveParams = Readonly<Record<string, never>>

export const tridiagonalSolveP = definePrimitive<TridiagonalSolveParams>("tridiagonal_solve", ([dl, d, du, b]) => {
  checkMatrix(b, "tridiagonal_solve", false)
  for (const [x, name] of [
    [dl, "dl"],
    [d, "d"],
    [du, "du"]
  ] as const) {
    if (x === undefined || !sameShape(x.shape, b!.shape.slice(0, -1))) {
      throw new ShapeError(
        `tridiagonal_solve: ${name} must have shape ${showShape(b!.shape.slice(0, -1))} (b's shape without its last axis), got ${x === undefined ? "nothing" : showShape(x.shape)}.`
      )
    }
    if (x.dtype !== b!.dtype) throw new DTypeError(`tridiagonal_solve: ${name} and b must share a dtype, got ${x.dtype} and ${b!.dtype}.`)
  }
  return [new ShapedArray(b!.shape, b!.dtype, b!.weakType)]
})

export const tridiagonalSolve = (dl: Array, d: Array, du: Array, b: Array): Array => bind1(tridiagonalSolveP, [dl, d, du, b], {})

/** A b for the tridiagonal A = (dl, d, du): y[i] = dl[i] b[i-1] + d[i] b[i] + du[i] b[i+1]. */
const tridiagonalProduct = (dl: Array, d: Array, du: Array, b: Array): Array => {
  const nb = b.ndim - 2
  const m = b.shape[nb]!
  const n = b.shape[nb + 1]!
  const col = (v: Array) => broadcastInDim(v, b.shape, [...v.shape.map((_, i) => i)])
  const lo = b.shape.map(() => 0)
  const zeroRow = constant(0, b.dtype, [...b.shape.slice(0, nb), 1, n])
  if (m === 0) return b
  const down = concatenate([zeroRow, slice(b, lo, [...b.shape.slice(0, nb), m - 1, n])], nb) // b[i-1]
  const up = concatenate([slice(b, [...lo.slice(0, nb), 1, 0], b.shape), zeroRow], nb) // b[i+1]
  return add(add(mul(col(dl), down), mul(col(d), b)), mul(col(du), up))
}

tridiagonalSolveP.jvp = ([dl, d, du, b], [tdl, td, tdu, tb]) => {
  const x = tridiagonalSolve(dl!, d!, du!, b!)
  const rhs = sub(tb!, tridiagonalProduct(tdl!, td!, tdu!, x))
  return [[x], [tridiagonalSolve(dl!, d!, du!, rhs)]]
}
tridiagonalSolveP.transpose = ([ct], [dl, d, du, b]) => {
  if (!(b instanceof UndefPrimal)) return [null, null, null, null]
  if (dl instanceof UndefPrimal || d instanceof UndefPrimal || du instanceof UndefPrimal) throw new Error("tridiagonal_solve is linear in b only") // internal invariant
  if (ct instanceof Zero) return [null, null, null, new Zero(b.aval)]
  const l = dl as Array
  const u = du as Array
  const nb = l.ndim - 1
  const m = l.shape[nb]!
  const lo = l.shape.map(() => 0)
  const zero = constant(0, l.dtype, [...l.shape.slice(0, nb), 1])
  const dlT = m === 0 ? l : concatenate([zero, slice(u, lo, [...l.shape.slice(0, nb), m - 1])], nb)
  const duT = m === 0 ? u : concatenate([slice(l, [...lo.slice(0, nb), 1], l.shape), zero], nb)
  return [null, null, null, tridiagonalSolve(dlT, d as Array, duT, ct!)]
}
tridiagonalSolveP.batch = leadingBatch(tridiagonalSolveP)
