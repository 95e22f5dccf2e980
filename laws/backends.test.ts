/**
 * Backend equivalence: CPU device 0 (eager and jit) and a worker CPU device (eager and jit) agree
 * bit for bit; an asynchronous device (a stand-in for WebGPU) plugs in through the async form of
 * the law; and the law catches a device that computes wrong values or off the device.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { fakeDevice } from "../backends/cpu/test-helpers.js"
import { wasmDotPolicy } from "../backends/cpu/wasm/index.js"
import { ArrayImpl } from "../core/array.js"
import { type Array, config, devicePut, devices as allDevices, jit, nn, np, random } from "../index.js"
import { allEntries, type CatalogEntry, entryProperty, type LawOn, seedOf } from "./catalog.js"
import * as laws from "./index.js"
import { failure } from "./test-helpers.js"

const { arb } = laws

// A worker CPU device next to device 0 (before the first array is made).
try {
  config.update("jaxfxCpuDevices", 2)
} catch {
  // The devices exist already (JAXFX_CPU_DEVICES set for the whole run): use them.
}
const devices = laws.cpuDevices()
const exact = { devices, tolerance: "exact" } as const

describe("backendsAgree holds across the CPU paths", () => {
  it("device 0 and a worker device, eagerly and under jit, agree bit for bit", () => {
    expect(devices.map((d) => d.name)).toEqual(["CpuDevice(id=0)", "CpuDevice(id=0) (jit)", "CpuDevice(id=1)", "CpuDevice(id=1) (jit)"])
    const layer = function layer(x: Array, w: Array, b: Array) {
      return np.sum(nn.softmax(np.matmul(x, w).add(b)), { axis: 0 })
    }
    laws.check(laws.backendsAgree(layer, [arb.array({ shape: [2, 3] }), arb.array({ shape: [3, 4] }), arb.array({ shape: [4] })], exact), {
      seed: 1,
      numRuns: 10
    })
    const mixed = (a: Array, b: Array) => ({ s: np.tanh(a).mul(b), m: np.max(a.sub(b), { axis: -1 }), i: np.argmax(a, { axis: 0 }) })
    laws.check(laws.backendsAgree(mixed, [arb.array({ shape: [3, 2] }), arb.array({ shape: [2] })], exact), { seed: 2, numRuns: 10 })
    const draws = (k: random.PRNGKeyArray) => random.normal(k, [4])
    laws.check(laws.backendsAgree(draws, [arb.key()], exact), { seed: 3, numRuns: 5 })
  })

  it("random programs agree across the CPU paths", () => {
    const cases = laws.programs.programCase({})
    const property = fc.property(cases, (c) => {
      laws.check(
        laws.backendsAgree(
          c.program.run,
          c.args.map((a) => fc.constant(a)),
          exact
        ),
        { numRuns: 1 }
      )
    })
    fc.assert(property, { seed: 4, numRuns: 15 })
  })

  it("an asynchronous device plugs in through backendsAgreeAsync and checkAsync", async () => {
    const gpu = laws.onDevice(fakeDevice({ name: "fake-webgpu", async: true, readDelayMs: 0 }), { jit: true, name: "fake-webgpu (jit)" })
    await laws.checkAsync(laws.backendsAgreeAsync(np.tanh, [arb.array()], { devices: [devices[0]!, gpu] }), { seed: 5, numRuns: 10 })
    // The synchronous law says what to do instead.
    const r = failure(laws.backendsAgree(np.tanh, [arb.array()], { devices: [devices[0]!, gpu] }), { seed: 5, numRuns: 1 })
    expect(r.message).toContain("fake-webgpu (jit) answers asynchronously (a promise): check it with backendsAgreeAsync and checkAsync")
  })
})

describe("backendsAgree on the paths only large shapes take", () => {
  const entry = (name: string): CatalogEntry => {
    const e = allEntries().find((x) => x.name === name)
    if (e === undefined) throw new Error(`no catalog entry ${name}`)
    return e
  }
  const agree =
    (devs: ReadonlyArray<laws.LawDevice>, tolerance: laws.Comparison): LawOn =>
    (f, args) =>
      laws.backendsAgree(f, args, { devices: devs, tolerance })

  // Transposed reads walk tiles with ragged last tiles; chains of library calls run in fission
  // blocks; reductions over leading or middle axes keep accumulator rows; flips and negative
  // strides read backwards; broadcasts and integer reductions of uint32 values above 2^31.
  const kernels = [
    "transpose",
    "transpose, scaled",
    "swapaxes",
    "moveaxis",
    "nn.gelu(exact)",
    "nn.softplus",
    "tanh",
    "sum",
    "max",
    "mean",
    "var",
    "argmax",
    "nn.logsumexp",
    "cumsum",
    "flip",
    "index",
    "add",
    "where",
    "sum (integers)",
    "max (integers)"
  ]
  for (const name of kernels) {
    it(`${name}: eager, compiled and op-by-op agree bit for bit on large shapes`, () => {
      laws.check(entryProperty(entry(name), "backendsAgree", agree(devices, "exact"), "large"), { seed: seedOf(`${name}/backends/large`), numRuns: 2 })
    })
  }

  // The Wasm GEMM (float32 chunks of 256 k-steps) against the JS loops (float64 accumulation):
  // both round to float32, so they agree to float32 accuracy; a wrong edge tile (rows past a
  // multiple of 4, columns past a multiple of 8), panel or chunk is off by O(1).
  const jsLoops: laws.LawDevice = {
    name: "cpu (JS loops, Wasm GEMM off)",
    run: (f, args) => {
      wasmDotPolicy.enabled = false
      try {
        return devices[0]!.run(f, args)
      } finally {
        wasmDotPolicy.enabled = true
      }
    }
  }
  const gemm = agree([devices[0]!, jsLoops], { rtol: 1e-4, atol: 1e-3 })
  for (const name of ["matmul", "einsum", "lax.dotGeneral"]) {
    it(`${name}: the Wasm GEMM agrees with the JS loops on edge tiles, panels and chunks`, () => {
      const e = entry(name)
      laws.check(entryProperty(e, "backendsAgree", gemm), { seed: seedOf(`${name}/gemm`), numRuns: 15 })
      if (e.large !== undefined) laws.check(entryProperty(e, "backendsAgree", gemm, "large"), { seed: seedOf(`${name}/gemm/large`), numRuns: 4 })
    })
  }
})

describe("backendsAgree catches a wrong device", () => {
  it("a device whose exp is off by one part in a thousand", () => {
    const sloppyExp = {
      tamper: (j: { readonly eqns: ReadonlyArray<{ readonly primitive: { readonly name: string } }> }) =>
        j.eqns.length === 1 && j.eqns[0]!.primitive.name === "exp" ? (b: ReturnType<ArrayImpl["data"]>) => b.map((v) => v * 1.001) : undefined
    }
    const sloppy = laws.onDevice(fakeDevice({ name: "sloppy", ...sloppyExp }), { name: "sloppy" })
    const r = failure(laws.backendsAgree(nn.softplus, [arb.array({ shape: [3] })], { devices: [devices[0]!, sloppy] }), { seed: 6, numRuns: 20 })
    expect(r.message).toContain("Law failed: backendsAgree on softplus")
    expect(r.message).toMatch(/output at \[\d\]: CpuDevice\(id=0\) [-\d.e]+, sloppy [-\d.e]+ \(\|difference\| [\d.e-]+, allowed [\d.e-]+\)/)
    // ... and an async device that is wrong fails the async law.
    const sloppyAsync = laws.onDevice(fakeDevice({ name: "sloppy-async", async: true, readDelayMs: 0, ...sloppyExp }))
    return expect(
      laws.checkAsync(laws.backendsAgreeAsync(nn.softplus, [arb.array({ shape: [3] })], { devices: [devices[0]!, sloppyAsync] }), { seed: 6, numRuns: 20 })
    ).rejects.toThrow(/Law failed: backendsAgree on softplus[\s\S]*output at \[\d\]: CpuDevice\(id=0\)/)
  })

  it("a jit that quietly computes on device 0 instead of the device under test", () => {
    const d0 = allDevices()[0]!
    const toDevice0 = (x: unknown): unknown => (x instanceof ArrayImpl ? devicePut(x, d0) : x)
    const leakyJit: laws.JitLike = <Args extends ReadonlyArray<unknown>, R>(f: (...a: Args) => R) => {
      const j = jit(f)
      return (...a: Args) => j(...(a.map(toDevice0) as unknown as Args))
    }
    const offDevice = laws.onDevice(allDevices()[1]!, { jit: leakyJit, name: "worker (leaky jit)" })
    const r = failure(laws.backendsAgree(np.sin, [arb.array({ shape: [2] })], { devices: [devices[0]!, offDevice] }), { seed: 7, numRuns: 5 })
    expect(r.message).toContain(
      "worker (leaky jit): the computation left the device:\n  output leaf 0 (f32[2]) was computed on CpuDevice(id=0), not on CpuDevice(id=1)"
    )
  })

  it("needs two devices", () => {
    expect(() => laws.backendsAgree(np.sin, [arb.array()], { devices: [devices[0]!] })).toThrow(/at least two devices/)
  })
})
