/**
 * Programs on the wire to a worker device: a jaxpr as structured-clone data (no classes, no
 * closures), and back. Primitives travel by name (the worker has the same built-in primitives);
 * literals as host numbers; sub-programs (control flow) nested.
 *
 * Some equations are rewritten on the way, since their params hold closures: custom_jvp_call,
 * custom_vjp_call and checkpoint run their primal program (a `jit` call of it, as they evaluate);
 * a user-defined primitive runs its impl, traced into a program here. Any other function in
 * params (debug.print's sink) becomes a host callback: the worker posts its arguments back and
 * the function runs on this thread.
 */
import { ShapedArray } from "../../../core/array.js"
import type { DType } from "../../../core/dtype.js"
import { DeviceError, ValueError } from "../../../core/errors.js"
import { type Atom, type Eqn, Jaxpr, Lit, Var } from "../../../core/ir.js"
import { traceToJaxpr } from "../../../core/interpreters/stage.js"
import { jitP } from "../../../core/primitives/call.js"
import { pureCallbackP } from "../../../core/primitives/callback.js"
import { checkpointP, customJvpCallP, customVjpCallP } from "../../../core/primitives/custom.js"
import { isBuiltin, lookupPrimitive, type Params, type Primitive } from "../../../core/primitive.js"

export type WireAval = readonly [shape: ReadonlyArray<number>, dtype: DType, weak: boolean]
export type WireAtom = number | { readonly lit: number; readonly aval: WireAval }
export interface WireEqn {
  readonly prim: string
  readonly ins: ReadonlyArray<WireAtom>
  readonly params: unknown
  readonly outs: ReadonlyArray<readonly [number, WireAval]>
}
export interface WireJaxpr {
  readonly $jaxpr: true
  readonly consts: ReadonlyArray<readonly [number, WireAval]>
  readonly ins: ReadonlyArray<readonly [number, WireAval]>
  readonly eqns: ReadonlyArray<WireEqn>
  readonly outs: ReadonlyArray<WireAtom>
}

/**
 * An aval as it travels. Its shape is checked again here, as the code generators check theirs:
 * an array whose shape was changed in place after its checks must not reach the worker's compiler.
 */
const wireAval = (a: ShapedArray): WireAval => {
  for (const d of a.shape) {
    if (typeof d !== "number" || !Number.isSafeInteger(d) || d < 0) {
      throw new ValueError(
        `a worker device cannot run a program with the array shape [${a.shape.map((x) => typeof x).join(", ")}]: every dimension must be a ` +
          "non-negative integer (was an array's shape changed in place?)."
      )
    }
  }
  return [[...a.shape], a.dtype, a.weakType]
}

/** Functions sent as host callbacks, by id (the worker calls back with these ids). */
export interface CallbackTable {
  register(f: (...args: never[]) => unknown): number
}

/** A primitive's impl as a program (user-defined primitives the worker does not know). */
const implProgram = (e: Eqn): Jaxpr => {
  const impl = e.primitive.impl!
  const [closed] = traceToJaxpr(
    e.inputs.map((a) => a.aval),
    (xs) => [[...impl(xs, e.params)], undefined]
  )
  if (closed.consts.length > 0) {
    throw new DeviceError(
      `the impl of the primitive "${e.primitive.name}" captures ${closed.consts.length} array constant(s), which cannot be sent to a worker device; ` +
        "compute them inside the impl from its inputs (scalar constants are fine), or run the primitive on device 0."
    )
  }
  return closed.jaxpr
}

