/**
 * `Linear` (Haiku's hk.Linear, Flax's Dense): `x @ w + b` over the last axis of x, with w
 * [inputSize, outputSize] initialized as Haiku does (a normal truncated at ±2 standard deviations
 * with stddev 1 / sqrt(inputSize)) and b zeros. Parameters take the input's dtype.
 */
import { Effect } from "effect"
import { ShapeError, np } from "../../index.js"
import { checkOptions, optionKeys } from "../../core/options.js"
import { Init, type Initializer, Param } from "../transform.js"
import { type Flagged, floatInput, type Layer, layerName, makeLayer, positiveInt, type Scoped } from "./layer.js"

export interface LinearOptions<N extends string = never, B extends boolean = true> {
  /** The size of the last axis of the output. */
  readonly outputSize: number
  /** Whether to add a bias `b` (default true). */
  readonly withBias?: B | undefined
  /** The initializer of w (default: truncated normal with stddev 1 / sqrt(inputSize)). */
  readonly wInit?: Initializer | undefined
  /** The initializer of b (default zeros). */
  readonly bInit?: Initializer | undefined
  /** The module name (default "linear", made unique: "linear_1", ...). */
  readonly name?: N | undefined
}

const linearKeys = optionKeys<LinearOptions>()("outputSize", "withBias", "wInit", "bInit", "name")

/** The parameter paths of a Linear named `N`: `N/w` and, with a bias, `N/b`. */
export type LinearPaths<N extends string, B extends boolean> = Scoped<N, "w" | Flagged<B, "b">>

/**
 * A linear layer: `x @ w + b` over the last axis of `x` (any number of leading axes), with
 * parameters `w` [inputSize, outputSize] and `b` [outputSize].
 *
 * @example
 * const model = transform(Linear({ outputSize: 3, name: "dense" }))
 * const params = model.init(random.key(0), np.ones([2, 4]))   // { "dense/b": [3], "dense/w": [4, 3] }
 * const y = model.apply(params, null, np.ones([2, 4]))         // [2, 3]
 */
export const Linear = <const N extends string = never, const B extends boolean = true>(options: LinearOptions<N, B>): Layer<LinearPaths<N, B>> => {
  const caller = "Linear"
  checkOptions(caller, options, linearKeys)
  const outputSize = positiveInt(caller, "outputSize", options?.outputSize)
  const name = layerName(caller, options.name)
  const withBias = options.withBias ?? true
  return makeLayer(caller, "linear", name, (x) =>
    Effect.gen(function* () {
      const dtype = floatInput(caller, x)
      if (x.ndim === 0) return yield* new ShapeError(`${caller}: the input must not be a scalar; give it at least one axis (the features).`)
      const inputSize = x.shape[x.ndim - 1]!
      const w = yield* Param.get("w", [inputSize, outputSize], options.wInit ?? Init.truncatedNormal(1 / Math.sqrt(inputSize)), { dtype })
      const out = np.matmul(x, w)
      if (!withBias) return out
      const b = yield* Param.get("b", [outputSize], options.bInit ?? Init.zeros, { dtype })
      return out.add(b)
    })
  )
}
