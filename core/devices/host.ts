/** Scalars on the host CPU device (literals' values), apart from trace.ts so that jaxpr.ts needs no tracing. */
import { ArrayImpl, type ShapedArray } from "../array.js"
import { isComplex, toTypedArray } from "../dtype.js"
import { hostDevice } from "./registry.js"

/** A scalar on the host CPU device (the values of literals). */
export const hostScalar = (value: number, aval: ShapedArray): ArrayImpl => {
  const d = hostDevice()
  // A complex literal's value is its real part (literals of complex values with an imaginary part are not made).
  const data = toTypedArray(isComplex(aval.dtype) ? [value, 0] : [value], aval.dtype)
  return new ArrayImpl(aval, d.backend.fromHost(data.slice(), aval), d, false, data)
}
