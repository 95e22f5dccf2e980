/**
 * Array creation (jax.numpy): `array`, `zeros`, `ones`, `full`, the `*Like` variants, `arange`,
 * `linspace` and `eye`. The default dtype is float32; JS numbers are weakly typed where JAX's
 * Python scalars are (`full(3, 1)` is a weak int32 array, `zeros(3)` a strong float32 one).
 */
import { Array, ShapedArray } from "../array.js"
import { castScalar, complexPartDType, type DType, isComplex, isFloat, literalElement, valueArrayCtor } from "../dtype.js"
import { type DTypeRequest, requestUserDType } from "../dtypes/request.js"
import { DTypeError, ShapeError, ValueError } from "../errors.js"
import { checkOptions, optionKeys } from "../options.js"
import { constant } from "../primitives/common.js"
import { add, convertElementType, div, floor, mul, sub } from "../primitives/elementwise.js"
import { broadcastTo, concatenate, iota, reshape } from "../primitives/shape-ops.js"
import { fromHost } from "../trace.js"
import { type ArrayLike, asArray, type Operand, promoteDtypes, scalarArray, typeOf } from "./coerce.js"

/** A shape: one dimension as a number, or a list of dimensions. */
export type ShapeLike = number | ReadonlyArray<number>

export interface DTypeOption {
  /** int64 / uint64 give int32 / uint32 with JAX's warning (x64 off), as in JAX. */
  readonly dtype?: DTypeRequest | undefined
}

export interface LikeOptions extends DTypeOption {
  /** Override the shape of the result (default: the shape of the template). */
  readonly shape?: ShapeLike | undefined
}

const DTYPE_KEYS = optionKeys<DTypeOption>()("dtype")
const LIKE_KEYS = optionKeys<LikeOptions>()("dtype", "shape")

/**
 * The dtype option checked, and canonicalized as JAX does (with x64 off float64 is float32 and
 * int64 int32, with JAX's warning).
 */
const checkDType = <D extends DTypeRequest | undefined>(what: string, dtype: D): (D & DType) | "float32" | "complex64" | "int32" | "uint32" =>
  (dtype === undefined ? undefined : requestUserDType(dtype, what, what.replace(/^np\./, ""))) as (D & DType) | "float32"

/**
 * Normalize a shape argument, checking every dimension is a non-negative integer.
 *
 * @example
 * np.toShape("np.zeros", 3) // [3]
 * np.toShape("np.zeros", [2, 3]) // [2, 3]
 */
export const toShape = (what: string, shape: ShapeLike): number[] => {
  // Anything but a number or a list is checked (and refused) as a one-entry shape.
  const dims = typeof shape === "number" ? [shape] : globalThis.Array.isArray(shape) ? [...shape] : [shape as unknown as number]
  for (const d of dims) {
    if (!Number.isInteger(d) || d < 0) {
      throw new ShapeError(`${what}: invalid shape [${dims.join(", ")}]; every dimension must be a non-negative integer.`)
    }
  }
  return dims
}

const flatTypedArray = (dtype: DType, n: number) => new (valueArrayCtor(dtype))(n)

// ---------------------------------------------------------------------------------------------

/**
 * `np.array`: numbers, booleans, nested lists, TypedArrays or Arrays to an Array, optionally cast.
 * Integers infer int32, any fraction float32, booleans bool. A list that holds Arrays (tracers
 * too) is `np.stack` of its elements, so it differentiates, jits and vmaps; its dtype is JAX's
 * promotion over every element, JS numbers weakly typed. An integer that does not fit the dtype is
 * an OverflowError, as in JAX, never wrapped. TypedArrays keep their values (Uint8Array bytes and
 * Uint16Array become uint32, Int8Array and Int16Array int32: jaxfx has no narrower dtypes).
 *
 * @example
 * np.array([1, 2, 3])                       // Array([1, 2, 3], dtype=int32)
 * np.array([1, 2], { dtype: "float32" })    // Array([1., 2.], dtype=float32)
 * grad((x: Array) => np.sum(np.array([x.mul(2), x.mul(3)])))(np.array(1.5)) // Array(5., dtype=float32)
 * np.array(2 ** 31)                         // throws OverflowError (int32 holds up to 2 ** 31 - 1)
 */
