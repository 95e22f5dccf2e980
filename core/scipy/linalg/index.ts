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
export {
  cholesky,
  type CholeskyOptions,
  det,
  eigh,
  type EighOptions,
  inv,
  lu,
  type LuOptions,
  polar,
  type PolarOptions,
  solve,
  type SolveOptions,
  svd,
  type SvdOptions
} from "./decompositions.js"
export {
  circulant,
  companion,
  convolutionMatrix,
  type ConvolutionMode,
  dft,
  type DftOptions,
  fiedler,
  fiedlerCompanion,
  hadamard,
  type HadamardOptions,
  hankel,
  helmert,
  type HelmertOptions,
  hilbert,
  invhilbert,
  invpascal,
  leslie,
  pascal,
  type PascalKind,
  toeplitz
} from "./special-matrices.js"
