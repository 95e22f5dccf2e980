/** The CPU's linear-algebra routines (lax.linalg's primitives), by primitive name. */
import type { Kernel } from "../kernel.js"
import { cholesky } from "./cholesky.js"
import { eigParts } from "./eig.js"
import { eigh } from "./eigh.js"
import { lu, luPivotsToPermutation } from "./lu.js"
import { linalgParts } from "./parts.js"
import { qr } from "./qr.js"
import { schur, schurParts } from "./schur.js"
import { svd } from "./svd.js"
import { triangularSolve } from "./triangular-solve.js"
import { tridiagonalSolve } from "./tridiagonal-solve.js"

export const linalgKernels: Readonly<Record<string, Kernel>> = {
  cholesky,
  triangular_solve: triangularSolve,
  lu,
  lu_pivots_to_permutation: luPivotsToPermutation,
  qr,
  eig_parts: eigParts,
  eigh,
  svd,
  schur,
  schur_parts: schurParts,
  tridiagonal_solve: tridiagonalSolve,
  linalg_parts: linalgParts
}
