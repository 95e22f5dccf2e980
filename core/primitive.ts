/**
 * A primitive: the unit every interpreter handles. Everything about one primitive (shape rule,
 * jvp rule, transpose rule, batching rule) is registered next to its definition in
 * `core/primitives/`; the interpreters only look rules up here.
 */
import { type Array, ShapedArray } from "./array.js"
import { isInexact } from "./dtype.js"
import type { ParamText } from "./jaxpr.js"
import { ValueError } from "./errors.js"
import { describe } from "./shape.js"
import { bind } from "./trace.js"

/**
 * Marks a linear input of a transpose rule: its value is not known, its cotangent is wanted.
 *
 * @example
 * // A transpose rule receives UndefPrimal for the linear inputs whose cotangents it returns.
 * const neg2 = definePrimitive<Record<string, never>>("doc_neg_undef", ([x]) => [x!])
 * neg2.transpose = ([ct], [x]) => [ct instanceof Zero ? new Zero(x!.aval) : lax.neg(ct!)]
 */
export class UndefPrimal {
  constructor(readonly aval: ShapedArray) {}
}

/**
 * Symbolic zero tangent / cotangent (no array is materialized).
 *
 * @example
 * const z = new Zero(np.zeros([2]).aval) // a float32[2] zero, never materialized
 * z.aval.shape // [2]
 */
export class Zero {
  constructor(readonly aval: ShapedArray) {}
}

export type Params = Readonly<Record<string, unknown>>

export type ShapeRule<P> = (avals: ReadonlyArray<ShapedArray>, params: P) => ReadonlyArray<ShapedArray>
/** Returns the primal outputs and their tangents. Tangents passed in are never `Zero`. */
export type JvpRule<P> = (
  primals: ReadonlyArray<Array>,
  tangents: ReadonlyArray<Array>,
  params: P
) => readonly [ReadonlyArray<Array>, ReadonlyArray<Array | Zero>]
/** A jvp rule whose tangents may be the symbolic `Zero` (an input that carries no derivative). */
export type SymbolicJvpRule<P> = (
  primals: ReadonlyArray<Array>,
  tangents: ReadonlyArray<Array | Zero>,
  params: P
) => readonly [ReadonlyArray<Array>, ReadonlyArray<Array | Zero>]
/** Cotangents of the outputs (Zero where none flows) to cotangents of the linear inputs. */
export type TransposeRule<P> = (cts: ReadonlyArray<Array | Zero>, args: ReadonlyArray<Array | UndefPrimal>, params: P) => ReadonlyArray<Array | Zero | null>
/**
 * Batched inputs (batch dims per input, null = unbatched; at least one is batched) to batched
 * outputs and their dims. `axisSize` is the batch size.
 */
export type BatchRule<P> = (
  args: ReadonlyArray<Array>,
  dims: ReadonlyArray<number | null>,
  params: P,
  axisSize: number
) => readonly [ReadonlyArray<Array>, ReadonlyArray<number | null>]
/**
 * Partial evaluation with some inputs known and some unknown (linearize): compute what can be
 * computed now and stage the rest, by binding primitives on the given tracers. Primitives
 * without this rule are staged whole. Call-like primitives (jit, control flow) define it.
 */
export type PartialEvalRule<P> = (
  args: ReadonlyArray<Array>,
  known: ReadonlyArray<boolean>,
  params: P,
  /** Stage an equation into the unknown part, whatever its inputs. */
  stage: (prim: Primitive, args: ReadonlyArray<Array>, params: Params) => ReadonlyArray<Array>
) => ReadonlyArray<Array>
/** An implementation in terms of other primitives, used instead of a backend kernel. */
export type ImplRule<P> = (args: ReadonlyArray<Array>, params: P) => ReadonlyArray<Array>

/**
 * A collective's batching rule under the transformation that binds one of its axis names
 * (vmap or pmap with `axisName`): like a BatchRule, with that axis's name and size.
 */
export type AxisBatchRule<P> = (
  args: ReadonlyArray<Array>,
  dims: ReadonlyArray<number | null>,
  params: P,
  axisSize: number,
  axisName: string
) => readonly [ReadonlyArray<Array>, ReadonlyArray<number | null>]

/**
 * A primitive operation (JAX's `core.Primitive`): a name, a shape rule, and the rules that
 * transformations look up for it (`impl`, `jvp`, `transpose`, `batch`, lowering). Made with
 * `definePrimitive` and applied with `bind`/`bind1`; every jaxfx op is one.
 *
 * @example
 * const double = definePrimitive<Record<string, never>>("doc_double", ([x]) => [x!])
 * double.impl = ([x]) => [lax.add(x!, x!)]
 * bind1(double, [np.array([1, 2])], {}) // Array([2, 4], dtype=int32)
 */
