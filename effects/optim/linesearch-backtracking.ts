/**
 * The backtracking (Armijo) line search (optax's `scale_by_backtracking_linesearch`): start from
 * the last accepted step size times `increaseFactor` (at most `maxLearningRate`) and shrink it by
 * `decreaseFactor` until the objective decreases enough. One `lax.whileLoop`, so it compiles
 * under `jit`.
 */
import { type Array, lax, np, valueAndGrad, ValueError } from "../../index.js"
import { checkOptions, optionKeys } from "../../core/options.js"
import { type ExtraArgs, type GradientTransformation, zerosLike } from "./base.js"
import { castLike, treeAddScale, treeScale, treeVdot } from "./tree-math.js"

export interface ScaleByBacktrackingLinesearchOptions {
  /** The sufficient-decrease constant. Default 1e-4. */
  readonly slopeRtol?: number
  /** Factor on the step size at each backtracking step. Default 0.8. */
  readonly decreaseFactor?: number
  /** Factor on the last accepted step size to start from. Default 1.5. */
  readonly increaseFactor?: number
  /** The largest step size. Default 1. */
  readonly maxLearningRate?: number
  /** Absolute tolerance on the decrease. Default 0. */
  readonly atol?: number
  /** Relative tolerance on the decrease. Default 0. */
  readonly rtol?: number
  /** Also compute and keep the gradient at the accepted point (for `valueAndGradFromState`). Default false. */
  readonly storeGrad?: boolean
}
const BACKTRACKING_KEYS = optionKeys<ScaleByBacktrackingLinesearchOptions>()(
  "slopeRtol",
  "decreaseFactor",
  "increaseFactor",
  "maxLearningRate",
  "atol",
  "rtol",
  "storeGrad"
)

/** The state of `scaleByBacktrackingLinesearch`. */
export interface BacktrackingLinesearchState {
  readonly learningRate: Array
  /** The objective at the accepted point. */
  readonly value: Array
  /** The gradient there (with `storeGrad`), else null. */
  readonly grad: unknown
  readonly info: { readonly numLinesearchSteps: Array; readonly decreaseError: Array }
}

interface Search {
  readonly learningRate: Array
  readonly newValue: Array
  readonly newGrad: unknown
  readonly decreaseError: Array
  readonly iterNum: Array
}

/**
 * Scale the update direction by a step size found by backtracking (optax's
 * `scale_by_backtracking_linesearch`). Its `update` needs the objective's value and gradient at
 * `params` and the objective: `update(direction, state, params, { value, grad, valueFn })`.
 *
 * @example
 * const opt = optim.chain(optim.sgd(1), optim.scaleByBacktrackingLinesearch(15))
 */
export const scaleByBacktrackingLinesearch = (
  maxBacktrackingSteps: number,
  options?: ScaleByBacktrackingLinesearchOptions
): GradientTransformation<BacktrackingLinesearchState> => {
  checkOptions("optim.scaleByBacktrackingLinesearch", options, BACKTRACKING_KEYS)
  const slopeRtol = options?.slopeRtol ?? 1e-4
  const decreaseFactor = options?.decreaseFactor ?? 0.8
  const increaseFactor = options?.increaseFactor ?? 1.5
  const maxLr = options?.maxLearningRate ?? 1
  const atol = options?.atol ?? 0
  const rtol = options?.rtol ?? 0
  const storeGrad = options?.storeGrad === true
  const f32 = (v: number): Array => np.array(v, { dtype: "float32" })
  return {
    init: (params) => ({
      learningRate: f32(1),
      value: f32(Infinity),
      grad: storeGrad ? zerosLike(params) : null,
      info: { numLinesearchSteps: np.array(0, { dtype: "int32" }), decreaseError: f32(Infinity) }
    }),
    update: <U>(updates: U, state: BacktrackingLinesearchState, params?: U, extra?: ExtraArgs<U>): [U, BacktrackingLinesearchState] => {
      if (params === undefined || extra?.value === undefined || extra.grad === undefined || extra.valueFn === undefined) {
        throw new ValueError(
          "optim.scaleByBacktrackingLinesearch needs the params, the objective's value and gradient there, and the " +
            "objective: update(grads, state, params, { value, grad, valueFn })."
        )
      }
      const value = extra.value
      const valueFn = extra.valueFn.bind(extra)
      const slope = treeVdot(updates, extra.grad)
      const decreaseErrorOf = (stepsize: Array, newValue: Array): Array => {
        const err = newValue.sub(np.multiply(1 + rtol, value)).sub(stepsize.mul(slopeRtol).mul(slope))
        return np.maximum(np.where(np.isnan(err), Infinity, err), 0)
      }
      const body = (s: Search): Search => {
        const learningRate = np.where(s.iterNum.gt(0), np.multiply(decreaseFactor, s.learningRate), s.learningRate)
        const newParams = treeAddScale(params, learningRate, updates) as U
        let newValue: Array
        let decreaseError: Array
        let newGrad = s.newGrad
        if (storeGrad) {
          newValue = valueFn(newParams)
          decreaseError = decreaseErrorOf(learningRate, newValue)
          newGrad = lax.cond(
            np.logicalOr(decreaseError.le(atol), s.iterNum.eq(maxBacktrackingSteps)),
            (p: U) => valueAndGrad((q: U) => valueFn(q))(p)[1],
            () => s.newGrad,
            newParams
          )
        } else {
          newValue = valueFn(newParams)
          decreaseError = decreaseErrorOf(learningRate, newValue)
        }
        return castLike({ learningRate, newValue, newGrad, decreaseError, iterNum: s.iterNum.add(1) }, s)
      }
      const init: Search = {
        learningRate: np.minimum(np.multiply(increaseFactor, state.learningRate), maxLr),
        newValue: value,
        newGrad: zerosLike(params),
        decreaseError: f32(Infinity),
        iterNum: np.array(0, { dtype: "int32" })
      }
      const final = lax.whileLoop((s: Search) => np.logicalAnd(np.logicalNot(s.decreaseError.le(atol)), s.iterNum.le(maxBacktrackingSteps)), body, init)
      const learningRate = np.where(np.isinf(final.decreaseError), 0, final.learningRate)
      const next: BacktrackingLinesearchState = {
        learningRate,
        value: final.newValue,
        grad: storeGrad ? final.newGrad : null,
        info: { numLinesearchSteps: final.iterNum, decreaseError: final.decreaseError }
      }
      return [treeScale(learningRate, updates) as U, castLike(next, state)]
    }
  }
}
