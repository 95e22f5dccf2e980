/**
 * The per-example normalization layers, as Haiku computes them: `LayerNorm` (mean and variance
 * over `axis`, by default the last), `RMSNorm` (root mean square over `axis`, no centring) and
 * `GroupNorm` (channels split into groups; statistics per example and group over the spatial axes
 * and the group's channels). Each has a learned `scale` (ones) and, except RMSNorm, an `offset`
 * (zeros) over the channels (the last axis). Parameters take the input's dtype.
 */
import { Effect } from "effect"
import { type Array, lax, np, ShapeError, ValueError } from "../../index.js"
import { checkOptions, optionKeys } from "../../core/options.js"
import { normalizeAxis } from "../../core/shape.js"
import { Init, type Initializer, Param } from "../transform.js"
import { finiteNumber, type Flagged, floatInput, type Layer, layerName, makeLayer, positiveInt, type Scoped } from "./layer.js"

interface ScaleOffsetOptions<N extends string, S extends boolean, O extends boolean> {
  /** Learn a per-channel scale `scale` (default true). */
  readonly createScale?: S | undefined
  /** Learn a per-channel offset `offset` (default true). */
  readonly createOffset?: O | undefined
  /** Added to the variance (default 1e-5, Haiku's). */
  readonly eps?: number | undefined
  /** The initializer of scale (default ones). */
  readonly scaleInit?: Initializer | undefined
  /** The initializer of offset (default zeros). */
  readonly offsetInit?: Initializer | undefined
  readonly name?: N | undefined
}

/** The parameter paths of a norm layer named `N` with a scale and an offset as flagged. */
export type NormPaths<N extends string, S extends boolean, O extends boolean> = Scoped<N, Flagged<S, "scale"> | Flagged<O, "offset">>

const checkScaleOffset = (caller: string, o: ScaleOffsetOptions<string, boolean, boolean> | undefined): { eps: number; name: string | undefined } => {
  if (o?.createScale === false && o.scaleInit !== undefined) throw new ValueError(`${caller}: scaleInit is set but createScale is false; drop one of them.`)
  if (o?.createOffset === false && o.offsetInit !== undefined) throw new ValueError(`${caller}: offsetInit is set but createOffset is false; drop one of them.`)
  const eps = finiteNumber(caller, "eps", o?.eps ?? 1e-5)
  if (eps < 0) throw new ValueError(`${caller}: eps must be >= 0, got ${eps}.`)
  return { eps, name: layerName(caller, o?.name) }
}

/** `x * scale + offset` with per-channel (last axis) parameters, as created. */
const scaleAndOffset = (x: Array, o: ScaleOffsetOptions<string, boolean, boolean> | undefined) =>
  Effect.gen(function* () {
    const channels = [x.shape[x.ndim - 1]!]
    let out = x
    if (o?.createScale ?? true) out = out.mul(yield* Param.get("scale", channels, o?.scaleInit ?? Init.ones, { dtype: x.dtype }))
    if (o?.createOffset ?? true) out = out.add(yield* Param.get("offset", channels, o?.offsetInit ?? Init.zeros, { dtype: x.dtype }))
    return out
  })

const axesOf = (caller: string, axis: number | ReadonlyArray<number>, x: Array): number[] => {
  const list = typeof axis === "number" ? [axis] : [...axis]
  if (list.length === 0) throw new ValueError(`${caller}: axis must name at least one axis.`)
  return list.map((a) => normalizeAxis(a, x.ndim, `${caller}: axis`))
}

const needsChannels = (caller: string, x: Array): void => {
  if (x.ndim === 0) throw new ShapeError(`${caller}: the input must not be a scalar; its last axis holds the channels.`)
}

export interface LayerNormOptions<N extends string = never, S extends boolean = true, O extends boolean = true> extends ScaleOffsetOptions<N, S, O> {
  /** The axes to normalize over (default -1, the last). */
  readonly axis?: number | ReadonlyArray<number> | undefined
  /** Compute the variance as E[x²] - E[x]² (faster, less accurate; default false). */
  readonly useFastVariance?: boolean | undefined
}

const layerNormKeys = optionKeys<LayerNormOptions>()("axis", "useFastVariance", "createScale", "createOffset", "eps", "scaleInit", "offsetInit", "name")

/**
 * Layer normalization (Haiku's hk.LayerNorm; Flax's nn.LayerNorm with Haiku's eps 1e-5):
 * `scale * (x - mean) / sqrt(var + eps) + offset`, the statistics over `axis` (default the last),
 * scale and offset over the last axis.
 *
 * @example
 * const x = random.normal(random.key(1), [4, 16])
 * const model = transform(LayerNorm({ name: "ln" }))
 * const params = model.init(random.key(0), x)       // { "ln/offset": [C], "ln/scale": [C] }
 * model.apply(params, null, x)                        // each row: mean 0, variance 1
 */
