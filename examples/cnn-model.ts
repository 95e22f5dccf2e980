/**
 * The data, model and training step of examples/cnn.ts: a LeNet-style CNN (two 5x5 convolutions
 * with max pooling, then three linear layers) classifying synthetic 28x28 "digits" drawn with
 * `random` inside the jit-compiled step (no downloads).
 *
 * A digit is a seven-segment figure (the segments of a pocket calculator's display) rendered with
 * soft strokes, then randomly moved (up to ±3 pixels), scaled (0.8-1.1), slanted (shear ±0.3),
 * thickened (stroke width 1.5-3), dimmed (ink 0.6-1) and covered with Gaussian noise (stddev 0.3):
 * classes overlap on many segments (8 contains every other digit), so the task needs the spatial
 * features a convolution learns.
 */
import { Effect } from "effect"
import { type Array, jit, nn, np, random, valueAndGrad } from "../index.js"
import { Conv2D, Linear, MaxPool, optim, type Params, Sequential, transform } from "../effects/index.js"

export interface DigitsConfig {
  /** The first convolution's output channels (LeNet-5: 6). */
  readonly c1: number
  /** The second convolution's output channels (LeNet-5: 16). */
  readonly c2: number
  /** The hidden linear layers' sizes (LeNet-5: 120 and 84). */
  readonly hidden: readonly [number, number]
  readonly batch: number
  readonly lr: number
}

export const SIZE = 28
// The seven segments a..g as axis-aligned strokes (x0, x1, y0, y1) in the digit's frame: x in [-5, 5], y in [-9, 9] (down).
const SEGMENTS: ReadonlyArray<readonly [number, number, number, number]> = [
  [-5, 5, -9, -9], // a: top
  [5, 5, -9, 0], // b: upper right
  [5, 5, 0, 9], // c: lower right
  [-5, 5, 9, 9], // d: bottom
  [-5, -5, 0, 9], // e: lower left
  [-5, -5, -9, 0], // f: upper left
  [-5, 5, 0, 0] // g: middle
]
// Which segments each digit lights.
const LIT = ["abcdef", "bc", "abdeg", "abcdg", "bcfg", "acdfg", "acdefg", "abc", "abcdefg", "abcdfg"]

/**
 * A batch of images [batch, 28, 28, 1] (ink about 1 on 0, plus noise) and their labels [batch].
 *
 * @example
 * const [images, labels] = digits(random.key(0), 64)   // [64, 28, 28, 1] float32, [64] int32
 */
export const digits = (key: random.PRNGKeyArray, batch: number): readonly [Array, Array] => {
  const [kl, ks, kz, kh, kt, ki, kn] = random.split(key, 7)
  const labels = random.randint(kl!, [batch], 0, 10)
  const per = (k: random.PRNGKeyArray, lo: number, hi: number, n = 1): Array => random.uniform(k, [batch, n, 1, 1], { minval: lo, maxval: hi })
  const shift = per(ks!, SIZE / 2 - 3, SIZE / 2 + 3, 2) // centre (cx, cy)
  const cx = shift.index(":", np.s(0, 1))
  const cy = shift.index(":", np.s(1, 2))
  const scale = per(kz!, 0.8, 1.1)
  const shear = per(kh!, -0.3, 0.3)
  const halfWidth = per(kt!, 0.75, 1.5)
  const ink = per(ki!, 0.6, 1)
  // Pixel centres in the digit's frame: [batch, 1, 28, 28].
  const v = np.arange(SIZE, { dtype: "float32" }).reshape([1, 1, SIZE, 1]).add(0.5)
  const u = np.arange(SIZE, { dtype: "float32" }).reshape([1, 1, 1, SIZE]).add(0.5)
  const y = v.sub(cy).div(scale)
  const x = u
    .sub(cx)
    .add(shear.mul(v.sub(cy)))
    .div(scale)
  // The distance to each segment [batch, 7, 28, 28], and a soft stroke of the sampled width.
  const col = (i: number): Array => np.array(SEGMENTS.map((s) => s[i]!)).reshape([1, 7, 1, 1])
  const dx = x.sub(np.clip(x, col(0), col(1)))
  const dy = y.sub(np.clip(y, col(2), col(3)))
  const dist = np.sqrt(dx.mul(dx).add(dy.mul(dy)))
  const stroke = nn.sigmoid(halfWidth.sub(dist).mul(3))
  const table = np.array(
    LIT.map((d) => [..."abcdefg"].map((s) => (d.includes(s) ? 1 : 0))),
    { dtype: "float32" }
  )
  const lit = np.take(table, labels, { axis: 0 }).reshape([batch, 7, 1, 1])
  const clean = np.max(stroke.mul(lit), { axis: 1 }).mul(ink.reshape([batch, 1, 1]))
  const noisy = clean.add(random.normal(kn!, [batch, SIZE, SIZE]).mul(0.3))
  return [noisy.reshape([batch, SIZE, SIZE, 1]), labels]
}

