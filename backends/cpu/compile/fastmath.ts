/**
 * Scalar helpers for generated kernels, on top of the eager backend's (backends/cpu/mathfns.ts).
 * Each returns exactly what the eager kernel stores, so fusion never changes a result.
 *
 * float32 exp. The eager float32 kernel stores `Math.fround(Math.exp(x))`. The fused kernels
 * compute exp(x) to within a relative 2e-13 with a table-driven polynomial,
 *   x = k ln2/256 + r,  |r| <= ln2/512,  exp(x) = 2^(k >> 8) * 2^((k & 255)/256) * p(r),
 * (p: the degree-3 Taylor polynomial, evaluated as (1 + r) + r^2 (1/2 + r/6) for a short
 * dependency chain, truncation error <= 1.5e-13; the reduction uses a two-part ln2/256 whose high
 * part has 32 significant bits, so x - k * L1 is exact), and round it to float32 only
 * when y(1 - 1e-12) and y(1 + 1e-12) round to the same float32. Both the exact exp(x) and
 * Math.exp(x) (within 1 ulp of it) lie in that interval, and rounding is monotonic, so the result
 * is Math.fround(Math.exp(x)) bit for bit; otherwise (x near a float32 rounding boundary, about
 * one input in 10^4, or outside [-104, 88.5], or NaN) it calls Math.exp.
 *
 * float32 expm1, the same way: the eager kernel stores `Math.fround(Math.expm1(x))`. For
 * |x| < 0.3466 (about ln2/2) the fused kernels compute x + x^2 (1/2! + x (1/3! + ... + x/11!)) (Taylor
 * to degree 11: truncation below 2.1e-14 of |expm1(x)|, rounding errors of the order of 1e-16);
 * elsewhere in (-104, 88.5) exp(x) - 1 with exp(x) as above (relative error at most
 * 2e-13 exp(x) / |exp(x) - 1| <= 7e-13 there, since |x| >= 0.3466). The result is rounded to
 * float32 when z (1 - 2e-12) and z (1 + 2e-12) round alike (so it is Math.fround(Math.expm1(x)),
 * as for exp); otherwise (near a rounding boundary, x = ±0, outside the range, NaN) Math.expm1.
 */
import { helpers as eagerHelpers } from "../codegen.js"

const N = 256
/** 2^(j/256), j = 0..255. */
const EXP2_FRAC = Float64Array.from({ length: N }, (_, j) => Math.pow(2, j / N))
/** 2^q for q = -160..159, stored at q + 160. */
const EXP2_INT = Float64Array.from({ length: 320 }, (_, i) => Math.pow(2, i - 160))
const INV_L = N / Math.LN2
/** ln2/256 rounded to 32 significant bits (k * L1 is exact for |k| < 2^20), and the rest. */
const L1 = (() => {
  const v = Math.LN2 / N
  const e = Math.floor(Math.log2(v))
  const scale = Math.pow(2, 31 - e)
  return Math.round(v * scale) / scale
})()
const L2 = Math.LN2 / N - L1
/** 1.5 * 2^52: adding it rounds a double of magnitude < 2^51 to an integer. */
const SHIFT = 6755399441055744

/**
 * Statements computing `out = Math.fround(Math.exp(x))` for a float32 value `x` (an identifier),
 * with the tables available as `H.E2F` and `H.E2I` (hoisted by the caller as `E2F`, `E2I`).
 */
export const exp32Code = (x: string, out: string): string =>
  `let ${out}; if (${x} > -104 && ${x} < 88.5) { ` +
  `const kd = (${x} * ${INV_L} + ${SHIFT}) - ${SHIFT}; const ki = kd | 0; ` +
  `const r = (${x} - kd * ${L1}) - kd * ${L2}; ` +
  `const s = E2F[ki & ${N - 1}] * E2I[(ki >> 8) + 160]; ` +
  `const y = ((1 + r) + (r * r) * (0.5 + r * 0.16666666666666666)) * s; ` +
  `const lo = Math.fround(y * 0.999999999999); ` +
  `${out} = lo === Math.fround(y * 1.000000000001) ? lo : Math.fround(Math.exp(${x})); ` +
  `} else ${out} = Math.fround(Math.exp(${x}));`

/** 1/2!, 1/3!, ..., 1/11!. */
const EXPM1_TAYLOR = Array.from({ length: 10 }, (_, i) => {
  let f = 1
  for (let n = 2; n <= i + 2; n++) f *= n
  return 1 / f
})

/** Horner form of x^2 (1/2! + x (1/3! + ... )), as code over the identifier `x`. */
const expm1Tail = (x: string): string => {
  let p = String(EXPM1_TAYLOR[EXPM1_TAYLOR.length - 1])
  for (let i = EXPM1_TAYLOR.length - 2; i >= 0; i--) p = `(${EXPM1_TAYLOR[i]} + ${x} * ${p})`
  return `(${x} * ${x}) * ${p}`
}

