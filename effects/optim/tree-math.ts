/**
 * Pytree arithmetic shared by the transformations (optax's `optax.tree` helpers): moments, bias
 * correction, sums, dot products and norms over every leaf. Internal to `optim`.
 */
import { type Array, type DType, np } from "../../index.js"
import { arrayLeavesWithPath, mapArrays, safeIncrement } from "./base.js"

/** `(1 - decay) * g^order + decay * t`, leaf by leaf (optax's `tree_update_moment`). */
export const updateMoment = (updates: unknown, moments: unknown, decay: number, order: 1 | 2): unknown =>
  mapArrays((g, t) => (order === 1 ? g : g.square()).mul(1 - decay).add(t.mul(decay)), updates, moments)

/**
 * `t / (1 - decay^count)`, leaf by leaf (optax's `tree_bias_correction`). The correction is
 * computed in the moment's dtype: float32 as JAX computes it without x64, float64 as with x64.
 */
export const biasCorrection = (moments: unknown, decay: number, count: Array): unknown => {
  const byDtype = new Map<DType, Array>()
  const correction = (d: DType): Array => {
    let c = byDtype.get(d)
    if (c === undefined) {
      c = np.subtract(1, np.power(decay, count.astype(d)))
      byDtype.set(d, c)
    }
    return c
  }
  return mapArrays((t) => t.div(correction(t.dtype)), moments)
}

/** The leaves of a tree of Arrays, in flatten order. */
export const arrayLeaves = (t: unknown): Array[] => arrayLeavesWithPath(t).map(([, x]) => x)

/** `x - y`, leaf by leaf. */
export const treeSub = (x: unknown, y: unknown): unknown => mapArrays((a, b) => a.sub(b), x, y)

/** `x + s * y`, leaf by leaf (optax's `tree_add_scale`). */
export const treeAddScale = (x: unknown, s: Array | number, y: unknown): unknown => mapArrays((a, b) => a.add(np.multiply(s, b)), x, y)

/** `s * x`, leaf by leaf (optax's `tree_scale`). */
export const treeScale = (s: Array | number, x: unknown): unknown => mapArrays((a) => np.multiply(s, a), x)

/** `where(cond, x, y)` with one scalar condition for every leaf (optax's `tree_where`). */
export const treeWhere = (cond: Array, x: unknown, y: unknown): unknown => mapArrays((a, b) => np.where(cond, a, b), x, y)

/** The sum of `f(leaf)` over the leaves, `0 + s1 + s2 + ...` as optax's `tree.reduce` adds them. */
const sumOver = (t: unknown, f: (x: Array) => Array): Array => {
  const ls = arrayLeaves(t)
  if (ls.length === 0) return np.zeros([], { dtype: "float32" })
  let total = f(ls[0]!)
  for (let i = 1; i < ls.length; i++) total = total.add(f(ls[i]!))
  return total
}

/** `sum_i <x_i, y_i>` over the leaves (optax's `tree_vdot`), a scalar. */
export const treeVdot = (x: unknown, y: unknown): Array => {
  const xs = arrayLeaves(x)
  const ys = arrayLeaves(y)
  if (xs.length === 0) return np.zeros([], { dtype: "float32" })
  let total = np.sum(xs[0]!.mul(ys[0]!))
  for (let i = 1; i < xs.length; i++) total = total.add(np.sum(xs[i]!.mul(ys[i]!)))
  return total
}

/** `t` with the dtypes of `like` (optax's `tree.cast_like`), so that loop carries keep their types. */
export const castLike = <T>(t: T, like: T): T => mapArrays((x, l) => (x.dtype === l.dtype ? x : x.astype(l.dtype)), t, like) as T

/** The squared L2 norm of all leaves together (optax's `tree_norm(..., squared=True)`). */
export const treeNormSquared = (t: unknown): Array => sumOver(t, (x) => np.sum(x.square()))

/** `||x||_2` of one leaf. */
const norm = (x: Array): Array => np.sqrt(np.sum(x.square()))

/**
 * The L2 norm of `x`, or `minNorm` where it is at most `minNorm`, with a gradient that stays
 * finite at 0 (optax's `safe_norm`).
 */
export const safeNorm = (x: Array, minNorm: number): Array => {
  const n = norm(x)
  const small = n.le(minNorm)
  const masked = norm(np.where(small, np.onesLike(x), x))
  return np.where(small, minNorm, masked)
}

/** The root mean square of `x`, or `minRms` where it is at most `minRms` (optax's `safe_root_mean_squares`). */
export const safeRootMeanSquares = (x: Array, minRms: number): Array => {
  const rms = np.sqrt(np.mean(x.square()))
  const small = rms.le(minRms)
  return np.where(small, minRms, np.sqrt(np.mean(np.where(small, np.onesLike(x), x).square())))
}

/**
 * The bias-corrected first moment `mu / (1 - b1^t)`, or with Nesterov momentum (NAdam, as optax
 * writes it) `b1 * mu / (1 - b1^(t+1)) + (1 - b1) * g / (1 - b1^t)`; `count` is t.
 */
export const debiasedMomentum = (mu: unknown, updates: unknown, b1: number, count: Array, nesterov: boolean): unknown =>
  nesterov
    ? mapArrays((m, g) => m.mul(b1).add(g.mul(1 - b1)), biasCorrection(mu, b1, safeIncrement(count)), biasCorrection(updates, b1, count))
    : biasCorrection(mu, b1, count)
