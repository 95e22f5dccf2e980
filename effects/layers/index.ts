/**
 * Layers as Haiku and Flax users know them, written with `Param`, `ModelState` and the `Rng`:
 * call them inside a model and `transform` it. Each layer names its module as Haiku does
 * (`linear`, `linear_1`, ..., or its `name`), and with a literal `name` its type knows its
 * parameter paths.
 *
 * @example
 * import { Dropout, LayerNorm, Linear, Sequential, transform } from "jaxfx/effects"
 * const x = random.normal(random.key(1), [8, 32])
 * const net = Sequential([Linear({ outputSize: 64, name: "hidden" }), nn.gelu, Dropout({ rate: 0.1 }), LayerNorm({ name: "ln" })])
 * const model = transform((x: Array, isTraining: boolean) => net(x, { isTraining }))
 * const params = model.init(random.key(0), x, true)   // typed: "hidden/w" | "hidden/b" | "ln/scale" | "ln/offset"
 */
export { type AttentionCallOptions, MultiHeadAttention, type MultiHeadAttentionOptions, type MultiHeadAttentionPaths } from "./attention.js"
export { BatchNorm, batchNorm, type BatchNormLayerOptions, type BatchNormOptions } from "./batch-norm.js"
export { MLP, type MLPOptions, type MLPPaths, Sequential, type Step, type StepPaths } from "./compose.js"
export {
  Conv1D,
  Conv1DTranspose,
  Conv2D,
  Conv2DTranspose,
  Conv3D,
  Conv3DTranspose,
  type ConvOptions,
  type ConvPaths,
  type ConvTransposeOptions
} from "./conv.js"
export { Dropout, type DropoutOptions } from "./dropout.js"
export { Embed, type EmbedOptions } from "./embed.js"
export { type CallOptions, type Flagged, isLayer, type Layer, type LayerEffect, type Scoped } from "./layer.js"
export { Linear, type LinearOptions, type LinearPaths } from "./linear.js"
export { GroupNorm, type GroupNormOptions, LayerNorm, type LayerNormOptions, type NormPaths, RMSNorm, type RMSNormOptions } from "./norm.js"
export { AvgPool, MaxPool, type PoolOptions } from "./pool.js"
