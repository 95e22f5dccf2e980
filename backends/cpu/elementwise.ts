/**
 * Elementwise kernels: unary and binary math, comparisons, logic, select_n, convert_element_type
 * and integer_pow. Each operation is one expression per dtype class; `EwKernel` turns it into
 * loops (see codegen.ts):
 *   - contiguous: every operand has the output's size or is a single element (plain loop);
 *   - strided: broadcasting operands (equal rank, dims equal or 1) walk the output with an
 *     odometer over collapsed dimensions; broadcast dimensions have stride 0.
 * Arithmetic happens in doubles and is rounded once per primitive by the typed-array store
 * (float32 rounding, int32/uint32 wrapping). Integer multiplies use Math.imul.
 */
import type { ShapedArray } from "../../core/array.js"
import type { AnyTypedArray, DType } from "../../core/dtype.js"
import type { ConvertParams, IntegerPowParams, RoundParams } from "../../core/primitives/elementwise.js"
import { Lru } from "../../core/lru.js"
import { compile, jsInt } from "./codegen.js"
import { bufferOf, inputAt, type Kernel, outAt } from "./kernel.js"
import { alloc, broadcastStrides, collapse, type Shape } from "./layout.js"

/** One element's result: an expression over operand names, optionally after some statements. */
export type Code = string | { readonly pre: string; readonly expr: string }

type ContigFn = (out: AnyTypedArray, xs: ReadonlyArray<AnyTypedArray>, n: number) => void
type StridedFn = (
  out: AnyTypedArray,
  xs: ReadonlyArray<AnyTypedArray>,
  offs: ReadonlyArray<number>,
  shape: ReadonlyArray<number>,
  strides: ReadonlyArray<ReadonlyArray<number>>
) => void

/** The generated loops of one (operation, dtypes) pair, instantiated on first use. */
export class EwKernel {
  private readonly contig: Array<ContigFn | undefined> = []
  private stridedFn: StridedFn | undefined = undefined
  constructor(
    readonly key: string,
    readonly arity: number,
    private readonly code: Code
  ) {}

  /** The contiguous loop where the operands flagged in `scalarMask` are single elements. */
  contiguous(scalarMask: number): ContigFn {
    const f = this.contig[scalarMask]
    if (f !== undefined) return f
    const g = compile<ContigFn>(`ew:${this.key}:c${scalarMask}`, () => contigSource(this.arity, scalarMask, this.code))
    this.contig[scalarMask] = g
    return g
  }

  strided(): StridedFn {
    if (this.stridedFn === undefined) {
      this.stridedFn = compile<StridedFn>(`ew:${this.key}:s`, () => stridedSource(this.arity, this.code))
    }
    return this.stridedFn
  }

  /** Fill `out` (of shape `outShape`) from operands of equal rank broadcasting to it. */
  run(out: AnyTypedArray, xs: ReadonlyArray<AnyTypedArray>, shapes: ReadonlyArray<Shape>, outShape: Shape): void {
    const n = out.length
    if (n === 0) return
    let mask = 0
    let plain = true
    for (let j = 0; j < xs.length; j++) {
      const len = xs[j]!.length
      if (len === n) continue
      if (len === 1 && j < 30) mask |= 1 << j
      else {
        plain = false
        break
      }
    }
    if (plain) {
      this.contiguous(mask)(out, xs, n)
      return
    }
    const strides: number[][] = []
    const offs: number[] = []
    for (let j = 0; j < xs.length; j++) {
      strides.push(broadcastStrides(shapes[j]!, outShape))
      offs.push(0)
    }
    const c = collapse(outShape, strides)
    this.strided()(out, xs, offs, c.shape, c.strides)
  }
}

const names = (k: number): string[] => Array.from({ length: k }, (_, j) => `a${j}`)
const preOf = (c: Code): string => (typeof c === "string" ? "" : c.pre)
const exprOf = (c: Code): string => (typeof c === "string" ? c : c.expr)

const contigSource = (k: number, mask: number, code: Code): string => {
  const L: string[] = ["return function ewContiguous(out, xs, n) {"]
  for (let j = 0; j < k; j++) L.push(`  const x${j} = xs[${j}];`)
  for (let j = 0; j < k; j++) if ((mask >> j) & 1) L.push(`  const a${j} = x${j}[0];`)
  L.push("  for (let i = 0; i < n; i++) {")
  for (let j = 0; j < k; j++) if (!((mask >> j) & 1)) L.push(`    const a${j} = x${j}[i];`)
  L.push(`    ${preOf(code)}`)
  L.push(`    out[i] = ${exprOf(code)};`)
  L.push("  }")
  L.push("};")
  return L.join("\n")
}

