/**
 * The shape of an optax-style gradient transformation, and the small pieces every optimizer is
 * built from: pytree arithmetic over Arrays, `identity`, `setToZero`, `chain`, `applyUpdates`.
 *
 * A transformation is a pair of pure functions over pytrees. `init(params)` builds a state (a
 * pytree of Arrays, so it passes through `jit`, `grad` and `vmap`); `update(updates, state,
 * params?)` returns the transformed updates and the next state. Nothing is mutated.
 */
import { Array, np, tree, ValueError } from "../../index.js"

/**
 * A pytree whose leaves are Arrays (plain objects, JS arrays, `null`). Parameters, gradients,
 * updates and moment estimates all have this form; the type stays open so that user records
 * (interfaces included) pass through unchanged.
 */
export type Params = unknown
/** Updates (gradients on the way in): a pytree of Arrays with the structure of the params. */
export type Updates = unknown

/** The state of a transformation that keeps none (optax's `EmptyState`). */
export type EmptyState = null

/**
 * The extra arguments of an update (optax's `**extra_args` of `GradientTransformationExtraArgs`),
 * as one object. Most transformations ignore them; `chain` and the wrappers pass them on to every
 * inner transformation. `polyakSgd` reads `value`; the line searches of `lbfgs` read all three.
 */
export interface ExtraArgs<P = unknown> {
  /** The objective's value at the current params (a scalar Array). */
  readonly value?: Array
  /** The objective's gradient at the current params (a tree like the params). */
  readonly grad?: P
  /**
   * The objective as a function of the params; a line search evaluates it (and its gradient) at
   * trial points. Close over any data it needs (optax passes those as extra keyword arguments).
   */
  valueFn?(params: P): Array
}

/** optax's `GradientTransformation`: pure `init` and `update` over pytrees of Arrays. */
export interface GradientTransformation<S> {
  /** The initial state for these parameters. */
  init<P>(params: P): S
  /**
   * Transform `updates` (gradients on the way in). `params` is needed only by transformations
   * that read the parameters (weight decay); they fail with a `ValueError` without it. `extra`
   * carries the objective's value, gradient and function for the transformations that use them.
   */
  update<U>(updates: U, state: S, params?: U, extra?: ExtraArgs<U>): [U, S]
}

/** The state type of a transformation. */
export type StateOf<T> = T extends GradientTransformation<infer S> ? S : never

// ---------------------------------------------------------------------------------------------
// Pytree arithmetic (internal): every leaf must be an Array.

const leafArray = (x: unknown, what: string): Array => {
  if (x instanceof Array) return x
  throw new ValueError(
    `optim: ${what} has a leaf that is not an Array (${x === null ? "null" : typeof x}); optimizer ` +
      "trees hold Arrays only: convert numbers with np.asarray."
  )
}

/** `tree.map` over Array leaves, with the structure of `first`. */
export const mapArrays = (f: (...leaves: ReadonlyArray<Array>) => Array, first: unknown, ...rest: ReadonlyArray<unknown>): unknown =>
  tree.mapWith({}, (...ls) => f(...ls.map((l) => leafArray(l, "the tree"))), first, ...rest)

/** Zeros with the shape and dtype of every leaf. */
export const zerosLike = (t: unknown): unknown => mapArrays((x) => np.zerosLike(x), t)

/** `value` with the shape and dtype of every leaf. */
export const fullLike = (t: unknown, value: number): unknown => (value === 0 ? zerosLike(t) : mapArrays((x) => np.fullLike(x, value), t))

/** The Array leaves of a tree with their key paths. */
export const arrayLeavesWithPath = (t: unknown): (readonly [tree.KeyPath, Array])[] =>
  tree.flattenWithPath(t)[0].map(([p, l]) => [p, leafArray(l, "the tree")] as const)

/**
 * `count + 1`, saturating at the largest int32 (optax's `safe_increment`), so a long run's step
 * counter never wraps around to a negative count.
 *
 * @example
 * optim.safeIncrement(np.array(2147483647, { dtype: "int32" }))   // Array(2147483647, dtype=int32)
 */
