import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { config, DTypeError, np, random, ValueError } from "../../index.js"
import { setX64Warner } from "./x64.js"

// JAX's default: x64 off. (The rest of the suite runs with JAX_ENABLE_X64=1: vitest.config.ts.)
const initial = config.read("jax_enable_x64")
let warnings: string[] = []
let restore: (m: string) => void = () => {}
beforeEach(() => {
  warnings = []
  restore = setX64Warner((m) => warnings.push(m))
})
afterEach(() => {
  setX64Warner(restore)
  config.update("jax_enable_x64", initial)
})

describe("jax_enable_x64", () => {
  it("off: a float64 request gives float32, with JAX's warning (once per function)", () => {
    config.update("jax_enable_x64", false)
    expect(np.zeros([2], { dtype: "float64" }).dtype).toBe("float32")
    expect(np.zeros([3], { dtype: "float64" }).dtype).toBe("float32")
    expect(warnings).toEqual([
      "Explicitly requested dtype float64 requested in zeros is not available, and will be truncated to dtype float32. " +
        "To enable more dtypes, set the jax_enable_x64 configuration option or the JAX_ENABLE_X64 shell environment variable. " +
        "See https://github.com/jax-ml/jax#current-gotchas for more."
    ])
    expect(np.array([1.5], { dtype: "float64" }).dtype).toBe("float32")
    expect(np.arange(3, { dtype: "float64" }).dtype).toBe("float32")
    expect(np.ones([2]).astype("float64").dtype).toBe("float32")
    expect(np.astype([1, 2], "float64").dtype).toBe("float32")
    expect(random.uniform(random.key(0), [2], { dtype: "float64" }).dtype).toBe("float32")
    expect(np.resultType("float64", 1)).toBe("float32")
  })
  it("on: float64 is stored and computed", () => {
    config.update("jax_enable_x64", true)
    const x = np.array([1, 2], { dtype: "float64" })
    expect(x.dtype).toBe("float64")
    expect(x.add(1e-12).data()[0]).toBe(1 + 1e-12)
    expect(np.resultType("float64", "float32")).toBe("float64")
    expect(warnings).toEqual([])
  })
  it("off: an int64 / uint64 request gives int32 / uint32, with JAX's warning (as JAX 0.10)", () => {
    config.update("jax_enable_x64", false)
    const z = np.zeros([3], { dtype: "int64" })
    expect([z.dtype, z.shape]).toEqual(["int32", [3]])
    const u = np.array([1, 2], { dtype: "uint64" })
    expect([u.dtype, Array.from(u.data())]).toEqual(["uint32", [1, 2]])
    expect(np.astype(np.array([1.5, -2.5]), "int64").dtype).toBe("int32")
    // convert_element_type's saturation, as JAX's astype("int64") gives with x64 off: [2147483647].
    expect(
      Array.from(
        np
          .array([2 ** 40], { dtype: "float32" })
          .astype("int64")
          .data()
      )
    ).toEqual([2147483647])
    expect(np.arange(3, { dtype: "int64" }).dtype).toBe("int32")
    expect(np.full([2], 3, { dtype: "uint64" }).dtype).toBe("uint32")
    const msg = (d: string, fn: string, to: string) =>
      `Explicitly requested dtype ${d} requested in ${fn} is not available, and will be truncated to dtype ${to}. ` +
      "To enable more dtypes, set the jax_enable_x64 configuration option or the JAX_ENABLE_X64 shell environment variable. " +
      "See https://github.com/jax-ml/jax#current-gotchas for more."
    // JAX's messages (checked against JAX 0.10.2), once per function and dtype.
    expect(warnings).toContain(msg("int64", "zeros", "int32"))
    expect(warnings).toContain(msg("uint64", "array", "uint32"))
    expect(warnings).toContain(msg("int64", "astype", "int32"))
    expect(warnings).toContain(msg("uint64", "full", "uint32"))
  })
  it("on: 64-bit integers are not offered (DTypeError), and the setting takes booleans only", () => {
    config.update("jax_enable_x64", true)
    expect(() => np.array([1], { dtype: "int64" })).toThrow(DTypeError)
    expect(() => np.zeros([1], { dtype: "uint64" })).toThrow(/uint64 is not offered with jax_enable_x64 on/)
    expect(() => np.astype([1], "int64")).toThrow(DTypeError)
    expect(() => np.ones([1]).astype("uint64")).toThrow(DTypeError)
    expect(warnings).toEqual([])
    expect(() => config.update("jax_enable_x64", "yes")).toThrow(ValueError)
  })
})
