/**
 * `scipy.special` (JAX's `jax.scipy.special`): gamma, beta and zeta functions, incomplete gamma
 * and beta functions, error functions and the normal distribution function, Bessel functions,
 * entropies and log-space reductions. Every function promotes integers to float32 and broadcasts
 * its operands like `np`, and differentiates as JAX does (most through closed-form customJvp
 * rules rather than through their approximations). Keyword arguments are a last options object:
 * `scipy.special.logsumexp(x, { axis: 0, b: w, returnSign: true })`.
 */
export { beta, betaln, comb, digamma, factorial, gamma, gammaln, gammasgn, loggamma, multigammaln, poch, polygamma } from "./gamma.js"
export type { CombOptions, FactorialOptions } from "./gamma.js"
export { zeta } from "./zeta.js"
export { gammainc, gammaincc } from "./igamma.js"
export { betainc } from "./betainc.js"
export { erf, erfc, erfcx, erfinv } from "./erf.js"
export { logNdtr, ndtr, ndtri } from "./ndtr.js"
export type { LogNdtrOptions } from "./ndtr.js"
export { i0, i0e, i1, i1e } from "./bessel.js"
export { boxcox, boxcox1p, entr, expit, klDiv, logit, relEntr, xlog1py, xlogy } from "./entropy.js"
export { logSoftmax, logsumexp, softmax } from "./logsumexp.js"
export type { LogsumexpOptions, SoftmaxOptions } from "./logsumexp.js"
export { bernoulli } from "./bernoulli.js"