/**
 * Odometer over the output (row-major): the last dimension is the inner loop; on its end the
 * next outer index advances and each operand's position moves by its stride for that dimension.
 */
const stridedSource = (k: number, code: Code): string => {
  const J = Array.from({ length: k }, (_, j) => j)
  const each = (f: (j: number) => string): string => J.map(f).join(" ")
  return `return function ewStrided(out, xs, offs, shape, strides) {
  ${each((j) => `const x${j} = xs[${j}], st${j} = strides[${j}];`)}
  const nd = shape.length;
  const inner = shape[nd - 1];
  ${each((j) => `const is${j} = st${j}[nd - 1];`)}
  const idx = new Int32Array(nd);
  ${each((j) => `let p${j} = offs[${j}];`)}
  let o = 0;
  for (;;) {
    for (let i = 0; i < inner; i++) {
      ${each((j) => `const a${j} = x${j}[p${j}];`)}
      ${preOf(code)}
      out[o++] = ${exprOf(code)};
      ${each((j) => `p${j} += is${j};`)}
    }
    ${each((j) => `p${j} -= is${j} * inner;`)}
    let d = nd - 2;
    for (; d >= 0; d--) {
      ${each((j) => `p${j} += st${j}[d];`)}
      if (++idx[d] < shape[d]) break;
      ${each((j) => `p${j} -= st${j}[d] * shape[d];`)}
      idx[d] = 0;
    }
    if (d < 0) return;
  }
};`
}

// ---------------------------------------------------------------------------------------------
// The operations

const isFloat = (d: DType): boolean => d === "float32" || d === "float64"

type UnaryCode = (a: string, d: DType) => string
const math1 =
  (fn: string): UnaryCode =>
  (a) =>
    `Math.${fn}(${a})`

export const unaryCode: Readonly<Record<string, UnaryCode>> = {
  neg: (a) => `-${a}`,
  // floats: copysign(1, x) for x != 0, else x (keeps -0 and NaN), as XLA's sign
  sign: (a, d) => (isFloat(d) ? `(${a} > 0 ? 1 : ${a} < 0 ? -1 : ${a})` : d === "uint32" ? `(${a} > 0 ? 1 : 0)` : `(${a} > 0 ? 1 : ${a} < 0 ? -1 : 0)`),
  floor: math1("floor"),
  ceil: math1("ceil"),
  // lax.round's two tie rules: "round" (JAX's default) sends halves away from zero; "round_even"
  // (the kernel op of round with roundingMethod 1, and np.round) sends them to even.
  round: (a) => `(${a} < 0 ? -Math.round(-${a}) : Math.round(${a}))`,
  round_even: (a) => `H.roundHalfEven(${a})`,
  is_finite: (a) => `(${a} - ${a} === 0 ? 1 : 0)`,
  not: (a, d) => (d === "bool" ? `(${a} ^ 1)` : `(~${a})`),
  exp: math1("exp"),
  exp2: (a) => `Math.pow(2, ${a})`,
  log: math1("log"),
  log1p: math1("log1p"),
  expm1: math1("expm1"),
  tanh: math1("tanh"),
  logistic: (a) => `1 / (1 + Math.exp(-${a}))`,
  sin: math1("sin"),
  cos: math1("cos"),
  tan: math1("tan"),
  asin: math1("asin"),
  acos: math1("acos"),
  atan: math1("atan"),
  sinh: math1("sinh"),
  cosh: math1("cosh"),
  sqrt: math1("sqrt"),
  rsqrt: (a) => `1 / Math.sqrt(${a})`,
  erf: (a) => `H.erf(${a})`,
  // int32 abs(INT_MIN) = 2^31 wraps back to INT_MIN on store, as in XLA
  abs: (a, d) => (d === "uint32" || d === "bool" ? a : `Math.abs(${a})`)
}

export type BinaryCode = (a: string, b: string, d: DType) => string
const cmp =
  (op: string): BinaryCode =>
  (a, b) =>
    `(${a} ${op} ${b} ? 1 : 0)`

