/**
 * `linearTranspose` (JAX's `jax.linear_transpose`): the transpose of a linear function, from the
 * shapes and dtypes of its inputs alone. The function is traced once to a program; the program's
 * linearity is checked (every operation on the inputs must have a transpose rule and use them
 * linearly); the transposed function runs the backward pass on a cotangent shaped like the output.
 */
import { Array, ShapedArray } from "../array.js"
import { type DType, isComplex, isFloat } from "../dtype.js"
import { DTypeError, LinearityError, ShapeError, ValueError } from "../errors.js"
import { type Jaxpr, Var } from "../ir.js"
import { traceToJaxpr } from "../interpreters/stage.js"
import { backwardPassWith, ctToArray } from "../interpreters/transpose.js"
import { UndefPrimal } from "../primitive.js"
import { flatten, type TreeDef, unflatten } from "../tree.js"
import type { Tangent } from "./autodiff.js"
import { flatArrays } from "./custom.js"

/** What `linearTranspose` takes for an input: an Array, or anything with a shape and dtype (`ShapeDtypeStruct`). */
export interface ShapeDtypeLike {
  readonly shape: ReadonlyArray<number>
  readonly dtype: DType
}

/**
 * For primitives with several operands, the operands that must not depend on the linear inputs
 * (a product of two inputs is not linear; a divisor, predicate or index must be known).
 */
const knownOperands: Readonly<Record<string, (nLinear: ReadonlyArray<boolean>) => string | undefined>> = {
  mul: (l) => (l[0] && l[1] ? "a product of two values that both depend on the inputs" : undefined),
  dot_general: (l) => (l[0] && l[1] ? "a product (dot_general) of two values that both depend on the inputs" : undefined),
  conv_general_dilated: (l) => (l[0] && l[1] ? "a convolution of two values that both depend on the inputs" : undefined),
  div: (l) => (l[1] ? "a division by a value that depends on the inputs" : undefined),
  select_n: (l) => (l[0] ? "a selection whose predicate depends on the inputs" : undefined),
  gather: (l) => (l[1] ? "indices that depend on the inputs" : undefined),
  scatter: (l) => (l[1] ? "indices that depend on the inputs" : undefined)
}

/** Check that `jaxpr` is linear in its inputs; else a LinearityError naming the operation. */
const checkLinear = (jaxpr: Jaxpr, name: string): void => {
  const linear = new Set<Var>(jaxpr.inVars)
  for (const e of jaxpr.eqns) {
    const flags = e.inputs.map((a) => a instanceof Var && linear.has(a))
    if (!flags.some(Boolean)) continue
    const why = e.primitive.transpose === undefined ? `${e.primitive.name} is not linear (it has no transpose rule)` : knownOperands[e.primitive.name]?.(flags)
    if (why !== undefined) {
      throw new LinearityError(
        `linearTranspose(${name}): the function is not linear in its inputs: ${why}. linearTranspose transposes linear ` +
          "functions only (sums, scalings by constants, reshapes, slices, dot products with constants, ...); for a " +
          "non-linear function use vjp, which transposes its linearization at a point."
      )
    }
    for (const v of e.outVars) linear.add(v)
  }
}

/** The example inputs: the arguments, where an Array may be given by its shape and dtype. */
export type PrimalsLike<Args extends ReadonlyArray<unknown>> = { readonly [K in keyof Args]: Args[K] extends Array ? Array | ShapeDtypeLike : Args[K] }

const avalOf = (x: unknown, i: number): ShapedArray => {
  if (x instanceof Array) return x.aval.strongType()
  if (typeof x === "object" && x !== null && "shape" in x && "dtype" in x) {
    const s = x as ShapeDtypeLike
    return new ShapedArray(s.shape, s.dtype)
  }
  throw new ValueError(`linearTranspose: primal leaf ${i} must be an Array or a ShapeDtypeStruct (something with shape and dtype), got ${typeof x}.`)
}

const kind = (d: DType): "inexact" | "int" => (isFloat(d) || isComplex(d) ? "inexact" : "int")

/**
 * The transpose of a linear function (JAX's `linear_transpose`): given `f` and example inputs (or
 * their `ShapeDtypeStruct`s), returns `fT` with `fT(ct)` = the tuple of cotangents of the inputs,
 * i.e. `ctᵀ·f` as a function of the output cotangent `ct` (shaped like `f`'s output). Affine terms
 * (constants added) are dropped, as in JAX. Inputs and outputs must be all float/complex or all
 * integer (a DTypeError otherwise); a function that is not linear is a `LinearityError`.
 *
 * @example
 * const f = (x: Array) => x.mul(2).add(np.sum(x))
 * const fT = linearTranspose(f, np.ones([3]))
 * fT(np.array([1, 2, 3], { dtype: "float32" })) // [Array([ 8., 10., 12.], dtype=float32)]
 */
export const linearTranspose = <Args extends ReadonlyArray<unknown>, R>(
  f: (...args: Args) => R,
  ...primals: NoInfer<PrimalsLike<Args>>
): ((ct: Tangent<R>) => { -readonly [K in keyof Args]: Tangent<Args[K]> }) => {
  const name = f.name || "<anonymous>"
  const isShapeLeaf = (x: unknown): boolean => typeof x === "object" && x !== null && !(x instanceof Array) && "shape" in x && "dtype" in x
  const [leaves, inDef] = flatten(primals as unknown, { isLeaf: isShapeLeaf })
  const avals = leaves.map(avalOf)
  const [closed, outDef] = traceToJaxpr(avals, (xs) => flatArrays(f(...(unflatten(inDef, xs) as unknown as Args)), `linearTranspose(${name})`))
  const outAvals = closed.jaxpr.outs.map((o) => o.aval)
  const kinds = new Set([...avals, ...outAvals].map((a) => kind(a.dtype)))
  if (kinds.size > 1) {
    throw new DTypeError(
      `linearTranspose(${name}): it supports [float or complex] -> [float or complex] and integer -> integer functions only (as JAX); ` +
        `got inputs ${avals.map((a) => a.dtype).join(", ")} and outputs ${outAvals.map((a) => a.dtype).join(", ")}.`
    )
  }
  checkLinear(closed.jaxpr, name)
  return (ct: Tangent<R>) => {
    const [ctLeaves, ctDef] = flatArrays(ct, `linearTranspose(${name})`)
    const mismatch = (ctDef as TreeDef).equals(outDef)
      ? ctLeaves.findIndex((c, i) => c.dtype !== outAvals[i]!.dtype || c.shape.join() !== outAvals[i]!.shape.join())
      : 0
    if (mismatch >= 0) {
      throw new ShapeError(
        `linearTranspose(${name}): the cotangent must match the function's output ${outDef.toString()} of ` +
          `${outAvals.map((a) => a.str()).join(", ")}; got ${ctDef.toString()} of ${ctLeaves.map((c) => c.aval.str()).join(", ")}.`
      )
    }
    const cts = backwardPassWith(
      closed.jaxpr,
      closed.consts,
      avals.map((a) => new UndefPrimal(a)),
      ctLeaves
    )
    return unflatten(inDef, cts.map(ctToArray)) as unknown as { -readonly [K in keyof Args]: Tangent<Args[K]> }
  }
}
