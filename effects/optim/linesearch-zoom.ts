/**
 * The zoom line search (optax's `scale_by_zoom_linesearch`; Nocedal and Wright, Algorithms 3.5
 * and 3.6): find a step size along the update direction that satisfies the strong Wolfe
 * conditions, first by growing the step until an interval brackets one, then by zooming into it
 * with cubic, quadratic or bisection steps. It runs as one `lax.whileLoop`, so it compiles under
 * `jit`. `lbfgs` uses it by default.
 */
import { type Array, lax, np, valueAndGrad, ValueError } from "../../index.js"
import { checkOneOf, checkOptions, optionKeys } from "../../core/options.js"
import { type ExtraArgs, type GradientTransformation, safeIncrement, zerosLike } from "./base.js"
import { castLike, treeAddScale, treeScale, treeVdot, treeWhere } from "./tree-math.js"

export interface ScaleByZoomLinesearchOptions {
  /** The largest step size tried; none by default. */
  readonly maxLearningRate?: number
  /** Tolerance on the Wolfe conditions' errors. Default 0. */
  readonly tol?: number
  /** Factor by which the step grows while searching for an interval. Default 2. */
  readonly increaseFactor?: number
  /** The sufficient-decrease (Armijo) constant. Default 1e-4. */
  readonly slopeRtol?: number
  /** The curvature constant. Default 0.9. */
  readonly curvRtol?: number
  /** Relative tolerance of the approximate sufficient-decrease condition (Hager and Zhang); null disables it. Default 1e-6. */
  readonly approxDecRtol?: number | null
  /** The interval length below which the zoom stops. Default 1e-5. */
  readonly stepsizePrecision?: number
  /** The first step size tried: `"keep"` the last accepted one (the default) or `"one"`. */
  readonly initialGuessStrategy?: "keep" | "one"
}
const ZOOM_KEYS = optionKeys<ScaleByZoomLinesearchOptions>()(
  "maxLearningRate",
  "tol",
  "increaseFactor",
  "slopeRtol",
  "curvRtol",
  "approxDecRtol",
  "stepsizePrecision",
  "initialGuessStrategy"
)

/** What the last line search did. */
export interface ZoomLinesearchInfo {
  readonly numLinesearchSteps: Array
  readonly decreaseError: Array
  readonly curvatureError: Array
}

/** The state of `scaleByZoomLinesearch`: the accepted step, the value and gradient there, and info. */
export interface ZoomLinesearchState {
  readonly learningRate: Array
  /** The objective at the accepted point (reused by `valueAndGradFromState`). */
  readonly value: Array
  /** The gradient at the accepted point (reused by `valueAndGradFromState`). */
  readonly grad: unknown
  readonly info: ZoomLinesearchInfo
}

/** The loop state of one search. */
interface Search {
  readonly count: Array
  readonly params: unknown
  readonly updates: unknown
  readonly stepsizeGuess: Array
  readonly stepsize: Array
  readonly value: Array
  readonly grad: unknown
  readonly slope: Array
  readonly valueInit: Array
  readonly slopeInit: Array
  readonly decreaseError: Array
  readonly curvatureError: Array
  readonly error: Array
  readonly intervalFound: Array
  readonly done: Array
  readonly failed: Array
  readonly low: Array
  readonly valueLow: Array
  readonly slopeLow: Array
  readonly high: Array
  readonly valueHigh: Array
  readonly slopeHigh: Array
  readonly cubicRef: Array
  readonly valueCubicRef: Array
  readonly safeStepsize: Array
  readonly safeValue: Array
  readonly safeGrad: unknown
}

const f32 = (v: number): Array => np.array(v, { dtype: "float32" })

/** The minimizer of the cubic through `(a, fa)`, `(b, fb)`, `(c, fc)` with slope `fpa` at `a`. */
const cubicmin = (a: Array, fa: Array, fpa: Array, b: Array, fb: Array, c: Array, fc: Array): Array => {
  const C = fpa
  const db = b.sub(a)
  const dc = c.sub(a)
  const denom = db.mul(dc).square().mul(db.sub(dc))
  const r0 = fb.sub(fa).sub(C.mul(db))
  const r1 = fc.sub(fa).sub(C.mul(dc))
  const A = dc.square().mul(r0).add(db.square().neg().mul(r1)).div(denom)
  const B = lax.integerPow(dc, 3).neg().mul(r0).add(lax.integerPow(db, 3).mul(r1)).div(denom)
  const radical = B.mul(B).sub(np.multiply(3, A).mul(C))
  return a.add(B.neg().add(np.sqrt(radical)).div(np.multiply(3, A)))
}