export class Primitive<P extends Params = Params> {
  shapeRule: ShapeRule<P>
  private jvpRule: JvpRule<P> | undefined = undefined
  private zeroAwareRule: SymbolicJvpRule<P> | undefined = undefined
  /**
   * The jvp rule. Integer and bool inputs carry no derivative (JAX's float0), so with no float
   * input the rule is not consulted: the outputs get zero tangents.
   */
  get jvp(): JvpRule<P> | undefined {
    return this.jvpRule
  }
  set jvp(rule: JvpRule<P> | undefined) {
    this.zeroAwareRule = undefined
    this.jvpRule = rule === undefined ? undefined : this.floatOnly(rule)
  }
  /**
   * A jvp rule that takes symbolic `Zero` tangents as they are (the rules made by
   * core/primitives/rules.ts): the jvp interpreter prefers it, so tangents that are known zeros
   * cost nothing in a differentiated program. Setting it also sets `jvp` (a rule that takes zeros
   * takes arrays too); setting `jvp` afterwards replaces both.
   */
  get jvpSymbolic(): SymbolicJvpRule<P> | undefined {
    return this.zeroAwareRule
  }
  set jvpSymbolic(rule: SymbolicJvpRule<P> | undefined) {
    const wrapped = rule === undefined ? undefined : this.floatOnly(rule)
    this.jvpRule = wrapped
    this.zeroAwareRule = wrapped
  }
  private floatOnly<T extends JvpRule<P>>(rule: T): T {
    return ((primals, tangents, params) => {
      if (primals.some((x) => isInexact(x.dtype))) return rule(primals, tangents, params)
      // No float or complex input: a zero tangent per output, without asking the rule (which may not handle ints).
      const outs = bind(this as unknown as Primitive<P>, primals, params)
      return [outs, outs.map((o) => new Zero(o.aval))]
    }) as T
  }
  transpose: TransposeRule<P> | undefined = undefined
  batch: BatchRule<P> | undefined = undefined
  impl: ImplRule<P> | undefined = undefined
  partialEval: PartialEvalRule<P> | undefined = undefined
  /**
   * Collectives (psum, allGather, ...): the named axes the primitive communicates over. `bind`
   * hands it to the transformation that binds each name, which applies `axisBatch`; `batch` is
   * then the rule under transformations of other axes.
   */
  axisNames: ((p: P) => ReadonlyArray<string>) | undefined = undefined
  axisBatch: AxisBatchRule<P> | undefined = undefined
  /**
   * Takes no static params (elementwise math): bind skips its early shape-rule check under
   * transformations, which is there for params; the rule still runs where the value is computed.
   */
  paramFree = false
  /** Has an effect beyond its outputs (debug printing): never removed or merged by passes. */
  effectful = false
  /** How params print in a jaxpr (JAX's snake_case names); default: all params. */
  printParams: ((p: P) => ReadonlyArray<readonly [string, ParamText]>) | undefined = undefined
  constructor(
    readonly name: string,
    shapeRule: ShapeRule<P>,
    readonly multipleResults = false
  ) {
    this.shapeRule = shapeRule
  }
  toString(): string {
    return this.name
  }
}

const registry = new Map<string, Primitive<never>>()

/**
 * Define a primitive (names are unique, as in JAX's jaxpr text).
 *
 * @example
 * // a primitive whose output has its input's shape and dtype
 * const square = definePrimitive<Record<string, never>>("doc_square", ([x]) => [x!])
 * square.impl = ([x]) => [lax.mul(x!, x!)]
 * bind1(square, [np.array([3])], {}) // Array([9], dtype=int32)
 */
export const definePrimitive = <P extends Params>(name: string, shapeRule: ShapeRule<P>, multipleResults = false): Primitive<P> => {
  if (typeof name !== "string" || name.length === 0) {
    throw new ValueError(`definePrimitive: the name must be a non-empty string such as "my_op", got ${describe(name)}.`)
  }
  if (typeof shapeRule !== "function") throw new ValueError(`definePrimitive("${name}"): the shape rule must be a function, got ${describe(shapeRule)}.`)
  if (registry.has(name)) {
    throw new ValueError(
      `definePrimitive: a primitive named "${name}" already exists (names are unique, as in a jaxpr's text); ` +
        `pick another name, e.g. "${name}_2", or reuse the existing primitive (lookupPrimitive("${name}")).`
    )
  }
  const p = new Primitive<P>(name, shapeRule, multipleResults)
  registry.set(name, p as unknown as Primitive<never>)
  return p
}

let builtins: ReadonlySet<string> | undefined

/** Record the primitives defined so far as jaxfx's own (the package entry calls this once). */
export const sealBuiltins = (): void => {
  builtins ??= new Set(registry.keys())
}

/** Whether a primitive is one of jaxfx's own (every thread that loads jaxfx has it), not user-defined. */
export const isBuiltin = (p: Primitive): boolean => builtins?.has(p.name) === true && registry.get(p.name) === (p as unknown as Primitive<never>)

export const lookupPrimitive = (name: string): Primitive | undefined => registry.get(name) as unknown as Primitive | undefined

export { abstractEval } from "./abstract-eval.js"

export const allPrimitives = (): ReadonlyArray<Primitive> => [...registry.values()] as unknown as ReadonlyArray<Primitive>
