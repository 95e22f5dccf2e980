/**
 * The connectionist temporal classification loss (optax's `ctc_loss` and
 * `ctc_loss_with_forward_probs`, Graves et al. 2006): the negative log-likelihood of a label
 * sequence under per-frame class distributions, summed over every alignment by the forward
 * algorithm, run as one `lax.scan` over time.
 */
import { type Array, lax, nn, np, ShapeError } from "../../../index.js"
import { checkOptions, optionKeys } from "../../../core/options.js"
import type { ArrayLike } from "../../../core/numpy/coerce.js"
import { arrayArg, floatArg, intArg, logaddexp, logSoftmax } from "./common.js"

export interface CtcOptions {
  /** The class id of the blank. Default 0. */
  readonly blankId?: number
  /** The log-probability standing for impossible transitions. Default -1e5. */
  readonly logEpsilon?: number
}
const CTC_KEYS = optionKeys<CtcOptions>()("blankId", "logEpsilon")

/**
 * The CTC loss per sequence with the forward variables (optax's `ctc_loss_with_forward_probs`):
 * `logits` `[B, T, K]`, `logitPaddings` `[B, T]` (1 for padding frames), `labels` `[B, N]`
 * (integers), `labelPaddings` `[B, N]` (1 for padding). Returns `[loss [B], logAlphaBlank
 * [T, B, N+1], logAlphaEmit [T, B, N]]`.
 *
 * @example
 * const [logits, logitPaddings] = [random.normal(random.key(0), [2, 10, 5]), np.zeros([2, 10])]
 * const [labels, labelPaddings] = [np.ones([2, 4], { dtype: "int32" }), np.zeros([2, 4])]
 * const [loss, logAlphaBlank, logAlphaEmit] = optim.losses.ctcLossWithForwardProbs(logits, logitPaddings, labels, labelPaddings)
 */
export const ctcLossWithForwardProbs = (
  logits: ArrayLike,
  logitPaddings: ArrayLike,
  labels: ArrayLike,
  labelPaddings: ArrayLike,
  options?: CtcOptions
): [Array, Array, Array] => {
  checkOptions("optim.losses.ctcLossWithForwardProbs", options, CTC_KEYS)
  const x = floatArg("ctcLoss", "logits", logits)
  const xPad = arrayArg(logitPaddings)
  const y = intArg("ctcLoss", "labels", labels)
  const yPad = arrayArg(labelPaddings)
  if (x.ndim !== 3 || y.ndim !== 2) {
    throw new ShapeError(`optim.losses.ctcLoss: logits must be [B, T, K] and labels [B, N]; got ranks ${x.ndim} and ${y.ndim}.`)
  }
  const [B, T, K] = x.shape as [number, number, number]
  const N = y.shape[1]!
  if (y.shape[0] !== B || yPad.shape.join() !== y.shape.join() || xPad.shape.join() !== [B, T].join()) {
    throw new ShapeError(
      `optim.losses.ctcLoss: expected labels and labelPaddings [${B}, N] and logitPaddings [${B}, ${T}]; got ` +
        `[${y.shape.join(", ")}], [${yPad.shape.join(", ")}] and [${xPad.shape.join(", ")}].`
    )
  }
  const blank = options?.blankId ?? 0
  const logEps = options?.logEpsilon ?? -1e5
  const logprobs = logSoftmax(x, -1)
  const labelLens = np.subtract(N, np.sum(yPad, { axis: 1 }).astype("int32"))
  const repeat = np.pad(
    y
      .index(np.s(), np.s(0, N - 1))
      .eq(y.index(np.s(), np.s(1, N)))
      .astype("float32"),
    [
      [0, 0],
      [0, 1]
    ]
  )
  const logprobsPhi = np.transpose(logprobs.index(np.s(), np.s(), np.s(blank, blank + 1)), [1, 0, 2])
  const logprobsEmit = np.transpose(np.einsum("btk,bnk->btn", logprobs, nn.oneHot(y, K, { dtype: x.dtype })), [1, 0, 2])
  const phiInit = np
    .multiply(np.ones([B, N + 1], { dtype: x.dtype }), logEps)
    .at(np.s(), 0)
    .set(0)
  const emitInit = np.multiply(np.ones([B, N], { dtype: x.dtype }), logEps)
  const updatePhi = (phi: Array, added: Array): Array =>
    np.concatenate([phi.index(np.s(), np.s(0, 1)), logaddexp(phi.index(np.s(), np.s(1, N + 1)), added)], -1)
  const notRepeat = np.subtract(1, repeat)
  const [, [logAlphaPhi, logAlphaEmit]] = lax.scan(
    (prev: readonly [Array, Array], xs: readonly [Array, Array, Array]) => {
      const [prevPhiOrig, prevEmit] = prev
      const [emit, phiProb, pad0] = xs
      const prevPhi = updatePhi(prevPhiOrig, prevEmit.add(np.multiply(logEps, repeat)))
      let nextEmit = logaddexp(prevPhi.index(np.s(), np.s(0, N)).add(emit), prevEmit.add(emit))
      let nextPhi = updatePhi(prevPhi.add(phiProb), prevEmit.add(phiProb).add(np.multiply(logEps, notRepeat)))
      const pad = pad0.reshape([B, 1])
      const keep = np.subtract(1, pad)
      nextEmit = pad.mul(prevEmit).add(keep.mul(nextEmit))
      nextPhi = pad.mul(prevPhiOrig).add(keep.mul(nextPhi))
      return [
        [nextPhi, nextEmit],
        [nextPhi, nextEmit]
      ] as const
    },
    [phiInit, emitInit] as const,
    [logprobsEmit, logprobsPhi, np.transpose(xPad)] as const
  )
  const phiLast = updatePhi(logAlphaPhi.index(T - 1), logAlphaEmit.index(T - 1))
  const phiAll = logAlphaPhi.at(T - 1).set(phiLast)
  const perSeqLoss = np.einsum("bn,bn->b", phiLast, nn.oneHot(labelLens, N + 1, { dtype: x.dtype })).neg()
  return [perSeqLoss, phiAll, logAlphaEmit]
}

/**
 * The CTC loss per sequence (optax's `ctc_loss`); see `ctcLossWithForwardProbs` for the shapes.
 *
 * @example
 * const [logits, logitPaddings] = [random.normal(random.key(0), [2, 10, 5]), np.zeros([2, 10])]
 * const [labels, labelPaddings] = [np.ones([2, 4], { dtype: "int32" }), np.zeros([2, 4])]
 * const loss = optim.losses.ctcLoss(logits, logitPaddings, labels, labelPaddings)   // [B]
 */
export const ctcLoss = (logits: ArrayLike, logitPaddings: ArrayLike, labels: ArrayLike, labelPaddings: ArrayLike, options?: CtcOptions): Array => {
  checkOptions("optim.losses.ctcLoss", options, CTC_KEYS)
  return ctcLossWithForwardProbs(logits, logitPaddings, labels, labelPaddings, options)[0]
}
