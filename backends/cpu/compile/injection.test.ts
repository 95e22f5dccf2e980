/**
 * Generated kernels embed only values the generator made itself. A "dimension" that is not a
 * number (an object whose valueOf is 3 and whose toString is JavaScript, or such a string) must
 * never reach the source of a `new Function`: every site that takes a shape, dimension, axis or
 * static integer refuses it with a typed error, eagerly and under jit, and the code never runs.
 */
import { afterEach, describe, expect, it } from "vitest"
import { type Array, definePrimitive, isJaxfxError, jit, lax, nn, np, random, ShapedArray, ValueError, vmap } from "../../../index.js"
import { bind1 } from "../../../core/trace.js"
import { jsInt, jsNumber } from "../codegen.js"

const FLAG = "__jaxfxInjected"
const flag = globalThis as unknown as Record<string, number | undefined>
/** JavaScript that counts how often it ran, and evaluates to 3 (a plausible dimension). */
const code = `(globalThis.${FLAG} = (globalThis.${FLAG} ?? 0) + 1, 3)`

/** The payloads: anything whose string form is code, while it may pass for the number 3. */
const payloads: ReadonlyArray<readonly [string, () => unknown]> = [
  ["an object whose valueOf is 3 and whose toString is code", () => ({ valueOf: () => 3, toString: () => code })],
  ["a string of code", () => code],
  ["a list holding such an object", () => [{ valueOf: () => 3, toString: () => code }]],
  ["a boxed number whose toString is code", () => Object.assign(new Number(3), { toString: () => code })]
]

const f32 = (shape: ReadonlyArray<number>): Array =>
  np
    .arange(shape.reduce((a, b) => a * b, 1))
    .reshape([...shape])
    .astype("float32")
const x23 = () => f32([2, 3])
const key = () => random.key(0)
// Payloads are deliberately not numbers: they reach the API as any JS caller could pass them.
type P = never

/** Every site that takes a shape, dimension, axis or static integer, as a function of the payload. */
const sites: ReadonlyArray<readonly [string, (d: P) => unknown]> = [
  ["lax.iota shape", (d) => lax.iota("int32", [d, 2])],
  ["lax.iota dimension", (d) => lax.iota("int32", [2, 3], d)],
  ["lax.broadcastInDim shape", (d) => lax.broadcastInDim(f32([3]), [3, d], [0])],
  ["lax.broadcastInDim broadcastDimensions", (d) => lax.broadcastInDim(f32([3]), [3, 3], [d])],
  ["vmap axisSize", (d) => vmap(() => np.ones([2]), { inAxes: [], axisSize: d })()],
  ["vmap inAxes", (d) => vmap((y: Array) => y.mul(2), { inAxes: d })(x23())],
  ["vmap outAxes", (d) => vmap((y: Array) => y.mul(2), { outAxes: d })(x23())],
  ["lax.reshape", (d) => lax.reshape(x23(), [d, 2])],
  ["np.reshape", (d) => np.reshape(x23(), [d, -1])],
  ["np.zeros", (d) => np.zeros([d, 2])],
  ["np.ones", (d) => np.ones(d)],
  ["np.full", (d) => np.full([2, d], 1)],
  ["np.eye", (d) => np.eye(d)],
  ["np.arange", (d) => np.arange(d)],
  ["np.linspace num", (d) => np.linspace(0, 1, d)],
  ["np.broadcastTo", (d) => np.broadcastTo(f32([3]), [d, 3])],
  ["np.tile", (d) => np.tile(x23(), [d, 1])],
  ["np.repeat", (d) => np.repeat(x23(), d)],
  ["np.expandDims", (d) => np.expandDims(x23(), d)],
  ["np.split", (d) => np.split(f32([6]), d)],
  ["np.pad", (d) => np.pad(x23(), d)],
  ["np.sum axis", (d) => np.sum(x23(), { axis: d })],
  ["np.take axis", (d) => np.take(x23(), np.array([0]), { axis: d })],
  ["np.transpose axes", (d) => np.transpose(x23(), [d, 0])],
  ["lax.slice start", (d) => lax.slice(x23(), [d, 0], [2, 3])],
  ["lax.slice limit", (d) => lax.slice(x23(), [0, 0], [2, d])],
  ["lax.slice strides", (d) => lax.slice(x23(), [0, 0], [2, 3], [d, 1])],
  [
    "lax.pad config",
    (d) =>
      lax.pad(x23(), np.zeros([], { dtype: "float32" }), [
        [d, 0, 0],
        [0, 0, 0]
      ])
  ],
  ["lax.transpose", (d) => lax.transpose(x23(), [d, 0])],
  ["lax.rev", (d) => lax.rev(x23(), [d])],
  ["lax.concatenate dimension", (d) => lax.concatenate([x23(), x23()], d)],
  ["lax.reduceSum axes", (d) => lax.reduceSum(x23(), [d])],
  ["lax.argmax axis", (d) => lax.argmax(x23(), d)],
  ["lax.cumsum axis", (d) => lax.cumsum(x23(), d)],
  ["lax.integerPow exponent", (d) => lax.integerPow(x23(), d)],
  ["lax.dotGeneral dimension numbers", (d) => lax.dotGeneral(x23(), x23(), { contracting: [[d], [1]], batch: [[], []] })],
  ["lax.scan length", (d) => lax.scan((c: Array) => [c, c], np.array(0), null, { length: d })],
  ["lax.forILoop bound", (d) => lax.forILoop(0, d, (_i: Array, c: Array) => c.add(1), np.array(0))],
  ["random.normal shape", (d) => random.normal(key(), [d])],
  ["random.split num", (d) => random.split(key(), d)],
  ["nn.oneHot numClasses", (d) => nn.oneHot(np.array([0, 1]), d)],
  [
    "a user primitive's shape rule",
    (d) => {
      const p = definePrimitive<Record<string, never>>(`injection_test_${++defined}`, () => [new ShapedArray([d], "float32")])
      p.impl = () => [np.zeros([3])]
      return bind1(p, [], {})
    }
  ]
]
let defined = 0

