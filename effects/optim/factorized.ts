/**
 * Adafactor's factored second-moment estimate (optax's `scale_by_factored_rms`, Shazeer and Stern
 * 2018): for a matrix-like parameter, row and column averages of the squared gradient stand in for
 * the full second moment, so the state grows with `rows + cols` instead of `rows * cols`.
 */
import { type Array, np, tree, ValueError } from "../../index.js"
import { checkOptions, optionKeys } from "../../core/options.js"
import { type GradientTransformation, safeIncrement, zeroCount } from "./base.js"

export interface ScaleByFactoredRmsOptions {
  /** Factor the second moment of parameters of rank >= 2. Default true. */
  readonly factored?: boolean
  /** The exponent of the decay schedule `1 - (t + 1)^(-decayRate)`. Default 0.8. */
  readonly decayRate?: number
  /** Steps subtracted from the count in the decay schedule (for fine-tuning). Default 0. */
  readonly stepOffset?: number
  /** Factor only when the second-largest dimension is at least this. Default 128. */
  readonly minDimSizeToFactor?: number
  /** Added to the squared gradient. Default 1e-30. */
  readonly epsilon?: number
  /** The decay at step `t` (an int32 count minus the offset) for `decayRate`; default `1 - (t + 1)^(-decayRate)`. */
  readonly decayRateFn?: (step: Array, decayRate: number) => Array
}
export const SCALE_BY_FACTORED_RMS_KEYS = optionKeys<ScaleByFactoredRmsOptions>()(
  "factored",
  "decayRate",
  "stepOffset",
  "minDimSizeToFactor",
  "epsilon",
  "decayRateFn"
)

/**
 * The state of `scaleByFactoredRms`: the step count, and per leaf the row and column averages
 * (factored leaves) or the full average (the others); unused slots hold a zero of shape [1].
 */
export interface FactoredState {
  readonly count: Array
  readonly vRow: unknown
  readonly vCol: unknown
  readonly v: unknown
}

const defaultDecay = (step: Array, exponent: number): Array => {
  const t = step.add(1).astype("float32")
  return np.subtract(1, np.power(t, -exponent))
}

/**
 * The two largest dimensions `[second, largest]` of `shape` if it is factored, else undefined
 * (ties keep the earlier axis first, as a stable sort does).
 */
const factoredDims = (shape: ReadonlyArray<number>, factored: boolean, minDim: number): [number, number] | undefined => {
  if (!factored || shape.length < 2) return undefined
  const sorted = [...shape.keys()].sort((a, b) => shape[a]! - shape[b]! || a - b)
  const second = sorted[sorted.length - 2]!
  if (shape[second]! < minDim) return undefined
  return [second, sorted[sorted.length - 1]!]
}

/**
 * Adafactor's rescaling (optax's `scale_by_factored_rms`): `update = g / sqrt(v_hat)` where
 * `v_hat` is the decayed average of `g^2 + epsilon`, factored into row and column averages for
 * parameters whose two largest dimensions are at least `minDimSizeToFactor`. Needs `params`.
 *
 * @example
 * const opt = optim.chain(optim.scaleByFactoredRms(), optim.clipByBlockRms(1), optim.scale(-1e-2))
 */
export const scaleByFactoredRms = (options?: ScaleByFactoredRmsOptions): GradientTransformation<FactoredState> => {
  checkOptions("optim.scaleByFactoredRms", options, SCALE_BY_FACTORED_RMS_KEYS)
  const factored = options?.factored ?? true
  const decayRate = options?.decayRate ?? 0.8
  const stepOffset = options?.stepOffset ?? 0
  const minDim = options?.minDimSizeToFactor ?? 128
  const epsilon = options?.epsilon ?? 1e-30
  const decayFn = options?.decayRateFn ?? defaultDecay
  const unused = (p: Array): Array => np.zeros([1], { dtype: p.dtype })
  return {
    init: (params) => {
      const [leaves, def] = tree.flatten(params)
      const ps = leaves as Array[]
      const slots = ps.map((p) => {
        const dims = factoredDims(p.shape, factored, minDim)
        if (dims === undefined) return { vRow: unused(p), vCol: unused(p), v: np.zerosLike(p) }
        const [d1, d0] = dims
        const without = (axis: number) =>
          np.zeros(
            p.shape.filter((_, i) => i !== axis),
            { dtype: p.dtype }
          )
        return { vRow: without(d0), vCol: without(d1), v: unused(p) }
      })
      return {
        count: zeroCount(),
        vRow: tree.unflatten(
          def,
          slots.map((s) => s.vRow)
        ),
        vCol: tree.unflatten(
          def,
          slots.map((s) => s.vCol)
        ),
        v: tree.unflatten(
          def,
          slots.map((s) => s.v)
        )
      }
    },
    update: <U>(updates: U, state: FactoredState, params?: U): [U, FactoredState] => {
      if (params === undefined) {
        throw new ValueError("optim.scaleByFactoredRms (and adafactor) needs the parameters: call update(grads, state, params).")
      }
      const [gs, def] = tree.flatten(updates)
      const ps = tree.flattenUpTo(def, params) as Array[]
      const rows = tree.flattenUpTo(def, state.vRow) as Array[]
      const cols = tree.flattenUpTo(def, state.vCol) as Array[]
      const vs = tree.flattenUpTo(def, state.v) as Array[]
      const decay = decayFn(state.count.sub(stepOffset), decayRate)
      const keep = np.subtract(1, decay)
      const results = (gs as Array[]).map((g, k) => {
        const p = ps[k]!
        const gradSqr = g.mul(g).add(epsilon)
        const dims = factoredDims(p.shape, factored, minDim)
        if (dims === undefined) {
          const v = decay.mul(vs[k]!).add(keep.mul(gradSqr)).astype(p.dtype)
          return { update: g.mul(np.power(v, -0.5)), vRow: unused(p), vCol: unused(p), v }
        }
        const [d1, d0] = dims
        const vRow = decay
          .mul(rows[k]!)
          .add(keep.mul(np.mean(gradSqr, { axis: d0 })))
          .astype(p.dtype)
        const vCol = decay
          .mul(cols[k]!)
          .add(keep.mul(np.mean(gradSqr, { axis: d1 })))
          .astype(p.dtype)
        const reducedD1 = d1 > d0 ? d1 - 1 : d1
        const rowFactor = np.power(vRow.div(np.mean(vRow, { axis: reducedD1, keepdims: true })), -0.5)
        const colFactor = np.power(vCol, -0.5)
        const update = g.mul(np.expandDims(rowFactor, d0)).mul(np.expandDims(colFactor, d1))
        return { update, vRow, vCol, v: unused(p) }
      })
      const pick = (f: (r: (typeof results)[number]) => Array): unknown => tree.unflatten(def, results.map(f))
      return [pick((r) => r.update) as U, { count: safeIncrement(state.count), vRow: pick((r) => r.vRow), vCol: pick((r) => r.vCol), v: pick((r) => r.v) }]
    }
  }
}
