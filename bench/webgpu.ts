/**
 * WebGPU benchmark (issue 15), `npm run bench -- webgpu`: selu on 1e7 float32, matmul n x n, the
 * MLP training step (784-512-512-10, batch 128, grad + SGD under jit) and the W6 per-example
 * gradients (jit(vmap(grad)) of a linear model, 1000 features x 128) on jaxfx's WebGPU device,
 * side by side with @jax-js/jax's WebGPU backend on the same Dawn instance (its `navigator.gpu`)
 * and with jaxfx's CPU device, in one run; medians of the rounds, each ending with the result
 * computed (`blockUntilReadyAsync` / jax-js `blockUntilReady`).
 *
 * On a software adapter (Mesa's lavapipe, these CPU-only machines) the figures only show that it
 * runs: a 1024 x 1024 matmul takes about a minute on a loaded 2-core machine. So the rounds are
 * few and each size has a budget: `WEBGPU_BENCH_MATMUL=256,512,1024` picks the matmul sizes
 * (default 1024,2048,4096), a size whose first run exceeds `WEBGPU_BENCH_BUDGET_MS` (default 60 s)
 * ends the matmul series, and `WEBGPU_BENCH_ROUNDS` (default 3) caps the rounds.
 */
import { existsSync } from "node:fs"
import { homedir } from "node:os"
import { join } from "node:path"
import * as jaxjs from "@jax-js/jax"
import { type Array, devicePut, grad, init, jit, nn, np, valueAndGrad, vmap } from "../index.js"
import type { Device } from "../core/devices/device.js"
import { hostDevice } from "../core/devices/registry.js"
import type { WebGpuBackend } from "../backends/webgpu/backend.js"
import type { Row } from "./harness.js"
import { mulberry32 as prng } from "../laws/host-random.js"

type JArray = jaxjs.Array
const jnp = jaxjs.numpy

const rounds = Number(process.env.WEBGPU_BENCH_ROUNDS ?? 3)
const budgetMs = Number(process.env.WEBGPU_BENCH_BUDGET_MS ?? 60_000)
const matmulSizes = (process.env.WEBGPU_BENCH_MATMUL ?? "1024,2048,4096").split(",").map(Number)

const median = (xs: ReadonlyArray<number>): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

/** One warm-up run, then up to `rounds` timed runs (fewer when the warm-up took over a quarter of the budget); the median ms. */
const timeRuns = async (fn: () => Promise<void>): Promise<{ readonly ms: number; readonly first: number }> => {
  const t0 = performance.now()
  await fn()
  const first = performance.now() - t0
  const n = first > budgetMs / 4 ? 1 : rounds
  const ts: number[] = []
  for (let i = 0; i < n; i++) {
    const t = performance.now()
    await fn()
    ts.push(performance.now() - t)
  }
  return { ms: median(ts), first }
}

/** Dawn's entry point, shared by jaxfx (acquire.ts takes navigator.gpu) and @jax-js/jax. */
const dawn = async (): Promise<void> => {
  const icd = join(process.env.MESA_PREFIX ?? join(homedir(), ".cache", "mesa25"), "lvp_icd.json")
  if (process.env.VK_ICD_FILENAMES === undefined && existsSync(icd)) process.env.VK_ICD_FILENAMES = icd
  const spec = "webgpu"
  const { create, globals } = (await import(spec)) as { create: (flags: string[]) => GPU; globals: object }
  Object.assign(globalThis, globals)
  const gpu = create([])
  // @jax-js/jax reads navigator.gpu and navigator.userAgent (Node 20 has no navigator)
  const nav = (globalThis as { navigator?: object }).navigator
  if (nav === undefined) Object.defineProperty(globalThis, "navigator", { value: { gpu, userAgent: "Node.js" }, configurable: true })
  else Object.defineProperty(nav, "gpu", { value: gpu, configurable: true })
}

