import { describe, expect, it } from "vitest"
import { np, scipy, ValueError } from "../../index.js"
import { type BogusCall, checkNamespace, type NoOptions, type OptionsTable } from "../test-helpers.js"

const x = np.array([0.25, 0.5], { dtype: "float32" })
const k = np.array([0, 1], { dtype: "float32" })
const S = scipy.stats
/** The distributions (namespaces); rankdata, sem and mode are functions, checked apart. */
type StatsFunctionName = "rankdata" | "sem" | "mode"
type Stats = Omit<typeof S, StatsFunctionName>

describe("an unknown option of scipy is a ValueError naming the function, the valid keys and the closest one", () => {
  it("scipy.special", () => {
    expect(() => scipy.special.logsumexp(x, { axes: 0 } as never)).toThrow(
      'scipy.special.logsumexp: unknown option "axes" (did you mean "axis"?); the options are axis, b, keepdims, returnSign, where.'
    )
    expect(() => scipy.special.softmax(x, { axes: 0 } as never)).toThrow(/scipy\.special\.softmax: unknown option "axes" \(did you mean "axis"\?\)/)
    expect(() => scipy.special.logNdtr(x, { order: 3 } as never)).toThrow(/scipy\.special\.logNdtr: unknown option "order"; the options are seriesOrder\./)
    expect(() => scipy.special.comb(5, 2, { repetitions: true } as never)).toThrow(
      /scipy\.special\.comb: unknown option "repetitions" \(did you mean "repetition"\?\)/
    )
  })

  it("scipy.stats: the options { loc, scale } in place of loc", () => {
    expect(() => S.norm.logpdf(x, { locc: 1 } as never)).toThrow(
      'scipy.stats.norm.logpdf: unknown option "locc" (did you mean "loc"?); the options are loc, scale.'
    )
    expect(() => S.poisson.pmf(k, 2, { scale: 2 } as never)).toThrow(/scipy\.stats\.poisson\.pmf: unknown option "scale"; the options are loc\./)
    expect(() => S.multivariateNormal.logpdf(x, x, np.eye(2), { allow_singular: null } as never)).toThrow(
      /scipy\.stats\.multivariateNormal\.logpdf: unknown option "allow_singular" \(did you mean "allowSingular"\?\)/
    )
  })

  it("scipy.stats: scale given both positionally and in the options is refused, not ignored", () => {
    expect(() => S.norm.cdf(x, { loc: 1 }, 2)).toThrow(ValueError)
    expect(() => S.norm.cdf(x, { loc: 1 }, 2)).toThrow(/scipy\.stats\.norm\.cdf: scale is given both positionally and with the options/)
  })

  it("positional loc and scale (numbers or Arrays) are not options", () => {
    // Against the options form, which the reference below fixes: N(1, 2) at 0.5 is -1.6433357 (float64).
    const byOptions = S.norm.logpdf(np.array(0.5), { loc: 1, scale: 2 }).item()
    expect(byOptions).toBeCloseTo(-0.5 * Math.log(2 * Math.PI) - Math.log(2) - 0.25 ** 2 / 2, 5)
    expect(S.norm.logpdf(np.array(0.5), 1, 2).item()).toBe(byOptions)
    expect(S.norm.logpdf(np.array(0.5), np.array(1), np.array(2)).item()).toBe(byOptions)
  })
})

// ---------------------------------------------------------------------------------------------
// Coverage: every export is classified; every one that takes options checks them.

/** The calls of `names` with the operands `lead` and then the options. */
const calls = <NS, K extends keyof NS & string>(ns: NS, names: ReadonlyArray<K>, ...lead: ReadonlyArray<unknown>): Record<K, BogusCall> =>
  Object.fromEntries(names.map((n) => [n, (o: never) => (ns[n] as (...a: ReadonlyArray<unknown>) => unknown)(...lead, o)])) as Record<K, BogusCall>

const special = scipy.special
const specialTable: OptionsTable<typeof special> = {
  ...calls(special, ["logsumexp", "softmax", "logSoftmax", "logNdtr", "factorial"], x),
  comb: (o) => special.comb(5, 2, o)
}
const specialNone: NoOptions<typeof special> = [
  "beta",
  "betaln",
  "digamma",
  "gamma",
  "gammaln",
  "gammasgn",
  "loggamma",
  "multigammaln",
  "poch",
  "polygamma",
  "zeta",
  "gammainc",
  "gammaincc",
  "betainc",
  "erf",
  "erfc",
  "erfcx",
  "erfinv",
  "ndtr",
  "ndtri",
  "i0",
  "i0e",
  "i1",
  "i1e",
  "boxcox",
  "boxcox1p",
  "entr",
  "expit",
  "klDiv",
  "logit",
  "relEntr",
  "xlog1py",
  "xlogy",
  "bernoulli"
]

