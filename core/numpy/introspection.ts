/**
 * Questions about arrays and shapes answered on the host, as JAX's are (no tracing): `ndim`,
 * `shape`, `size`, `isscalar`, `broadcastShapes`, and the allocation-style `empty`, `emptyLike`
 * (zeros, as JAX's are) and `copy`.
 */
import { Array } from "../array.js"
import { checkOptions, optionKeys } from "../options.js"
import { broadcastShapes as broadcast } from "../shape.js"
import { type ArrayLike, asArray } from "./coerce.js"
import { type DTypeOption, type LikeOptions, type ShapeLike, zeros, zerosLike } from "./creation.js"
import type { Operand } from "./coerce.js"

const shapeOf = (x: ArrayLike): ReadonlyArray<number> => (x instanceof Array ? x.shape : asArray(x).shape)

/** `jnp.ndim(x)`: the number of dimensions of an array or nested list. @example np.ndim([[1, 2]]) // 2 */
export const ndim = (x: ArrayLike): number => shapeOf(x).length

/** `jnp.shape(x)`: the shape of an array or nested list. @example np.shape([[1, 2, 3]]) // [1, 3] */
export const shape = (x: ArrayLike): number[] => [...shapeOf(x)]

export interface SizeOptions {
  /** Count only along this axis (or these axes). */
  readonly axis?: number | ReadonlyArray<number>
}
const SIZE_KEYS = optionKeys<SizeOptions>()("axis")

/**
 * `jnp.size(x, axis=None)`: the number of elements (along `axis`, when given).
 *
 * @example
 * np.size(np.zeros([2, 3]), { axis: 1 }) // 3
 */
export const size = (x: ArrayLike, options?: SizeOptions): number => {
  checkOptions("np.size", options, SIZE_KEYS)
  const s = shapeOf(x)
  const axes = options?.axis === undefined ? s.map((_, i) => i) : typeof options.axis === "number" ? [options.axis] : options.axis
  return axes.reduce((n, a) => n * s[a < 0 ? a + s.length : a]!, 1)
}

/**
 * `jnp.isscalar(x)`: true for numbers, booleans and rank-0 arrays (JAX counts 0-d arrays as
 * scalars), false for everything else.
 *
 * @example
 * np.isscalar(np.array(1)) // true
 */
export const isscalar = (x: unknown): boolean => typeof x === "number" || typeof x === "boolean" || (x instanceof Array && x.ndim === 0)

/**
 * `jnp.broadcast_shapes(*shapes)`: the shape that NumPy broadcasting gives the shapes.
 *
 * @example
 * np.broadcastShapes([2, 1], [3]) // [2, 3]
 */
export const broadcastShapes = (...shapes: ReadonlyArray<ReadonlyArray<number>>): number[] => broadcast(...shapes)

/**
 * `jnp.empty(shape, dtype)`: JAX has no uninitialised memory; this is `np.zeros`.
 *
 * @example
 * np.empty([2]) // [0, 0]
 */
export const empty = (shape: ShapeLike, options?: DTypeOption): Array => zeros(shape, checkOptions("np.empty", options, ["dtype"]))

/** `jnp.empty_like(x, dtype, shape)`: as JAX's, `np.zerosLike`. @example np.emptyLike(np.ones([2])) // [0, 0] */
export const emptyLike = (x: Operand, options?: LikeOptions): Array => zerosLike(x, checkOptions("np.emptyLike", options, ["dtype", "shape"]))

/**
 * `jnp.copy(a)`: a new array with a's values (jaxfx arrays are immutable, so it is `asarray`).
 *
 * @example
 * np.copy([1, 2]) // [1, 2]
 */
export const copy = (a: ArrayLike): Array => asArray(a)
