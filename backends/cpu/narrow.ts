/**
 * The 8- and 16-bit dtypes on the CPU: programs that use int8, int16, uint8, uint16, float16 or
 * bfloat16 are rewritten to compute in 32 bits (int32, uint32, float32) and bring every result
 * back to its dtype right after the operation that made it, as XLA's CPU backend does for float16
 * and bfloat16 (each operation computed in float32 and rounded to nearest even). Integers wrap
 * (int8 300 is 44); conversions from floats saturate (JAX's 300.0 -> int8 is 127). The kernel
 * compiler (compile/) never sees a narrow dtype: the executable widens the narrow inputs (float16
 * words decoded into float32) and narrows the outputs.
 */
import { ShapedArray } from "../../core/array.js"
import type { DeviceBuffer, Executable, KernelInput } from "../../core/backend.js"
import { isEagerProgram, markEagerProgram } from "../../core/devices/eager.js"
import { type AnyTypedArray, type DType, intBounds, type IntDType, isFloat, isHalf, isNarrowInt, storedValues, toTypedArray } from "../../core/dtype.js"
import { DTypeError } from "../../core/errors.js"
import { ClosedJaxpr, type Atom, type Eqn, Jaxpr, Lit, Var } from "../../core/ir.js"
import { traceToJaxpr } from "../../core/interpreters/stage.js"
import type { Params } from "../../core/primitive.js"
import { bitcastConvertType, shiftLeft, shiftRightArithmetic, shiftRightLogical } from "../../core/primitives/bits.js"
import { constant } from "../../core/primitives/common.js"
import { abs, add, and, convertElementType, gt, lt, max, min, ne, or, select, sub } from "../../core/primitives/elementwise.js"
import type { Array } from "../../core/array.js"

const isNarrow = (d: DType): boolean => isHalf(d) || isNarrowInt(d)

/** The 32-bit dtype a narrow one computes in. */
export const wideDType = (d: DType): DType => (isHalf(d) ? "float32" : d === "int8" || d === "int16" ? "int32" : d === "uint8" || d === "uint16" ? "uint32" : d)

const wideAval = (a: ShapedArray): ShapedArray => (isNarrow(a.dtype) ? new ShapedArray(a.shape, wideDType(a.dtype), a.weakType) : a)

// ---------------------------------------------------------------------------------------------
// Whether a program needs the rewrite

const usesNarrow = new WeakMap<Jaxpr, boolean>()

const paramsNarrow = (v: unknown): boolean =>
  v instanceof Jaxpr
    ? needsNarrow(v)
    : v instanceof ClosedJaxpr
      ? needsNarrow(v.jaxpr)
      : v instanceof ShapedArray
        ? isNarrow(v.dtype)
        : typeof v === "string"
          ? isNarrow(v as DType)
          : globalThis.Array.isArray(v)
            ? v.some(paramsNarrow)
            : false

/** Whether a program (or one of its sub-programs) has a value or param of a narrow dtype. */
export const needsNarrow = (j: Jaxpr): boolean => {
  let r = usesNarrow.get(j)
  if (r === undefined) {
    const atom = (a: Atom): boolean => isNarrow(a.aval.dtype)
    r =
      j.constVars.some(atom) ||
      j.inVars.some(atom) ||
      j.outs.some(atom) ||
      j.eqns.some((e) => e.inputs.some(atom) || e.outVars.some(atom) || Object.values(e.params).some(paramsNarrow))
    usesNarrow.set(j, r)
  }
  return r
}

// ---------------------------------------------------------------------------------------------
// Bringing a 32-bit value back to its narrow dtype, as traced operations

const u32 = (v: number): Array => constant(v >>> 0, "uint32", [], true)
const i32 = (v: number): Array => constant(v, "int32", [], true)
const f32 = (v: number): Array => constant(v, "float32", [], true)

