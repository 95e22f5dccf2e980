/** `np.fft` (JAX's jax.numpy.fft): discrete Fourier transforms, sample frequencies and shifts. */
export * from "./freq.js"
export * from "./transforms.js"