/** Encode a jaxpr for a worker. */
export const encodeJaxpr = (jaxpr: Jaxpr, callbacks: CallbackTable): WireJaxpr => {
  const ids = new Map<Var, number>()
  const declare = (v: Var): readonly [number, WireAval] => {
    const id = ids.size
    ids.set(v, id)
    return [id, wireAval(v.aval)]
  }
  const atom = (a: Atom): WireAtom => {
    if (a instanceof Lit) return { lit: a.val, aval: wireAval(a.aval) }
    const id = ids.get(a)
    if (id === undefined) throw new Error("jaxfx worker wire: a variable is used before it is defined")
    return id
  }
  const value = (v: unknown): unknown => {
    if (v === null || typeof v !== "object") {
      if (typeof v === "function") return { $callback: callbacks.register(v as (...args: never[]) => unknown) }
      return v
    }
    if (v instanceof Jaxpr) return encodeJaxpr(v, callbacks)
    if (v instanceof ShapedArray) return { $aval: wireAval(v) }
    if (globalThis.Array.isArray(v)) return v.map(value)
    const proto = Object.getPrototypeOf(v) as unknown
    if (proto === Object.prototype || proto === null) {
      const out: Record<string, unknown> = {}
      for (const k of Object.keys(v)) out[k] = value((v as Record<string, unknown>)[k])
      return out
    }
    throw new DeviceError(`a program parameter of type ${(v as object).constructor?.name ?? "object"} cannot be sent to a worker device`)
  }
  const consts = jaxpr.constVars.map(declare)
  const ins = jaxpr.inVars.map(declare)
  const eqns = jaxpr.eqns.map((e): WireEqn => {
    const [prim, params] = rewrite(e)
    const inputs = e.inputs.map(atom)
    return { prim: prim.name, ins: inputs, params: value(params), outs: e.outVars.map(declare) }
  })
  return { $jaxpr: true, consts, ins, eqns, outs: jaxpr.outs.map(atom) }
}

/** The primitive and params an equation travels as. */
const rewrite = (e: Eqn): readonly [Primitive, Params] => {
  const p = e.primitive
  if (p === pureCallbackP) {
    // The worker would have to wait for this thread to compute the results, while this thread waits for the worker.
    throw new DeviceError(
      "pureCallback cannot run on a worker CPU device yet: its host function must return values to the worker, which " +
        "workers do not support (debug.print's one-way callbacks they do). Run it on device 0: " +
        'withDefaultDevice(devices("cpu")[0], () => ...) or devicePut its inputs there.'
    )
  }
  if (p === customJvpCallP || p === customVjpCallP) return [jitP as unknown as Primitive, { jaxpr: e.params.fun, name: String(e.params.name) }]
  if (p === checkpointP) return [jitP as unknown as Primitive, { jaxpr: e.params.jaxpr, name: "checkpoint" }]
  if (isBuiltin(p)) return [p, e.params]
  if (p.impl !== undefined) return [jitP as unknown as Primitive, { jaxpr: implProgram(e), name: p.name }]
  throw new ValueError(
    `the primitive "${p.name}" has no impl rule, so it cannot run on a worker device (workers know jaxfx's built-in primitives); ` +
      "give it an impl in terms of other primitives, or run it on device 0."
  )
}

/** Decode a program from the wire (in the worker); `callback(id)` makes the function for a host callback. */
export const decodeJaxpr = (w: WireJaxpr, callback: (id: number) => (...args: unknown[]) => void): Jaxpr => {
  const vars = new Map<number, Var>()
  const define = ([id, a]: readonly [number, WireAval]): Var => {
    const v = new Var(aval(a))
    vars.set(id, v)
    return v
  }
  const atom = (a: WireAtom): Atom => (typeof a === "number" ? vars.get(a)! : new Lit(a.lit, aval(a.aval)))
  const value = (v: unknown): unknown => {
    if (v === null || typeof v !== "object") return v
    if (globalThis.Array.isArray(v)) return v.map(value)
    const o = v as Record<string, unknown>
    if (o.$jaxpr === true) return decodeJaxpr(v as WireJaxpr, callback)
    if (o.$aval !== undefined) return aval(o.$aval as WireAval)
    if (typeof o.$callback === "number") return callback(o.$callback)
    const out: Record<string, unknown> = {}
    for (const k of Object.keys(o)) out[k] = value(o[k])
    return out
  }
  const constVars = w.consts.map(define)
  const inVars = w.ins.map(define)
  const eqns = w.eqns.map((e): Eqn => {
    const primitive = lookupPrimitive(e.prim)
    if (primitive === undefined) throw new Error(`jaxfx worker: unknown primitive "${e.prim}"`)
    const inputs = e.ins.map(atom)
    const params = value(e.params) as Params
    return { primitive, inputs, params, outVars: e.outs.map(define) }
  })
  return new Jaxpr(constVars, inVars, eqns, w.outs.map(atom))
}

const aval = ([shape, dtype, weak]: WireAval): ShapedArray => new ShapedArray(shape, dtype, weak)
