/**
 * Convolution layers as Haiku has them (hk.Conv1D/2D/3D, hk.Conv1DTranspose/2D/3D): channels-last
 * by default, "SAME" padding, a bias, and w initialized as Haiku does (a normal truncated at ±2
 * standard deviations with stddev 1 / sqrt(fan in)). w is [...kernelShape, inChannels / groups,
 * outputChannels] (transposed: [...kernelShape, outputChannels, inChannels]); b is
 * [outputChannels] (channels-first: [outputChannels, 1, ...]). Inputs without a batch axis are
 * taken as one example, as in Haiku. Parameters take the input's dtype.
 */
import { Effect } from "effect"
import { type Array, lax, ShapeError, ValueError } from "../../index.js"
import type { ConvDimensionNumbers, ConvPadding } from "../../core/lax/conv.js"
import { checkOneOf, checkOptions, optionKeys } from "../../core/options.js"
import { Init, type Initializer, Param } from "../transform.js"
import { type Flagged, floatInput, type Layer, layerName, makeLayer, positiveInt, type Scoped } from "./layer.js"

export interface ConvOptions<N extends string = never, B extends boolean = true> {
  /** The number of output channels. */
  readonly outputChannels: number
  /** The window size: one integer for every spatial axis, or one per axis. */
  readonly kernelShape: number | ReadonlyArray<number>
  /** The step between windows (default 1). */
  readonly stride?: number | ReadonlyArray<number> | undefined
  /** The kernel dilation (Haiku's rate, atrous convolution; default 1). */
  readonly rate?: number | ReadonlyArray<number> | undefined
  /** "SAME" (default), "VALID", or (lo, hi) pairs per spatial axis. */
  readonly padding?: ConvPadding | undefined
  /** Whether to add a bias `b` (default true). */
  readonly withBias?: B | undefined
  /** The initializer of w (default: truncated normal with stddev 1 / sqrt(fan in)). */
  readonly wInit?: Initializer | undefined
  /** The initializer of b (default zeros). */
  readonly bInit?: Initializer | undefined
  /** "channels_last" (default: NWC, NHWC, NDHWC) or "channels_first" (NCW, NCHW, NCDHW). */
  readonly dataFormat?: "channels_last" | "channels_first" | undefined
  /** Split the input channels into this many groups (depthwise: the input channels; default 1). */
  readonly featureGroupCount?: number | undefined
  /** The module name (default Haiku's: "conv2_d", made unique: "conv2_d_1", ...). */
  readonly name?: N | undefined
}
const convKeys = optionKeys<ConvOptions>()(
  "outputChannels",
  "kernelShape",
  "stride",
  "rate",
  "padding",
  "withBias",
  "wInit",
  "bInit",
  "dataFormat",
  "featureGroupCount",
  "name"
)

export interface ConvTransposeOptions<N extends string = never, B extends boolean = true> {
  /** The number of output channels. */
  readonly outputChannels: number
  /** The window size: one integer for every spatial axis, or one per axis. */
  readonly kernelShape: number | ReadonlyArray<number>
  /** The upsampling factor (default 1). */
  readonly stride?: number | ReadonlyArray<number> | undefined
  /** "SAME" (default: output size input * stride), "VALID", or (lo, hi) pairs per spatial axis. */
  readonly padding?: ConvPadding | undefined
  /** Whether to add a bias `b` (default true). */
  readonly withBias?: B | undefined
  /** The initializer of w (default: truncated normal with stddev 1 / sqrt(prod(kernelShape) * inChannels)). */
  readonly wInit?: Initializer | undefined
  /** The initializer of b (default zeros). */
  readonly bInit?: Initializer | undefined
  /** "channels_last" (default) or "channels_first". */
  readonly dataFormat?: "channels_last" | "channels_first" | undefined
  /** The module name (default Haiku's: "conv2_d_transpose", made unique). */
  readonly name?: N | undefined
}
const convTransposeKeys = optionKeys<ConvTransposeOptions>()(
  "outputChannels",
  "kernelShape",
  "stride",
  "padding",
  "withBias",
  "wInit",
  "bInit",
  "dataFormat",
  "name"
)

