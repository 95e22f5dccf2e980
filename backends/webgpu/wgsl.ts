/**
 * WGSL for scalar values: the storage and value types of jaxfx's dtypes on the GPU, exact constants,
 * and one expression per kernel op with the semantics of the CPU kernels (backends/cpu/elementwise.ts):
 * XLA's integer division (x / 0 = -1), C's fmod, NaN-propagating max/min, saturating float -> int
 * conversion, lax.round's halves away from zero. WGSL leaves several of these to the implementation
 * (log of a negative number, NaN in max, float -> int out of range), so every such case is decided
 * here explicitly, with bit tests rather than arithmetic that a driver could fold.
 *
 * Storage: float32 as f32, int32 as i32, uint32 as u32, bool as u32 (0/1; WGSL has no bool buffers).
 * float64 has no WGSL type: the backend refuses it with a DTypeError before code is generated.
 */
import type { DType } from "../../core/dtype.js"
import { DTypeError } from "../../core/errors.js"
import type { BinaryOp, UnaryOp } from "../../core/kernel/ir.js"

/** The WGSL type a buffer of `d` stores. */
export const storageType = (d: DType): string => {
  switch (d) {
    case "float32":
      return "f32"
    case "int32":
      return "i32"
    case "uint32":
    case "bool":
      return "u32"
    case "float64":
      throw float64Error()
    default:
      throw unsupportedDTypeError(d)
  }
}

/** The WGSL type of a value of `d` in an expression. */
export const valueType = (d: DType): string => (d === "bool" ? "bool" : storageType(d))

export const float64Error = (): DTypeError =>
  new DTypeError(
    "the WebGPU device has no float64 (WGSL has no 64-bit floats): compute in float32 on the GPU (the default; leave jaxEnableX64 off), " +
      'or run float64 programs on a CPU device (devicePut(x, devices("cpu")[0])).'
  )

/** The dtypes WGSL has no type for here (8/16-bit ints, float16/bfloat16 before shader-f16 support, complex). */
export const unsupportedDTypeError = (d: DType): DTypeError =>
  new DTypeError(
    `the WebGPU device has no kernels for ${d} yet (it computes in float32, int32, uint32 and bool` +
      (d === "float16" ? "; float16 needs WGSL's f16, the adapter feature \"shader-f16\", which jaxfx's kernels do not use yet" : "") +
      `): convert first (x.astype("float32")) or run on a CPU device (devicePut(x, devices("cpu")[0])).`
  )

/** A value of `d` read from storage expression `s`. */
export const fromStorage = (d: DType, s: string): string => (d === "bool" ? `(${s} != 0u)` : s)
/** A value of `d` as its storage. */
export const toStorage = (d: DType, v: string): string => (d === "bool" ? `select(0u, 1u, ${v})` : v)

const isFloat = (d: DType): boolean => d === "float32" || d === "float64"

const u32Hex = (bits: number): string => `0x${(bits >>> 0).toString(16)}u`
const f32Bits = new Float32Array(1)
const f32BitsU = new Uint32Array(f32Bits.buffer)

/**
 * An exact constant of `d` (floats by their bits, so -0 survives; NaN and infinities come from
 * helper functions, since WGSL rejects them in constant expressions).
 */
export const constant = (d: DType, v: number): string => {
  if (!Number.isFinite(v) && !isFloat(d)) throw new Error(`jaxfx webgpu: ${v} is no ${d} constant`)
  switch (d) {
    case "float32":
    case "float64":
      if (Number.isNaN(v)) return "j_nan()"
      if (v === Infinity) return "j_inf()"
      if (v === -Infinity) return "(-j_inf())"
      f32Bits[0] = v
      return `bitcast<f32>(${u32Hex(f32BitsU[0]!)})`
    case "int32":
      return `bitcast<i32>(${u32Hex(v | 0)})`
    case "uint32":
      return u32Hex(v)
    case "bool":
      return v !== 0 ? "true" : "false"
    default:
      throw unsupportedDTypeError(d)
  }
}

/**
 * Helper functions the generated kernels call (each kernel includes only those it uses: a function
 * whose name occurs in the body).
 */
