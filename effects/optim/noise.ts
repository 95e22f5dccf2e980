/**
 * Gradient noise (optax's `add_noise`, Neelakantan et al. 2015): Gaussian noise whose variance
 * decays with the step count. The PRNG key lives in the state, so the noise is reproducible and
 * the whole step still compiles under `jit`.
 */
import { type Array, np, random } from "../../index.js"
import { type GradientTransformation, mapArrays, safeIncrement, zeroCount } from "./base.js"
import { arrayLeaves } from "./tree-math.js"

/**
 * The state of `addNoise`: the step count and the key for the next draw, kept as raw uint32 key
 * data (`random.keyData`) so that every checkpoint format holds it.
 */
export interface AddNoiseState {
  readonly count: Array
  readonly rngKey: Array
}

/**
 * Add `N(0, eta / t^gamma)` noise to every update at step `t` (optax's `add_noise`). `key` is a
 * PRNG key or a seed (default 0, as optax); each step splits it, as optax does, so the samples
 * equal JAX's for the same key.
 *
 * @example
 * const opt = optim.chain(optim.addNoise(0.01, 0.55, random.key(0)), optim.sgd(0.1))
 */
export const addNoise = (eta: number, gamma: number, key: random.KeyArray | number = 0): GradientTransformation<AddNoiseState> => ({
  init: () => ({ count: zeroCount(), rngKey: random.keyData(typeof key === "number" ? random.key(key) : key) }),
  update: <U>(updates: U, state: AddNoiseState): [U, AddNoiseState] => {
    const count = safeIncrement(state.count)
    const std = np.sqrt(np.divide(eta, np.power(count, gamma)))
    const keys2 = random.split(state.rngKey)
    const rngKey = keys2.index(0)
    const sampleKey = keys2.index(1)
    const n = arrayLeaves(updates).length
    const keys = random.split(sampleKey, n)
    let i = 0
    const out = mapArrays((g) => {
      const k = keys.index(i++)
      return g.add(std.mul(random.normal(k, g.shape, g.dtype as random.FloatDType)))
    }, updates)
    return [out as U, { count, rngKey }]
  }
})
