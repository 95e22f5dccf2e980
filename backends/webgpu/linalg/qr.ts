/**
 * qr on the GPU: Householder QR of each m x n matrix of a batch with LAPACK's conventions (geqrf +
 * orgqr, as the CPU's backends/cpu/linalg/householder.ts), so R's diagonal signs are JAX's:
 * H = I - tau v v^T maps (alpha, x) to (beta, 0) with beta = -sign(alpha) ||(alpha, x)||, or is
 * the identity when x is zero (norms scaled against underflow, as LAPACK's nrm2; subnormal
 * entries may be flushed to zero on a GPU). One invocation per matrix: the reflectors are kept below the
 * diagonal of a scratch copy of A (v[j] = 1 implied), tau in a second scratch buffer; Q's first
 * columns come from applying them to the identity in reverse order.
 */
import type { QrParams } from "../../../core/primitives/linalg/qr.js"
import type { Routine } from "../routine.js"
import { batchCount, float32Only, perMatrix, u } from "./common.js"

export const qr: Routine = (rec, [a], params, [qAval, rAval]) => {
  const { fullMatrices } = params as QrParams
  float32Only("qr", qAval!.dtype)
  const shape = a!.aval.shape
  const m = shape[shape.length - 2]!
  const n = shape[shape.length - 1]!
  const k = Math.min(m, n)
  const qc = fullMatrices ? m : k
  const rr = fullMatrices ? m : k
  const q = rec.ctx.alloc("float32", qAval!.size)
  const r = rec.ctx.alloc("float32", rAval!.size)
  const B = batchCount(shape)
  // out2: W, the working copy (m x n); out3: tau (k)
  const W = (i: string, j: string): string => `out2[w0 + (${i}) * ${u(n)} + ${j}]`
  const Q = (i: string, j: string): string => `out0[q0 + (${i}) * ${u(qc)} + ${j}]`
  const body = `  let w0 = g * ${u(m * n)};
  let t0 = g * ${u(Math.max(k, 1))};
  let q0 = g * ${u(m * qc)};
  let r0 = g * ${u(rr * n)};
  for (var i = 0u; i < ${u(m * n)}; i++) { out2[w0 + i] = in0[w0 + i]; }
  for (var j = 0u; j < ${u(k)}; j++) {
    let alpha = ${W("j", "j")};
    var xmax = 0.0;
    for (var i = j + 1u; i < ${u(m)}; i++) { xmax = max(xmax, abs(${W("i", "j")})); }
    if (xmax == 0.0) { out3[t0 + j] = 0.0; continue; }
    // the norm scaled by the largest entry (as LAPACK's nrm2): x * x of a small x would underflow
    let amax = max(xmax, abs(alpha));
    var ss = (alpha / amax) * (alpha / amax);
    for (var i = j + 1u; i < ${u(m)}; i++) { let x = ${W("i", "j")} / amax; ss = ss + x * x; }
    let nrm = amax * sqrt(ss);
    let beta = select(nrm, -nrm, alpha >= 0.0);
    let t = (beta - alpha) / beta;
    out3[t0 + j] = t;
    let scale = 1.0 / (alpha - beta);
    for (var i = j + 1u; i < ${u(m)}; i++) { ${W("i", "j")} = ${W("i", "j")} * scale; }
    ${W("j", "j")} = beta;
    for (var c = j + 1u; c < ${u(n)}; c++) {
      var w = ${W("j", "c")};
      for (var i = j + 1u; i < ${u(m)}; i++) { w = w + ${W("i", "j")} * ${W("i", "c")}; }
      let tw = t * w;
      ${W("j", "c")} = ${W("j", "c")} - tw;
      for (var i = j + 1u; i < ${u(m)}; i++) { ${W("i", "c")} = ${W("i", "c")} - tw * ${W("i", "j")}; }
    }
  }
  for (var i = 0u; i < ${u(m)}; i++) {
    for (var c = 0u; c < ${u(qc)}; c++) { ${Q("i", "c")} = select(0.0, 1.0, i == c); }
  }
  for (var s = 0u; s < ${u(k)}; s++) {
    let j = ${u(Math.max(k, 1) - 1)} - s;
    let t = out3[t0 + j];
    if (t == 0.0) { continue; }
    for (var c = 0u; c < ${u(qc)}; c++) {
      var w = ${Q("j", "c")};
      for (var i = j + 1u; i < ${u(m)}; i++) { w = w + ${W("i", "j")} * ${Q("i", "c")}; }
      let tw = t * w;
      ${Q("j", "c")} = ${Q("j", "c")} - tw;
      for (var i = j + 1u; i < ${u(m)}; i++) { ${Q("i", "c")} = ${Q("i", "c")} - tw * ${W("i", "j")}; }
    }
  }
  for (var i = 0u; i < ${u(rr)}; i++) {
    for (var c = 0u; c < ${u(n)}; c++) { out1[r0 + i * ${u(n)} + c] = select(0.0, ${W("i", "c")}, c >= i); }
  }`
  perMatrix(rec, { name: "qr", batch: B, inputs: [{ buffer: a!.buffer, dtype: "float32" }], outputs: [q, r], scratch: [m * n, Math.max(k, 1)], body })
  return [q, r]
}
