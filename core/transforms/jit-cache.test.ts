/**
 * jit's cache is bounded (issue 10, item 13): least recently used signatures leave, the re-trace
 * log is bounded, clearCache forgets everything, and a program dropped while it runs (or while a
 * program that calls it is traced) still gives eager evaluation's numbers. What a dropped program
 * releases in the backend is tested in backends/cpu/compile/release.test.ts.
 */
import { describe, expect, it } from "vitest"
import { type Array, debug, jit, np, ValueError } from "../../index.js"

const body = (x: Array) => np.tanh(np.sin(x).mul(2).add(1))
const ramp = (n: number): Array => np.arange(n).astype("float32").mul(0.25)
const values = (x: Array): number[] => [...x.data()]

describe("jit's cache is bounded", () => {
  it("keeps the 64 most recently used signatures by default; an older one is traced again", () => {
    const f = jit(body)
    for (let n = 1; n <= 100; n++) expect(values(f(ramp(n)))).toEqual(values(body(ramp(n))))
    expect(f.cache.size).toBe(64)
    expect(f.cache.maxSize).toBe(64)
    expect(f.cache.evictions).toBe(36)
    expect(f.cache.traces).toBe(100)
    f(ramp(37)) // among the 64 most recent: no trace
    expect(f.cache.traces).toBe(100)
    f(ramp(36)) // dropped: traced again
    expect(f.cache.traces).toBe(101)
  })

  it("cacheSize sets the bound, and a signature used again is kept over an older one", () => {
    const f = jit(body, { cacheSize: 2 })
    const [a, b, c] = [ramp(3), ramp(4), ramp(5)]
    f(a)
    f(b)
    f(a) // a is now more recent than b
    f(c) // drops b
    expect(f.cache.traces).toBe(3)
    expect(f.cache.size).toBe(2)
    expect(values(f(a))).toEqual(values(body(a)))
    expect(f.cache.traces).toBe(3)
    expect(values(f(b))).toEqual(values(body(b)))
    expect(f.cache.traces).toBe(4)
    expect(f.cache.evictions).toBe(2)
    // the reason for that last trace says the cache was too small for it
    expect(f.cache.retraceReasons.at(-1)).toMatch(
      /changed shape: f32\[3\] -> f32\[4\]; this signature was compiled before and dropped from the cache \(cacheSize 2\): raise cacheSize/
    )
    expect(f.cache.retraceReasons[0]).not.toMatch(/dropped/)
  })

  it("cacheSize Infinity keeps every signature", () => {
    const f = jit(body, { cacheSize: Infinity })
    for (let n = 1; n <= 70; n++) f(ramp(n))
    expect(f.cache.size).toBe(70)
    expect(f.cache.evictions).toBe(0)
  })

  it("a cacheSize that is not a positive integer is a ValueError when jit is called", () => {
    for (const bad of [0, -3, 2.5, NaN]) {
      expect(() => jit(body, { cacheSize: bad })).toThrow(ValueError)
      expect(() => jit(body, { cacheSize: bad })).toThrow(/cacheSize option must be a positive integer/)
    }
  })

  it("the re-trace log keeps the 100 most recent reasons", () => {
    const f = jit(body, { cacheSize: 4 })
    for (let n = 1; n <= 150; n++) f(ramp(n))
    const reasons = f.cache.retraceReasons
    expect(f.cache.traces).toBe(150)
    expect(reasons.length).toBe(100)
    expect(reasons[0]).toMatch(/changed shape: f32\[50\] -> f32\[51\]/)
    expect(reasons[99]).toMatch(/changed shape: f32\[149\] -> f32\[150\]/)
  })

  it("clearCache forgets every signature and empties the re-trace log", () => {
    const f = jit(body)
    for (let n = 1; n <= 5; n++) f(ramp(n))
    expect(f.cache.retraceReasons.length).toBe(4)
    f.clearCache()
    expect(f.cache.size).toBe(0)
    expect(f.cache.retraceReasons).toEqual([])
    expect(values(f(ramp(2)))).toEqual(values(body(ramp(2))))
    expect(f.cache.traces).toBe(6)
    expect(f.cache.retraceReasons).toEqual([]) // the first trace after a clear has no previous signature
  })
})

describe("dropping a program that is in use", () => {
  it("a program dropped while it runs finishes with eager's numbers (a debug.print callback calls it again and clears its cache)", () => {
    const prog = (x: Array) => {
      const y = np.sin(x).mul(2) // an intermediate in a pooled buffer, read again after the callback
      debug.print("{}", y)
      return np.tanh(np.matmul(y.reshape([2, -1]), y.reshape([-1, 2])))
    }
    const f = jit(prog, { cacheSize: 1 })
    const x = ramp(6)
    const other = ramp(6).add(1)
    const inner: number[][] = []
    let reenter = false
    const sink = (): void => {
      if (!reenter) return
      reenter = false
      inner.push(values(f(other))) // the same program, re-entered: its own buffers
      f.clearCache() // drops the running program
      inner.push(values(f(other))) // traced and compiled again, while the outer call is still running
      inner.push(values(f(ramp(10)))) // another signature
    }
    const prev = debug.setPrintSink(sink)
    try {
      const want = values(prog(x))
      const wantOther = values(prog(other))
      f(x) // compiled before the callback re-enters
      reenter = true
      expect(values(f(x))).toEqual(want)
      expect(inner).toEqual([wantOther, wantOther, values(prog(ramp(10)))])
      expect(values(f(x))).toEqual(want)
    } finally {
      debug.setPrintSink(prev)
    }
  })

  it("recursion under jit with cacheSize 1: programs dropped while a caller is traced and run still give eager's numbers", () => {
    const eager = (x: Array, depth: number): Array => (depth === 0 ? np.sin(x) : eager(x.mul(2), depth - 1).add(np.cos(x)))
    const rec: (x: Array, depth: number) => Array = jit(
      (x: Array, depth: number): Array => (depth === 0 ? np.sin(x) : rec(x.mul(2), depth - 1).add(np.cos(x))),
      { staticArgnums: [1], cacheSize: 1 }
    )
    const x = ramp(5)
    for (let round = 0; round < 2; round++) {
      expect(values(rec(x, 4))).toEqual(values(eager(x, 4)))
      expect(values(rec(x, 2))).toEqual(values(eager(x, 2)))
    }
  })
})
