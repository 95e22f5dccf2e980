/**
 * eigh on the GPU: eigenvalues and eigenvectors of each symmetric matrix of a batch (the triangle
 * named by `lower` is read) by the cyclic Jacobi method, as the CPU's small-matrix kernel
 * (backends/cpu/linalg/eigh.ts): rotations zero each off-diagonal entry in turn until a sweep
 * finds every one negligible next to its diagonal entries (|a_pq| <= eps sqrt(|a_pp a_qq|), eps
 * float32's 2^-23 here: the arithmetic is float32 throughout), at most 60 sweeps. Outputs v
 * (columns are the eigenvectors; their signs are not unique, as with JAX) and w, ascending (stable)
 * with `sortEigenvalues`. One invocation per matrix; A and the rotated rows of V in scratch.
 */
import type { EighParams } from "../../../core/primitives/linalg/eigh.js"
import type { Routine } from "../routine.js"
import { batchCount, float32Only, perMatrix, u } from "./common.js"

export const eigh: Routine = (rec, [a], params, [vAval, wAval]) => {
  const { lower, sortEigenvalues } = params as EighParams
  float32Only("eigh", vAval!.dtype)
  const shape = a!.aval.shape
  const n = shape[shape.length - 1]!
  const v = rec.ctx.alloc("float32", vAval!.size)
  const w = rec.ctx.alloc("float32", wAval!.size)
  // out2: A (n x n), out3: V as rows (n x n)
  const A = (i: string, j: string): string => `out2[a0 + (${i}) * ${u(n)} + ${j}]`
  const Vr = (i: string, j: string): string => `out3[a0 + (${i}) * ${u(n)} + ${j}]`
  // lower: A[i][j] = in[i][j] for i >= j, mirrored; upper: in[j][i] for i >= j
  const read = lower ? "select(in0[a0 + j * nn + i], in0[a0 + i * nn + j], i >= j)" : "select(in0[a0 + i * nn + j], in0[a0 + j * nn + i], i >= j)"
  const body = `  let nn = ${u(n)};
  let a0 = g * ${u(n * n)};
  let eps = 1.1920929e-7;
  for (var i = 0u; i < nn; i++) {
    for (var j = 0u; j < nn; j++) { ${A("i", "j")} = ${read}; ${Vr("i", "j")} = select(0.0, 1.0, i == j); }
  }
  for (var sweep = 0u; sweep < (60u + z); sweep++) {
    var rotated = false;
    for (var p = 0u; p + 1u < nn; p++) {
      for (var q = p + 1u; q < nn; q++) {
        let apq = ${A("p", "q")};
        if (apq == 0.0) { continue; }
        let app = ${A("p", "p")};
        let aqq = ${A("q", "q")};
        let small = abs(apq) <= eps * sqrt(abs(app * aqq));
        if (small || !((bitcast<u32>(apq) & 0x7f800000u) != 0x7f800000u)) {
          if (small) { ${A("p", "q")} = 0.0; ${A("q", "p")} = 0.0; }
          continue;
        }
        rotated = true;
        let theta = (aqq - app) / (2.0 * apq);
        let t = select(-1.0, 1.0, theta >= 0.0) / (abs(theta) + sqrt(1.0 + theta * theta));
        let c = 1.0 / sqrt(1.0 + t * t);
        let s = t * c;
        for (var k = 0u; k < nn; k++) {
          let x = ${A("p", "k")};
          let y = ${A("q", "k")};
          ${A("p", "k")} = c * x - s * y;
          ${A("q", "k")} = s * x + c * y;
          let vx = ${Vr("p", "k")};
          let vy = ${Vr("q", "k")};
          ${Vr("p", "k")} = c * vx - s * vy;
          ${Vr("q", "k")} = s * vx + c * vy;
        }
        ${A("p", "p")} = app - t * apq;
        ${A("q", "q")} = aqq + t * apq;
        ${A("p", "q")} = 0.0;
        ${A("q", "p")} = 0.0;
        for (var k = 0u; k < nn; k++) {
          ${A("k", "p")} = ${A("p", "k")};
          ${A("k", "q")} = ${A("q", "k")};
        }
      }
    }
    if (!rotated) { break; }
  }
  for (var i = 0u; i < nn; i++) {
    let di = ${A("i", "i")};
    var rank = i;
    ${
      sortEigenvalues
        ? `rank = 0u;
    for (var j = 0u; j < nn; j++) {
      let dj = ${A("j", "j")};
      if (dj < di || (dj == di && j < i)) { rank = rank + 1u; }
    }`
        : ""
    }
    out1[g * nn + rank] = di;
    for (var r = 0u; r < nn; r++) { out0[a0 + r * nn + rank] = ${Vr("i", "r")}; }
  }`
  perMatrix(rec, {
    name: "eigh",
    batch: batchCount(shape),
    inputs: [{ buffer: a!.buffer, dtype: "float32" }],
    outputs: [v, w],
    scratch: [n * n, n * n],
    body
  })
  return [v, w]
}
