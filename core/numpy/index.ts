/**
 * `np`: the NumPy-like namespace (JAX's `jax.numpy`). Written only in terms of primitives, so every
 * transformation covers every function. Keyword arguments are a last options object:
 * `np.sum(x, { axis: 0, keepdims: true })`.
 */
export type { ArrayLike, Operand, Scalar } from "./coerce.js"
export * from "./creation.js"
export * from "./math.js"
export * from "./reductions.js"
export * from "./linalg.js"
export * from "./shape.js"
export * from "./indexing.js"
export * from "./convolve.js"
export * from "./correlate.js"
export type { DType } from "../dtype.js"