/** The parameter paths of a convolution named `N`: `N/w` and, with a bias, `N/b`. */
export type ConvPaths<N extends string, B extends boolean> = Scoped<N, "w" | Flagged<B, "b">>

const perAxis = (caller: string, what: string, v: unknown, n: number, dflt: number): number[] => {
  if (v === undefined) return globalThis.Array.from({ length: n }, () => dflt)
  if (typeof v === "number") return globalThis.Array.from({ length: n }, () => positiveInt(caller, what, v))
  if (!globalThis.Array.isArray(v) || v.length !== n)
    throw new ValueError(`${caller}: ${what} must be a positive integer or a list of ${n}, got ${JSON.stringify(v)}.`)
  return v.map((x) => positiveInt(caller, what, x))
}

const checkPadding = (caller: string, p: unknown, n: number): ConvPadding => {
  if (p === undefined) return "SAME"
  if (typeof p === "string") {
    checkOneOf(caller, "padding", p, ["SAME", "VALID"])
    return p as ConvPadding
  }
  if (!globalThis.Array.isArray(p) || p.length !== n || !p.every((q) => globalThis.Array.isArray(q) && q.length === 2 && q.every(Number.isInteger))) {
    throw new ValueError(`${caller}: padding must be "SAME", "VALID" or ${n} (lo, hi) integer pairs, got ${JSON.stringify(p)}.`)
  }
  return p as ConvPadding
}

/** Haiku's to_dimension_numbers: the image layout, and the kernel's (I, O last; O, I last when transposed). */
const dimensionNumbers = (ns: number, channelsLast: boolean, transposed: boolean): ConvDimensionNumbers => {
  const nd = ns + 2
  const spatial = globalThis.Array.from({ length: ns }, (_, i) => (channelsLast ? i + 1 : i + 2))
  const image = channelsLast ? [0, nd - 1, ...spatial] : [0, 1, ...spatial]
  const kernelSpatial = globalThis.Array.from({ length: ns }, (_, i) => i)
  const kernel = transposed ? [nd - 2, nd - 1, ...kernelSpatial] : [nd - 1, nd - 2, ...kernelSpatial]
  return { lhsSpec: image, rhsSpec: kernel, outSpec: image }
}

const dataFormatOf = (caller: string, f: unknown): boolean => {
  checkOneOf(caller, "dataFormat", f, ["channels_last", "channels_first"])
  return f !== "channels_first"
}

/** The input with a batch axis (added when it has none), and whether to remove it again. */
const batched = (caller: string, x: Array, ns: number): readonly [Array, boolean] => {
  if (x.ndim === ns + 2) return [x, false]
  if (x.ndim === ns + 1) return [x.reshape([1, ...x.shape]), true]
  throw new ShapeError(
    `${caller}: the input must have ${ns + 2} axes (batch, ${ns} spatial, channels) or ${ns + 1} (no batch), got shape [${x.shape.join(", ")}].`
  )
}

const addBias = (out: Array, b: Array, channelsLast: boolean, ns: number): Array =>
  channelsLast ? out.add(b) : out.add(b.reshape([b.shape[0]!, ...globalThis.Array.from({ length: ns }, () => 1)]))

