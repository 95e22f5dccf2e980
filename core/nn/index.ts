/** `nn`: activation functions and friends (JAX's `jax.nn`), attention, and `nn.initializers`. */
export * from "./activations.js"
export * from "./hard.js"
export * from "./smooth.js"
export * from "./reductions.js"
export * from "./attention.js"
// jax.nn.logsumexp is jax.scipy.special.logsumexp (with b, where and returnSign).
export { logsumexp, type LogsumexpOptions } from "../scipy/special/logsumexp.js"
export * as initializers from "./initializers/index.js"
