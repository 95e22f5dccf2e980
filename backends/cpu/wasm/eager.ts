/**
 * Which eager operations run on the Wasm SIMD elementwise kernels (`elementwise.ts`), and their
 * executables. Taken: an eager operation's one-equation program (core/devices/eager.ts) of add,
 * sub, mul, div, a comparison, exp, expm1, logistic, tanh or select_n, on float32 operands (a bool predicate for select_n)
 * that each have the output's shape or are rank 0, with at least `minSize` elements. Everything
 * else, and any call whose buffers are not plain float32/bool arrays of the operands' sizes, runs
 * the compiled JS kernel (the same results: see elementwise.ts).
 */
import type { DeviceBuffer, Executable, KernelInput } from "../../../core/backend.js"
import { isEagerProgram } from "../../../core/devices/eager.js"
import type { Jaxpr } from "../../../core/ir.js"
import type { Primitive } from "../../../core/primitive.js"
import { addP, divP, eqP, expm1P, expP, geP, gtP, leP, logisticP, ltP, mulP, neP, selectNP, subP, tanhP } from "../../../core/primitives/elementwise.js"
import { type ArithOp, type CompareOp, type Operand, type UnaryOp, wasmElementwise } from "./elementwise.js"

export const wasmElementwisePolicy = {
  /** Off: every eager operation takes the JS kernels (tests and benchmarks compare the two). */
  enabled: true,
  /** Smallest output (elements) sent to the kernels: below it, copying in and out costs more than it saves. */
  minSize: 4096
}

/** Eager operations run on the kernels since load (for tests that they are taken). */
export const wasmElementwiseStats = { calls: 0 }

const ops = new Map<Primitive, ArithOp | CompareOp | UnaryOp | "select">([
  [expP as Primitive, "exp"],
  [expm1P as Primitive, "expm1"],
  [logisticP as Primitive, "logistic"],
  [tanhP as Primitive, "tanh"],
  [addP as Primitive, "add"],
  [subP as Primitive, "sub"],
  [mulP as Primitive, "mul"],
  [divP as Primitive, "div"],
  [eqP as Primitive, "eq"],
  [neP as Primitive, "ne"],
  [ltP as Primitive, "lt"],
  [gtP as Primitive, "gt"],
  [leP as Primitive, "le"],
  [geP as Primitive, "ge"],
  [selectNP as Primitive, "select"]
])

/**
 * The Wasm executable of an eager program the kernels take, or undefined. `fallback` builds the
 * JS executable (on first need) for calls the kernels cannot take.
 */
export const wasmEagerExecutable = (jaxpr: Jaxpr, fallback: () => Executable): Executable | undefined => {
  if (!wasmElementwisePolicy.enabled || !isEagerProgram(jaxpr) || jaxpr.eqns.length !== 1 || jaxpr.constVars.length > 0) return undefined
  const e = jaxpr.eqns[0]!
  const op = ops.get(e.primitive)
  if (op === undefined || e.outVars.length !== 1 || jaxpr.outs.length !== 1 || jaxpr.outs[0] !== e.outVars[0]) return undefined
  const out = e.outVars[0]!.aval
  if (out.size < wasmElementwisePolicy.minSize) return undefined
  if (e.inputs.length !== jaxpr.inVars.length || e.inputs.some((x, i) => x !== jaxpr.inVars[i])) return undefined
  const want =
    op === "select"
      ? ["bool", "float32", "float32"]
      : op === "exp" || op === "expm1" || op === "logistic" || op === "tanh"
        ? ["float32"]
        : ["float32", "float32"]
  if (e.inputs.length !== want.length) return undefined
  const avals = e.inputs.map((x) => x.aval)
  if (avals.some((a, i) => a.dtype !== want[i])) return undefined
  const compares = op === "eq" || op === "ne" || op === "lt" || op === "gt" || op === "le" || op === "ge"
  if (out.dtype !== (compares ? "bool" : "float32")) return undefined
  const sameShape = (s: ReadonlyArray<number>): boolean => s.length === out.shape.length && s.every((d, i) => d === out.shape[i])
  if (!avals.every((a) => a.shape.length === 0 || sameShape(a.shape))) return undefined
  const kernels = wasmElementwise()
  if (kernels === null) return undefined
  const n = out.size
  const scalar = avals.map((a) => a.shape.length === 0)
  const fits = (b: DeviceBuffer, i: number): boolean =>
    (want[i] === "bool" ? b instanceof Uint8Array : b instanceof Float32Array) && (b as Float32Array | Uint8Array).length === (scalar[i] ? 1 : n)
  let js: Executable | undefined
  return (inputs: ReadonlyArray<KernelInput>): ReadonlyArray<DeviceBuffer> => {
    const operands: Operand[] = []
    for (let i = 0; i < inputs.length; i++) {
      const b = inputs[i]!.buffer
      if (!fits(b, i)) return (js ??= fallback())(inputs)
      operands.push({ data: b as Float32Array | Uint8Array, scalar: scalar[i]! })
    }
    const result = out.dtype === "bool" ? new Uint8Array(n) : new Float32Array(n)
    kernels.run(op, operands, result, n)
    wasmElementwiseStats.calls++
    return [result]
  }
}
