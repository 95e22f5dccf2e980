/** `np.linalg` (JAX's jax.numpy.linalg): decompositions, solvers, norms and products, batched over leading dimensions. */
export * from "./decompositions.js"
export * from "./norms.js"
export * from "./products.js"
export * from "./solve.js"
