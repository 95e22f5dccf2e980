/**
 * schur: the Schur decomposition A = Z T Z^H of each square matrix of a batch, as LAPACK's gees
 * computes it on JAX's CPU (no eigenvalue sorting): for real input the real Schur form (T
 * quasi-upper-triangular, 2 x 2 blocks in standard form for complex pairs, Z orthogonal), for
 * complex input the complex one (T upper triangular, Z unitary). No derivative (JAX has none).
 *
 * The CPU computes a complex input as `schur_parts`, the same decomposition on the two real parts,
 * whose outputs (real and imaginary parts of T and Z) the complex rewrite reassembles.
 */
import { type Array, ShapedArray } from "../../array.js"
import { complexPartDType, isComplex, isFloat } from "../../dtype.js"
import { DTypeError, ShapeError } from "../../errors.js"
import { definePrimitive } from "../../primitive.js"
import { checkFlag, showShape } from "../../shape.js"
import { bind } from "../../trace.js"
import { leadingBatch } from "./common.js"

export interface SchurParams {
  /** Also return the Schur vectors Z. */
  readonly computeSchurVectors: boolean
  readonly [k: string]: unknown
}

const checkSquare = (a: ShapedArray | undefined, name: string): void => {
  if (a === undefined || a.ndim < 2)
    throw new ShapeError(`${name} needs square matrices of shape (..., n, n), got ${a === undefined ? "nothing" : showShape(a.shape)}.`)
  if (!isFloat(a.dtype) && !isComplex(a.dtype))
    throw new DTypeError(`${name} takes float or complex matrices, got ${a.dtype}; cast with astype("float32") first.`)
  if (a.shape[a.ndim - 2] !== a.shape[a.ndim - 1]) throw new ShapeError(`${name} needs square matrices (shape (..., n, n)), got shape ${showShape(a.shape)}.`)
}

export const schurP = definePrimitive<SchurParams>(
  "schur",
  ([a], { computeSchurVectors }) => {
    checkFlag(computeSchurVectors, "schur: computeSchurVectors")
    checkSquare(a, "schur")
    const t = new ShapedArray(a!.shape, a!.dtype)
    return computeSchurVectors ? [t, t] : [t]
  },
  true
)
schurP.printParams = (p) => [
  ["compute_schur_vectors", p.computeSchurVectors ? "True" : "False"],
  ["select_callable", "None"],
  ["sort_eig_vals", "False"]
]
schurP.batch = leadingBatch(schurP)

/** [t, z?] of each matrix. */
export const schurRaw = (a: Array, computeSchurVectors: boolean): ReadonlyArray<Array> => bind(schurP, [a], { computeSchurVectors })

/** schur of a complex matrix given as its two real parts: [tRe, tIm, zRe?, zIm?] (the CPU's lowering). */
export const schurPartsP = definePrimitive<SchurParams>(
  "schur_parts",
  (avals, { computeSchurVectors }) => {
    checkFlag(computeSchurVectors, "schur_parts: computeSchurVectors")
    const [re, im] = avals
    checkSquare(re, "schur_parts")
    if (isComplex(re!.dtype) || im === undefined || im.dtype !== re!.dtype || showShape(im.shape) !== showShape(re!.shape))
      throw new DTypeError("schur_parts takes a complex matrix as two real arrays of one shape and dtype (re, im).")
    const t = new ShapedArray(re!.shape, complexPartDType(re!.dtype) === re!.dtype ? re!.dtype : re!.dtype)
    return computeSchurVectors ? [t, t, t, t] : [t, t]
  },
  true
)
schurPartsP.batch = leadingBatch(schurPartsP)
