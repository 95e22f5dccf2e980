/**
 * gather and scatter along one axis on the GPU (np.take / .at[] semantics, as the CPU kernels of
 * backends/cpu/indexing.ts). The operand is viewed as [A, N, B] around the axis and the indices
 * are flattened to I entries.
 *
 * gather: one invocation per output element, out[a, j, b] = x[a, clamp(idx[j], 0, N-1), b].
 *
 * scatter: the operand is copied to the output, then one invocation per (a, b) walks the indices
 * in order j = 0 .. I-1 and combines updates[a, j, b] into out[a, idx[j], b] (out-of-range indices
 * dropped). This is the deterministic, sort-free choice: no atomics, duplicate indices combine in
 * the CPU's order (set keeps the last update, add sums in index order), so float32 results equal
 * the CPU's bit for bit. Its parallelism is A x B (the slices that an index moves), which suits
 * `.at[]` updates and the transposes of gathers (an embedding gradient runs one invocation per
 * feature); a scatter of single elements into a vector (A = B = 1) runs on one invocation.
 */
import type { DType } from "../../core/dtype.js"
import type { GatherParams, ScatterParams } from "../../core/primitives/indexing.js"
import type { Routine } from "./routine.js"
import { aroundAxis, dispatchThreads } from "./threads.js"

/** The WGSL of index `v` (of dtype `d`) as a u32, clamped to [0, n - 1]. */
const clamped = (d: DType, v: string, n: number): string => (d === "uint32" ? `min(${v}, ${n - 1}u)` : `u32(clamp(i32(${v}), 0, ${n - 1}))`)

export const gather: Routine = (rec, [x, idx], params, [out]) => {
  const { axis } = params as GatherParams
  const o = rec.ctx.alloc(out!.dtype, out!.size)
  const [, N, B] = aroundAxis(x!.aval.shape, axis)
  const I = idx!.aval.size
  const body = `  let a = g / ${I * B}u; let j = (g / ${B}u) % ${I}u; let b = g % ${B}u;
  let k = ${clamped(idx!.aval.dtype, "in1[j]", N)};
  out0[g] = in0[(a * ${N}u + k) * ${B}u + b];`
  dispatchThreads(rec, { name: "gather", n: out!.size, inputs: [x!.aval.dtype, idx!.aval.dtype], outputs: [out!.dtype], body }, [x!.buffer, idx!.buffer], [o])
  return [o]
}

const combine = (mode: ScatterParams["mode"], d: DType): string => {
  const fl = d === "float32"
  switch (mode) {
    case "set":
      return "u"
    case "add":
      return "out0[at] + u"
    case "mul":
      return "out0[at] * u"
    case "min":
      return fl ? "j_minf(out0[at], u)" : "min(out0[at], u)"
    case "max":
      return fl ? "j_maxf(out0[at], u)" : "max(out0[at], u)"
  }
}

export const scatter: Routine = (rec, [x, idx, u], params, [out]) => {
  const { axis, mode } = params as ScatterParams
  const d = out!.dtype
  const o = rec.ctx.alloc(d, out!.size)
  rec.copy(x!.buffer, o)
  const [A, N, B] = aroundAxis(x!.aval.shape, axis)
  const I = idx!.aval.size
  const k = idx!.aval.dtype === "uint32" ? "in0[j]" : "i32(in0[j])"
  const inRange = idx!.aval.dtype === "uint32" ? `${k} < ${N}u` : `${k} >= 0 && ${k} < ${N}`
  const body = `  let a = g / ${B}u; let b = g % ${B}u;
  for (var j = 0u; j < ${I}u; j = j + 1u) {
    if (!(${inRange})) { continue; }
    let at = (a * ${N}u + u32(${k})) * ${B}u + b;
    let u = in1[(a * ${I}u + j) * ${B}u + b];
    out0[at] = ${combine(mode, d)};
  }`
  dispatchThreads(rec, { name: `scatter ${mode}`, n: A * B, inputs: [idx!.aval.dtype, d], outputs: [d], body }, [idx!.buffer, u!.buffer], [o])
  return [o]
}
