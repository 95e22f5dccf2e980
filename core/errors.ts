/**
 * Tagged errors. Each is an effect `Data.TaggedError` (so also a JS `Error`) whose message says
 * what went wrong and what to do about it. Pure functions throw them; the Effect API surfaces them
 * in the typed error channel.
 */
// (the modules, not the "effect" barrel: importing the barrel loads all of effect, about a second)
import type * as Cause from "effect/Cause"
import * as Data from "effect/Data"
import { filterNewError } from "./error-hooks.js"

/** The instance type of every jaxfx error: an effect YieldableError with a tag and a message. */
export type Described<Tag extends string> = Cause.YieldableError & { readonly _tag: Tag; readonly message: string }

/** Marks every class made by `described`, so `isJaxfxError` knows them all (and any added later). */
const JaxfxErrorTypeId: unique symbol = Symbol.for("jaxfx/JaxfxError")

const described = <Tag extends string>(tag: Tag): new (message: string) => Described<Tag> => {
  const cls = class extends Data.TaggedError(tag)<{ readonly message: string }> {
    constructor(message: string) {
      super({ message })
      filterNewError(this, new.target)
    }
  }
  Object.defineProperty(cls.prototype, JaxfxErrorTypeId, { value: true })
  return cls
}

/**
 * Shapes that do not fit together (broadcasting, reshape, matmul, axes).
 *
 * @example
 * try {
 *   np.add(np.zeros([2]), np.zeros([3]))
 * } catch (e) {
 *   if (e instanceof ShapeError) console.log(e.message) // the shapes, and what to do
 * }
 */
export class ShapeError extends described("ShapeError") {}
/**
 * A dtype that an operation cannot take (e.g. grad with respect to an integer input).
 *
 * @example
 * try {
 *   grad((x: Array) => x.sum())(np.array([1, 2]))
 * } catch (e) {
 *   if (e instanceof DTypeError) console.log(e.message) // grad needs float inputs
 * }
 */
export class DTypeError extends described("DTypeError") {}
/**
 * grad of a function whose output is not a scalar, or a tuple without `hasAux`.
 *
 * @example
 * try {
 *   grad((x: Array) => x.mul(2))(np.array([1, 2], { dtype: "float32" }))
 * } catch (e) {
 *   if (e instanceof NonScalarOutputError) console.log(e.message)
 * }
 */
export class NonScalarOutputError extends described("NonScalarOutputError") {}
/**
 * A traced value used where a concrete one is needed.
 *
 * @example
 * const f = jit((x: Array) => (x.sum().item() > 0 ? x : x.neg()))
 * try {
 *   f(np.array([1, 2]))
 * } catch (e) {
 *   if (e instanceof ConcretizationError) console.log(e.message) // use lax.cond or np.where
 * }
 */
export class ConcretizationError extends described("ConcretizationError") {}
/**
 * A tracer used after the transformation that made it has finished.
 *
 * @example
 * const box: { leaked?: Array } = {}
 * jit((x: Array) => {
 *   box.leaked = x
 *   return x
 * })(np.array(1))
 * try {
 *   box.leaked?.add(1)
 * } catch (e) {
 *   if (e instanceof UnexpectedTracerError) console.log(e.message)
 * }
 */
export class UnexpectedTracerError extends described("UnexpectedTracerError") {}
/**
 * Pytrees whose structures differ where they must match.
 *
 * @example
 * try {
 *   tree.map((a: number, b: number) => a + b, [1, 2], [1, 2, 3])
 * } catch (e) {
 *   if (e instanceof TreeError) console.log(e.message) // the structures that differ
 * }
 */
export class TreeError extends described("TreeError") {}
/**
 * Indices out of range, or index expressions jaxfx cannot take.
 *
 * @example
 * try {
 *   np.arange(3).index(5)
 * } catch (e) {
 *   if (e instanceof IndexError) console.log(e.message)
 * }
 */
export class IndexError extends described("IndexError") {}
/**
 * Bad arguments that are none of the above (an unknown option value, a wrong argument count).
 *
 * @example
 * try {
 *   np.sum(np.arange(3), { axes: 0 } as never)
 * } catch (e) {
 *   if (e instanceof ValueError) console.log(e.message) // names the unknown option
 * }
 */
export class ValueError extends described("ValueError") {}
/**
 * A collective named an axis that no enclosing vmap/pmap binds (JAX's "unbound axis name").
 *
 * @example
 * try {
 *   vmap((x: Array) => lax.psum(x, "i"))(np.arange(3))
 * } catch (e) {
 *   if (e instanceof NameError) console.log(e.message) // no enclosing vmap binds "i"
 * }
 */
export class NameError extends described("NameError") {}
/**
 * A device failed, or a synchronous read was attempted on an asynchronous device.
 *
 * @example
 * try {
 *   devices("tpu")
 * } catch (e) {
 *   if (e instanceof DeviceError) console.log(e.message)
 * }
 */
export class DeviceError extends described("DeviceError") {}
/**
 * Data from outside (a checkpoint, JSON, a safetensors header) that does not decode.
 *
 * @example
 * if (isJaxfxError(new CodecError("bad header"))) console.log("every jaxfx error is tagged") // _tag: "CodecError"
 */
export class CodecError extends described("CodecError") {}
/**
 * A PRNG key consumed a second time while `random.checkKeyReuse(true)` is on.
 *
 * @example
 * random.checkKeyReuse(true)
 * const key = random.key(0)
 * random.normal(key)
 * try {
 *   random.normal(key)
 * } catch (e) {
 *   if (e instanceof KeyReuseError) console.log(e.message) // where the key was first consumed
 * }
 * random.checkKeyReuse(false)
 */
export class KeyReuseError extends described("KeyReuseError") {}
/**
 * A JS number that does not fit the integer dtype it must become (JAX's OverflowError); never wrapped.
 *
 * @example
 * try {
 *   np.array([300], { dtype: "uint8" })
 * } catch (e) {
 *   if (e instanceof OverflowError) console.log(e.message)
 * }
 */
export class OverflowError extends described("OverflowError") {}

/**
 * `linearTranspose` of a function that is not linear in its inputs (JAX raises
 * NotImplementedError for a primitive without a transpose rule, or an assertion for a product of
 * two inputs): the message names the operation that breaks linearity.
 *
 * @example
 * try {
 *   linearTranspose((x: Array) => np.sin(x), np.ones([3]))(np.ones([3]))
 * } catch (e) {
 *   if (e instanceof LinearityError) console.log(e.message) // sin is not linear
 * }
 */
export class LinearityError extends described("LinearityError") {}

export type JaxfxError =
  | ShapeError
  | NameError
  | DTypeError
  | NonScalarOutputError
  | ConcretizationError
  | UnexpectedTracerError
  | TreeError
  | IndexError
  | ValueError
  | DeviceError
  | CodecError
  | KeyReuseError
  | OverflowError
  | LinearityError

/**
 * Whether `u` is one of jaxfx's tagged errors (what array code throws on bad input). The Effect
 * layer uses it to move such errors from the defect channel into the typed error channel.
 *
 * @example
 * try { np.reshape(np.zeros([2]), [3]) } catch (e) { isJaxfxError(e) } // true (a ShapeError)
 */
export const isJaxfxError = (u: unknown): u is JaxfxError => typeof u === "object" && u !== null && JaxfxErrorTypeId in u
