/**
 * What each scalar kernel op is (in the spirit of tinygrad's op classes): its arity, whether it is
 * transcendental, what recomputing it costs, and how a code generator emits it. The lowering
 * (fusion decisions, lower.ts) and every code generator (backends/cpu/compile/codegen.ts) read
 * this one table instead of keeping their own lists; a new op is one entry here (the table is
 * typed by the op unions of ir.ts, so an op without an entry does not compile).
 */
import type { DType } from "../dtype.js"
import { type BinaryOp, isBinaryOp, isUnaryOp, type UnaryOp } from "./ir.js"

export interface KernelOpInfo {
  readonly arity: 1 | 2
  /**
   * A transcendental function (exp, log, the trigonometric functions, pow, atan2...): slow, so the
   * lowering bounds how many of them one fused kernel chains serially.
   */
  readonly transcendental: boolean
  /**
   * The rough cost of recomputing one element (1 a cheap instruction, 2 a moderate one such as a
   * division or square root, 8 a transcendental function): shared values costing little are
   * recomputed by each consumer instead of being stored.
   */
  readonly cost: 1 | 2 | 8
  /**
   * Costly enough that a code generator computes it only in the select case that uses it
   * (transcendental functions, division and remainder), rather than for every element.
   */
  readonly costly: boolean
  /**
   * How a code generator emits it: `inline` (an expression of arithmetic), or as a call into the
   * math library for float operands (`call`) or for float64 operands only (`callFloat64`: exp, whose
   * float32 form is inline). The CPU generator runs library calls in loops of their own.
   */
  readonly emit: "inline" | "call" | "callFloat64"
}

const cheap = (arity: 1 | 2): KernelOpInfo => ({ arity, transcendental: false, cost: 1, costly: false, emit: "inline" })
const moderate = (arity: 1 | 2, costly = false, emit: KernelOpInfo["emit"] = "inline"): KernelOpInfo => ({
  arity,
  transcendental: false,
  cost: 2,
  costly,
  emit
})
const transcendental = (arity: 1 | 2, emit: KernelOpInfo["emit"] = "call"): KernelOpInfo => ({ arity, transcendental: true, cost: 8, costly: true, emit })

/** The table: one entry per kernel op. */
export const kernelOps: Readonly<Record<UnaryOp | BinaryOp, KernelOpInfo>> = {
  // unary
  neg: cheap(1),
  sign: cheap(1),
  floor: cheap(1),
  ceil: cheap(1),
  round: moderate(1),
  round_even: moderate(1),
  is_finite: cheap(1),
  not: cheap(1),
  exp: transcendental(1, "callFloat64"),
  exp2: transcendental(1),
  log: transcendental(1),
  log1p: transcendental(1),
  expm1: transcendental(1),
  tanh: transcendental(1),
  logistic: transcendental(1),
  sin: transcendental(1),
  cos: transcendental(1),
  tan: transcendental(1),
  asin: transcendental(1),
  acos: transcendental(1),
  atan: transcendental(1),
  sinh: transcendental(1),
  cosh: transcendental(1),
  sqrt: moderate(1),
  rsqrt: moderate(1),
  erf: transcendental(1),
  abs: cheap(1),
  // binary
  add: cheap(2),
  sub: cheap(2),
  mul: cheap(2),
  div: moderate(2, true),
  rem: moderate(2, true, "call"),
  pow: transcendental(2),
  max: cheap(2),
  min: cheap(2),
  atan2: transcendental(2),
  eq: cheap(2),
  ne: cheap(2),
  lt: cheap(2),
  le: cheap(2),
  gt: cheap(2),
  ge: cheap(2),
  and: cheap(2),
  or: cheap(2),
  xor: cheap(2)
}

/**
 * The table's entry for an op name, or undefined for a name that is no unary or binary kernel op.
 *
 * @example
 * kernelOp("tanh")?.transcendental // true
 */
export const kernelOp = (name: string): KernelOpInfo | undefined => (isUnaryOp(name) || isBinaryOp(name) ? kernelOps[name] : undefined)

/**
 * Whether an op on operands of `dtype` is emitted as a math-library call.
 *
 * @example
 * isLibraryCall("exp", "float32") // false: float32 exp is inline
 */
export const isLibraryCall = (op: UnaryOp | BinaryOp, dtype: DType): boolean => {
  const e = kernelOps[op].emit
  return e === "call" ? dtype === "float32" || dtype === "float64" : e === "callFloat64" && dtype === "float64"
}
