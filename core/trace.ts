/**
 * The interpreter stack (after Autodidax). Every primitive application goes through `bind`, which
 * finds the innermost transformation among its arguments and lets that trace handle it. Level 0
 * is eager evaluation. Module-level state, not Effect: this is the hot path of every operation.
 */
import { Array, ArrayImpl, ShapedArray } from "./array.js"
import { runEager } from "./devices/eager.js"
import { track } from "./devices/lifetimes.js"
import { place } from "./devices/placement.js"
import { defaultDevice } from "./devices/registry.js"
import { type AnyTypedArray, isHalf, toTypedArray } from "./dtype.js"
import { ConcretizationError, UnexpectedTracerError } from "./errors.js"
import { abstractEval } from "./abstract-eval.js"
import { lookupAxis } from "./parallel/axis-env.js"
import type { Params, Primitive } from "./primitive.js"

/** One active transformation: its level in the stack and the data its traces share. */
export class MainTrace {
  active = true
  constructor(
    readonly level: number,
    readonly makeTrace: (main: MainTrace) => Trace,
    readonly globalData: unknown
  ) {}
  trace(): Trace {
    return this.makeTrace(this)
  }
}

export abstract class Trace {
  constructor(readonly main: MainTrace) {}
  /** Embed a value from a lower level (or a concrete array) as a tracer of this trace. */
  abstract pure(x: Array): Tracer
  lift(x: Array): Tracer {
    return this.pure(x)
  }
  abstract processPrimitive(prim: Primitive, tracers: ReadonlyArray<Tracer>, params: Params): ReadonlyArray<Array>
  /**
   * Whether processPrimitive runs the primitive's shape rule itself (evaluation, staging). For the
   * other traces `bind` runs it first, so bad params fail at bind time under every transformation.
   */
  get runsShapeRule(): boolean {
    return false
  }
}

export abstract class Tracer extends Array {
  abstract readonly trace: Trace
  /** The value one level down when this tracer carries no information of its own. */
  fullLower(): Array {
    return this
  }
  /** A concrete value to read, if this trace has one (JVP primals do; staged values do not). */
  concreteValue(): Array | undefined {
    return undefined
  }
  /** A note on what the value depends on, for ConcretizationError messages. */
  dependence(): string {
    return ""
  }
  data(): ReturnType<ArrayImpl["data"]> {
    if (!this.trace.main.active) throw escapedTracer(this)
    const c = this.concreteValue()
    if (c === undefined) throw concretizationError(this)
    return c.data()
  }
  override toString(): string {
    const c = this.concreteValue()
    return c === undefined ? `Traced<${this.aval.str()}>` : `Traced<${this.aval.str()}>with<${c.toString()}>`
  }
}

const escapedTracer = (t: Tracer): UnexpectedTracerError =>
  new UnexpectedTracerError(
    `a traced value (${t.aval.str()}) was used after the transformation that made it had returned. ` +
      "Return values from the transformed function instead of storing them in outer variables, " +
      "or thread them explicitly (see jaxfx/effects State)."
  )

const concretizationError = (t: Tracer): ConcretizationError =>
  new ConcretizationError(
    `a traced value (${t.aval.str()}) was used where a concrete value is needed (a read, item(), ` +
      `Number(x), a comparison in a JS \`if\`, or a shape).${t.dependence()} Inside jit use lax.cond or ` +
      "np.where for value-dependent branches, lax.whileLoop/forILoop for value-dependent loops, " +
      "or mark the argument static with jit(f, { staticArgnums: [...] })."
  )

export class EvalTrace extends Trace {
  override get runsShapeRule(): boolean {
    return true
  }
  pure(x: Array): Tracer {
    // Level 0 has no tracers: concrete arrays are used as they are.
    return x as Tracer
  }
  processPrimitive(prim: Primitive, args: ReadonlyArray<Tracer>, params: Params): ReadonlyArray<Array> {
    return evalPrimitive(prim, args as ReadonlyArray<Array>, params)
  }
}

/**
 * Run a primitive on concrete arrays: its composite impl, or the compiled one-equation program on
 * the device `place` picks (JAX's committed/uncommitted rule).
 */
export const evalPrimitive = (prim: Primitive, args: ReadonlyArray<Array>, params: Params): ReadonlyArray<Array> => {
  const n = args.length
  const avals = new globalThis.Array<ShapedArray>(n)
  for (let i = 0; i < n; i++) avals[i] = args[i]!.aval
  // The one check point of a primitive's params and output types, before anything runs.
  const outs = abstractEval(prim, avals, params)
  if (prim.impl !== undefined) return prim.impl(args, params)
  const { device, committed, inputs } = place(prim.name, args, (a) => escapedTracer(a as Tracer))
  const bufs = runEager(device, prim, params, inputs, outs)
  return outs.map((aval, i) => track(new ArrayImpl(aval, bufs[i]!, device, committed)))
}

const evalMain = new MainTrace(0, (m) => new EvalTrace(m), null)
const stack: MainTrace[] = [evalMain]
/** The trace that stages every operation (jit/makeJaxpr), even on constants; null when none. */
let dynamicMain: MainTrace | null = null

/** Push a transformation for the duration of `body`. */
export const withNewMain = <A>(makeTrace: (main: MainTrace) => Trace, globalData: unknown, body: (main: MainTrace) => A): A => {
  const main = new MainTrace(stack.length, makeTrace, globalData)
  stack.push(main)
  try {
    return body(main)
  } finally {
    main.active = false
    stack.pop()
  }
}

