/**
 * `expm`: the matrix exponential by scaling and squaring with a Padé approximant (Higham 2005,
 * as JAX): degree 7 for float32 and 13 for float64, the matrix scaled by 2^-s so that its
 * 1-norm is below the degree's bound, then squared s times. s is data-dependent, so the squarings
 * are a fixed unrolled sequence (at most 24) each kept or skipped by a select: jit, vmap and grad
 * all apply.
 */
import type { Array } from "../../array.js"
import { checkMatrices, inexactOrComplex, realDTypeOf } from "../../numpy/linalg/common.js"
import { matrixNorm } from "../../numpy/linalg/norms.js"
import { solve } from "../../numpy/linalg/solve.js"
import { matmul } from "../../numpy/linalg.js"
import { eye } from "../../numpy/creation.js"
import { ceil, exp2, log2, maximum, where } from "../../numpy/math.js"
import { broadcastTo, expandDims } from "../../numpy/shape.js"
import type { ArrayLike } from "../../numpy/coerce.js"

const MAX_SQUARINGS = 24
const PADE7 = [17297280, 8648640, 1995840, 277200, 25200, 1512, 56, 1]
const PADE13 = [
  64764752532480000, 32382376266240000, 7771770303897600, 1187353796428800, 129060195264000, 10559470521600, 670442572800, 33522128640, 1323241920, 40840800,
  960960, 16380, 182, 1
]

/**
 * `jax.scipy.linalg.expm`: the matrix exponential of each square matrix of a stack.
 *
 * @example
 * scipy.linalg.expm([[0, 1], [0, 0]]) // [[1, 1], [0, 1]]
 */
export const expm = (A: ArrayLike): Array => {
  const a = inexactOrComplex(A)
  const [n] = checkMatrices(a, "scipy.linalg.expm", true)
  const f64 = a.dtype === "float64" || a.dtype === "complex128"
  const maxnorm = f64 ? 5.371920351148152 : 3.92572478313866
  const norm1 = matrixNorm(a, { ord: 1 })
  const s = maximum(0, ceil(log2(norm1.div(maxnorm)))).astype(realDTypeOf(a))
  // s is -inf-free: a zero norm gives log2(0) = -inf, and maximum(0, ceil(-inf)) = 0.
  const x = a.div(expandDims(exp2(s), [-1, -2]).astype(a.dtype))
  // (np.eye of a complex dtype is made real, then cast: its complex buffers are not interleaved yet)
  const I = broadcastTo(eye(n, n, { dtype: realDTypeOf(a) }).astype(a.dtype), a.shape)
  const x2 = matmul(x, x)
  const x4 = matmul(x2, x2)
  const x6 = matmul(x4, x2)
  let u: Array
  let v: Array
  if (!f64) {
    const b = PADE7
    u = matmul(x, x6.mul(b[7]!).add(x4.mul(b[5]!)).add(x2.mul(b[3]!)).add(I.mul(b[1]!)))
    v = x6.mul(b[6]!).add(x4.mul(b[4]!)).add(x2.mul(b[2]!)).add(I.mul(b[0]!))
  } else {
    const b = PADE13
    u = matmul(
      x,
      matmul(x6, x6.mul(b[13]!).add(x4.mul(b[11]!)).add(x2.mul(b[9]!)))
        .add(x6.mul(b[7]!))
        .add(x4.mul(b[5]!))
        .add(x2.mul(b[3]!))
        .add(I.mul(b[1]!))
    )
    v = matmul(x6, x6.mul(b[12]!).add(x4.mul(b[10]!)).add(x2.mul(b[8]!)))
      .add(x6.mul(b[6]!))
      .add(x4.mul(b[4]!))
      .add(x2.mul(b[2]!))
      .add(I.mul(b[0]!))
  }
  let r = solve(v.sub(u), v.add(u))
  const sb = expandDims(s, [-1, -2])
  for (let i = 0; i < MAX_SQUARINGS; i++) r = where(sb.gt(i), matmul(r, r), r)
  return r
}
