import { describe, expect, it } from "vitest"
import { ValueError } from "./errors.js"
import { checkOneOf, checkOptions, closest, optionKeys } from "./options.js"

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
    expect(() => checkOptions("f", { a: 1 }, [])).toThrow('f: unknown option "a"; it takes no options.')
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

describe("checkOneOf", () => {
  it("passes undefined and allowed values; anything else is a ValueError naming the allowed values and the closest", () => {
    expect(() => checkOneOf("random.gumbel", "mode", undefined, ["low", "high"])).not.toThrow()
    expect(() => checkOneOf("random.gumbel", "mode", "high", ["low", "high"])).not.toThrow()
    expect(() => checkOneOf("random.gumbel", "mode", "hihg", ["low", "high"])).toThrow(ValueError)
    expect(() => checkOneOf("random.gumbel", "mode", "hihg", ["low", "high"])).toThrow(
      'random.gumbel: unknown mode "hihg" (did you mean "high"?); use one of "low", "high".'
    )
    expect(() => checkOneOf("codec.save", "format", "npz", ["json", "safetensors"])).toThrow(
      'codec.save: unknown format "npz"; use one of "json", "safetensors".'
    )
    expect(() => checkOneOf<unknown>("f", "mode", 3, ["a"])).toThrow('f: unknown mode number 3; use one of "a".')
  })
})
