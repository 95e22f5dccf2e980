/**
 * Foundation benchmarks (issue 2): np.dot of two length-1e7 float32 vectors against a
 * hand-written JS loop and against jaxfx with its Wasm SIMD dot turned off (issue 17), and eager dispatch (10,000 chained adds of length-4 arrays) against
 * @jax-js/jax, all in the same run.
 */
import * as jaxjs from "@jax-js/jax"
import { np } from "../index.js"
import { wasmVdotPolicy } from "../backends/cpu/wasm/index.js"
import { type Row, time, timeAsync } from "./harness.js"

export const foundation = async (): Promise<Row[]> => {
  const rows: Row[] = []
  const n = 1e7

  // --- dot of two length-1e7 float32 vectors
  const a = np.arange(n).astype("float32").mul(1e-7)
  const aData = a.data() as Float32Array
  let sink = 0
  const tJaxfx = time(() => {
    sink += np.dot(a, a).blockUntilReady().item()
  })
  // the same call with the Wasm SIMD dot turned off (dot.ts's JS float64 loop), in the same run
  wasmVdotPolicy.enabled = false
  const tJsPath = time(() => {
    sink += np.dot(a, a).blockUntilReady().item()
  })
  wasmVdotPolicy.enabled = true
  const tLoop = time(() => {
    let s = 0
    for (let i = 0; i < aData.length; i++) s += aData[i]! * aData[i]!
    sink += Math.fround(s)
  })
  await jaxjs.init("wasm")
  jaxjs.defaultDevice("wasm")
  const ja = jaxjs.numpy.array(aData)
  const tJaxjs = await timeAsync(async () => {
    const d = jaxjs.numpy.dot(ja.ref, ja.ref)
    sink += (await d.data())[0]!
  })
  ja.dispose()
  rows.push({ bench: "dot 1e7 f32", what: "jaxfx ms", value: tJaxfx.toFixed(2) })
  rows.push({ bench: "dot 1e7 f32", what: "jaxfx, Wasm dot off (JS loop) ms", value: tJsPath.toFixed(2) })
  rows.push({ bench: "dot 1e7 f32", what: "JS loop ms", value: tLoop.toFixed(2) })
  rows.push({ bench: "dot 1e7 f32", what: "@jax-js/jax (wasm) ms", value: tJaxjs.toFixed(2) })
  rows.push({ bench: "dot 1e7 f32", what: "jaxfx / JS loop", value: (tJaxfx / tLoop).toFixed(2) })

  // --- eager dispatch: 10,000 chained adds of length-4 arrays
  const steps = 10_000
  const x0 = np.asarray([1, 2, 3, 4], { dtype: "float32" })
  const one = np.asarray([1, 1, 1, 1], { dtype: "float32" })
  const tChain = time(() => {
    let z = x0
    for (let i = 0; i < steps; i++) z = z.add(one)
    sink += z.data()[0]!
  })
  const jx0 = jaxjs.numpy.array(new Float32Array([1, 2, 3, 4]))
  const jone = jaxjs.numpy.array(new Float32Array([1, 1, 1, 1]))
  const tChainJs = await timeAsync(
    async () => {
      let z = jx0.ref
      for (let i = 0; i < steps; i++) z = z.add(jone.ref)
      sink += (await z.data())[0]!
    },
    { reps: 1, warmup: 0 }
  ) // about 20 s a run: once is enough to show the cost of long unforced chains
  // jax-js defers work; long unforced chains cost it superlinearly, so also give it a forced variant.
  const tChainJsForced = await timeAsync(
    async () => {
      let z = jx0.ref
      for (let i = 0; i < steps; i++) {
        z = z.add(jone.ref)
        if (i % 10 === 9) await z.blockUntilReady()
      }
      sink += (await z.data())[0]!
    },
    { reps: 5, warmup: 1 }
  )
  rows.push({ bench: "eager add x1e4", what: "jaxfx us/op", value: ((tChain * 1000) / steps).toFixed(3) })
  rows.push({ bench: "eager add x1e4", what: "@jax-js/jax forced every 10 us/op", value: ((tChainJsForced * 1000) / steps).toFixed(3) })
  rows.push({ bench: "eager add x1e4", what: "@jax-js/jax us/op", value: ((tChainJs * 1000) / steps).toFixed(3) })
  rows.push({ bench: "eager add x1e4", what: "@jax-js/jax / jaxfx", value: (tChainJs / tChain).toFixed(1) })
  if (Number.isNaN(sink)) console.log("")
  return rows
}
