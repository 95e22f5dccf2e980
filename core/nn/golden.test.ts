/**
 * jax.nn's functions against real JAX (golden/nn_functions.py, float32): values of every
 * activation on a grid through their kinks and at NaN/±inf, their derivatives there (JAX's
 * conventions at the kinks: relu6' = 0 at 0 and 6, hard_tanh' = 1 at ±1, ...), glu, logsumexp,
 * logmeanexp, standardize and dotProductAttention (masks, bias, causal, local windows, sequence
 * lengths, grouped-query heads, residuals) with gradients of sum(f * w) for a random cotangent w.
 * Tolerances |got - want| <= atol + rtol |want| allow a few float32 roundings: JAX (XLA) and jaxfx
 * may sum in different orders and fuse operations differently.
 */
import { describe, expect, it } from "vitest"
import { type Array, grad, nn, np, vmap } from "../../index.js"
import { type GoldenArray, goldenValues, loadGolden } from "../../golden/load.js"
import { close, fromGolden, type Tol } from "../scipy/test-helpers.js"

interface Case {
  readonly fn: string
  readonly label?: string
  readonly args: ReadonlyArray<GoldenArray>
  readonly options: Readonly<Record<string, unknown>>
  readonly out: GoldenArray | ReadonlyArray<GoldenArray>
  readonly elementGrad?: GoldenArray
  readonly gradAt?: GoldenArray
  readonly argnums?: ReadonlyArray<number>
  readonly cotangent?: GoldenArray
  readonly grad?: ReadonlyArray<GoldenArray>
}

const golden = loadGolden<Case>("nn_functions")

const isGolden = (v: unknown): v is GoldenArray => typeof v === "object" && v !== null && "dtype" in v && "data" in v
/** Options as jaxfx takes them: golden arrays decoded, the generator's bookkeeping dropped. */
const decodeOptions = (o: Readonly<Record<string, unknown>>): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(o)
      .filter(([k]) => k !== "arrayOptions")
      .map(([k, v]) => [k, isGolden(v) ? fromGolden(v) : v])
  )

type Fn = (args: ReadonlyArray<Array>, o: Record<string, unknown>, c: Case) => Array | readonly [Array, Array]

const unary =
  (f: (x: Array) => Array): Fn =>
  ([x]) =>
    f(x!)

const CALLS: Readonly<Record<string, Fn>> = {
  celu: ([x], o) => nn.celu(x!, o.alpha as number | undefined),
  mish: unary(nn.mish),
  softSign: unary(nn.softSign),
  squareplus: ([x], o) => nn.squareplus(x!, o.b as number | undefined),
  hardTanh: unary(nn.hardTanh),
  hardSigmoid: unary(nn.hardSigmoid),
  hardSilu: unary(nn.hardSilu),
  hardSwish: unary(nn.hardSwish),
  sparsePlus: unary(nn.sparsePlus),
  sparseSigmoid: unary(nn.sparseSigmoid),
  relu6: unary(nn.relu6),
  relu: unary(nn.relu),
  gelu: ([x], o) => nn.gelu(x!, o),
  silu: unary(nn.silu),
  identity: unary(nn.identity),
  tanh: unary(nn.tanh),
  elu: unary((x) => nn.elu(x)),
  selu: unary(nn.selu),
  softplus: unary(nn.softplus),
  sigmoid: unary(nn.sigmoid),
  logSigmoid: unary(nn.logSigmoid),
  log1mexp: unary(nn.log1mexp),
  glu: ([x], o) => nn.glu(x!, o),
  logsumexp: ([x], o) => nn.logsumexp(x!, o),
  logmeanexp: ([x], o) => nn.logmeanexp(x!, o),
  standardize: ([x, mean, variance], o) => nn.standardize(x!, { ...o, ...(mean === undefined ? {} : { mean, variance }) }),
  dotProductAttention: ([q, k, v, ...extra], o, c) => {
    const names = (c.options.arrayOptions ?? []) as ReadonlyArray<string>
    const arrays = Object.fromEntries(names.map((n, i) => [n, extra[i]]))
    return nn.dotProductAttention(q!, k!, v!, { ...o, ...arrays })
  }
}