/** float32 rounded to the nearest float16 (5 exponent, 10 mantissa bits) or bfloat16 value, ties to even, subnormals kept. */
const roundHalf = (x: Array, half: "float16" | "bfloat16"): Array => {
  const drop = half === "float16" ? 13 : 16
  const bits = bitcastConvertType(x, "uint32")
  const last = shiftRightLogical(and(bits, u32(2 ** drop)), u32(drop))
  let r = and(add(bits, add(last, u32(2 ** (drop - 1) - 1))), u32(~(2 ** drop - 1)))
  if (half === "float16") {
    // Above float16's largest exponent: infinity. Below its smallest normal: multiples of 2^-24,
    // rounded by float32 addition itself (0.5 + |x| has ulp 2^-24), with x's sign.
    const sign = and(bits, u32(0x80000000))
    r = select(gt(and(r, u32(0x7f800000)), u32((127 + 15) << 23)), or(sign, u32(0x7f800000)), r)
    const a = abs(x)
    const tiny = or(bitcastConvertType(sub(add(a, f32(0.5)), f32(0.5)), "uint32"), sign)
    r = select(lt(a, f32(2 ** -14)), tiny, r)
  }
  const out = bitcastConvertType(r, "float32")
  return select(ne(x, x), x, out)
}

/** A 32-bit integer wrapped to a narrow one (two's complement). */
const wrapInt = (x: Array, d: "int8" | "int16" | "uint8" | "uint16"): Array => {
  if (d === "uint8") return and(x, u32(0xff))
  if (d === "uint16") return and(x, u32(0xffff))
  const s = i32(d === "int8" ? 24 : 16)
  return shiftRightArithmetic(shiftLeft(x, s), s)
}

/** A 32-bit integer converted from a float, saturated to a narrow one's range (JAX's float -> int). */
const saturate = (x: Array, d: IntDType): Array => {
  const [lo, hi] = intBounds[d]
  const c = (v: number) => constant(v, x.dtype, [], true)
  return min(max(x, c(lo)), c(hi))
}

// Operations whose result is exact in the narrow dtype already (nothing to round or wrap).
const exact = new Set([
  "max",
  "min",
  "select_n",
  "reshape",
  "broadcast_in_dim",
  "transpose",
  "slice",
  "rev",
  "concatenate",
  "pad",
  "squeeze",
  "expand_dims",
  "gather",
  "dynamic_slice",
  "dynamic_update_slice",
  "reduce_max",
  "reduce_min",
  "copy",
  "sign",
  "floor",
  "ceil",
  "round",
  "stop_gradient",
  "sort",
  "cumax",
  "cummin",
  "cummax"
])
// Operations whose narrow-integer results are not what 32-bit arithmetic gives.
const refusedForNarrowInts = new Set(["shift_right_logical", "clz", "population_count", "bitcast_convert_type"])

/**
 * The equations that compute `target` (narrow dtype `d`) from `source`, its 32-bit value made by
 * `eqn`: traced, so they are ordinary primitives the compiler fuses.
 */
const fixup = (eqn: Eqn, source: Var, target: Var, d: DType): Eqn[] => {
  const fromFloat = eqn.primitive.name === "convert_element_type" && eqn.inputs[0] !== undefined && isFloat(eqn.inputs[0].aval.dtype)
  const [closed] = traceToJaxpr([source.aval], ([x]) => {
    const y = isHalf(d) ? roundHalf(x!, d) : fromFloat ? saturate(x!, d as IntDType) : wrapInt(x!, d as "int8")
    return [[y], undefined]
  })
  const j = closed.jaxpr
  if (j.constVars.length > 0) throw new Error("jaxfx internal: narrow fixup captured constants")
  const subst = new Map<Var, Atom>([[j.inVars[0]!, source]])
  const res = (a: Atom): Atom => (a instanceof Var ? (subst.get(a) ?? a) : a)
  const out: Eqn[] = j.eqns.map((e) => ({ ...e, inputs: e.inputs.map(res) }))
  const last = j.outs[0]!
  if (out.length === 0 || out[out.length - 1]!.outVars[0] !== last) {
    // A fixup that folded to its input: copy through a convert (a no-op on 32 bits).
    out.push({ primitive: convertPrimitive(), inputs: [res(last)], params: { newDtype: target.aval.dtype, weakType: target.aval.weakType }, outVars: [target] })
    return out
  }
  const e = out[out.length - 1]!
  out[out.length - 1] = { ...e, outVars: [target] }
  return out
}

let convertP: Eqn["primitive"] | undefined
const convertPrimitive = (): Eqn["primitive"] => {
  if (convertP === undefined) {
    const [c] = traceToJaxpr([new ShapedArray([], "float32")], ([x]) => [[convertElementType(x!, "int32")], undefined])
    convertP = c.jaxpr.eqns[0]!.primitive
  }
  return convertP
}

// ---------------------------------------------------------------------------------------------
// The rewrite

const rewritten = new WeakMap<Jaxpr, Jaxpr>()

