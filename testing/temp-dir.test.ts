import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { basename, dirname, join } from "node:path"
import { describe, expect, it } from "vitest"
import { isolateTemp, leakError, onlyToolCaches } from "./isolate-temp.js"
import { childEnv, tempDir } from "./temp-dir.js"

describe("temporary files in tests", () => {
  it("each test file runs in its own temp dir, inside the run's own temp dir (vitest.config.ts wires the leak check)", () => {
    expect(basename(tmpdir())).toMatch(/^jaxfx-file-/)
    expect(basename(dirname(tmpdir()))).toMatch(/^jaxfx-run-/)
    // processes the tests start share one temp dir of the run's, for tools' caches
    expect(childEnv({ A: "1" })).toMatchObject({ TMPDIR: join(dirname(tmpdir()), "children"), A: "1" })
  })

  let made = ""
  it("tempDir makes a fresh directory in the temp dir", () => {
    made = tempDir("jaxfx-example-")
    writeFileSync(join(made, "a.txt"), "x")
    expect(dirname(made)).toBe(tmpdir())
    expect(readdirSync(made)).toEqual(["a.txt"])
  })

  it("... and removes it when the test that made it finishes", () => {
    expect(made).not.toBe("")
    expect(existsSync(made)).toBe(false)
  })

  it("the leak check finds what a test left in its temp dir, and removes it", () => {
    const before = process.env["TMPDIR"]
    const temp = isolateTemp("jaxfx-check-")
    expect(tmpdir()).toBe(temp.dir)
    writeFileSync(join(tmpdir(), "leaked.tmp"), "x")
    const left = temp.finish()
    expect(left).toEqual(["leaked.tmp"])
    expect(existsSync(temp.dir)).toBe(false)
    expect(process.env["TMPDIR"]).toBe(before)
    expect(leakError("a test", left)?.message).toMatch(/a test left 1 entries in the temp dir \(leaked\.tmp\)/)
    expect(leakError("a test", [])).toBeUndefined()
  })

  it("the run's check accepts a test file's dir that a worker device's tsx cache recreated, and nothing else", () => {
    const temp = isolateTemp("jaxfx-check-")
    const cacheOnly = join(tmpdir(), "jaxfx-file-a")
    mkdirSync(join(cacheOnly, "tsx-0"), { recursive: true })
    writeFileSync(join(cacheOnly, "tsx-0", "1-x.json"), "{}")
    const leaked = join(tmpdir(), "jaxfx-file-b")
    mkdirSync(join(leaked, "tsx-0"), { recursive: true })
    writeFileSync(join(leaked, "leaked.tmp"), "x")
    expect(onlyToolCaches(cacheOnly)).toBe(true)
    expect(onlyToolCaches(leaked)).toBe(false)
    expect(onlyToolCaches(join(tmpdir(), "missing"))).toBe(true)
    const left = temp.finish((path, name) => name.startsWith("jaxfx-file-") && onlyToolCaches(path))
    expect(left).toEqual(["jaxfx-file-b"])
    expect(existsSync(temp.dir)).toBe(false)
  })
})