export const safeIncrement = (count: Array): Array => {
  const max = 2147483647
  return np.where(count.lt(max), count.add(1), max).astype(count.dtype)
}

/** A fresh step counter: an int32 zero. */
export const zeroCount = (): Array => np.zeros([], { dtype: "int32" })

// ---------------------------------------------------------------------------------------------
// Basic transformations

/**
 * Leave updates unchanged (optax's `identity`).
 *
 * @example
 * const opt = optim.chain(optim.identity(), optim.sgd(0.1))   // the same as sgd(0.1)
 */
export const identity = (): GradientTransformation<EmptyState> => ({
  init: () => null,
  update: (updates, state) => [updates, state]
})

/**
 * Replace every update by zeros (optax's `set_to_zero`): the parameters stay where they are.
 *
 * @example
 * const opt = optim.multiTransform({ train: optim.adam(1e-3), frozen: optim.setToZero() }, { encoder: "frozen", head: "train" })
 */
export const setToZero = (): GradientTransformation<EmptyState> => ({
  init: () => null,
  update: <U>(updates: U, state: EmptyState): [U, EmptyState] => [zerosLike(updates) as U, state]
})

/** The states of a tuple of transformations. */
export type ChainState<Ts extends ReadonlyArray<GradientTransformation<unknown>>> = {
  -readonly [K in keyof Ts]: StateOf<Ts[K]>
}

/**
 * Apply transformations one after the other (optax's `chain`); the state is the tuple of their
 * states.
 *
 * @example
 * const opt = optim.chain(optim.clipByGlobalNorm(1), optim.adam(1e-3))
 */
export const chain = <const Ts extends ReadonlyArray<GradientTransformation<unknown>>>(...transforms: Ts): GradientTransformation<ChainState<Ts>> => ({
  init: (params) => transforms.map((t) => t.init(params)) as ChainState<Ts>,
  update: <U>(updates: U, state: ChainState<Ts>, params?: U, extra?: ExtraArgs<U>): [U, ChainState<Ts>] => {
    const states = state as ReadonlyArray<unknown>
    if (!globalThis.Array.isArray(states) || states.length !== transforms.length) {
      throw new ValueError(
        `optim.chain: the state has ${globalThis.Array.isArray(states) ? states.length : "no"} entries for ` +
          `${transforms.length} transformations; pass the state that this chain's init returned.`
      )
    }
    let u = updates
    const next: unknown[] = []
    transforms.forEach((t, i) => {
      const [nu, ns] = t.update(u, states[i], params, extra)
      u = nu
      next.push(ns)
    })
    return [u, next as ChainState<Ts>]
  }
})

/**
 * `params + updates`, leaf by leaf, keeping each parameter's dtype (optax's `apply_updates`).
 * `updates` is typed as the params tree (what `update` returns for gradients of the params).
 *
 * @example
 * const f = (p: { w: JaxArray }) => np.sum(np.square(p.w))
 * const params = { w: np.array([1, -2, 3], { dtype: "float32" }) }
 * const grads = grad(f)(params)
 * const opt = optim.sgd(0.1)
 * const state = opt.init(params)
 * const [updates, state2] = opt.update(grads, state, params)
 * const params2 = optim.applyUpdates(params, updates)
 */
export const applyUpdates = <P>(params: P, updates: NoInfer<P>): P =>
  mapArrays(
    (p, u) => {
      const s = p.add(u)
      return s.dtype === p.dtype ? s : s.astype(p.dtype)
    },
    params,
    updates
  ) as P

/**
 * The L2 norm of all leaves together (optax's `global_norm`), as a scalar Array.
 *
 * @example
 * optim.globalNorm({ w: np.array([3, 4]) })   // Array(5, dtype=float32)
 */
export const globalNorm = (updates: unknown): Array => {
  const ls = arrayLeavesWithPath(updates).map(([, x]) => x)
  if (ls.length === 0) return np.zeros([], { dtype: "float32" })
  let total: Array = np.sum(ls[0]!.square())
  for (let i = 1; i < ls.length; i++) total = total.add(np.sum(ls[i]!.square()))
  return np.sqrt(total)
}
