/**
 * `scipy.stats` (JAX's `jax.scipy.stats`): one namespace per distribution with its log-density
 * (or log-mass), density, CDF, survival function and quantiles where JAX has them. Parameters with
 * defaults (loc, scale) come last, positionally or as an options object:
 * `scipy.stats.norm.logpdf(x, 0, 2)` or `scipy.stats.norm.logpdf(x, { scale: 2 })`.
 */
export type { Loc, LocScale } from "./common.js"
export * as bernoulli from "./bernoulli.js"
export * as beta from "./beta.js"
export * as betabinom from "./betabinom.js"
export * as binom from "./binom.js"
export * as cauchy from "./cauchy.js"
export * as chi2 from "./chi2.js"
export * as dirichlet from "./dirichlet.js"
export * as expon from "./expon.js"
export * as gamma from "./gamma.js"
export * as gennorm from "./gennorm.js"
export * as geom from "./geom.js"
export * as gumbelL from "./gumbel-l.js"
export * as gumbelR from "./gumbel-r.js"
export * as laplace from "./laplace.js"
export * as logistic from "./logistic.js"
export * as multinomial from "./multinomial.js"
export * as multivariateNormal from "./multivariate-normal.js"
export * as nbinom from "./nbinom.js"
export * as norm from "./norm.js"
export * as pareto from "./pareto.js"
export * as poisson from "./poisson.js"
export * as t from "./t.js"
export * as truncnorm from "./truncnorm.js"
export * as uniform from "./uniform.js"
export * as vonmises from "./vonmises.js"
export * as wrapcauchy from "./wrapcauchy.js"
