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

/** Shapes that do not fit together (broadcasting, reshape, matmul, axes). */
export class ShapeError extends described("ShapeError") {}
/** A dtype that an operation cannot take (e.g. grad with respect to an integer input). */
export class DTypeError extends described("DTypeError") {}
/** grad of a function whose output is not a scalar, or a tuple without `hasAux`. */
export class NonScalarOutputError extends described("NonScalarOutputError") {}
/** A traced value used where a concrete one is needed. */
export class ConcretizationError extends described("ConcretizationError") {}
/** A tracer used after the transformation that made it has finished. */
export class UnexpectedTracerError extends described("UnexpectedTracerError") {}
/** Pytrees whose structures differ where they must match. */
export class TreeError extends described("TreeError") {}
/** Indices out of range, or index expressions jaxfx cannot take. */
export class IndexError extends described("IndexError") {}
/** Bad arguments that are none of the above (an unknown option value, a wrong argument count). */
export class ValueError extends described("ValueError") {}
/** A collective named an axis that no enclosing vmap/pmap binds (JAX's "unbound axis name"). */
export class NameError extends described("NameError") {}
/** A device failed, or a synchronous read was attempted on an asynchronous device. */
export class DeviceError extends described("DeviceError") {}
/** Data from outside (a checkpoint, JSON, a safetensors header) that does not decode. */
export class CodecError extends described("CodecError") {}
/** A PRNG key consumed a second time while `random.checkKeyReuse(true)` is on. */
export class KeyReuseError extends described("KeyReuseError") {}
/** A JS number that does not fit the integer dtype it must become (JAX's OverflowError); never wrapped. */
export class OverflowError extends described("OverflowError") {}

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

/**
 * Whether `u` is one of jaxfx's tagged errors (what array code throws on bad input). The Effect
 * layer uses it to move such errors from the defect channel into the typed error channel.
 *
 * @example
 * try { np.reshape(np.zeros([2]), [3]) } catch (e) { isJaxfxError(e) } // true (a ShapeError)
 */
export const isJaxfxError = (u: unknown): u is JaxfxError => typeof u === "object" && u !== null && JaxfxErrorTypeId in u
