/**
 * `dotProductAttention`: JAX's `jax.nn.dot_product_attention` with its "xla" implementation,
 * written with einsum, masks and softmax: logits = scale * Q Kᵀ (+ bias), masked positions set to a
 * large negative number, softmax in float32, then the probabilities times V. Layouts are JAX's:
 * query [B, T, N, H], key and value [B, S, K, H] (leading axes may be omitted), with K dividing N
 * (grouped-query attention: each key/value head serves N / K query heads).
 */
import { Array } from "../array.js"
import { type DType, isFloat } from "../dtype.js"
import { DTypeError, ShapeError, ValueError } from "../errors.js"
import { constant } from "../primitives/common.js"
import { convertElementType, lt, mul, stopGradient } from "../primitives/elementwise.js"
import { iota, reshape, transpose } from "../primitives/shape-ops.js"
import { asArray, type ArrayLike } from "../numpy/coerce.js"
import { einsum } from "../numpy/einsum.js"
import { add, greaterEqual, lessEqual, logicalAnd, where } from "../numpy/math.js"
import { checkOptions, optionKeys } from "../options.js"
import { showShape } from "../shape.js"
import { logsumexp } from "../scipy/special/logsumexp.js"
import { softmax } from "./activations.js"

export interface DotProductAttentionOptions {
  /** Added to the logits; shape [B, N or 1, T, S] with any axis of size 1 broadcast (leading axes may be omitted). */
  readonly bias?: ArrayLike | undefined
  /** Boolean, true where attention is allowed; shape like `bias`. */
  readonly mask?: ArrayLike | undefined
  /** The logits' scale (default 1 / sqrt(H)). */
  readonly scale?: number | undefined
  /** Mask out keys after the query position: query t sees keys s <= t (default false). */
  readonly isCausal?: boolean | undefined
  /** int32 [B]: the valid length of each batch row's queries; outputs past it are zero. */
  readonly querySeqLengths?: ArrayLike | undefined
  /** int32 [B]: the valid length of each batch row's keys and values. */
  readonly keyValueSeqLengths?: ArrayLike | undefined
  /** Query t sees keys s with t - left <= s <= t + right; one number w means (w, w). */
  readonly localWindowSize?: number | readonly [number, number] | undefined
  /** "xla" (or undefined): the only implementation here, as JAX's on CPU. */
  readonly implementation?: "xla" | "cudnn" | undefined
  /** Also return the logsumexp of the masked logits, shape [B, T, N] (without gradient). */
  readonly returnResidual?: boolean | undefined
}

const attentionKeys = optionKeys<DotProductAttentionOptions>()(
  "bias",
  "mask",
  "scale",
  "isCausal",
  "querySeqLengths",
  "keyValueSeqLengths",
  "localWindowSize",
  "implementation",
  "returnResidual"
)

const CALLER = "nn.dotProductAttention"
const FLOAT32_MAX = 3.4028234663852886e38

/** Leading axes of size 1 up to rank 4 (JAX's _ensure_4d). */
const ensure4d = (name: string, t: Array): Array => {
  if (t.ndim > 4) throw new ShapeError(`${CALLER}: ${name} must have at most 4 axes ([B, T, N, H] layout), got shape ${showShape(t.shape)}.`)
  return t.ndim === 4 ? t : reshape(t, [...new globalThis.Array<number>(4 - t.ndim).fill(1), ...t.shape])
}

const checkLengths = (name: string, t: Array | undefined, batch: number): void => {
  if (t === undefined) return
  if (t.dtype !== "int32") throw new DTypeError(`${CALLER}: ${name} must be int32, got ${t.dtype}; cast it with astype("int32").`)
  if (t.ndim !== 1 || t.shape[0] !== batch)
    throw new ShapeError(`${CALLER}: ${name} must have shape [${batch}] (one length per batch row), got ${showShape(t.shape)}.`)
}

