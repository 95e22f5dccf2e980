/**
 * Tagged errors. Each is an effect `Data.TaggedError` (so also a JS `Error`) whose message says
 * what went wrong and what to do about it. Pure functions throw them; the Effect API surfaces them
 * in the typed error channel.
 */
import { type Cause, Data } from "effect"

/** The instance type of every jaxfx error: an effect YieldableError with a tag and a message. */
export type Described<Tag extends string> = Cause.YieldableError & { readonly _tag: Tag; readonly message: string }

const described = <Tag extends string>(tag: Tag): new (message: string) => Described<Tag> =>
  class extends Data.TaggedError(tag)<{ readonly message: string }> {
    constructor(message: string) {
      super({ message })
    }
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
/** A device failed, or a synchronous read was attempted on an asynchronous device. */
export class DeviceError extends described("DeviceError") {}
/** Data from outside (a checkpoint, JSON, a safetensors header) that does not decode. */
export class CodecError extends described("CodecError") {}
/** A PRNG key consumed a second time while `random.checkKeyReuse(true)` is on. */
export class KeyReuseError extends described("KeyReuseError") {}

export type JaxfxError =
  | ShapeError
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

const errorClasses = [
  ShapeError, DTypeError, NonScalarOutputError, ConcretizationError, UnexpectedTracerError, TreeError, IndexError, ValueError,
  DeviceError, CodecError, KeyReuseError
] as const

/**
 * Whether `e` is one of jaxfx's tagged errors (to tell bad input from bugs elsewhere).
 *
 * @example
 * try { np.zeros([-1]) } catch (e) { if (isJaxfxError(e)) console.log(e._tag, e.message) }
 */
export const isJaxfxError = (e: unknown): e is JaxfxError => errorClasses.some((C) => e instanceof C)
