/**
 * Which file system checkpoints use: Effect's `FileSystem` service when the program provides one
 * (`codec.layerMemory()` in a browser, `codec.layerNode`, or any other implementation), else Node's
 * file system where jaxfx runs in Node. Elsewhere file access is a `CodecError` saying what to do;
 * checkpoints still travel as bytes (`codec.toBytes` / `codec.fromBytes`, `toBlob` / `fromBlob`).
 */
import { Effect, FileSystem, Option, PlatformError } from "effect"
import { CodecError } from "../../index.js"
import { nodeFileSystem } from "./node-file-system.js"

/**
 * The file system for `what` (an operation, for the error): the provided `FileSystem`, else Node's.
 *
 * @example
 * const fs = yield* checkpointFileSystem("codec.load")
 */
export const checkpointFileSystem = (what: string): Effect.Effect<FileSystem.FileSystem, CodecError> =>
  Effect.flatMap(Effect.serviceOption(FileSystem.FileSystem), (provided) => {
    if (Option.isSome(provided)) return Effect.succeed(provided.value)
    const node = nodeFileSystem()
    if (node !== undefined) return Effect.succeed(node)
    return Effect.fail(
      new CodecError(
        `${what}: there is no file system here (no Node, and no FileSystem service provided). Provide one ` +
          "(`Effect.provide(codec.layerMemory())`, or a FileSystem layer of your platform), or keep checkpoints as bytes " +
          "with codec.toBytes / codec.fromBytes (codec.toBlob / codec.fromBlob for downloads and uploads)."
      )
    )
  })

/** A failure's own words: a PlatformError's description (Node's message, naming e.g. ENOENT), else the message. */
export const reason = (e: unknown): string => {
  if (PlatformError.isPlatformError(e)) return e.reason.description ?? e.reason.message
  return e instanceof Error ? e.message : String(e)
}

/** The directory part of a path (POSIX or Windows separators); "." when there is none. */
export const dirname = (path: string): string => {
  const i = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"))
  return i < 0 ? "." : i === 0 ? path.slice(0, 1) : path.slice(0, i)
}

/** The last part of a path. */
export const basename = (path: string): string => path.slice(Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")) + 1)

/** `name` inside directory `dir`. */
export const join = (dir: string, name: string): string => (dir === "." ? name : /[/\\]$/.test(dir) ? dir + name : `${dir}/${name}`)
