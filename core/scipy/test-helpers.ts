/**
 * For the tests of scipy.special and scipy.stats: comparison of jaxfx results with the golden
 * files of golden/scipy_special.py and golden/scipy_stats.py (JAX's float32 value, a float64
 * reference at the same inputs, tolerances |got - want| <= atol + rtol |want|), and the jaxfx
 * calls that the special-function cases name.
 */
import { Array } from "../array.js"
import type { DType } from "../dtype.js"
import { asArray } from "../numpy/coerce.js"
import { reshape } from "../numpy/shape.js"
import { type GoldenArray, goldenValues } from "../../golden/load.js"
import * as lax from "../lax/index.js"
import * as special from "./special/index.js"

export interface Tol {
  readonly rtol: number
  readonly atol: number
}

/** A golden array as a jaxfx array (its own dtype, or `dtype`). */
export const fromGolden = (g: GoldenArray, dtype?: DType): Array => {
  const d = dtype ?? (g.dtype as DType)
  const values = goldenValues(g)
  return reshape(asArray(d === "bool" ? values.map((v) => v !== 0) : values, d), [...g.shape])
}

export const close = (got: number, want: number, t: Tol): boolean => {
  if (Number.isNaN(want)) return Number.isNaN(got)
  if (!Number.isFinite(want)) return got === want
  return Number.isFinite(got) && Math.abs(got - want) <= t.atol + t.rtol * Math.abs(want)
}

/**
 * The elements of a float32 result that fail: each must be within `ref` of the reference
 * (rounded to float32), or, where JAX's own value is not (JAX's error, or another convention at
 * a pole), within `jax` of JAX's value. Returns messages, and per element whether JAX's value
 * agrees with the reference (within `jax`), for the float64 check.
 */
export const checkFloat32 = (
  label: (i: number) => string,
  got: Array,
  want: GoldenArray,
  ref: GoldenArray,
  tol: { readonly ref: Tol; readonly jax: Tol }
): { readonly failures: string[]; readonly jaxAgrees: boolean[] } => {
  const failures: string[] = []
  if (got.dtype !== want.dtype || got.shape.join(",") !== want.shape.join(",")) {
    return { failures: [`${label(0)}: got ${got.dtype}[${got.shape.join(", ")}], JAX ${want.dtype}[${want.shape.join(", ")}]`], jaxAgrees: [] }
  }
  const gv = [...got.data()]
  const jv = goldenValues(want)
  const exact = goldenValues(ref)
  const rv = exact.map(Math.fround)
  gv.forEach((v, i) => {
    const jaxOffRef = !close(jv[i]!, rv[i]!, tol.ref)
    if (!(close(v, rv[i]!, tol.ref) || (jaxOffRef && close(v, jv[i]!, tol.jax)))) {
      failures.push(`${label(i)}: got ${v}, JAX ${jv[i]}, reference ${exact[i]}`)
    }
  })
  return { failures, jaxAgrees: jv.map((j, i) => close(j, rv[i]!, tol.jax)) }
}

/** The elements of a float64 result off the reference, where JAX's float32 value agrees with it. */
export const checkFloat64 = (label: (i: number) => string, got: Array, ref: GoldenArray, jaxAgrees: ReadonlyArray<boolean>, tol: Tol): string[] => {
  const rv = goldenValues(ref)
  const failures: string[] = []
  ;[...got.data()].forEach((v, i) => {
    if (jaxAgrees[i] === true && !close(v, rv[i]!, tol)) failures.push(`${label(i)} in float64: got ${v}, reference ${rv[i]}`)
  })
  return failures
}

/** The elements of a gradient off JAX's. */
export const checkGradient = (label: (i: number) => string, got: Array, want: GoldenArray, tol: Tol): string[] => {
  const wv = goldenValues(want)
  const failures: string[] = []
  ;[...got.data()].forEach((v, i) => {
    if (!close(v, wv[i]!, tol)) failures.push(`${label(i)}: got ${v}, JAX ${wv[i]}`)
  })
  return failures
}

