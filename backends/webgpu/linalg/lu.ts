/**
 * lu on the GPU: LU with partial pivoting of each m x n matrix of a batch, as LAPACK's getrf and
 * the CPU (backends/cpu/linalg/lu-step.ts): at step j the first row of largest magnitude in column
 * j is swapped up (pivots[j] names it, the permutation follows the swaps), the column below the
 * pivot is scaled (a zero pivot leaves it unscaled) and the rows below updated. One invocation per
 * matrix, in place in the output. lu_pivots_to_permutation applies the swaps to 0..size-1 (pivots
 * out of range are ignored, as JAX's kernel does), one invocation per permutation.
 */
import type { LuPivotsToPermutationParams } from "../../../core/primitives/linalg/lu.js"
import type { Routine } from "../routine.js"
import { batchCount, float32Only, perMatrix, u } from "./common.js"

export const lu: Routine = (rec, [a], _params, [luAval, pivAval, permAval]) => {
  float32Only("lu", luAval!.dtype)
  const shape = a!.aval.shape
  const m = shape[shape.length - 2]!
  const n = shape[shape.length - 1]!
  const k = Math.min(m, n)
  const out = rec.ctx.alloc("float32", luAval!.size)
  const piv = rec.ctx.alloc("int32", pivAval!.size)
  const perm = rec.ctx.alloc("int32", permAval!.size)
  const A = (i: string, j: string): string => `out0[a0 + (${i}) * ${u(n)} + ${j}]`
  const body = `  let a0 = g * ${u(m * n)};
  let p0 = g * ${u(m)};
  let k0 = g * ${u(k)};
  for (var i = 0u; i < ${u(m * n)}; i++) { out0[a0 + i] = in0[a0 + i]; }
  for (var i = 0u; i < ${u(m)}; i++) { out2[p0 + i] = i32(i); }
  for (var j = 0u; j < ${u(k)}; j++) {
    var best = j;
    var mag = abs(${A("j", "j")});
    for (var i = j + 1u; i < ${u(m)}; i++) {
      let v = abs(${A("i", "j")});
      if (v > mag) { mag = v; best = i; }
    }
    out1[k0 + j] = i32(best);
    if (best != j) {
      for (var c = 0u; c < ${u(n)}; c++) { let t = ${A("j", "c")}; ${A("j", "c")} = ${A("best", "c")}; ${A("best", "c")} = t; }
      let t = out2[p0 + j]; out2[p0 + j] = out2[p0 + best]; out2[p0 + best] = t;
    }
    let d = ${A("j", "j")};
    if (d == 0.0) { continue; }
    for (var i = j + 1u; i < ${u(m)}; i++) {
      let f = ${A("i", "j")} / d;
      ${A("i", "j")} = f;
      if (f == 0.0) { continue; }
      for (var c = j + 1u; c < ${u(n)}; c++) { ${A("i", "c")} = ${A("i", "c")} - f * ${A("j", "c")}; }
    }
  }`
  perMatrix(rec, { name: "lu", batch: batchCount(shape), inputs: [{ buffer: a!.buffer, dtype: "float32" }], outputs: [out, piv, perm], scratch: [], body })
  return [out, piv, perm]
}

export const luPivotsToPermutation: Routine = (rec, [p], params, [outAval]) => {
  const { permutationSize: size } = params as LuPivotsToPermutationParams
  const shape = p!.aval.shape
  const k = shape[shape.length - 1]!
  const out = rec.ctx.alloc("int32", outAval!.size)
  const body = `  let o = g * ${u(size)};
  for (var i = 0u; i < ${u(size)}; i++) { out0[o + i] = i32(i); }
  for (var j = 0u; j < ${u(Math.min(k, size))}; j++) {
    let q = in0[g * ${u(k)} + j];
    if (q < 0 || q >= ${size}) { continue; }
    let t = out0[o + j]; out0[o + j] = out0[o + u32(q)]; out0[o + u32(q)] = t;
  }`
  perMatrix(rec, {
    name: "lu_pivots_to_permutation",
    batch: size === 0 ? 0 : batchCount(shape, 1),
    inputs: [{ buffer: p!.buffer, dtype: "int32" }],
    outputs: [out],
    scratch: [],
    body
  })
  return [out]
}
