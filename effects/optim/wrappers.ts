/**
 * Transformations of transformations (optax's `apply_if_finite`, `conditionally_transform`,
 * `conditionally_mask`, `multi_transform`/`partition`, `named_chain`). The conditional ones
 * choose between two pure computations with `where`, which gives the values that optax's
 * `lax.cond` gives and runs under `jit`, `grad` and `vmap` alike.
 */
import { type Array, np, tree, ValueError } from "../../index.js"
import { checkOptions, optionKeys } from "../../core/options.js"
import { type ExtraArgs, type GradientTransformation, mapArrays, safeIncrement, type StateOf, zeroCount } from "./base.js"
import { masked, type MaskedState, type MaskTree } from "./transforms.js"
import { arrayLeaves, treeWhere } from "./tree-math.js"

/** The state of `applyIfFinite`. */
export interface ApplyIfFiniteState<S> {
  /** Consecutive steps with non-finite updates so far (int32). */
  readonly notfiniteCount: Array
  /** Whether the last updates were all finite. */
  readonly lastFinite: Array
  /** Steps with non-finite updates in total (int32). */
  readonly totalNotfinite: Array
  readonly innerState: S
}

/**
 * Skip (zero updates, unchanged inner state) every step whose incoming updates hold an infinity
 * or a NaN, unless more than `maxConsecutiveErrors` such steps came in a row, in which case the
 * inner transformation runs anyway (optax's `apply_if_finite`).
 *
 * @example
 * const opt = optim.applyIfFinite(optim.adam(1e-3), 3)
 */
export const applyIfFinite = <S>(inner: GradientTransformation<S>, maxConsecutiveErrors: number): GradientTransformation<ApplyIfFiniteState<S>> => ({
  init: (params) => ({
    notfiniteCount: zeroCount(),
    lastFinite: np.array(true),
    totalNotfinite: zeroCount(),
    innerState: inner.init(params)
  }),
  update: <U>(updates: U, state: ApplyIfFiniteState<S>, params?: U, extra?: ExtraArgs<U>): [U, ApplyIfFiniteState<S>] => {
    const flags = arrayLeaves(updates).map((p) => np.all(np.isfinite(p)))
    const isFinite = flags.length === 0 ? np.array(true) : np.all(np.stack(flags))
    const notfiniteCount = np.where(isFinite, zeroCount(), safeIncrement(state.notfiniteCount))
    const apply = np.logicalOr(isFinite, notfiniteCount.gt(maxConsecutiveErrors))
    const [innerUpdates, innerState] = inner.update(updates, state.innerState, params, extra)
    const out = mapArrays((u) => np.where(apply, u, np.zerosLike(u)), innerUpdates)
    return [
      out as U,
      {
        notfiniteCount,
        lastFinite: isFinite,
        totalNotfinite: np.where(isFinite, state.totalNotfinite, safeIncrement(state.totalNotfinite)),
        innerState: treeWhere(apply, innerState, state.innerState) as S
      }
    ]
  }
})

/** Decides from the step count (int32) whether a conditional transformation applies. */
export type ConditionFn = (step: Array, extra?: ExtraArgs) => Array | boolean

/** The state of `conditionallyTransform` and `conditionallyMask`. */
export interface ConditionallyState<S> {
  readonly innerState: S
  /** The number of updates so far (int32). */
  readonly step: Array
}

/** The options of `conditionallyTransform` and `conditionallyMask`. */
export interface ConditionallyOptions {
  /** Pass the update's extra arguments (value, ...) to the condition. Default false. */
  readonly forwardExtraArgs?: boolean
}
const CONDITIONALLY_KEYS = optionKeys<ConditionallyOptions>()("forwardExtraArgs")

const conditionally = <S>(
  inner: GradientTransformation<S>,
  shouldTransform: ConditionFn,
  forwardExtraArgs: boolean,
  rejected: (updates: unknown) => unknown
): GradientTransformation<ConditionallyState<S>> => ({
  init: (params) => ({ innerState: inner.init(params), step: zeroCount() }),
  update: <U>(updates: U, state: ConditionallyState<S>, params?: U, extra?: ExtraArgs<U>): [U, ConditionallyState<S>] => {
    const cond = np.asarray(forwardExtraArgs ? shouldTransform(state.step, extra as ExtraArgs) : shouldTransform(state.step))
    if (cond.ndim !== 0) throw new ValueError("optim.conditionally*: the condition must be a scalar.")
    const [innerUpdates, innerState] = inner.update(updates, state.innerState, params, extra)
    return [
      treeWhere(cond, innerUpdates, rejected(updates)) as U,
      { innerState: treeWhere(cond, innerState, state.innerState) as S, step: safeIncrement(state.step) }
    ]
  }
})

/**
 * Apply `inner` on the steps where `shouldTransform(step)` holds and pass the updates through
 * unchanged on the others (inner state kept) (optax's `conditionally_transform`).
 *
 * @example
 * // clip only during the first 100 steps
 * const opt = optim.chain(optim.conditionallyTransform(optim.clipByGlobalNorm(1), (s) => s.lt(100)), optim.sgd(0.1))
 */
export const conditionallyTransform = <S>(
  inner: GradientTransformation<S>,
  shouldTransform: ConditionFn,
  options?: ConditionallyOptions
): GradientTransformation<ConditionallyState<S>> => {
  checkOptions("optim.conditionallyTransform", options, CONDITIONALLY_KEYS)
  return conditionally(inner, shouldTransform, options?.forwardExtraArgs === true, (u) => u)
}

