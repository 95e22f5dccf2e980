/**
 * `pure_callback`: a host function called with concrete arrays (JAX's `pure_callback_p`). The
 * primitive's impl runs the function, so it runs eagerly and, under jit, as a host step of the CPU
 * runtime (the executable calls a primitive's impl where it has no kernel). Its batching rule follows
 * the equation's `vmapMethod` as JAX's; it has no jvp (JAX: use custom_jvp).
 */
import { type Array, ShapedArray } from "../array.js"
import { DTypeError, ShapeError, ValueError } from "../errors.js"
import { definePrimitive } from "../primitive.js"
import { describe } from "../shape.js"
import { bind } from "../trace.js"
import { broadcastInDim, moveBatchAxis, reshape } from "./layout.js"
import { concatenate, slice } from "./shape-ops.js"

/** How a callback is batched under vmap (JAX's `vmap_method`); null: vmap is an error. */
export type VmapMethod = "sequential" | "sequential_unrolled" | "expand_dims" | "broadcast_all" | "legacy_vectorized" | null
export const VMAP_METHODS: ReadonlyArray<VmapMethod> = ["sequential", "sequential_unrolled", "expand_dims", "broadcast_all", "legacy_vectorized", null]

export interface PureCallbackParams {
  /** The host function on flat concrete arrays, returning flat results (checked against resultAvals). */
  readonly callback: (args: ReadonlyArray<Array>) => ReadonlyArray<Array>
  readonly resultAvals: ReadonlyArray<ShapedArray>
  readonly vmapMethod: VmapMethod
  readonly [k: string]: unknown
}

export const pureCallbackP = definePrimitive<PureCallbackParams>(
  "pure_callback",
  (_avals, { callback, resultAvals, vmapMethod }) => {
    if (typeof callback !== "function") throw new ValueError(`pure_callback: the callback must be a function, got ${describe(callback)}.`)
    if (!globalThis.Array.isArray(resultAvals) || !resultAvals.every((a) => a instanceof ShapedArray)) {
      throw new ValueError(`pure_callback: resultAvals must be a list of ShapedArray, got ${describe(resultAvals)}.`)
    }
    if (!VMAP_METHODS.includes(vmapMethod)) {
      throw new ValueError(`pure_callback: vmapMethod must be one of ${VMAP_METHODS.map((m) => JSON.stringify(m)).join(", ")}, got ${describe(vmapMethod)}.`)
    }
    return resultAvals
  },
  true
)
pureCallbackP.printParams = (p) => [
  ["callback", `<function ${p.callback.name || "callback"}>`],
  ["result_avals", `(${p.resultAvals.map((a) => `ShapedArray(${a.str()})`).join(", ")}${p.resultAvals.length === 1 ? "," : ""})`],
  ["vmap_method", p.vmapMethod === null ? "None" : p.vmapMethod]
]
pureCallbackP.impl = (args, { callback, resultAvals }) => {
  const outs = callback(args)
  if (outs.length !== resultAvals.length) {
    throw new ValueError(`pure_callback: the callback returned ${outs.length} arrays, but resultShapeDtypes declares ${resultAvals.length}.`)
  }
  return outs.map((o, i) => {
    const want = resultAvals[i]!
    if (o.shape.join() !== want.shape.join()) {
      throw new ShapeError(
        `pure_callback: result ${i} of the callback has shape [${o.shape.join(", ")}], but resultShapeDtypes declares [${want.shape.join(", ")}].`
      )
    }
    if (o.dtype !== want.dtype) {
      throw new DTypeError(`pure_callback: result ${i} of the callback has dtype ${o.dtype}, but resultShapeDtypes declares ${want.dtype}.`)
    }
    return o
  })
}
pureCallbackP.jvp = () => {
  throw new ValueError("Pure callbacks do not support JVP. Please use `customJvp` to use callbacks while taking gradients (JAX's message).")
}
pureCallbackP.batch = (args, dims, params, size) => {
  const m = params.vmapMethod
  const moved = args.map((a, i) => (dims[i] === null ? a : moveBatchAxis(a, dims[i]!, 0, size)))
  const batchedAvals = params.resultAvals.map((a) => new ShapedArray([size, ...a.shape], a.dtype, a.weakType))
  if (m === "legacy_vectorized" || m === "expand_dims" || m === "broadcast_all") {
    // legacy_vectorized passes unbatched arguments as they are; expand_dims gives them a leading axis
    // of size 1; broadcast_all one of the batch size (JAX's ffi batching rule).
    const lead = m === "broadcast_all" ? size : 1
    const ins = moved.map((a, i) =>
      dims[i] !== null || m === "legacy_vectorized"
        ? a
        : broadcastInDim(
            a,
            [lead, ...a.shape],
            a.shape.map((_, d) => d + 1)
          )
    )
    const outs = bind(pureCallbackP, ins, { ...params, resultAvals: batchedAvals })
    return [outs, outs.map(() => 0)]
  }
  if (m === "sequential" || m === "sequential_unrolled") {
    // One call per example, the results stacked (JAX scans; the calls and their order are the same).
    const per: Array[][] = []
    for (let b = 0; b < size; b++) {
      const ins = moved.map((a, i) =>
        dims[i] === null
          ? a
          : reshape(
              slice(
                a,
                a.shape.map((_, d) => (d === 0 ? b : 0)),
                a.shape.map((n, d) => (d === 0 ? b + 1 : n))
              ),
              a.shape.slice(1)
            )
      )
      per.push([...bind(pureCallbackP, ins, params)])
    }
    const outs = params.resultAvals.map((a, j) =>
      concatenate(
        per.map((o) => reshape(o[j]!, [1, ...a.shape])),
        0
      )
    )
    return [outs, outs.map(() => 0)]
  }
  throw new ValueError(
    "vmap is only supported for the pure_callback primitive when vmap_method is one of 'sequential', 'sequential_unrolled', " +
      "'expand_dims', 'broadcast_all', or 'legacy_vectorized'. Got vmap_method=None (JAX's message): pass { vmapMethod } to pureCallback."
  )
}
