/**
 * What the CPU compiler frees when jit drops a program (issue 10, item 13): the executable, its
 * pool of intermediates, and the kernels no live executable shares; clearCache frees them all,
 * programs derived from the jitted one (its jvp, its batched versions) included. Counted with
 * `compilerStats`, never with process memory (bench/jit-cache-memory.ts measures that).
 */
import { describe, expect, it } from "vitest"
import { type Array, config, jit, jvp, makeJaxpr, np, vmap } from "../../../index.js"
import type { ArrayImpl } from "../../../core/array.js"
import { makeCpuBackend } from "../index.js"
import { compilerStats } from "./index.js"
import { expectSameBits, rng } from "./test-util.js"

// These tests count what the calling thread's CPU compiler builds: run on device 0 whatever the default device.
config.update("jaxDefaultDevice", 0)

const rand = (shape: ReadonlyArray<number>, seed: number): Array => {
  const r = rng(seed)
  const n = shape.reduce((a, b) => a * b, 1)
  return np.asarray(Float32Array.from({ length: n }, () => (r() - 0.5) * 4)).reshape([...shape])
}

const snapshot = () => ({
  executables: compilerStats.executables,
  released: compilerStats.released,
  poolsAllocated: compilerStats.poolsAllocated,
  poolsReleased: compilerStats.poolsReleased,
  pooledBytes: compilerStats.pooledBytes,
  kernels: compilerStats.kernels
})
const since = (before: ReturnType<typeof snapshot>) => {
  const now = snapshot()
  return {
    executables: now.executables - before.executables,
    released: now.released - before.released,
    poolsAllocated: now.poolsAllocated - before.poolsAllocated,
    poolsReleased: now.poolsReleased - before.poolsReleased,
    pooledBytes: now.pooledBytes - before.pooledBytes,
    kernels: now.kernels - before.kernels
  }
}

// Two matmuls with a tanh between: the tanh's result is an intermediate in a pooled buffer.
const mlp = (x: Array, w: Array) => np.tanh(np.matmul(np.tanh(np.matmul(x, w)), w))

describe("releasing compiled programs", () => {
  // First in the file: the kernel count is compared with its value before, so no other test's
  // executables may share these kernels (width 13 is used nowhere else).
  it("a signature dropped from jit's cache releases its executable, pool and kernels; clearCache releases the rest", () => {
    const w = rand([13, 13], 1)
    const f = jit(mlp, { cacheSize: 3 })
    // Eager references first: eager operations compile (and keep) kernels of their own, which the
    // jit programs may share; what jit adds must be gone after clearCache.
    const xs = [1, 2, 3, 4, 5].map((n) => rand([n, 13], 10 + n))
    const want = xs.map((x) => mlp(x, w))
    const before = snapshot()
    xs.forEach((x, i) => expectSameBits(f(x, w), want[i]!, `n = ${i + 1}`))
    const held = since(before)
    expect(held).toMatchObject({ executables: 5, released: 2, poolsAllocated: 5, poolsReleased: 2 })
    expect(held.pooledBytes).toBeGreaterThan(0)
    f.clearCache()
    expect(since(before)).toEqual({ executables: 5, released: 5, poolsAllocated: 5, poolsReleased: 5, pooledBytes: 0, kernels: 0 })
  })

  it("an executable released by the backend still runs (it allocates its pool again), and compile builds a new one", () => {
    const x = rand([4, 7], 2)
    const w = rand([7, 7], 3)
    const { jaxpr } = makeJaxpr(mlp)(x, w)
    const ins = [x, w].map((a) => ({ buffer: (a as ArrayImpl).buffer, aval: a.aval }))
    const want = [...mlp(x, w).data()]
    const cpuBackend = makeCpuBackend()
    const before = snapshot()
    const exe = cpuBackend.compile(jaxpr)
    expect([...(exe(ins)[0] as Float32Array)]).toEqual(want)
    cpuBackend.releaseProgram(jaxpr)
    expect(since(before)).toMatchObject({ executables: 1, released: 1, poolsAllocated: 1, poolsReleased: 1, pooledBytes: 0 })
    expect([...(exe(ins)[0] as Float32Array)]).toEqual(want)
    expect(since(before)).toMatchObject({ poolsAllocated: 2, poolsReleased: 1 })
    expect(cpuBackend.compile(jaxpr)).not.toBe(exe)
    cpuBackend.releaseProgram(jaxpr)
  })

  it("vmap of a jitted function over many batch sizes keeps at most 64 batched programs; clearCache releases them all", () => {
    const body = (x: Array) => np.tanh(np.sin(x).mul(2)).sum()
    const f = jit(body)
    const g = vmap(f)
    const before = snapshot()
    for (let b = 1; b <= 70; b++) {
      const x = rand([b, 3], b)
      expectSameBits(g(x), np.stack(globalThis.Array.from({ length: b }, (_, i) => body(x.at(i).get()))), `batch ${b}`)
    }
    const held = since(before)
    expect(held.executables).toBe(70)
    expect(held.released).toBe(6)
    f.clearCache()
    expect(since(before)).toMatchObject({ executables: 70, released: 70, pooledBytes: 0 })
  })

  it("the jvp program of a jitted function is released with it", () => {
    const f = jit((x: Array) => np.tanh(np.matmul(x, x)))
    const x = rand([5, 5], 4)
    const t = rand([5, 5], 5)
    const before = snapshot()
    const [y] = jvp(f, [x], [t])
    expectSameBits(y, np.tanh(np.matmul(x, x)), "primal")
    expect(since(before).executables).toBeGreaterThan(0)
    f.clearCache()
    const d = since(before)
    expect(d.released).toBe(d.executables)
    expect(d.pooledBytes).toBe(0)
  })
})
