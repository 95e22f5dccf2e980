/**
 * Reading a checkpoint file as hostile input: a path may name a FIFO (reading blocks forever), a
 * device such as /dev/zero (reading never ends), a directory, or a file larger than memory. So
 * open it without blocking, check with `fstat` on the open handle (no race with a rename) that it
 * is a regular file within a size limit, read exactly that many bytes, and fail if the file
 * turns out shorter or longer (it changed while being read).
 */
import { constants } from "node:fs"
import { type FileHandle, open } from "node:fs/promises"
import { Effect } from "effect"
import { CodecError } from "../../index.js"

/** The default limit on a checkpoint's size: 4 GiB (the largest a Node buffer holds). */
export const DEFAULT_MAX_BYTES = 2 ** 32

const CHUNK = 1 << 24

const reason = (e: unknown): string => (e instanceof Error ? e.message : String(e))

const kind = (s: { isDirectory(): boolean; isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean }): string =>
  s.isDirectory() ? "a directory" : s.isFIFO() ? "a FIFO" : s.isCharacterDevice() ? "a character device" : s.isBlockDevice() ? "a block device" : s.isSocket() ? "a socket" : "not a regular file"

/**
 * The bytes of the regular file at `path`, at most `maxBytes` of them; a `CodecError` for
 * anything else (missing, not a regular file, too large, changed while read). `codec.load` reads
 * with this.
 *
 * @example
 * const bytes = yield* codec.readCheckpointFile("model.safetensors", 1 << 30)
 * const file = codec.parseSafetensors(bytes)
 */
export const readCheckpointFile = (path: string, maxBytes: number = DEFAULT_MAX_BYTES): Effect.Effect<Uint8Array, CodecError> => {
  if (!(maxBytes >= 0)) return Effect.fail(new CodecError(`cannot read the checkpoint "${path}": maxBytes is ${maxBytes}; give a number of bytes >= 0.`))
  return Effect.acquireUseRelease(
    Effect.tryPromise({
      // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
      try: () => open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0)),
      catch: (e) => new CodecError(`cannot read the checkpoint "${path}": ${reason(e)}`)
    }),
    (fh: FileHandle) =>
      Effect.tryPromise({
        try: async (): Promise<Uint8Array> => {
          const st = await fh.stat()
          if (!st.isFile()) {
            throw new CodecError(`cannot read the checkpoint "${path}": it is ${kind(st)}, not a regular file.`)
          }
          if (st.size > maxBytes) {
            throw new CodecError(
              `the checkpoint "${path}" has ${st.size} bytes, more than the limit of ${maxBytes}; ` +
                "pass a larger `maxBytes` to codec.load if the file is trusted."
            )
          }
          const bytes = new Uint8Array(st.size)
          let at = 0
          while (at < bytes.length) {
            const { bytesRead } = await fh.read(bytes, at, Math.min(CHUNK, bytes.length - at), at)
            if (bytesRead === 0) break
            at += bytesRead
          }
          // One byte more than the size read at the start: the file grew (or shrank) meanwhile.
          const { bytesRead: extra } = await fh.read(new Uint8Array(1), 0, 1, at)
          if (at !== bytes.length || extra !== 0) {
            throw new CodecError(`the checkpoint "${path}" changed size while it was read (${st.size} bytes at first); read it again once it is complete.`)
          }
          return bytes
        },
        catch: (e) => e instanceof CodecError ? e : new CodecError(`cannot read the checkpoint "${path}": ${reason(e)}`)
      }),
    (fh) => Effect.promise(() => fh.close().catch(() => undefined))
  )
}
