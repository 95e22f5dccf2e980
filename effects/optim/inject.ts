/**
 * Hyperparameters in the optimizer state (optax's `inject_hyperparams`): the learning rate (or
 * any other numeric argument) becomes a scalar Array in the state, where it can be read for
 * logging or changed between steps without recompiling a jitted step; schedules are evaluated
 * at the step count and their values recorded there.
 */
import { type Array, type DType, np } from "../../index.js"
import { checkOptions, optionKeys } from "../../core/options.js"
import { type ExtraArgs, type GradientTransformation, safeIncrement, zeroCount } from "./base.js"
import type { Schedule } from "./schedules.js"
import { arrayLeaves } from "./tree-math.js"

/** The hyperparameters given to an injected optimizer: numbers, scalar Arrays or schedules. */
export type Hyperparams = Readonly<Record<string, number | Array | Schedule>>

/** What the optimizer's factory receives: every hyperparameter as a scalar Array. */
export type InjectedHyperparams<H extends Hyperparams> = { readonly [K in keyof H]: Array }

/** The state of an injected optimizer. */
export interface InjectHyperparamsState<H extends Hyperparams, S> {
  /** The number of updates so far (int32). */
  readonly count: Array
  /** The current value of every hyperparameter; numeric ones may be replaced between steps. */
  readonly hyperparams: { readonly [K in keyof H]: Array }
  /** The step count of each scheduled hyperparameter. */
  readonly hyperparamsStates: { readonly [K in keyof H]?: { readonly count: Array } }
  readonly innerState: S
}

export interface InjectHyperparamsOptions {
  /** The dtype of the float hyperparameters; default the widest float dtype of the params. */
  readonly hyperparamDtype?: DType
}
const INJECT_KEYS = optionKeys<InjectHyperparamsOptions>()("hyperparamDtype")

const widestFloat = (params: unknown): DType => {
  const dtypes = arrayLeaves(params).map((x) => x.dtype)
  return dtypes.includes("float64") ? "float64" : "float32"
}

/**
 * Make an optimizer's hyperparameters part of its state (optax's `inject_hyperparams`, with the
 * hyperparameters given next to the factory instead of by a second call, so that TypeScript
 * infers their names). `factory` builds the optimizer from scalar Arrays (pass them where the
 * optimizer accepts an Array: learning rates, weight decays); arguments that stay fixed are
 * written in the factory. Schedules are evaluated at the step count on every update.
 *
 * @example
 * const params = { w: np.zeros([3]) }
 * const opt = optim.injectHyperparams((h) => optim.adam(h.learningRate, { b1: 0.8 }), {
 *   learningRate: optim.exponentialDecay({ initValue: 1e-3, transitionSteps: 100, decayRate: 0.5 })
 * })
 * let state = opt.init(params)
 * state.hyperparams.learningRate   // Array(0.001, dtype=float32)
 */
export const injectHyperparams = <H extends Hyperparams, S>(
  factory: (hyperparams: InjectedHyperparams<H>) => GradientTransformation<S>,
  hyperparams: H,
  options?: InjectHyperparamsOptions
): GradientTransformation<InjectHyperparamsState<H, S>> => {
  checkOptions("optim.injectHyperparams", options, INJECT_KEYS)
  const names = Object.keys(hyperparams) as (keyof H & string)[]
  const scheduled = names.filter((k) => typeof hyperparams[k] === "function")
  const dtypeOf = (params: unknown): DType => options?.hyperparamDtype ?? widestFloat(params)
  const asFloat = (v: number | Array, dtype: DType): Array =>
    typeof v === "number" ? np.array(v, { dtype }) : v.dtype === "float32" || v.dtype === "float64" ? v.astype(dtype) : v
  return {
    init: (params) => {
      const dtype = dtypeOf(params)
      const values: Record<string, Array> = {}
      const states: Record<string, { count: Array }> = {}
      for (const k of names) {
        const h = hyperparams[k]!
        if (typeof h === "function") {
          states[k] = { count: zeroCount() }
          values[k] = asFloat(h(states[k].count), dtype)
        } else values[k] = asFloat(h, dtype)
      }
      const hps = values as { [K in keyof H]: Array }
      return {
        count: zeroCount(),
        hyperparams: hps,
        hyperparamsStates: states as InjectHyperparamsState<H, S>["hyperparamsStates"],
        innerState: factory(hps).init(params)
      }
    },
    update: <U>(updates: U, state: InjectHyperparamsState<H, S>, params?: U, extra?: ExtraArgs<U>): [U, InjectHyperparamsState<H, S>] => {
      const dtype = dtypeOf(params ?? updates)
      const values: Record<string, Array> = {}
      const states: Record<string, { count: Array }> = {}
      for (const k of names) {
        const h = hyperparams[k]!
        if (typeof h === "function") {
          const count = state.hyperparamsStates[k]!.count
          values[k] = asFloat(h(count), dtype)
          states[k] = { count: safeIncrement(count) }
        } else values[k] = asFloat(state.hyperparams[k], dtype)
      }
      const hps = values as { [K in keyof H]: Array }
      const [out, innerState] = factory(hps).update(updates, state.innerState, params, extra)
      return [
        out,
        {
          count: safeIncrement(state.count),
          hyperparams: hps,
          hyperparamsStates: states as InjectHyperparamsState<H, S>["hyperparamsStates"],
          innerState
        }
      ]
    }
  }
}
