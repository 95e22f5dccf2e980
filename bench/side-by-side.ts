/**
 * Side-by-side timing of one workload in several libraries, in one process, bounded in time.
 *
 * - Every contender's step times its own workload (setup such as uploading inputs may stay
 *   outside) and returns milliseconds of wall clock and a check value.
 * - A contender may offer a smaller variant (e.g. batch 2 of 32) with the factor that scales its
 *   time to the full one. It is run first, once: when the full step is then estimated above
 *   `extrapolateS` seconds, the contender is measured on the small variant and its time reported
 *   multiplied by the factor (marked "extrapolated"); when that first call itself took more than
 *   `slowS` seconds, it is the contender's one round.
 * - The full step's first call is a warm-up (compilation included). A contender whose first call
 *   took more than `slowS` seconds gets no further call: that call is its one round (marked).
 * - The others run interleaved, one step each per round (each round starting one contender
 *   later, after an idle gap per step), so that a change of machine load falls on all of them
 *   alike; each runs as many rounds as `budgetS` seconds allow, between 1 and
 *   `rounds`, after a second warm-up call (a small variant slower than `slowS` gets one round).
 * Reported per contender: the median wall-clock milliseconds, the rounds used, the process's CPU
 * milliseconds per step (mean), and the last check value.
 */
import { loadavg } from "node:os"

export interface Timed {
  readonly ms: number
  readonly value: number
}

export interface Contender {
  readonly name: string
  /** Builds the step (setup, not timed). */
  readonly full: () => Promise<() => Promise<Timed>>
  /** A smaller variant and the factor from its time to the full step's. */
  readonly small?: { readonly label: string; readonly factor: number; readonly make: () => Promise<() => Promise<Timed>> }
}

export interface SideBySideOptions {
  readonly rounds: number
  readonly budgetS: number
  readonly slowS: number
  readonly extrapolateS: number
  /** Idle milliseconds before each timed step (default 50). */
  readonly gapMs?: number
}

export interface Outcome {
  readonly name: string
  /** Median milliseconds of the full step (extrapolated where `how` says so). */
  readonly ms: number
  readonly rounds: number
  readonly cpuMs: number
  readonly value: number
  /** How it was measured, for the table. */
  readonly how: string
}

const median = (xs: ReadonlyArray<number>): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2
}

interface Running {
  readonly name: string
  readonly step: () => Promise<Timed>
  readonly factor: number
  readonly how: string
  readonly times: number[]
  readonly cpu: number[]
  readonly firstMs: number
  rounds: number
  value: number
}

const timed = async (r: Running): Promise<void> => {
  const c0 = process.cpuUsage()
  const t = await r.step()
  const c = process.cpuUsage(c0)
  r.times.push(t.ms)
  r.cpu.push((c.user + c.system) / 1000)
  r.value = t.value
}

/** Load averages (1, 5, 15 minutes) as text. */
export const load = (): string =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(" ")

/** Runs the contenders as the module comment says; a contender that throws is reported by its message. */
export const sideBySide = async (
  contenders: ReadonlyArray<Contender>,
  o: SideBySideOptions
): Promise<ReadonlyArray<Outcome | { readonly name: string; readonly error: string }>> => {
  const interleaved: Running[] = []
  const done: Running[] = []
  const failed: { name: string; error: string }[] = []
  for (const c of contenders) {
    try {
      if (c.small !== undefined) {
        const small = await c.small.make()
        const c0 = process.cpuUsage()
        const first = await small()
        const cpu = process.cpuUsage(c0)
        if ((first.ms * c.small.factor) / 1000 > o.extrapolateS) {
          const how = `extrapolated: ${c.small.label} x ${c.small.factor}`
          const r: Running = { name: c.name, step: small, factor: c.small.factor, how, times: [], cpu: [], firstMs: first.ms, rounds: 0, value: first.value }
          // Slow even when small: its first call is its one round.
          if (first.ms / 1000 > o.slowS)
            done.push({ ...r, how: `${how}, 1 round: the first call`, times: [first.ms], cpu: [(cpu.user + cpu.system) / 1000], rounds: 1 })
          else interleaved.push(r)
          continue
        }
      }
      const step = await c.full()
      const c0 = process.cpuUsage()
      const first = await step()
      const cpu = process.cpuUsage(c0)
      if (first.ms / 1000 > o.slowS) {
        const how = "1 round: the first call (compilation included)"
        done.push({
          name: c.name,
          step,
          factor: 1,
          how,
          times: [first.ms],
          cpu: [(cpu.user + cpu.system) / 1000],
          firstMs: first.ms,
          rounds: 1,
          value: first.value
        })
        continue
      }
      interleaved.push({ name: c.name, step, factor: 1, how: "", times: [], cpu: [], firstMs: first.ms, rounds: 0, value: first.value })
    } catch (e) {
      failed.push({ name: c.name, error: String(e).slice(0, 120) })
    }
  }
  // Second warm-up; its time sets the rounds the budget allows (one round, without it, after a slow first call).
  for (const r of interleaved) {
    if (r.firstMs / 1000 > o.slowS) {
      r.rounds = 1
      continue
    }
    try {
      const t0 = performance.now()
      await r.step()
      const each = performance.now() - t0
      r.rounds = Math.max(1, Math.min(o.rounds, Math.floor((o.budgetS * 1000) / Math.max(each, 1e-3))))
    } catch (e) {
      failed.push({ name: r.name, error: String(e).slice(0, 120) })
      r.rounds = 0
    }
  }
  const most = Math.max(0, ...interleaved.map((r) => r.rounds))
  // Each round starts one contender later, and a short idle gap (untimed) precedes every step: a
  // peer's after-effects (a thread pool winding down, a collection of its garbage) then fall on
  // every contender in turn instead of always on the one listed after it.
  const n = interleaved.length
  for (let round = 0; round < most; round++) {
    for (let i = 0; i < n; i++) {
      const r = interleaved[(i + round) % n]!
      if (round >= r.rounds) continue
      await new Promise((resolve) => setTimeout(resolve, o.gapMs ?? 50))
      await timed(r)
    }
  }
  const outcomes: Outcome[] = [...interleaved.filter((r) => r.rounds > 0), ...done].map((r) => ({
    name: r.name,
    ms: median(r.times) * r.factor,
    rounds: r.times.length,
    cpuMs: r.cpu.length === 0 ? Number.NaN : (r.cpu.reduce((a, b) => a + b, 0) / r.cpu.length) * r.factor,
    value: r.value,
    how:
      r.how === "" ? `median of ${r.times.length} interleaved rounds` : r.how.endsWith(`x ${r.factor}`) ? `${r.how}, median of ${r.times.length} rounds` : r.how
  }))
  return [...outcomes, ...failed]
}
