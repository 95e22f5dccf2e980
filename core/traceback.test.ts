/**
 * JAX's traceback filtering: a jaxfx error raised inside transformed functions has the user's
 * line as its first frame, and none of jaxfx's own frames unless the filtering is off. Without it
 * (V8 keeps 10 frames) the user's frame is not in the stack at all: the interpreters fill it.
 */
import { afterEach, describe, expect, it } from "vitest"
import { config, grad, jit, np, ShapeError, ValueError, vmap, type JaxArray } from "../index.js"
import { filterStack, isInternalFrame } from "./traceback.js"

const thisFile = new URL(import.meta.url).pathname

// The faulty line: shapes (3,) and (4,) do not broadcast.
const loss = (x: JaxArray): JaxArray => np.sum(x.add(np.ones([4])))
const faultyLine = 13

const caught = (f: () => unknown): Error => {
  try {
    f()
  } catch (e) {
    return e as Error
  }
  throw new Error("expected an error")
}

const frames = (e: Error): ReadonlyArray<string> => (e.stack ?? "").split("\n").filter((l) => /^\s+at /.test(l))

afterEach(() => config.update("jaxTracebackFiltering", "auto"))

describe("errors inside transformed functions point at the user's line", () => {
  const x = np.ones([3])
  const cases: ReadonlyArray<readonly [string, () => unknown]> = [
    ["grad", () => grad(loss)(x)],
    ["jit", () => jit(loss)(x)],
    ["jit(grad(vmap))", () => jit(grad((xs: JaxArray) => np.sum(vmap(loss)(xs))))(np.ones([2, 3]))]
  ]
  for (const [name, run] of cases) {
    it(name, () => {
      const e = caught(run)
      expect(e).toBeInstanceOf(ShapeError)
      expect(frames(e)[0]).toContain(`${thisFile}:${faultyLine}:`)
      expect(frames(e).filter(isInternalFrame)).toEqual([])
      expect(e.stack).toContain(`jaxfx removed its internal frames from this stack; config.update("jaxTracebackFiltering", "off")`)
      expect(e.stack).toMatch(/^ShapeError: add: shapes .* cannot be broadcast together/)
    })
  }

  it("keeps every frame when the filtering is off", () => {
    config.update("jaxTracebackFiltering", "off")
    const e = caught(() => grad(loss)(x))
    expect(frames(e).filter(isInternalFrame).length).toBeGreaterThan(0)
    expect(frames(e)[0]).toMatch(/core\/primitives\/elementwise\.[tj]s:/)
    expect(e.stack).not.toContain("jaxfx removed")
  })

  it("quiet_remove_frames removes them without the note; unknown modes are a ValueError", () => {
    config.update("jaxTracebackFiltering", "quiet_remove_frames")
    const e = caught(() => grad(loss)(x))
    expect(frames(e)[0]).toContain(`${thisFile}:${faultyLine}:`)
    expect(e.stack).not.toContain("jaxfx removed")
    expect(() => config.update("jaxTracebackFiltering", "on")).toThrow(ValueError)
    expect(() => config.update("jaxTracebackFiltering", "on")).toThrow(/expected one of "auto", "off", "remove_frames", "quiet_remove_frames"/)
  })
})

describe("filterStack", () => {
  const root = new URL("../", import.meta.url).pathname
  const stack = [
    "ShapeError: bad",
    "  second line of the message",
    `    at broadcast (${root}core/primitives/elementwise.ts:1:1)`,
    `    at loss (${root}examples/train.ts:3:15)`,
    `    at bind (${root}core/trace.ts:2:2)`,
    `    at it (${root}core/foo.test.ts:9:9)`,
    "    at node:internal/x:1:1"
  ].join("\n")

  it("drops jaxfx's frames, keeps users' (tests and examples in the repository too) and the message", () => {
    expect(filterStack(stack, 10, false).split("\n")).toEqual([
      "ShapeError: bad",
      "  second line of the message",
      `    at loss (${root}examples/train.ts:3:15)`,
      `    at it (${root}core/foo.test.ts:9:9)`,
      "    at node:internal/x:1:1"
    ])
    expect(filterStack(stack, 1, false).split("\n")).toHaveLength(3)
    expect(filterStack("Error: no frames", 10, true)).toBe("Error: no frames")
  })
})
