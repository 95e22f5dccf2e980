/**
 * `vmap`: vectorize a function over a batch axis of its arguments. Every primitive has a batching
 * rule, so `vmap` composes with jit, grad, jvp and vjp in any order.
 */
import type { Effect } from "effect/Effect"
import { Array } from "../array.js"
import { ShapeError, ValueError } from "../errors.js"
import { batchFlat, moveBatchAxis } from "../interpreters/batch.js"
import { checkOptions, optionKeys } from "../options.js"
import { singleAxisName } from "../parallel/axis-env.js"
import { constant } from "../primitives/common.js"
import { checkDim } from "../shape.js"
import { broadcastPrefix, flatten, type TreeDef, unflatten } from "../tree.js"
import { paramNames } from "./jit.js"
import { checkClaim, type WithArrayErrors, withExtension } from "./extension.js"

/** A batch axis, or null for an argument that is the same for every example. */
export type Axis = number | null
/** One axis for everything, or one entry per positional argument (each a pytree prefix of axes). */
export type InAxes = Axis | ReadonlyArray<unknown>
export type OutAxes = Axis | ReadonlyArray<unknown> | Readonly<Record<string, unknown>>

export interface VmapOptions {
  readonly inAxes?: InAxes
  readonly outAxes?: OutAxes
  /** The batch size when no argument is batched (every inAxes null). */
  readonly axisSize?: number
  /** For Effect programs with state slots (jaxfx/effects): the batch axis of every slot, or null (shared). */
  readonly stateAxes?: number | null
  /** Names the mapped axis for collectives (lax.psum(x, axisName), lax.axisIndex(axisName), ...). */
  readonly axisName?: string
}
const VMAP_KEYS = optionKeys<VmapOptions>()("inAxes", "outAxes", "axisSize", "stateAxes", "axisName")

const isAxis = (x: unknown): x is Axis => x === null || typeof x === "number"

const toArray = (x: unknown): Array => {
  if (x instanceof Array) return x
  if (typeof x === "number") return constant(x, Number.isInteger(x) ? "int32" : "float32", [], true)
  if (typeof x === "boolean") return constant(x ? 1 : 0, "bool", [])
  throw new ValueError(`vmap: arguments must be pytrees of Arrays and numbers; got a ${typeof x} leaf`)
}

const normalize = (axis: number, rank: number, what: string): number => {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new ShapeError(`vmap: ${what} has axis ${axis}, out of range for rank ${rank}; use an axis in [${-rank}, ${rank - 1}] or null.`)
  }
  return axis < 0 ? axis + rank : axis
}

/**
 * Vectorize `f`: `vmap(f)(xs)` applies `f` to every slice of `xs` along axis 0 and stacks the
 * results. `inAxes`/`outAxes` pick the batch axis per argument and output (null: not batched).
 *
 * @example
 * const matrix = np.arange(6).reshape([2, 3]).astype("float32")
 * const vector = np.ones([3])
 * const dot = (a: Array, b: Array) => np.dot(a, b)
 * vmap(dot, { inAxes: [0, null] })(matrix, vector) // matrix-vector product, one row at a time
 * // axisName names the mapped axis for collectives: each row divided by the sum over rows
 * vmap((x: Array) => x.div(lax.psum(x, "i")), { axisName: "i" })(matrix)
 */
export function vmap<Args extends ReadonlyArray<unknown>, A, E, Q>(
  f: (...args: Args) => Effect<A, E, Q>,
  opts?: VmapOptions
): (...args: Args) => WithArrayErrors<Effect<A, E, Q>>
export function vmap<Args extends ReadonlyArray<unknown>, R>(f: (...args: Args) => R, opts?: VmapOptions): (...args: Args) => R
export function vmap<Args extends ReadonlyArray<unknown>, R>(f: (...args: Args) => R, opts: VmapOptions = {}): (...args: Args) => R {
  checkOptions("vmap", opts, VMAP_KEYS)
  if (opts.axisName !== undefined) singleAxisName(opts.axisName, "vmap: axisName")
  if (opts.axisSize !== undefined) checkDim(opts.axisSize, "vmap: axisSize")
  const direct = vmapImpl(f, opts)
  let delegated: ((...args: ReadonlyArray<unknown>) => unknown) | undefined
  return (...args: Args): R => {
    if (delegated !== undefined) return delegated(...args) as R
    return withExtension(
      () => direct(...args),
      (e) => (delegated = e.vmap(f as (...a: never[]) => unknown, opts as Readonly<Record<string, unknown>>))(...args) as R
    )
  }
}