const helpers: ReadonlyArray<readonly [string, string]> = [
  ["j_isnan", "fn j_isnan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }"],
  ["j_isinf", "fn j_isinf(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) == 0x7f800000u; }"],
  // NaN and infinity from private variables: WGSL refuses them as constant expressions.
  ["j_nan", "var<private> j_nan_bits: u32 = 0x7fc00000u;\nfn j_nan() -> f32 { return bitcast<f32>(j_nan_bits); }"],
  ["j_inf", "var<private> j_inf_bits: u32 = 0x7f800000u;\nfn j_inf() -> f32 { return bitcast<f32>(j_inf_bits); }"],
  [
    "j_log",
    "fn j_log(x: f32) -> f32 { if (j_isnan(x) || x < 0.0) { return j_nan(); } if (x == 0.0) { return -j_inf(); } if (j_isinf(x)) { return x; } return log(x); }"
  ],
  ["j_sqrt", "fn j_sqrt(x: f32) -> f32 { if (j_isnan(x) || x < 0.0) { return j_nan(); } if (j_isinf(x)) { return x; } return sqrt(x); }"],
  ["j_rsqrt", "fn j_rsqrt(x: f32) -> f32 { if (x == 0.0) { return select(j_inf(), -j_inf(), bitcast<u32>(x) != 0u); } return 1.0 / j_sqrt(x); }"],
  [
    "j_log1p",
    "fn j_log1p(x: f32) -> f32 { let u = 1.0 + x; if (u == 1.0) { return x; } if (j_isinf(u) || u <= 0.0 || j_isnan(u)) { return j_log(u); } return j_log(u) * (x / (u - 1.0)); }"
  ],
  [
    "j_expm1",
    "fn j_expm1(x: f32) -> f32 { if (abs(x) < 1e-5) { return x + 0.5 * x * x; } if (x > 88.0) { return exp(x) - 1.0; } let u = exp(x); if (u == 1.0) { return x; } let um1 = u - 1.0; if (um1 == -1.0) { return -1.0; } return um1 * (x / log(u)); }"
  ],
  // asin and acos through atan2: lavapipe's builtins are off by up to 4e-4 (seen at 0.5, 0.99).
  [
    "j_asin",
    "fn j_asin(x: f32) -> f32 { if (j_isnan(x) || abs(x) > 1.0) { return j_nan(); } if (abs(x) < 1e-3) { return x + x * x * x / 6.0; } return atan2(x, sqrt((1.0 - x) * (1.0 + x))); }"
  ],
  ["j_acos", "fn j_acos(x: f32) -> f32 { if (j_isnan(x) || abs(x) > 1.0) { return j_nan(); } return atan2(sqrt((1.0 - x) * (1.0 + x)), x); }"],
  ["j_tanh", "fn j_tanh(x: f32) -> f32 { if (abs(x) > 10.0) { return sign(x); } return tanh(x); }"],
  ["j_logistic", "fn j_logistic(x: f32) -> f32 { if (x < -88.0) { return exp(x); } return 1.0 / (1.0 + exp(-x)); }"],
  ["j_sign", "fn j_sign(x: f32) -> f32 { if (x > 0.0) { return 1.0; } if (x < 0.0) { return -1.0; } return x; }"],
  ["j_round", "fn j_round(x: f32) -> f32 { let t = trunc(x); if (abs(x - t) >= 0.5) { return t + j_sign(x); } return t; }"],
  // erf: its Maclaurin series below 1 (14 terms reach float32's precision), Abramowitz-Stegun 7.1.26 above.
  [
    "j_erf",
    `fn j_erf(x: f32) -> f32 {
  let a = abs(x);
  if (j_isnan(x)) { return x; }
  if (a < 1.0) {
    let x2 = x * x; var term = x; var sum = x; var n = 0.0;
    for (var k = 1; k < 14; k++) { n = n + 1.0; term = -term * x2 / n; sum = sum + term / (2.0 * n + 1.0); }
    return 1.1283791670955126 * sum;
  }
  if (a > 4.0) { return sign(x); }
  let t = 1.0 / (1.0 + 0.3275911 * a);
  let y = 1.0 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * exp(-a * a);
  return sign(x) * y;
}`
  ],
  [
    "j_pow",
    `fn j_pow(a: f32, b: f32) -> f32 {
  if (a == 1.0 || b == 0.0) { return 1.0; }
  if (a == -1.0 && j_isinf(b)) { return 1.0; }
  if (j_isnan(a) || j_isnan(b)) { return j_nan(); }
  if (a == 0.0) { if (b > 0.0) { return select(0.0, a, b == trunc(b) && abs(b % 2.0) == 1.0); } return select(j_inf(), select(j_inf(), -j_inf(), bitcast<u32>(a) != 0u), b == trunc(b) && abs(b % 2.0) == 1.0); }
  if (a < 0.0) {
    if (b != trunc(b)) { if (j_isinf(b)) { return select(0.0, j_inf(), (abs(a) > 1.0) == (b > 0.0)); } return j_nan(); }
    let r = pow(-a, b);
    return select(r, -r, abs(b % 2.0) == 1.0);
  }
  return pow(a, b);
}`
  ],
  [
    "j_ipow_i32",
    "fn j_ipow_i32(a: i32, b: i32) -> i32 { if (b < 0) { if (a == 1) { return 1; } if (a == -1) { return select(1, -1, (b & 1) == 1); } return 0; } var r = 1; var x = a; var e = b; while (e > 0) { if ((e & 1) == 1) { r = r * x; } x = x * x; e = e >> 1u; } return r; }"
  ],
  [
    "j_ipow_u32",
    "fn j_ipow_u32(a: u32, b: u32) -> u32 { var r = 1u; var x = a; var e = b; while (e > 0u) { if ((e & 1u) == 1u) { r = r * x; } x = x * x; e = e >> 1u; } return r; }"
  ],
  ["j_maxf", "fn j_maxf(a: f32, b: f32) -> f32 { if (j_isnan(a) || j_isnan(b)) { return j_nan(); } return select(b, a, a >= b); }"],
  ["j_minf", "fn j_minf(a: f32, b: f32) -> f32 { if (j_isnan(a) || j_isnan(b)) { return j_nan(); } return select(b, a, a <= b); }"],
  [
    "j_f2i",
    "fn j_f2i(x: f32) -> i32 { if (j_isnan(x)) { return 0; } if (x <= -2147483648.0) { return bitcast<i32>(0x80000000u); } if (x >= 2147483647.0) { return 2147483647; } return i32(x); }"
  ],
  ["j_f2u", "fn j_f2u(x: f32) -> u32 { if (j_isnan(x) || x <= 0.0) { return 0u; } if (x >= 4294967295.0) { return 0xffffffffu; } return u32(x); }"]
]

