/** `nn`: activation functions and friends (JAX's `jax.nn`). */
export * from "./activations.js"
