/** Benchmark helpers: warm up, then take the median of repeated timings (milliseconds). */
export const time = (fn: () => void, opts: { readonly reps?: number; readonly warmup?: number } = {}): number => {
  const reps = opts.reps ?? 9
  for (let i = 0; i < (opts.warmup ?? 2); i++) fn()
  const ts: number[] = []
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now()
    fn()
    ts.push(performance.now() - t0)
  }
  ts.sort((a, b) => a - b)
  return ts[Math.floor(ts.length / 2)]!
}

export const timeAsync = async (fn: () => Promise<void>, opts: { readonly reps?: number; readonly warmup?: number } = {}): Promise<number> => {
  const reps = opts.reps ?? 9
  for (let i = 0; i < (opts.warmup ?? 2); i++) await fn()
  const ts: number[] = []
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now()
    await fn()
    ts.push(performance.now() - t0)
  }
  ts.sort((a, b) => a - b)
  return ts[Math.floor(ts.length / 2)]!
}

export interface Row {
  readonly bench: string
  readonly what: string
  readonly value: string
}

export const report = (rows: ReadonlyArray<Row>): void => {
  const w0 = Math.max(...rows.map((r) => r.bench.length), 5)
  const w1 = Math.max(...rows.map((r) => r.what.length), 4)
  console.log(`${"bench".padEnd(w0)}  ${"what".padEnd(w1)}  value`)
  for (const r of rows) console.log(`${r.bench.padEnd(w0)}  ${r.what.padEnd(w1)}  ${r.value}`)
}
