/**
 * `varianceScaling` and its named cases (JAX's jax.nn.initializers): samples with variance
 * `scale / n`, where n is the fan in, the fan out, their mean or their geometric mean, computed
 * from the weight shape with `inAxis`, `outAxis` and `batchAxis`; the other axes are the receptive
 * field of a convolution kernel and multiply both fans. The variance is rounded to the dtype
 * before its square root is taken, as JAX does, so a key gives JAX's numbers.
 *
 * | name                          | scale | mode    | distribution     |
 * |-------------------------------|-------|---------|------------------|
 * | glorot (xavier) uniform/normal | 1     | fan_avg | uniform / truncated_normal |
 * | lecun uniform/normal          | 1     | fan_in  | uniform / truncated_normal |
 * | he (kaiming) uniform/normal   | 2     | fan_in  | uniform / truncated_normal |
 */
import { ValueError } from "../../errors.js"
import { checkOptions, optionKeys } from "../../options.js"
import * as random from "../../random/random.js"
import { normalizeAxis, showShape } from "../../shape.js"
import { floatDtype, type Initializer, type InitializerOptions, initShape, roundTo } from "./types.js"

export type FanMode = "fan_in" | "fan_out" | "fan_avg" | "fan_geo_avg"
export type VarianceDistribution = "truncated_normal" | "normal" | "uniform"

/** One axis or several (their sizes multiply). */
export type AxisSpec = number | ReadonlyArray<number>

export interface FanOptions extends InitializerOptions {
  /** The input axis or axes (default -2). */
  readonly inAxis?: AxisSpec | undefined
  /** The output axis or axes (default -1). */
  readonly outAxis?: AxisSpec | undefined
  /** Axes that count in neither fan (default none). */
  readonly batchAxis?: AxisSpec | undefined
}

const fanKeys = optionKeys<FanOptions>()("dtype", "inAxis", "outAxis", "batchAxis")

/** The standard deviation of a standard normal truncated to (-2, 2). */
const TRUNCATED_STDDEV = 0.87962566103423978

const sizeOfAxes = (shape: ReadonlyArray<number>, axes: AxisSpec, what: string): number => {
  const list = typeof axes === "number" ? [axes] : axes
  let n = 1
  for (const a of list) n *= shape[normalizeAxis(a, shape.length, `nn.initializers.varianceScaling: ${what}`)]!
  return n
}

/**
 * The fans `[fanIn, fanOut]` of a weight shape (JAX's `_compute_fans`): the in and out sizes,
 * each times the receptive field (the product of the axes that are neither in, out nor batch).
 */
export const computeFans = (shape: ReadonlyArray<number>, inAxis: AxisSpec = -2, outAxis: AxisSpec = -1, batchAxis: AxisSpec = []): [number, number] => {
  if (inAxis === -2 && shape.length <= 1) {
    throw new ValueError(
      `nn.initializers: can't compute input and output sizes of a ${shape.length}-dimensional weights tensor with the default inAxis; ` +
        "it must be at least 2-D, or give inAxis explicitly."
    )
  }
  const inSize = sizeOfAxes(shape, inAxis, "inAxis")
  const outSize = sizeOfAxes(shape, outAxis, "outAxis")
  const batchSize = sizeOfAxes(shape, batchAxis, "batchAxis")
  if (inSize === 0 || outSize === 0 || batchSize === 0) {
    throw new ValueError(`nn.initializers: the fans of shape ${showShape(shape)} are zero (an empty axis); give a shape without zero-size axes.`)
  }
  let total = 1
  for (const d of shape) total *= d
  // In JAX's order, in float64: prod / in / out / batch.
  const receptive = total / inSize / outSize / batchSize
  return [inSize * receptive, outSize * receptive]
}

const MODES: ReadonlyArray<FanMode> = ["fan_in", "fan_out", "fan_avg", "fan_geo_avg"]
const DISTRIBUTIONS: ReadonlyArray<VarianceDistribution> = ["truncated_normal", "normal", "uniform"]

/**
 * Builds an initializer whose samples have variance `scale / n`, n chosen by `mode` from the fans
 * of the weight shape: a truncated normal (truncated at 2 standard deviations and rescaled so the
 * standard deviation after truncation is right), a normal, or a uniform in ±sqrt(3 scale / n).
 *
 * @example
 * const he = nn.initializers.varianceScaling(2, "fan_in", "truncated_normal")
 * he(random.key(0), [64, 32]) // He normal: stddev sqrt(2 / 64)
 */
