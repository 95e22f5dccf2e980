/** `scipy` (JAX's `jax.scipy`): `scipy.special` and `scipy.stats`. */
export * as special from "./special/index.js"
export * as stats from "./stats/index.js"