const continuous = ["logpdf", "pdf", "cdf", "sf", "logcdf", "logsf"] as const
const withQuantiles = [...continuous, "ppf", "isf"] as const
const statsTables: { readonly [D in keyof Stats]: readonly [OptionsTable<Stats[D]>, NoOptions<Stats[D]>] } = {
  bernoulli: [calls(S.bernoulli, ["logpmf", "pmf"], k, 0.5), ["cdf", "ppf"]],
  beta: [calls(S.beta, continuous, x, 2, 3), []],
  betabinom: [calls(S.betabinom, ["logpmf", "pmf"], k, 4, 2, 3), []],
  binom: [calls(S.binom, ["logpmf", "pmf"], k, 4, 0.5), []],
  cauchy: [calls(S.cauchy, withQuantiles, x), []],
  chi2: [calls(S.chi2, continuous, x, 3), []],
  dirichlet: [{}, ["logpdf", "pdf"]],
  expon: [calls(S.expon, [...continuous, "ppf"], x), []],
  gamma: [calls(S.gamma, continuous, x, 2), []],
  gennorm: [{}, ["logpdf", "pdf", "cdf"]],
  geom: [calls(S.geom, ["logpmf", "pmf"], k, 0.5), []],
  gumbelL: [calls(S.gumbelL, [...continuous, "ppf"], x), []],
  gumbelR: [calls(S.gumbelR, [...continuous, "ppf"], x), []],
  laplace: [calls(S.laplace, ["logpdf", "pdf", "cdf"], x), []],
  logistic: [calls(S.logistic, ["logpdf", "pdf", "cdf", "sf", "ppf", "isf"], x), []],
  multinomial: [{}, ["logpmf", "pmf"]],
  // JAX's multivariate_normal.pdf takes allow_singular too; jaxfx's pdf takes no options (see its logpdf).
  multivariateNormal: [{ logpdf: (o) => S.multivariateNormal.logpdf(x, x, np.eye(2), o) }, ["pdf"]],
  nbinom: [calls(S.nbinom, ["logpmf", "pmf"], k, 3, 0.5), []],
  norm: [calls(S.norm, withQuantiles, x), []],
  pareto: [calls(S.pareto, [...continuous, "ppf"], x, 2), []],
  poisson: [{ ...calls(S.poisson, ["logpmf", "pmf", "cdf"], k, 2), entropy: (o) => S.poisson.entropy(2, o) }, []],
  t: [calls(S.t, ["logpdf", "pdf"], x, 3), []],
  truncnorm: [calls(S.truncnorm, continuous, x, -1, 1), []],
  uniform: [calls(S.uniform, ["logpdf", "pdf", "cdf", "ppf"], x), []],
  vonmises: [{}, ["logpdf", "pdf"]],
  wrapcauchy: [{}, ["logpdf", "pdf"]]
}

const SL = scipy.linalg
const m2 = np.array(
  [
    [2, 1],
    [1, 3]
  ],
  { dtype: "float32" }
)
const linalgTable: OptionsTable<typeof SL> = {
  solveTriangular: (o) => SL.solveTriangular(m2, x, o),
  choFactor: (o) => SL.choFactor(m2, o),
  luSolve: (o) => SL.luSolve(SL.luFactor(m2), x, o),
  qr: (o) => SL.qr(m2, o),
  schur: (o) => SL.schur(m2, o),
  cholesky: (o) => SL.cholesky(m2, o),
  eigh: (o) => SL.eigh(m2, o),
  lu: (o) => SL.lu(m2, o),
  svd: (o) => SL.svd(m2, o),
  solve: (o) => SL.solve(m2, x, o),
  polar: (o) => SL.polar(m2, o),
  dft: (o) => SL.dft(2, o),
  hadamard: (o) => SL.hadamard(2, o),
  helmert: (o) => SL.helmert(2, o)
}
const linalgNone: NoOptions<typeof SL> = [
  "choSolve",
  "luFactor",
  "expm",
  "blockDiag",
  "det",
  "inv",
  "circulant",
  "companion",
  "convolutionMatrix",
  "fiedler",
  "fiedlerCompanion",
  "hankel",
  "hilbert",
  "invhilbert",
  "invpascal",
  "leslie",
  "pascal",
  "toeplitz"
]
const statsFunctions = { rankdata: S.rankdata, sem: S.sem, mode: S.mode }
const statsFunctionsTable: OptionsTable<typeof statsFunctions> = calls(statsFunctions, ["rankdata", "sem", "mode"], x)

describe("every function of scipy that takes options checks them (an export missing from both lists fails)", () => {
  it("scipy.special", () => checkNamespace("scipy.special.", special, specialTable, specialNone))
  it("scipy.linalg", () => checkNamespace("scipy.linalg.", SL, linalgTable, linalgNone))

  it("scipy.stats's functions", () => checkNamespace("scipy.stats.", statsFunctions, statsFunctionsTable, []))
  it("scipy.stats, every distribution", async () => {
    expect(
      Object.keys(S).filter((d) => !Object.hasOwn(statsTables, d) && !Object.hasOwn(statsFunctions, d)),
      "distributions without a table"
    ).toEqual([])
    for (const [d, [table, none]] of Object.entries(statsTables)) {
      await checkNamespace(`scipy.stats.${d}.`, S[d as keyof Stats], table, none as ReadonlyArray<string>)
    }
  })
})
