import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { tempDir } from "../testing/temp-dir.js"
import { bundleForBrowser, nodeBuiltinsIn } from "./build.js"

describe("the package bundles for browsers", () => {
  it("jaxfx and jaxfx/effects bundle with esbuild for platform=browser with no Node built-in", async () => {
    const meta = await bundleForBrowser(["index.ts", "effects/index.ts", "backends/cpu/worker/main.ts"])
    expect(nodeBuiltinsIn(meta)).toEqual([])
    // the file-touching modules are in the bundle (not left out)
    const inputs = Object.keys(meta.inputs)
    for (const f of ["effects/codec/atomic.ts", "effects/codec/read-file.ts", "backends/cpu/worker/spawn-web.ts"]) expect(inputs).toContain(f)
  })

  it("a module importing a Node built-in fails the check", async () => {
    const dir = tempDir("jaxfx-bundle-")
    writeFileSync(join(dir, "uses-fs.ts"), 'import { readFileSync } from "node:fs"\nexport const f = () => readFileSync("x")\n')
    await expect(bundleForBrowser([join(dir, "uses-fs.ts")])).rejects.toThrow(/Could not resolve "node:fs"/)
  })
})
