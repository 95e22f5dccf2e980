/**
 * scipy.special and lax's special functions against real JAX (golden/scipy_special.py): float32
 * results, float64 results and gradients, over ordinary values, edges (0, -0, negatives, NaN,
 * inf, tiny and huge) and broadcasting.
 *
 * Each case also carries a float64 reference at the same inputs (SciPy's where it has the
 * function). An element passes when it is within `ref` of the reference; where JAX's own float32
 * value is not (JAX's error, or a different convention at a pole), being within `jax` of JAX's
 * value is enough. Tolerances are |got - want| <= atol + rtol |want|.
 */
import { describe, expect, it } from "vitest"
import { Array, grad, np } from "../../../index.js"
import { type GoldenArray, loadGolden } from "../../../golden/load.js"
import { calls, type CaseOptions, checkFloat32, checkFloat64, checkGradient, fromGolden, type Tol } from "../test-helpers.js"

interface Case {
  readonly fn: string
  readonly args: ReadonlyArray<GoldenArray>
  readonly options: CaseOptions
  readonly out: GoldenArray | ReadonlyArray<GoldenArray>
  readonly refArgs: ReadonlyArray<GoldenArray>
  readonly ref: GoldenArray | ReadonlyArray<GoldenArray>
  readonly gradArgs?: ReadonlyArray<GoldenArray>
  readonly argnums?: ReadonlyArray<number>
  readonly grad?: ReadonlyArray<GoldenArray>
}

interface FnTol {
  /** float32 against the float64 reference */
  readonly ref: Tol
  /** float32 against JAX's float32 where JAX is off the reference */
  readonly jax: Tol
  /** float64 against the reference */
  readonly f64: Tol
  /** float32 gradients against JAX's */
  readonly grad: Tol
}

const base: FnTol = {
  ref: { rtol: 2e-6, atol: 1e-7 },
  jax: { rtol: 1e-4, atol: 1e-6 },
  f64: { rtol: 1e-13, atol: 1e-15 },
  grad: { rtol: 1e-4, atol: 1e-6 }
}
const tol = (o: { readonly ref?: Partial<Tol>; readonly jax?: Partial<Tol>; readonly f64?: Partial<Tol>; readonly grad?: Partial<Tol> }): FnTol => ({
  ref: { ...base.ref, ...o.ref },
  jax: { ...base.jax, ...o.jax },
  f64: { ...base.f64, ...o.f64 },
  grad: { ...base.grad, ...o.grad }
})

/** Tolerances by function: tighter than JAX's own tests (rtol 1e-3 against SciPy). */
const TOLERANCES: Readonly<Record<string, FnTol>> = {
  // near the zeros of lgamma and digamma only an absolute error is meaningful
  gammaln: tol({ ref: { atol: 1e-6 } }),
  loggamma: tol({ ref: { atol: 1e-6 } }),
  digamma: tol({ ref: { atol: 1e-6 } }),
  "lax.lgamma": tol({ ref: { atol: 1e-6 } }),
  "lax.digamma": tol({ ref: { atol: 1e-6 } }),
  // exp(lgamma) turns lgamma's absolute error into a relative one
  gamma: tol({ ref: { rtol: 1e-5 } }),
  factorial: tol({ ref: { rtol: 1e-5 } }),
  comb: tol({ ref: { rtol: 1e-5 } }),
  beta: tol({ ref: { rtol: 1e-5 } }),
  poch: tol({ ref: { rtol: 1e-5 } }),
  polygamma: tol({ ref: { rtol: 4e-6 } }),
  // the loops: float32 rounding accumulates over up to a few hundred steps (JAX's own float32
  // values are off by up to 3.4e-4 at a = 1000, where x^a e^-x / Γ(a) loses digits)
  gammainc: tol({ ref: { rtol: 5e-6, atol: 1e-7 }, f64: { rtol: 1e-11 } }),
  gammaincc: tol({ ref: { rtol: 5e-6, atol: 1e-7 }, f64: { rtol: 1e-11 } }),
  igammaGradA: tol({ ref: { rtol: 2e-5 }, f64: { rtol: 1e-11 } }),
  randomGammaGrad: tol({ ref: { rtol: 2e-5 }, f64: { rtol: 1e-11 } }),
  betainc: tol({ ref: { rtol: 1e-4 }, f64: { rtol: 1e-11 } }),
  // erfcx's float64 series is limited by SciPy's own float64 erfcx (about 1e-15)
  erfcx: tol({ f64: { rtol: 1e-14 } }),
  erfc: tol({ f64: { rtol: 1e-14 } }),
  ndtr: tol({ f64: { rtol: 1e-14 } }),
  logNdtr: tol({ f64: { rtol: 1e-14 } }),
  ndtri: tol({ f64: { rtol: 1e-14 } }),
  // SciPy's float64 betaln is off by up to 2e-10 relative for arguments near 1e6 (its expansion
  // there agrees with ours to 1e-16: betaln(0.5, 1e6) = -6.335390211057437)
  betaln: tol({ f64: { rtol: 5e-10 } }),
  klDiv: tol({ ref: { atol: 1e-6 } }),
  multigammaln: tol({ ref: { atol: 1e-6 } })
}

