import { spawnSync } from "node:child_process"
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { Cause, Effect, Exit } from "effect"
import { describe, expect, it } from "vitest"
import { CodecError, np } from "../../index.js"
import { tempDir } from "../../testing/temp-dir.js"
import * as codec from "./index.js"

const template = { w: np.zeros([3]) }

/** The CodecError a load fails with, in the typed error channel (within 10 s: never a hang). */
const loadError = async (path: string, options?: codec.LoadOptions): Promise<CodecError> => {
  const exit = await Effect.runPromiseExit(codec.load(path, template, options).pipe(Effect.timeout("10 seconds")))
  if (Exit.isSuccess(exit)) return expect.fail("expected the load to fail")
  const e = Cause.squash(exit.cause)
  expect(Cause.hasDies(exit.cause)).toBe(false)
  expect(e).toBeInstanceOf(CodecError)
  return e as CodecError
}

describe("codec.load reads only regular files, of a bounded size, exactly", () => {
  it("a FIFO is rejected at once (reading one would wait for a writer forever)", async () => {
    const dir = tempDir("jaxfx-codec-")
    const fifo = join(dir, "ckpt.safetensors")
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0)
    expect((await loadError(fifo)).message).toMatch(/is a FIFO, not a regular file/)
  })

  it("a symlink to /dev/zero is rejected at once (reading it would never end)", async () => {
    const dir = tempDir("jaxfx-codec-")
    symlinkSync("/dev/zero", join(dir, "ckpt.json"))
    expect((await loadError(join(dir, "ckpt.json"))).message).toMatch(/is a character device, not a regular file/)
  })

  it("a directory is rejected, and a symlink to a regular file is followed", async () => {
    const dir = tempDir("jaxfx-codec-")
    mkdirSync(join(dir, "ckpt.safetensors"))
    expect((await loadError(join(dir, "ckpt.safetensors"))).message).toMatch(/is a directory, not a regular file/)
    writeFileSync(join(dir, "real.safetensors"), codec.encodeSafetensors(template))
    symlinkSync(join(dir, "real.safetensors"), join(dir, "latest.safetensors"))
    const back = await Effect.runPromise(codec.load(join(dir, "latest.safetensors"), template))
    expect(back.w.shape).toEqual([3])
  })

  it("a file larger than maxBytes is rejected before it is read; the limit is an option of load", async () => {
    const dir = tempDir("jaxfx-codec-")
    const path = join(dir, "ckpt.safetensors")
    const bytes = codec.encodeSafetensors(template)
    writeFileSync(path, bytes)
    const e = await loadError(path, { maxBytes: bytes.length - 1 })
    expect(e.message).toContain(`has ${bytes.length} bytes, more than the limit of ${bytes.length - 1}`)
    expect(e.message).toMatch(/maxBytes/)
    const back = await Effect.runPromise(codec.load(path, template, { maxBytes: bytes.length }))
    expect(back.w.shape).toEqual([3])
    expect(codec.DEFAULT_MAX_BYTES).toBe(2 ** 32)
    expect((await loadError(path, { maxBytes: Number.NaN })).message).toMatch(/maxBytes is NaN/)
  })

  it("a file whose size changes while it is read is rejected (/proc files say 0 bytes and hold more)", async () => {
    const dir = tempDir("jaxfx-codec-")
    symlinkSync("/proc/self/status", join(dir, "ckpt.json"))
    expect((await loadError(join(dir, "ckpt.json"))).message).toMatch(/changed size while it was read/)
  })

  it("a missing file is a CodecError naming it", async () => {
    const dir = tempDir("jaxfx-codec-")
    expect((await loadError(join(dir, "nope.safetensors"))).message).toMatch(/cannot read the checkpoint ".*nope\.safetensors": ENOENT/)
  })
})
