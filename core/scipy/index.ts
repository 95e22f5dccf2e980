/** `scipy` (JAX's `jax.scipy`): `scipy.special`, `scipy.stats` and `scipy.linalg`. */
export * as special from "./special/index.js"
export * as stats from "./stats/index.js"
export * as linalg from "./linalg/index.js"
