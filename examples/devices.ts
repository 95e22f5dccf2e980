/**
 * Devices in jaxfx, as in JAX: where arrays live, how they move, asynchronous reads, and CPU
 * devices on worker threads. Run: `npx tsx examples/devices.ts` (it asks for 4 CPU devices; the
 * same as starting with `JAXFX_CPU_DEVICES=4`).
 */
import { type Array, config, devicePut, deviceGet, devices, jit, lax, np, scope, withDefaultDevice } from "../index.js"

// Before the first array is made (or JAXFX_CPU_DEVICES=4 in the environment).
config.update("jaxfxCpuDevices", 4)

const section = (title: string): void => console.log(`\n## ${title}`)

section("The devices")
console.log("devices():", devices().map(String).join(", "))
console.log("device 0 runs on this thread; devices 1..3 each on a worker thread, with buffers in shared memory")

section("Placement: arrays live on a device; results live where their inputs are")
const [d0, d1, d2] = devices()
const x = np.arange(8).astype("float32")
console.log("x.device:", String(x.device), "(uncommitted: made on the default device)")
const y = devicePut(x, d1!) // committed to device 1
console.log("devicePut(x, d1).device:", String(y.device))
const z = np.sin(y).mul(2) // computed on device 1, without waiting
console.log("np.sin(y).mul(2).device:", String(z.device))
console.log("its values (a synchronous read waits for the worker):", z.toString())
try {
  y.add(devicePut(x, d2!))
} catch (e) {
  console.log("mixing committed devices:", (e as Error).message)
}

section("jit runs where its inputs are; loops stay on the device")
const collatzSteps = jit(
  (n: Array) =>
    lax.whileLoop(
      ([m]: readonly [Array, Array]) => m.ne(1),
      ([m, steps]: readonly [Array, Array]) => [np.where(np.remainder(m, 2).eq(0), np.floorDivide(m, 2), m.mul(3).add(1)), steps.add(1)] as const,
      [n, np.array(0)] as const
    )[1]
)
const n = devicePut(np.array(27), d2!)
console.log("Collatz steps of 27, computed on", String(collatzSteps(n).device), "=", collatzSteps(n).item())

section("Asynchronous reads")
const w = devicePut(np.ones([1000, 1000]), d1!)
const big = np.matmul(w, w) // dispatched; the worker computes while this thread goes on
console.log("dispatched a 1000x1000 matmul on", String(big.device))
const host = await big.dataAsync() // resolves when it is done
console.log("dataAsync:", host[0], "...")
console.log("deviceGet({ a: z }):", deviceGet({ a: z }).a)

section("The default device, and scopes")
const onWorker = withDefaultDevice(d2!, () => np.arange(3).mul(10))
console.log("withDefaultDevice(d2, ...):", String(onWorker.device), onWorker.toString())
const total = scope(() => {
  const tmp = np.square(np.arange(1000).astype("float32")) // deleted when the scope closes
  return tmp.sum()
})
console.log("scope(...) keeps its result:", total.toString())
console.log("back on device 0:", String(devicePut(total, d0!).device))
