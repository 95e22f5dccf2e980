/**
 * cumsum and cumprod on the GPU: one invocation per row along the axis, scanning it in order
 * (reversed for `reverse`; `exclusive` writes the running value before combining). float32 sums
 * are compensated (Kahan), so they stay within float32 rounding of the CPU's float64 accumulation;
 * integers wrap. A row is sequential, so a long axis with few rows is slow: the kernel suits the
 * short-axis scans of models (a work-efficient parallel scan is future work).
 */
import type { CumParams } from "../../core/primitives/reduce.js"
import type { Routine } from "./routine.js"
import { aroundAxis, dispatchThreads } from "./threads.js"
import { constant, storageType } from "./wgsl.js"

const cumulative =
  (op: "sum" | "prod"): Routine =>
  (rec, [x], params, [out]) => {
    const { axis, reverse, exclusive } = params as CumParams
    const d = out!.dtype
    const o = rec.ctx.alloc(d, out!.size)
    const [outer, n, inner] = aroundAxis(out!.shape, axis)
    const t = storageType(d)
    const kahan = op === "sum" && d === "float32"
    const combine = kahan ? "let y = v - comp; let s = acc + y; comp = (s - acc) - y; acc = s;" : op === "sum" ? "acc = acc + v;" : "acc = acc * v;"
    const step = exclusive === true ? `out0[at] = acc; ${combine}` : `${combine} out0[at] = acc;`
    const body = `  let base = (g / ${inner}u) * ${n * inner}u + g % ${inner}u;
  var acc: ${t} = ${constant(d, op === "sum" ? 0 : 1)};
  var comp: ${t} = ${constant(d, 0)};
  for (var k = 0u; k < ${n}u; k = k + 1u) {
    let at = base + ${reverse ? `(${n - 1}u - k)` : "k"} * ${inner}u;
    let v = in0[at];
    ${step}
  }`
    dispatchThreads(rec, { name: `cum${op}`, n: outer * inner, inputs: [x!.aval.dtype], outputs: [d], body }, [x!.buffer], [o])
    return [o]
  }

export const cumsum: Routine = cumulative("sum")
export const cumprod: Routine = cumulative("prod")
