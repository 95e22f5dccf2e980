/**
 * Internal helpers of the losses: argument checks, and the masked (`where`) reductions and
 * normalizations that jax.numpy and jax.nn offer and jaxfx's `np`/`nn` do not (yet), written as
 * JAX writes them so that masked and -inf entries give JAX's values.
 */
import { Array, customJvp, DTypeError, np, ShapeError, stopGradient } from "../../../index.js"
import type { ArrayLike } from "../../../core/numpy/coerce.js"

/** Axes of a reduction: one, several, or all (null). */
export type Axis = number | ReadonlyArray<number> | null

/** A float Array from `x`; integer or bool input is a `DTypeError`, as optax's dtype check. */
export const floatArg = (what: string, name: string, x: ArrayLike): Array => {
  const a = x instanceof Array ? x : np.asarray(x)
  if (a.dtype !== "float32" && a.dtype !== "float64") {
    throw new DTypeError(`optim.losses.${what}: ${name} must be floating point, got ${a.dtype}; convert with .astype("float32").`)
  }
  return a
}

/** An Array from `x` with no dtype requirement. */
export const arrayArg = (x: ArrayLike): Array => (x instanceof Array ? x : np.asarray(x))

/** An integer Array (labels); anything else is a `DTypeError`. */
export const intArg = (what: string, name: string, x: ArrayLike): Array => {
  const a = arrayArg(x)
  if (a.dtype !== "int32" && a.dtype !== "uint32") {
    throw new DTypeError(`optim.losses.${what}: ${name} must be integers, got ${a.dtype}; convert with .astype("int32").`)
  }
  return a
}

/** A check that two arrays have the same shape (optax's `check_shapes_equal`). */
export const sameShape = (what: string, a: Array, b: Array): void => {
  if (a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i])) {
    throw new ShapeError(`optim.losses.${what}: the two arguments must have the same shape, got [${a.shape.join(", ")}] and [${b.shape.join(", ")}].`)
  }
}

/** The axes `axis` names, non-negative and sorted; all axes for null. */
export const axesOf = (axis: Axis, ndim: number): number[] => {
  if (axis === null) return [...globalThis.Array(ndim).keys()]
  const list = typeof axis === "number" ? [axis] : [...axis]
  return list
    .map((a) => {
      if (!Number.isInteger(a) || a < -ndim || a >= ndim) {
        throw new ShapeError(`optim.losses: axis ${a} is out of bounds for an array of rank ${ndim}.`)
      }
      return a < 0 ? a + ndim : a
    })
    .sort((a, b) => a - b)
}

/** `where` broadcast against `x` by adding `axis` when it has a lower rank (optax's convention). */
export const expandWhere = (where: Array | undefined, x: Array, axis: Axis): Array | undefined => {
  if (where === undefined || where.ndim === x.ndim) return where
  return np.expandDims(where, axesOf(axis, x.ndim))
}

/** `jnp.sum(x, axis, where=where, keepdims)`. */
export const sumWhere = (x: Array, axis: Axis, where?: Array, keepdims = false): Array =>
  np.sum(where === undefined ? x : np.where(where, x, 0), { axis, keepdims })

/** `jnp.max(x, axis, where=where, initial=-inf, keepdims=true)`. */
const maxWhere = (x: Array, axes: number[], where?: Array): Array =>
  np.max(where === undefined ? x : np.where(where, x, -Infinity), { axis: axes, keepdims: true, initial: -Infinity })

/** `jax.nn.log_softmax(x, axis, where)`: masked-out entries are -inf. */
export const logSoftmax = (x: Array, axis: Axis, where?: Array): Array => {
  const axes = axesOf(axis, x.ndim)
  const xSafe = where === undefined ? x : np.where(where, x, -Infinity)
  const shifted = xSafe.sub(stopGradient(maxWhere(x, axes, where)))
  const result = shifted.sub(np.log(sumWhere(np.exp(shifted), axes, where, true)))
  return where === undefined ? result : np.where(where, result, -Infinity)
}

/** `jax.nn.softmax(x, axis, where)`: masked-out entries are 0. */
export const softmax = (x: Array, axis: Axis, where?: Array): Array => {
  const axes = axesOf(axis, x.ndim)
  const xSafe = where === undefined ? x : np.where(where, x, -Infinity)
  const unnormalized = np.exp(xSafe.sub(stopGradient(maxWhere(x, axes, where))))
  const result = unnormalized.div(sumWhere(unnormalized, axes, where, true))
  return where === undefined ? result : np.where(where, result, 0)
}

/**
 * `jax.nn.logsumexp(a, axis, b=b, where=where)`: `log(sum(b * exp(a)))`, shifted by the (finite)
 * maximum; NaN where the weighted sum is negative.
 */
export const logsumexp = (a: Array, axis: Axis, options?: { readonly where?: Array; readonly b?: Array }): Array => {
  const where = options?.where
  const b = options?.b
  let x = where === undefined ? a : np.where(where, a, 0)
  if (b !== undefined) x = np.where(b.ne(0), x, -Infinity)
  const axes = axesOf(axis, x.ndim)
  const amaxKept = maxWhere(x, axes, where)
  const amax = stopGradient(np.where(np.isfinite(amaxKept), amaxKept, 0))
  let expA = np.exp(x.sub(amax))
  if (b !== undefined) expA = expA.mul(b)
  const sumexp = sumWhere(expA, axes, where)
  const out = np.log(np.abs(sumexp)).add(np.squeeze(amax, axes))
  return b === undefined ? out : np.where(np.sign(sumexp).lt(0), NaN, out)
}

/**
 * `jnp.logaddexp(x1, x2)`, as JAX computes it, with JAX's derivative: d/dx1 = exp(x1 - out) (so
 * logaddexp(e, -e) has slope tanh(e), 0 at e = 0, where differentiating |x1 - x2| would not).
 */
export const logaddexp = customJvp((x1: Array, x2: Array): Array => {
  const delta = x1.sub(x2)
  return np.where(np.isnan(delta), x1.add(x2), np.maximum(x1, x2).add(np.log1p(np.exp(delta.abs().neg()))))
})
logaddexp.defjvp(([x1, x2], [t1, t2]) => {
  const out = logaddexp(x1, x2)
  // infinities replaced by 0 as JAX's _replace_inf does, so inf - inf never makes a NaN slope
  const finite = (x: Array): Array => np.where(np.isinf(x), 0, x)
  return [out, t1.mul(np.exp(finite(x1).sub(finite(out)))).add(t2.mul(np.exp(finite(x2).sub(finite(out)))))]
})
