/**
 * The transformer training step of examples/transformer.ts (issue 14): a 2-layer decoder-only
 * transformer (width 64, 4 heads, causal attention, LayerNorm, GELU MLP, dropout 0.1) on batches
 * of 64 sequences of 16 tokens, one jit-compiled step = draw the batch + forward + backward + Adam.
 * Reported: the first call (trace + compile + run) and the median warm step, each step forced
 * (new parameters and the loss), and the process's CPU time per step; then the same step in
 * TensorFlow.js (bench/transformer-tfjs.ts) on its cpu and wasm backends, in the same run.
 * Standalone: `npx tsx bench/run.ts transformer`.
 */
import { random } from "../index.js"
import { type Row, time, timeAsync } from "./harness.js"
import { tfjsTransformer } from "./transformer-tfjs.js"
import { reversal } from "../examples/transformer-model.js"

export const transformerBench = async (): Promise<Row[]> => {
  const cfg = { n: 8, digits: 10, width: 64, heads: 4, layers: 2, dropout: 0.1, batch: 64, lr: 1e-3 }
  const bench = `transformer step L${cfg.layers} d${cfg.width} h${cfg.heads} b${cfg.batch}x${2 * cfg.n}`
  const task = reversal(cfg)
  const params = task.init(random.key(0))
  let state = { params, opt: task.optimizer.init(params) }
  let i = 0
  let lastLoss = Number.NaN
  const run = (): void => {
    const [next, metrics] = task.step(state, random.foldIn(random.key(1), i++))
    state = next
    for (const p of Object.values(next.params)) p.blockUntilReady()
    lastLoss = metrics.loss.item()
  }
  const t0 = performance.now()
  run()
  const first = performance.now() - t0
  // On a shared machine the wall time includes waiting for a core: the process's CPU time per step shows the work itself.
  const cpu0 = process.cpuUsage()
  const steps0 = i
  const warm = time(run, { reps: 15, warmup: 3 })
  const cpu = process.cpuUsage(cpu0)
  const cpuPerStep = (cpu.user + cpu.system) / 1000 / (i - steps0)
  const peers: Row[] = []
  for (const backend of ["cpu", "wasm"] as const) {
    const tfStep = await tfjsTransformer(backend, cfg)
    let tfLoss = Number.NaN
    const ms = await timeAsync(async () => void (tfLoss = await tfStep()), { reps: 5, warmup: 2 })
    peers.push({ bench, what: `tfjs-backend-${backend} warm step ms (median of 5)`, value: ms.toFixed(1) })
    peers.push({ bench, what: `tfjs-backend-${backend} / jaxfx`, value: (ms / warm).toFixed(2) })
    peers.push({ bench, what: `tfjs-backend-${backend} loss after 7 steps`, value: tfLoss.toFixed(4) })
  }
  return [
    { bench, what: "jaxfx first step ms (trace + compile + run)", value: first.toFixed(1) },
    { bench, what: "jaxfx warm step ms (median of 15)", value: warm.toFixed(2) },
    { bench, what: "jaxfx steps/s", value: (1000 / warm).toFixed(1) },
    { bench, what: "jaxfx process CPU ms per warm step (mean)", value: cpuPerStep.toFixed(1) },
    { bench, what: `loss after ${i} steps`, value: lastLoss.toFixed(4) },
    ...peers
  ]
}