afterEach(() => {
  delete flag[FLAG]
})

describe("no payload reaches generated code", () => {
  const cases = sites.flatMap(([site, f]) => payloads.map(([what, make]) => [`${site}: ${what}`, f, make] as const))
  it.each(cases)("%s is a typed error eagerly and under jit, and the code never runs", (_l, f, make) => {
    for (const [how, run] of [
      ["eager", () => f(make() as P)],
      ["jit", () => jit(() => f(make() as P))()]
    ] as const) {
      let thrown: unknown
      try {
        run()
      } catch (e) {
        thrown = e
      }
      expect(thrown, `${how}: no error`).toBeDefined()
      expect(isJaxfxError(thrown), `${how}: ${String(thrown)}`).toBe(true)
      expect(flag[FLAG], `${how}: the payload ran`).toBeUndefined()
    }
  })

  it("a shape changed in place after the checks is refused by the code generator (a ValueError), not compiled", () => {
    const x = np.zeros([3])
    ;(x.shape as number[])[0] = { valueOf: () => 3, toString: () => code } as unknown as number
    expect(() => jit((y: Array) => y.add(1))(x)).toThrow(/shape|code generation/)
    expect(flag[FLAG]).toBeUndefined()
  })

  it("the generators' number formatters take only numbers (and only safe integers where an integer belongs)", () => {
    expect(jsInt(12)).toBe("12")
    expect(jsInt(-3)).toBe("(-3)")
    expect(jsNumber(-0)).toBe("-0")
    expect(jsNumber(0.5)).toBe("0.5")
    expect(jsNumber(NaN)).toBe("NaN")
    for (const bad of [code, { valueOf: () => 3, toString: () => code }, 1.5, 2 ** 53, NaN, Infinity, [3], null]) {
      expect(() => jsInt(bad as number)).toThrow(ValueError)
    }
    for (const bad of [code, { valueOf: () => 3, toString: () => code }, [3], null, undefined]) {
      expect(() => jsNumber(bad as number)).toThrow(ValueError)
    }
    expect(flag[FLAG]).toBeUndefined()
  })
})
