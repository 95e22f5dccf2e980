/** `jax.scipy.linalg.qr`: QR with scipy's modes ("full", "economic", "r") and column pivoting. */
import type { Array } from "../../array.js"
import * as L from "../../lax/linalg.js"
import { checkOneOf, checkOptions } from "../../options.js"
import { type ArrayLike } from "../../numpy/coerce.js"
import { checkMatrices, inexactOrComplex } from "../../numpy/linalg/common.js"

export interface QrOptions {
  /** "full" (default): q m x m, r m x n; "economic": q m x k, r k x n; "r": r alone (m x n). */
  readonly mode?: "full" | "economic" | "r"
  /** Column pivoting (default false): also return p with a[:, p] = q r (LAPACK's geqp3 choice). */
  readonly pivoting?: boolean
}

/**
 * `jax.scipy.linalg.qr`: `[q, r]` with a = q r; `[r]` with mode "r"; with `pivoting` the column
 * permutation p is appended (a[:, p] = q r), as scipy returns it.
 *
 * @example
 * const [q, r] = scipy.linalg.qr([[3, 1], [4, 2]]) // r [[-5, -2.2], [0, 0.4]]
 * const [q2, r2, p] = scipy.linalg.qr([[1, 3], [0, 4]], { pivoting: true }) // p [1, 0]
 */
export function qr(a: ArrayLike, options: QrOptions & { readonly mode: "r"; readonly pivoting: true }): [Array, Array]
export function qr(a: ArrayLike, options: QrOptions & { readonly mode: "r" }): [Array]
export function qr(a: ArrayLike, options: QrOptions & { readonly pivoting: true }): [Array, Array, Array]
export function qr(a: ArrayLike, options?: QrOptions): [Array, Array]
export function qr(a: ArrayLike, options?: QrOptions): Array[] {
  const { mode = "full", pivoting = false } = checkOptions("scipy.linalg.qr", options, ["mode", "pivoting"]) ?? {}
  checkOneOf("scipy.linalg.qr", "mode", mode, ["full", "economic", "r"])
  const x = inexactOrComplex(a)
  checkMatrices(x, "scipy.linalg.qr")
  const fullMatrices = mode !== "economic"
  const [q, r, p] = pivoting ? L.qr(x, { fullMatrices, pivoting: true }) : [...L.qr(x, { fullMatrices }), undefined]
  const head = mode === "r" ? [r] : [q, r]
  return p === undefined ? head : [...head, p]
}