export const array = (x: ArrayLike, options?: DTypeOption): Array => {
  checkOptions("np.array", options, DTYPE_KEYS)
  const dtype_ = checkDType("np.array", options?.dtype)
  return asArray(x, dtype_)
}

/**
 * `np.asarray(x, { dtype })`: like `np.array` (Arrays pass through uncopied; arrays are immutable).
 *
 * @example
 * np.asarray([1, 2, 3], { dtype: "float32" }) // Array([1., 2., 3.], dtype=float32)
 */
export const asarray = (x: ArrayLike, options?: DTypeOption): Array => array(x, checkOptions("np.asarray", options, DTYPE_KEYS))

/**
 * `np.zeros(shape, { dtype })`: an array of zeros (float32 by default).
 *
 * @example
 * np.zeros([2, 3]).shape // [2, 3]
 * np.zeros(2, { dtype: "int32" }) // Array([0, 0], dtype=int32)
 */
export const zeros = (shape: ShapeLike, options?: DTypeOption): Array => {
  checkOptions("np.zeros", options, DTYPE_KEYS)
  const dtype_ = checkDType("np.zeros", options?.dtype)
  return constant(0, dtype_ ?? "float32", toShape("np.zeros", shape))
}

/**
 * `np.ones(shape, { dtype })`: an array of ones (float32 by default).
 *
 * @example
 * np.ones(3) // Array([1., 1., 1.], dtype=float32)
 */
export const ones = (shape: ShapeLike, options?: DTypeOption): Array => {
  checkOptions("np.ones", options, DTYPE_KEYS)
  const dtype_ = checkDType("np.ones", options?.dtype)
  return constant(1, dtype_ ?? "float32", toShape("np.ones", shape))
}

/** Fill `shape` with a scalar or broadcast an array value, as JAX's lax.full / broadcast_to. */
const fillWith = (what: string, shape: ReadonlyArray<number>, value: Operand, dtype: DType, weak: boolean): Array => {
  if (value instanceof Array) {
    const v = convertElementType(value, dtype, weak && value.weakType)
    if (v.ndim > shape.length) {
      throw new ShapeError(
        `${what}: a fill value of shape [${v.shape.join(", ")}] does not fit shape [${shape.join(", ")}]; give a scalar or an array that broadcasts to the shape.`
      )
    }
    return broadcastTo(v, shape)
  }
  return scalarArray(value, dtype, shape, weak)
}

/**
 * `np.full(shape, fillValue, { dtype })`. Without `dtype` the result takes the fill value's
 * dtype, weakly typed for a JS number (as JAX does for Python scalars).
 *
 * @example
 * np.full([2, 2], 7) // Array([[7, 7], [7, 7]], dtype=int32, weak_type=True)
 * np.full(3, 0.5, { dtype: "float32" }) // Array([0.5, 0.5, 0.5], dtype=float32)
 */
export const full = (shape: ShapeLike, fillValue: Operand, options?: DTypeOption): Array => {
  checkOptions("np.full", options, DTYPE_KEYS)
  const dtype_ = checkDType("np.full", options?.dtype)
  const s = toShape("np.full", shape)
  const t = typeOf(fillValue)
  const dtype = dtype_ ?? t.dtype
  return fillWith("np.full", s, fillValue, dtype, dtype_ === undefined && t.weakType)
}

/**
 * `np.fullLike(x, fillValue, { dtype, shape })`: like `x` (its dtype, weak type and shape unless
 * overridden), filled with `fillValue`.
 *
 * @example
 * np.fullLike(np.array([1.5, 2.5]), 3) // Array([3., 3.], dtype=float32)
 */
export const fullLike = (x: Operand, fillValue: Operand, options?: LikeOptions): Array => {
  checkOptions("np.fullLike", options, LIKE_KEYS)
  const dtype_ = checkDType("np.fullLike", options?.dtype)
  const t = typeOf(x)
  const dtype = dtype_ ?? t.dtype
  const shape = options?.shape === undefined ? (x instanceof Array ? [...x.shape] : []) : toShape("np.fullLike", options.shape)
  return fillWith("np.fullLike", shape, fillValue, dtype, dtype_ === undefined && t.weakType)
}

/**
 * `np.zerosLike(x, { dtype, shape })`.
 *
 * @example
 * np.zerosLike(np.array([[1, 2], [3, 4]])) // Array([[0, 0], [0, 0]], dtype=int32)
 */
