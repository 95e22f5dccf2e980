/**
 * A LeNet-style CNN classifying synthetic 28x28 seven-segment digits (moved, scaled, slanted,
 * thickened and noisy; see examples/cnn-model.ts), in the Effect style: Conv2D, MaxPool and Linear
 * layers in a `Sequential` that `transform` turns into pure `init`/`apply`; Adam through
 * `train.fit`; every batch drawn from `random` inside the jit-compiled step (no downloads). Scored
 * on 1000 held-out images; the training loss is plotted to out/.
 *
 * Run: `npx tsx examples/cnn.ts` (full size) or with `--small` (the test suite's setting).
 */
import { Effect, Stream } from "effect"
import { type Array, jit, np, random } from "../index.js"
import { type Params, train } from "../effects/index.js"
import { lenet, digits } from "./cnn-model.js"
import { savePlot } from "./plot.js"

const small = process.argv.includes("--small")
// The small setting trains in seconds (the test suite's); the full one is LeNet-5's size (the demo).
const cfg = small
  ? { c1: 6, c2: 12, hidden: [32, 32] as const, batch: 32, steps: 200, lr: 4e-3, target: 0.9 }
  : { c1: 6, c2: 16, hidden: [120, 84] as const, batch: 64, steps: 600, lr: 1e-3, target: 0.95 }

console.log(
  `task: classify synthetic 28x28 seven-segment digits; model: LeNet (conv 5x5 x${cfg.c1}, pool, conv 5x5 x${cfg.c2}, pool, ` +
    `linear ${cfg.hidden.join(", ")}, 10); batch ${cfg.batch}, ${cfg.steps} steps of Adam(${cfg.lr})`
)

const task = lenet(cfg)
const [initKey, dataKey, testKey] = random.split(random.key(0), 3)
const params0 = task.init(initKey!)
const parameterCount = Object.values(params0).reduce((s, p) => s + p.size, 0)
console.log(`${Object.keys(params0).length} parameter arrays, ${parameterCount} numbers`)

// One fresh key per step: an endless stream of new images.
const keys = Stream.map(
  Stream.iterate(0, (i) => i + 1),
  (i) => random.foldIn(dataKey!, i)
)
const losses: number[] = []
const t0 = performance.now()
const result = Effect.runSync(
  Stream.runLast(
    train
      .fit({ init: { params: params0, opt: task.optimizer.init(params0) }, step: task.step, data: keys, steps: cfg.steps })
      .pipe(Stream.tap((r) => Effect.sync(() => void losses.push(r.loss ?? NaN))))
  )
)
const seconds = (performance.now() - t0) / 1000
const last = result._tag === "Some" ? result.value : undefined
if (last === undefined) throw new Error("no training step ran")
console.log(
  `trained ${last.step} steps in ${seconds.toFixed(1)} s (${((seconds * 1000) / last.step).toFixed(1)} ms/step): ` +
    `loss ${last.loss?.toFixed(4)}, training-batch accuracy ${(last.metrics.accuracy.item() * 100).toFixed(1)}%`
)

// --- Held-out evaluation on 1000 images never trained on.
const [testImages, testLabels] = digits(testKey!, 1000)
const evaluate = jit((p: Params, x: Array, y: Array) => task.lossAndAccuracy(p, x, y))
const [testLoss, testAccuracy] = evaluate(last.state.params, testImages, testLabels)
const accuracy = testAccuracy.item()
console.log(
  `held-out (1000 images): loss ${testLoss.item().toFixed(4)}, accuracy ${(accuracy * 100).toFixed(1)}% ` +
    `(stated: at least ${cfg.target * 100}%): ${accuracy >= cfg.target ? "reached" : "NOT reached"}`
)
const predicted = np.argmax(task.model.apply(last.state.params, null, testImages.index(np.s(0, 12))), { axis: -1 })
console.log(`first 12 held-out labels:    ${[...testLabels.index(np.s(0, 12)).data()].join(" ")}`)
console.log(`first 12 predicted labels:   ${[...predicted.data()].join(" ")}`)

const plotPath = small ? "out/cnn-loss-small.svg" : "out/cnn-loss.svg"
await savePlot(plotPath, "jaxfx: LeNet on synthetic digits, training loss", [
  { kind: "line", xs: losses.map((_, i) => i + 1), ys: losses, label: "cross entropy (nats)" }
])
console.log(`plot written to ${plotPath}`)
