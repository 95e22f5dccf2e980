import { describe, expect, it } from "vitest"
import { loadGolden } from "../../golden/load.js"
import { DTypeError } from "../errors.js"
import { finfo, iinfo } from "./info.js"
import type { DTypeName } from "./names.js"

interface Case {
  readonly id: string
  readonly kind: string
  readonly dtype: DTypeName
  readonly fields: Record<string, number | string>
}
const golden = loadGolden<Case>("dtypes").cases
const camel = (k: string) => k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())

describe("np.finfo equals jnp.finfo", () => {
  for (const c of golden.filter((c) => c.kind === "finfo")) {
    it(c.id, () => {
      const f = finfo(c.dtype) as unknown as Record<string, number>
      for (const [k, v] of Object.entries(c.fields)) expect([k, f[camel(k)]]).toEqual([k, v])
      expect(f.dtype).toBe(c.dtype)
    })
  }
  it("refuses non-float dtypes", () => {
    expect(() => finfo("int8")).toThrow(DTypeError)
  })
})

describe("np.iinfo equals jnp.iinfo", () => {
  for (const c of golden.filter((c) => c.kind === "iinfo" && !c.dtype.endsWith("64"))) {
    it(c.id, () => {
      const i = iinfo(c.dtype)
      expect(i.bits).toBe(c.fields.bits)
      expect(i.min).toBe(Number(c.fields.min))
      expect(i.max).toBe(Number(c.fields.max))
      expect(i.kind).toBe(c.fields.kind)
    })
  }
  it("refuses the 64-bit integers (not offered) and non-integers, saying what to use", () => {
    expect(() => iinfo("int64")).toThrow(/int64 is not offered/)
    expect(() => iinfo("float32")).toThrow(/not an integer dtype/)
  })
})