/** Statements computing `out = Math.fround(Math.expm1(x))` for a float32 value `x` (an identifier), tables as for exp32Code. */
export const expm132Code = (x: string, out: string): string =>
  `let ${out}; if (${x} > -0.3466 && ${x} < 0.3466 && ${x} !== 0) { ` +
  `const z = ${x} + ${expm1Tail(x)}; ` +
  `const lo = Math.fround(z * 0.999999999998); ` +
  `${out} = lo === Math.fround(z * 1.000000000002) ? lo : Math.fround(Math.expm1(${x})); ` +
  `} else if (${x} > -104 && ${x} < 88.5 && ${x} !== 0) { ` +
  `const kd = (${x} * ${INV_L} + ${SHIFT}) - ${SHIFT}; const ki = kd | 0; ` +
  `const r = (${x} - kd * ${L1}) - kd * ${L2}; ` +
  `const s = E2F[ki & ${N - 1}] * E2I[(ki >> 8) + 160]; ` +
  `const z = ((1 + r) + (r * r) * (0.5 + r * 0.16666666666666666)) * s - 1; ` +
  `const lo = Math.fround(z * 0.999999999998); ` +
  `${out} = lo === Math.fround(z * 1.000000000002) ? lo : Math.fround(Math.expm1(${x})); ` +
  `} else ${out} = Math.fround(Math.expm1(${x}));`

/**
 * Statements computing `out = Math.fround(1 / (1 + Math.exp(-x)))` (the logistic function's JS
 * formula) for a float32 `x`: e = exp(-x) by the table as for exp32Code (relative error 2e-13),
 * 1 / (1 + e) (relative error below 2.5e-13), rounded when z (1 -+ 1e-12) round alike; otherwise
 * (and for -x outside (-104, 88.5), NaN) the formula.
 */
export const logistic32Code = (x: string, out: string): string =>
  `let ${out}; if (${x} > -88.5 && ${x} < 104) { ` +
  `const nx = -${x}; const kd = (nx * ${INV_L} + ${SHIFT}) - ${SHIFT}; const ki = kd | 0; ` +
  `const r = (nx - kd * ${L1}) - kd * ${L2}; ` +
  `const s = E2F[ki & ${N - 1}] * E2I[(ki >> 8) + 160]; ` +
  `const z = 1 / (1 + ((1 + r) + (r * r) * (0.5 + r * 0.16666666666666666)) * s); ` +
  `const lo = Math.fround(z * 0.999999999999); ` +
  `${out} = lo === Math.fround(z * 1.000000000001) ? lo : Math.fround(1 / (1 + Math.exp(-${x}))); ` +
  `} else ${out} = Math.fround(1 / (1 + Math.exp(-${x})));`

/**
 * Statements computing `out = Math.fround(Math.tanh(x))` for a float32 `x`: t = expm1(2x) as in
 * expm132Code (relative error at most 7e-13), t / (t + 2) (relative error at most twice t's),
 * rounded when z (1 -+ 4e-12) round alike; otherwise (x = ±0, |2x| out of range, NaN) Math.tanh.
 */
export const tanh32Code = (x: string, out: string): string =>
  `let ${out}; const a2 = 2 * ${x}; let t = NaN; if (a2 > -0.3466 && a2 < 0.3466 && a2 !== 0) { t = a2 + ${expm1Tail("a2")}; } ` +
  `else if (a2 > -104 && a2 < 88.5 && a2 !== 0) { ` +
  `const kd = (a2 * ${INV_L} + ${SHIFT}) - ${SHIFT}; const ki = kd | 0; ` +
  `const r = (a2 - kd * ${L1}) - kd * ${L2}; ` +
  `const s = E2F[ki & ${N - 1}] * E2I[(ki >> 8) + 160]; ` +
  `t = ((1 + r) + (r * r) * (0.5 + r * 0.16666666666666666)) * s - 1; } ` +
  `const z = t / (t + 2); const lo = Math.fround(z * 0.999999999996); ` +
  `${out} = lo === Math.fround(z * 1.000000000004) ? lo : Math.fround(Math.tanh(${x}));`

const helper = (code: (x: string, out: string) => string, name: string): ((x: number) => number) =>
  new Function("H", `"use strict"; const E2F = H.E2F, E2I = H.E2I; return function ${name}(x) { ${code("x", "o")} return o; };`)({
    E2F: EXP2_FRAC,
    E2I: EXP2_INT
  }) as (x: number) => number

/** The logistic function's float32 result through the fast path (for tests of logistic32Code). */
export const logistic32 = helper(logistic32Code, "logistic32")
/** `Math.fround(Math.tanh(x))` through the fast path (for tests of tanh32Code). */
export const tanh32 = helper(tanh32Code, "tanh32")

/** `Math.fround(Math.expm1(x))`, through the fast path (for tests of expm132Code). */
export const expm132: (x: number) => number = new Function(
  "H",
  `"use strict"; const E2F = H.E2F, E2I = H.E2I; return function expm132(x) { ${expm132Code("x", "o")} return o; };`
)({ E2F: EXP2_FRAC, E2I: EXP2_INT }) as (x: number) => number

/** `Math.fround(Math.exp(x))`, through the fast path (for tests of exp32Code). */
export const exp32: (x: number) => number = new Function(
  "H",
  `"use strict"; const E2F = H.E2F, E2I = H.E2I; return function exp32(x) { ${exp32Code("x", "o")} return o; };`
)({ E2F: EXP2_FRAC, E2I: EXP2_INT }) as (x: number) => number

/** Helpers available to generated kernels as `H.name`. */
export const kernelHelpers = { ...eagerHelpers, exp32, expm132, E2F: EXP2_FRAC, E2I: EXP2_INT } as const