export const binaryCode: Readonly<Record<string, BinaryCode>> = {
  add: (a, b) => `${a} + ${b}`,
  sub: (a, b) => `${a} - ${b}`,
  mul: (a, b, d) => (isFloat(d) ? `${a} * ${b}` : `Math.imul(${a}, ${b})`),
  // XLA integer division: truncates; x / 0 = -1 (all ones); INT_MIN / -1 = INT_MIN (by the wrap)
  div: (a, b, d) =>
    isFloat(d) ? `${a} / ${b}` : d === "uint32" ? `(${b} === 0 ? 4294967295 : Math.trunc(${a} / ${b}))` : `(${b} === 0 ? -1 : (${a} / ${b}) | 0)`,
  // C fmod: sign of the dividend; XLA integer x % 0 = x
  rem: (a, b, d) => (isFloat(d) ? `${a} % ${b}` : `(${b} === 0 ? ${a} : ${a} % ${b})`),
  // C pow: pow(1, y) = 1 and pow(-1, +-inf) = 1, where JavaScript gives NaN
  pow: (a, b, d) =>
    isFloat(d) ? `(${a} === 1 || (${a} === -1 && (${b} === Infinity || ${b} === -Infinity)) ? 1 : Math.pow(${a}, ${b}))` : `H.intPow(${a}, ${b})`,
  // NaN-propagating for floats (Math.max/min), as lax.max/min
  max: (a, b, d) => (isFloat(d) ? `Math.max(${a}, ${b})` : `(${a} >= ${b} ? ${a} : ${b})`),
  min: (a, b, d) => (isFloat(d) ? `Math.min(${a}, ${b})` : `(${a} <= ${b} ? ${a} : ${b})`),
  atan2: (a, b) => `Math.atan2(${a}, ${b})`,
  eq: cmp("==="),
  ne: cmp("!=="),
  lt: cmp("<"),
  le: cmp("<="),
  gt: cmp(">"),
  ge: cmp(">="),
  and: (a, b) => `(${a} & ${b})`,
  or: (a, b) => `(${a} | ${b})`,
  xor: (a, b) => `(${a} ^ ${b})`
}

/** convert_element_type: XLA's saturating float -> int (NaN -> 0), wrapping int -> int, x != 0 -> bool. */
export const convertCode = (from: DType, to: DType, a: string): string => {
  switch (to) {
    case "float32":
    case "float64":
      return a
    case "int32":
      return isFloat(from) ? `(${a} !== ${a} ? 0 : ${a} <= -2147483648 ? -2147483648 : ${a} >= 2147483647 ? 2147483647 : ${a})` : a
    case "uint32":
      return isFloat(from) ? `(${a} !== ${a} || ${a} <= 0 ? 0 : ${a} >= 4294967295 ? 4294967295 : ${a})` : a
    case "bool":
      return `(${a} !== 0 ? 1 : 0)`
    default:
      // Narrow dtypes never reach the kernels: backends/cpu/narrow.ts computes them in 32 bits.
      throw new Error(`jaxfx internal: ${to} reached the CPU kernel compiler`)
  }
}

/**
 * integer_pow as JAX lowers it: binary exponentiation with one multiply per step, each rounded to
 * the dtype (so float32 x**3 is fround(x * fround(x * x))); a negative y takes the reciprocal.
 */
export const integerPowCode = (y: number, d: DType): Code => {
  if (y === 0) return "1"
  const mul = (p: string, q: string): string => (d === "float32" ? `Math.fround(${p} * ${q})` : d === "float64" ? `${p} * ${q}` : `Math.imul(${p}, ${q})`)
  const pre: string[] = []
  let e = Math.abs(y)
  let x = "a0"
  let acc: string | null = null
  let t = 0
  while (e > 0) {
    if (e % 2 === 1) {
      if (acc === null) acc = x
      else {
        pre.push(`const t${t} = ${mul(acc, x)};`)
        acc = `t${t++}`
      }
    }
    e = Math.floor(e / 2)
    if (e > 0) {
      pre.push(`const t${t} = ${mul(x, x)};`)
      x = `t${t++}`
    }
  }
  const r = acc!
  let expr = r
  if (y < 0) {
    expr = isFloat(d) ? `1 / ${r}` : d === "uint32" ? `((${r} >>> 0) === 0 ? 4294967295 : Math.trunc(1 / (${r} >>> 0)))` : `(${r} === 0 ? -1 : (1 / ${r}) | 0)`
  }
  return { pre: pre.join(" "), expr }
}

/** select_n(which, case0, case1, ...): a bool `which` picks case1 when true; int32 picks cases[which] (clamped). */
export const selectCode = (predDtype: DType, nCases: number): string => {
  if (nCases === 1) return "a1"
  if (predDtype === "bool") return "(a0 !== 0 ? a2 : a1)"
  let s = `a${nCases}`
  for (let i = nCases - 2; i >= 1; i--) s = `(a0 === ${jsInt(i)} ? a${i + 1} : ${s})`
  return `(a0 <= 0 ? a1 : ${s})`
}

// ---------------------------------------------------------------------------------------------
// Kernels

// Keys carry user values (integer_pow's exponent, select_n's case count): keep the recent ones.
const cached = <K>(make: (key: string) => K): ((key: string) => K) => {
  const m = new Lru<string, K>(256)
  return (key) => {
    let v = m.get(key)
    if (v === undefined) {
      v = make(key)
      m.set(key, v)
    }
    return v
  }
}

