/**
 * Linear-algebra routines on the GPU, one invocation per matrix or per right-hand side (the
 * sequential algorithms of the CPU's small-matrix kernels, backends/cpu/linalg, in float32): they
 * suit the small batched matrices of models (a Cholesky factor in a Gaussian process, the solves of
 * its gradient), not large factorizations.
 *
 * - cholesky: L with L L^T = A from A's lower triangle (zeros above); a matrix that is not positive
 *   definite gives NaNs on and below the diagonal, as JAX's CPU result.
 * - triangular_solve: op(A) X = B (leftSide) or X op(A) = B, by forward or back substitution per
 *   column (row) of B; op transposes when transposeA; conjugateA is the identity on real dtypes.
 *
 * - tridiagonal_solve: the Thomas algorithm per system and right-hand side (dl[0], du[m-1] ignored,
 *   no pivoting), as the CPU kernel.
 *
 * qr, lu, eigh and svd are in linalg/ (one invocation per matrix too); eig runs on neither (coverage.ts).
 */
import { DTypeError } from "../../core/errors.js"
import type { TriangularSolveParams } from "../../core/primitives/linalg/triangular-solve.js"
import type { Routine } from "./routine.js"
import { dispatchThreads } from "./threads.js"

const float32Only = (name: string, d: string): void => {
  if (d !== "float32") throw new DTypeError(`${name} on the WebGPU device takes float32, got ${d}; cast with astype("float32") or run it on a CPU device.`)
}

export const cholesky: Routine = (rec, [a], _params, [out]) => {
  float32Only("cholesky", out!.dtype)
  const o = rec.ctx.alloc(out!.dtype, out!.size)
  const n = out!.shape[out!.ndim - 1]!
  const nn = n * n
  const body = `  let off = g * ${nn}u;
  var ok = true;
  for (var j = 0u; j < ${n}u; j = j + 1u) {
    let rj = off + j * ${n}u;
    var s = in0[rj + j];
    for (var k = 0u; k < j; k = k + 1u) { s = s - out0[rj + k] * out0[rj + k]; }
    if (!(s > 0.0)) { ok = false; break; }
    let d = sqrt(s);
    out0[rj + j] = d;
    for (var c = j + 1u; c < ${n}u; c = c + 1u) { out0[rj + c] = 0.0; }
    for (var i = j + 1u; i < ${n}u; i = i + 1u) {
      let ri = off + i * ${n}u;
      var t = in0[ri + j];
      for (var k = 0u; k < j; k = k + 1u) { t = t - out0[ri + k] * out0[rj + k]; }
      out0[ri + j] = t / d;
    }
  }
  if (!ok) {
    for (var i = 0u; i < ${n}u; i = i + 1u) {
      for (var j = 0u; j < ${n}u; j = j + 1u) { out0[off + i * ${n}u + j] = select(0.0, j_nan(), j <= i); }
    }
  }`
  dispatchThreads(rec, { name: "cholesky", n: n === 0 ? 0 : out!.size / nn, inputs: ["float32"], outputs: ["float32"], body }, [a!.buffer], [o])
  return [o]
}

export const triangularSolve: Routine = (rec, [a, b], params, [out]) => {
  const p = params as TriangularSolveParams
  float32Only("triangular_solve", out!.dtype)
  const o = rec.ctx.alloc(out!.dtype, out!.size)
  const m = a!.aval.shape[a!.aval.ndim - 1]!
  const rows = b!.aval.shape[b!.aval.ndim - 2]!
  const cols = b!.aval.shape[b!.aval.ndim - 1]!
  // Solve T x = b per vector: T = op(A) (left side), or op(A)^T (right side: X op(A) = B is op(A)^T X^T = B^T).
  const transposed = p.leftSide ? p.transposeA : !p.transposeA
  const lower = p.lower !== transposed
  const per = p.leftSide ? cols : rows // vectors per matrix
  const at = (i: string, k: string): string => `in0[aOff + ${transposed ? `${k} * ${m}u + ${i}` : `${i} * ${m}u + ${k}`}]`
  // element i of vector v in B / X
  const el = (i: string): string => (p.leftSide ? `bOff + ${i} * ${cols}u + v` : `bOff + v * ${cols}u + ${i}`)
  const body = `  let batch = g / ${per}u;
  let v = g % ${per}u;
  let aOff = batch * ${m * m}u;
  let bOff = batch * ${rows * cols}u;
  for (var s = 0u; s < ${m}u; s = s + 1u) {
    let i = ${lower ? "s" : `${m - 1}u - s`};
    var x = in1[${el("i")}];
    for (var t = 0u; t < s; t = t + 1u) {
      let k = ${lower ? "t" : `${m - 1}u - t`};
      x = x - ${at("i", "k")} * out0[${el("k")}];
    }
    out0[${el("i")}] = ${p.unitDiagonal ? "x" : `x / ${at("i", "i")}`};
  }`
  const n = m === 0 ? 0 : (out!.size / (rows * cols || 1)) * per
  dispatchThreads(
    rec,
    { name: "triangular_solve", n: out!.size === 0 ? 0 : n, inputs: ["float32", "float32"], outputs: ["float32"], body },
    [a!.buffer, b!.buffer],
    [o]
  )
  return [o]
}

export const tridiagonalSolve: Routine = (rec, [dl, d, du, b], _params, [out]) => {
  float32Only("tridiagonal_solve", out!.dtype)
  const o = rec.ctx.alloc(out!.dtype, out!.size)
  const m = out!.shape[out!.ndim - 2]!
  const n = out!.shape[out!.ndim - 1]!
  const body = `  let o = (g / ${n}u) * ${m}u;
  let x0 = (g / ${n}u) * ${m * n}u + g % ${n}u;
  var c: array<f32, ${Math.max(m, 1)}>;
  for (var i = 0u; i < ${m}u; i = i + 1u) {
    let r = x0 + i * ${n}u;
    if (i == 0u) {
      let denom = in1[o];
      c[0] = select(0.0, in2[o] / denom, ${m}u > 1u);
      out0[r] = in3[r] / denom;
    } else {
      let denom = in1[o + i] - in0[o + i] * c[i - 1u];
      c[i] = select(0.0, in2[o + i] / denom, i < ${m - 1}u);
      out0[r] = (in3[r] - in0[o + i] * out0[r - ${n}u]) / denom;
    }
  }
  for (var s = 1u; s < ${m}u; s = s + 1u) {
    let i = ${m - 1}u - s;
    let r = x0 + i * ${n}u;
    out0[r] = out0[r] - c[i] * out0[r + ${n}u];
  }`
  dispatchThreads(
    rec,
    { name: "tridiagonal_solve", n: m === 0 ? 0 : out!.size / m, inputs: ["float32", "float32", "float32", "float32"], outputs: ["float32"], body },
    [dl!.buffer, d!.buffer, du!.buffer, b!.buffer],
    [o]
  )
  return [o]
}
