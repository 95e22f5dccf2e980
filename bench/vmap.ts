/**
 * vmap benchmark (issue 4): per-example gradients of a linear model with 1000 features over a
 * batch of 128, loss = (x·w + b - y)², measured side by side in the same run:
 *
 * - jaxfx `jit(vmap(grad(loss), { inAxes: [null, 0, 0] }))` (and the same without jit);
 * - a JS loop of 128 eager `grad(loss)` calls (the rows pre-sliced, outside the timing) — the
 *   vmap version must be at least 10x faster;
 * - @jax-js/jax's `jit(vmap(grad(loss), [null, 0, 0]))` on its wasm backend.
 *
 * Every timed region ends with the result forced; every contender is warmed up first, then timed
 * in 21 interleaved rounds; times are medians. The results are checked against each other before
 * timing (last row). Data come from a seeded PRNG. Standalone: `npx tsx bench/vmap.ts`.
 */
import * as jaxjs from "@jax-js/jax"
import { type Array, grad, jit, np, vmap } from "../index.js"
import type { Row } from "./harness.js"
import { mulberry32 as prng } from "../laws/host-random.js"

type JArray = jaxjs.Array
const jnp = jaxjs.numpy

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let m = 0
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!))
  return m
}

export const vmapBench = async (): Promise<Row[]> => {
  const features = 1000
  const batch = 128
  const bench = `per-example grads ${features}x${batch}`
  const rand = prng(4)
  const xsHost = Float32Array.from({ length: batch * features }, () => rand() * 2 - 1)
  const wHost = Float32Array.from({ length: features }, () => (rand() * 2 - 1) * 0.05)
  const ysHost = Float32Array.from({ length: batch }, () => rand() * 2 - 1)
  const b0 = 0.1

  // --- jaxfx
  interface Params {
    readonly w: Array
    readonly b: Array
  }
  const loss = (p: Params, x: Array, y: Array): Array => np.dot(x, p.w).add(p.b).sub(y).square()
  const params: Params = { w: np.asarray(wHost), b: np.array(b0, { dtype: "float32" }) }
  const xs = np.asarray(xsHost).reshape([batch, features])
  const ys = np.asarray(ysHost)
  const perExample = vmap(grad(loss), { inAxes: [null, 0, 0] })
  const perExampleJit = jit(perExample)
  const gradLoss = grad(loss)
  const rows = globalThis.Array.from({ length: batch }, (_, i) => [xs.index(i), ys.index(i)] as const)
  const force = (g: Params): void => {
    g.w.blockUntilReady()
    g.b.blockUntilReady()
  }

  // Check: the three jaxfx versions agree.
  const gJit = perExampleJit(params, xs, ys)
  const gEager = perExample(params, xs, ys)
  const loopW = rows.map(([x, y]) => gradLoss(params, x, y).w)
  const loopStacked = np.stack(loopW)
  const fxDiff = Math.max(
    maxAbsDiff(gJit.w.data() as Float32Array, loopStacked.data() as Float32Array),
    maxAbsDiff(gJit.w.data() as Float32Array, gEager.w.data() as Float32Array)
  )

  // --- @jax-js/jax (wasm): arguments are owned, so pass .ref to keep them alive across calls
  await jaxjs.init("wasm")
  jaxjs.defaultDevice("wasm")
  type JParams = { w: JArray; b: JArray }
  const jsLoss = (p: JParams, x: JArray, y: JArray): JArray => jnp.square(jnp.dot(x, p.w).add(p.b).sub(y))
  const jsPerExample = jaxjs.jit(jaxjs.vmap(jaxjs.grad(jsLoss), [null, 0, 0]))
  const jw = jnp.array(wHost)
  const jb = jnp.array(b0)
  const jxs = jnp.array(xsHost).reshape([batch, features])
  const jys = jnp.array(ysHost)
  const callJs = (): JParams => jsPerExample({ w: jw.ref, b: jb.ref }, jxs.ref, jys.ref) as JParams
  let jsDiff = NaN
  let jsError: string | undefined
  try {
    const g = callJs()
    const gw = await g.w.data()
    g.b.dispose()
    jsDiff = maxAbsDiff(gw as Float32Array, gJit.w.data() as Float32Array)
  } catch (e) {
    jsError = (e as Error).message.split("\n")[0]
  }

  // Interleaved rounds (one run of each contender per round), so a load change on a shared
  // machine lands on every contender alike and the ratios of one run stay meaningful.
  const contenders: Record<"jit" | "eager" | "loop" | "js", () => Promise<void> | void> = {
    jit: () => force(perExampleJit(params, xs, ys)),
    eager: () => force(perExample(params, xs, ys)),
    loop: () => {
      let last: Params | undefined
      for (const [x, y] of rows) last = gradLoss(params, x, y)
      force(last!)
    },
    js: async () => {
      if (jsError !== undefined) return
      const g = callJs()
      await jaxjs.blockUntilReady(g)
      g.w.dispose()
      g.b.dispose()
    }
  }
  const keys = Object.keys(contenders) as (keyof typeof contenders)[]
  const samples = Object.fromEntries(keys.map((k) => [k, [] as number[]])) as Record<keyof typeof contenders, number[]>
  for (let i = 0; i < 3; i++) for (const k of keys) await contenders[k]()
  for (let round = 0; round < 21; round++) {
    for (const k of keys) {
      const t0 = performance.now()
      await contenders[k]()
      samples[k].push(performance.now() - t0)
    }
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
  const tJit = median(samples.jit)
  const tEager = median(samples.eager)
  const tLoop = median(samples.loop)
  const tJs = jsError === undefined ? median(samples.js) : NaN
  jsPerExample.dispose()
  for (const a of [jw, jb, jxs, jys]) a.dispose()

  const out: Row[] = [
    { bench, what: "jaxfx jit(vmap(grad)) ms", value: tJit.toFixed(3) },
    { bench, what: "jaxfx vmap(grad) eager ms", value: tEager.toFixed(3) },
    { bench, what: "jaxfx JS loop of 128 grad ms", value: tLoop.toFixed(3) },
    { bench, what: "@jax-js/jax jit(vmap(grad)) (wasm) ms", value: jsError === undefined ? tJs.toFixed(3) : `failed: ${jsError}` },
    { bench, what: "JS loop / jaxfx jit(vmap(grad)) (>= 10 required)", value: (tLoop / tJit).toFixed(1) },
    { bench, what: "JS loop / jaxfx vmap(grad) eager", value: (tLoop / tEager).toFixed(1) },
    { bench, what: "@jax-js/jax / jaxfx jit(vmap(grad))", value: (tJs / tJit).toFixed(2) },
    { bench, what: "max |diff| jaxfx vmap vs loop; vs @jax-js/jax", value: `${fxDiff.toExponential(1)}; ${jsDiff.toExponential(1)}` }
  ]
  return out
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { report } = await import("./harness.js")
  report(await vmapBench())
}
