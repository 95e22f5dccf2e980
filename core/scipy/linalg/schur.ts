/** `jax.scipy.linalg.schur`: the real or complex Schur decomposition. */
import type { Array } from "../../array.js"
import { complexDTypeOf, isComplex } from "../../dtype.js"
import * as L from "../../lax/linalg.js"
import { checkOneOf, checkOptions } from "../../options.js"
import { type ArrayLike } from "../../numpy/coerce.js"
import { checkMatrices, inexactOrComplex } from "../../numpy/linalg/common.js"

export interface SchurOptions {
  /** "real" (default): the real Schur form of a real matrix; "complex": the triangular complex one. */
  readonly output?: "real" | "complex"
}

/**
 * `jax.scipy.linalg.schur(a, output="real")`: `[t, z]` with a = z t z^H, z orthogonal (unitary),
 * as JAX computes it on CPU (LAPACK's gees, no sorting). With output "real", a real matrix gives t
 * quasi-upper-triangular (2 x 2 diagonal blocks for complex eigenvalue pairs); with "complex" the
 * matrix is cast to complex first and t is upper triangular with the eigenvalues on its diagonal.
 * Batched over leading dimensions.
 *
 * @example
 * const [t, z] = scipy.linalg.schur([[0, -1], [1, 0]]) // t [[0, -1], [1, 0]] (one 2 x 2 block)
 * const [tc] = scipy.linalg.schur([[0, -1], [1, 0]], { output: "complex" }) // tc's diagonal ±1j
 */
export const schur = (a: ArrayLike, options?: SchurOptions): [Array, Array] => {
  const { output = "real" } = checkOptions("scipy.linalg.schur", options, ["output"]) ?? {}
  checkOneOf("scipy.linalg.schur", "output", output, ["real", "complex"])
  let x = inexactOrComplex(a)
  checkMatrices(x, "scipy.linalg.schur", true)
  if (output === "complex" && !isComplex(x.dtype)) x = x.astype(complexDTypeOf(x.dtype))
  const [t, z] = L.schur(x)
  return [t!, z!]
}