const file = loadGolden<Case>("scipy_special")

const list = <T>(x: T | ReadonlyArray<T>): ReadonlyArray<T> => (globalThis.Array.isArray(x) ? (x as ReadonlyArray<T>) : [x as T])
const outputs = (o: Array | ReadonlyArray<Array>): ReadonlyArray<Array> => (o instanceof Array ? [o] : o)

const labelOf = (c: Case, i: number): string => `${c.fn}(${c.args.map((a) => (a.data.length > i ? String(a.data[i]) : "..")).join(", ")})[${i}]`

describe("scipy.special against JAX (golden/scipy_special.json)", () => {
  const counts = new Map<string, number>()
  for (const c of file.cases) {
    const k = (counts.get(c.fn) ?? 0) + 1
    counts.set(c.fn, k)
    const t = TOLERANCES[c.fn] ?? base
    const call = calls[c.fn]
    it(`${c.fn} #${k}: float32 and float64 values`, () => {
      expect(call, `no jaxfx call for ${c.fn}`).toBeDefined()
      const got = outputs(
        call!(
          c.args.map((a) => fromGolden(a)),
          c.options
        )
      )
      const want = list(c.out)
      const ref = list(c.ref)
      expect(got.length).toBe(want.length)
      const label = (i: number): string => labelOf(c, i)
      const results = got.map((g, k) => checkFloat32(label, g, want[k]!, ref[k]!, t))
      expect(results.flatMap((r) => r.failures)).toEqual([])
      // float64: against the reference wherever JAX's float32 value agrees with it (no
      // difference of convention at that point)
      if (c.fn === "bernoulli") return
      const got64 = outputs(
        call!(
          c.refArgs.map((a) => fromGolden(a)),
          c.options
        )
      )
      expect(got64.map((g) => g.dtype)).toEqual(got64.map(() => "float64"))
      expect(got64.flatMap((g, k) => checkFloat64(label, g, ref[k]!, results[k]!.jaxAgrees, t.f64))).toEqual([])
    })
    if (c.grad !== undefined) {
      it(`${c.fn} #${k}: gradients`, () => {
        const args = c.gradArgs!.map((a) => fromGolden(a))
        const loss = (...xs: Array[]): Array => np.sum(outputs(call!(xs, c.options))[0]!)
        const gs = grad(loss, { argnums: [...c.argnums!] })(...args) as unknown as ReadonlyArray<Array>
        const failures = gs.flatMap((g, k) => checkGradient((i) => `d${c.fn}/d(arg ${c.argnums![k]})[${i}]`, g, c.grad![k]!, t.grad))
        expect(failures).toEqual([])
      })
    }
  }
})