export const zerosLike = (x: Operand, options?: LikeOptions): Array => fullLike(x, 0, checkOptions("np.zerosLike", options, LIKE_KEYS))

/**
 * `np.onesLike(x, { dtype, shape })`.
 *
 * @example
 * np.onesLike(np.array([1, 2]), { dtype: "float32" }) // Array([1., 1.], dtype=float32)
 */
export const onesLike = (x: Operand, options?: LikeOptions): Array => fullLike(x, 1, checkOptions("np.onesLike", options, LIKE_KEYS))

// ---------------------------------------------------------------------------------------------

/**
 * `np.arange(stop)` or `np.arange(start, stop, step?, { dtype })`: evenly spaced values in
 * `[start, stop)`. int32 when every argument is an integer, float32 otherwise.
 *
 * As in JAX, `arange(stop)` (and `arange(0, stop)`) is an `iota`; other forms are computed on the
 * host like NumPy's arange (in float64, or in `dtype` when given) and cast to the result dtype.
 *
 * @example
 * np.arange(3)            // Array([0, 1, 2], dtype=int32)
 * np.arange(0, 1, 0.25)   // Array([0., 0.25, 0.5, 0.75], dtype=float32)
 */
export function arange(stop: number, options?: DTypeOption): Array
export function arange(start: number, stop: number, options?: DTypeOption): Array
export function arange(start: number, stop: number, step?: number, options?: DTypeOption): Array
export function arange(a: number, b?: number | DTypeOption, c?: number | DTypeOption, d?: DTypeOption): Array {
  const opts = typeof b === "object" ? b : typeof c === "object" ? c : d
  const stop = typeof b === "number" ? b : undefined
  const step = typeof c === "number" ? c : undefined
  checkOptions("np.arange", opts, DTYPE_KEYS)
  const dtypeOpt = checkDType("np.arange", opts?.dtype)
  const args = [a, stop, step].filter((v): v is number => v !== undefined)
  for (const v of args) {
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new ValueError(`np.arange: arguments must be finite JS numbers, got ${String(v)}.`)
    }
  }
  const inferred: DType = args.every((v) => Number.isInteger(v)) ? "int32" : "float32"
  const dtype = dtypeOpt ?? inferred
  if (stop === undefined || (step === undefined && a === 0)) {
    const n = Math.max(0, Math.ceil(stop ?? a))
    return n === 0 ? constant(0, dtype, [0]) : iota(dtype, [n])
  }
  const st = step ?? 1
  if (st === 0) throw new ValueError("np.arange: step must not be zero.")
  const n = Math.max(0, Math.ceil((stop - a) / st))
  // The values run monotonically from the first to the last: both must fit an integer dtype
  // (JAX wraps them silently; jaxfx refuses, as for every integer literal).
  if (n > 0) for (const v of [a, a + (n - 1) * st]) literalElement(v, dtype, "weak")
  // NumPy computes in the requested dtype (in float64 / exact integers when none is given):
  // the first two values are cast, then value[i] = first + i * (second - first).
  const comp: DType = dtypeOpt ?? "float64"
  const out = flatTypedArray(dtype, n)
  const first = castScalar(a, comp)
  const delta = castScalar(castScalar(a + st, comp) - first, comp)
  for (let i = 0; i < n; i++) {
    const v = i === 0 ? first : castScalar(first + castScalar(i * delta, comp), comp)
    out[i] = castScalar(v, dtype)
  }
  return fromHost(out, new ShapedArray([n], dtype))
}

export interface LinspaceOptions extends DTypeOption {
  /** Include `stop` as the last sample (default true). */
  readonly endpoint?: boolean | undefined
  /** The axis of the result along which samples are stored, for array bounds (default 0). */
  readonly axis?: number | undefined
}
const LINSPACE_KEYS = optionKeys<LinspaceOptions>()("dtype", "endpoint", "axis")

/**
 * `np.linspace(start, stop, num = 50, { endpoint, dtype, axis })`: `num` evenly spaced samples.
 * Computed like JAX, in the float dtype of the result: `start * (1 - i/div) + stop * (i/div)`,
 * with `stop` appended exactly when `endpoint` is true. Differentiable in `start` and `stop`.
 *
 * @example
 * np.linspace(0, 1, 5) // Array([0., 0.25, 0.5, 0.75, 1.], dtype=float32)
 */
