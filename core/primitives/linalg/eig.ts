/**
 * eig: eigenvalues w and, when asked, left and right eigenvectors (columns of vl and vr) of each
 * square matrix of a batch, real or complex, with complex results (complex64 for float32 and
 * complex64 input, complex128 for float64 and complex128), as LAPACK's geev computes them on
 * JAX's CPU: w in the order the Schur form leaves them, conjugate pairs of a real matrix with the
 * positive imaginary part first, vectors of unit 2-norm with the largest entry real, u^H A = w u^H.
 * jvp: JAX's rules (eig-jvp.ts): the eigenvalues' diag(v^-1 dA v) always, the eigenvectors' only
 * with `enableEigvecDerivs`, as JAX refuses them unless asked to assume what it cannot check.
 *
 * The CPU computes it as `eig_parts`: the same decomposition on real buffers (a complex input as
 * its two parts), every complex output as a pair of real ones, which the complex rewrite of the
 * CPU backend (backends/cpu/complex.ts) reassembles.
 */
import { type Array, ShapedArray } from "../../array.js"
import { complexDTypeOf, complexPartDType, isComplex, isFloat } from "../../dtype.js"
import { DTypeError, ShapeError, ValueError } from "../../errors.js"
import { definePrimitive } from "../../primitive.js"
import { checkFlag, showShape } from "../../shape.js"
import { bind } from "../../trace.js"
import { conj } from "../complex.js"
import { leadingBatch, mT } from "./common.js"
import { complexTangent, eigvalsTangent, eigvecTangents } from "./eig-jvp.js"

export interface EigParams {
  readonly computeLeftEigenvectors: boolean
  readonly computeRightEigenvectors: boolean
  /** Let the eigenvectors be differentiated (JAX's enable_eigvec_derivs; the eigenvalues always are). */
  readonly enableEigvecDerivs: boolean
  readonly [k: string]: unknown
}

const checkSquare = (a: ShapedArray | undefined, name: string): number => {
  if (a === undefined || a.ndim < 2)
    throw new ShapeError(`${name} needs square matrices of shape (..., n, n), got ${a === undefined ? "nothing" : showShape(a.shape)}.`)
  if (!isFloat(a.dtype) && !isComplex(a.dtype))
    throw new DTypeError(`${name} takes float or complex matrices, got ${a.dtype}; cast with astype("float32") first.`)
  const n = a.shape[a.ndim - 1]!
  if (a.shape[a.ndim - 2] !== n) throw new ShapeError(`${name} needs square matrices (shape (..., n, n)), got shape ${showShape(a.shape)}.`)
  return n
}

export const eigP = definePrimitive<EigParams>(
  "eig",
  ([a], { computeLeftEigenvectors: left, computeRightEigenvectors: right, enableEigvecDerivs }) => {
    checkFlag(left, "eig: computeLeftEigenvectors")
    checkFlag(right, "eig: computeRightEigenvectors")
    checkFlag(enableEigvecDerivs, "eig: enableEigvecDerivs")
    checkSquare(a, "eig")
    const dtype = complexDTypeOf(a!.dtype)
    const w = new ShapedArray(a!.shape.slice(0, -1), dtype)
    const v = new ShapedArray(a!.shape, dtype)
    return [w, ...(left ? [v] : []), ...(right ? [v] : [])]
  },
  true
)
eigP.printParams = (p) => [
  ["compute_left_eigenvectors", p.computeLeftEigenvectors ? "True" : "False"],
  ["compute_right_eigenvectors", p.computeRightEigenvectors ? "True" : "False"],
  ["enable_eigvec_derivs", p.enableEigvecDerivs ? "True" : "False"],
  ["implementation", "None"]
]

/** [w, vl?, vr?] of each matrix. */
export const eigRaw = (a: Array, left: boolean, right: boolean, enableEigvecDerivs = false): ReadonlyArray<Array> =>
  bind(eigP, [a], { computeLeftEigenvectors: left, computeRightEigenvectors: right, enableEigvecDerivs })

eigP.jvp = ([a], [t], p) => {
  const left = p.computeLeftEigenvectors
  const right = p.computeRightEigenvectors
  if ((left || right) && !p.enableEigvecDerivs) {
    throw new ValueError(
      "the derivative of eig's eigenvectors is only valid when the eigenvalues are distinct and each eigenvector's largest entry is unique, " +
        "which JAX cannot check; pass { enableEigvecDerivs: true } to lax.linalg.eig to opt in (as JAX's enable_eigvec_derivs=True), " +
        "or differentiate only the eigenvalues (np.linalg.eigvals)."
    )
  }
  const outs = eigRaw(a!, left, true, p.enableEigvecDerivs)
  const w = outs[0]!
  const vr = outs[outs.length - 1]!
  const da = complexTangent(t!, w)
  if (!left && !right) return [[w], [eigvalsTangent(vr, da)]]
  const [dw, dvr] = eigvecTangents(w, vr, da)
  const primals = [w]
  const tangents = [dw]
  if (left) {
    primals.push(outs[1]!)
    tangents.push(eigvecTangents(conj(w), outs[1]!, conj(mT(da)))[1])
  }
  if (right) {
    primals.push(vr)
    tangents.push(dvr)
  }
  return [primals, tangents]
}
eigP.batch = leadingBatch(eigP)

export interface EigPartsParams extends EigParams {
  /** The input is a complex matrix given as two real arrays (re, im). */
  readonly complexInput: boolean
}

/**
 * eig on real arrays: [a] or [re, im] in, the real and imaginary parts of w, vl?, vr? out (each
 * a pair, of the part dtype). The CPU's lowering of eig inside its complex rewrite.
 */
export const eigPartsP = definePrimitive<EigPartsParams>(
  "eig_parts",
  (avals, p) => {
    checkFlag(p.complexInput, "eig_parts: complexInput")
    const a = avals[0]
    const n = checkSquare(a, "eig_parts")
    if (isComplex(a!.dtype)) throw new DTypeError("eig_parts takes real arrays (a complex matrix as its two parts).")
    const part = complexPartDType(complexDTypeOf(a!.dtype))
    const w = new ShapedArray([...a!.shape.slice(0, -2), n], part)
    const v = new ShapedArray(a!.shape, part)
    const count = 1 + (p.computeLeftEigenvectors ? 1 : 0) + (p.computeRightEigenvectors ? 1 : 0)
    return [w, w, ...globalThis.Array<ShapedArray>(2 * (count - 1)).fill(v)]
  },
  true
)
eigPartsP.batch = leadingBatch(eigPartsP)
