/**
 * JAX 101, "Automatic Vectorization", in jaxfx. Run: `npx tsx examples/vmap.ts`.
 * Each section prints jaxfx's output next to what JAX prints (the chapter's outputs).
 */
import { type Array, jit, np, vmap } from "../index.js"
import { time } from "../bench/harness.js"

const section = (title: string): void => console.log(`\n## ${title}`)
let mismatches = 0
/** Print jaxfx's repr next to JAX's, and whether they are the same text. */
const show = (got: Array, jax: string): void => {
  const same = got.toString() === jax
  if (!same) mismatches++
  console.log(`jaxfx: ${got.toString()}`)
  console.log(`JAX:   ${jax}`)
  console.log(same ? "(same)" : "(DIFFERENT)")
}
const timeIt = (fn: () => void, reps = 50): string => `${time(fn, { reps, warmup: 1 }).toFixed(3)} ms (median of ${reps})`

const batched = "Array([[11., 20., 29.],\n       [11., 20., 29.]], dtype=float32)"

// --- Manual vectorization
section("convolve(x, w)")
const x = np.arange(5)
const w = np.array([2, 3, 4], { dtype: "float32" }) // Python's jnp.array([2., 3., 4.])

// The chapter's convolve: a loop of dot products over sliding windows (len(x) is the unbatched
// length, also under vmap).
const convolve = (x: Array, w: Array): Array => {
  const output: Array[] = []
  for (let i = 1; i < x.shape[0]! - 1; i++) output.push(np.dot(x.index(np.s(i - 1, i + 2)), w))
  return np.array(output) // jnp.array(output), as the chapter writes it: a stack of the dot products
}
show(convolve(x, w), "Array([11., 20., 29.], dtype=float32)")

const xs = np.stack([x, x])
const ws = np.stack([w, w])

section("manually_batched_convolve(xs, ws): a JS loop over the batch")
const manuallyBatchedConvolve = (xs: Array, ws: Array): Array => {
  const output: Array[] = []
  for (let i = 0; i < xs.shape[0]!; i++) output.push(convolve(xs.index(i), ws.index(i)))
  return np.stack(output)
}
show(manuallyBatchedConvolve(xs, ws), batched)

section("manually_vectorized_convolve(xs, ws): rewritten by hand for a batch axis")
const manuallyVectorizedConvolve = (xs: Array, ws: Array): Array => {
  const output: Array[] = []
  for (let i = 1; i < xs.shape[xs.ndim - 1]! - 1; i++) {
    output.push(np.sum(xs.index(":", np.s(i - 1, i + 2)).mul(ws), { axis: 1 }))
  }
  return np.stack(output, { axis: 1 })
}
show(manuallyVectorizedConvolve(xs, ws), batched)

// --- Automatic vectorization
section("auto_batch_convolve = vmap(convolve)")
const autoBatchConvolve = vmap(convolve)
show(autoBatchConvolve(xs, ws), batched)

section("vmap(convolve, { inAxes: 1, outAxes: 1 }) on transposed batches")
const autoBatchConvolveV2 = vmap(convolve, { inAxes: 1, outAxes: 1 })
const xst = np.transpose(xs)
const wst = np.transpose(ws)
show(autoBatchConvolveV2(xst, wst), "Array([[11., 11.],\n       [20., 20.],\n       [29., 29.]], dtype=float32)")

section("vmap(convolve, { inAxes: [0, null] }): one set of weights for a batch of vectors")
const batchConvolveV3 = vmap(convolve, { inAxes: [0, null] })
show(batchConvolveV3(xs, w), batched)

// --- Combining transformations
section("jit(vmap(convolve))")
const jittedBatchConvolve = jit(autoBatchConvolve)
show(jittedBatchConvolve(xs, ws), batched)

// --- The same with np.convolve (jnp.convolve flips the kernel; the chapter's loop does not)
section("np.convolve: the chapter's convolve is np.convolve(x, flip(w), 'valid')")
const npConvolve = (x: Array, w: Array): Array => np.convolve(x, np.flip(w), { mode: "valid" })
show(npConvolve(x, w), "Array([11., 20., 29.], dtype=float32)")
show(vmap(npConvolve)(xs, ws), batched)
show(jit(vmap(npConvolve, { inAxes: [0, null] }))(xs, w), batched)
console.log(`np.convolve(x, w) (mode "full"): ${np.convolve(x, w).toString()}`)
console.log("JAX jnp.convolve(x, w):           Array([ 0.,  2.,  7., 16., 25., 24., 16.], dtype=float32)")

// --- Why vmap: the loop costs one dispatch per example, vmap one per operation
section("timing a batch of 256 vectors of length 1000 (median)")
const bigX = np
  .arange(256 * 1000)
  .astype("float32")
  .reshape([256, 1000])
  .mul(1e-3)
const bigW = np.array([0.25, 0.5, 0.25], { dtype: "float32" })
const loopConv = (xs: Array, w: Array): Array => np.stack(globalThis.Array.from({ length: xs.shape[0]! }, (_, i) => npConvolve(xs.index(i), w)))
const vmapConv = vmap(npConvolve, { inAxes: [0, null] })
const jitVmapConv = jit(vmapConv)
console.log(`JS loop of np.convolve: ${timeIt(() => loopConv(bigX, bigW).blockUntilReady(), 10)}`)
console.log(`vmap(np.convolve):      ${timeIt(() => vmapConv(bigX, bigW).blockUntilReady())}`)
console.log(`jit(vmap(np.convolve)): ${timeIt(() => jitVmapConv(bigX, bigW).blockUntilReady())}`)
console.log(`same values: ${np.allclose(loopConv(bigX, bigW), jitVmapConv(bigX, bigW)).toJs()}`)

console.log(mismatches === 0 ? "\nEvery printed array matches JAX's output." : `\n${mismatches} printed array(s) differ from JAX's output.`)