const mapParam = (v: unknown): unknown => {
  if (v instanceof Jaxpr) return widen(v)
  if (v instanceof ClosedJaxpr) {
    if (v.consts.some((c) => isNarrow(c.dtype))) {
      throw new DTypeError("a program whose closed-over constants are 8- or 16-bit arrays is not supported on the CPU yet; pass them as arguments.")
    }
    return new ClosedJaxpr(widen(v.jaxpr), v.consts)
  }
  if (v instanceof ShapedArray) return wideAval(v)
  if (typeof v === "string" && isNarrow(v as DType)) return wideDType(v as DType)
  if (globalThis.Array.isArray(v)) return v.map(mapParam)
  return v
}

/** A program computing its narrow values in 32 bits (see the module comment); `j` itself when it has none. */
export const widen = (j: Jaxpr): Jaxpr => {
  if (!needsNarrow(j)) return j
  let w = rewritten.get(j)
  if (w !== undefined) return w
  const vars = new Map<Var, Var>()
  const v = (x: Var): Var => {
    let y = vars.get(x)
    if (y === undefined) vars.set(x, (y = isNarrow(x.aval.dtype) ? new Var(wideAval(x.aval)) : x))
    return y
  }
  const atom = (a: Atom): Atom => (a instanceof Var ? v(a) : isNarrow(a.aval.dtype) ? new Lit(a.val, wideAval(a.aval)) : a)
  const eqns: Eqn[] = []
  for (const e of j.eqns) {
    const name = e.primitive.name
    if (
      refusedForNarrowInts.has(name) &&
      [...e.inputs, ...e.outVars].some((a) => isNarrowInt(a.aval.dtype) || (name === "bitcast_convert_type" && isHalf(a.aval.dtype)))
    ) {
      throw new DTypeError(`${name} of 8- or 16-bit values is not supported on the CPU yet; convert to int32/uint32 (astype) first.`)
    }
    const params: Record<string, unknown> = {}
    for (const [k, p] of Object.entries(e.params)) params[k] = mapParam(p)
    const fix: [Var, Var, DType][] = []
    const outVars = e.outVars.map((o) => {
      const t = v(o)
      if (!isNarrow(o.aval.dtype) || exact.has(name)) return t
      const tmp = new Var(t.aval)
      fix.push([tmp, t, o.aval.dtype])
      return tmp
    })
    eqns.push({ primitive: e.primitive, inputs: e.inputs.map(atom), params: params as Params, outVars })
    for (const [tmp, t, d] of fix) eqns.push(...fixup(e, tmp, t, d))
  }
  w = new Jaxpr(j.constVars.map(v), j.inVars.map(v), eqns, j.outs.map(atom))
  if (isEagerProgram(j)) markEagerProgram(w)
  rewritten.set(j, w)
  return w
}

// ---------------------------------------------------------------------------------------------
// Buffers in and out

/** A narrow buffer's values in its 32-bit dtype's storage. */
const widenBuffer = (b: AnyTypedArray, d: DType): AnyTypedArray =>
  isHalf(d) ? storedValues(b, d) : d === "int8" || d === "int16" ? Int32Array.from(b) : Uint32Array.from(b)

/** A 32-bit buffer's values (already rounded or wrapped) in the narrow dtype's storage. */
const narrowBuffer = (b: AnyTypedArray, d: DType): AnyTypedArray => toTypedArray(b, d)

/**
 * The executable of `j` built by `compile` from its 32-bit rewrite, with buffers converted on the
 * way in and out; `compile(j)` itself when `j` has no narrow values.
 */
export const compileNarrow = (j: Jaxpr, compile: (j: Jaxpr) => Executable): Executable => {
  if (!needsNarrow(j)) return compile(j)
  const w = widen(j)
  const run = compile(w)
  const outAvals = j.outs.map((a) => a.aval)
  return (inputs: ReadonlyArray<KernelInput>): ReadonlyArray<DeviceBuffer> => {
    const ins = inputs.map((x): KernelInput =>
      isNarrow(x.aval.dtype) ? { buffer: widenBuffer(x.buffer as AnyTypedArray, x.aval.dtype), aval: wideAval(x.aval) } : x
    )
    const outs = run(ins)
    return outs.map((b, i) => (isNarrow(outAvals[i]!.dtype) ? narrowBuffer(b as AnyTypedArray, outAvals[i]!.dtype) : b))
  }
}