/** The helper functions a piece of generated code calls, in dependency order. */
export const helpersFor = (body: string): string => {
  const used = new Set<string>()
  const visit = (text: string): void => {
    for (const [name, src] of helpers) {
      if (used.has(name) || !new RegExp(`\\b${name}\\(`).test(text)) continue
      used.add(name)
      visit(src)
    }
  }
  visit(body)
  return helpers
    .filter(([n]) => used.has(n))
    .map(([, s]) => s)
    .join("\n")
}

/** A unary op applied to `a`, a value of dtype `d` (the operand's). */
export const unaryExpr = (op: UnaryOp, a: string, d: DType): string => {
  const f = isFloat(d)
  const int = d === "int32"
  switch (op) {
    case "neg":
      return d === "uint32" ? `(0u - ${a})` : d === "bool" ? a : `(-${a})`
    case "sign":
      return f ? `j_sign(${a})` : int ? `sign(${a})` : d === "uint32" ? `select(0u, 1u, ${a} > 0u)` : a
    case "floor":
      return f ? `floor(${a})` : a
    case "ceil":
      return f ? `ceil(${a})` : a
    case "round":
      return f ? `j_round(${a})` : a
    case "round_even":
      return f ? `round(${a})` : a
    case "is_finite":
      return f ? `((bitcast<u32>(${a}) & 0x7f800000u) != 0x7f800000u)` : "true"
    case "not":
      return d === "bool" ? `(!${a})` : `(~${a})`
    case "exp":
      return `exp(${a})`
    case "exp2":
      return `exp2(${a})`
    case "log":
      return `j_log(${a})`
    case "log1p":
      return `j_log1p(${a})`
    case "expm1":
      return `j_expm1(${a})`
    case "tanh":
      return `j_tanh(${a})`
    case "logistic":
      return `j_logistic(${a})`
    case "asin":
      return `j_asin(${a})`
    case "acos":
      return `j_acos(${a})`
    case "sin":
    case "cos":
    case "tan":
    case "atan":
    case "sinh":
    case "cosh":
      return `${op}(${a})`
    case "sqrt":
      return `j_sqrt(${a})`
    case "rsqrt":
      return `j_rsqrt(${a})`
    case "erf":
      return `j_erf(${a})`
    case "abs":
      return f || int ? `abs(${a})` : a
  }
}

