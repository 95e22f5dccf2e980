/**
 * The JAX 101 snippets the playground offers, as JavaScript the page runs (editable there). Each
 * prints with `await print(x)`, which reads the array from any device and shows it as Python's
 * `print` would (and may draw with `await plot(title, series)`); golden/jax101_printed.py records what JAX prints for the same code.
 */

/** A snippet: an id (the golden case), its chapter, a title and its code. */
export interface Snippet {
  readonly id: string
  readonly chapter: string
  readonly title: string
  readonly code: string
}

/**
 * The snippets, in chapter order.
 *
 * @example
 * const first = chapters[0]!  // { id: "arange", chapter: "JAX As Accelerated NumPy", ... }
 */
export const chapters: ReadonlyArray<Snippet> = [
  {
    id: "arange",
    chapter: "JAX As Accelerated NumPy",
    title: "x = jnp.arange(10); print(x)",
    code: "const x = np.arange(10)\nawait print(x)\n"
  },
  {
    id: "grad",
    chapter: "JAX As Accelerated NumPy",
    title: "jax.grad of a sum of squares",
    code: [
      "const sumOfSquares = (x) => np.sum(x.pow(2))",
      'const x = np.asarray([1, 2, 3, 4], { dtype: "float32" })',
      "await print(sumOfSquares(x))",
      "await print(grad(sumOfSquares)(x))",
      ""
    ].join("\n")
  },
  {
    id: "squared-error",
    chapter: "JAX As Accelerated NumPy",
    title: "jax.grad and jax.value_and_grad of a squared error",
    code: [
      "const sumSquaredError = (x, y) => np.sum(x.sub(y).pow(2))",
      'const x = np.asarray([1, 2, 3, 4], { dtype: "float32" })',
      "const y = np.asarray([1.1, 2.1, 3.1, 4.1])",
      "await print(grad(sumSquaredError)(x, y))",
      "const [value, dx] = valueAndGrad(sumSquaredError)(x, y)",
      "await print(value)",
      ""
    ].join("\n")
  },
  {
    id: "linear-regression",
    chapter: "JAX As Accelerated NumPy",
    title: "your first JAX training loop, plotted",
    code: [
      "const xs = np.linspace(-1, 1, 101)",
      "const ys = xs.mul(3).sub(1).add(np.sin(xs.mul(13)).mul(0.1))",
      "const model = (theta, x) => theta.index(0).mul(x).add(theta.index(1))",
      "const loss = (theta, x, y) => np.mean(model(theta, x).sub(y).pow(2))",
      "const update = jit((theta, x, y) => theta.sub(grad(loss)(theta, x, y).mul(0.1)))",
      'let theta = np.array([1, 1], { dtype: "float32" })',
      "for (let i = 0; i < 1000; i++) theta = update(theta, xs, ys)",
      "await print(np.round(theta, 3))",
      'await plot("linear regression", [',
      '  { kind: "scatter", xs, ys, label: "data" },',
      '  { kind: "line", xs, ys: model(theta, xs), label: "fit" }',
      "])",
      ""
    ].join("\n")
  },
  {
    id: "jit-selu",
    chapter: "Just In Time Compilation",
    title: "jax.jit(selu)",
    code: [
      "const selu = (x, alpha = 1.67, lambda = 1.05) =>",
      "  np.where(x.gt(0), x, np.exp(x).mul(alpha).sub(alpha)).mul(lambda)",
      'await print(jit(selu)(np.arange(-2, 3, 1, { dtype: "float32" })))',
      ""
    ].join("\n")
  }
]
