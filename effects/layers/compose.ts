/**
 * Composition: `Sequential` (Haiku's hk.Sequential, Flax's nn.Sequential) chains layers and plain
 * array functions; `MLP` (Haiku's hk.nets.MLP) is a stack of Linear layers `linear_0`, `linear_1`,
 * ... with an activation between them (and dropout, in training, before each activation).
 */
import { Effect } from "effect"
import { type Array, type JaxfxError, nn, ValueError } from "../../index.js"
import { checkOptions, optionKeys } from "../../core/options.js"
import type { Rng } from "../rng.js"
import type { HasParamPaths, Initializer, Model } from "../transform.js"
import { Dropout } from "./dropout.js"
import {
  type CallOptions,
  finiteNumber,
  type Flagged,
  isLayer,
  type Layer,
  type LayerEffect,
  layerName,
  makeLayer,
  positiveInt,
  type Scoped,
  unscopedLayer
} from "./layer.js"
import { Linear } from "./linear.js"

/** A step of a Sequential: a layer (given the call options), or a function of the array alone. */
export type Step = Layer<string> | ((x: Array) => Array | Effect.Effect<Array, JaxfxError, Model | Rng>)

/** The parameter paths a step declares: none for a function returning an array, its own for a layer, any for other effects. */
export type StepPaths<S> = S extends (x: Array) => Array ? never : S extends HasParamPaths<infer P> ? (unknown extends P ? string : P) : string

/**
 * Apply `steps` in order. Layers receive the call's options (`{ isTraining }`); other functions
 * get the array alone, and may return an array (an activation such as `nn.relu`) or an Effect
 * (a model fragment). Sequential adds no module scope: its layers are named where it is called.
 *
 * @example
 * const x = random.normal(random.key(1), [8, 32])
 * const net = Sequential([Linear({ outputSize: 64 }), nn.relu, Dropout({ rate: 0.1 }), Linear({ outputSize: 10 })])
 * const model = transform((x: Array, isTraining: boolean) => net(x, { isTraining }))
 * const params = model.init(random.key(0), x, true)   // linear/w, linear/b, linear_1/w, linear_1/b
 */
export const Sequential = <const S extends ReadonlyArray<Step>>(steps: S): Layer<StepPaths<S[number]>> => {
  if (!globalThis.Array.isArray(steps) || !steps.every((s) => typeof s === "function")) {
    throw new ValueError("Sequential: give an array of layers and functions of an array.")
  }
  const run = (x: Array, options: CallOptions): LayerEffect =>
    Effect.gen(function* () {
      let out = x
      for (const step of steps) {
        const r = isLayer(step) ? step(out, options) : (step as (x: Array) => Array | Effect.Effect<Array, JaxfxError, Model | Rng>)(out)
        out = Effect.isEffect(r) ? yield* r : r
      }
      return out
    })
  return unscopedLayer("Sequential", run)
}

export interface MLPOptions<N extends string = never, B extends boolean = true> {
  /** The output size of each Linear layer. */
  readonly outputSizes: ReadonlyArray<number>
  /** The weights' initializer (default Linear's). */
  readonly wInit?: Initializer | undefined
  /** The biases' initializer (default zeros). */
  readonly bInit?: Initializer | undefined
  /** Whether the Linear layers have biases (default true). */
  readonly withBias?: B | undefined
  /** The activation between layers (default nn.relu). */
  readonly activation?: ((x: Array) => Array) | undefined
  /** Also apply the activation (and dropout) after the last layer (default false). */
  readonly activateFinal?: boolean | undefined
  /** In training, dropout with this rate before each activation (default none). */
  readonly dropoutRate?: number | undefined
  /** The module name (default "mlp", made unique). */
  readonly name?: N | undefined
}

const mlpKeys = optionKeys<MLPOptions>()("outputSizes", "wInit", "bInit", "withBias", "activation", "activateFinal", "dropoutRate", "name")

/** The parameter paths of an MLP named `N`: `N/linear_<i>/w` (and `/b`). */
export type MLPPaths<N extends string, B extends boolean> = Scoped<N, `linear_${number}/w` | `linear_${number}/${Flagged<B, "b">}`>

/**
 * A multi-layer perceptron: Linear layers of `outputSizes` with `activation` between them (Haiku's
 * hk.nets.MLP). With `dropoutRate`, calls need `{ isTraining }`; dropout draws from the Rng.
 *
 * @example
 * const mlp = MLP({ outputSizes: [128, 128, 10], name: "mlp" })
 * const model = transform((x: Array) => mlp(x))
 * const params = model.init(random.key(0), np.ones([8, 784]))   // "mlp/linear_0/w": [784, 128], ...
 */
export const MLP = <const N extends string = never, const B extends boolean = true>(options: MLPOptions<N, B>): Layer<MLPPaths<N, B>> => {
  const caller = "MLP"
  checkOptions(caller, options, mlpKeys)
  const sizes = options?.outputSizes
  if (!globalThis.Array.isArray(sizes) || sizes.length === 0) throw new ValueError(`${caller}: outputSizes must be a non-empty array of positive integers.`)
  sizes.forEach((s, i) => positiveInt(caller, `outputSizes[${i}]`, s))
  const activation = options.activation ?? nn.relu
  if (typeof activation !== "function") throw new ValueError(`${caller}: activation must be a function of an array.`)
  const dropout = options.dropoutRate === undefined ? undefined : Dropout({ rate: finiteNumber(caller, "dropoutRate", options.dropoutRate) })
  const linears = sizes.map((outputSize, i) =>
    Linear({ outputSize, name: `linear_${i}`, withBias: options.withBias ?? true, wInit: options.wInit, bInit: options.bInit })
  )
  return makeLayer(caller, "mlp", layerName(caller, options.name), (x, call) =>
    Effect.gen(function* () {
      let out = x
      for (const [i, linear] of linears.entries()) {
        out = yield* linear(out)
        if (i < linears.length - 1 || options.activateFinal === true) {
          if (dropout !== undefined) out = yield* dropout(out, call)
          out = activation(out)
        }
      }
      return out
    })
  )
}
