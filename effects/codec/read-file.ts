/**
 * Reading a checkpoint file as hostile input: a path may name a FIFO (reading blocks forever), a
 * device such as /dev/zero (reading never ends), a directory, or a file larger than memory. So
 * open it without blocking, check with `fstat` on the open handle (no race with a rename) that it
 * is a regular file within a size limit, read exactly that many bytes, and fail if the file
 * turns out shorter or longer (it changed while being read).
 */
import { ByteSize, Effect, type FileSystem } from "effect"
import { CodecError } from "../../index.js"
import { checkpointFileSystem, reason } from "./file-system.js"

/** The default limit on a checkpoint's size: 4 GiB (the largest a Node buffer holds). */
export const DEFAULT_MAX_BYTES = 2 ** 32

const CHUNK = 1 << 24

const KIND: Readonly<Record<FileSystem.File.Type, string>> = {
  File: "a regular file",
  Directory: "a directory",
  SymbolicLink: "a symbolic link",
  FIFO: "a FIFO",
  CharacterDevice: "a character device",
  BlockDevice: "a block device",
  Socket: "a socket",
  Unknown: "not a regular file"
}

/**
 * The bytes of the regular file at `path`, at most `maxBytes` of them; a `CodecError` for
 * anything else (missing, not a regular file, too large, changed while read). `codec.load` reads
 * with this, through the provided `FileSystem` (Node's where none is provided).
 *
 * @example
 * const bytes = yield* codec.readCheckpointFile("model.safetensors", 1 << 30)
 * const file = codec.parseSafetensors(bytes)
 */
export const readCheckpointFile = (path: string, maxBytes: number = DEFAULT_MAX_BYTES): Effect.Effect<Uint8Array, CodecError> => {
  if (!(maxBytes >= 0)) return Effect.fail(new CodecError(`cannot read the checkpoint "${path}": maxBytes is ${maxBytes}; give a number of bytes >= 0.`))
  const cannot = (e: unknown): CodecError => (e instanceof CodecError ? e : new CodecError(`cannot read the checkpoint "${path}": ${reason(e)}`))
  return Effect.scoped(
    Effect.gen(function* () {
      const fs = yield* checkpointFileSystem("codec.load")
      // (the Node file system opens for reading with O_NONBLOCK: a FIFO would otherwise wait for a writer)
      const file = yield* fs.open(path, { flag: "r" })
      const st = yield* file.stat
      if (st.type !== "File") {
        return yield* new CodecError(`cannot read the checkpoint "${path}": it is ${KIND[st.type]}, not a regular file.`)
      }
      const size = Number(ByteSize.toBigInt(st.size))
      if (size > maxBytes) {
        return yield* new CodecError(
          `the checkpoint "${path}" has ${size} bytes, more than the limit of ${maxBytes}; ` + "pass a larger `maxBytes` to codec.load if the file is trusted."
        )
      }
      const bytes = new Uint8Array(size)
      let at = 0
      while (at < bytes.length) {
        const n = yield* file.read(bytes.subarray(at, Math.min(bytes.length, at + CHUNK)), { position: BigInt(at) })
        if (n === 0) break
        at += n
      }
      // One byte more than the size read at the start: the file grew (or shrank) meanwhile.
      const extra = yield* file.read(new Uint8Array(1), { position: BigInt(at) })
      if (at !== bytes.length || extra !== 0) {
        return yield* new CodecError(`the checkpoint "${path}" changed size while it was read (${size} bytes at first); read it again once it is complete.`)
      }
      return bytes
    })
  ).pipe(Effect.mapError(cannot))
}
