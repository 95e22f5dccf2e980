/**
 * Memory held by jit caches (issue 10, item 13): how much a jitted function keeps alive after
 * seeing many input shapes, and after `clearCache()`. Not part of `npm run bench` (it needs a
 * garbage collector it can call). Run:
 *
 *   node --expose-gc --import tsx bench/jit-cache-memory.ts
 *
 * Figures are heap + external memory (typed arrays, Wasm memory) after a full collection,
 * relative to a baseline taken after a warm-up, in MB. `--no-compilation-cache` takes V8's cache
 * of compiled sources (bounded by V8, not by jaxfx) out of the figures.
 */
import { type Array, jit, np } from "../index.js"

const gc = (globalThis as { gc?: () => void }).gc
if (gc === undefined) throw new Error("run with node --expose-gc --import tsx bench/jit-cache-memory.ts")

const used = (): number => {
  for (let i = 0; i < 4; i++) gc()
  const m = process.memoryUsage()
  return m.heapUsed + m.external
}
const mb = (bytes: number): string => `${bytes < 0 ? "" : "+"}${(bytes / 2 ** 20).toFixed(1)} MB`

interface Case {
  readonly name: string
  readonly shapes: number
  readonly make: () => (n: number) => void
  readonly clear: () => void
  readonly size: () => number
}

const elementwise = (): Case => {
  const f = jit((x: Array) => np.tanh(np.sin(x).mul(2).add(1)).sum())
  return {
    name: "elementwise chain, 2000 shapes [n]",
    shapes: 2000,
    make: () => (n) => void f(np.ones([n + 1])).data(),
    clear: () => f.clearCache(),
    size: () => f.cache.size
  }
}

const matmul = (cacheSize?: number) => (): Case => {
  const w = np.ones([256, 256]).mul(0.01)
  const mlp = (x: Array, w: Array) => np.tanh(np.matmul(np.tanh(np.matmul(x, w)), w)).sum()
  const f = jit(mlp, cacheSize === undefined ? {} : { cacheSize })
  return {
    name: `256-wide matmul, 40 shapes [32 (n + 1), 256]${cacheSize === undefined ? "" : `, cacheSize ${cacheSize}`}`,
    shapes: 40,
    make: () => (n) => void f(np.ones([32 * (n + 1), 256]), w).data(),
    clear: () => f.clearCache(),
    size: () => f.cache.size
  }
}

for (const make of [elementwise, matmul(), matmul(8)]) {
  const c = make()
  const run = c.make()
  run(0) // warm-up: compile the code paths once
  c.clear()
  const base = used()
  const rounds: string[] = []
  let size = 0
  // A second round shows what stays for good: the first also grows one-time structures (V8's
  // compilation cache of generated sources, the shared Wasm GEMM memory).
  for (let r = 1; r <= 2; r++) {
    for (let n = 0; n < c.shapes; n++) run(n)
    const full = used()
    size = c.size()
    c.clear()
    rounds.push(`round ${r}: ${mb(full - base)} held, after clearCache() ${mb(used() - base)}`)
  }
  console.log(`${c.name}: cache ${size} entries; ${rounds.join("; ")}`)
}
