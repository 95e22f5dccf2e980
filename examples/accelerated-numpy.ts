/**
 * JAX 101, "JAX As Accelerated NumPy", cell by cell in jaxfx. Each cell prints jaxfx's result next
 * to what JAX printed in the tutorial. Run: `npm run demo`.
 *
 * One difference from Python: JS has no separate float literals, so `[1.0, 2.0]` is `[1, 2]` and
 * would be int32; pass `{ dtype: "float32" }` where Python wrote float literals.
 */
import { type Array, grad, np, NonScalarOutputError, valueAndGrad } from "../index.js"
import { hostNormals, mulberry32 } from "../laws/host-random.js"
import { savePlot } from "./plot.js"

const cell = (title: string, jaxPrinted: string, run: () => unknown): void => {
  console.log(`\n## ${title}`)
  const got = run()
  if (got !== undefined) console.log(`jaxfx: ${String(got)}`)
  console.log(`JAX:   ${jaxPrinted}`)
}

const show = (xs: ReadonlyArray<unknown>): string => `(${xs.map(String).join(",\n        ")})`

// --- Getting started with JAX numpy
const x0 = np.arange(10)
cell("x = jnp.arange(10); print(x)", "[0 1 2 3 4 5 6 7 8 9]", () => x0.str())
cell("x", "Array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], dtype=int32)", () => x0)

// --- A dot product (timed against peers in `npm run bench`)
const longVector = np.arange(1e7)
cell("jnp.dot(long_vector, long_vector)", "(timed in the tutorial) int32 like JAX: the exact sum of squares wrapped to 32 bits", () => {
  const t0 = performance.now()
  const d = np.dot(longVector, longVector).blockUntilReady()
  const ms = performance.now() - t0
  // Independent check: sum of i^2 for i < 1e7 is (n-1) n (2n-1) / 6, wrapped like int32 arithmetic.
  const n = 10_000_000n
  const exact = ((n - 1n) * n * (2n * n - 1n)) / 6n
  return `${d.toString()} in ${ms.toFixed(1)} ms; exact sum wrapped to int32: ${BigInt.asIntN(32, exact)}`
})
cell("jnp.dot on float32", "float32 rounding of the exact 3.3333328333335e20", () => {
  const v = longVector.astype("float32")
  return `${np.dot(v, v).toString()}; Math.fround(exact) = ${Math.fround(3.3333328333335e20)}`
})

// --- grad
const sumOfSquares = (x: Array): Array => np.sum(x.pow(2))
const sumOfSquaresDx = grad(sumOfSquares)
const x = np.asarray([1, 2, 3, 4], { dtype: "float32" })
cell("print(sum_of_squares(x))", "30.0", () => sumOfSquares(x).str())
cell("print(sum_of_squares_dx(x))", "[2. 4. 6. 8.]", () => sumOfSquaresDx(x).str())

const sumSquaredError = (x: Array, y: Array): Array => np.sum(x.sub(y).pow(2))
const sumSquaredErrorDx = grad(sumSquaredError)
const y = np.asarray([1.1, 2.1, 3.1, 4.1])
cell("print(sum_squared_error_dx(x, y))", "[-0.20000005 -0.19999981 -0.19999981 -0.19999981]", () => sumSquaredErrorDx(x, y).str())

cell(
  "jax.grad(sum_squared_error, argnums=(0, 1))(x, y)",
  "(Array([-0.20000005, -0.19999981, -0.19999981, -0.19999981], dtype=float32),\n        Array([0.20000005, 0.19999981, 0.19999981, 0.19999981], dtype=float32))",
  () => show(grad(sumSquaredError, { argnums: [0, 1] })(x, y))
)

cell(
  "jax.value_and_grad(sum_squared_error)(x, y)",
  "(Array(0.03999995, dtype=float32),\n        Array([-0.20000005, -0.19999981, -0.19999981, -0.19999981], dtype=float32))",
  () => show(valueAndGrad(sumSquaredError)(x, y))
)