export const varianceScaling = (scale: number, mode: FanMode, distribution: VarianceDistribution, options?: FanOptions): Initializer => {
  checkOptions("nn.initializers.varianceScaling", options, fanKeys)
  if (typeof scale !== "number" || !(scale >= 0))
    throw new ValueError(`nn.initializers.varianceScaling: scale must be a non-negative number, got ${String(scale)}.`)
  if (!MODES.includes(mode)) throw new ValueError(`nn.initializers.varianceScaling: invalid mode "${String(mode)}"; use one of ${MODES.join(", ")}.`)
  if (!DISTRIBUTIONS.includes(distribution)) {
    throw new ValueError(`nn.initializers.varianceScaling: invalid distribution "${String(distribution)}"; use one of ${DISTRIBUTIONS.join(", ")}.`)
  }
  const dflt = options?.dtype ?? "float32"
  return (key, shapeArg, dtype = dflt) => {
    const d = floatDtype("varianceScaling", dtype)
    const shape = initShape("varianceScaling", shapeArg)
    const [fanIn, fanOut] = computeFans(shape, options?.inAxis, options?.outAxis, options?.batchAxis)
    const denominator = mode === "fan_in" ? fanIn : mode === "fan_out" ? fanOut : mode === "fan_avg" ? (fanIn + fanOut) / 2 : Math.sqrt(fanIn * fanOut)
    const variance = roundTo(d, scale / denominator)
    if (distribution === "truncated_normal") {
      const stddev = roundTo(d, roundTo(d, Math.sqrt(variance)) / roundTo(d, TRUNCATED_STDDEV))
      return random.truncatedNormal(key, -2, 2, shape, d).mul(stddev)
    }
    if (distribution === "normal") return random.normal(key, shape, d).mul(roundTo(d, Math.sqrt(variance)))
    return random.uniform(key, shape, { dtype: d, minval: -1 }).mul(roundTo(d, Math.sqrt(roundTo(d, 3 * variance))))
  }
}

/** A named variance scaling: unknown options are reported under its own name. */
const preset = (name: string, scale: number, mode: FanMode, distribution: VarianceDistribution, options: FanOptions | undefined): Initializer => {
  checkOptions(`nn.initializers.${name}`, options, fanKeys)
  return varianceScaling(scale, mode, distribution, options)
}

/**
 * Glorot (Xavier) uniform: `varianceScaling(1, "fan_avg", "uniform")`.
 *
 * @example
 * nn.initializers.glorotUniform()(random.key(42), [2, 3]) // JAX's glorot_uniform sample for key 42
 */
export const glorotUniform = (options?: FanOptions): Initializer => preset("glorotUniform", 1, "fan_avg", "uniform", options)
/**
 * Glorot (Xavier) normal: `varianceScaling(1, "fan_avg", "truncated_normal")`.
 *
 * @example
 * nn.initializers.glorotNormal()(random.key(0), [2, 3]) // float32[2, 3]
 */
export const glorotNormal = (options?: FanOptions): Initializer => preset("glorotNormal", 1, "fan_avg", "truncated_normal", options)
/**
 * Alias of `glorotUniform`.
 *
 * @example
 * const w = nn.initializers.xavierUniform()(random.key(0), [3, 4]) // float32[3, 4], uniform in ±sqrt(6 / (3 + 4))
 */
export const xavierUniform = glorotUniform
/**
 * Alias of `glorotNormal`.
 *
 * @example
 * const w = nn.initializers.xavierNormal()(random.key(0), [3, 4]) // float32[3, 4], variance 2 / (3 + 4)
 */
export const xavierNormal = glorotNormal
/**
 * LeCun uniform: `varianceScaling(1, "fan_in", "uniform")`.
 *
 * @example
 * nn.initializers.lecunUniform()(random.key(0), [2, 3]) // float32[2, 3]
 */
export const lecunUniform = (options?: FanOptions): Initializer => preset("lecunUniform", 1, "fan_in", "uniform", options)
/**
 * LeCun normal: `varianceScaling(1, "fan_in", "truncated_normal")`.
 *
 * @example
 * nn.initializers.lecunNormal()(random.key(0), [2, 3]) // float32[2, 3]
 */
export const lecunNormal = (options?: FanOptions): Initializer => preset("lecunNormal", 1, "fan_in", "truncated_normal", options)
/**
 * He (Kaiming) uniform: `varianceScaling(2, "fan_in", "uniform")`.
 *
 * @example
 * nn.initializers.heUniform()(random.key(0), [2, 3]) // float32[2, 3]
 */
export const heUniform = (options?: FanOptions): Initializer => preset("heUniform", 2, "fan_in", "uniform", options)
/**
 * He (Kaiming) normal: `varianceScaling(2, "fan_in", "truncated_normal")`.
 *
 * @example
 * nn.initializers.heNormal()(random.key(0), [2, 3]) // float32[2, 3]
 */
export const heNormal = (options?: FanOptions): Initializer => preset("heNormal", 2, "fan_in", "truncated_normal", options)
/**
 * Alias of `heUniform`.
 *
 * @example
 * const w = nn.initializers.kaimingUniform()(random.key(0), [3, 4]) // float32[3, 4], uniform in ±sqrt(6 / 3)
 */
export const kaimingUniform = heUniform
/**
 * Alias of `heNormal`.
 *
 * @example
 * const w = nn.initializers.kaimingNormal()(random.key(0), [3, 4]) // float32[3, 4], variance 2 / 3
 */
export const kaimingNormal = heNormal