const makeConv = <N extends string, B extends boolean>(ns: number, caller: string, base: string, options: ConvOptions<N, B>): Layer<ConvPaths<N, B>> => {
  checkOptions(caller, options, convKeys)
  const outputChannels = positiveInt(caller, "outputChannels", options?.outputChannels)
  if (options.kernelShape === undefined) throw new ValueError(`${caller}: kernelShape is required (an integer or a list of ${ns}).`)
  const kernel = perAxis(caller, "kernelShape", options.kernelShape, ns, NaN)
  const stride = perAxis(caller, "stride", options.stride, ns, 1)
  const rate = perAxis(caller, "rate", options.rate, ns, 1)
  const padding = checkPadding(caller, options.padding, ns)
  const channelsLast = dataFormatOf(caller, options.dataFormat)
  const groups = positiveInt(caller, "featureGroupCount", options.featureGroupCount ?? 1)
  const name = layerName(caller, options.name)
  const withBias = options.withBias ?? true
  const dn = dimensionNumbers(ns, channelsLast, false)
  return makeLayer(caller, base, name, (x0) =>
    Effect.gen(function* () {
      const dtype = floatInput(caller, x0)
      const [x, unbatch] = batched(caller, x0, ns)
      const inChannels = x.shape[channelsLast ? x.ndim - 1 : 1]!
      if (inChannels % groups !== 0 || outputChannels % groups !== 0) {
        return yield* new ValueError(
          `${caller}: featureGroupCount ${groups} must divide the input channels (${inChannels}) and outputChannels (${outputChannels}).`
        )
      }
      const wShape = [...kernel, inChannels / groups, outputChannels]
      const fanIn = wShape.slice(0, -1).reduce((a, b) => a * b, 1)
      const w = yield* Param.get("w", wShape, options.wInit ?? Init.truncatedNormal(1 / Math.sqrt(fanIn)), { dtype })
      let out = lax.convGeneralDilated(x, w, stride, padding, { rhsDilation: rate, dimensionNumbers: dn, featureGroupCount: groups })
      if (withBias) out = addBias(out, yield* Param.get("b", [outputChannels], options.bInit ?? Init.zeros, { dtype }), channelsLast, ns)
      return unbatch ? out.reshape(out.shape.slice(1)) : out
    })
  )
}

const makeConvTranspose = <N extends string, B extends boolean>(
  ns: number,
  caller: string,
  base: string,
  options: ConvTransposeOptions<N, B>
): Layer<ConvPaths<N, B>> => {
  checkOptions(caller, options, convTransposeKeys)
  const outputChannels = positiveInt(caller, "outputChannels", options?.outputChannels)
  if (options.kernelShape === undefined) throw new ValueError(`${caller}: kernelShape is required (an integer or a list of ${ns}).`)
  const kernel = perAxis(caller, "kernelShape", options.kernelShape, ns, NaN)
  const stride = perAxis(caller, "stride", options.stride, ns, 1)
  const padding = checkPadding(caller, options.padding, ns)
  const channelsLast = dataFormatOf(caller, options.dataFormat)
  const name = layerName(caller, options.name)
  const withBias = options.withBias ?? true
  const dn = dimensionNumbers(ns, channelsLast, true)
  return makeLayer(caller, base, name, (x0) =>
    Effect.gen(function* () {
      const dtype = floatInput(caller, x0)
      const [x, unbatch] = batched(caller, x0, ns)
      const inChannels = x.shape[channelsLast ? x.ndim - 1 : 1]!
      const fanIn = kernel.reduce((a, b) => a * b, 1) * inChannels
      const w = yield* Param.get("w", [...kernel, outputChannels, inChannels], options.wInit ?? Init.truncatedNormal(1 / Math.sqrt(fanIn)), { dtype })
      let out = lax.convTranspose(x, w, stride, padding, { dimensionNumbers: dn })
      if (withBias) out = addBias(out, yield* Param.get("b", [outputChannels], options.bInit ?? Init.zeros, { dtype }), channelsLast, ns)
      return unbatch ? out.reshape(out.shape.slice(1)) : out
    })
  )
}

/**
 * A 1-D convolution (hk.Conv1D): input [batch, width, channels] (channels-last) or without the
 * batch axis; w [k, inChannels / groups, outputChannels].
 *
 * @example
 * const model = transform(Conv1D({ outputChannels: 8, kernelShape: 3, name: "c" }))
 * const params = model.init(random.key(0), np.ones([2, 10, 4]))  // { "c/w": [3, 4, 8], "c/b": [8] }
 */
