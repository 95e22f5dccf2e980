/**
 * `MultiHeadAttention` (Haiku's hk.MultiHeadAttention): queries, keys and values are linear
 * projections of the inputs (sub-modules `query`, `key`, `value`, split into `numHeads` heads),
 * attended with `nn.dotProductAttention` (softmax(Q Kᵀ / sqrt(keySize)) V, with an optional mask
 * or causal mask), then the heads are concatenated and projected by the sub-module `linear` to
 * `modelSize`. Inputs are [..., T, D] with any leading axes.
 */
import { Effect } from "effect"
import { Array, lax, nn, np, ShapeError, ValueError } from "../../index.js"
import { checkOptions, optionKeys } from "../../core/options.js"
import { type HasParamPaths, Init, type Initializer, layerScope } from "../transform.js"
import { type Flagged, floatInput, layerName, type LayerEffect, positiveInt, type Scoped, typed } from "./layer.js"
import { Linear } from "./linear.js"

export interface MultiHeadAttentionOptions<N extends string = never, B extends boolean = true> {
  /** The number of heads. */
  readonly numHeads: number
  /** The size of each head's queries and keys. */
  readonly keySize: number
  /** The size of each head's values (default keySize). */
  readonly valueSize?: number | undefined
  /** The size of the output's last axis (default keySize * numHeads). */
  readonly modelSize?: number | undefined
  /** The initializer of the projections' weights (default lecunNormal: Haiku's VarianceScaling(1)). */
  readonly wInit?: Initializer | undefined
  /** Whether the projections have biases (default true). */
  readonly withBias?: B | undefined
  /** The initializer of the biases (default zeros). */
  readonly bInit?: Initializer | undefined
  /** The module name (default "multi_head_attention", made unique). */
  readonly name?: N | undefined
}

const mhaKeys = optionKeys<MultiHeadAttentionOptions>()("numHeads", "keySize", "valueSize", "modelSize", "wInit", "withBias", "bInit", "name")

export interface AttentionCallOptions {
  /** Boolean [..., numHeads or 1, T', T] (as many axes as the logits), true where a query may attend. */
  readonly mask?: Array | undefined
  /** Query t attends to keys s <= t only (default false). */
  readonly isCausal?: boolean | undefined
}

const callKeys = optionKeys<AttentionCallOptions>()("mask", "isCausal")

type Projections = "query" | "key" | "value" | "linear"

/** The parameter paths of a MultiHeadAttention named `N`. */
export type MultiHeadAttentionPaths<N extends string, B extends boolean> = Scoped<N, `${Projections}/w` | `${Projections}/${Flagged<B, "b">}`>

/** A MultiHeadAttention layer: called on query [..., T', Dq], key [..., T, Dk] and value [..., T, Dv]. */
export interface MultiHeadAttention<P extends string> extends HasParamPaths<P> {
  (query: Array, key: Array, value: Array, options?: AttentionCallOptions): LayerEffect
}

/**
 * Multi-head attention with learned projections. Call it as `mha(query, key, value, { mask,
 * isCausal })`; self-attention is `mha(x, x, x)`. The output is [..., T', modelSize].
 *
 * @example
 * const x = random.normal(random.key(1), [2, 5, 16])  // [B, T, D]
 * const mha = MultiHeadAttention({ numHeads: 4, keySize: 8, name: "attn" })
 * const model = transform((x: Array) => mha(x, x, x, { isCausal: true }))
 * const params = model.init(random.key(0), x)   // "attn/query/w": [D, 32], ..., "attn/linear/w": [32, 32]
 * const y = model.apply(params, null, x)        // [B, T, 32]
 */
