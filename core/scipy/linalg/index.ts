/** `scipy.linalg` (JAX's jax.scipy.linalg): triangular, Cholesky and LU solvers, expm, blockDiag, qr, schur. */
export { blockDiag } from "./block-diag.js"
export { expm } from "./expm.js"
export { qr, type QrOptions } from "./qr.js"
export { schur, type SchurOptions } from "./schur.js"
export {
  choFactor,
  type ChoFactorOptions,
  choSolve,
  luFactor,
  luSolve,
  type LuSolveOptions,
  solveTriangular,
  type SolveTriangularOptions,
  type Trans
} from "./solve.js"
