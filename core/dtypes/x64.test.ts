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
  it("64-bit integers are not offered either way, and the setting takes booleans only", () => {
    for (const on of [false, true]) {
      config.update("jax_enable_x64", on)
      expect(() => np.array([1], { dtype: "int64" as never })).toThrow(DTypeError)
      expect(() => np.zeros([1], { dtype: "uint64" as never })).toThrow(/not offered: jaxfx has no 64-bit integers/)
    }
    expect(() => config.update("jax_enable_x64", "yes")).toThrow(ValueError)
  })
})