export const MultiHeadAttention = <const N extends string = never, const B extends boolean = true>(
  options: MultiHeadAttentionOptions<N, B>
): MultiHeadAttention<MultiHeadAttentionPaths<N, B>> => {
  const caller = "MultiHeadAttention"
  checkOptions(caller, options, mhaKeys)
  const numHeads = positiveInt(caller, "numHeads", options?.numHeads)
  const keySize = positiveInt(caller, "keySize", options.keySize)
  const valueSize = positiveInt(caller, "valueSize", options.valueSize ?? keySize)
  const modelSize = positiveInt(caller, "modelSize", options.modelSize ?? keySize * numHeads)
  const name = layerName(caller, options.name)
  const linear = (outputSize: number, linearName: string) =>
    Linear({ outputSize, name: linearName, wInit: options.wInit ?? Init.lecunNormal(), withBias: options.withBias ?? true, bInit: options.bInit })
  const [toQuery, toKey, toValue, toOutput] = [
    linear(numHeads * keySize, "query"),
    linear(numHeads * keySize, "key"),
    linear(numHeads * valueSize, "value"),
    linear(modelSize, "linear")
  ]

  const heads = (x: Array, size: number): Array => np.reshape(x, [...x.shape.slice(0, -1), numHeads, size])
  const mha = (query: Array, key: Array, value: Array, call?: AttentionCallOptions): LayerEffect =>
    typed(
      Effect.suspend(() => {
        checkOptions(`${caller} call`, call, callKeys)
        for (const [what, t] of [
          ["query", query],
          ["key", key],
          ["value", value]
        ] as const) {
          if (!(t instanceof Array)) {
            throw new ValueError(`${caller}: ${what} must be an Array (call mha(query, key, value, options); self-attention is mha(x, x, x)), got ${typeof t}.`)
          }
          floatInput(`${caller} ${what}`, t)
          if (t.ndim < 2) throw new ShapeError(`${caller}: ${what} must be [..., T, D] (at least 2 axes), got shape [${t.shape.join(", ")}].`)
        }
        const lead = query.shape.slice(0, -2)
        const sameLead = (t: Array) => t.ndim === query.ndim && t.shape.slice(0, -2).every((d, i) => d === lead[i])
        if (!sameLead(key) || !sameLead(value) || key.shape[key.ndim - 2] !== value.shape[value.ndim - 2]) {
          throw new ShapeError(
            `${caller}: query [..., T', D], key and value [..., T, D] must share their leading axes and key and value their length T; ` +
              `got [${query.shape.join(", ")}], [${key.shape.join(", ")}], [${value.shape.join(", ")}].`
          )
        }
        return layerScope(
          mha,
          "multi_head_attention",
          name
        )(
          Effect.gen(function* () {
            const tq = query.shape[query.ndim - 2]!
            const tk = key.shape[key.ndim - 2]!
            const batch = lead.reduce((p, d) => p * d, 1)
            const q = np.reshape(heads(yield* toQuery(query), keySize), [batch, tq, numHeads, keySize])
            const k = np.reshape(heads(yield* toKey(key), keySize), [batch, tk, numHeads, keySize])
            const v = np.reshape(heads(yield* toValue(value), valueSize), [batch, tk, numHeads, valueSize])
            let mask: Array | undefined
            if (call?.mask !== undefined) {
              const m = call.mask
              if (m.ndim !== query.ndim + 1) {
                throw new ShapeError(
                  `${caller}: the mask must have ${query.ndim + 1} axes [..., heads or 1, T', T] like the logits, got shape [${m.shape.join(", ")}].`
                )
              }
              const h = m.shape[m.ndim - 3]!
              mask = np.reshape(np.broadcastTo(m, [...lead, h, tq, tk]), [batch, h, tq, tk])
            }
            // nn.dotProductAttention takes one head size for keys and values: pad the smaller with
            // zeros (which add nothing to Q Kᵀ, and give output columns that are sliced off).
            const h = Math.max(keySize, valueSize)
            const padHead = (t: Array, size: number) =>
              size === h
                ? t
                : np.pad(t, [
                    [0, 0],
                    [0, 0],
                    [0, 0],
                    [0, h - size]
                  ])
            const attended = nn.dotProductAttention(padHead(q, keySize), padHead(k, keySize), padHead(v, valueSize), {
              mask,
              isCausal: call?.isCausal ?? false,
              scale: 1 / Math.sqrt(keySize)
            })
            const out = valueSize === h ? attended : lax.slice(attended, [0, 0, 0, 0], [batch, tq, numHeads, valueSize])
            return yield* toOutput(np.reshape(out, [...lead, tq, numHeads * valueSize]))
          })
        )
      })
    )
  return mha
}