/** A [B, N|1, T, S] bias or mask as [B, K|1, G|1, T, S], matching the grouped logits. */
const grouped = (name: string, t: Array, heads: number, kvHeads: number): Array => {
  const [tb, tn, tt, ts] = t.shape as [number, number, number, number]
  if (tn === 1) return reshape(t, [tb, 1, 1, tt, ts])
  if (tn !== heads)
    throw new ShapeError(`${CALLER}: ${name} has ${tn} heads (axis 1 of ${showShape(t.shape)}); it must be 1 or the number of query heads, ${heads}.`)
  return reshape(t, [tb, kvHeads, heads / kvHeads, tt, ts])
}

const windowOf = (w: number | readonly [number, number]): readonly [number, number] => {
  const pair = typeof w === "number" ? ([w, w] as const) : w
  if (!globalThis.Array.isArray(pair) || pair.length !== 2 || !pair.every((v) => Number.isInteger(v))) {
    throw new ValueError(`${CALLER}: localWindowSize must be an integer or a pair [left, right] of integers, got ${JSON.stringify(w)}.`)
  }
  return pair
}

/**
 * Scaled dot-product attention, `softmax(scale * Q Kᵀ + bias, masked) V`, as JAX's
 * `jax.nn.dot_product_attention` (implementation "xla"). Query [B, T, N, H], key and value
 * [B, S, K, H] with N a multiple of K (grouped-query attention); the result has the query's shape.
 * Masks (`mask`, `isCausal`, `localWindowSize`, the sequence lengths) combine; masked logits get
 * -0.7 × the largest float, so a fully masked row attends uniformly, as in JAX.
 *
 * @example
 * const q = random.normal(random.key(0), [2, 5, 4, 8])   // [batch, time, heads, head size]
 * const kv = random.normal(random.key(1), [2, 5, 4, 8])
 * nn.dotProductAttention(q, kv, kv, { isCausal: true }).shape // [2, 5, 4, 8]
 */
