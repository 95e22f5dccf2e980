/** Random bits on the WebGPU device: threefry2x32, shifts and bitcasts give the CPU's bits exactly. */
import { describe, it } from "vitest"
import { type Array, devicePut, jit, lax, np, random } from "../../index.js"
import { threefry2x32 } from "../../core/primitives/bits.js"
import { cpu, expectCloseToCpu, webgpuForTests } from "./test-helpers.js"

const gpu = await webgpuForTests()

describe.skipIf(gpu === undefined)("WebGPU random bits equal the CPU's", { timeout: 120_000 }, () => {
  it("threefry2x32 with broadcast operands, and the shifts", async () => {
    const u = (xs: number[], shape = [xs.length]) => np.array(xs, { dtype: "uint32" }).reshape(shape)
    const k0 = u([0, 42, 4294967295], [3, 1])
    const k1 = u([1, 7], [1, 2])
    const x0 = u([0, 1, 2, 3, 4, 5], [3, 2])
    const x1 = u([9], [1, 1])
    const f = (a: Array, b: Array, c: Array, d: Array) => threefry2x32(a, b, c, d)
    const c = devicePut([k0, k1, x0, x1], cpu())
    const g = devicePut([k0, k1, x0, x1], gpu!)
    const want = f(c[0]!, c[1]!, c[2]!, c[3]!)
    const got = f(g[0]!, g[1]!, g[2]!, g[3]!)
    await expectCloseToCpu(got[0], want[0])
    await expectCloseToCpu(got[1], want[1])
    const a = np.array([1, -8, 2147483647, -1], { dtype: "int32" })
    const s = np.array([1, 3, 31, 40], { dtype: "int32" })
    const shifts = (p: Array, q: Array) => [lax.shiftLeft(p, q), lax.shiftRightLogical(p, q), lax.shiftRightArithmetic(p, q)]
    const [ac, sc] = devicePut([a, s], cpu())
    const [ag, sg] = devicePut([a, s], gpu!)
    const ws = shifts(ac, sc)
    const gs = jit(shifts)(ag, sg)
    for (let i = 0; i < 3; i++) await expectCloseToCpu(gs[i]!, ws[i]!)
  })

  it("random.uniform and random.randint under jit: the same numbers on both devices", async () => {
    const draw = (k: Parameters<typeof random.split>[0]) => {
      const [a, b] = random.split(k)
      return [random.uniform(a!, [5, 3]), random.randint(b!, [7], 0, 100)]
    }
    const key = random.key(1234)
    const want = draw(devicePut(key, cpu()) as unknown as typeof key)
    const got = jit(draw)(devicePut(key, gpu!) as unknown as typeof key)
    await expectCloseToCpu(got[0]!, want[0]!, 0, 0)
    await expectCloseToCpu(got[1]!, want[1]!)
  })
})
