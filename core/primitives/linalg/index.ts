/** The linear-algebra primitives (JAX's lax.linalg). */
export * from "./cholesky.js"
export * from "./eig.js"
export * from "./eigh.js"
export * from "./lu.js"
export * from "./qr.js"
export * from "./svd.js"
export * from "./triangular-solve.js"
export * from "./tridiagonal-solve.js"