/** Value tolerances by function (default: a couple of float32 roundings). */
const VALUE_TOL: Readonly<Record<string, Tol>> = {
  // the tanh form's 1 + tanh(...) for x <= -3 amplifies a one-ulp difference between XLA's tanh and
  // jaxfx's (1e-7 absolute, up to 3e-5 relative)
  gelu: { rtol: 1e-6, atol: 1e-7 },
  // the erfc form keeps a relative accuracy in the far negative tail
  "gelu exact": { rtol: 2e-6, atol: 1e-30 },
  dotProductAttention: { rtol: 1e-5, atol: 1e-6 },
  standardize: { rtol: 1e-5, atol: 1e-6 },
  logmeanexp: { rtol: 1e-6, atol: 1e-6 },
  logsumexp: { rtol: 1e-6, atol: 1e-6 }
}
const DEFAULT_TOL: Tol = { rtol: 4e-7, atol: 1e-30 }
const GRAD_TOL: Tol = { rtol: 2e-5, atol: 2e-6 }

const mismatches = (label: string, got: Array, want: GoldenArray, t: Tol): string[] => {
  if (got.dtype !== want.dtype || got.shape.join(",") !== want.shape.join(",")) {
    return [`${label}: got ${got.dtype}[${got.shape.join(", ")}], JAX ${want.dtype}[${want.shape.join(", ")}]`]
  }
  const w = goldenValues(want)
  return [...got.data()].flatMap((g, i) => (close(Number(g), w[i]!, t) ? [] : [`${label}[${i}]: got ${g}, JAX ${w[i]}`]))
}

const caseName = (c: Case, i: number): string => `${i}: ${c.fn}${c.label === undefined ? "" : ` (${c.label})`} ${JSON.stringify(c.options)}`

describe("nn functions equal JAX's (golden/nn_functions.py)", () => {
  golden.cases.forEach((c, i) => {
    const call = CALLS[c.fn]
    it(caseName(c, i), () => {
      expect(call, `no jaxfx call for ${c.fn}`).toBeDefined()
      const args = c.args.map((a) => fromGolden(a))
      const o = decodeOptions(c.options)
      const out = call!(args, o, c)
      const tol = VALUE_TOL[c.fn === "gelu" && c.options.approximate === false ? "gelu exact" : c.fn] ?? DEFAULT_TOL
      const failures: string[] = []
      if (globalThis.Array.isArray(c.out)) {
        const outs = out as readonly [Array, Array]
        ;(c.out as ReadonlyArray<GoldenArray>).forEach((w, j) => failures.push(...mismatches(`out ${j}`, outs[j]!, w, tol)))
      } else {
        failures.push(...mismatches("out", out as Array, c.out as GoldenArray, tol))
      }
      if (c.elementGrad !== undefined) {
        const at = fromGolden(c.gradAt!)
        const g = vmap(grad((x: Array) => call!([x], o, c) as Array))(at)
        failures.push(...mismatches("derivative", g, c.elementGrad, GRAD_TOL))
      }
      if (c.grad !== undefined) {
        const w = fromGolden(c.cotangent!)
        const argnums = c.argnums!
        const total = (...xs: Array[]): Array => {
          const o2 = call!(xs, o, c)
          return np.sum(np.multiply(globalThis.Array.isArray(o2) ? (o2 as readonly [Array, Array])[0] : (o2 as Array), w))
        }
        const gs = grad(total, { argnums: [...argnums] })(...args) as unknown as Array[]
        c.grad.forEach((want, j) => failures.push(...mismatches(`grad ${argnums[j]}`, gs[j]!, want, GRAD_TOL)))
      }
      expect(failures).toEqual([])
    })
  })
})
