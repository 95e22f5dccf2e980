/**
 * Fused elementwise and broadcast chains on the WebGPU device (generated WGSL) against the CPU
 * device, eagerly and under jit, in float32, int32, uint32 and bool.
 */
import { describe, expect, it } from "vitest"
import { type Array, devicePut, jit, lax, nn, np } from "../../index.js"
import { cpu, expectCloseToCpu, webgpuForTests } from "./test-helpers.js"

const gpu = await webgpuForTests()

const f32 = (xs: number[], shape = [xs.length]) => np.array(xs, { dtype: "float32" }).reshape(shape)
const i32 = (xs: number[]) => np.array(xs, { dtype: "int32" })
const u32 = (xs: number[]) => np.array(xs, { dtype: "uint32" })

/** f on the GPU and on the CPU, same inputs; results compared (eagerly and jitted). */
const agree = async (f: (...xs: Array[]) => Array, inputs: Array[], rtol?: number, atol?: number): Promise<void> => {
  const want = f(...devicePut(inputs, cpu()))
  await expectCloseToCpu(f(...devicePut(inputs, gpu!)), want, rtol, atol)
  await expectCloseToCpu(jit(f)(...devicePut(inputs, gpu!)), want, rtol, atol)
}

/**
 * Each of `fs` on the same inputs, on the CPU eagerly and on the GPU in one jitted program (one
 * fused multi-output kernel: software adapters compile shaders slowly, so tests compile few).
 */
const agreeAll = async (fs: ReadonlyArray<(...xs: Array[]) => Array>, inputs: Array[], rtol?: number, atol?: number): Promise<void> => {
  const c = devicePut(inputs, cpu())
  const got = jit((...xs: Array[]) => fs.map((f) => f(...xs)))(...devicePut(inputs, gpu!))
  for (let i = 0; i < fs.length; i++) await expectCloseToCpu(got[i]!, fs[i]!(...c), rtol, atol)
}

const xs = [-3.5, -2.5, -1.25, -0.5, -0.0, 0.0, 0.3, 0.5, 1.5, 2.5, 3.75, 10]
const pos = [1e-3, 0.1, 0.5, 1, 2, 3.5, 10, 100]