const vmapImpl =
  <Args extends ReadonlyArray<unknown>, R>(f: (...args: Args) => R, opts: VmapOptions) =>
  (...args: Args): R => {
    // null is an axis spec ("not mapped"), so only undefined takes the default
    const inAxes = opts.inAxes === undefined ? 0 : opts.inAxes
    const perArg: ReadonlyArray<unknown> = isAxis(inAxes) ? args.map(() => inAxes) : inAxes
    if (perArg.length !== args.length) {
      throw new ValueError(
        `vmap: inAxes has ${perArg.length} entries but the function was called with ${args.length} positional arguments; give one entry per argument.`
      )
    }
    const names = paramNames(f as (...a: never[]) => unknown)
    const [leaves, def] = flatten(args)
    const axes = broadcastPrefix(perArg, args) as Axis[]
    // Which argument each leaf belongs to, for messages.
    const owner: number[] = []
    args.forEach((a, i) => {
      const n = flatten(a)[0].length
      for (let k = 0; k < n; k++) owner.push(i)
    })
    const describeArg = (i: number): string => `argument ${i}${names[i] === undefined ? "" : ` (${names[i]})`}`
    // Unmapped leaves reach f untouched (JS numbers stay numbers, static values stay static).
    const mappedIdx = leaves.flatMap((_, i) => (axes[i] === null || axes[i] === undefined ? [] : [i]))
    const xs = leaves.map((l, i) => (mappedIdx.includes(i) ? toArray(l) : undefined))
    const dims = xs.map((x, i) => {
      const a = axes[i]
      if (x === undefined || a === null || a === undefined) return null
      if (typeof a !== "number") throw new ValueError(`vmap: inAxes entries must be numbers or null, got ${String(a)}`)
      return normalize(a, x.ndim, `${describeArg(owner[i]!)} of shape [${x.shape.join(", ")}]`)
    })
    const sizes = new Map<number, string[]>()
    dims.forEach((d, i) => {
      if (d === null) return
      const n = xs[i]!.shape[d]!
      sizes.set(n, [...(sizes.get(n) ?? []), `axis ${d} of ${describeArg(owner[i]!)} of shape [${xs[i]!.shape.join(", ")}]`])
    })
    if (sizes.size > 1) {
      const parts = [...sizes.entries()].map(([n, where]) => `size ${n}: ${where.join("; ")}`)
      throw new ValueError(`vmap got inconsistent sizes for the mapped axes: ${parts.join(" | ")}. Every mapped axis must have the same size.`)
    }
    const size = sizes.size === 1 ? [...sizes.keys()][0]! : opts.axisSize
    if (size === undefined) throw new ValueError("vmap: no argument is mapped (every inAxes is null); pass { axisSize } to say how many copies to make.")
    if (opts.axisSize !== undefined && opts.axisSize !== size) {
      throw new ValueError(`vmap: axisSize ${opts.axisSize} disagrees with the mapped axes' size ${size}`)
    }
    let outDef: TreeDef | undefined
    const [outs, outDims] = batchFlat(
      (ins) => {
        const full: unknown[] = [...leaves]
        mappedIdx.forEach((li, k) => (full[li] = ins[k]))
        const out = f(...(unflatten(def, full) as unknown as Args))
        checkClaim(out)
        const [ol, od] = flatten(out)
        outDef = od
        return ol.map(toArray)
      },
      mappedIdx.map((i) => xs[i]!),
      mappedIdx.map((i) => dims[i]!),
      size,
      opts.axisName ?? null
    )
    const outTree = unflatten(outDef!, outs)
    const outAxes = opts.outAxes === undefined ? 0 : opts.outAxes
    const perOut = isAxis(outAxes) ? outs.map(() => outAxes) : (broadcastPrefix(outAxes, outTree) as Axis[])
    const moved = outs.map((o, i) => {
      const target = perOut[i] ?? null
      const d = outDims[i] ?? null
      if (target === null) {
        if (d !== null) throw new ValueError(`vmap: outAxes is null for output ${i}, but that output depends on the mapped arguments; give it an axis.`)
        return o
      }
      const rank = (d === null ? o.ndim : o.ndim - 1) + 1
      return moveBatchAxis(o, d, normalize(target, rank, `output ${i}`), size)
    })
    return unflatten(outDef!, moved) as R
  }
