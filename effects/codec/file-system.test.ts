import { readFileSync } from "node:fs"
import { join } from "node:path"
import { Cause, Effect, Exit, FileSystem } from "effect"
import { describe, expect, it } from "vitest"
import { CodecError, np } from "../../index.js"
import { tempDir } from "../../testing/temp-dir.js"
import * as codec from "./index.js"

const state = {
  params: {
    w: np.array(
      [
        [1.5, -2],
        [3, 0.25]
      ],
      { dtype: "float32" }
    ),
    b: np.array([7, 8], { dtype: "int32" })
  },
  step: np.array(3.25, { dtype: "float64" })
}
const template = { params: { w: np.zeros([2, 2]), b: np.zeros([2], { dtype: "int32" }) }, step: np.zeros([], { dtype: "float64" }) }

const values = (t: typeof state): unknown => ({ w: [...t.params.w.data()], b: [...t.params.b.data()], step: [...t.step.data()] })

describe("checkpoints without Node's file system", () => {
  it("save and load through the in-memory FileSystem layer, both formats; the previous file is replaced atomically", async () => {
    const program = Effect.gen(function* () {
      const out: unknown[] = []
      for (const path of ["run/ckpt.safetensors", "run/ckpt.json"]) {
        yield* codec.save(path, template)
        yield* codec.save(path, state, { metadata: { step: "3" } })
        out.push(values(yield* codec.load(path, template)))
      }
      const fs = yield* FileSystem.FileSystem
      return { out, names: (yield* fs.readDirectory("run")).sort() }
    })
    const { out, names } = await Effect.runPromise(program.pipe(Effect.provide(codec.layerMemory())))
    expect(out).toEqual([values(state), values(state)])
    expect(names).toEqual(["ckpt.json", "ckpt.safetensors"]) // no temporaries left
  })

  it("the in-memory FileSystem reports a missing checkpoint as a CodecError naming it", async () => {
    const exit = await Effect.runPromiseExit(codec.load("nope.json", template).pipe(Effect.provide(codec.layerMemory())))
    expect(Exit.isFailure(exit) && Cause.squash(exit.cause)).toBeInstanceOf(CodecError)
    expect(Exit.isFailure(exit) && String(Cause.squash(exit.cause))).toMatch(/cannot read the checkpoint "nope\.json": ENOENT/)
  })

  it("toBytes / fromBytes and toBlob / fromBlob round trip; the bytes are those of the file codec.save writes", async () => {
    const bytes = await Effect.runPromise(codec.toBytes(state, { metadata: { step: "3" } }))
    const path = join(tempDir("jaxfx-codec-"), "ckpt.safetensors")
    await Effect.runPromise(codec.save(path, state, { metadata: { step: "3" } }))
    expect([...bytes]).toEqual([...readFileSync(path)])
    expect(values(await Effect.runPromise(codec.fromBytes(bytes, template)))).toEqual(values(state))
    const json = await Effect.runPromise(codec.toBytes(state, { format: "json" }))
    expect(new TextDecoder().decode(json)).toContain('"shape"')
    expect(values(await Effect.runPromise(codec.fromBytes(json, template, { format: "json" })))).toEqual(values(state))
    const blob = await Effect.runPromise(codec.toBlob(state, { metadata: { step: "3" } }))
    expect(blob.size).toBe(bytes.length)
    expect(values(await Effect.runPromise(codec.fromBlob(blob, template)))).toEqual(values(state))
    const bad = await Effect.runPromiseExit(codec.fromBytes(bytes.subarray(0, 20), template))
    expect(Exit.isFailure(bad) && Cause.squash(bad.cause)).toBeInstanceOf(CodecError)
  })

  it("a provided FileSystem is used instead of Node's", async () => {
    const bytes = await Effect.runPromise(codec.toBytes(state))
    const fs = codec.memoryFileSystem({ "only/here.safetensors": bytes })
    const back = await Effect.runPromise(codec.load("only/here.safetensors", template).pipe(Effect.provideService(FileSystem.FileSystem, fs)))
    expect(values(back)).toEqual(values(state))
  })

  it("codec.layerNode provides Node's file system as Effect's FileSystem service", async () => {
    const path = join(tempDir("jaxfx-codec-"), "n.json")
    const back = await Effect.runPromise(
      Effect.gen(function* () {
        yield* codec.save(path, state)
        const fs = yield* FileSystem.FileSystem
        expect((yield* fs.stat(path)).type).toBe("File")
        return yield* codec.load(path, template)
      }).pipe(Effect.provide(codec.layerNode))
    )
    expect(values(back)).toEqual(values(state))
    expect(codec.nodeFileSystem()).toBeDefined()
  })
})