export const LayerNorm = <const N extends string = never, const S extends boolean = true, const O extends boolean = true>(
  options?: LayerNormOptions<N, S, O>
): Layer<NormPaths<N, S, O>> => {
  const caller = "LayerNorm"
  checkOptions(caller, options, layerNormKeys)
  const { eps, name } = checkScaleOffset(caller, options)
  const axis = options?.axis ?? -1
  return makeLayer(caller, "layer_norm", name, (x) =>
    Effect.gen(function* () {
      floatInput(caller, x)
      needsChannels(caller, x)
      const axes = axesOf(caller, axis, x)
      const mean = np.mean(x, { axis: axes, keepdims: true })
      const variance =
        options?.useFastVariance === true
          ? np.mean(np.square(x), { axis: axes, keepdims: true }).sub(np.square(mean))
          : np.var(x, { axis: axes, keepdims: true })
      // Haiku's order: (scale * rsqrt(var + eps)) * (x - mean) + offset.
      const channels = [x.shape[x.ndim - 1]!]
      let inv = lax.rsqrt(variance.add(eps))
      if (options?.createScale ?? true) inv = (yield* Param.get("scale", channels, options?.scaleInit ?? Init.ones, { dtype: x.dtype })).mul(inv)
      const out = inv.mul(x.sub(mean))
      if (!(options?.createOffset ?? true)) return out
      return out.add(yield* Param.get("offset", channels, options?.offsetInit ?? Init.zeros, { dtype: x.dtype }))
    })
  )
}

export interface RMSNormOptions<N extends string = never, S extends boolean = true> {
  /** The axes of the mean square (default -1, the last). */
  readonly axis?: number | ReadonlyArray<number> | undefined
  /** Added to the mean square (default 1e-5, Haiku's). */
  readonly eps?: number | undefined
  /** Learn a per-channel scale `scale` (default true). */
  readonly createScale?: S | undefined
  /** The initializer of scale (default ones). */
  readonly scaleInit?: Initializer | undefined
  readonly name?: N | undefined
}

const rmsKeys = optionKeys<RMSNormOptions>()("axis", "eps", "createScale", "scaleInit", "name")

/**
 * Root-mean-square normalization (Haiku's hk.RMSNorm): `x * scale / sqrt(mean(x²) + eps)`, the
 * mean over `axis` (default the last), scale over the last axis.
 *
 * @example
 * const x = random.normal(random.key(1), [4, 16])
 * const model = transform(RMSNorm({ name: "rms" }))
 * model.apply(model.init(random.key(0), x), null, x)   // rows of root mean square 1
 */
export const RMSNorm = <const N extends string = never, const S extends boolean = true>(
  options?: RMSNormOptions<N, S>
): Layer<Scoped<N, Flagged<S, "scale">>> => {
  const caller = "RMSNorm"
  checkOptions(caller, options, rmsKeys)
  const { eps, name } = checkScaleOffset(caller, { ...options, createOffset: false })
  const axis = options?.axis ?? -1
  return makeLayer(caller, "rms_norm", name, (x) =>
    Effect.gen(function* () {
      floatInput(caller, x)
      needsChannels(caller, x)
      const meanSquare = np.mean(np.square(x), { axis: axesOf(caller, axis, x), keepdims: true })
      const inv = lax.rsqrt(meanSquare.add(eps))
      if (options?.createScale === false) return x.mul(inv)
      const scale = yield* Param.get("scale", [x.shape[x.ndim - 1]!], options?.scaleInit ?? Init.ones, { dtype: x.dtype })
      // Haiku's order: x * scale * rsqrt(ms + eps).
      return x.mul(scale).mul(inv)
    })
  )
}

export interface GroupNormOptions<N extends string = never, S extends boolean = true, O extends boolean = true> extends ScaleOffsetOptions<N, S, O> {
  /** The number of groups the channels (last axis) are split into; it must divide them. */
  readonly groups: number
}

const groupKeys = optionKeys<GroupNormOptions>()("groups", "createScale", "createOffset", "eps", "scaleInit", "offsetInit", "name")

/**
 * Group normalization (Haiku's hk.GroupNorm, channels last): the C channels of x [N, ..., C] are
 * split into `groups` groups of C / groups; each example's group is normalized with the mean and
 * variance over its spatial axes and channels, then scaled and shifted per channel.
 *
 * @example
 * const model = transform(GroupNorm({ groups: 4, name: "gn" }))
 * model.init(random.key(0), np.ones([2, 8, 8, 16]))   // { "gn/offset": [16], "gn/scale": [16] }
 */
export const GroupNorm = <const N extends string = never, const S extends boolean = true, const O extends boolean = true>(
  options: GroupNormOptions<N, S, O>
): Layer<NormPaths<N, S, O>> => {
  const caller = "GroupNorm"
  checkOptions(caller, options, groupKeys)
  const groups = positiveInt(caller, "groups", options?.groups)
  const { eps, name } = checkScaleOffset(caller, options)
  return makeLayer(caller, "group_norm", name, (x) =>
    Effect.gen(function* () {
      floatInput(caller, x)
      if (x.ndim < 2) return yield* new ShapeError(`${caller}: the input must be [batch, ..., channels] (at least 2 axes), got shape [${x.shape.join(", ")}].`)
      const channels = x.shape[x.ndim - 1]!
      if (channels % groups !== 0) {
        return yield* new ShapeError(`${caller}: the ${channels} channels (the last axis) must be divisible by groups = ${groups}.`)
      }
      // [N, ..., G, C / G]; statistics over every axis but the batch and the group.
      const grouped = np.reshape(x, [...x.shape.slice(0, -1), groups, channels / groups])
      const axes = [...globalThis.Array.from({ length: x.ndim - 2 }, (_, i) => i + 1), x.ndim]
      const mean = np.mean(grouped, { axis: axes, keepdims: true })
      const variance = np.var(grouped, { axis: axes, keepdims: true })
      const normalized = np.reshape(grouped.sub(mean).mul(lax.rsqrt(variance.add(eps))), x.shape)
      return yield* scaleAndOffset(normalized, options)
    })
  )
}
