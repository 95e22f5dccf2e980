/** `scipy.linalg` (JAX's jax.scipy.linalg): triangular, Cholesky and LU solvers, expm, blockDiag, qr. */
export { blockDiag } from "./block-diag.js"
export { expm } from "./expm.js"
export { qr, type QrOptions } from "./qr.js"
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