// ---------------------------------------------------------------------------------------------
// The special-function cases as jaxfx calls (JAX names, camelCase, options objects)

/** A case's options as the generator wrote them ("b": 1 / "where": 1 mark the second argument). */
export interface CaseOptions {
  readonly axis?: number | ReadonlyArray<number>
  readonly keepdims?: boolean
  readonly returnSign?: boolean
  readonly b?: number
  readonly where?: number
  readonly repetition?: boolean
  readonly d?: number
  readonly n?: number
}

type Call = (args: ReadonlyArray<Array>, o: CaseOptions) => Array | ReadonlyArray<Array>

const unary =
  (f: (x: Array) => Array): Call =>
  ([x]) =>
    f(x!)
const binary =
  (f: (x: Array, y: Array) => Array): Call =>
  ([x, y]) =>
    f(x!, y!)

export const calls: Readonly<Record<string, Call>> = {
  gammaln: unary(special.gammaln),
  digamma: unary(special.digamma),
  loggamma: unary(special.loggamma),
  gammasgn: unary(special.gammasgn),
  gamma: unary(special.gamma),
  polygamma: binary(special.polygamma),
  zeta: binary(special.zeta),
  betaln: binary(special.betaln),
  beta: binary(special.beta),
  factorial: unary(special.factorial),
  comb: ([n, k], o) => special.comb(n!, k!, { repetition: o.repetition }),
  poch: binary(special.poch),
  multigammaln: ([a], o) => special.multigammaln(a!, o.d!),
  gammainc: binary(special.gammainc),
  gammaincc: binary(special.gammaincc),
  igammaGradA: binary(lax.igammaGradA),
  randomGammaGrad: binary(lax.randomGammaGrad),
  betainc: ([a, b, x]) => special.betainc(a!, b!, x!),
  erf: unary(special.erf),
  erfc: unary(special.erfc),
  erfcx: unary(special.erfcx),
  erfinv: unary(special.erfinv),
  ndtr: unary(special.ndtr),
  logNdtr: unary((x) => special.logNdtr(x)),
  ndtri: unary(special.ndtri),
  i0e: unary(special.i0e),
  i1e: unary(special.i1e),
  i0: unary(special.i0),
  i1: unary(special.i1),
  xlogy: binary(special.xlogy),
  xlog1py: binary(special.xlog1py),
  entr: unary(special.entr),
  relEntr: binary(special.relEntr),
  klDiv: binary(special.klDiv),
  logit: unary(special.logit),
  expit: unary(special.expit),
  boxcox: binary(special.boxcox),
  boxcox1p: binary(special.boxcox1p),
  logsumexp: ([a, second], o) =>
    special.logsumexp(a!, {
      axis: o.axis,
      keepdims: o.keepdims,
      returnSign: o.returnSign,
      b: o.b === 1 ? second : undefined,
      where: o.where === 1 ? second : undefined
    }),
  softmax: ([x], o) => special.softmax(x!, { axis: o.axis }),
  logSoftmax: ([x], o) => special.logSoftmax(x!, { axis: o.axis }),
  bernoulli: (_args, o) => special.bernoulli(o.n!),
  "lax.lgamma": unary(lax.lgamma),
  "lax.digamma": unary(lax.digamma),
  "lax.polygamma": binary(lax.polygamma),
  "lax.zeta": binary(lax.zeta),
  "lax.igamma": binary(lax.igamma),
  "lax.igammac": binary(lax.igammac),
  "lax.igammaGradA": binary(lax.igammaGradA),
  "lax.randomGammaGrad": binary(lax.randomGammaGrad),
  "lax.betainc": ([a, b, x]) => lax.betainc(a!, b!, x!),
  "lax.erfc": unary(lax.erfc),
  "lax.besselI0e": unary(lax.besselI0e),
  "lax.besselI1e": unary(lax.besselI1e)
}
