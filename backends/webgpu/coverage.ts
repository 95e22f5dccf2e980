/**
 * Which primitives the WebGPU device runs, and how: `fused` into generated WGSL kernels (the
 * kernel IR's elementwise ops, views, edge padding, concatenation, iota and reductions), a
 * `routine` of its own (routines.ts), `control` flow recorded around its sub-programs (control.ts),
 * `complex`: rewritten into real arithmetic on the parts (complex.ts), `host`: a documented round trip
 * to the host CPU as JAX's own GPU backends make for nonsymmetric eig and schur (host.ts), or its
 * `impl` in terms of other primitives. Every other
 * primitive is a DeviceError on this device (missing.ts); coverage.test.ts pins both lists.
 */
import { isBinaryOp, isUnaryOp } from "../../core/kernel/ir.js"
import { allPrimitives, type Primitive } from "../../core/primitive.js"
import { complexPrimitives } from "./complex.js"
import { controlPrimitives } from "./control.js"
import { hostPrimitives } from "./host.js"
import { routineFor } from "./routines.js"

export type WebGpuSupport = "fused" | "routine" | "control" | "complex" | "host" | "impl"

/** The primitives the lowering fuses into kernels (core/kernel/lower.ts `classify`), besides the unary and binary ops. */
const fusedStructural: ReadonlySet<string> = new Set([
  "select_n",
  "convert_element_type",
  "integer_pow",
  "broadcast_in_dim",
  "reshape",
  "transpose",
  "rev",
  "slice",
  "stop_gradient",
  "concatenate",
  "iota",
  "reduce_sum",
  "reduce_prod",
  "reduce_max",
  "reduce_min",
  "argmax",
  "argmin"
])

/** How the WebGPU device runs `p`, or undefined when it cannot. */
export const webgpuSupport = (p: Primitive): WebGpuSupport | undefined => {
  if (routineFor(p) !== undefined) return "routine"
  if (controlPrimitives.includes(p)) return "control"
  if (complexPrimitives.includes(p)) return "complex"
  if (hostPrimitives.includes(p)) return "host"
  const n = p.name
  if (isUnaryOp(n) || isBinaryOp(n) || fusedStructural.has(n) || n === "round") return "fused"
  if (p.impl !== undefined) return "impl"
  return undefined
}

/**
 * Every registered primitive's WebGPU support: those it runs (by name) and those it does not.
 * `pad` counts as fused, though only edge padding is (interior padding is among the gaps).
 *
 * @example
 * webgpuCoverage().supported.dot_general // "routine"
 */
export const webgpuCoverage = (): { readonly supported: Readonly<Record<string, WebGpuSupport>>; readonly missing: ReadonlyArray<string> } => {
  const supported: Record<string, WebGpuSupport> = {}
  const missing: string[] = []
  for (const p of allPrimitives()) {
    const s = p.name === "pad" ? "fused" : webgpuSupport(p)
    if (s === undefined) missing.push(p.name)
    else supported[p.name] = s
  }
  return { supported, missing: missing.sort() }
}