/**
 * The LeNet-style classifier, its loss, and a jit-compiled Adam step that draws its own batch.
 *
 * @example
 * const task = lenet({ c1: 6, c2: 16, hidden: [120, 84], batch: 64, lr: 1e-3 })
 * const params = task.init(random.key(0))
 * const [state, metrics] = task.step({ params, opt: task.optimizer.init(params) }, random.key(1))
 */
export const lenet = (cfg: DigitsConfig) => {
  // 28x28x1 -> conv 5x5 SAME -> 28x28xc1 -> pool -> 14x14 -> conv 5x5 VALID -> 10x10xc2 -> pool -> 5x5 -> linear x3.
  const net = Sequential([
    Conv2D({ outputChannels: cfg.c1, kernelShape: 5, padding: "SAME", name: "conv_1" }),
    nn.relu,
    MaxPool({ windowShape: 2, strides: 2, padding: "VALID" }),
    Conv2D({ outputChannels: cfg.c2, kernelShape: 5, padding: "VALID", name: "conv_2" }),
    nn.relu,
    MaxPool({ windowShape: 2, strides: 2, padding: "VALID" }),
    (h: Array) => h.reshape([h.shape[0]!, -1]),
    Linear({ outputSize: cfg.hidden[0], name: "fc_1" }),
    nn.relu,
    Linear({ outputSize: cfg.hidden[1], name: "fc_2" }),
    nn.relu,
    Linear({ outputSize: 10, name: "logits" })
  ])
  const model = transform((images: Array) => Effect.suspend(() => net(images)))

  /** The mean cross entropy and the accuracy of a batch. */
  const lossAndAccuracy = (params: Params, images: Array, labels: Array): readonly [Array, Array] => {
    const logits: Array = model.apply(params, null, images)
    const loss = np.mean(optim.losses.softmaxCrossEntropyWithIntegerLabels(logits, labels))
    return [loss, np.mean(np.argmax(logits, { axis: -1 }).eq(labels).astype("float32"))]
  }

  const optimizer = optim.adam(cfg.lr)
  type TrainState = { readonly params: Params; readonly opt: ReturnType<typeof optimizer.init> }
  /** One Adam step on a fresh batch drawn from `key`. */
  const step = jit((s: TrainState, key: random.PRNGKeyArray): readonly [TrainState, { loss: Array; accuracy: Array }] => {
    const [images, labels] = digits(key, cfg.batch)
    const [[loss, accuracy], grads] = valueAndGrad((p: Params) => lossAndAccuracy(p, images, labels), { hasAux: true })(s.params)
    const [updates, opt] = optimizer.update(grads, s.opt, s.params)
    return [
      { params: optim.applyUpdates(s.params, updates) as Params, opt },
      { loss, accuracy }
    ]
  })

  const init = (key: random.PRNGKeyArray): Params => model.init(key, digits(key, 2)[0])
  return { model, lossAndAccuracy, optimizer, step, init }
}
