/**
 * JAX 101, "Parallel Evaluation in JAX", in jaxfx, on 8 CPU devices (device 0 on this thread,
 * devices 1..7 on worker threads). Run: `npx tsx examples/parallel.ts` (it asks for 8 CPU devices,
 * the same as starting with `JAXFX_CPU_DEVICES=8`). Each section prints jaxfx's output next to
 * what JAX prints (the chapter's programs run with JAX on 8 CPU devices).
 */
import {
  type Array,
  config,
  debug,
  devicePut,
  devices,
  jit,
  lax,
  localDeviceCount,
  makeMesh,
  NamedSharding,
  np,
  P,
  pmap,
  random,
  shardMap,
  tree,
  valueAndGrad,
  vmap
} from "../index.js"
import { savePlot } from "./plot.js"

// Before the first array is made (or JAXFX_CPU_DEVICES=8 in the environment).
try {
  config.update("jaxfxCpuDevices", 8)
} catch {
  // JAXFX_CPU_DEVICES already made the devices.
}

const section = (title: string): void => console.log(`\n## ${title}`)
/** Print jaxfx's repr next to JAX's: the same text, or the same values to float32 rounding. */
const show = (got: Array, jax: string, jaxValues?: ReadonlyArray<number>): void => {
  const text = got.toString()
  let verdict = text === jax ? "(same)" : "(DIFFERENT)"
  if (text !== jax && jaxValues !== undefined) {
    const g = [...(got.data() as Float32Array)]
    if (g.length === jaxValues.length && g.every((v, i) => Math.abs(v - jaxValues[i]!) <= 2e-7 * Math.max(1, Math.abs(jaxValues[i]!))))
      verdict = "(same values to float32 rounding)"
  }
  console.log(`jaxfx: ${text}`)
  console.log(`JAX:   ${jax}`)
  console.log(verdict)
}

section("The devices")
console.log("devices():", devices().map(String).join(", "))
const nDevices = localDeviceCount()

// --- The basics: convolve, batched across devices
const convolve = (x: Array, w: Array): Array => {
  const output: Array[] = []
  for (let i = 1; i < x.shape[0]! - 1; i++) output.push(np.dot(x.index(np.s(i - 1, i + 2)), w))
  return np.array(output)
}
const w = np.array([2, 3, 4], { dtype: "float32" })
const xs = np.arange(5 * nDevices).reshape([-1, 5])
const ws = np.stack(globalThis.Array.from({ length: nDevices }, () => w))
const convolved = `Array([[ 11.,  20.,  29.],
       [ 56.,  65.,  74.],
       [101., 110., 119.],
       [146., 155., 164.],
       [191., 200., 209.],
       [236., 245., 254.],
       [281., 290., 299.],
       [326., 335., 344.]], dtype=float32)`

section("jax.vmap(convolve)(xs, ws)")
show(vmap(convolve)(xs, ws), convolved)
section("jax.pmap(convolve)(xs, ws): one row per device")
show(pmap(convolve)(xs, ws), convolved)
section("jax.pmap(convolve)(xs, jax.pmap(convolve)(xs, ws))")
show(
  pmap(convolve)(xs, pmap(convolve)(xs, ws)),
  `Array([[   78.,   138.,   198.],
       [ 1188.,  1383.,  1578.],
       [ 3648.,  3978.,  4308.],
       [ 7458.,  7923.,  8388.],
       [12618., 13218., 13818.],
       [19128., 19863., 20598.],
       [26988., 27858., 28728.],
       [36198., 37203., 38208.]], dtype=float32)`
)

section("Specifying inAxes: jax.pmap(convolve, in_axes=(0, None))(xs, w)")
show(pmap(convolve, { inAxes: [0, null] })(xs, w), convolved)

section("More slices than devices")
try {
  pmap(convolve)(np.arange(5 * (nDevices + 1)).reshape([-1, 5]), np.stack(globalThis.Array.from({ length: nDevices + 1 }, () => w)))
} catch (e) {
  console.log(`${(e as Error).name}: ${(e as Error).message}`)
}

