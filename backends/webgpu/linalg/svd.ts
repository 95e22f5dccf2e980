/**
 * svd on the GPU: singular values (descending, stable) and, with `computeUv`, singular vectors of
 * each m x n matrix of a batch by one-sided (Hestenes) Jacobi, as the CPU's kernel
 * (backends/cpu/linalg/svd.ts): plane rotations orthogonalize the columns of T = A (A^T when
 * m < n) until every pair is orthogonal to 4 eps (float32's eps, 2^-23), at most 60 sweeps; the
 * column norms are the singular values, the normalized columns the left vectors of T, the
 * accumulated rotations its right vectors. Left vectors of T that the columns do not give (zero
 * singular values, the extra columns of a full U or V) complete an orthonormal basis: each is the
 * unit vector e_c with the largest residual against the columns so far, orthogonalized twice
 * (the CPU completes through a Householder QR instead; those columns are not unique). One
 * invocation per matrix; T's columns (as rows) and the rotations in scratch.
 */
import type { SvdParams } from "../../../core/primitives/linalg/svd.js"
import type { Routine } from "../routine.js"
import { batchCount, float32Only, perMatrix, u } from "./common.js"

export const svd: Routine = (rec, [a], params, outs) => {
  const { fullMatrices, computeUv } = params as SvdParams
  float32Only("svd", outs[0]!.dtype)
  const shape = a!.aval.shape
  const m = shape[shape.length - 2]!
  const n = shape[shape.length - 1]!
  const k = Math.min(m, n)
  const tall = m >= n
  const len = tall ? m : n
  const r = k
  const uc = fullMatrices ? m : k
  const vr = fullMatrices ? n : k
  const lc = tall ? uc : vr
  const results = outs.map((o) => rec.ctx.alloc("float32", o.size))
  // Scratch after the results: G (r x len, T's columns as rows) and W (r x r, the rotations as rows).
  const gi = computeUv ? 3 : 1
  const G = (j: string, i: string): string => `out${gi}[g0 + (${j}) * ${u(len)} + ${i}]`
  const W = (j: string, i: string): string => `out${gi + 1}[w0 + (${j}) * ${u(r)} + ${i}]`
  // L (len x lc): the left vectors of T, written in place: U (tall) or V^T's rows (wide).
  const L = (i: string, j: string): string => (tall ? `out1[u0 + (${i}) * ${u(uc)} + ${j}]` : `out2[v0 + (${j}) * ${u(n)} + ${i}]`)
  // R (r x r): the right vectors of T as columns: V^T's rows (tall) or U (wide).
  const R = (i: string, j: string): string => (tall ? `out2[v0 + (${j}) * ${u(n)} + ${i}]` : `out1[u0 + (${i}) * ${u(uc)} + ${j}]`)
  const rr = Math.max(r, 1)
  const vectors = `  let u0 = g * ${u(m * uc)};
  let v0 = g * ${u(vr * n)};
  for (var j = 0u; j < ${u(r)}; j++) {
    let src = order[j];
    for (var i = 0u; i < ${u(r)}; i++) { ${R("i", "j")} = ${W("src", "i")}; }
  }
  let big = select(0.0, nrm[order[0]], ${u(r)} > 0u);
  var good = 0u;
  for (var j = 0u; j < ${u(r)}; j++) {
    let src = order[j];
    let nv = nrm[src];
    if (!(nv > 0.0) || nv <= big * eps * f32(${len})) { break; }
    for (var i = 0u; i < ${u(len)}; i++) { ${L("i", "j")} = ${G("src", "i")} / nv; }
    good = good + 1u;
  }
  for (var j = good; j < ${u(lc)}; j++) {
    var bestC = 0u;
    var bestRes = -1.0;
    for (var c = 0u; c < ${u(len)}; c++) {
      var resid = 1.0;
      for (var f = 0u; f < j; f++) { let x = ${L("c", "f")}; resid = resid - x * x; }
      if (resid > bestRes) { bestRes = resid; bestC = c; }
    }
    for (var i = 0u; i < ${u(len)}; i++) {
      var x = select(0.0, 1.0, i == bestC);
      for (var f = 0u; f < j; f++) { x = x - ${L("bestC", "f")} * ${L("i", "f")}; }
      ${L("i", "j")} = x;
    }
    for (var f = 0u; f < j; f++) {
      var d = 0.0;
      for (var i = 0u; i < ${u(len)}; i++) { d = d + ${L("i", "f")} * ${L("i", "j")}; }
      for (var i = 0u; i < ${u(len)}; i++) { ${L("i", "j")} = ${L("i", "j")} - d * ${L("i", "f")}; }
    }
    var s2 = 0.0;
    for (var i = 0u; i < ${u(len)}; i++) { let x = ${L("i", "j")}; s2 = s2 + x * x; }
    let scl = 1.0 / sqrt(s2);
    for (var i = 0u; i < ${u(len)}; i++) { ${L("i", "j")} = ${L("i", "j")} * scl; }
  }`
  const body = `  let g0 = g * ${u(r * len)};
  let w0 = g * ${u(r * r)};
  let a0 = g * ${u(m * n)};
  let eps = 1.1920929e-7;
  let tol = 4.0 * eps;
  for (var i = 0u; i < ${u(m)}; i++) {
    for (var j = 0u; j < ${u(n)}; j++) { ${tall ? G("j", "i") : G("i", "j")} = in0[a0 + i * ${u(n)} + j]; }
  }
  for (var i = 0u; i < ${u(r)}; i++) {
    for (var j = 0u; j < ${u(r)}; j++) { ${W("i", "j")} = select(0.0, 1.0, i == j); }
  }
  for (var sweep = 0u; sweep < (60u + z); sweep++) {
    var rotated = false;
    for (var p = 0u; p + 1u < ${u(r)}; p++) {
      for (var q = p + 1u; q < ${u(r)}; q++) {
        var alpha = 0.0;
        var beta = 0.0;
        var gamma = 0.0;
        for (var i = 0u; i < ${u(len)}; i++) {
          let x = ${G("p", "i")};
          let y = ${G("q", "i")};
          alpha = alpha + x * x;
          beta = beta + y * y;
          gamma = gamma + x * y;
        }
        if (gamma == 0.0 || abs(gamma) <= tol * sqrt(alpha * beta) || !((bitcast<u32>(gamma) & 0x7f800000u) != 0x7f800000u)) { continue; }
        rotated = true;
        let zeta = (beta - alpha) / (2.0 * gamma);
        let t = select(-1.0, 1.0, zeta >= 0.0) / (abs(zeta) + sqrt(1.0 + zeta * zeta));
        let c = 1.0 / sqrt(1.0 + t * t);
        let s = c * t;
        for (var i = 0u; i < ${u(len)}; i++) {
          let x = ${G("p", "i")};
          let y = ${G("q", "i")};
          ${G("p", "i")} = c * x - s * y;
          ${G("q", "i")} = s * x + c * y;
        }
        for (var i = 0u; i < ${u(r)}; i++) {
          let x = ${W("p", "i")};
          let y = ${W("q", "i")};
          ${W("p", "i")} = c * x - s * y;
          ${W("q", "i")} = s * x + c * y;
        }
      }
    }
    if (!rotated) { break; }
  }
  var nrm: array<f32, ${rr}>;
  var order: array<u32, ${rr}>;
  for (var j = 0u; j < ${u(r)}; j++) {
    var t = 0.0;
    for (var i = 0u; i < ${u(len)}; i++) { let x = ${G("j", "i")}; t = t + x * x; }
    nrm[j] = sqrt(t);
  }
  for (var j = 0u; j < ${u(r)}; j++) {
    var rank = 0u;
    for (var i = 0u; i < ${u(r)}; i++) {
      if (nrm[i] > nrm[j] || (nrm[i] == nrm[j] && i < j)) { rank = rank + 1u; }
    }
    order[rank] = j;
    out0[g * ${u(k)} + rank] = nrm[j];
  }
${computeUv ? vectors : ""}`
  perMatrix(rec, {
    name: "svd",
    batch: batchCount(shape),
    inputs: [{ buffer: a!.buffer, dtype: "float32" }],
    outputs: results,
    scratch: [r * len, r * r],
    body
  })
  return results
}