export const webgpuBench = async (): Promise<Row[]> => {
  const rows: Row[] = []
  await dawn()
  const [gpu] = await init("webgpu")
  const cpu = hostDevice()
  const jsOk = await jaxjs
    .init("webgpu")
    .then((ds) => ds.includes("webgpu"))
    .catch(() => false)
  if (jsOk) jaxjs.defaultDevice("webgpu")
  const add = (bench: string, what: string, ms: number | string): void => {
    rows.push({ bench, what, value: typeof ms === "number" ? ms.toFixed(1) : ms })
    console.error(`${bench}  ${what}  ${typeof ms === "number" ? ms.toFixed(1) : ms}`)
  }
  const contenders = async (
    bench: string,
    fx: (d: Device) => () => Promise<void>,
    js: (() => Promise<void>) | undefined,
    flops?: number
  ): Promise<number | undefined> => {
    const g = await timeRuns(fx(gpu!))
    add(bench, "jaxfx webgpu ms", g.ms)
    if (flops !== undefined) add(bench, "jaxfx webgpu GFLOP/s", (flops / g.ms / 1e6).toFixed(2))
    if (js !== undefined && jsOk) {
      try {
        const j = await timeRuns(js)
        add(bench, "@jax-js/jax webgpu ms", j.ms)
        add(bench, "jaxfx / @jax-js/jax (webgpu time)", (g.ms / j.ms).toFixed(2))
      } catch (e) {
        add(bench, "@jax-js/jax webgpu", `failed: ${(e instanceof Error ? e.message : String(e)).split("\n")[0]}`)
      }
    }
    const c = await timeRuns(fx(cpu))
    add(bench, "jaxfx cpu ms", c.ms)
    return g.first
  }
  const rand = prng(15)

  // --- selu on 1e7 float32
  {
    const n = 1e7
    const host = Float32Array.from({ length: n }, () => rand() * 4 - 2)
    const selu = jit((x: Array) => nn.selu(x))
    await contenders(
      "selu 1e7 f32",
      (d) => {
        const x = devicePut(np.asarray(host), d)
        return async () => void (await selu(x).blockUntilReadyAsync())
      },
      jsOk
        ? (() => {
            const x = jnp.array(host)
            const f = jaxjs.jit((v: JArray) => jaxjs.nn.selu(v))
            return async () => void (await jaxjs.blockUntilReady(f(x.ref)))
          })()
        : undefined
    )
  }

  // --- matmul n x n
  for (const n of matmulSizes) {
    const a = Float32Array.from({ length: n * n }, () => rand() - 0.5)
    const mm = jit((x: Array, y: Array) => np.matmul(x, y))
    const first = await contenders(
      `matmul ${n}`,
      (d) => {
        const x = devicePut(np.asarray(a).reshape([n, n]), d)
        return async () => void (await mm(x, x).blockUntilReadyAsync())
      },
      jsOk
        ? (() => {
            const x = jnp.array(a).reshape([n, n])
            const f = jaxjs.jit((p: JArray, q: JArray) => jnp.matmul(p, q))
            return async () => void (await jaxjs.blockUntilReady(f(x.ref, x.ref)))
          })()
        : undefined,
      2 * n ** 3
    )
    if (first !== undefined && first > budgetMs) {
      add(`matmul ${n}`, "larger sizes", `skipped (the first run took ${(first / 1000).toFixed(0)} s, over the budget)`)
      break
    }
  }

  // --- MLP training step 784-512-512-10, batch 128
  {
    const sizes = [784, 512, 512, 10] as const
    const batch = 128
    const lr = 0.01
    const ws = [0, 1, 2].map((l) => Float32Array.from({ length: sizes[l]! * sizes[l + 1]! }, () => (rand() - 0.5) * 0.1))
    const x = Float32Array.from({ length: batch * sizes[0] }, () => rand())
    const y = new Float32Array(batch * 10)
    for (let i = 0; i < batch; i++) y[i * 10 + Math.floor(rand() * 10)] = 1
    type P = { readonly ws: ReadonlyArray<Array>; readonly bs: ReadonlyArray<Array> }
    const loss = (p: P, xb: Array, yb: Array): Array => {
      let h = xb
      for (let l = 0; l < 3; l++) {
        const z = np.matmul(h, p.ws[l]!).add(p.bs[l]!)
        h = l < 2 ? nn.relu(z) : z
      }
      return np.mean(np.sum(nn.logSoftmax(h).mul(yb), { axis: -1 })).neg()
    }
    const step = jit((p: P, xb: Array, yb: Array): [P, Array] => {
      const [l, g] = valueAndGrad(loss)(p, xb, yb)
      return [{ ws: p.ws.map((w, i) => w.sub(g.ws[i]!.mul(lr))), bs: p.bs.map((b, i) => b.sub(g.bs[i]!.mul(lr))) }, l]
    })
    type JP = { ws: JArray[]; bs: JArray[] }
    const jsLoss = (p: JP, xb: JArray, yb: JArray): JArray => {
      let h = xb
      for (let l = 0; l < 3; l++) {
        const z = jnp.matmul(h, p.ws[l]!).add(p.bs[l]!)
        h = l < 2 ? jaxjs.nn.relu(z) : z
      }
      return jaxjs.nn.logSoftmax(h, -1).mul(yb).sum(-1).mean().neg()
    }
    const jsStep = jaxjs.jit((p: JP, xb: JArray, yb: JArray): [JP, JArray] => {
      const keep: JP = { ws: p.ws.map((w) => w.ref), bs: p.bs.map((b) => b.ref) }
      const [l, g] = jaxjs.valueAndGrad(jsLoss)(p, xb, yb)
      return [{ ws: keep.ws.map((w, i) => w.sub(g.ws[i]!.mul(lr))), bs: keep.bs.map((b, i) => b.sub(g.bs[i]!.mul(lr))) }, l]
    })
    await contenders(
      "MLP 784-512-512-10 b128 step",
      (d) => {
        let p: P = {
          ws: ws.map((w, l) => devicePut(np.asarray(w).reshape([sizes[l]!, sizes[l + 1]!]), d)),
          bs: [1, 2, 3].map((l) => devicePut(np.zeros([sizes[l]!]), d))
        }
        const [xb, yb] = [devicePut(np.asarray(x).reshape([batch, sizes[0]]), d), devicePut(np.asarray(y).reshape([batch, 10]), d)]
        return async () => {
          const [next, l] = step(p, xb, yb)
          p = next
          await l.dataAsync()
          for (const a of [...p.ws, ...p.bs]) await a.blockUntilReadyAsync()
        }
      },
      jsOk
        ? (() => {
            let p: JP = { ws: ws.map((w, l) => jnp.array(w).reshape([sizes[l]!, sizes[l + 1]!])), bs: [1, 2, 3].map((l) => jnp.zeros([sizes[l]!])) }
            const [xb, yb] = [jnp.array(x).reshape([batch, sizes[0]]), jnp.array(y).reshape([batch, 10])]
            return async () => {
              const [next, l] = jsStep(p, xb.ref, yb.ref)
              p = next
              await jaxjs.blockUntilReady(p)
              await l.data()
            }
          })()
        : undefined
    )
  }

  // --- W6: per-example gradients, jit(vmap(grad)) of a linear model, 1000 features x 128
  {
    const features = 1000
    const batch = 128
    const xs = Float32Array.from({ length: batch * features }, () => rand() * 2 - 1)
    const w = Float32Array.from({ length: features }, () => (rand() * 2 - 1) * 0.05)
    const ys = Float32Array.from({ length: batch }, () => rand() * 2 - 1)
    type P = { readonly w: Array; readonly b: Array }
    const loss = (p: P, x: Array, yv: Array): Array => np.dot(x, p.w).add(p.b).sub(yv).square()
    const perExample = jit(vmap(grad(loss), { inAxes: [null, 0, 0] }))
    type JP = { w: JArray; b: JArray }
    const jsLoss = (p: JP, x: JArray, yv: JArray): JArray => jnp.square(jnp.dot(x, p.w).add(p.b).sub(yv))
    const jsPer = jaxjs.jit(jaxjs.vmap(jaxjs.grad(jsLoss), [null, 0, 0]))
    await contenders(
      `W6 per-example grads ${features}x${batch}`,
      (d) => {
        const p: P = { w: devicePut(np.asarray(w), d), b: devicePut(np.array(0.1, { dtype: "float32" }), d) }
        const [xd, yd] = [devicePut(np.asarray(xs).reshape([batch, features]), d), devicePut(np.asarray(ys), d)]
        return async () => {
          const g = perExample(p, xd, yd)
          await g.w.blockUntilReadyAsync()
          await g.b.blockUntilReadyAsync()
        }
      },
      jsOk
        ? (() => {
            const [jw, jb, jx, jy] = [jnp.array(w), jnp.array(0.1), jnp.array(xs).reshape([batch, features]), jnp.array(ys)]
            return async () => void (await jaxjs.blockUntilReady(jsPer({ w: jw.ref, b: jb.ref }, jx.ref, jy.ref)))
          })()
        : undefined
    )
  }
  if (!jsOk) add("webgpu", "@jax-js/jax webgpu", "unavailable (its init found no adapter)")
  ;(gpu!.backend as WebGpuBackend).destroy()
  return rows
}
