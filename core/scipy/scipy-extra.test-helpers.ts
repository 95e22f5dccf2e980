/**
 * Shared by the golden tests of golden/scipy_extra_13.py (scipy.linalg's special matrices and
 * decompositions, scipy.stats' rankdata, sem and mode): the case format and comparisons against
 * JAX's float32 values, with the float64 gradient as the referee.
 */
import { expect } from "vitest"
import { type GoldenArray, goldenValues, loadGolden } from "../../golden/load.js"
import { type Array, grad, np } from "../../index.js"

export interface ExtraCase {
  readonly fn: string
  readonly args: ReadonlyArray<unknown>
  readonly options: Record<string, unknown>
  readonly outs: ReadonlyArray<GoldenArray>
  readonly weights?: ReadonlyArray<GoldenArray>
  readonly diff?: ReadonlyArray<number>
  readonly grad?: ReadonlyArray<GoldenArray>
  readonly grad64?: ReadonlyArray<GoldenArray>
}

/**
 * The dtype JAX gives without x64 (the generator enables x64 for its float64 references, so its
 * default dtypes come out 64-bit).
 */
export const x32 = (dtype: string): string => ({ float64: "float32", int64: "int32", complex128: "complex64" })[dtype] ?? dtype

export const extraCases = (fns: ReadonlyArray<string>): ReadonlyArray<ExtraCase> =>
  loadGolden<ExtraCase>("scipy_extra_13").cases.filter((c) => fns.includes(c.fn))

const isGolden = (x: unknown): x is GoldenArray => typeof x === "object" && x !== null && "dtype" in x && "shape" in x
export const goldenArray = (g: GoldenArray): Array =>
  np.array(goldenValues(g), { dtype: g.dtype.startsWith("int") ? "int32" : "float32" }).reshape([...g.shape])
export const reviveArg = (a: unknown): unknown => (isGolden(a) ? goldenArray(a) : a)

const values = (x: Array): number[] => {
  if (x.dtype.startsWith("complex")) {
    const re = np.real(x).data() as Float32Array
    const im = np.imag(x).data() as Float32Array
    return globalThis.Array.from(re).flatMap((r, i) => [r, im[i]!])
  }
  return globalThis.Array.from(x.data() as ArrayLike<number>, Number)
}
const goldenFlat = (g: GoldenArray): number[] =>
  g.dtype.startsWith("complex") ? (g.data as ReadonlyArray<readonly [number, number]>).flatMap(([r, i]) => [r, i]) : goldenValues(g)
const maxAbs = (xs: ReadonlyArray<number>): number => xs.reduce((m, v) => (Number.isFinite(v) ? Math.max(m, Math.abs(v)) : m), 0)

/** got against JAX's float32 `want` (within tol of the largest entry), or closer to the float64 `ref` than JAX. */
export const closeAsJax = (got: Array, want: GoldenArray, ref: GoldenArray | undefined, tol: number, what: string): void => {
  expect(got.shape, what).toEqual(want.shape)
  const g = values(got)
  const w = goldenFlat(want)
  const r = ref === undefined ? w : goldenFlat(ref)
  const scale = 1 + maxAbs(w)
  w.forEach((v, i) => {
    const ok =
      (Number.isNaN(v) && Number.isNaN(g[i]!)) ||
      g[i] === v ||
      Math.abs(g[i]! - v) <= tol * scale ||
      Math.abs(g[i]! - r[i]!) <= 2 * Math.abs(v - r[i]!) + tol * scale
    expect(ok, `${what}[${i}]: ${g[i]} vs JAX ${v} (float64 ${r[i]})`).toBe(true)
  })
}

/** The case's gradient of sum(out_i * weights_i) against JAX's (float32, float64 as referee). */
export const checkGrad = (c: ExtraCase, call: (args: ReadonlyArray<unknown>) => Array[], args: ReadonlyArray<unknown>, tol: number): void => {
  if (c.grad === undefined) return
  const diff = c.diff!
  const weights = c.weights!.map(goldenArray)
  const loss = (...xs: Array[]) => {
    const full = [...args]
    diff.forEach((d, i) => (full[d] = xs[i]!))
    let total = np.array(0, { dtype: "float32" })
    call(full).forEach((o, i) => {
      if (o.dtype === "float32") total = total.add(np.sum(o.mul(weights[i]!)))
    })
    return total
  }
  const g = grad(loss, { argnums: diff.map((_, i) => i) })(...diff.map((d) => args[d] as Array)) as unknown as Array[]
  g.forEach((gi, i) => closeAsJax(gi, c.grad![i]!, c.grad64![i]!, tol, `grad ${i}`))
}
