/**
 * Child process of `npm run bench:codec`: loads one checkpoint with `codec.load` and prints, as
 * one JSON line, the wall and CPU time it took, the peak resident memory it added, the longest
 * the event loop was blocked, and how the load ended.
 *
 *   node --import tsx bench/codec-load.ts <path> <json|safetensors>
 */
import { readFileSync, writeFileSync } from "node:fs"
import { Cause, Effect, Exit } from "effect"
import { codec } from "../effects/index.js"
import { ShapedArray } from "../index.js"

const [path, format] = process.argv.slice(2)
if (path === undefined || (format !== "json" && format !== "safetensors")) throw new Error("usage: codec-load.ts <path> <json|safetensors>")
const template = { w: new ShapedArray([3], "float32"), n: new ShapedArray([], "int32") }
// Peak resident memory: Linux's VmHWM of this process, reset to the current size here (getrusage's
// maxRSS would include the parent's peak, copied at fork).
const peakRss = (): number => {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"))
    if (m !== null) return Number(m[1]) * 1024
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS * 1024
}
try {
  writeFileSync("/proc/self/clear_refs", "5")
} catch {
  // not Linux: the peak then counts from the start of the process
}
const baseline = process.memoryUsage().rss
// the longest gap between ticks of a 5 ms timer while the load runs (and one tick after it)
let last = performance.now()
let blocked = 0
const timer = setInterval(() => {
  const now = performance.now()
  blocked = Math.max(blocked, now - last)
  last = now
}, 5)
const t0 = performance.now()
const cpu0 = process.cpuUsage()
const exit = await Effect.runPromiseExit(codec.load(path, template, { format }))
const ms = performance.now() - t0
const cpu = process.cpuUsage(cpu0)
await new Promise((resolve) => setTimeout(resolve, 10))
clearInterval(timer)
const error = Exit.isFailure(exit) ? Cause.squash(exit.cause) : undefined
console.log(
  JSON.stringify({
    ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    extraMB: (peakRss() - baseline) / 2 ** 20,
    blockedMs: blocked,
    outcome: error === undefined ? "loaded" : `${(error as { _tag?: string })._tag ?? "untagged"}: ${String((error as Error).message).slice(0, 90)}`
  })
)
