/**
 * The transformer training step of examples/transformer.ts (issue 14): a 2-layer decoder-only
 * transformer (width 64, 4 heads, causal attention, LayerNorm, GELU MLP, dropout 0.1) on batches
 * of 64 sequences of 16 tokens, one jit-compiled step = draw the batch + forward + backward + Adam.
 * Reported: the first call (trace + compile + run), then, in one run with interleaved rounds
 * (bench/side-by-side.ts: medians of wall clock, slow peers bounded), the warm step of jaxfx, of
 * TensorFlow.js on its cpu and wasm backends (bench/transformer-tfjs.ts) and of @jax-js/jax
 * (bench/transformer-jaxjs.ts), each step forced (new parameters and the loss), with the process's
 * CPU time per step. Standalone: `npx tsx bench/run.ts transformer`.
 */
import { random } from "../index.js"
import { type Row } from "./harness.js"
import { type Contender, load, sideBySide } from "./side-by-side.js"
import { jaxjsTransformer } from "./transformer-jaxjs.js"
import { tfjsTransformer } from "./transformer-tfjs.js"
import { reversal } from "../examples/transformer-model.js"

export const transformerBench = async (): Promise<Row[]> => {
  const cfg = { n: 8, digits: 10, width: 64, heads: 4, layers: 2, dropout: 0.1, batch: 64, lr: 1e-3 }
  const bench = `transformer step L${cfg.layers} d${cfg.width} h${cfg.heads} b${cfg.batch}x${2 * cfg.n}`
  const rows: Row[] = [{ bench, what: "load average at start (1, 5, 15 min)", value: load() }]
  const task = reversal(cfg)
  const params = task.init(random.key(0))
  let state = { params, opt: task.optimizer.init(params) }
  let i = 0
  const run = (): number => {
    const [next, metrics] = task.step(state, random.foldIn(random.key(1), i++))
    state = next
    for (const p of Object.values(next.params)) p.blockUntilReady()
    return metrics.loss.item() as number
  }
  const t0 = performance.now()
  run()
  rows.push({ bench, what: "jaxfx first step ms (trace + compile + run)", value: (performance.now() - t0).toFixed(1) })
  const timedStep = (step: () => Promise<number>) => async () => {
    const t = performance.now()
    const value = await step()
    return { ms: performance.now() - t, value }
  }
  const contenders: ReadonlyArray<Contender> = [
    { name: "jaxfx", full: () => Promise.resolve(timedStep(() => Promise.resolve(run()))) },
    { name: "tfjs-backend-wasm", full: async () => timedStep(await tfjsTransformer("wasm", cfg)) },
    { name: "tfjs-backend-cpu", full: async () => timedStep(await tfjsTransformer("cpu", cfg)) },
    { name: "@jax-js/jax wasm", full: async () => timedStep(await jaxjsTransformer(cfg)) }
  ]
  const pick = process.env.JAXFX_BENCH_PEERS?.split(",")
  const chosen = contenders.filter((c) => c.name === "jaxfx" || pick === undefined || pick.some((p) => c.name.startsWith(p)))
  const t1 = performance.now()
  const outcomes = await sideBySide(chosen, { rounds: 15, budgetS: 15, slowS: 30, extrapolateS: 60 })
  const base = outcomes.find((r) => r.name === "jaxfx")
  const baseMs = base !== undefined && "ms" in base ? base.ms : Number.NaN
  for (const r of outcomes) {
    if ("error" in r) {
      rows.push({ bench, what: `${r.name} warm step ms`, value: `failed: ${r.error}` })
      continue
    }
    rows.push({ bench, what: `${r.name} warm step ms (${r.how})`, value: r.ms.toFixed(2) })
    if (r.name === "jaxfx") rows.push({ bench, what: "jaxfx steps/s", value: (1000 / r.ms).toFixed(1) })
    else rows.push({ bench, what: `${r.name} / jaxfx`, value: (r.ms / baseMs).toFixed(2) })
    rows.push({ bench, what: `${r.name} process CPU ms per step (mean)`, value: r.cpuMs.toFixed(1) })
    rows.push({ bench, what: `${r.name} last loss`, value: r.value.toFixed(4) })
  }
  rows.push({ bench, what: "suite wall s; load average at end", value: `${((performance.now() - t1) / 1000).toFixed(0)}; ${load()}` })
  return rows
}
