/**
 * `Embed` (Haiku's hk.Embed, Flax's nn.Embed): a table `embeddings` [vocabSize, embedDim] whose
 * rows are looked up by integer ids, as JAX indexing does (negative ids count from the end, ids
 * out of range are clamped). `attend` is Flax's: `x @ embeddingsᵀ`, for an output layer that
 * shares the table with the input.
 */
import { Effect } from "effect"
import { type Array, DTypeError, type DType, np, ShapeError, stopGradient } from "../../index.js"
import { isFloat, isInt } from "../../core/dtype.js"
import { checkOptions, optionKeys } from "../../core/options.js"
import { Init, type Initializer, layerScope, Param } from "../transform.js"
import { type Layer, type LayerEffect, layerName, makeLayer, positiveInt, type Scoped, typed } from "./layer.js"

export interface EmbedOptions<N extends string = never> {
  /** The number of ids (rows of the table). */
  readonly vocabSize: number
  /** The size of each embedding vector. */
  readonly embedDim: number
  /** The initializer of the table (default a truncated normal of stddev 1, Haiku's). */
  readonly wInit?: Initializer | undefined
  /** The table's dtype (default float32). */
  readonly dtype?: DType | undefined
  /** The module name (default "embed", made unique). */
  readonly name?: N | undefined
}

const embedKeys = optionKeys<EmbedOptions>()("vocabSize", "embedDim", "wInit", "dtype", "name")

/** An Embed layer: called on integer ids [...], it gives their vectors [..., embedDim]. */
export interface Embed<P extends string> extends Layer<P> {
  /** `x @ embeddingsᵀ` over the last axis of x [..., embedDim]: scores [..., vocabSize] against every row. */
  readonly attend: (x: Array) => LayerEffect
}

/**
 * An embedding layer: `embed(ids)` is `embeddings[ids]`; `embed.attend(h)` is `h @ embeddingsᵀ`
 * with the same table.
 *
 * @example
 * const embed = Embed({ vocabSize: 100, embedDim: 16, name: "tokens" })
 * const model = transform((ids: Array) => Effect.flatMap(embed(ids), (h) => embed.attend(h)))
 * const params = model.init(random.key(0), np.array([[1, 2, 3]]))   // { "tokens/embeddings": [100, 16] }
 * model.apply(params, null, np.array([[1, 2, 3]]))                   // logits [1, 3, 100]
 */
export const Embed = <const N extends string = never>(options: EmbedOptions<N>): Embed<Scoped<N, "embeddings">> => {
  const caller = "Embed"
  checkOptions(caller, options, embedKeys)
  const vocabSize = positiveInt(caller, "vocabSize", options?.vocabSize)
  const embedDim = positiveInt(caller, "embedDim", options.embedDim)
  const dtype = options.dtype ?? "float32"
  if (!isFloat(dtype)) throw new DTypeError(`${caller}: dtype must be float32 or float64, got ${dtype}.`)
  const name = layerName(caller, options.name)
  const table = Param.get("embeddings", [vocabSize, embedDim], options.wInit ?? Init.truncatedNormal(1), { dtype })
  const lookup = makeLayer<Scoped<N, "embeddings">>(caller, "embed", name, (ids) =>
    Effect.gen(function* () {
      if (!isInt(ids.dtype)) throw new DTypeError(`${caller}: ids must be integers, got ${ids.dtype}; cast them with ids.astype("int32").`)
      const embeddings = yield* table
      const wrapped = ids.dtype === "uint32" ? ids : np.where(np.less(ids, 0), ids.add(vocabSize), ids)
      const rows = np.take(embeddings, wrapped, { axis: 0, mode: "clip" })
      // As JAX's gather: an id out of range reads the clamped row but sends it no gradient.
      const valid = np.expandDims(np.logicalAnd(np.greaterEqual(wrapped, 0), np.less(wrapped, vocabSize)), -1)
      return np.where(valid, rows, stopGradient(rows))
    })
  )
  // attend runs in the scope of the lookup layer object, so both read the same table.
  const attend = (x: Array): LayerEffect =>
    typed(
      layerScope(
        lookup,
        "embed",
        name
      )(
        Effect.gen(function* () {
          if (x.ndim === 0 || x.shape[x.ndim - 1] !== embedDim) {
            return yield* new ShapeError(`${caller}.attend: the input's last axis must be embedDim = ${embedDim}, got shape [${x.shape.join(", ")}].`)
          }
          return np.matmul(x, (yield* table).T)
        })
      )
    )
  return Object.assign(lookup, { attend })
}