// --- Auxiliary data
const squaredErrorWithAux = (x: Array, y: Array): [Array, Array] => [sumSquaredError(x, y), x.sub(y)]
cell("jax.grad(squared_error_with_aux)(x, y)", "TypeError: Gradient only defined for scalar-output functions.", () => {
  try {
    // The types reject this too: grad needs a scalar output unless hasAux is set.
    // @ts-expect-error a tuple-returning function without hasAux
    grad(squaredErrorWithAux)(x, y)
    return "no error (unexpected)"
  } catch (e) {
    return e instanceof NonScalarOutputError ? `${e._tag}: ${e.message}` : `unexpected ${String(e)}`
  }
})
cell(
  "jax.grad(squared_error_with_aux, has_aux=True)(x, y)",
  "(Array([-0.20000005, -0.19999981, -0.19999981, -0.19999981], dtype=float32),\n        Array([-0.10000002, -0.0999999 , -0.0999999 , -0.0999999 ], dtype=float32))",
  () => show(grad(squaredErrorWithAux, { hasAux: true })(x, y))
)

// --- Differences from NumPy: arrays are immutable
const inPlaceModify = (x: Array): void => {
  // @ts-expect-error jaxfx arrays have no index signature: assignment is a type error
  x[0] = 123
}
cell("in_place_modify(jnp.array(x))", "TypeError: ... JAX arrays are immutable ... use x.at[idx].set(y)", () => {
  try {
    inPlaceModify(np.array([1, 2, 3]))
    return "no error (unexpected)"
  } catch (e) {
    return `${(e as Error).name}: ${(e as Error).message}`
  }
})
const jaxInPlaceModify = (x: Array): Array => x.at(0).set(123)
const yy = np.array([1, 2, 3])
cell("jax_in_place_modify(y)", "Array([123,   2,   3], dtype=int32)", () => jaxInPlaceModify(yy))
cell("y", "Array([1, 2, 3], dtype=int32)", () => yy)

// --- Your first JAX training loop
// NumPy's global random state stands in as a seeded host-side generator (jaxfx's own keyed PRNG is `random`).
const uniform = mulberry32(30)
const xsHost = hostNormals(uniform, 100)
const noise = hostNormals(uniform, 100, 0.1)
const xs = np.asarray(xsHost, { dtype: "float32" })
const ys = xs
  .mul(3)
  .sub(1)
  .add(np.asarray(noise, { dtype: "float32" }))

const model = (theta: Array, x: Array): Array => {
  const [w, b] = [theta.index(0), theta.index(1)]
  return w.mul(x).add(b)
}
const lossFn = (theta: Array, x: Array, y: Array): Array => np.mean(model(theta, x).sub(y).pow(2))
const update = (theta: Array, x: Array, y: Array, lr = 0.1): Array => theta.sub(grad(lossFn)(theta, x, y).mul(lr))

let fitted: { readonly theta: Array; readonly ys: number[] } | undefined
cell('training loop: print(f"w: {w:<.2f}, b: {b:<.2f}")', "w: 3.00, b: -1.00", () => {
  let theta = np.array([1, 1], { dtype: "float32" })
  for (let i = 0; i < 1000; i++) theta = update(theta, xs, ys)
  const [w, b] = theta.toJs() as number[]
  // Independent check: the closed-form least-squares line through the same points, in float64.
  const ysHost = ys.toJs() as number[]
  const mx = xsHost.reduce((a, v) => a + v, 0) / xsHost.length
  const my = ysHost.reduce((a, v) => a + v, 0) / ysHost.length
  const sxy = xsHost.reduce((a, v, i) => a + (v - mx) * (ysHost[i]! - my), 0)
  const sxx = xsHost.reduce((a, v) => a + (v - mx) ** 2, 0)
  console.log(`closed-form least squares (float64): w: ${(sxy / sxx).toFixed(2)}, b: ${(my - (sxy / sxx) * mx).toFixed(2)}`)
  fitted = { theta, ys: ysHost }
  return `w: ${w!.toFixed(2)}, b: ${b!.toFixed(2)}`
})
if (fitted !== undefined) {
  const path = "out/linear-regression.svg"
  const [w, b] = fitted.theta.toJs() as number[]
  await savePlot(path, "jaxfx: linear regression (1000 steps)", [
    { kind: "scatter", xs: xsHost, ys: fitted.ys, label: "data" },
    { kind: "line", xs: xsHost, ys: model(fitted.theta, xs).toJs() as number[], label: `fit: y = ${w!.toFixed(2)}x + ${b!.toFixed(2)}` }
  ])
  console.log(`(plot written to ${path})`)
}
