/** `scipy` (JAX's `jax.scipy`): `scipy.special`. */
export * as special from "./special/index.js"