export const Conv1D = <const N extends string = never, const B extends boolean = true>(options: ConvOptions<N, B>): Layer<ConvPaths<N, B>> =>
  makeConv(1, "Conv1D", "conv1_d", options)

/**
 * A 2-D convolution (hk.Conv2D): input [batch, height, width, channels] (channels-last) or
 * without the batch axis; w [kh, kw, inChannels / groups, outputChannels].
 *
 * @example
 * const x = random.normal(random.key(1), [8, 28, 28, 1])
 * const model = transform(Conv2D({ outputChannels: 32, kernelShape: 3, stride: 2, name: "c" }))
 * const y = model.apply(model.init(random.key(0), x), null, x)   // x [8, 28, 28, 1] -> y [8, 14, 14, 32]
 */
export const Conv2D = <const N extends string = never, const B extends boolean = true>(options: ConvOptions<N, B>): Layer<ConvPaths<N, B>> =>
  makeConv(2, "Conv2D", "conv2_d", options)

/**
 * A 3-D convolution (hk.Conv3D): input [batch, depth, height, width, channels] (channels-last)
 * or without the batch axis.
 *
 * @example
 * const model = transform(Conv3D({ outputChannels: 4, kernelShape: [2, 3, 3] }))
 * model.init(random.key(0), np.ones([1, 4, 8, 8, 2]))   // { "conv3_d/w": [2, 3, 3, 2, 4], "conv3_d/b": [4] }
 */
export const Conv3D = <const N extends string = never, const B extends boolean = true>(options: ConvOptions<N, B>): Layer<ConvPaths<N, B>> =>
  makeConv(3, "Conv3D", "conv3_d", options)

/**
 * A 1-D transposed convolution (hk.Conv1DTranspose): upsamples by `stride`; w [k, outputChannels, inChannels].
 *
 * @example
 * const x = random.normal(random.key(1), [1, 5, 4])
 * const model = transform(Conv1DTranspose({ outputChannels: 2, kernelShape: 3, stride: 2 }))
 * model.apply(model.init(random.key(0), x), null, x).shape   // x [1, 5, 4] -> [1, 10, 2]
 */
export const Conv1DTranspose = <const N extends string = never, const B extends boolean = true>(options: ConvTransposeOptions<N, B>): Layer<ConvPaths<N, B>> =>
  makeConvTranspose(1, "Conv1DTranspose", "conv1_d_transpose", options)

/**
 * A 2-D transposed convolution (hk.Conv2DTranspose): upsamples by `stride`; w [kh, kw, outputChannels, inChannels].
 *
 * @example
 * const x = random.normal(random.key(1), [1, 7, 7, 8])
 * const model = transform(Conv2DTranspose({ outputChannels: 3, kernelShape: 3, stride: 2 }))
 * model.apply(model.init(random.key(0), x), null, x).shape   // x [1, 7, 7, 8] -> [1, 14, 14, 3]
 */
export const Conv2DTranspose = <const N extends string = never, const B extends boolean = true>(options: ConvTransposeOptions<N, B>): Layer<ConvPaths<N, B>> =>
  makeConvTranspose(2, "Conv2DTranspose", "conv2_d_transpose", options)

/**
 * A 3-D transposed convolution (hk.Conv3DTranspose).
 *
 * @example
 * const x = random.normal(random.key(1), [1, 2, 2, 2, 3])
 * const model = transform(Conv3DTranspose({ outputChannels: 2, kernelShape: 2, stride: 2 }))
 * model.apply(model.init(random.key(0), x), null, x).shape   // x [1, 2, 2, 2, 3] -> [1, 4, 4, 4, 2]
 */
export const Conv3DTranspose = <const N extends string = never, const B extends boolean = true>(options: ConvTransposeOptions<N, B>): Layer<ConvPaths<N, B>> =>
  makeConvTranspose(3, "Conv3DTranspose", "conv3_d_transpose", options)
