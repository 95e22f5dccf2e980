/**
 * eigh: eigenvectors v (columns) and eigenvalues w of each real symmetric or complex Hermitian
 * matrix of a batch, reading the triangle named by `lower`; w is real (float32 for complex64),
 * ascending with `sortEigenvalues`. jvp: JAX's rule, with dA first made symmetric (Hermitian)
 * from the triangle the primitive reads: dw = real(diag(V^H dA V)) and dV = V (F * V^H dA V), F_ij = 1/(w_j - w_i) off the diagonal and 0 where eigenvalues are equal
 * (JAX's degenerate behaviour).
 */
import { type Array, ShapedArray } from "../../array.js"
import { isComplex } from "../../dtype.js"
import { definePrimitive } from "../../primitive.js"
import { checkFlag } from "../../shape.js"
import { bind } from "../../trace.js"
import { real } from "../complex.js"
import { add, integerPow, mul, sub } from "../elementwise.js"
import { reduceSum } from "../reduce.js"
import { broadcastInDim } from "../shape-ops.js"
import { asDTypeOf, checkMatrix, eyeOf, leadingBatch, mH, mm, realDType, symmetricFrom } from "./common.js"

export interface EighParams {
  readonly lower: boolean
  readonly sortEigenvalues: boolean
  readonly [k: string]: unknown
}

export const eighP = definePrimitive<EighParams>(
  "eigh",
  ([a], { lower, sortEigenvalues }) => {
    checkFlag(lower, "eigh: lower")
    checkFlag(sortEigenvalues, "eigh: sortEigenvalues")
    const [n] = checkMatrix(a, "eigh", true)
    return [new ShapedArray(a!.shape, a!.dtype, a!.weakType), new ShapedArray([...a!.shape.slice(0, -2), n], realDType(a!.dtype), a!.weakType)]
  },
  true
)
eighP.printParams = (p) => [
  ["lower", p.lower ? "True" : "False"],
  ["sort_eigenvalues", p.sortEigenvalues ? "True" : "False"],
  ["subset_by_index", "None"]
]

/** [v, w] of each matrix. */
export const eighRaw = (a: Array, lower: boolean, sortEigenvalues: boolean): [Array, Array] => {
  const [v, w] = bind(eighP, [a], { lower, sortEigenvalues })
  return [v!, w!]
}

/** The diagonal of each matrix: [..., n, n] -> [..., n]. */
export const diagonalOf = (x: Array): Array => {
  const n = x.shape[x.ndim - 1]!
  return reduceSum(mul(x, eyeOf(n, x.dtype, x.shape.slice(0, -2))), [x.ndim - 1])
}

/** JAX's tangents [dv, dw] of eigh's outputs (v, w) for an input tangent adot, used as given. */
export const eighTangents = (v: Array, wReal: Array, adot: Array): [Array, Array] => {
  const n = v.shape[v.ndim - 1]!
  const batch = v.shape.slice(0, -2)
  const nb = batch.length
  const eye = eyeOf(n, v.dtype, batch)
  const w = asDTypeOf(wReal, v)
  const wRow = broadcastInDim(w, [...batch, n, n], [...batch.map((_, i) => i), nb + 1])
  const wCol = broadcastInDim(w, [...batch, n, n], [...batch.map((_, i) => i), nb])
  const fmat = sub(integerPow(add(eye, sub(wRow, wCol)), -1), eye)
  const vtav = mm(mm(mH(v), adot), v)
  const dw = diagonalOf(vtav)
  return [mm(v, mul(fmat, vtav)), isComplex(dw.dtype) ? real(dw) : dw]
}

eighP.jvp = ([a], [t], p) => {
  const [v, w] = eighRaw(a!, p.lower, p.sortEigenvalues)
  return [[v, w], eighTangents(v, w, symmetricFrom(t!, p.lower))]
}
eighP.batch = leadingBatch(eighP)