// --- Communication between devices
const normalizedConvolution = (x: Array, w: Array): Array => {
  const output = convolve(x, w)
  return output.div(lax.psum(output, "p"))
}
const jaxPmapNormalized = [
  0.00816024, 0.01408451, 0.019437, 0.04154303, 0.04577465, 0.04959786, 0.07492582, 0.07746479, 0.07975871, 0.10830861, 0.10915493, 0.10991957, 0.1416914,
  0.14084508, 0.14008042, 0.17507419, 0.17253521, 0.17024128, 0.20845698, 0.20422535, 0.20040214, 0.24183977, 0.2359155, 0.230563
]
section("jax.pmap(normalized_convolution, axis_name='p')(xs, ws)")
show(
  pmap(normalizedConvolution, { axisName: "p" })(xs, ws),
  `Array([[0.00816024, 0.01408451, 0.019437  ],
       [0.04154303, 0.04577465, 0.04959786],
       [0.07492582, 0.07746479, 0.07975871],
       [0.10830861, 0.10915493, 0.10991957],
       [0.1416914 , 0.14084508, 0.14008042],
       [0.17507419, 0.17253521, 0.17024128],
       [0.20845698, 0.20422535, 0.20040214],
       [0.24183977, 0.2359155 , 0.230563  ]], dtype=float32)`,
  jaxPmapNormalized
)
section("jax.vmap(normalized_convolution, axis_name='p')(xs, ws)")
show(
  vmap(normalizedConvolution, { axisName: "p" })(xs, ws),
  `Array([[0.00816024, 0.01408451, 0.019437  ],
       [0.04154303, 0.04577465, 0.04959786],
       [0.07492582, 0.07746479, 0.07975872],
       [0.10830861, 0.10915492, 0.10991958],
       [0.14169139, 0.14084506, 0.14008044],
       [0.17507419, 0.17253521, 0.1702413 ],
       [0.20845698, 0.20422535, 0.20040216],
       [0.24183977, 0.23591548, 0.23056301]], dtype=float32)`,
  jaxPmapNormalized
)
try {
  normalizedConvolution(xs.index(0), w)
} catch (e) {
  console.log(`without pmap or vmap: ${(e as Error).name}: ${(e as Error).message}`)
}

// --- Data-parallel linear regression: pmean of the gradients, replicated parameters
section("Data-parallel regression: 1000 steps, gradients averaged with pmean")
type Params = { readonly weight: Array; readonly bias: Array }
const init = (rng: Array): Params => {
  const [weightsKey, biasKey] = random.split(rng)
  return { weight: random.normal(weightsKey!, []), bias: random.normal(biasKey!, []) }
}
const lossFn = (params: Params, x: Array, y: Array): Array => np.mean(params.weight.mul(x).add(params.bias).sub(y).pow(2))
const LEARNING_RATE = 0.005
const update = pmap(
  (params: Params, x: Array, y: Array): [Params, Array] => {
    const [loss, grads] = valueAndGrad(lossFn)(params, x, y)
    const meanGrads = lax.pmean(grads, "num_devices")
    const meanLoss = lax.pmean(loss, "num_devices")
    return [tree.map((p: Array, g: Array) => p.sub(g.mul(LEARNING_RATE)), params, meanGrads) as Params, meanLoss]
  },
  { axisName: "num_devices" }
)
// y = 2x - 1 + noise, drawn with JAX's keys (the chapter draws with NumPy's unseeded generator)
const [xKey, noiseKey] = random.split(random.PRNGKey(42))
const X = random.normal(xKey!, [128, 1])
const Y = X.mul(2)
  .sub(1)
  .add(random.normal(noiseKey!, [128, 1]).mul(0.5))