/**
 * Apply `inner` on the steps where `shouldTransform(step)` holds and give zero updates on the
 * others (inner state kept) (optax's `conditionally_mask`).
 *
 * @example
 * // no updates during the first 10 steps (a warm-up of the statistics elsewhere)
 * const opt = optim.conditionallyMask(optim.adam(1e-3), (s) => s.ge(10))
 */
export const conditionallyMask = <S>(
  inner: GradientTransformation<S>,
  shouldTransform: ConditionFn,
  options?: ConditionallyOptions
): GradientTransformation<ConditionallyState<S>> => {
  checkOptions("optim.conditionallyMask", options, CONDITIONALLY_KEYS)
  return conditionally(inner, shouldTransform, options?.forwardExtraArgs === true, (u) => mapArrays((x) => np.zerosLike(x), u))
}

/** The states of `multiTransform`: one masked state per label. */
export interface MultiTransformState<T extends Readonly<Record<string, GradientTransformation<unknown>>>> {
  readonly innerStates: { -readonly [K in keyof T]: MaskedState<StateOf<T[K]>> }
}

/** A pytree of labels with the params' structure, or a prefix of it (one label per subtree). */
export type LabelTree<L extends string> = L | null | undefined | ReadonlyArray<LabelTree<L>> | { readonly [key: string]: LabelTree<L> }

/** The labels of `multiTransform`: a label tree, or a function that computes one from the params (or updates). */
export type ParamLabels<L extends string> = LabelTree<L> | ((params: unknown) => LabelTree<L>)

/**
 * Apply a different transformation to each group of parameters (optax's `multi_transform`, also
 * called `partition`): `paramLabels` gives every leaf a key of `transforms`; each transformation
 * sees and keeps state for its own leaves only.
 *
 * @example
 * const opt = optim.multiTransform(
 *   { adam: optim.adam(1e-3), frozen: optim.setToZero() },
 *   { encoder: "frozen", head: "adam" }
 * )
 */
export const multiTransform = <const T extends Readonly<Record<string, GradientTransformation<unknown>>>>(
  transforms: T,
  paramLabels: ParamLabels<Extract<keyof T, string>>
): GradientTransformation<MultiTransformState<T>> => {
  const groups = Object.keys(transforms) as Extract<keyof T, string>[]
  const labelsOf = (t: unknown): string[] => {
    const labels = typeof paramLabels === "function" ? paramLabels(t) : paramLabels
    const flat = tree.broadcastPrefix(labels, t)
    const unknown = [...new Set(flat.filter((l) => typeof l !== "string" || !groups.includes(l as Extract<keyof T, string>)))]
    if (unknown.length > 0) {
      throw new ValueError(
        `optim.multiTransform: some parameters have no corresponding transformation: labels ${unknown.map(String).join(", ")} ` +
          `are not among the transforms' keys (${groups.join(", ")}).`
      )
    }
    return flat as string[]
  }
  const maskFor = (t: unknown, group: string): unknown => {
    const [, def] = tree.flatten(t)
    return tree.unflatten(
      def,
      labelsOf(t).map((l) => l === group)
    )
  }
  const maskedFor = (t: unknown, group: Extract<keyof T, string>) => masked(transforms[group]!, maskFor(t, group) as MaskTree, { unmasked: "passThrough" })
  return {
    init: (params) => {
      const innerStates: Record<string, unknown> = {}
      for (const g of groups) innerStates[g] = maskedFor(params, g).init(params)
      return { innerStates } as MultiTransformState<T>
    },
    update: <U>(updates: U, state: MultiTransformState<T>, params?: U, extra?: ExtraArgs<U>): [U, MultiTransformState<T>] => {
      const innerStates: Record<string, unknown> = {}
      let u = updates
      for (const g of groups) {
        const [nu, ns] = maskedFor(updates, g).update(u, state.innerStates[g] as MaskedState<unknown>, params, extra)
        u = nu
        innerStates[g] = ns
      }
      return [u, { innerStates } as MultiTransformState<T>]
    }
  }
}

/**
 * Alias of `multiTransform` (optax's newer name).
 *
 * @example
 * const opt = optim.partition({ adam: optim.adam(1e-3), sgd: optim.sgd(0.1) }, { body: "adam", head: "sgd" })
 */
export const partition = multiTransform

/** The states of `namedChain`, by name. */
export type NamedChainState<T extends Readonly<Record<string, GradientTransformation<unknown>>>> = {
  -readonly [K in keyof T]: StateOf<T[K]>
}

/**
 * `chain` with named transformations, applied in the object's key order; the state is an object
 * of their states by name (optax's `named_chain`), so checkpoints read `opt/adam/mu/...`.
 *
 * @example
 * const opt = optim.namedChain({ clip: optim.clipByGlobalNorm(1), adam: optim.adam(1e-3) })
 */
export const namedChain = <const T extends Readonly<Record<string, GradientTransformation<unknown>>>>(
  transforms: T
): GradientTransformation<NamedChainState<T>> => {
  const names = Object.keys(transforms) as (keyof T & string)[]
  return {
    init: (params) => Object.fromEntries(names.map((n) => [n, transforms[n]!.init(params)])) as NamedChainState<T>,
    update: <U>(updates: U, state: NamedChainState<T>, params?: U, extra?: ExtraArgs<U>): [U, NamedChainState<T>] => {
      let u = updates
      const next: Record<string, unknown> = {}
      for (const n of names) {
        const [nu, ns] = transforms[n]!.update(u, state[n], params, extra)
        u = nu
        next[n] = ns
      }
      return [u, next as NamedChainState<T>]
    }
  }
}
