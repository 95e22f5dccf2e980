import { describe, expect, it } from "vitest"
import { ValueError } from "./errors.js"
import { checkOptions, closest, optionKeys } from "./options.js"

describe("checkOptions", () => {
  it("passes known keys and undefined, returns the options", () => {
    const o = { axis: 0 }
    expect(checkOptions("np.sum", o, ["axis", "keepdims"])).toBe(o)
    expect(checkOptions("np.sum", undefined, ["axis"])).toBeUndefined()
  })

  it("an unknown key is a ValueError naming the valid keys and the closest one", () => {
    expect(() => checkOptions("np.sum", { axes: 0 }, ["axis", "keepdims", "dtype"])).toThrow(ValueError)
    expect(() => checkOptions("np.sum", { axes: 0 }, ["axis", "keepdims", "dtype"])).toThrow(
      'np.sum: unknown option "axes" (did you mean "axis"?); the options are axis, keepdims, dtype.'
    )
    expect(() => checkOptions("vmap", { axisname: "i" }, ["inAxes", "outAxes", "axisName"])).toThrow(/did you mean "axisName"/)
    expect(() => checkOptions("f", { zzz: 1 }, ["axis"])).toThrow('f: unknown option "zzz"; the options are axis.')
    expect(() => checkOptions("f", { a: 1 }, [])).toThrow("f: unknown option \"a\"; it takes no options.")
  })

  it("anything but a plain object is refused", () => {
    expect(() => checkOptions("np.sum", 0 as unknown, ["axis"])).toThrow(/must be a plain object .* got number 0; the options are axis/)
    expect(() => checkOptions("np.sum", [0] as unknown, ["axis"])).toThrow(/got a list/)
    expect(() => checkOptions("np.sum", null as unknown, ["axis"])).toThrow(/got null/)
    expect(() => checkOptions("np.sum", new Map() as unknown, ["axis"])).toThrow(/got a Map/)
  })
})

describe("closest and optionKeys", () => {
  it("suggests only near names", () => {
    expect(closest("kepdims", ["axis", "keepdims"])).toBe("keepdims")
    expect(closest("xyz", ["axis", "keepdims"])).toBeUndefined()
  })

  it("optionKeys lists every key of an interface (a missing one does not type-check)", () => {
    interface O {
      readonly axis?: number
      readonly keepdims?: boolean
    }
    expect(optionKeys<O>()("axis", "keepdims")).toEqual(["axis", "keepdims"])
    // @ts-expect-error keepdims is missing
    optionKeys<O>()("axis")
  })
})