describe.skipIf(gpu === undefined)("WebGPU elementwise kernels agree with the CPU", { timeout: 120_000 }, () => {
  it("float32 unary operations", async () => {
    const x = f32(xs)
    await agree(lax.exp, [x])
    await agreeAll(
      [
        lax.neg,
        lax.sign,
        lax.floor,
        lax.ceil,
        lax.abs,
        lax.tanh,
        lax.logistic,
        lax.sin,
        lax.cos,
        lax.atan,
        lax.expm1,
        lax.erf,
        lax.round,
        (y) => lax.round(y, lax.RoundingMethod.toNearestEven)
      ] as ((y: Array) => Array)[],
      [x],
      2e-5,
      2e-6
    )
    await agreeAll([lax.log, lax.sqrt, lax.rsqrt, lax.log1p] as ((y: Array) => Array)[], [f32(pos)])
    // outside the domain: NaN and infinities as the CPU gives them
    await agreeAll([lax.log, lax.sqrt, lax.isFinite] as ((y: Array) => Array)[], [f32([-1, 0, Infinity, -Infinity, NaN])])
  })

  it("float32 binary operations and comparisons", async () => {
    const a = f32([-3, -1.5, 0, 0.5, 2, 7, NaN, 4])
    const b = f32([2, -0.5, 1, 3, -2, 2.5, 1, NaN])
    await agree(lax.add, [a, b])
    await agreeAll(
      [lax.sub, lax.mul, lax.div, lax.max, lax.min, lax.atan2, lax.rem, lax.eq, lax.ne, lax.lt, lax.le, lax.gt, lax.ge] as ((x: Array, y: Array) => Array)[],
      [a, b]
    )
    await agreeAll([lax.pow], [f32([2, 0.5, 3, -2, -2, 0, 1, 10]), f32([3, -2, 0.5, 3, 2, 2, NaN, -1])])
    await agreeAll([(x) => lax.integerPow(x, 3), (x) => lax.integerPow(x, -2)], [a])
  })

  it("int32, uint32 and bool arithmetic, including XLA's division by zero", async () => {
    const a = i32([-7, -1, 0, 5, 2147483647, -2147483648, 9, 3])
    const b = i32([2, 0, 3, -2, 1, -1, 0, 3])
    await agree(lax.div, [a, b])
    await agreeAll(
      [
        lax.add,
        lax.sub,
        lax.mul,
        lax.rem,
        lax.max,
        lax.min,
        lax.and,
        lax.or,
        lax.xor,
        lax.lt,
        lax.eq,
        (x) => lax.neg(x),
        (x) => lax.abs(x),
        (x) => lax.not(x)
      ] as ((x: Array, y: Array) => Array)[],
      [a, b]
    )
    const u = u32([0, 1, 7, 4294967295, 100])
    const v = u32([3, 0, 2, 2, 7])
    await agreeAll([lax.add, lax.mul, lax.div, lax.rem, lax.max, lax.gt] as ((x: Array, y: Array) => Array)[], [u, v])
    const p = np.array([true, false, true, false])
    const q = np.array([true, true, false, false])
    await agreeAll([lax.and, lax.or, lax.xor, lax.eq, lax.ne, (x) => lax.not(x)] as ((x: Array, y: Array) => Array)[], [p, q])
  })

  it("conversions: saturating float -> int, NaN -> 0, bool", async () => {
    const x = f32([-1e10, -2.7, -0.5, 0, 0.5, 2.7, 3e9, 1e10, NaN])
    await agreeAll(
      (["int32", "uint32", "bool"] as const).map((d) => (y: Array) => lax.convertElementType(y, d)),
      [x]
    )
    await agreeAll([(y) => lax.convertElementType(y, "float32"), (y) => lax.convertElementType(y, "uint32")], [i32([-5, 0, 16777217])])
    await agreeAll([(y) => lax.convertElementType(y, "int32")], [u32([0, 4294967295, 5])])
    await agreeAll([(y) => lax.convertElementType(y, "float32")], [np.array([true, false])])
  })

  it("a fused broadcast chain (one kernel), eager and jitted, with where and iota", async () => {
    const x = f32([0.5, -1, 2], [3, 1])
    const y = f32([1, 2, -3, 0.25], [1, 4])
    const chain = (a: Array, b: Array) => np.where(a.mul(b).gt(0), np.tanh(a.mul(b).add(1)), np.exp(b.sub(a)).mul(0.5)).add(np.arange(4))
    await agree(chain, [x, y])
    // transposes, slices and reversals are index maps on loads
    const m = f32(
      globalThis.Array.from({ length: 12 }, (_, i) => i * 0.5 - 3),
      [3, 4]
    )
    await agree((a) => np.flip(a.T, 0).mul(2).add(np.sin(a.T)), [m])
    await agree((a) => lax.slice(a, [1, 1], [3, 4]).mul(a.sum()), [m])
    await agree(
      (a) =>
        np
          .pad(a, [
            [1, 0],
            [0, 2]
          ])
          .add(1),
      [m]
    )
    await agree((a) => np.concatenate([a, a.mul(2)], 1), [m])
  })

  it("selu and relu (nn) under jit", async () => {
    const x = f32(xs)
    await agreeAll([nn.selu, nn.relu, nn.gelu as (x: Array) => Array], [x], 1e-5, 2e-6)
  })

  it("arrays stay on the GPU: results are committed there and read asynchronously", async () => {
    const x = devicePut(f32([1, 2, 3]), gpu!)
    const y = np.exp(x)
    expect(y.device).toBe(gpu)
    expect(() => y.data()).toThrow(/cannot be read synchronously here: read it with the Effect API `Device.read\(x\)` \(or `await x.dataAsync\(\)`\)/)
    await expectCloseToCpu(y, np.exp(devicePut(f32([1, 2, 3]), cpu())))
  })
})