/** The minimizer of the quadratic through `(a, fa)`, `(b, fb)` with slope `fpa` at `a`. */
const quadmin = (a: Array, fa: Array, fpa: Array, b: Array, fb: Array): Array => {
  const db = b.sub(a)
  const B = fb.sub(fa).sub(fpa.mul(db)).div(db.square())
  return a.sub(fpa.div(np.multiply(2, B)))
}

/**
 * Scale the update direction by a step size found with the zoom line search (optax's
 * `scale_by_zoom_linesearch`). Its `update` needs the objective's value and gradient at `params`
 * and the objective itself: `update(direction, state, params, { value, grad, valueFn })`.
 *
 * @example
 * const f = (p: { w: JaxArray }) => np.sum(np.square(p.w))
 * const params = { w: np.array([1, -2, 3], { dtype: "float32" }) }
 * const opt = optim.chain(optim.sgd(1), optim.scaleByZoomLinesearch(15))
 * const state = opt.init(params)
 * const [value, grads] = valueAndGrad(f)(params)
 * const [updates, state2] = opt.update(grads, state, params, { value, grad: grads, valueFn: f })
 */
export const scaleByZoomLinesearch = (maxLinesearchSteps: number, options?: ScaleByZoomLinesearchOptions): GradientTransformation<ZoomLinesearchState> => {
  checkOptions("optim.scaleByZoomLinesearch", options, ZOOM_KEYS)
  checkOneOf("optim.scaleByZoomLinesearch", "initialGuessStrategy", options?.initialGuessStrategy, ["keep", "one"])
  const maxStepsize = options?.maxLearningRate
  const tol = options?.tol ?? 0
  const increaseFactor = options?.increaseFactor ?? 2
  const slopeRtol = options?.slopeRtol ?? 1e-4
  const curvRtol = options?.curvRtol ?? 0.9
  const approxDecRtol = options?.approxDecRtol === undefined ? 1e-6 : options.approxDecRtol
  const intervalThreshold = options?.stepsizePrecision ?? 1e-5
  const guess = options?.initialGuessStrategy ?? "keep"

  const decreaseErrorOf = (stepsize: Array, value: Array, slope: Array, valueInit: Array, slopeInit: Array): Array => {
    let err = value.sub(valueInit).sub(np.multiply(slopeRtol, stepsize).mul(slopeInit))
    if (approxDecRtol !== null) {
      const approx = slope.sub(np.multiply(2 * slopeRtol - 1, slopeInit))
      const delta = value.sub(valueInit).sub(np.multiply(approxDecRtol, valueInit.abs()))
      err = np.minimum(np.maximum(approx, delta), err)
    }
    err = np.maximum(err, 0)
    return np.where(np.isnan(err), Infinity, err)
  }
  const curvatureErrorOf = (slope: Array, slopeInit: Array): Array => {
    const err = np.maximum(slope.abs().sub(np.multiply(curvRtol, slopeInit.abs())), 0)
    return np.where(np.isnan(err), Infinity, err)
  }

  return {
    init: (params) => ({
      learningRate: f32(1),
      value: f32(Infinity),
      grad: zerosLike(params),
      info: { numLinesearchSteps: np.array(0, { dtype: "int32" }), decreaseError: f32(Infinity), curvatureError: f32(Infinity) }
    }),
    update: <U>(updates: U, state: ZoomLinesearchState, params?: U, extra?: ExtraArgs<U>): [U, ZoomLinesearchState] => {
      if (params === undefined || extra?.value === undefined || extra.grad === undefined || extra.valueFn === undefined) {
        throw new ValueError(
          "optim.scaleByZoomLinesearch (and lbfgs) needs the params, the objective's value and gradient there, and the " +
            "objective: update(grads, state, params, { value, grad, valueFn })."
        )
      }
      const valueFn = extra.valueFn.bind(extra)
      const vg = valueAndGrad((p: unknown) => valueFn(p as U))
      const onLine = (s: Search, stepsize: Array): [Array, unknown, Array] => {
        const [value, grad] = vg(treeAddScale(s.params, stepsize, s.updates)) as [Array, unknown]
        return [value, grad, treeVdot(grad, s.updates)]
      }

      const searchInterval = (s: Search): Search => {
        const iter = s.count
        let stepsize = np.where(iter.eq(0), s.stepsizeGuess, np.multiply(increaseFactor, s.stepsize))
        let maxReached = np.array(false)
        if (maxStepsize !== undefined) {
          maxReached = stepsize.ge(maxStepsize)
          stepsize = np.minimum(stepsize, maxStepsize)
        }
        const [value, grad, slope] = onLine(s, stepsize)
        const decreaseError = decreaseErrorOf(stepsize, value, slope, s.valueInit, s.slopeInit)
        const curvatureError = curvatureErrorOf(slope, s.slopeInit)
        const error = np.maximum(decreaseError, curvatureError)
        const safe = decreaseError.le(tol)
        const [safeStepsize, safeValue, safeGrad] = treeWhere(safe, [stepsize, value, grad], [s.safeStepsize, s.safeValue, s.safeGrad]) as [
          Array,
          Array,
          unknown
        ]
        const setHighToNew = np.logicalOr(decreaseError.gt(0), np.logicalAnd(value.ge(s.value), iter.gt(0)))
        const setLowToNew = np.logicalAnd(slope.ge(0), np.logicalNot(setHighToNew))
        const [low, valueLow, slopeLow, high, valueHigh, slopeHigh] = treeWhere(
          setLowToNew,
          [stepsize, value, slope, s.stepsize, s.value, s.slope],
          [s.stepsize, s.value, s.slope, stepsize, value, slope]
        ) as Array[]
        const intervalFound = np.logicalOr(np.logicalOr(setHighToNew, setLowToNew), error.le(tol))
        const done = np.logicalOr(error.le(tol), np.logicalAnd(maxReached, np.logicalNot(intervalFound)))
        const failed = np.logicalAnd(iter.add(1).ge(maxLinesearchSteps), np.logicalNot(done))
        return castLike(
          {
            ...s,
            count: safeIncrement(iter),
            stepsize,
            value,
            grad,
            slope,
            decreaseError,
            curvatureError,
            error,
            intervalFound,
            done,
            failed,
            low: low!,
            valueLow: valueLow!,
            slopeLow: slopeLow!,
            high: high!,
            valueHigh: valueHigh!,
            slopeHigh: slopeHigh!,
            cubicRef: low!,
            valueCubicRef: valueLow!,
            safeStepsize,
            safeValue,
            safeGrad
          },
          s
        )
      }

      const zoomIntoInterval = (s: Search): Search => {
        const { low, valueLow, slopeLow, high, valueHigh, slopeHigh } = s
        const delta = high.sub(low).abs()
        const left = np.minimum(high, low)
        const right = np.maximum(high, low)
        const cubicChk = np.multiply(0.2, delta)
        const quadChk = np.multiply(0.1, delta)
        const tooSmall = delta.le(intervalThreshold)
        const middleCubic = cubicmin(low, valueLow, slopeLow, high, valueHigh, s.cubicRef, s.valueCubicRef)
        const useCubic = np.logicalAnd(middleCubic.gt(left.add(cubicChk)), middleCubic.lt(right.sub(cubicChk)))
        const middleQuad = quadmin(low, valueLow, slopeLow, high, valueHigh)
        const quadValid = np.logicalAnd(middleQuad.gt(left.add(quadChk)), middleQuad.lt(right.sub(quadChk)))
        const useQuad = np.logicalAnd(np.logicalNot(useCubic), quadValid)
        const useBisection = np.logicalAnd(np.logicalNot(useCubic), np.logicalNot(useQuad))
        let middle = np.where(useCubic, middleCubic, s.cubicRef)
        middle = np.where(useQuad, middleQuad, middle)
        middle = np.where(useBisection, low.add(high).div(2), middle)
        const [value, grad, slope] = onLine(s, middle)
        const decreaseError = decreaseErrorOf(middle, value, slope, s.valueInit, s.slopeInit)
        const curvatureError = curvatureErrorOf(slope, s.slopeInit)
        const error = np.maximum(decreaseError, curvatureError)
        const updateSafe = np.logicalAnd(decreaseError.le(tol), value.lt(s.safeValue))
        const [safeStepsize, safeValue, safeGrad] = treeWhere(updateSafe, [middle, value, grad], [s.safeStepsize, s.safeValue, s.safeGrad]) as [
          Array,
          Array,
          unknown
        ]
        const done = error.le(tol)
        const setHighToMiddle = np.logicalOr(decreaseError.gt(0), value.ge(valueLow))
        const setHighToLow = np.logicalAnd(slope.mul(high.sub(low)).ge(0), np.logicalNot(setHighToMiddle))
        const setLowToMiddle = np.logicalNot(setHighToMiddle)
        const high1 = treeWhere(setHighToMiddle, [middle, value, slope], [high, valueHigh, slopeHigh]) as Array[]
        const [newHigh, newValueHigh, newSlopeHigh] = treeWhere(setHighToLow, [low, valueLow, slopeLow], high1) as Array[]
        const [newLow, newValueLow, newSlopeLow] = treeWhere(setLowToMiddle, [middle, value, slope], [low, valueLow, slopeLow]) as Array[]
        const [cubicRef, valueCubicRef] = treeWhere(np.logicalOr(setHighToMiddle, setHighToLow), [high, valueHigh], [low, valueLow]) as Array[]
        const presumablyFailed = np.logicalOr(s.count.add(1).ge(maxLinesearchSteps), np.logicalAnd(tooSmall, safeStepsize.gt(0)))
        return castLike(
          {
            ...s,
            count: safeIncrement(s.count),
            stepsize: middle,
            value,
            grad,
            slope,
            decreaseError,
            curvatureError,
            error,
            done,
            failed: np.logicalAnd(presumablyFailed, np.logicalNot(done)),
            low: newLow!,
            valueLow: newValueLow!,
            slopeLow: newSlopeLow!,
            high: newHigh!,
            valueHigh: newValueHigh!,
            slopeHigh: newSlopeHigh!,
            cubicRef: cubicRef!,
            valueCubicRef: valueCubicRef!,
            safeStepsize,
            safeValue,
            safeGrad
          },
          s
        )
      }

      const trySafeStep = (s: Search): Search => {
        const useSafe = np.logicalOr(s.safeStepsize.gt(0), np.isinf(s.decreaseError))
        const [stepsize, value, grad] = treeWhere(useSafe, [s.safeStepsize, s.safeValue, s.safeGrad], [s.stepsize, s.value, s.grad]) as [Array, Array, unknown]
        return castLike({ ...s, stepsize, value, grad }, s)
      }

      const step = (s: Search): Search => {
        const next = lax.cond(s.intervalFound, zoomIntoInterval, searchInterval, s)
        return castLike(
          lax.cond(next.failed, trySafeStep, (x: Search) => x, next),
          s
        )
      }

      const value = extra.value
      const slope = treeVdot(updates, extra.grad)
      const zero = f32(0)
      const init: Search = {
        count: np.array(0, { dtype: "int32" }),
        params,
        updates,
        stepsizeGuess: guess === "one" ? f32(1) : state.learningRate,
        stepsize: zero,
        value: value.astype("float32"),
        grad: extra.grad,
        slope,
        valueInit: value,
        slopeInit: slope,
        decreaseError: f32(Infinity),
        curvatureError: f32(Infinity),
        error: f32(Infinity),
        intervalFound: np.array(false),
        done: np.array(false),
        failed: np.array(false),
        low: zero,
        valueLow: value,
        slopeLow: slope,
        high: zero,
        valueHigh: value,
        slopeHigh: slope,
        cubicRef: zero,
        valueCubicRef: value,
        safeStepsize: zero,
        safeValue: value,
        safeGrad: extra.grad
      }
      const final = lax.whileLoop((s: Search) => np.logicalNot(np.logicalOr(s.done, s.failed)), step, init)
      const next: ZoomLinesearchState = {
        learningRate: final.stepsize,
        value: final.value,
        grad: final.grad,
        info: { numLinesearchSteps: final.count, decreaseError: final.decreaseError, curvatureError: final.curvatureError }
      }
      return [treeScale(final.stepsize, updates) as U, castLike(next, state)]
    }
  }
}
