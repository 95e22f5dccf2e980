/**
 * Rules of elementwise primitives whose operands broadcast (equal ranks with dimensions equal or 1,
 * or rank 0): the batching rule (JAX's `batching.defbroadcasting`) and `unbroadcast`, which sums a
 * cotangent back to an operand's shape. Apart from rules.ts because both need the layout primitives.
 */
import type { Array, ShapedArray } from "../array.js"
import type { BatchRule, Params, Primitive } from "../primitive.js"
import { bind } from "../trace.js"
import { batchFirst, reduceSum, reshape } from "./layout.js"

/**
 * The batching rule of a broadcasting elementwise primitive (JAX's `batching.defbroadcasting`):
 * batch dimensions go first; an unbatched operand gets a leading 1 (a rank-0 one broadcasts as it
 * is), and a batched operand of lower rank gets 1s after its batch dimension. One operand: the
 * batch dimension stays where it is (as `defVectorized`).
 *
 * @example
 * import { addP } from "./elementwise.js"
 * defBroadcasting(addP)
 */
export const defBroadcasting = <P extends Params>(p: Primitive<P>): void => {
  p.batch = broadcastingBatch(p)
}

/** The rule `defBroadcasting` sets, for primitives that want it as a value. */
export const broadcastingBatch =
  <P extends Params>(p: Primitive<P>): BatchRule<P> =>
  (args, dims, params, size) => {
    if (args.length === 1) {
      const outs = bind(p, args, params)
      return [outs, outs.map(() => dims[0] ?? null)]
    }
    const rank = Math.max(...args.map((a, i) => a.ndim - (dims[i] === null ? 0 : 1)))
    const xs = args.map((a, i) => {
      const d = dims[i]!
      if (d === null) return a.ndim === 0 ? a : reshape(a, [1, ...a.shape])
      const moved = batchFirst(a, d)
      return moved.ndim - 1 === rank ? moved : reshape(moved, [size, ...new globalThis.Array<number>(rank).fill(1)])
    })
    const outs = bind(p, xs, params)
    return [outs, outs.map(() => 0)]
  }

/** Sum a cotangent over the dimensions an operand was broadcast along, back to its shape. */
export const unbroadcast = (ct: Array, aval: ShapedArray): Array => {
  if (aval.ndim === 0 && ct.ndim > 0)
    return reduceSum(
      ct,
      ct.shape.map((_, i) => i)
    )
  const axes: number[] = []
  for (let i = 0; i < aval.ndim; i++) if (aval.shape[i] === 1 && ct.shape[i] !== 1) axes.push(i)
  if (axes.length === 0) return ct
  return reshape(reduceSum(ct, axes), aval.shape)
}
