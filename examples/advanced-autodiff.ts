/**
 * JAX 101, "Advanced Automatic Differentiation", in jaxfx. Run: `npx tsx examples/advanced-autodiff.ts`.
 * Each section prints jaxfx's output next to what JAX prints (the chapter's outputs).
 */
import {
  type Array,
  checkpoint,
  customJvp,
  customVjp,
  grad,
  hessian,
  jacfwd,
  jacrev,
  jit,
  jvp,
  linearize,
  makeJaxpr,
  np,
  stopGradient,
  vmap
} from "../index.js"
import { time } from "../bench/harness.js"

const section = (title: string): void => console.log(`\n## ${title}`)
let mismatches = 0
/** Print jaxfx's text next to JAX's, and whether they are the same. */
const show = (label: string, got: string, jax: string): void => {
  const same = got === jax
  if (!same) mismatches++
  console.log(`${label}`)
  console.log(`  jaxfx: ${got.replace(/\n/g, "\n         ")}`)
  console.log(`  JAX:   ${jax.replace(/\n/g, "\n         ")}${same ? "" : "   (DIFFERENT)"}`)
}
const timeIt = (fn: () => void, reps = 200): string => `${(time(fn, { reps, warmup: 5 }) * 1000).toFixed(1)} µs (median of ${reps})`
const f32 = (xs: np.ArrayLike): Array => np.array(xs, { dtype: "float32" })

// --- Higher-order derivatives
section("Higher-order derivatives of f(x) = x³ + 2x² - 3x + 1")
const f = (x: Array): Array => x.pow(3).add(x.pow(2).mul(2)).sub(x.mul(3)).add(1)
const dfdx = grad(f)
const d2fdx = grad(dfdx)
const d3fdx = grad(d2fdx)
const d4fdx = grad(d3fdx)
const one = f32(1) // Python's 1.
show("print(dfdx(1.))", dfdx(one).str(), "4.0")
show("print(d2fdx(1.))", d2fdx(one).str(), "10.0")
show("print(d3fdx(1.))", d3fdx(one).str(), "6.0")
show("print(d4fdx(1.))", d4fdx(one).str(), "0.0")

// --- Hessians: jacfwd of grad, as the chapter defines it, and jaxfx's built-in hessian
section("hessian(f)(jnp.array([1., 2., 3.])) for f(x) = x·x")
const chapterHessian = <A extends Array>(g: (x: A) => Array) => jacfwd(grad(g))
const dotSelf = (x: Array): Array => np.dot(x, x)
const x123 = f32([1, 2, 3])
const twoI = "Array([[2., 0., 0.],\n       [0., 2., 0.],\n       [0., 0., 2.]], dtype=float32)"
show("jacfwd(grad(f))(x)  (the chapter's hessian)", chapterHessian(dotSelf)(x123).toString(), twoI)
show("hessian(f)(x)       (jaxfx's: jacfwd(jacrev(f)))", hessian(dotSelf)(x123).toString(), twoI)
show("jacrev(grad(f))(x)  (reverse-over-reverse)", jacrev(grad(dotSelf))(x123).toString(), twoI)

// --- Hessian-vector products without materializing the Hessian (the Autodiff Cookbook's trick)
section("Hessian-vector products: jvp(grad(f), [x], [v]) vs hessian(f)(x) · v")
const cubic = (x: Array): Array => np.sum(np.sin(x).mul(x.pow(2)))
const hvp = (g: (x: Array) => Array, x: Array, v: Array): Array => jvp(grad(g), [x], [v])[1]
const v = f32([0.5, -1, 2])
const hv = hvp(cubic, x123, v)
const viaHessian = np.dot(hessian(cubic)(x123), v)
console.log(`  jvp(grad(f)):   ${hv.toString()}`)
console.log(`  hessian(f) · v: ${viaHessian.toString()}`)
console.log(`  allclose: ${np.allclose(hv, viaHessian, { rtol: 1e-5, atol: 1e-5 }).toJs()}   (JAX: the two agree; the chapter prints no numbers here)`)