export const linspace = (start: Operand, stop: Operand, num = 50, options?: LinspaceOptions): Array => {
  checkOptions("np.linspace", options, LINSPACE_KEYS)
  const dtype_ = checkDType("np.linspace", options?.dtype)
  if (!Number.isInteger(num) || num < 0) {
    throw new ValueError(`np.linspace: num must be a non-negative integer, got ${num}.`)
  }
  const endpoint = options?.endpoint ?? true
  const [s0, e0] = promoteDtypes([start, stop], "float")
  const inferred = s0!.dtype
  const dtype = dtype_ ?? inferred
  const comp: DType = isFloat(dtype) ? dtype : "float32"
  const s = convertElementType(s0!, comp)
  const e = convertElementType(e0!, comp)
  const boundsShape = s.ndim >= e.ndim ? [...s.shape] : [...e.shape]
  if (s.ndim > 0 && e.ndim > 0 && s.shape.join(",") !== e.shape.join(",")) {
    throw new ShapeError(
      `np.linspace: start of shape [${s.shape.join(", ")}] and stop of shape [${e.shape.join(", ")}] must have the same shape (or one be a scalar).`
    )
  }
  const rank = boundsShape.length
  const rawAxis = options?.axis ?? 0
  if (!Number.isInteger(rawAxis) || rawAxis < -(rank + 1) || rawAxis > rank) {
    throw new ShapeError(`np.linspace: axis ${rawAxis} is out of range for bounds of rank ${rank}; use an axis in [${-(rank + 1)}, ${rank}].`)
  }
  const axis = rawAxis < 0 ? rank + 1 + rawAxis : rawAxis
  const withAxis = (n: number): number[] => [...boundsShape.slice(0, axis), n, ...boundsShape.slice(axis)]
  const bs = broadcastTo(s, boundsShape)
  const be = broadcastTo(e, boundsShape)
  const kept = withAxis(1)
  let out: Array
  if (num > 1) {
    const div0 = endpoint ? num - 1 : num
    const iotaShape = new globalThis.Array<number>(rank + 1).fill(1)
    iotaShape[axis] = div0
    const step = div(reshape(iota(comp, [div0]), iotaShape), constant(div0, comp))
    const oneMinus = sub(constant(1, comp, [], true), step)
    out = add(mul(reshape(bs, kept), oneMinus), mul(reshape(be, kept), step))
    if (endpoint) out = concatenate([out, reshape(be, kept)], axis)
  } else if (num === 1) {
    out = reshape(bs, kept)
  } else {
    out = constant(0, comp, withAxis(0))
  }
  if (!isFloat(dtype)) out = floor(out)
  return convertElementType(out, dtype)
}

export interface EyeOptions extends DTypeOption {
  /** Index of the diagonal: 0 the main one, positive above, negative below. */
  readonly k?: number | undefined
}
const EYE_KEYS = optionKeys<EyeOptions>()("dtype", "k")

/**
 * `np.eye(n, m?, { k, dtype })`: an n×m matrix with ones on the k-th diagonal (float32 by default).
 *
 * @example
 * np.eye(2) // Array([[1., 0.], [0., 1.]], dtype=float32)
 */
export const eye = (n: number, m?: number | null, options?: EyeOptions): Array => {
  checkOptions("np.eye", options, EYE_KEYS)
  const dtype_ = checkDType("np.eye", options?.dtype)
  const cols = m ?? n
  const [r, c] = toShape("np.eye", [n, cols]) as [number, number]
  const k = options?.k ?? 0
  if (!Number.isInteger(k)) throw new ValueError(`np.eye: k must be an integer, got ${k}.`)
  const dtype = dtype_ ?? "float32"
  // complex storage interleaves (re, im): the real identity, cast
  if (isComplex(dtype)) return convertElementType(eye(r, c, { k, dtype: complexPartDType(dtype) }), dtype)
  const data = flatTypedArray(dtype, r * c)
  for (let i = 0; i < r; i++) {
    const j = i + k
    if (j >= 0 && j < c) data[i * c + j] = 1
  }
  return fromHost(data, new ShapedArray([r, c], dtype))
}

/**
 * `np.identity(n, { dtype })`: the n×n identity matrix.
 *
 * @example
 * np.identity(2) // Array([[1., 0.], [0., 1.]], dtype=float32)
 */
export const identity = (n: number, options?: DTypeOption): Array => eye(n, n, checkOptions("np.identity", options, DTYPE_KEYS))
