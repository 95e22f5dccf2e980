/**
 * What a `codec.load` costs, measured in ways that hold on a loaded machine: the CPU time the
 * process spent (not wall time, which another process can stretch), the most CPU time spent
 * between two turns of the event loop (how long the loop was blocked, in work), and the peak
 * memory added (heap and array buffers, sampled at every turn, after a full GC before the load).
 */
import { setFlagsFromString } from "node:v8"
import { runInNewContext } from "node:vm"
import { Effect, type Exit } from "effect"
import type { CodecError } from "../../../index.js"
import * as codec from "../index.js"

setFlagsFromString("--expose-gc")
const gc = runInNewContext("gc") as () => void

const cpuMs = (): number => {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}
const memory = (): number => {
  const m = process.memoryUsage()
  return m.heapUsed + m.arrayBuffers
}

export interface LoadCost<T> {
  readonly exit: Exit.Exit<T, CodecError>
  /** Wall time of the load. */
  readonly wallMs: number
  /** CPU time of the process during the load. */
  readonly cpuMs: number
  /** The most CPU time spent between two ticks of a 1 ms timer (the event loop's longest block, in work). */
  readonly blockedCpuMs: number
  /** The peak of heap plus array-buffer memory above what it was before the load. */
  readonly extraBytes: number
}

/**
 * Load `path` with `codec.load` and measure it; with `memory: false`, without the full GC before
 * and the memory samples (for many small files).
 */
export const measureLoad = async <T>(path: string, template: T, options?: codec.LoadOptions, how?: { readonly memory?: boolean }): Promise<LoadCost<T>> => {
  const withMemory = how?.memory !== false
  if (withMemory) gc()
  const base = withMemory ? memory() : 0
  let peak = base
  let last = cpuMs()
  let blocked = 0
  const tick = (): void => {
    const now = cpuMs()
    blocked = Math.max(blocked, now - last)
    last = now
    if (withMemory) peak = Math.max(peak, memory())
  }
  const timer = setInterval(tick, 1)
  const c0 = cpuMs()
  const t0 = performance.now()
  const exit = await Effect.runPromiseExit(codec.load(path, template, options))
  const wallMs = performance.now() - t0
  const spent = cpuMs() - c0
  tick()
  clearInterval(timer)
  return { exit, wallMs, cpuMs: spent, blockedCpuMs: blocked, extraBytes: peak - base }
}