const unaryKernel = (name: string, code: UnaryCode): Kernel => {
  // null marks a dtype for which the operation is the identity (abs of unsigned/bool)
  const byDtype = new Map<DType, EwKernel | null>()
  return (inputs, _params, outs) => {
    const x = inputAt(inputs, 0)
    const d = x.aval.dtype
    const xb = bufferOf(x)
    let k = byDtype.get(d)
    if (k === undefined) {
      const src = code("a0", d)
      k = src === "a0" ? null : new EwKernel(`${name}:${d}`, 1, src)
      byDtype.set(d, k)
    }
    if (k === null) return [xb]
    const out = alloc(outAt(outs).dtype, xb.length)
    if (xb.length > 0) k.contiguous(0)(out, [xb], xb.length)
    return [out]
  }
}

/** A kernel for a binary elementwise primitive, specialized and cached per dtype. */
export const binaryKernel = (name: string, code: BinaryCode): Kernel => {
  const byDtype = new Map<DType, EwKernel>()
  return (inputs, _params, outs) => {
    const x = inputAt(inputs, 0)
    const y = inputAt(inputs, 1)
    const d = x.aval.dtype
    let k = byDtype.get(d)
    if (k === undefined) {
      k = new EwKernel(`${name}:${d}`, 2, code("a0", "a1", d))
      byDtype.set(d, k)
    }
    const o = outAt(outs)
    const out = alloc(o.dtype, o.size)
    k.run(out, [bufferOf(x), bufferOf(y)], [x.aval.shape, y.aval.shape], o.shape)
    return [out]
  }
}

const selectKernels = cached((key) => {
  const [pred, dtype, n] = key.split(":") as [DType, DType, string]
  return new EwKernel(`select_n:${pred}:${dtype}:${n}`, Number(n) + 1, selectCode(pred, Number(n)))
})

const selectN: Kernel = (inputs, _params, outs) => {
  const o = outAt(outs)
  const pred = inputAt(inputs, 0)
  const nCases = inputs.length - 1
  if (nCases === 1 && inputs[1]!.aval.size === o.size) return [inputs[1]!.buffer]
  const k = selectKernels(`${pred.aval.dtype}:${o.dtype}:${nCases}`)
  const out = alloc(o.dtype, o.size)
  const xs: AnyTypedArray[] = []
  const shapes: Shape[] = []
  for (const i of inputs) {
    xs.push(bufferOf(i))
    shapes.push(i.aval.shape)
  }
  k.run(out, xs, shapes, o.shape)
  return [out]
}

const convertKernels = cached((key) => {
  const [from, to] = key.split(":") as [DType, DType]
  return new EwKernel(`convert:${from}:${to}`, 1, convertCode(from, to, "a0"))
})

const convertElementType: Kernel = (inputs, params) => {
  const x = inputAt(inputs, 0)
  const { newDtype } = params as ConvertParams
  if (newDtype === x.aval.dtype) return [x.buffer]
  const xb = bufferOf(x)
  const out = alloc(newDtype, xb.length)
  if (xb.length > 0) convertKernels(`${x.aval.dtype}:${newDtype}`).contiguous(0)(out, [xb], xb.length)
  return [out]
}

const integerPowKernels = cached((key) => {
  const [d, y] = key.split(":") as [DType, string]
  return new EwKernel(`integer_pow:${d}:${y}`, 1, integerPowCode(Number(y), d))
})

const integerPow: Kernel = (inputs, params, outs) => {
  const x = inputAt(inputs, 0)
  const { y } = params as IntegerPowParams
  const xb = bufferOf(x)
  if (y === 1) return [xb]
  const o: ShapedArray = outAt(outs)
  const out = alloc(o.dtype, xb.length)
  if (xb.length > 0) integerPowKernels(`${o.dtype}:${y}`).contiguous(0)(out, [xb], xb.length)
  return [out]
}

export const elementwiseKernels: Record<string, Kernel> = {
  select_n: selectN,
  convert_element_type: convertElementType,
  integer_pow: integerPow
}
for (const [name, code] of Object.entries(unaryCode)) elementwiseKernels[name] = unaryKernel(name, code)
// round_even is a kernel op, not a primitive: round's params pick it.
const roundAway = elementwiseKernels.round!
const roundEven = unaryKernel("round_even", unaryCode.round_even!)
delete elementwiseKernels.round_even
elementwiseKernels.round = (inputs, params, outs) => ((params as RoundParams).roundingMethod === 1 ? roundEven : roundAway)(inputs, params, outs)
for (const [name, code] of Object.entries(binaryCode)) elementwiseKernels[name] = binaryKernel(name, code)