/** Push a staging transformation that also captures operations on constants (jit, makeJaxpr). */
export const withNewDynamic = <A>(makeTrace: (main: MainTrace) => Trace, globalData: unknown, body: (main: MainTrace) => A): A =>
  withNewMain(makeTrace, globalData, (main) => {
    const prev = dynamicMain
    dynamicMain = main
    try {
      return body(main)
    } finally {
      dynamicMain = prev
    }
  })

/** The staging transformation that captures every operation now (jit, makeJaxpr), or null. */
export const currentDynamicMain = (): MainTrace | null => dynamicMain

export const currentLevel = (): number => stack.length - 1

const findTopTrace = (args: ReadonlyArray<Array>): Trace => {
  let top = dynamicMain ?? evalMain
  for (const a of args) {
    if (a instanceof Tracer) {
      const m = a.trace.main
      if (!m.active) throw escapedTracer(a)
      if (m.level > top.level) top = m
    }
  }
  return top.trace()
}

export const fullRaise = (trace: Trace, x: Array): Tracer => {
  if (!(x instanceof Tracer)) return trace.pure(x)
  const m = x.trace.main
  if (m === trace.main) return x
  if (!m.active) throw escapedTracer(x)
  if (m.level < trace.main.level) return trace.lift(x)
  throw new UnexpectedTracerError(
    `a value of an inner transformation (level ${m.level}) reached an outer one (level ${trace.main.level}): ` +
      "a tracer escaped its transformation. Return it from the transformed function instead."
  )
}

const fullLower = (x: Array): Array => (x instanceof Tracer ? x.fullLower() : x)

/**
 * Apply a primitive under the current transformations; returns every output.
 *
 * @example
 * // a primitive with two results: x + 1 and x - 1
 * const plusMinus = definePrimitive<Record<string, never>>("doc_plus_minus", ([x]) => [x!, x!], true)
 * plusMinus.impl = ([x]) => [lax.add(x!, np.onesLike(x!)), lax.sub(x!, np.onesLike(x!))]
 * const [up, down] = bind(plusMinus, [np.array([5])], {}) // Array([6]...), Array([4]...)
 */
export const bind = <P extends Params>(prim: Primitive<P>, args: ReadonlyArray<Array>, params: P): ReadonlyArray<Array> => {
  if (prim.axisNames !== undefined) return bindCollective(prim as unknown as Primitive, args, params)
  // Fast path: plain eager evaluation with no transformation active.
  if (stack.length === 1) {
    for (const a of args) if (a instanceof Tracer) throw escapedTracer(a)
    return evalPrimitive(prim as unknown as Primitive, args, params)
  }
  const trace = findTopTrace(args)
  if (!trace.runsShapeRule && !prim.paramFree)
    abstractEval(
      prim as unknown as Primitive,
      args.map((a) => a.aval),
      params
    )
  const tracers = args.map((a) => fullRaise(trace, a))
  const outs = trace.processPrimitive(prim as unknown as Primitive, tracers, params)
  return outs.map(fullLower)
}

/**
 * A collective goes at least as high as the transformations that bind its axis names (an
 * unbound name is a NameError), so the one that owns the axis handles it even on values that do
 * not depend on the mapped arguments.
 */
const bindCollective = (prim: Primitive, args: ReadonlyArray<Array>, params: Params): ReadonlyArray<Array> => {
  let top = findTopTrace(args)
  for (const name of prim.axisNames!(params)) {
    const { main } = lookupAxis(name, prim.name)
    if (!main.active) throw new UnexpectedTracerError(`${prim.name}: the transformation that binds axis "${name}" has returned`)
    if (main.level > top.main.level) top = main.trace()
  }
  if (!top.runsShapeRule)
    abstractEval(
      prim,
      args.map((a) => a.aval),
      params
    )
  const outs = top.processPrimitive(
    prim,
    args.map((a) => fullRaise(top, a)),
    params
  )
  return outs.map(fullLower)
}

/**
 * `bind` for primitives with one output.
 *
 * @example
 * const twice = definePrimitive<Record<string, never>>("doc_twice", ([x]) => [x!])
 * twice.impl = ([x]) => [lax.add(x!, x!)]
 * bind1(twice, [np.array([1, 2])], {}) // Array([2, 4], dtype=int32)
 */
export const bind1 = <P extends Params>(prim: Primitive<P>, args: ReadonlyArray<Array>, params: P): Array => bind(prim, args, params)[0]!

/** A concrete array from host data on the default device (uncommitted). */
export const fromHost = (data: AnyTypedArray, aval: ShapedArray): ArrayImpl => {
  const d = defaultDevice()
  // Scalars keep their host value: literals and constant folding read it, not the device.
  // (float16 / bfloat16 host copies are 16-bit words, as the device stores them.)
  const host = aval.size === 1 ? (isHalf(aval.dtype) && data instanceof Uint16Array ? data.slice() : toTypedArray(data, aval.dtype)) : undefined
  const x = new ArrayImpl(aval, d.backend.fromHost(data, aval), d, false, host)
  // Constants made while a program is staged belong to the program (its cache), not to a scope.
  return dynamicMain === null ? track(x) : x
}

export { hostScalar } from "./devices/host.js"