// --- Higher-order optimization: differentiate through a gradient step (MAML-style)
section("Higher-order optimization: grad of the loss after one SGD step")
const lr = 0.1
const lossFn = (params: Array, data: readonly [Array, Array]): Array => np.sum(np.dot(data[0], params).sub(data[1]).square())
const metaLossFn = (params: Array, data: readonly [Array, Array]): Array => {
  const grads = grad(lossFn)(params, data)
  return lossFn(params.sub(grads.mul(lr)), data)
}
const data = [
  f32([
    [1, 2],
    [3, 4],
    [5, 6]
  ]),
  f32([1, 0, -1])
] as const
const params = f32([0.1, -0.2])
console.log(`  meta_grads = grad(meta_loss_fn)(params, data): ${grad(metaLossFn)(params, data).toString()}`)
console.log("  (the chapter shows this pattern without numbers)")

// --- Stopping gradients: the TD(0) update
section("Stopping gradients: TD(0)")
const valueFn = (theta: Array, state: Array): Array => np.dot(theta, state)
const theta = f32([0.1, -0.1, 0])
const sTm1 = f32([1, 2, -1])
const rT = f32(1)
const sT = f32([2, 1, 0])

const tdLossNaive = (theta: Array, sTm1: Array, rT: Array, sT: Array): Array => {
  const vTm1 = valueFn(theta, sTm1)
  const target = rT.add(valueFn(theta, sT))
  return target.sub(vTm1).pow(2)
}
show("naive td_update(theta, s_tm1, r_t, s_t)", grad(tdLossNaive)(theta, sTm1, rT, sT).toString(), "Array([ 2.4, -2.4,  2.4], dtype=float32)")

const tdLoss = (theta: Array, sTm1: Array, rT: Array, sT: Array): Array => {
  const vTm1 = valueFn(theta, sTm1)
  const target = rT.add(valueFn(theta, sT))
  return stopGradient(target).sub(vTm1).pow(2)
}
const tdUpdate = grad(tdLoss)
const deltaTheta = tdUpdate(theta, sTm1, rT, sT)
show("td_update with stop_gradient(target): delta_theta", deltaTheta.toString(), "Array([-2.4, -4.8,  2.4], dtype=float32)")

// --- Straight-through estimator
section("Straight-through estimator using stop_gradient")
const roundF = (x: Array): Array => np.round(x) // non-differentiable
const straightThroughF = (x: Array): Array => x.add(stopGradient(roundF(x).sub(x)))
const x32 = f32(3.2)
show('print("f(x): ", f(3.2))', `f(x):  ${roundF(x32).str()}`, "f(x):  3.0")
show('print("straight_through_f(x):", straight_through_f(3.2))', `straight_through_f(x): ${straightThroughF(x32).str()}`, "straight_through_f(x): 3.0")
show('print("grad(f)(x):", jax.grad(f)(3.2))', `grad(f)(x): ${grad(roundF)(x32).str()}`, "grad(f)(x): 0.0")
show('print("grad(straight_through_f)(x):", ...)', `grad(straight_through_f)(x): ${grad(straightThroughF)(x32).str()}`, "grad(straight_through_f)(x): 1.0")

// --- Per-example gradients
section("Per-example gradients: jit(vmap(grad(td_loss), { inAxes: [null, 0, 0, 0] }))")
const perexGradsAtOnce = jit(vmap(grad(tdLoss), { inAxes: [null, 0, 0, 0] }))
const batchedSTm1 = np.stack([sTm1, sTm1])
const batchedRT = np.stack([rT, rT])
const batchedST = np.stack([sT, sT])
const perEx = "Array([[-2.4, -4.8,  2.4],\n       [-2.4, -4.8,  2.4]], dtype=float32)"
show("perex_grads(theta, batched_s_tm1, batched_r_t, batched_s_t)", perexGradsAtOnce(theta, batchedSTm1, batchedRT, batchedST).toString(), perEx)

const dtdlossDtheta = grad(tdLoss)
show("dtdloss_dtheta(theta, s_tm1, r_t, s_t)", dtdlossDtheta(theta, sTm1, rT, sT).toString(), "Array([-2.4, -4.8,  2.4], dtype=float32)")

const almostPerexGrads = vmap(dtdlossDtheta)
const batchedTheta = np.stack([theta, theta])
show("almost_perex_grads(batched_theta, ...)", almostPerexGrads(batchedTheta, batchedSTm1, batchedRT, batchedST).toString(), perEx)

