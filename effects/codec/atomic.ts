/**
 * Atomic file replacement: write a temporary file in the target's directory, flush it to disk,
 * then rename it over the target. A crash at any point leaves either the old file or the new one,
 * never a truncated mix (rename within one directory is atomic on POSIX file systems and NTFS).
 */
import { randomBytes } from "node:crypto"
import { type FileHandle, open, rename, rm } from "node:fs/promises"
import { basename, dirname, join } from "node:path"
import { Effect } from "effect"
import { CodecError } from "../../index.js"
import { checkOptions, optionKeys } from "../../core/options.js"

export interface AtomicWriteOptions {
  /** Bytes per write call. Default 1 MiB. */
  readonly chunkSize?: number
  /**
   * Called after each chunk reaches the temporary file (for progress, and for tests that fail
   * or crash the process mid-write).
   */
  readonly afterChunk?: (written: number, total: number) => void
}

const reason = (e: unknown): string => (e instanceof Error ? e.message : String(e))

const io = <A>(what: string, f: () => Promise<A>): Effect.Effect<A, CodecError> =>
  Effect.tryPromise({ try: f, catch: (e) => new CodecError(`${what}: ${reason(e)}`) })

/** The temporary file next to `path`: hidden, unique, recognizable (`.name.<pid>.<random>.tmp`). */
export const temporaryPath = (path: string): string =>
  join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`)

/**
 * Replace `path` with `bytes` atomically. On failure the temporary file is removed and `path` is
 * untouched; the error is a `CodecError` naming the file and the cause.
 */
export const writeFileAtomic = (
  path: string,
  bytes: Uint8Array,
  options?: AtomicWriteOptions
): Effect.Effect<void, CodecError> => {
  checkOptions("codec.writeFileAtomic", options, optionKeys<AtomicWriteOptions>()("chunkSize", "afterChunk"))
  return Effect.scoped(
    Effect.gen(function* () {
      const tmp = temporaryPath(path)
      const failed = `cannot write the checkpoint "${path}"`
      const state = { closed: false, committed: false }
      const handle: FileHandle = yield* Effect.acquireRelease(
        io(failed, () => open(tmp, "wx", 0o644)),
        (fh) =>
          Effect.promise(async () => {
            if (!state.closed) await fh.close().catch(() => undefined)
            if (!state.committed) await rm(tmp, { force: true }).catch(() => undefined)
          })
      )
      const chunk = Math.max(1, options?.chunkSize ?? 1 << 20)
      yield* io(failed, async () => {
        let written = 0
        while (written < bytes.length) {
          const end = Math.min(bytes.length, written + chunk)
          const { bytesWritten } = await handle.write(bytes, written, end - written)
          written += bytesWritten
          options?.afterChunk?.(written, bytes.length)
        }
        await handle.sync()
        state.closed = true
        await handle.close()
      })
      yield* io(failed, () => rename(tmp, path))
      state.committed = true
      // Make the rename itself durable: fsync the directory (best effort; not every platform allows it).
      yield* Effect.promise(async () => {
        try {
          const dir = await open(dirname(path), "r")
          try {
            await dir.sync()
          } finally {
            await dir.close()
          }
        } catch {
          // ignore
        }
      })
    })
  )
}
