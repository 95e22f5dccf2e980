/**
 * `evalShape` (JAX's `jax.eval_shape`) and `ShapeDtypeStruct`: the shapes and dtypes a function
 * would return, found by tracing it on abstract values, without computing anything.
 */
import { Array, ShapedArray } from "../array.js"
import { checkDType, type DType } from "../dtype.js"
import { ValueError } from "../errors.js"
import { traceToJaxpr } from "../interpreters/stage.js"
import { constant } from "../primitives/common.js"
import { checkShape } from "../shape.js"
import { flatten, unflatten } from "../tree.js"

/**
 * JAX's `ShapeDtypeStruct`: a shape and a dtype standing for an array (an argument of `evalShape`,
 * and what it returns for each output).
 *
 * @example
 * new ShapeDtypeStruct([2, 3], "float32").size // 6
 */
export class ShapeDtypeStruct {
  readonly shape: ReadonlyArray<number>
  readonly dtype: DType
  constructor(
    shape: ReadonlyArray<number>,
    dtype: DType,
    readonly weakType = false
  ) {
    this.shape = checkShape(shape, "ShapeDtypeStruct: shape")
    this.dtype = checkDType(dtype, "ShapeDtypeStruct")
  }
  get ndim(): number {
    return this.shape.length
  }
  get size(): number {
    return this.shape.reduce((p, s) => p * s, 1)
  }
  toString(): string {
    return `ShapeDtypeStruct(shape=(${this.shape.join(", ")}${this.shape.length === 1 ? "," : ""}), dtype=${this.dtype}${this.weakType ? ", weak_type=True" : ""})`
  }
}

const avalOf = (x: unknown, i: number): ShapedArray => {
  if (x instanceof ShapeDtypeStruct) return new ShapedArray(x.shape, x.dtype, x.weakType)
  if (x instanceof Array) return x.aval
  if (typeof x === "number") return new ShapedArray([], Number.isInteger(x) ? "int32" : "float32", true)
  if (typeof x === "boolean") return new ShapedArray([], "bool", false)
  throw new ValueError(`evalShape: argument leaf ${i} is a ${typeof x}; give Arrays, ShapeDtypeStructs or numbers (close over anything else).`)
}

/**
 * `jax.eval_shape(f, *args)`: the output tree of `f` with a `ShapeDtypeStruct` per array, traced
 * on the arguments' shapes and dtypes (Arrays, ShapeDtypeStructs or numbers) without running it.
 *
 * @example
 * evalShape((a: Array, b: Array) => np.matmul(a, b), new ShapeDtypeStruct([2, 3], "float32"), new ShapeDtypeStruct([3, 4], "float32"))
 * // ShapeDtypeStruct(shape=(2, 4), dtype=float32)
 */
export const evalShape = <Args extends ReadonlyArray<unknown>>(
  f: (...args: Args) => unknown,
  ...args: { readonly [K in keyof Args]: Args[K] | ShapeDtypeStruct }
): unknown => {
  const [leaves, def] = flatten(args)
  const avals = leaves.map(avalOf)
  const [closed, outDef] = traceToJaxpr(avals, (tracers) => {
    const out = f(...(unflatten(def, tracers) as unknown as Args))
    const [outLeaves, od] = flatten(out)
    const arrays = outLeaves.map((l) => {
      if (l instanceof Array) return l
      if (typeof l === "number") return constant(l, Number.isInteger(l) ? "int32" : "float32", [], true)
      if (typeof l === "boolean") return constant(l ? 1 : 0, "bool", [])
      throw new ValueError(`evalShape: f returned a ${typeof l} leaf; return Arrays (or numbers).`)
    })
    return [arrays, od]
  })
  return unflatten(
    outDef,
    closed.jaxpr.outs.map((a) => new ShapeDtypeStruct(a.aval.shape, a.aval.dtype, a.aval.weakType))
  )
}