const inefficientPerexGrads = vmap(dtdlossDtheta, { inAxes: [null, 0, 0, 0] })
show("inefficient_perex_grads(theta, ...)", inefficientPerexGrads(theta, batchedSTm1, batchedRT, batchedST).toString(), perEx)

const perexGrads = jit(inefficientPerexGrads)
show("perex_grads = jit(inefficient_perex_grads)", perexGrads(theta, batchedSTm1, batchedRT, batchedST).toString(), perEx)

console.log(
  `  %timeit inefficient_perex_grads(...): ${timeIt(() => inefficientPerexGrads(theta, batchedSTm1, batchedRT, batchedST).blockUntilReady())}   (JAX on Colab: 7.74 ms)`
)
console.log(
  `  %timeit perex_grads(...):             ${timeIt(() => perexGrads(theta, batchedSTm1, batchedRT, batchedST).blockUntilReady())}   (JAX on Colab: 86.2 µs)`
)

// ---------------------------------------------------------------------------------------------
// Custom derivative rules (JAX's "Custom derivative rules" section): log(1 + e^x).
console.log("\n## customJvp: a numerically stable rule for log1pexp")
const log1pexpNaive = (x: Array) => np.log(np.add(1, np.exp(x)))
show("grad(log1pexp)(100.) with the default rule", grad(log1pexpNaive)(np.array(100, { dtype: "float32" })).toString(), "Array(nan, dtype=float32)")
const log1pexp = customJvp((x: Array) => np.log(np.add(1, np.exp(x))))
log1pexp.defjvp(([x], [t]) => [log1pexp(x), t.mul(np.subtract(1, np.divide(1, np.add(1, np.exp(x)))))])
show("grad(log1pexp)(100.) with the custom rule", grad(log1pexp)(np.array(100, { dtype: "float32" })).toString(), "Array(1., dtype=float32)")
show("jit(grad(log1pexp))(3.)", jit(grad(log1pexp))(np.array(3, { dtype: "float32" })).toString(), "Array(0.95257413, dtype=float32)")
show(
  "vmap(jit(grad(log1pexp)))(jnp.arange(3.))",
  vmap(jit(grad(log1pexp)))(np.arange(3).astype("float32")).toString(),
  "Array([0.5      , 0.7310586, 0.8807971], dtype=float32)"
)

console.log("\n## customVjp: clip the gradient in the backward pass")
const clipGradient = customVjp((lo: number, hi: number, x: Array) => x)
clipGradient.defvjp(
  (lo, hi, x) => [x, [lo, hi]] as const,
  ([lo, hi], g) => [null, null, np.clip(g, lo, hi)]
)
const t = np.arange(3).astype("float32")
show(
  "vmap(grad(clip_sin))(t), clip_sin(x) = sin(clip_gradient(-0.75, 0.75, x))",
  vmap(grad((x: Array) => np.sin(clipGradient(-0.75, 0.75, x))))(t).toString(),
  "Array([ 0.75      ,  0.5403023 , -0.41614684], dtype=float32)"
)

console.log("\n## checkpoint: the same gradients with fewer saved residuals")
const layers = (w: Array, x: Array) => np.sin(np.sin(np.sin(x.mul(w))))
const w = np.array([0.5, 0.6], { dtype: "float32" })
const xin = np.array([1, 2], { dtype: "float32" })
const plainLoss = (w: Array) => np.sum(layers(w, xin))
const rematLoss = (w: Array) => np.sum(checkpoint(layers)(w, xin))
console.log(`  gradients equal: ${np.arrayEqual(grad(plainLoss)(w), grad(rematLoss)(w)).toJs()}`)
const residuals = (f: (w: Array) => Array) => makeJaxpr(linearize(f, w)[1])(w).jaxpr.constVars.length
console.log(`  residuals saved by the linearized program: ${residuals(plainLoss)} without checkpoint, ${residuals(rematLoss)} with it`)

console.log(mismatches === 0 ? "\nEvery printed value matches JAX's output." : `\n${mismatches} printed value(s) differ from JAX's output.`)
