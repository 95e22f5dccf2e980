/**
 * erf_inv on the GPU, float32: XLA's evaluation (Giles' single-precision polynomial in
 * w = -log1p(-x*x), one branch below w = 5 and one above), the same steps as the CPU kernel
 * (backends/cpu/bits.ts), each in float32; +-1 map to +-inf and |x| > 1 to NaN.
 */
import { DTypeError } from "../../core/errors.js"
import type { Routine } from "./routine.js"
import { dispatchThreads } from "./threads.js"

const LOW = [2.81022636e-8, 3.43273939e-7, -3.5233877e-6, -4.39150654e-6, 0.00021858087, -0.00125372503, -0.00417768164, 0.246640727, 1.50140941]
const HIGH = [-0.000200214257, 0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773, -0.0076224613, 0.00943887047, 1.00167406, 2.83297682]

const horner = (c: ReadonlyArray<number>): string => c.slice(1).reduce((p, k) => `(${k.toExponential()} + ${p} * v)`, `${c[0]!.toExponential()}`)

const functions = `fn j_erfinv(x: f32) -> f32 {
  if (abs(x) == 1.0) { return x * j_inf(); }
  let w = -j_log1p(-(x * x));
  if (j_isnan(w)) { return j_nan(); }
  var p: f32;
  if (w < 5.0) { let v = w - 2.5; p = ${horner(LOW)}; } else { let v = j_sqrt(w) - 3.0; p = ${horner(HIGH)}; }
  return p * x;
}`

export const erfInv: Routine = (rec, [x], _params, [out]) => {
  if (out!.dtype !== "float32") throw new DTypeError(`erf_inv on the WebGPU device takes float32, got ${out!.dtype}; cast with astype("float32").`)
  const o = rec.ctx.alloc(out!.dtype, out!.size)
  dispatchThreads(
    rec,
    { name: "erf_inv", n: out!.size, inputs: ["float32"], outputs: ["float32"], body: "  out0[g] = j_erfinv(in0[g]);", functions },
    [x!.buffer],
    [o]
  )
  return [o]
}
