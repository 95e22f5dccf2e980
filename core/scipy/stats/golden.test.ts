/**
 * scipy.stats against real JAX (golden/scipy_stats.py): float32 values, float64 values and
 * gradients of every distribution's methods, with SciPy's float64 values as the reference (see
 * core/scipy/test-helpers.ts for the rule). Each call with loc/scale is also made with them as
 * an options object, which must give the same result.
 */
import { describe, expect, it } from "vitest"
import { type Array, grad, np, scipy } from "../../../index.js"
import type { Operand } from "../../numpy/coerce.js"
import { type GoldenArray, loadGolden } from "../../../golden/load.js"
import { checkFloat32, checkFloat64, checkGradient, fromGolden, type Tol } from "../test-helpers.js"

interface Case {
  readonly fn: string
  readonly args: ReadonlyArray<GoldenArray>
  readonly out: GoldenArray
  readonly refArgs: ReadonlyArray<GoldenArray>
  readonly ref: GoldenArray
  readonly gradArgs?: ReadonlyArray<GoldenArray>
  readonly argnums?: ReadonlyArray<number>
  readonly grad?: ReadonlyArray<GoldenArray>
}

type Method = (...args: Operand[]) => Array
const method = (fn: string): Method => {
  const [dist, name] = fn.split(".") as [string, string]
  const m = (scipy.stats as unknown as Record<string, Record<string, Method> | undefined>)[dist]?.[name]
  if (m === undefined) throw new Error(`no jaxfx scipy.stats.${fn}`)
  return m
}

/** Positional parameters before the optional ones, and the optional ones' names. */
const REQUIRED: Readonly<Record<string, readonly [number, ReadonlyArray<string>]>> = {
  norm: [1, ["loc", "scale"]],
  cauchy: [1, ["loc", "scale"]],
  laplace: [1, ["loc", "scale"]],
  logistic: [1, ["loc", "scale"]],
  expon: [1, ["loc", "scale"]],
  uniform: [1, ["loc", "scale"]],
  gumbelL: [1, ["loc", "scale"]],
  gumbelR: [1, ["loc", "scale"]],
  beta: [3, ["loc", "scale"]],
  gamma: [2, ["loc", "scale"]],
  chi2: [2, ["loc", "scale"]],
  t: [2, ["loc", "scale"]],
  pareto: [2, ["loc", "scale"]],
  truncnorm: [3, ["loc", "scale"]],
  binom: [3, ["loc"]],
  poisson: [2, ["loc"]],
  geom: [2, ["loc"]],
  nbinom: [3, ["loc"]],
  betabinom: [4, ["loc"]]
}

/** The same call with the trailing optional arguments as an options object (undefined if none). */
const withOptions = (fn: string, args: ReadonlyArray<Array>): Operand[] | undefined => {
  const spec = REQUIRED[fn.split(".")[0]!]
  if (spec === undefined || fn === "bernoulli.cdf" || args.length <= spec[0]) return undefined
  const options: Record<string, Array> = {}
  spec[1].forEach((name, i) => {
    const v = args[spec[0] + i]
    if (v !== undefined) options[name] = v
  })
  return [...args.slice(0, spec[0]), options as unknown as Operand]
}

const base = { ref: { rtol: 2e-6, atol: 1e-7 }, jax: { rtol: 1e-4, atol: 1e-6 }, f64: { rtol: 1e-13, atol: 1e-15 }, grad: { rtol: 1e-4, atol: 1e-6 } }
type Tolerances = typeof base
const loose = (ref: Partial<Tol>, f64: Partial<Tol> = {}): Tolerances => ({ ...base, ref: { ...base.ref, ...ref }, f64: { ...base.f64, ...f64 } })
/** By distribution: the ones built on the loops (incomplete gamma and beta) accumulate rounding. */
const TOLERANCES: Readonly<Record<string, Tolerances>> = {
  beta: loose({ rtol: 1e-4, atol: 1e-6 }, { rtol: 1e-11 }),
  gamma: loose({ rtol: 5e-5, atol: 1e-7 }, { rtol: 1e-11 }),
  chi2: loose({ rtol: 5e-5, atol: 1e-7 }, { rtol: 1e-11 }),
  // (poisson.entropy is JAX's approximation: a truncated sum, and an asymptotic form from mu = 100
  // that is 1e-6 off SciPy's exact value)
  poisson: loose({ rtol: 5e-5, atol: 1e-6 }, { rtol: 2e-6, atol: 1e-14 }),
  gennorm: loose({ rtol: 1e-5 }, { rtol: 1e-11 }),
  // log densities near 0 (binomial and friends sum lgammas): an absolute error
  binom: loose({ atol: 2e-6 }, { atol: 1e-13 }),
  betabinom: loose({ atol: 2e-6 }, { atol: 1e-13 }),
  nbinom: loose({ atol: 2e-6 }, { atol: 1e-13 }),
  multinomial: loose({ atol: 2e-6 }, { atol: 1e-13 }),
  dirichlet: loose({ atol: 2e-6 }, { atol: 1e-13 }),
  truncnorm: loose({ rtol: 1e-5, atol: 1e-6 }, { rtol: 1e-12 }),
  t: loose({ rtol: 4e-6 }),
  multivariateNormal: loose({ rtol: 4e-6 }, { rtol: 1e-12 })
}

const file = loadGolden<Case>("scipy_stats")

describe("scipy.stats against JAX (golden/scipy_stats.json)", () => {
  const counts = new Map<string, number>()
  for (const c of file.cases) {
    const k = (counts.get(c.fn) ?? 0) + 1
    counts.set(c.fn, k)
    const t = TOLERANCES[c.fn.split(".")[0]!] ?? base
    const label = (i: number): string => `${c.fn}(${c.args.map((a) => (a.data.length > i ? String(a.data[i]) : "..")).join(", ")})[${i}]`
    it(`${c.fn} #${k}: float32 and float64 values`, () => {
      const f = method(c.fn)
      const args = c.args.map((a) => fromGolden(a))
      const got = f(...args)
      const { failures, jaxAgrees } = checkFloat32(label, got, c.out, c.ref, t)
      expect(failures).toEqual([])
      const optional = withOptions(c.fn, args)
      if (optional !== undefined) expect([...f(...optional).data()]).toEqual([...got.data()])
      const got64 = f(...c.refArgs.map((a) => fromGolden(a)))
      expect(got64.dtype).toBe("float64")
      expect(checkFloat64(label, got64, c.ref, jaxAgrees, t.f64)).toEqual([])
    })
    if (c.grad !== undefined) {
      it(`${c.fn} #${k}: gradients`, () => {
        const f = method(c.fn)
        const loss = (...xs: Array[]): Array => np.sum(f(...xs))
        const gs = grad(loss, { argnums: [...c.argnums!] })(...c.gradArgs!.map((a) => fromGolden(a))) as unknown as ReadonlyArray<Array>
        expect(gs.flatMap((g, j) => checkGradient((i) => `d${c.fn}/d(arg ${c.argnums![j]})[${i}]`, g, c.grad![j]!, t.grad))).toEqual([])
      })
    }
  }
})