/** A binary op over `a` and `b`, values of dtype `d` (the operands'). */
export const binaryExpr = (op: BinaryOp, a: string, b: string, d: DType): string => {
  const f = isFloat(d)
  if (d === "bool") {
    // bool arithmetic as JAX defines it: add/max = or, mul/min = and; comparisons on 0/1.
    switch (op) {
      case "add":
      case "max":
      case "or":
        return `(${a} || ${b})`
      case "mul":
      case "min":
      case "and":
        return `(${a} && ${b})`
      case "xor":
      case "ne":
        return `(${a} != ${b})`
      case "eq":
        return `(${a} == ${b})`
      case "lt":
      case "le":
      case "gt":
      case "ge":
        return binaryExpr(op, `u32(${a})`, `u32(${b})`, "uint32")
      default:
        throw new DTypeError(`the WebGPU device has no ${op} of bool operands; convert them with astype first.`)
    }
  }
  switch (op) {
    case "add":
      return `(${a} + ${b})`
    case "sub":
      return `(${a} - ${b})`
    case "mul":
      return `(${a} * ${b})`
    case "div":
      return f ? `(${a} / ${b})` : d === "uint32" ? `select(${a} / ${b}, 0xffffffffu, ${b} == 0u)` : `select(${a} / ${b}, -1, ${b} == 0)`
    case "rem":
      return f ? `(${a} % ${b})` : d === "uint32" ? `select(${a} % ${b}, ${a}, ${b} == 0u)` : `select(${a} % ${b}, ${a}, ${b} == 0)`
    case "pow":
      return f ? `j_pow(${a}, ${b})` : d === "uint32" ? `j_ipow_u32(${a}, ${b})` : `j_ipow_i32(${a}, ${b})`
    case "max":
      return f ? `j_maxf(${a}, ${b})` : `max(${a}, ${b})`
    case "min":
      return f ? `j_minf(${a}, ${b})` : `min(${a}, ${b})`
    case "atan2":
      return `atan2(${a}, ${b})`
    case "eq":
      return `(${a} == ${b})`
    // !(a == b): drivers may compile != of floats as an ordered comparison (false for NaN)
    case "ne":
      return f ? `(!(${a} == ${b}))` : `(${a} != ${b})`
    case "lt":
      return `(${a} < ${b})`
    case "le":
      return `(${a} <= ${b})`
    case "gt":
      return `(${a} > ${b})`
    case "ge":
      return `(${a} >= ${b})`
    case "and":
      return `(${a} & ${b})`
    case "or":
      return `(${a} | ${b})`
    case "xor":
      return `(${a} ^ ${b})`
  }
}

/** convert_element_type from `from` to `to`: saturating float -> int (NaN -> 0), wrapping int -> int, x != 0 -> bool. */
export const convertExpr = (from: DType, to: DType, a: string): string => {
  if (from === to) return a
  switch (to) {
    case "float32":
      return `f32(${a})`
    case "int32":
      return isFloat(from) ? `j_f2i(${a})` : from === "uint32" ? `bitcast<i32>(${a})` : `i32(${a})`
    case "uint32":
      return isFloat(from) ? `j_f2u(${a})` : from === "int32" ? `bitcast<u32>(${a})` : `u32(${a})`
    case "bool":
      return isFloat(from) ? `(!(${a} == 0.0))` : `(${a} != ${constant(from, 0)})`
    case "float64":
      throw float64Error()
    default:
      throw unsupportedDTypeError(to)
  }
}

/**
 * integer_pow: binary exponentiation, one multiply per step (each rounded to the dtype, as the CPU
 * kernels do); a negative exponent takes the reciprocal (integers as XLA: 1/0 = -1).
 * Returns statements (using `tmp` as a name prefix) and the result expression.
 */
export const integerPowCode = (y: number, d: DType, a: string, tmp: string): { readonly pre: string; readonly expr: string } => {
  if (y === 0) return { pre: "", expr: constant(d, 1) }
  const pre: string[] = []
  let e = Math.abs(y)
  let x = a
  let acc: string | null = null
  let t = 0
  while (e > 0) {
    if (e % 2 === 1) {
      if (acc === null) acc = x
      else {
        pre.push(`let ${tmp}_${t} = ${acc} * ${x};`)
        acc = `${tmp}_${t++}`
      }
    }
    e = Math.floor(e / 2)
    if (e > 0) {
      pre.push(`let ${tmp}_${t} = ${x} * ${x};`)
      x = `${tmp}_${t++}`
    }
  }
  const r = acc!
  if (y > 0) return { pre: pre.join(" "), expr: r }
  const expr = isFloat(d) ? `(1.0 / ${r})` : d === "uint32" ? `select(1u / ${r}, 0xffffffffu, ${r} == 0u)` : `select(1 / ${r}, -1, ${r} == 0)`
  return { pre: pre.join(" "), expr }
}
