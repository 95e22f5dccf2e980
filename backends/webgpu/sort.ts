/**
 * sort on the GPU (several operands, lexicographic over the first `numKeys`, stable): a rank sort.
 * One invocation per element counts the elements of its row that precede it (a smaller key, or
 * an equal key at a smaller index: stability) and writes every operand's element at that rank.
 * The ranks of a row are a permutation, so the writes never collide and the result is exactly the
 * CPU's (floats order -0 == 0 and NaN last, as JAX's comparator). Work is n^2 per row of n: it is
 * meant for the short rows of models (top-k, argsort of a batch); a bitonic network for long rows
 * is future work.
 */
import type { DType } from "../../core/dtype.js"
import { DeviceError } from "../../core/errors.js"
import type { SortParams } from "../../core/primitives/bits.js"
import type { Routine } from "./routine.js"
import { aroundAxis, dispatchThreads } from "./threads.js"

/** `a < b` for keys of `d` (floats: NaN after everything, NaNs equal). */
const less = (d: DType, a: string, b: string): string => (d === "float32" ? `j_flt(${a}, ${b})` : `(${a} < ${b})`)

const functions = "fn j_flt(a: f32, b: f32) -> bool { let na = j_isnan(a); let nb = j_isnan(b); if (na || nb) { return !na && nb; } return a < b; }"

export const sort: Routine = (rec, inputs, params, outs) => {
  const { dimension, numKeys } = params as SortParams
  const limit = rec.ctx.device.limits.maxStorageBuffersPerShaderStage
  if (2 * inputs.length > limit) {
    throw new DeviceError(
      `sort of ${inputs.length} operands needs ${2 * inputs.length} storage buffers; this WebGPU adapter binds ${limit}. Sort fewer operands at once (sort the keys with an iota, then gather the others).`
    )
  }
  const results = outs.map((o) => rec.ctx.alloc(o.dtype, o.size))
  const [, n, inner] = aroundAxis(outs[0]!.shape, dimension)
  const keys = inputs.slice(0, numKeys).map((x) => x.aval.dtype)
  const decide = keys
    .map(
      (d, k) =>
        `    if (!decided) { let a = in${k}[mine]; let b = in${k}[at]; if (${less(d, "b", "a")}) { before = true; decided = true; } else if (${less(d, "a", "b")}) { decided = true; } }`
    )
    .join("\n")
  const body = `  let row = (g / ${n * inner}u) * ${n * inner}u + g % ${inner}u;
  let j = (g / ${inner}u) % ${n}u;
  let mine = row + j * ${inner}u;
  var rank = 0u;
  for (var m = 0u; m < ${n}u; m = m + 1u) {
    let at = row + m * ${inner}u;
    var before = false;
    var decided = false;
${decide}
    if (!decided) { before = m < j; }
    if (before) { rank = rank + 1u; }
  }
  let dst = row + rank * ${inner}u;
${inputs.map((_, q) => `  out${q}[dst] = in${q}[mine];`).join("\n")}`
  dispatchThreads(
    rec,
    { name: "sort", n: outs[0]!.size, inputs: inputs.map((x) => x.aval.dtype), outputs: outs.map((o) => o.dtype), body, functions },
    inputs.map((x) => x.buffer),
    results
  )
  return results
}
