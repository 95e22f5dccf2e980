/**
 * lax.pcast: JAX's cast of a value's type along named axes (0.10: `to` "varying", "reduced" or
 * "unreduced"). In JAX it changes only the value's varying-manual-axes type (which axes it may
 * differ along, or that it holds partial sums still to be reduced), so that shard_map's type check
 * and the transposes of collectives know where a psum belongs; the values are unchanged. jaxfx
 * does not track these types (its psum transposes to a psum, as JAX's pmap and shard_map without
 * the check did), so pcast checks its arguments and returns its operand: code written for JAX's
 * typed shard_map runs unchanged, with the same values and gradients.
 */
import { checkOptions, optionKeys } from "../options.js"
import { ValueError } from "../errors.js"
import { describe } from "../shape.js"
import { axisNameList, lookupAxis } from "./axis-env.js"
import type { AxisName } from "./collectives.js"

/** The kinds of type a pcast goes to, as JAX names them. */
export type PcastTo = "varying" | "reduced" | "unreduced"

export interface PcastOptions {
  /** The type along the axes after the cast: "varying", "reduced" or "unreduced". */
  readonly to: PcastTo
}
const PCAST_KEYS = optionKeys<PcastOptions>()("to")
const KINDS: ReadonlyArray<string> = ["varying", "reduced", "unreduced"]

/**
 * Cast `x` (an Array, a number or a pytree of them) to vary along the named axes, or to hold
 * partial sums over them (JAX's lax.pcast, whose `pvary` is `{ to: "varying" }`). The values are
 * unchanged: jaxfx keeps no varying-axes types, so the cast is the identity, checked (the axes must
 * be bound by an enclosing pmap, vmap or shardMap).
 *
 * @example
 * vmap((x: Array) => lax.psum(lax.pcast(x, "i", { to: "varying" }), "i"), { axisName: "i" })(np.array([1, 2, 3])) // Array([6, 6, 6], dtype=int32)
 */
export const pcast = <T>(x: T, axisName: AxisName, opts: PcastOptions): T => {
  checkOptions("lax.pcast", opts, PCAST_KEYS)
  const to: unknown = (opts as PcastOptions | undefined)?.to
  if (typeof to !== "string" || !KINDS.includes(to)) {
    throw new ValueError(`lax.pcast: pass { to: "varying" } (or "reduced", "unreduced": JAX's kinds), got to = ${describe(to)}.`)
  }
  for (const a of axisNameList(axisName, "lax.pcast")) lookupAxis(a, "lax.pcast")
  return x
}