export function dotProductAttention(
  query: ArrayLike,
  key: ArrayLike,
  value: ArrayLike,
  options: DotProductAttentionOptions & { readonly returnResidual: true }
): [Array, Array]
export function dotProductAttention(
  query: ArrayLike,
  key: ArrayLike,
  value: ArrayLike,
  options?: DotProductAttentionOptions & { readonly returnResidual?: false | undefined }
): Array
export function dotProductAttention(query: ArrayLike, key: ArrayLike, value: ArrayLike, options?: DotProductAttentionOptions): Array | [Array, Array]
export function dotProductAttention(query: ArrayLike, key: ArrayLike, value: ArrayLike, options?: DotProductAttentionOptions): Array | [Array, Array] {
  checkOptions(CALLER, options, attentionKeys)
  const implementation = options?.implementation
  if (implementation === "cudnn")
    throw new ValueError(`${CALLER}: implementation "cudnn" needs an NVIDIA GPU, which jaxfx does not drive; use "xla" or leave it out.`)
  if (implementation !== undefined && implementation !== "xla")
    throw new ValueError(`${CALLER}: unsupported implementation "${String(implementation)}"; use "xla" or leave it out.`)
  const q0 = asArray(query)
  const outShape = q0.shape
  const q = ensure4d("query", q0)
  const k = ensure4d("key", asArray(key))
  const v = ensure4d("value", asArray(value))
  const [B, S, K, H] = k.shape as [number, number, number, number]
  if (!isFloat(k.dtype)) throw new DTypeError(`${CALLER}: query, key and value must be float arrays, got ${k.dtype}.`)
  if (v.dtype !== k.dtype || q.dtype !== k.dtype) {
    throw new DTypeError(`${CALLER}: query, key and value must share a dtype; got ${q.dtype}, ${k.dtype} and ${v.dtype}.`)
  }
  if (v.shape.join() !== k.shape.join())
    throw new ShapeError(`${CALLER}: value shape should be ${showShape(k.shape)} (the key's): but got ${showShape(v.shape)}.`)
  if (q.shape[0] !== B || q.shape[3] !== H) {
    throw new ShapeError(
      `${CALLER}: query shape should be [${B}, T, N, ${H}] (batch and head size as the key's ${showShape(k.shape)}): but got ${showShape(q.shape)}.`
    )
  }
  const T = q.shape[1]!
  const N = q.shape[2]!
  if (N % K !== 0) throw new ShapeError(`${CALLER}: the number of query heads must be a multiple of key/value heads, but got ${N} vs ${K}.`)
  const G = N / K
  const mask = options?.mask === undefined ? undefined : ensure4d("mask", asArray(options.mask))
  if (mask !== undefined && mask.dtype !== "bool")
    throw new DTypeError(`${CALLER}: mask dtype should be bool, but got ${mask.dtype}; compare to get a mask (e.g. x.gt(0)).`)
  const bias = options?.bias === undefined ? undefined : ensure4d("bias", asArray(options.bias))
  const qLen = options?.querySeqLengths === undefined ? undefined : asArray(options.querySeqLengths)
  const kvLen = options?.keyValueSeqLengths === undefined ? undefined : asArray(options.keyValueSeqLengths)
  checkLengths("querySeqLengths", qLen, B)
  checkLengths("keyValueSeqLengths", kvLen, B)
  const window = options?.localWindowSize === undefined ? undefined : windowOf(options.localWindowSize)
  const scale = options?.scale ?? 1 / Math.sqrt(H)
  if (typeof scale !== "number") throw new ValueError(`${CALLER}: scale must be a number, got ${String(scale)}.`)

  // Logits [B, K, G, T, S] in at least float32; query head n = k * G + g.
  const logitsDtype: DType = q.dtype === "float64" ? "float64" : "float32"
  const q5 = reshape(q, [B, T, K, G, H])
  let logits = einsum("btkgh,bskh->bkgts", q5, k)
  if (logits.dtype !== logitsDtype) logits = convertElementType(logits, logitsDtype)
  logits = mul(logits, constant(scale, logitsDtype))
  if (bias !== undefined) logits = convertElementType(add(logits, grouped("bias", bias, N, K)), logitsDtype)

  let allowed: Array | undefined
  const and = (m: Array): void => {
    allowed = allowed === undefined ? m : logicalAnd(allowed, m)
  }
  if (mask !== undefined) and(grouped("mask", mask, N, K))
  const queryPos = reshape(iota("int32", [T]), [T, 1])
  const keyPos = reshape(iota("int32", [S]), [1, S])
  if (options?.isCausal === true) and(greaterEqual(queryPos, keyPos))
  if (window !== undefined) {
    const [left, right] = window
    and(logicalAnd(lessEqual(queryPos, add(keyPos, left)), greaterEqual(queryPos, add(keyPos, -right))))
  }
  if (qLen !== undefined) and(lt(reshape(iota("int32", [T]), [1, 1, 1, T, 1]), reshape(qLen, [B, 1, 1, 1, 1])))
  if (kvLen !== undefined) and(lt(reshape(iota("int32", [S]), [1, 1, 1, 1, S]), reshape(kvLen, [B, 1, 1, 1, 1])))
  if (allowed !== undefined) {
    const largeNegative = constant(-0.7 * FLOAT32_MAX, logitsDtype)
    logits = where(allowed, logits, largeNegative)
  }

  // JAX takes the softmax in float32 whatever the input dtype.
  const padded = convertElementType(logits, "float32")
  const probs = convertElementType(softmax(padded, { axis: -1 }), k.dtype)
  let encoded = reshape(einsum("bkgts,bskh->btkgh", probs, v), [B, T, N, H])
  if (qLen !== undefined) {
    const rows = lt(reshape(iota("int32", [T]), [1, T, 1, 1]), reshape(qLen, [B, 1, 1, 1]))
    encoded = mul(encoded, convertElementType(rows, encoded.dtype))
  }
  const out = reshape(encoded, outShape)
  if (options?.returnResidual !== true) return out
  const lse = convertElementType(logsumexp(padded, { axis: -1 }), k.dtype) // [B, K, G, T]
  const residual = stopGradient(reshape(transpose(lse, [0, 3, 1, 2]), [B, T, N]))
  return [out, reshape(residual, outShape.slice(0, -1))]
}
