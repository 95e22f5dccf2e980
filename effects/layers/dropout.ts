/**
 * `Dropout` (Haiku's hk.dropout, Flax's nn.Dropout): in training, each element is kept with
 * probability 1 - rate and scaled by 1 / (1 - rate), else zeroed, the mask drawn from the Rng
 * (`jax.random.bernoulli(key, 1 - rate, shape)`, so a key gives JAX's mask); in evaluation, and
 * for rate 0, the identity, drawing no key.
 */
import { Effect } from "effect"
import { np, random, ValueError } from "../../index.js"
import { checkOptions, optionKeys } from "../../core/options.js"
import { normalizeAxis } from "../../core/shape.js"
import * as Rng from "../rng.js"
import { finiteNumber, floatInput, type Layer, makeLayer, trainingFlag } from "./layer.js"

export interface DropoutOptions {
  /** The probability of zeroing an element, in [0, 1] (rate 1 zeroes everything, as Flax). */
  readonly rate: number
  /** Axes along which the mask is shared (its size there is 1), e.g. the time axis. */
  readonly broadcastDims?: ReadonlyArray<number> | undefined
  /** The default training flag when a call gives none. */
  readonly isTraining?: boolean | undefined
}

const dropoutKeys = optionKeys<DropoutOptions>()("rate", "broadcastDims", "isTraining")

/**
 * A dropout layer. Call it with `{ isTraining }` (or build it with one); it has no parameters and
 * takes its keys from the Rng, i.e. from the key given to `apply`.
 *
 * @example
 * const x = np.ones([4, 8])
 * const model = transform((x: Array, isTraining: boolean) => Dropout({ rate: 0.1 })(x, { isTraining }))
 * model.apply({}, random.key(1), x, true)    // about 10% zeros, the rest x / 0.9
 * model.apply({}, null, x, false)            // x
 */
export const Dropout = (options: DropoutOptions): Layer<never> => {
  const caller = "Dropout"
  checkOptions(caller, options, dropoutKeys)
  const rate = finiteNumber(caller, "rate", options?.rate)
  if (rate < 0 || rate > 1) throw new ValueError(`${caller}: rate must be in [0, 1], got ${rate}.`)
  const broadcastDims = options.broadcastDims ?? []
  return makeLayer(caller, "dropout", undefined, (x, call) =>
    Effect.gen(function* () {
      floatInput(caller, x)
      if (!trainingFlag(caller, call.isTraining, options.isTraining) || rate === 0) return x
      if (rate === 1) return np.zerosLike(x)
      const maskShape = [...x.shape]
      for (const d of broadcastDims) maskShape[normalizeAxis(d, x.ndim, `${caller}: broadcastDims`)] = 1
      const keepRate = 1 - rate
      const key = yield* Rng.next
      const keep = np.broadcastTo(random.bernoulli(key, keepRate, maskShape), x.shape)
      return np.where(keep, x.div(keepRate), np.zerosLike(x))
    })
  )
}
