import { describe, expect, it } from "vitest"
import { type GoldenArray, goldenValues, loadGolden } from "../../golden/load.js"
import { type Array as JArray, DTypeError, jit, lax, makeJaxpr, np, vmap } from "../../index.js"
import { config } from "../../index.js"
import { setX64Warner } from "../dtypes/x64.js"

interface RngCase {
  readonly key: GoldenArray
  readonly shape: ReadonlyArray<number>
  readonly dtype: "uint8" | "uint16" | "uint32"
  readonly algorithm: lax.RandomAlgorithm
  readonly new_key: GoldenArray
  readonly bits: GoldenArray
  readonly vmap?: boolean
}
const golden = loadGolden<RngCase>("lax_rng")
const keyOf = (g: GoldenArray): JArray => np.array(goldenValues(g), { dtype: "uint32" }).reshape(g.shape)
const flat = (x: JArray): number[] => globalThis.Array.from(x.data(), Number)

// Real JAX on CPU (golden/lax_rng.py): XLA's Philox (the default) and Threefry bit generators.
describe("lax.rngBitGenerator equals JAX's bits bit for bit", () => {
  for (const c of golden.cases) {
    const name = `${c.vmap === true ? "vmap " : ""}${c.algorithm} ${c.dtype} [${c.shape.join(",")}] key ${goldenValues(c.key).slice(0, 4).join(",")}`
    it(name, () => {
      const key = keyOf(c.key)
      const draw = (k: JArray): [JArray, JArray] => lax.rngBitGenerator(k, c.shape, c.dtype, c.algorithm)
      const [nk, bits] = c.vmap === true ? vmap(draw)(key) : draw(key)
      expect(nk.shape).toEqual(c.new_key.shape)
      expect(flat(nk)).toEqual(goldenValues(c.new_key))
      expect(bits.dtype).toBe(c.bits.dtype)
      expect(bits.shape).toEqual(c.bits.shape)
      expect(flat(bits)).toEqual(goldenValues(c.bits))
    })
  }
  it("under jit too", () => {
    const c = golden.cases.find((x) => x.algorithm === "RNG_THREE_FRY" && x.shape.length === 3 && x.vmap !== true)!
    const [nk, bits] = jit((k: JArray) => lax.rngBitGenerator(k, c.shape, c.dtype, c.algorithm))(keyOf(c.key))
    expect(flat(nk)).toEqual(goldenValues(c.new_key))
    expect(flat(bits)).toEqual(goldenValues(c.bits))
  })
})

describe("lax.rngBitGenerator and lax.rngUniform", () => {
  const key = np.array([1, 2, 3, 4], { dtype: "uint32" })
  it("refuses what JAX refuses, with what to do", () => {
    expect(() => lax.rngBitGenerator(key, [2], "int32" as never)).toThrow(DTypeError)
    expect(() => lax.rngBitGenerator(np.array([1, 2, 3], { dtype: "uint32" }), [2])).toThrow(/uint32\[4\]/)
    expect(() => lax.rngBitGenerator(np.array([1, 2, 3, 4]), [2])).toThrow(DTypeError)
    expect(() => lax.rngBitGenerator(key, [2], "uint32", "RNG_FAST" as never)).toThrow(/algorithm/)
  })
  it("uint64 is uint32 with x64 off (JAX's warning) and refused with x64 on", () => {
    const initial = config.read("jax_enable_x64")
    const warnings: string[] = []
    const restore = setX64Warner((m) => warnings.push(m))
    try {
      config.update("jax_enable_x64", false)
      expect(lax.rngBitGenerator(key, [3], "uint64")[1].dtype).toBe("uint32")
      expect(warnings.join()).toMatch(/requested dtype uint64 requested in rng_bit_generator is not available, and will be truncated to dtype uint32/)
      config.update("jax_enable_x64", true)
      expect(() => lax.rngBitGenerator(key, [3], "uint64")).toThrow(/no 64-bit integers/)
    } finally {
      config.update("jax_enable_x64", initial)
      setX64Warner(restore)
    }
  })
  it("prints as JAX's jaxpr", () => {
    const text = makeJaxpr((k: JArray) => lax.rngBitGenerator(k, [2], "uint8"))(key)
      .toString()
      .replace(/\s+/g, " ")
    expect(text).toContain("b:u32[4] c:u8[2] = rng_bit_generator[ algorithm=RNG_DEFAULT dtype=uint8 shape=(2,) ] a")
  })
  it("rngUniform draws new values each run, in [a, b), eager and under jit", () => {
    const a = lax.rngUniform(2, 3.5, [1000])
    expect(a.dtype).toBe("float32")
    const v = flat(a)
    expect(Math.min(...v)).toBeGreaterThanOrEqual(2)
    expect(Math.max(...v)).toBeLessThan(3.5)
    expect(flat(lax.rngUniform(2, 3.5, [1000]))).not.toEqual(v)
    const f = jit(() => lax.rngUniform(np.array(-3, { dtype: "int8" }), 4, [500]))
    const x = f()
    const y = f()
    expect(x.dtype).toBe("int8")
    expect(flat(x)).not.toEqual(flat(y))
    expect(Math.min(...flat(x))).toBe(-3)
    expect(Math.max(...flat(x))).toBe(3)
    expect(() => lax.rngUniform(np.array(0, { dtype: "int32" }), np.array(1, { dtype: "float32" }), [2])).toThrow(DTypeError)
    expect(() => lax.rngUniform(np.zeros([2]), 1, [2])).toThrow(/scalars/)
  })
})