const split = (a: Array): Array => a.reshape([nDevices, a.shape[0]! / nDevices, ...a.shape.slice(1)])
const replicate = (p: Array): Array => np.stack(globalThis.Array.from({ length: nDevices }, () => p))
const params0 = init(random.PRNGKey(123))
let replicated: Params = { weight: replicate(params0.weight), bias: replicate(params0.bias) }
const [xSplit, ySplit] = [split(X), split(Y)]
const jaxSteps = ["6.087", "1.070", "0.342", "0.233", "0.217", "0.214", "0.214", "0.213", "0.213", "0.213"]
let stepMismatches = 0
for (let i = 0; i < 1000; i++) {
  const [next, loss] = update(replicated, xSplit, ySplit)
  replicated = next
  if (i % 100 === 0) {
    const got = loss.data()[0]!.toFixed(3)
    if (got !== jaxSteps[i / 100]) stepMismatches++
    console.log(`Step ${String(i).padStart(3)}, loss: ${got}   (JAX: ${jaxSteps[i / 100]})`)
  }
}
const replicas = [...replicated.weight.data()]
console.log(`replicas in sync: ${replicas.every((v) => v === replicas[0])}`)
const fitted = `weight ${replicated.weight.data()[0]!.toFixed(3)}, bias ${replicated.bias.data()[0]!.toFixed(3)}`
console.log(`jaxfx: ${fitted}\nJAX:   weight 1.972, bias -1.033`)
console.log(fitted === "weight 1.972, bias -1.033" && stepMismatches === 0 ? "(same)" : "(DIFFERENT)")
await savePlot("out/parallel-regression.svg", "jaxfx: data-parallel linear regression (pmap over 8 devices, pmean of gradients)", [
  { kind: "scatter", xs: [...X.data()], ys: [...Y.data()], label: "data" },
  {
    kind: "line",
    xs: [...X.data()],
    ys: [...X.mul(replicated.weight.data()[0]!).add(replicated.bias.data()[0]!).data()],
    color: "red",
    label: "Model Prediction"
  }
])
console.log("plot written to out/parallel-regression.svg")

// --- shardMap over a 2x4 mesh: explicit per-device programs, collectives over mesh axes
section("shardMap over a 2x4 mesh")
if (nDevices >= 8) {
  const mesh = makeMesh([2, 4], ["x", "y"])
  console.log(`mesh: ${mesh.toString()}`)
  // Each device holds a [2, 2] block of a [4, 8] array; psum over both axes adds all 8 blocks.
  const blocksSummed = shardMap((b: Array) => lax.psum(b, ["x", "y"]), { mesh, inSpecs: P("x", "y"), outSpecs: P() })
  show(
    blocksSummed(np.arange(32).astype("float32").reshape([4, 8])),
    `Array([[ 88.,  96.],
       [152., 160.]], dtype=float32)`
  )
  // A matmul whose contracting dimension is split over "y": local products, then psum.
  const matmul = shardMap((a: Array, w: Array) => lax.psum(np.matmul(a, w), "y"), { mesh, inSpecs: [P(null, "y"), P("y", null)], outSpecs: P() })
  show(
    matmul(np.arange(12).astype("float32").reshape([3, 4]), np.ones([4, 2])),
    `Array([[ 6.,  6.],
       [22., 22.],
       [38., 38.]], dtype=float32)`
  )
}

// --- jit with shardings (the pjit model): the program is partitioned over the mesh
section("jit with inShardings/outShardings: a data-parallel regression step over 8 devices")
if (nDevices >= 8) {
  const mesh = makeMesh([8], ["batch"])
  const data = new NamedSharding(mesh, P("batch"))
  const repl = new NamedSharding(mesh, P())
  // The batch is split over the devices (two rows each); the parameters are replicated. The sums
  // over the batch run in another order than XLA's, so the last digit may differ.
  const xs = devicePut(np.arange(32).astype("float32").reshape([16, 2]).div(10), data)
  const ys = devicePut(np.matmul(xs, np.array([3, -1], { dtype: "float32" })).add(0.5), data)
  debug.visualizeArraySharding(xs)
  type Params = { readonly w: Array; readonly b: Array }
  const loss = (p: Params, x: Array, y: Array): Array => np.mean(np.square(np.matmul(x, p.w).add(p.b).sub(y)))
  // The partitioner keeps the matmuls local to each device's rows and inserts a psum for the
  // mean and for the gradients' sums over the batch.
  const step = jit(
    (p: Params, x: Array, y: Array) => {
      const [l, g] = valueAndGrad(loss)(p, x, y)
      return [tree.map((a: Array, b: Array) => a.sub(b.mul(0.1)), p, g) as Params, l] as const
    },
    { inShardings: [repl, data, data], outShardings: [repl, repl] }
  )
  let p: Params = { w: np.zeros([2]), b: np.zeros([]) }
  const jaxLosses = [14.96, 3.103187, 0.6476655]
  for (let i = 0; i < 3; i++) {
    const [next, l] = step(p, xs, ys)
    p = next
    console.log(`step ${i}: loss ${l.item().toPrecision(7)}   JAX: ${jaxLosses[i]}`)
  }
  show(p.w, "Array([1.0279083, 1.0773176], dtype=float32)", [1.0279083, 1.0773176])
  show(p.b, "Array(0.49409074, dtype=float32)")
}
