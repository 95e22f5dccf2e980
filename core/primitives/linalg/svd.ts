/**
 * svd: singular values s (descending, real: float32 for complex64) and, with `computeUv`, u and
 * vt (vh for complex input) of each real or complex m x n matrix of a batch; u is m x m and vt n x n
 * with `fullMatrices`, else m x k and k x n (k = min(m, n)). Outputs [s, u, vt] or [s]. jvp: JAX's
 * rule (reduced factors; full ones only for square matrices): with dS = U^H dA V,
 * ds = real(diag(dS)); dU and dV from F_ij = 1/(s_j^2 - s_i^2)
 * (0 where equal) plus the components outside the range of U or V for non-square matrices.
 */
import { type Array, ShapedArray } from "../../array.js"
import { isComplex } from "../../dtype.js"
import { ValueError } from "../../errors.js"
import { definePrimitive } from "../../primitive.js"
import { checkFlag, showShape } from "../../shape.js"
import { bind } from "../../trace.js"
import { constant } from "../common.js"
import { real } from "../complex.js"
import { add, convertElementType, div, eq, mul, sub } from "../elementwise.js"
import { broadcastInDim } from "../shape-ops.js"
import { asDTypeOf, checkMatrix, eyeOf, leadingBatch, mH, mm, realDType } from "./common.js"
import { diagonalOf } from "./eigh.js"

export interface SvdParams {
  readonly fullMatrices: boolean
  readonly computeUv: boolean
  readonly [k: string]: unknown
}

export const svdP = definePrimitive<SvdParams>(
  "svd",
  ([a], { fullMatrices, computeUv }) => {
    checkFlag(fullMatrices, "svd: fullMatrices")
    checkFlag(computeUv, "svd: computeUv")
    const [m, n] = checkMatrix(a, "svd", false)
    const k = Math.min(m, n)
    const batch = a!.shape.slice(0, -2)
    const s = new ShapedArray([...batch, k], realDType(a!.dtype), a!.weakType)
    if (!computeUv) return [s]
    return [
      s,
      new ShapedArray([...batch, m, fullMatrices ? m : k], a!.dtype, a!.weakType),
      new ShapedArray([...batch, fullMatrices ? n : k, n], a!.dtype, a!.weakType)
    ]
  },
  true
)
svdP.printParams = (p) => [
  ["full_matrices", p.fullMatrices ? "True" : "False"],
  ["compute_uv", p.computeUv ? "True" : "False"],
  ["subset_by_index", "None"]
]

/** [s, u, vt] (or [s]) of each matrix. */
export const svdRaw = (a: Array, fullMatrices: boolean, computeUv: boolean): Array[] => [...bind(svdP, [a], { fullMatrices, computeUv })]

svdP.jvp = ([a], [da], { fullMatrices, computeUv }) => {
  const m = a!.shape[a!.ndim - 2]!
  const n = a!.shape[a!.ndim - 1]!
  if (computeUv && fullMatrices && m !== n) {
    throw new ValueError(
      `the derivative of svd with fullMatrices is defined (as in JAX) only for square matrices, got shape ${showShape(a!.shape)}; ` +
        "use fullMatrices false (the extra columns of a full U or V are not unique)."
    )
  }
  const [sReal, U, Vt] = svdRaw(a!, false, true) as [Array, Array, Array]
  const dtype = a!.dtype
  const batch = a!.shape.slice(0, -2)
  const nb = batch.length
  const k = Math.min(m, n)
  const bd = batch.map((_, i) => i)
  // JAX computes F and 1/s in s's real dtype and casts them to A's; the same values here.
  const s = asDTypeOf(sReal, a!)
  const sRow = broadcastInDim(s, [...batch, k, k], [...bd, nb + 1]) // s_j at [i, j]
  const sCol = broadcastInDim(s, [...batch, k, k], [...bd, nb]) // s_i at [i, j]
  const V = mH(Vt)
  const dS = mm(mm(mH(U), da!), V)
  const dsFull = diagonalOf(dS)
  const ds = isComplex(dtype) ? real(dsFull) : dsFull
  if (!computeUv) return [[sReal], [ds]]
  const zero = constant(0, dtype)
  const one = constant(1, dtype)
  const sDiffs = mul(add(sRow, sCol), sub(sRow, sCol))
  const sDiffsZeros = convertElementType(eq(sDiffs, zero), dtype)
  const F = sub(div(one, add(sDiffs, sDiffsZeros)), sDiffsZeros)
  const dSS = mul(sRow, dS)
  const SdS = mul(sCol, dS)
  const sZeros = convertElementType(eq(s, zero), dtype)
  const sInv = sub(div(one, add(s, sZeros)), sZeros)
  const sInvMat = mul(eyeOf(k, dtype, batch), broadcastInDim(sInv, [...batch, k, k], [...bd, nb + 1]))
  const dUdVdiag = mul(mul(constant(0.5, dtype), sub(dS, mH(dS))), sInvMat)
  let dU = mm(U, add(mul(F, add(dSS, mH(dSS))), dUdVdiag))
  let dV = mm(V, mul(F, add(SdS, mH(SdS))))
  const sDim = (rows: number) => broadcastInDim(s, [...batch, rows, k], [...bd, nb + 1])
  if (m > n) {
    const dAV = mm(da!, V)
    dU = add(dU, div(sub(dAV, mm(U, mm(mH(U), dAV))), sDim(m)))
  }
  if (n > m) {
    const dAHU = mm(mH(da!), U)
    dV = add(dV, div(sub(dAHU, mm(V, mm(Vt, dAHU))), sDim(n)))
  }
  return [
    [sReal, U, Vt],
    [ds, dU, mH(dV)]
  ]
}
svdP.batch = leadingBatch(svdP)
