/**
 * `nn.initializers`: JAX's jax.nn.initializers, with its defaults and its numbers for the same key.
 * Every initializer is `(key, shape, dtype?) => Array`; builders such as `normal(0.01)` or
 * `heNormal({ inAxis })` return one.
 *
 * @example
 * import { nn, random } from "jaxfx"
 * const w = nn.initializers.heNormal()(random.key(0), [784, 128])
 * const b = nn.initializers.zeros(random.key(0), [128])
 */
export { constant, ones, zeros } from "./constant.js"
export { deltaOrthogonal, orthogonal, type OrthogonalOptions } from "./orthogonal.js"
export { normal, truncatedNormal, type TruncatedNormalOptions, uniform } from "./random.js"
export type { Initializer, InitializerOptions } from "./types.js"
export {
  type AxisSpec,
  type FanMode,
  type FanOptions,
  glorotNormal,
  glorotUniform,
  heNormal,
  heUniform,
  kaimingNormal,
  kaimingUniform,
  lecunNormal,
  lecunUniform,
  varianceScaling,
  type VarianceDistribution,
  xavierNormal,
  xavierUniform
} from "./variance-scaling.js"
